//! The declared weights cover what the benchmarks measured: at every component value the
//! benchmark CLI ran (the extremes included: the largest key, 64 inputs, batches of 128), the
//! weight a call is charged is at least the 95th percentile of the times measured there (not the
//! median: a call must pay for its slow runs too). That the measurements are of the current
//! sources is `freshness.rs`'s part.

use frame_support::weights::Weight;
use pallet_verifier_registry::weights::WeightInfo as _;
use serde_json::Value;

use crate::{configs::Groth16MaxBatchSize, weights::pallet_verifier_registry::WeightInfo, Runtime};

const MEASURED: &str = include_str!("pallet_verifier_registry.measured.json");
const ENCLAVE_MEASURED: &str = include_str!("pallet_enclave_registry.measured.json");

type W = WeightInfo<Runtime>;
type E = crate::weights::pallet_enclave_registry::WeightInfo<Runtime>;

fn points() -> Vec<Value> {
	serde_json::from_str(MEASURED).expect("the summary is JSON")
}

/// Every point of `measured` against the weight `declared` gives it; the points below it.
fn shortfalls(measured: &str, declared: impl Fn(&Value) -> Weight) -> Vec<String> {
	let points: Vec<Value> = serde_json::from_str(measured).expect("the summary is JSON");
	assert!(!points.is_empty(), "the summary has points");
	points
		.iter()
		.filter(|p| {
			declared(p).ref_time() < p["p95_ns"].as_u64().expect("a 95th percentile") * 1000
		})
		.map(|p| format!("{p}: declared {} ps", declared(p).ref_time()))
		.collect()
}

#[test]
fn every_enclave_registry_weight_covers_the_p95_measured_at_every_point() {
	use pallet_enclave_registry::WeightInfo as _;
	let short = shortfalls(ENCLAVE_MEASURED, |p| match p["benchmark"].as_str().expect("a name") {
		"add_root" => E::add_root(),
		"remove_root" => E::remove_root(),
		"register_measurement" => E::register_measurement(),
		"revoke_measurement" => E::revoke_measurement(),
		"register_enclave" => E::register_enclave(component(p, "c")),
		"register_enclave_cached" => E::register_enclave_cached(component(p, "c")),
		"prune_expired_paths" => E::prune_expired_paths(component(p, "n")),
		"remove_enclave" => E::remove_enclave(),
		"verify_enclave_signature" => E::verify_enclave_signature(),
		"check_enclave_signature" => E::check_enclave_signature(),
		"verify_document_with_host_functions" => {
			E::verify_document_with_host_functions(component(p, "c"))
		},
		"verify_document_without_host_functions" => {
			E::verify_document_without_host_functions(component(p, "c"))
		},
		other => panic!("a benchmark without a weight function: {other}"),
	});
	assert!(short.is_empty(), "weights below the measurements: {short:#?}");
	// The longest chain a document may carry was measured.
	let points: Vec<Value> = serde_json::from_str(ENCLAVE_MEASURED).unwrap();
	let max_c = points.iter().map(|p| component(p, "c")).max().unwrap_or(0);
	assert_eq!(max_c as usize, veritas_verifier_tee_nitro::limits::MAX_CABUNDLE_LEN);
}

fn component(p: &Value, name: &str) -> u32 {
	p["components"][name].as_u64().map_or(0, |v| v as u32)
}

fn declared(p: &Value) -> Weight {
	let c = |name| component(p, name);
	match p["benchmark"].as_str().expect("a name") {
		"register_vk" => W::register_vk(c("l")),
		"unregister_vk" => W::unregister_vk(),
		"submit_proof" => W::submit_proof(c("n")),
		"verify_batch" => W::verify_batch(c("b"), c("n")),
		"verify_with_host_functions" => W::verify_with_host_functions(c("n")),
		"verify_without_host_functions" => W::verify_without_host_functions(c("n")),
		other => panic!("a benchmark without a weight function: {other}"),
	}
}

#[test]
fn every_verifier_registry_weight_covers_the_p95_measured_at_every_point() {
	assert!(points().len() > 200, "the summary holds every point ({})", points().len());
	let short = shortfalls(MEASURED, declared);
	assert!(short.is_empty(), "weights below the measurements: {short:#?}");
}

#[test]
fn the_benchmarks_reached_the_worst_cases_the_runtime_allows() {
	let points = points();
	let max = |bench: &str, name: &str| {
		points
			.iter()
			.filter(|p| p["benchmark"] == bench)
			.map(|p| component(p, name))
			.max()
			.unwrap_or(0)
	};
	assert_eq!(max("submit_proof", "n"), 64);
	assert_eq!(max("verify_batch", "n"), 64);
	assert_eq!(max("verify_batch", "b"), Groth16MaxBatchSize::get());
	assert_eq!(max("register_vk", "l"), crate::configs::Groth16MaxVkLen::get());
}

#[test]
fn the_host_functions_make_verification_cheaper() {
	for n in [0, 1, 64] {
		assert!(
			W::verify_with_host_functions(n).ref_time()
				< W::verify_without_host_functions(n).ref_time()
		);
	}
}

#[test]
fn the_p384_host_function_makes_document_verification_cheaper() {
	use pallet_enclave_registry::WeightInfo as _;
	for c in [2, 4, 8] {
		assert!(
			E::verify_document_with_host_functions(c).ref_time()
				< E::verify_document_without_host_functions(c).ref_time()
		);
	}
}

/// Point 10: a document whose certificate path a registration verified before is charged less,
/// at every chain length (the measured figure for AWS's shape is in `docs/BENCHMARKS.md`,
/// `scripts/bench-nitro.sh`).
#[test]
fn point10_a_known_certificate_path_is_charged_less() {
	use pallet_enclave_registry::WeightInfo as _;
	for c in 2..=veritas_verifier_tee_nitro::limits::MAX_CABUNDLE_LEN as u32 {
		assert!(
			E::register_enclave_cached(c).ref_time() < E::register_enclave(c).ref_time(),
			"c = {c}"
		);
	}
}

const MODELS_MEASURED: &str = include_str!("pallet_models.measured.json");
const SETTLEMENT_MEASURED: &str = include_str!("pallet_settlement.measured.json");

#[test]
fn every_models_and_settlement_weight_covers_the_p95_measured_at_every_point() {
	use pallet_models::WeightInfo as _;
	use pallet_settlement::WeightInfo as _;
	type M = crate::weights::pallet_models::WeightInfo<Runtime>;
	type S = crate::weights::pallet_settlement::WeightInfo<Runtime>;
	let short = shortfalls(MODELS_MEASURED, |p| match p["benchmark"].as_str().expect("a name") {
		"register_model" => M::register_model(component(p, "s")),
		"deprecate_model" => M::deprecate_model(),
		"remove_model" => M::remove_model(component(p, "s")),
		other => panic!("a benchmark without a weight function: {other}"),
	});
	assert!(short.is_empty(), "models weights below the measurements: {short:#?}");
	let short =
		shortfalls(SETTLEMENT_MEASURED, |p| match p["benchmark"].as_str().expect("a name") {
			"register_node" => S::register_node(),
			"unregister_node" => S::unregister_node(),
			other => panic!("a benchmark without a weight function: {other}"),
		});
	assert!(short.is_empty(), "settlement weights below the measurements: {short:#?}");
	// The largest manifest the runtime allows was measured.
	let points: Vec<Value> = serde_json::from_str(MODELS_MEASURED).unwrap();
	let max_s = points.iter().map(|p| component(p, "s")).max().unwrap_or(0);
	assert_eq!(max_s, crate::configs::MAX_SEGMENTS);
}

const RECEIPTS_MEASURED: &str = include_str!("pallet_inference_receipts.measured.json");

#[test]
fn every_receipts_weight_covers_the_p95_measured_at_every_point() {
	use pallet_inference_receipts::WeightInfo as _;
	type R = crate::weights::pallet_inference_receipts::WeightInfo<Runtime>;
	let short = shortfalls(RECEIPTS_MEASURED, |p| match p["benchmark"].as_str().expect("a name") {
		"request_inference" => R::request_inference(component(p, "n")),
		"submit_receipt" => R::submit_receipt(component(p, "s")),
		"submit_receipt_output" => R::submit_receipt_output(component(p, "o")),
		"submit_direct_receipts" => R::submit_direct_receipts(component(p, "b")),
		"reclaim_expired" => R::reclaim_expired(),
		"report_equivocation" => R::report_equivocation(),
		"commit_report" => R::commit_report(),
		"withdraw_report" => R::withdraw_report(),
		"expire_requests" => R::expire_requests(component(p, "r")),
		"prune_results" => R::prune_results(component(p, "p")),
		other => panic!("a benchmark without a weight function: {other}"),
	});
	assert!(short.is_empty(), "receipts weights below the measurements: {short:#?}");
	// The largest receipts and inputs the runtime allows were measured.
	let points: Vec<Value> = serde_json::from_str(RECEIPTS_MEASURED).unwrap();
	let max = |name| points.iter().map(|p| component(p, name)).max().unwrap_or(0);
	assert_eq!(max("s"), crate::configs::MAX_SEGMENTS);
	assert_eq!(max("o"), crate::configs::MAX_TENSOR_LEN);
	assert_eq!(max("n"), crate::configs::MAX_TENSOR_LEN);
	assert_eq!(max("b"), crate::configs::MAX_RECEIPT_BATCH);
}

#[test]
fn a_further_signature_of_a_known_key_costs_less_than_the_first() {
	use pallet_enclave_registry::WeightInfo as _;
	assert!(E::check_enclave_signature().ref_time() < E::verify_enclave_signature().ref_time());
	assert_eq!(E::check_enclave_signature().proof_size(), 0, "no storage read");
}

#[test]
fn the_runtime_charges_the_measured_database_weights() {
	use frame_support::traits::Get;
	let charged = <<Runtime as frame_system::Config>::DbWeight as Get<
		frame_support::weights::RuntimeDbWeight,
	>>::get();
	let measured = crate::weights::db_weights::MeasuredDbWeight::get();
	assert_eq!(charged, measured);
	// What a key-value store on a disk can do: between 1 µs and 1 ms per access, and a write
	// (with its share of the trie root) costs more than a read.
	for access in [measured.read, measured.write] {
		assert!((1_000_000..=1_000_000_000).contains(&access), "{access} ps");
	}
	assert!(measured.write > measured.read);
}

/// The database reads `function` of the weights source `weights_rs` charges at component value
/// `n` (its constant `reads(k)` plus `reads(j × component)`), read from the generated code.
fn reads_charged(weights_rs: &str, function: &str, n: u64) -> u64 {
	let start = weights_rs
		.find(&format!("fn {function}("))
		.unwrap_or_else(|| panic!("`{function}` in the weights"));
	let body = &weights_rs[start..];
	let body = &body[..body.find("\n\t}").expect("the function's end")];
	let mut reads = 0;
	for part in body.split("reads(").skip(1) {
		let arg = &part[..part.find(')').expect("a closing parenthesis")];
		reads += match arg.strip_prefix('(') {
			// `(j_u64).saturating_mul(component.into())`
			Some(per) => {
				per.trim_end_matches("_u64").replace('_', "").parse::<u64>().expect("j") * n
			},
			None => arg.replace('_', "").parse::<u64>().expect("a read count"),
		};
	}
	reads
}

#[test]
fn l3_weights_cover_the_worst_cases() {
	// Registering an enclave whose nonce is the oldest block of the window reads every block
	// hash of it, besides the measurement, the roots, the key and chain time.
	let enclave = include_str!("pallet_enclave_registry.rs");
	let window = u64::from(<Runtime as pallet_enclave_registry::Config>::NonceWindow::get());
	let reads = reads_charged(enclave, "register_enclave", 2);
	assert!(reads > window, "register_enclave charges {reads} reads, the window is {window}");
	// A model of the most segments, each with a key and a measurement of its own, reads both
	// for every segment.
	let models = include_str!("pallet_models.rs");
	let s = u64::from(crate::configs::MAX_SEGMENTS);
	let reads = reads_charged(models, "register_model", s);
	assert!(reads >= 2 * s, "register_model({s}) charges {reads} reads");
}
