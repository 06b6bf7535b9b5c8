//! Arbitrary bytes into the parser and the full verifier. Properties: nothing panics,
//! verification is deterministic, and knowing a document's verified certificate paths changes
//! no verdict (the known-path verifier of point 10 agrees with the full one). Seed it with the real documents:
//! `mkdir -p corpus/parse_and_verify && cp ../src/resources/docs/*.cose corpus/parse_and_verify/`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;

use veritas_verifier_tee_nitro::{
	check_measurement, parse, verify, verify_with_known, KnownPaths, Measurement, PathId,
	RustCrypto, AWS_ROOTS,
};

/// Every path of a bundle the fuzzer's first pass verified.
struct Known(BTreeSet<PathId>);

impl KnownPaths for Known {
	fn is_known(&self, id: &PathId) -> bool {
		self.0.contains(id)
	}
}

fuzz_target!(|data: &[u8]| {
	// At the document's own time if it parses (so mutated real documents reach the chain and
	// signature checks), else at an arbitrary fixed time.
	let at_ms = parse(data).map(|p| p.document.timestamp_ms).unwrap_or(1_700_000_000_000);
	let first = verify(data, AWS_ROOTS, at_ms);
	let second = verify(data, AWS_ROOTS, at_ms);
	assert_eq!(first, second);
	// Unknown paths: the same verdict; then with every path it verified known: the same again.
	let (unknown, report) = match verify_with_known::<RustCrypto, _>(data, AWS_ROOTS, at_ms, &()) {
		Ok((claims, report)) => (Ok(claims), report.new_paths),
		Err(e) => (Err(e), Vec::new()),
	};
	assert_eq!(unknown, first);
	let known = Known(report.iter().map(|p| p.id).collect());
	let again = verify_with_known::<RustCrypto, _>(data, AWS_ROOTS, at_ms, &known).map(|r| r.0);
	assert_eq!(again, first);
	if let Ok(claims) = first {
		// Only an unmodified AWS document can get here; the policy helper must not panic on it.
		let _ = check_measurement(
			&claims,
			&Measurement { pcr0: [0; 48], pcr1: [0; 48], pcr2: [0; 48], pcr8: None },
		);
	}
	if let Err(e) = verify(data, &[], at_ms) {
		let _ = e.exit_code();
	}
});
