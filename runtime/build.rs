//! Builds the runtime to WASM: `veritas_runtime.compact.compressed.wasm`, with the metadata hash
//! that `CheckMetadataHash` signs over, embedded in the node as `WASM_BINARY`. The wasm builder
//! passes this crate's enabled features on, so a node built with `--features
//! runtime-benchmarks` embeds (and writes) a runtime with the benchmarks, which its `benchmark
//! pallet` measures; the default build compiles the runtime once, without them.
//!
//! It lands in `$CARGO_TARGET_DIR/<profile>/wbuild/veritas-runtime/`.

fn main() {
	#[cfg(feature = "std")]
	{
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_metadata_hash("VRT", 12)
			.build();
	}
}
