//! Native verification time of real AWS Nitro attestation documents (at their own time, under the
//! AWS root), the baseline of `scripts/bench-nitro.sh`. Prints `name cabundle_len median_us`.

use std::time::Instant;

use veritas_verifier_tee_nitro::{parse, verify, AWS_ROOTS};

const DOCS: &[(&str, &[u8])] = &[
	(
		"evervault_valid",
		include_bytes!("../src/resources/docs/evervault__valid-attestation-doc-bytes.cbor.cose"),
	),
	("marlin_aws", include_bytes!("../src/resources/docs/marlin-oyster-monorepo__aws.bin.cose")),
];

fn main() {
	let runs: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(30);
	for (name, doc) in DOCS {
		let at = parse(doc).expect("a real document").document.timestamp_ms;
		let chain = parse(doc).expect("a real document").document.cabundle.len();
		let mut times: Vec<f64> = (0..runs)
			.map(|_| {
				let start = Instant::now();
				verify(doc, AWS_ROOTS, at).expect("verifies at its own time");
				start.elapsed().as_secs_f64() * 1e6
			})
			.collect();
		times.sort_by(|a, b| a.total_cmp(b));
		println!("native_verify_{name} {chain} {:.1}", times[runs / 2]);
	}
}
