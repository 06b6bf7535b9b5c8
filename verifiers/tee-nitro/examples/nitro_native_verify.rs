//! Native verification time of Nitro attestation documents, the baseline of
//! `scripts/bench-nitro.sh`. Prints `name cabundle_len median_us` for:
//! - real AWS documents, at their own time, under the AWS root;
//! - DevEnclave documents made exactly as `register_enclave`'s benchmark makes its own (a dev CA
//!   with `c - 1` intermediates, so a `cabundle` of `c`, and the benchmark's image), for
//!   `c` = 4 (AWS's shape) and 8 (the verifier's longest chain): the same documents on both sides
//!   of the ratio the script prints.

use std::time::Instant;

use veritas_verifier_tee_nitro::dev::{pcrs_for_image, AttestationRequest, DevCa, DevEnclave};
use veritas_verifier_tee_nitro::{parse, verify, AWS_ROOTS};

const DOCS: &[(&str, &[u8])] = &[
	(
		"evervault_valid",
		include_bytes!("../src/resources/docs/evervault__valid-attestation-doc-bytes.cbor.cose"),
	),
	("marlin_aws", include_bytes!("../src/resources/docs/marlin-oyster-monorepo__aws.bin.cose")),
];

/// The time of the runtime benchmark's documents (2026-01-01T00:00:00Z) and a day.
const T0: u64 = 1_767_225_600_000;
const DAY: u64 = 24 * 3600 * 1000;

/// The median of `runs` verifications of `doc` at `at` under `roots`, in microseconds.
fn median_us(runs: usize, doc: &[u8], roots: &[[u8; 32]], at: u64) -> f64 {
	let mut times: Vec<f64> = (0..runs)
		.map(|_| {
			let start = Instant::now();
			verify(doc, roots, at).expect("verifies");
			start.elapsed().as_secs_f64() * 1e6
		})
		.collect();
	times.sort_by(|a, b| a.total_cmp(b));
	times[runs / 2]
}

/// A document like the runtime benchmark's: `c` certificates in the `cabundle`, its image, a
/// 32-byte key, `user_data` and nonce of the benchmark's sizes; and its CA's root.
fn dev_document(c: usize) -> (Vec<u8>, [u8; 32]) {
	let ca = DevCa::with_intermediates([3; 32], T0 - DAY, T0 + DAY, c - 1).expect("a dev CA");
	let root = ca.root_fingerprint();
	let request = AttestationRequest {
		public_key: Some(vec![0xed; 32]),
		user_data: Some(vec![0x5a; 18 + 32 + 32]),
		nonce: Some(vec![0x22; 32]),
	};
	let doc = DevEnclave::new(ca, pcrs_for_image(b"veritas benchmark enclave"))
		.attest_at(&request, T0 - 1_000)
		.expect("a dev document");
	(doc, root)
}

fn main() {
	let runs: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(30);
	for (name, doc) in DOCS {
		let parsed = parse(doc).expect("a real document");
		let (at, chain) = (parsed.document.timestamp_ms, parsed.document.cabundle.len());
		println!("native_verify_{name} {chain} {:.1}", median_us(runs, doc, AWS_ROOTS, at));
	}
	for c in [4, 8] {
		let (doc, root) = dev_document(c);
		println!("native_verify_dev_enclave {c} {:.1}", median_us(runs, &doc, &[root], T0));
	}
}
