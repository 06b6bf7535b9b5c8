//! Arbitrary bytes into the parser and the full verifier. Properties: nothing panics, and
//! verification is deterministic. Seed it with the real documents:
//! `mkdir -p corpus/parse_and_verify && cp ../src/resources/docs/*.cose corpus/parse_and_verify/`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veritas_verifier_tee_nitro::{check_measurement, parse, verify, Measurement, AWS_ROOTS};

fuzz_target!(|data: &[u8]| {
	// At the document's own time if it parses (so mutated real documents reach the chain and
	// signature checks), else at an arbitrary fixed time.
	let at_ms = parse(data).map(|p| p.document.timestamp_ms).unwrap_or(1_700_000_000_000);
	let first = verify(data, AWS_ROOTS, at_ms);
	let second = verify(data, AWS_ROOTS, at_ms);
	assert_eq!(first, second);
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
