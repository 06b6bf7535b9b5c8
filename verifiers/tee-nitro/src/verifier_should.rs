//! Pure tests of the verifier on real AWS documents (`resources/`) and on corrupted copies of them.
//! Expected values come from `resources/vectors.json`, not from this file.
//!
//! Every verification here runs twice, with RustCrypto's `p384` and with the node's host
//! functions (`veritas_crypto_host::Host`, called natively), and the two must agree.

use alloc::{vec, vec::Vec};

use sha2::{Digest as _, Sha256};
use x509_cert::{der::Decode, Certificate};

use crate::{
	parse, test_vectors::*, verify_with, CertRole, ErrorClass, Fingerprint, NitroError, RustCrypto,
	VerifiedAttestation, AWS_NITRO_ROOT_G1_DER, AWS_NITRO_ROOT_G1_FINGERPRINT, AWS_ROOTS,
};

/// [`crate::verify`] with both engines, which must give the same result.
fn verify(
	bytes: &[u8],
	trusted_roots: &[Fingerprint],
	at_ms: u64,
) -> Result<VerifiedAttestation, NitroError> {
	let pure = verify_with::<RustCrypto>(bytes, trusted_roots, at_ms);
	let host = verify_with::<veritas_crypto_host::Host>(bytes, trusted_roots, at_ms);
	assert_eq!(pure, host, "RustCrypto and Host disagree");
	pure
}

/// Verifies at the document's own timestamp against the AWS root.
fn verify_at_own_time(bytes: &[u8]) -> Result<crate::VerifiedAttestation, NitroError> {
	let ts = parse(bytes).map(|p| p.document.timestamp_ms).unwrap_or(1);
	verify(bytes, AWS_ROOTS, ts)
}

/// The base document with `edit` applied, verified at the base document's time.
fn verify_edited(
	edit: impl FnOnce(&mut Editable),
) -> Result<crate::VerifiedAttestation, NitroError> {
	let base = base();
	let mut doc = Editable::from(base.bytes);
	edit(&mut doc);
	verify(&doc.encode(), AWS_ROOTS, base.timestamp_ms())
}

/// The validity of the leaf certificate of `bytes`, in Unix milliseconds.
fn leaf_validity_ms(bytes: &[u8]) -> (u64, u64) {
	let p = parse(bytes).unwrap();
	let cert = Certificate::from_der(p.document.certificate).unwrap();
	let v = &cert.tbs_certificate.validity;
	let ms = |t: x509_cert::time::Time| u64::try_from(t.to_unix_duration().as_millis()).unwrap();
	(ms(v.not_before), ms(v.not_after))
}

mod fixtures {
	use super::*;

	#[test]
	fn cover_every_vector_with_the_recorded_sha256() {
		let all = vectors();
		assert_eq!(all.len(), 22);
		for v in &all {
			let file = v["file"].as_str().unwrap();
			let digest = Sha256::digest(fixture(file));
			assert_eq!(hex(&digest), v["sha256_cose_sign1"].as_str().unwrap(), "{file}");
		}
	}

	#[test]
	fn pin_the_published_aws_root_fingerprint() {
		assert_eq!(crate::fingerprint(AWS_NITRO_ROOT_G1_DER), AWS_NITRO_ROOT_G1_FINGERPRINT);
		assert_eq!(
			hex(&AWS_NITRO_ROOT_G1_FINGERPRINT),
			"641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b"
		);
	}

	#[test]
	fn reencode_an_untouched_document_byte_for_byte() {
		for v in vectors_under("docs/") {
			assert_eq!(Editable::from(v.bytes).encode(), v.bytes, "{}", v.file);
		}
	}
}

mod verify {
	use super::*;

	mod accepts {
		use super::*;

		#[test]
		fn every_real_document_at_its_own_timestamp_with_the_recorded_claims() {
			let docs = vectors_under("docs/");
			assert_eq!(docs.len(), 19);
			for v in docs {
				let claims = verify(v.bytes, AWS_ROOTS, v.timestamp_ms())
					.unwrap_or_else(|e| panic!("{}: {e}", v.file));
				let e = &v.expected;
				assert_eq!(e["expected_under_aws_root"], "PASS");
				assert_eq!(claims.module_id, v.str("module_id"), "{}", v.file);
				assert_eq!(claims.timestamp_ms, v.timestamp_ms());
				assert_eq!(v.str("digest"), "SHA384");
				assert_eq!(claims.digest, crate::Digest::Sha384);
				assert_eq!(claims.pcrs.len() as u64, e["num_pcrs"].as_u64().unwrap(), "{}", v.file);
				for i in [0u8, 1, 2, 3, 4, 8] {
					let want = unhex(e[alloc::format!("pcr{i}").as_str()].as_str().unwrap());
					assert_eq!(claims.pcr(i), Some(&want[..]), "{} PCR{i}", v.file);
				}
				let len = |o: &Option<Vec<u8>>| o.as_ref().map(|b| b.len() as u64);
				assert_eq!(len(&claims.public_key), e["public_key_len"].as_u64(), "{}", v.file);
				assert_eq!(len(&claims.user_data), e["user_data_len"].as_u64(), "{}", v.file);
				assert_eq!(len(&claims.nonce), e["nonce_len"].as_u64(), "{}", v.file);
				if let Some(h) = e["user_data_hex"].as_str() {
					assert_eq!(claims.user_data.as_deref(), Some(&unhex(h)[..]));
				}
				if let Some(h) = e["nonce_hex"].as_str() {
					assert_eq!(claims.nonce.as_deref(), Some(&unhex(h)[..]));
				}
				assert_eq!(claims.root_fingerprint, AWS_NITRO_ROOT_G1_FINGERPRINT);
				let leaf = parse(v.bytes).unwrap().document.certificate;
				assert_eq!(claims.leaf_fingerprint, crate::fingerprint(leaf));
				assert_eq!(
					parse(v.bytes).unwrap().document.cabundle.len() as u64,
					e["cabundle_len"].as_u64().unwrap()
				);
			}
		}

		#[test]
		fn the_indefinite_length_payload_map_of_the_2025_document() {
			let v = fixture("docs/oraclekit-nitro-tee-attestation__attestation.hex");
			let p = parse(v).unwrap();
			assert_eq!(p.cose.payload[0], 0xbf);
			assert!(verify_at_own_time(v).is_ok());
		}

		#[test]
		fn a_document_tagged_18() {
			let base = base();
			let mut tagged = vec![0xd2];
			tagged.extend_from_slice(base.bytes);
			assert!(verify(&tagged, AWS_ROOTS, base.timestamp_ms()).is_ok());
		}

		#[test]
		fn the_leaf_validity_boundaries_inclusive() {
			let base = base();
			let (not_before, not_after) = leaf_validity_ms(base.bytes);
			assert!(not_before <= base.timestamp_ms() && base.timestamp_ms() <= not_after);
			assert!(verify(base.bytes, AWS_ROOTS, not_before).is_ok());
			assert!(verify(base.bytes, AWS_ROOTS, not_after).is_ok());
		}

		#[test]
		fn the_marlin_mock_documents_under_their_own_root() {
			for v in vectors_under("negative/marlin") {
				let claims = verify(v.bytes, &[marlin_root()], v.timestamp_ms())
					.unwrap_or_else(|e| panic!("{}: {e}", v.file));
				assert_eq!(claims.root_fingerprint, marlin_root());
				assert_eq!(claims.module_id, v.str("module_id"));
				assert_eq!(claims.pcr(1), Some(&unhex(v.str("pcr1"))[..]));
			}
		}

		#[test]
		fn a_document_whose_root_is_one_of_several_trusted() {
			let base = base();
			assert!(verify(
				base.bytes,
				&[marlin_root(), AWS_NITRO_ROOT_G1_FINGERPRINT],
				base.timestamp_ms()
			)
			.is_ok());
		}
	}

	mod rejects {
		use super::*;

		#[test]
		fn every_real_document_two_days_before_its_timestamp() {
			for v in vectors_under("docs/") {
				assert_eq!(
					verify(v.bytes, AWS_ROOTS, v.timestamp_ms() - TWO_DAYS_MS),
					Err(NitroError::CertificateNotYetValid(CertRole::Leaf)),
					"{}",
					v.file
				);
			}
		}

		#[test]
		fn every_real_document_today_because_its_leaf_expired() {
			for v in vectors_under("docs/") {
				assert_eq!(
					verify(v.bytes, AWS_ROOTS, TODAY_MS),
					Err(NitroError::CertificateExpired(CertRole::Leaf)),
					"{}",
					v.file
				);
			}
		}

		#[test]
		fn one_millisecond_outside_the_leaf_validity() {
			let base = base();
			let (not_before, not_after) = leaf_validity_ms(base.bytes);
			assert_eq!(
				verify(base.bytes, AWS_ROOTS, not_before - 1),
				Err(NitroError::CertificateNotYetValid(CertRole::Leaf))
			);
			assert_eq!(
				verify(base.bytes, AWS_ROOTS, not_after + 1),
				Err(NitroError::CertificateExpired(CertRole::Leaf))
			);
		}

		#[test]
		fn the_eternis_invalid_document_for_its_signature() {
			let v =
				fixture("negative/eternis-remote-attestation-verifier__invalid_attestation.b64");
			assert_eq!(verify_at_own_time(v), Err(NitroError::BadSignature));
		}

		#[test]
		fn the_marlin_mock_documents_under_the_aws_root() {
			let negatives = vectors_under("negative/marlin");
			assert_eq!(negatives.len(), 2);
			for v in negatives {
				assert_eq!(v.expected["expected_under_aws_root"], "FAIL");
				assert_eq!(
					verify(v.bytes, AWS_ROOTS, v.timestamp_ms()),
					Err(NitroError::UntrustedRoot),
					"{}",
					v.file
				);
			}
		}

		#[test]
		fn every_external_negative() {
			for v in vectors_under("negative/") {
				let err = verify(v.bytes, AWS_ROOTS, v.timestamp_ms()).unwrap_err();
				assert_eq!(err.class(), ErrorClass::Invalid, "{}", v.file);
			}
		}

		#[test]
		fn an_empty_trusted_set() {
			let base = base();
			assert_eq!(
				verify(base.bytes, &[], base.timestamp_ms()),
				Err(NitroError::UntrustedRoot)
			);
		}

		#[test]
		fn a_trusted_set_holding_only_another_root() {
			let base = base();
			assert_eq!(
				verify(base.bytes, &[marlin_root()], base.timestamp_ms()),
				Err(NitroError::UntrustedRoot)
			);
		}

		#[test]
		fn too_many_trusted_roots() {
			let base = base();
			let roots = [AWS_NITRO_ROOT_G1_FINGERPRINT; crate::limits::MAX_TRUSTED_ROOTS + 1];
			assert_eq!(
				verify(base.bytes, &roots, base.timestamp_ms()),
				Err(NitroError::FieldTooLarge("trusted roots"))
			);
		}

		#[test]
		fn a_flipped_signature_byte_in_every_real_document() {
			for v in vectors_under("docs/") {
				let sig = parse(v.bytes).unwrap().cose.signature;
				for at in [0, 47, 48, 95] {
					let at = offset_in(v.bytes, sig) + at;
					assert_eq!(
						verify(&flip(v.bytes, at), AWS_ROOTS, v.timestamp_ms()),
						Err(NitroError::BadSignature),
						"{}",
						v.file
					);
				}
			}
		}

		#[test]
		fn a_flipped_pcr_byte_in_every_real_document() {
			for v in vectors_under("docs/") {
				let pcr0 = parse(v.bytes).unwrap().document.pcrs[&0];
				let at = offset_in(v.bytes, pcr0) + 5;
				assert_eq!(
					verify(&flip(v.bytes, at), AWS_ROOTS, v.timestamp_ms()),
					Err(NitroError::BadSignature),
					"{}",
					v.file
				);
			}
		}

		#[test]
		fn a_flipped_module_id_or_timestamp_byte() {
			let base = base();
			let p = parse(base.bytes).unwrap();
			let at = offset_in(base.bytes, p.document.module_id.as_bytes()) + 3;
			assert_eq!(
				verify(&flip(base.bytes, at), AWS_ROOTS, base.timestamp_ms()),
				Err(NitroError::BadSignature)
			);
			let ts = verify_edited(|d| {
				d.set("timestamp", Field::Uint(base.timestamp_ms() + 1));
			});
			assert_eq!(ts, Err(NitroError::BadSignature));
		}

		#[test]
		fn the_same_payload_reencoded_as_an_indefinite_map() {
			assert_eq!(verify_edited(|d| d.indefinite_map = true), Err(NitroError::BadSignature));
		}

		#[test]
		fn a_leaf_from_another_instance() {
			let other = fixture("docs/tkhq-qos__mock_attestation_doc.cbor");
			let leaf = parse(other).unwrap().document.certificate.to_vec();
			assert_eq!(
				verify_edited(|d| {
					d.set("certificate", Field::Bytes(leaf));
				}),
				Err(NitroError::ChainBroken(CertRole::Leaf))
			);
		}

		#[test]
		fn a_signature_from_another_document_signed_by_the_same_leaf() {
			// Two documents of one enclave, 5 minutes apart, share the CA bundle and even the
			// leaf certificate (the NSM reuses its ~3 h leaf): only the signature binds a payload.
			let first = fixture("docs/marlin-oyster-attestation-verifier__attestation.bin");
			let second = fixture("docs/marlin-oyster-attestation-verifier__attestation.hex");
			let (p1, p2) = (parse(first).unwrap(), parse(second).unwrap());
			assert_eq!(p1.document.cabundle, p2.document.cabundle);
			assert_eq!(p1.document.certificate, p2.document.certificate);
			assert_ne!(p1.cose.payload, p2.cose.payload);
			let mut doc = Editable::from(second);
			doc.signature = p1.cose.signature.to_vec();
			assert_eq!(
				verify(&doc.encode(), AWS_ROOTS, p2.document.timestamp_ms),
				Err(NitroError::BadSignature)
			);
			assert!(verify(&Editable::from(second).encode(), AWS_ROOTS, p2.document.timestamp_ms)
				.is_ok());
		}

		#[test]
		fn a_flipped_byte_in_a_certificate_signature() {
			// The last byte of each certificate lies in its signature's `s` value.
			let base = base();
			let p = parse(base.bytes).unwrap();
			let cases = [
				(p.document.certificate, CertRole::Leaf),
				(p.document.cabundle[3], CertRole::Intermediate(3)),
				(p.document.cabundle[2], CertRole::Intermediate(2)),
				(p.document.cabundle[1], CertRole::Intermediate(1)),
			];
			for (cert, role) in cases {
				let at = offset_in(base.bytes, cert) + cert.len() - 1;
				assert_eq!(
					verify(&flip(base.bytes, at), AWS_ROOTS, base.timestamp_ms()),
					Err(NitroError::ChainBroken(role)),
					"{role}"
				);
			}
		}

		#[test]
		fn a_flipped_byte_in_the_root_copy() {
			let base = base();
			let root = parse(base.bytes).unwrap().document.cabundle[0];
			let at = offset_in(base.bytes, root) + root.len() - 1;
			assert_eq!(
				verify(&flip(base.bytes, at), AWS_ROOTS, base.timestamp_ms()),
				Err(NitroError::UntrustedRoot)
			);
		}

		#[test]
		fn an_emptied_cabundle() {
			assert_eq!(
				verify_edited(|d| d.cabundle().clear()),
				Err(NitroError::InvalidField("cabundle"))
			);
		}

		#[test]
		fn a_reversed_cabundle() {
			assert_eq!(verify_edited(|d| d.cabundle().reverse()), Err(NitroError::UntrustedRoot));
		}

		#[test]
		fn a_cabundle_with_two_intermediates_swapped() {
			assert_eq!(
				verify_edited(|d| d.cabundle().swap(1, 2)),
				Err(NitroError::ChainBroken(CertRole::Intermediate(3)))
			);
		}

		#[test]
		fn a_cabundle_missing_an_intermediate() {
			assert_eq!(
				verify_edited(|d| {
					d.cabundle().remove(2);
				}),
				Err(NitroError::ChainBroken(CertRole::Intermediate(2)))
			);
		}

		#[test]
		fn a_cabundle_without_the_root_copy() {
			assert_eq!(
				verify_edited(|d| {
					d.cabundle().remove(0);
				}),
				Err(NitroError::UntrustedRoot)
			);
		}

		#[test]
		fn a_cabundle_of_nine_certificates() {
			assert_eq!(
				verify_edited(|d| {
					let extra = d.cabundle()[1].clone();
					d.cabundle().extend(vec![extra; 5]);
				}),
				Err(NitroError::FieldTooLarge("cabundle"))
			);
		}

		#[test]
		fn a_certificate_that_is_not_der() {
			assert_eq!(
				verify_edited(|d| {
					d.set("certificate", Field::Bytes(vec![0x30, 0x03, 0x02, 0x01, 0x01]));
				}),
				Err(NitroError::CertificateParse(CertRole::Leaf))
			);
		}

		#[test]
		fn a_certificate_over_the_size_limit() {
			assert_eq!(
				verify_edited(|d| {
					d.set("certificate", Field::Bytes(vec![0x30; crate::limits::MAX_CERT_LEN + 1]));
				}),
				Err(NitroError::FieldTooLarge("certificate"))
			);
		}

		#[test]
		fn an_intermediate_used_as_leaf() {
			// The instance CA signs nothing here; as a leaf it is a CA, which a leaf must not be.
			assert_eq!(
				verify_edited(|d| {
					let instance = d.cabundle().pop().unwrap();
					d.set("certificate", Field::Bytes(instance));
				}),
				Err(NitroError::NotACa(CertRole::Leaf))
			);
		}
	}

	mod rejects_the_envelope {
		use super::*;

		#[test]
		fn an_es256_protected_header() {
			assert_eq!(
				verify_edited(|d| d.protected = vec![0xa1, 0x01, 0x26]),
				Err(NitroError::UnsupportedAlgorithm)
			);
		}

		#[test]
		fn a_text_algorithm() {
			assert_eq!(
				verify_edited(
					|d| d.protected = vec![0xa1, 0x01, 0x65, b'E', b'S', b'3', b'8', b'4']
				),
				Err(NitroError::UnsupportedAlgorithm)
			);
		}

		#[test]
		fn a_protected_header_with_an_extra_parameter() {
			assert_eq!(
				verify_edited(|d| d.protected = vec![0xa2, 0x01, 0x38, 0x22, 0x04, 0x40]),
				Err(NitroError::MalformedCose)
			);
		}

		#[test]
		fn an_empty_protected_header() {
			assert_eq!(verify_edited(|d| d.protected.clear()), Err(NitroError::MalformedCose));
			assert_eq!(verify_edited(|d| d.protected = vec![0xa0]), Err(NitroError::MalformedCose));
		}

		#[test]
		fn a_non_empty_unprotected_header() {
			assert_eq!(
				verify_edited(|d| d.unprotected = vec![0xa1, 0x04, 0x40]),
				Err(NitroError::MalformedCose)
			);
		}

		#[test]
		fn a_signature_of_the_wrong_length() {
			assert_eq!(verify_edited(|d| d.signature.truncate(64)), Err(NitroError::MalformedCose));
		}

		#[test]
		fn a_zero_signature() {
			assert_eq!(verify_edited(|d| d.signature = vec![0; 96]), Err(NitroError::BadSignature));
		}

		#[test]
		fn another_tag_than_18() {
			let base = base();
			let mut tagged = vec![0xd1];
			tagged.extend_from_slice(base.bytes);
			assert_eq!(
				verify(&tagged, AWS_ROOTS, base.timestamp_ms()),
				Err(NitroError::MalformedCose)
			);
		}

		#[test]
		fn a_map_instead_of_an_array() {
			assert_eq!(verify(&[0xa0], AWS_ROOTS, 1), Err(NitroError::MalformedCose));
		}

		#[test]
		fn a_three_element_array() {
			let base = base();
			let mut three = base.bytes.to_vec();
			three[0] = 0x83;
			// The signature is no longer part of the array.
			assert_eq!(verify(&three, AWS_ROOTS, 1), Err(NitroError::MalformedCose));
		}

		#[test]
		fn a_document_truncated_at_any_length() {
			let base = base();
			for len in 0..base.bytes.len() {
				assert_eq!(
					verify(&base.bytes[..len], AWS_ROOTS, base.timestamp_ms()),
					Err(NitroError::MalformedCbor),
					"truncated at {len}"
				);
			}
		}

		#[test]
		fn a_trailing_byte() {
			let base = base();
			let mut long = base.bytes.to_vec();
			long.push(0x00);
			assert_eq!(
				verify(&long, AWS_ROOTS, base.timestamp_ms()),
				Err(NitroError::MalformedCbor)
			);
		}

		#[test]
		fn an_oversized_document() {
			let base = base();
			let mut long = base.bytes.to_vec();
			long.resize(crate::limits::MAX_DOCUMENT_LEN + 1, 0);
			assert_eq!(
				verify(&long, AWS_ROOTS, base.timestamp_ms()),
				Err(NitroError::FieldTooLarge("document"))
			);
		}

		#[test]
		fn deeply_nested_cbor_without_recursing() {
			let mut nested = vec![0x81; 20_000];
			nested.push(0x00);
			assert_eq!(verify(&nested, AWS_ROOTS, 1), Err(NitroError::FieldTooLarge("document")));
			nested.truncate(crate::limits::MAX_DOCUMENT_LEN);
			assert_eq!(verify(&nested, AWS_ROOTS, 1), Err(NitroError::MalformedCose));
			let mut indefinite = vec![0x9f; 10_000];
			indefinite.extend(vec![0xff; 10]);
			assert_eq!(verify(&indefinite, AWS_ROOTS, 1), Err(NitroError::MalformedCose));
		}

		#[test]
		fn a_payload_field_that_is_deeply_nested() {
			let mut nested = vec![0x81; 8_000];
			nested.push(0x00);
			assert_eq!(
				verify_edited(|d| {
					d.set("pcrs", Field::Raw(nested));
				}),
				Err(NitroError::InvalidField("pcrs"))
			);
		}
	}

	mod rejects_the_payload {
		use super::*;

		#[test]
		fn a_missing_required_field() {
			for name in ["module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle"] {
				assert_eq!(
					verify_edited(|d| {
						d.remove(name);
					}),
					Err(NitroError::MissingField(name)),
					"{name}"
				);
			}
		}

		#[test]
		fn a_duplicate_field() {
			assert_eq!(
				verify_edited(|d| d.entries.push(("nonce".into(), Field::Null))),
				Err(NitroError::DuplicateField("nonce"))
			);
		}

		#[test]
		fn an_unknown_field() {
			assert_eq!(
				verify_edited(|d| {
					d.set("extra", Field::Null);
				}),
				Err(NitroError::UnknownField)
			);
		}

		#[test]
		fn a_sha256_digest() {
			assert_eq!(
				verify_edited(|d| {
					d.set("digest", Field::Text("SHA256".into()));
				}),
				Err(NitroError::UnsupportedDigest)
			);
		}

		#[test]
		fn a_digest_that_is_not_text() {
			assert_eq!(
				verify_edited(|d| {
					d.set("digest", Field::Uint(384));
				}),
				Err(NitroError::InvalidField("digest"))
			);
		}

		#[test]
		fn a_zero_or_textual_timestamp() {
			assert_eq!(
				verify_edited(|d| {
					d.set("timestamp", Field::Uint(0));
				}),
				Err(NitroError::InvalidField("timestamp"))
			);
			assert_eq!(
				verify_edited(|d| {
					d.set("timestamp", Field::Text("1734075478960".into()));
				}),
				Err(NitroError::InvalidField("timestamp"))
			);
		}

		#[test]
		fn an_empty_module_id() {
			assert_eq!(
				verify_edited(|d| {
					d.set("module_id", Field::Text("".into()));
				}),
				Err(NitroError::InvalidField("module_id"))
			);
		}

		#[test]
		fn a_pcr_of_the_wrong_length() {
			for len in [0, 20, 47, 49, 96] {
				assert_eq!(
					verify_edited(|d| d.pcrs()[3].1 = vec![7; len]),
					Err(NitroError::InvalidField("pcrs")),
					"{len}"
				);
			}
		}

		/// AWS's format allows 32 and 64 bytes too, but the NSM reports every PCR with the
		/// document's digest (SHA384, 48 bytes): such a PCR is refused as malformed before any
		/// signature is checked (a signed one too: `veritas-attester`'s
		/// `point9_a_signed_document_with_a_32_byte_pcr_is_refused`).
		#[test]
		fn a_pcr_of_another_allowed_length_than_the_digest_s() {
			for len in [32u8, 64] {
				let refused = verify_edited(|d| d.pcrs()[3].1 = vec![7; len as usize]);
				assert_eq!(refused, Err(NitroError::PcrLength { index: 3, len }));
				assert_eq!(NitroError::PcrLength { index: 3, len }.class(), ErrorClass::Malformed);
			}
		}

		#[test]
		fn a_pcr_index_above_31() {
			assert_eq!(
				verify_edited(|d| d.pcrs()[15].0 = 32),
				Err(NitroError::InvalidField("pcrs"))
			);
		}

		#[test]
		fn a_duplicate_pcr_index() {
			assert_eq!(
				verify_edited(|d| d.pcrs()[15].0 = 0),
				Err(NitroError::DuplicateField("pcrs"))
			);
		}

		#[test]
		fn no_pcrs_or_too_many() {
			assert_eq!(verify_edited(|d| d.pcrs().clear()), Err(NitroError::InvalidField("pcrs")));
			assert_eq!(
				verify_edited(|d| {
					let pcrs = d.pcrs();
					*pcrs = (0..33).map(|i| (i, vec![0; 48])).collect();
				}),
				Err(NitroError::FieldTooLarge("pcrs"))
			);
		}

		#[test]
		fn optional_fields_over_1024_bytes() {
			for name in ["public_key", "user_data", "nonce"] {
				assert_eq!(
					verify_edited(|d| {
						d.set(name, Field::Bytes(vec![1; 1025]));
					}),
					Err(NitroError::FieldTooLarge(name)),
					"{name}"
				);
				// Exactly 1024 bytes is well-formed: only the signature fails.
				assert_eq!(
					verify_edited(|d| {
						d.set(name, Field::Bytes(vec![1; 1024]));
					}),
					Err(NitroError::BadSignature),
					"{name}"
				);
			}
		}

		#[test]
		fn an_optional_field_of_the_wrong_type() {
			assert_eq!(
				verify_edited(|d| {
					d.set("nonce", Field::Text("abc".into()));
				}),
				Err(NitroError::InvalidField("nonce"))
			);
		}

		#[test]
		fn a_cabundle_that_is_not_an_array() {
			assert_eq!(
				verify_edited(|d| {
					d.set("cabundle", Field::Bytes(vec![0x30]));
				}),
				Err(NitroError::InvalidField("cabundle"))
			);
		}
	}

	mod never_panics {
		use super::*;

		#[test]
		fn on_any_single_bit_flip_of_a_real_document() {
			// Every 7th byte of one document, each flip verified at the document's time: nothing
			// may panic, and nothing may be accepted.
			let base = base();
			for at in (0..base.bytes.len()).step_by(7) {
				let r = verify(&flip(base.bytes, at), AWS_ROOTS, base.timestamp_ms());
				assert!(r.is_err(), "flip at {at} accepted");
			}
		}

		#[test]
		fn on_short_arbitrary_inputs() {
			let mut seed = 0x2545_f491_4f6c_dd1d_u64;
			for len in 0..300 {
				let bytes: Vec<u8> = (0..len)
					.map(|_| {
						seed ^= seed << 13;
						seed ^= seed >> 7;
						seed ^= seed << 17;
						seed as u8
					})
					.collect();
				assert!(verify(&bytes, AWS_ROOTS, 1).is_err());
			}
		}
	}
}

mod errors {
	use super::*;

	#[test]
	fn classify_shape_failures_as_malformed_and_trust_failures_as_invalid() {
		for e in [
			NitroError::MalformedCbor,
			NitroError::MalformedCose,
			NitroError::UnsupportedAlgorithm,
			NitroError::MissingField("pcrs"),
			NitroError::FieldTooLarge("document"),
			NitroError::UnsupportedDigest,
			NitroError::CertificateParse(CertRole::Leaf),
		] {
			assert_eq!(e.class(), ErrorClass::Malformed, "{e}");
			assert_eq!(e.exit_code(), 2);
		}
		for e in [
			NitroError::BadSignature,
			NitroError::ChainBroken(CertRole::Leaf),
			NitroError::CertificateExpired(CertRole::Leaf),
			NitroError::UntrustedRoot,
			NitroError::NotACa(CertRole::Intermediate(1)),
			NitroError::PcrMismatch(0),
			NitroError::DebugEnclave,
		] {
			assert_eq!(e.class(), ErrorClass::Invalid, "{e}");
			assert_eq!(e.exit_code(), 1);
		}
	}

	#[test]
	fn name_the_failed_check_in_their_message() {
		assert_eq!(
			NitroError::CertificateExpired(CertRole::Leaf).to_string(),
			"leaf certificate: expired at the verification time"
		);
		assert_eq!(NitroError::MissingField("pcrs").to_string(), "missing field `pcrs`");
	}
}

mod policy {
	use super::*;
	use crate::{check_measurement, check_measurement_with, is_debug_mode, Measurement};

	fn measurement_of(v: &Vector) -> Measurement {
		let pcr =
			|i: u8| -> [u8; 48] { unhex(v.str(&alloc::format!("pcr{i}"))).try_into().unwrap() };
		Measurement { pcr0: pcr(0), pcr1: pcr(1), pcr2: pcr(2), pcr8: None }
	}

	#[test]
	fn flag_exactly_the_debug_mode_documents() {
		let mut debug = 0;
		for v in vectors_under("docs/") {
			let claims = verify(v.bytes, AWS_ROOTS, v.timestamp_ms()).unwrap();
			let zero = v.str("pcr0").bytes().all(|c| c == b'0');
			assert_eq!(is_debug_mode(&claims), zero, "{}", v.file);
			debug += usize::from(zero);
		}
		assert_eq!(debug, 8);
	}

	#[test]
	fn accept_a_document_matching_its_measurement() {
		for v in vectors_under("docs/") {
			let claims = verify(v.bytes, AWS_ROOTS, v.timestamp_ms()).unwrap();
			let mut expected = measurement_of(&v);
			if expected.is_debug() {
				assert_eq!(check_measurement(&claims, &expected), Err(NitroError::DebugEnclave));
				continue;
			}
			assert_eq!(check_measurement(&claims, &expected), Ok(()), "{}", v.file);
			expected.pcr8 = Some(unhex(v.str("pcr8")).try_into().unwrap());
			assert_eq!(check_measurement(&claims, &expected), Ok(()), "{}", v.file);
		}
	}

	/// A debug measurement (development chains) accepts the real debug-mode documents whose
	/// PCRs it names, and still compares PCR8 when it pins one: the one rule the chain and
	/// `veritas result --verify` share.
	#[test]
	fn accept_debug_documents_only_where_allowed_and_still_compare_pcr8() {
		let mut debug = 0;
		for v in vectors_under("docs/") {
			let claims = verify(v.bytes, AWS_ROOTS, v.timestamp_ms()).unwrap();
			if !is_debug_mode(&claims) {
				continue;
			}
			debug += 1;
			let mut expected = measurement_of(&v);
			assert_eq!(check_measurement_with(&claims, &expected, true), Ok(()), "{}", v.file);
			assert_eq!(
				check_measurement_with(&claims, &expected, false),
				Err(NitroError::DebugEnclave)
			);
			expected.pcr8 = Some([9; 48]);
			assert_eq!(
				check_measurement_with(&claims, &expected, true),
				Err(NitroError::PcrMismatch(8)),
				"{}",
				v.file
			);
		}
		assert_eq!(debug, 8);
	}

	#[test]
	fn reject_a_document_differing_in_one_pcr() {
		let base = base();
		let claims = verify(base.bytes, AWS_ROOTS, base.timestamp_ms()).unwrap();
		let good = measurement_of(&base);
		let mut m = good.clone();
		m.pcr1[0] ^= 1;
		assert_eq!(check_measurement(&claims, &m), Err(NitroError::PcrMismatch(1)));
		let mut m = good.clone();
		m.pcr2[47] ^= 1;
		assert_eq!(check_measurement(&claims, &m), Err(NitroError::PcrMismatch(2)));
		let mut m = good;
		m.pcr8 = Some([9; 48]);
		assert_eq!(check_measurement(&claims, &m), Err(NitroError::PcrMismatch(8)));
	}

	#[test]
	fn reject_a_document_missing_a_pinned_pcr() {
		let base = base();
		let mut claims = verify(base.bytes, AWS_ROOTS, base.timestamp_ms()).unwrap();
		claims.pcrs.remove(&8);
		let mut m = measurement_of(&base);
		m.pcr8 = Some([0; 48]);
		assert_eq!(check_measurement(&claims, &m), Err(NitroError::PcrMissing(8)));
	}
}
