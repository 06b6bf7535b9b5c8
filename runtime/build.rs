//! Builds the runtime to WASM twice:
//! - `veritas_runtime.compact.compressed.wasm`, the chain's runtime, with the metadata hash that
//!   `CheckMetadataHash` signs over (embedded in the node as `WASM_BINARY`);
//! - `veritas_runtime_benchmarks.compact.compressed.wasm`, the same runtime with the
//!   `runtime-benchmarks` feature, which `veritas-node benchmark pallet --runtime <it>` measures
//!   (`scripts/run-benchmarks.sh`). The node itself never embeds it.
//!
//! Both land in `$CARGO_TARGET_DIR/<profile>/wbuild/veritas-runtime/`.

fn main() {
	#[cfg(feature = "std")]
	{
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_metadata_hash("VRT", 12)
			.build();
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("runtime-benchmarks")
			.set_file_name("veritas_runtime_benchmarks")
			.build();
	}
}
