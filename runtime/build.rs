//! Builds the runtime to WASM: `veritas_runtime.compact.compressed.wasm`, embedded in the node as
//! `WASM_BINARY`. The wasm builder passes this crate's enabled features on, so a node built with
//! `--features runtime-benchmarks` embeds (and writes) a runtime with the benchmarks, which its
//! `benchmark pallet` measures; the default build compiles the runtime once, without them.
//!
//! With the `metadata-hash` feature (production builds: `cargo build --release -p veritas-node
//! --features veritas-runtime/metadata-hash`), the build also embeds the hash of the runtime's
//! metadata that `CheckMetadataHash` lets a signer sign over (an offline signer's proof of what
//! it signs). Computing it runs the built runtime (the SDK's executor, wasmtime, as build
//! dependencies: minutes of a cold build), so development and test builds leave it out; the
//! extension is in every build, and clients that do not ask for the hash (mode 0) sign the same.
//!
//! It lands in `$CARGO_TARGET_DIR/<profile>/wbuild/veritas-runtime/`.

fn main() {
	#[cfg(all(feature = "std", feature = "metadata-hash"))]
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("VRT", 12)
		.build();
	#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
	substrate_wasm_builder::WasmBuilder::init_with_defaults().build();
}
