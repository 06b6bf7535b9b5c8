//! `veritas-node benchmark pallet` runs the runtime's benchmarks (the runtime a node built with
//! `runtime-benchmarks` writes next to itself), with the node's BN254 host functions registered,
//! and writes weights from the template `scripts/run-benchmarks.sh` uses.
//!
//! These need that node, which no default build has (the benchmark machinery would double the
//! cold build): `scripts/test.sh --full` builds it (`build_bench_node`) and runs them with
//! `--ignored`; the CI tier lists them as ignored.

use anyhow::{ensure, Result};
use veritas_tests::{benchmark_runtime, run_bench_node_command as run_node_command};

fn benchmark(pallet: &str, extrinsic: &str, extra: &[&str]) -> Result<String> {
	let wasm = benchmark_runtime();
	ensure!(wasm.exists(), "{} missing: runtime/build.rs builds it", wasm.display());
	let mut args = vec![
		"benchmark",
		"pallet",
		"--runtime",
		wasm.to_str().unwrap(),
		"--genesis-builder",
		"runtime",
		"--pallet",
		pallet,
		"--extrinsic",
		extrinsic,
		"--steps",
		"2",
		"--repeat",
		"1",
	];
	args.extend_from_slice(extra);
	let (code, stdout, stderr) = run_node_command(&args)?;
	ensure!(code == Some(0), "benchmark {pallet}::{extrinsic} exited {code:?}: {stderr}");
	Ok(format!("{stdout}{stderr}"))
}

#[test]
#[ignore = "needs the node built with runtime-benchmarks: scripts/test.sh --full"]
fn benchmarks_an_sdk_pallet() -> Result<()> {
	let out = benchmark("pallet_balances", "transfer_allow_death", &[])?;
	assert!(out.contains("transfer_allow_death"), "{out}");
	assert!(out.contains("Time ~="), "a time model is printed: {out}");
	Ok(())
}

#[test]
#[ignore = "needs the node built with runtime-benchmarks: scripts/test.sh --full"]
fn benchmarks_groth16_verification_with_and_without_host_functions_into_a_weights_file(
) -> Result<()> {
	let dir = tempfile::tempdir()?;
	let output = dir.path().join("weights.rs");
	let template = std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../scripts/benchmarks/weight-template.hbs");
	// `verify_without_host_functions` runs the pure-WASM fallback inside the real runtime and
	// asserts that it verifies the fixture.
	benchmark(
		"pallet_verifier_registry",
		"submit_proof,verify_without_host_functions",
		&["--template", template.to_str().unwrap(), "--output", output.to_str().unwrap()],
	)?;
	let weights = std::fs::read_to_string(&output)?;
	assert!(
		weights.contains(
			"impl<T: frame_system::Config> pallet_verifier_registry::weights::WeightInfo"
		),
		"{weights}"
	);
	assert!(weights.contains("fn submit_proof(n: u32, ) -> Weight"), "{weights}");
	assert!(weights.contains("fn verify_without_host_functions(n: u32, ) -> Weight"), "{weights}");
	Ok(())
}

#[test]
#[ignore = "needs the node built with runtime-benchmarks: scripts/test.sh --full"]
fn refuses_an_unknown_pallet() -> Result<()> {
	let wasm = benchmark_runtime();
	let (code, _, stderr) = run_node_command(&[
		"benchmark",
		"pallet",
		"--runtime",
		wasm.to_str().unwrap(),
		"--genesis-builder",
		"runtime",
		"--pallet",
		"pallet_nonexistent",
		"--extrinsic",
		"*",
	])?;
	// An error exit (not a crash: a signal gives no code) for this reason, not another (before
	// session 3 a missing runtime file passed here).
	assert!(code.is_some_and(|c| c != 0), "an unknown pallet is an error ({code:?}): {stderr}");
	assert!(stderr.contains("No benchmarks found which match your input"), "{stderr}");
	Ok(())
}
