//! DevEnclave documents verify under the dev root exactly as AWS documents verify under AWS's,
//! and each fault produces the verifier error it must: the negative corpus of the Nitro issue.

use alloc::{string::String, vec, vec::Vec};

use super::*;
use crate::{
	check_measurement, is_debug_mode, policy::Measurement, verify, CertRole, NitroError, AWS_ROOTS,
};

/// 2026-01-01T00:00:00Z.
const T0: u64 = 1_767_225_600_000;
const DAY: u64 = 24 * 3600 * 1000;

fn ca() -> DevCa {
	DevCa::new([7; 32], T0 - 30 * DAY, T0 + 365 * DAY).expect("dev CA")
}

fn request() -> AttestationRequest {
	AttestationRequest {
		public_key: Some(vec![0xed; 32]),
		user_data: Some(b"genesis and operator".to_vec()),
		nonce: Some(vec![0xbb; 32]),
	}
}

fn enclave(faults: DevFaults) -> DevEnclave {
	DevEnclave::new(ca(), pcrs_for_image(b"model server v1")).at(T0).with_faults(faults)
}

fn attest(faults: DevFaults) -> Vec<u8> {
	enclave(faults).attest_at(&request(), T0).expect("attests")
}

fn dev_roots() -> Vec<[u8; 32]> {
	vec![ca().root_fingerprint()]
}

#[test]
fn a_dev_document_verifies_under_the_dev_root_with_its_claims() {
	let e = enclave(DevFaults::default());
	let doc = e.attest_at(&request(), T0).unwrap();
	let claims = verify(&doc, &dev_roots(), T0).expect("verifies");
	assert_eq!(claims.timestamp_ms, T0);
	assert_eq!(claims.public_key, request().public_key);
	assert_eq!(claims.user_data, request().user_data);
	assert_eq!(claims.nonce, request().nonce);
	assert_eq!(claims.pcrs, *e.pcrs());
	assert!(!is_debug_mode(&claims));
	let pcr = |i: u8| <[u8; 48]>::try_from(&e.pcrs()[&i][..]).unwrap();
	let m = Measurement { pcr0: pcr(0), pcr1: pcr(1), pcr2: pcr(2), pcr8: Some(pcr(8)) };
	assert_eq!(check_measurement(&claims, &m), Ok(()));
	// Valid through the leaf's life, not after.
	assert!(verify(&doc, &dev_roots(), T0 + LEAF_LIFETIME_MS - 1).is_ok());
	assert_eq!(
		verify(&doc, &dev_roots(), T0 + LEAF_LIFETIME_MS + 1),
		Err(NitroError::CertificateExpired(CertRole::Leaf))
	);
}

#[test]
fn every_document_has_a_fresh_leaf_and_the_same_root() {
	let e = enclave(DevFaults::default());
	let a = verify(&e.attest_at(&request(), T0).unwrap(), &dev_roots(), T0).unwrap();
	let b = verify(&e.attest_at(&request(), T0).unwrap(), &dev_roots(), T0).unwrap();
	assert_ne!(a.leaf_fingerprint, b.leaf_fingerprint);
	assert_eq!(a.root_fingerprint, b.root_fingerprint);
	assert_eq!(a.root_fingerprint, ca().root_fingerprint());
}

mod negative_corpus {
	use super::*;

	fn fails(doc: &[u8], expected: NitroError) {
		assert_eq!(verify(doc, &dev_roots(), T0).map(|_| ()), Err(expected));
	}

	#[test]
	fn bad_signature() {
		let mut doc = attest(DevFaults::default());
		let last = doc.len() - 1;
		doc[last] ^= 1;
		fails(&doc, NitroError::BadSignature);
	}

	#[test]
	fn pcr_user_data_or_nonce_altered_after_signing() {
		for alteration in
			[Alteration::Pcr(0), Alteration::Pcr(8), Alteration::UserData, Alteration::Nonce]
		{
			let doc =
				attest(DevFaults { alter_after_signing: Some(alteration), ..Default::default() });
			fails(&doc, NitroError::BadSignature);
		}
	}

	#[test]
	fn unknown_root() {
		let doc = attest(DevFaults::default());
		assert_eq!(verify(&doc, AWS_ROOTS, T0).map(|_| ()), Err(NitroError::UntrustedRoot));
	}

	#[test]
	fn intermediate_not_signed_by_its_parent() {
		let doc = attest(DevFaults { broken_link: true, ..Default::default() });
		fails(&doc, NitroError::ChainBroken(CertRole::Intermediate(2)));
	}

	#[test]
	fn intermediate_without_ca_rights() {
		let doc = attest(DevFaults { intermediate_not_ca: true, ..Default::default() });
		fails(&doc, NitroError::NotACa(CertRole::Intermediate(3)));
	}

	#[test]
	fn leaf_expired_or_not_yet_valid_at_the_document_time() {
		let expired = attest(DevFaults {
			leaf_validity_ms: Some((T0 - 2 * DAY, T0 - DAY)),
			..Default::default()
		});
		fails(&expired, NitroError::CertificateExpired(CertRole::Leaf));
		let early = attest(DevFaults {
			leaf_validity_ms: Some((T0 + DAY, T0 + 2 * DAY)),
			..Default::default()
		});
		fails(&early, NitroError::CertificateNotYetValid(CertRole::Leaf));
	}

	#[test]
	fn wrong_algorithm() {
		// ES256 (-7) in the protected header.
		let doc = attest(DevFaults { algorithm: Some(-7), ..Default::default() });
		fails(&doc, NitroError::UnsupportedAlgorithm);
	}

	#[test]
	fn truncated_and_garbage_cbor() {
		let doc = attest(DevFaults::default());
		for cut in [1, doc.len() / 2, doc.len() - 1] {
			let r = verify(&doc[..cut], &dev_roots(), T0);
			assert!(
				matches!(r, Err(NitroError::MalformedCose | NitroError::MalformedCbor)),
				"cut at {cut}: {r:?}"
			);
		}
		let r = verify(b"\xff\xfe garbage", &dev_roots(), T0);
		assert!(matches!(r, Err(NitroError::MalformedCose | NitroError::MalformedCbor)), "{r:?}");
	}

	#[test]
	fn oversized_fields_and_document() {
		let e = enclave(DevFaults::default());
		let big = AttestationRequest { user_data: Some(vec![1; MAX_FIELD_LEN + 1]), ..request() };
		assert_eq!(e.attest_at(&big, T0), Err(AttestError::FieldTooLarge("user_data")));
		// 33 PCRs: more than a document may carry.
		let many: alloc::collections::BTreeMap<u8, Vec<u8>> =
			(0u8..33).map(|i| (i, vec![i; 48])).collect();
		let doc = DevEnclave::new(ca(), many).at(T0).attest_at(&request(), T0).unwrap();
		fails(&doc, NitroError::FieldTooLarge("pcrs"));
		// A document past the size limit.
		let mut huge = doc;
		huge.resize(crate::limits::MAX_DOCUMENT_LEN + 1, 0);
		fails(&huge, NitroError::FieldTooLarge("document"));
	}

	#[test]
	fn point9_a_signed_document_with_a_32_byte_pcr_is_refused() {
		// AWS's CDDL allows a 32-byte PCR; the NSM, whose digest is SHA384, never reports one.
		let mut pcrs = pcrs_for_image(b"model server v1");
		pcrs.insert(3, vec![3; 32]);
		let doc = DevEnclave::new(ca(), pcrs).at(T0).attest_at(&request(), T0).unwrap();
		fails(&doc, NitroError::PcrLength { index: 3, len: 32 });
		assert_eq!(NitroError::PcrLength { index: 3, len: 32 }.exit_code(), 2);
		// 64 bytes too; 48 (the digest's length) is what verifies.
		let mut pcrs = pcrs_for_image(b"model server v1");
		pcrs.insert(3, vec![3; 64]);
		let doc = DevEnclave::new(ca(), pcrs).at(T0).attest_at(&request(), T0).unwrap();
		fails(&doc, NitroError::PcrLength { index: 3, len: 64 });
		let mut pcrs = pcrs_for_image(b"model server v1");
		pcrs.insert(3, vec![3; 48]);
		let doc = DevEnclave::new(ca(), pcrs).at(T0).attest_at(&request(), T0).unwrap();
		assert!(verify(&doc, &dev_roots(), T0).is_ok());
	}

	#[test]
	fn debug_pcrs() {
		let zero: alloc::collections::BTreeMap<u8, Vec<u8>> =
			(0u8..16).map(|i| (i, vec![0; 48])).collect();
		let doc = DevEnclave::new(ca(), zero).at(T0).attest_at(&request(), T0).unwrap();
		let claims = verify(&doc, &dev_roots(), T0).expect("a debug document is still signed");
		assert!(is_debug_mode(&claims));
		let m = Measurement { pcr0: [1; 48], pcr1: [1; 48], pcr2: [1; 48], pcr8: None };
		assert_eq!(check_measurement(&claims, &m), Err(NitroError::DebugEnclave));
	}
}

#[test]
fn the_standard_dev_ca_is_reproducible_and_verifies_documents() {
	let a = DevCa::standard().unwrap();
	let b = DevCa::standard().unwrap();
	assert_eq!(a.root_der(), b.root_der());
	println!("standard dev root fingerprint: {}", hex(&a.root_fingerprint()));
	let doc = DevEnclave::new(a, pcrs_for_image(b"x")).at(T0).attest_at(&request(), T0).unwrap();
	assert!(verify(&doc, &[b.root_fingerprint()], T0).is_ok());
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}
