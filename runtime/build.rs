//! Builds the runtime to WASM, with the metadata hash that `CheckMetadataHash` signs over.

fn main() {
	#[cfg(feature = "std")]
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("VRT", 12)
		.build();
}
