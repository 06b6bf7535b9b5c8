//! The commitment rule against a circom circuit, and the binding properties of statements and
//! receipt ids.

use alloc::{string::String, vec, vec::Vec};
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use veritas_crypto_host::{Arkworks, Host};

use crate::{
	commitment::{element, elements_of, poseidon_calls, sequence, CHUNK, MAX_ELEMENTS, MAX_RANK},
	*,
};

/// `resources/commitment_vectors.json` (scripts/gen-commitment-vectors.sh), with the salt of the
/// salted ones.
fn all_vectors() -> Vec<(Vec<u32>, Vec<i64>, Option<String>, String)> {
	let doc: serde_json::Value =
		serde_json::from_str(include_str!("../resources/commitment_vectors.json")).unwrap();
	doc["vectors"]
		.as_array()
		.unwrap()
		.iter()
		.map(|v| {
			let shape = v["shape"].as_array().unwrap().iter().map(|d| d.as_u64().unwrap() as u32);
			let values = v["values"].as_array().unwrap().iter();
			(
				shape.collect(),
				values.map(|x| x.as_str().unwrap().parse().unwrap()).collect(),
				v.get("salt").map(|s| s.as_str().unwrap().into()),
				v["commitment"].as_str().unwrap().into(),
			)
		})
		.collect()
}

/// The unsalted vectors.
fn vectors() -> Vec<(Vec<u32>, Vec<i64>, String)> {
	all_vectors()
		.into_iter()
		.filter(|(_, _, salt, _)| salt.is_none())
		.map(|(shape, values, _, c)| (shape, values, c))
		.collect()
}

mod salted {
	use super::*;
	use crate::salt::{salt_from_decimal, salted_with};

	#[test]
	fn reproduces_every_salted_circom_vector_with_both_engines() {
		let mut seen = 0;
		for (shape, values, salt, expected) in all_vectors() {
			let Some(salt) = salt else { continue };
			let salt = salt_from_decimal(&salt).unwrap();
			let plain = commit(&shape, &values).unwrap();
			let pure = salted_with::<Arkworks>(plain, &salt).unwrap();
			assert_eq!(pure, salted_with::<Host>(plain, &salt).unwrap());
			assert_eq!(pure, commit_salted(&shape, &values, &salt).unwrap());
			assert_eq!(pure.to_decimal().unwrap(), expected, "shape {shape:?}");
			seen += 1;
		}
		assert!(seen >= 4, "the salted vectors are there");
	}

	#[test]
	fn salt_zero_is_the_plain_commitment_and_any_other_salt_changes_it() {
		let plain = commit(&[3], &[1i32, 2, 3]).unwrap();
		assert_eq!(salted(plain, &Salt::NONE), Ok(plain));
		let mut small = [0u8; 31];
		small[30] = 1;
		let one = salted(plain, &Salt::from_random(small)).unwrap();
		let two = salted(plain, &Salt::from_random([2; 31])).unwrap();
		assert!(one != plain && two != plain && one != two);
	}

	#[test]
	fn a_salt_above_the_field_is_refused() {
		let plain = commit(&[1], &[0i32]).unwrap();
		assert_eq!(salted(plain, &Salt([0xff; 32])), Err(CommitError::NotCanonical));
	}

	#[test]
	fn the_debug_form_does_not_print_the_salt() {
		let salt = Salt::from_random([0xab; 31]);
		assert_eq!(alloc::format!("{salt:?}"), "Salt(..)");
		assert_eq!(alloc::format!("{:?}", Salt::NONE), "Salt(none)");
	}
}

mod commit {
	use super::*;

	#[test]
	fn reproduces_every_circom_vector_with_both_engines() {
		let vectors = vectors();
		assert!(vectors.len() >= 9);
		for (shape, values, expected) in vectors {
			let pure = commit_with::<Arkworks, i64>(&shape, &values).unwrap();
			let host = commit_with::<Host, i64>(&shape, &values).unwrap();
			assert_eq!(pure, host);
			assert_eq!(pure.to_decimal().unwrap(), expected, "shape {shape:?}");
		}
	}

	#[test]
	fn is_the_same_for_i32_and_i64_values() {
		let values: [i32; 4] = [-2147483648, 2147483647, -1, 0];
		let wide: Vec<i64> = values.iter().map(|&v| v.into()).collect();
		assert_eq!(commit(&[4], &values), commit(&[4], &wide));
	}

	#[test]
	fn depends_on_the_shape_not_only_the_values() {
		let values = [1i32, 2, 3, 4, 5, 6];
		let a = commit(&[6], &values).unwrap();
		let b = commit(&[2, 3], &values).unwrap();
		let c = commit(&[3, 2], &values).unwrap();
		assert!(a != b && b != c && a != c);
	}

	#[test]
	fn distinguishes_a_trailing_zero_from_padding() {
		// [1, 2] pads to [1, 1, 2 | 2? ...]: the shape prefix makes [1, 2] and [1, 2, 0] differ.
		assert_ne!(commit(&[2], &[1i32, 2]), commit(&[3], &[1i32, 2, 0]));
		assert_ne!(commit(&[1], &[0i32]), commit(&[2], &[0i32, 0]));
	}

	#[test]
	fn changes_with_any_single_value() {
		let values: Vec<i32> = (0..20).collect();
		let base = commit(&[20], &values).unwrap();
		for i in 0..values.len() {
			let mut changed = values.clone();
			changed[i] += 1;
			assert_ne!(commit(&[20], &changed).unwrap(), base, "value {i}");
		}
	}

	#[test]
	fn refuses_bad_shapes() {
		assert_eq!(commit(&[3], &[1i32, 2]), Err(CommitError::ShapeMismatch));
		assert_eq!(commit(&[2, 2], &[1i32, 2, 3]), Err(CommitError::ShapeMismatch));
		assert_eq!(commit(&[2, 0], &[] as &[i32]), Err(CommitError::EmptyDimension));
		assert_eq!(commit(&[1; MAX_RANK + 1], &[1i32]), Err(CommitError::RankTooLarge));
		assert_eq!(
			commit(&[u32::MAX, u32::MAX, u32::MAX], &[1i32]),
			Err(CommitError::TooManyElements)
		);
		assert_eq!(elements_of(&[MAX_ELEMENTS as u32]), Ok(MAX_ELEMENTS));
		assert_eq!(elements_of(&[MAX_ELEMENTS as u32 + 1]), Err(CommitError::TooManyElements));
	}

	#[test]
	fn takes_a_scalar_of_rank_zero() {
		assert!(commit(&[], &[7i32]).is_ok());
		assert_eq!(commit(&[], &[] as &[i32]), Err(CommitError::ShapeMismatch));
	}

	#[test]
	fn counts_its_poseidon_calls() {
		assert_eq!(poseidon_calls(1, 1), 1);
		assert_eq!(poseidon_calls(1, 2), 2);
		assert_eq!(poseidon_calls(2, 10), 5);
		assert_eq!(sequence(&[2, 5], &[0i32; 10]).unwrap().len().div_ceil(CHUNK), 5);
	}
}

mod encoding {
	use super::*;

	#[test]
	fn maps_negatives_to_r_minus_their_magnitude() {
		assert_eq!(element(-1), -Fr::from(1u8));
		assert_eq!(element(-5) + Fr::from(5u8), Fr::from(0u8));
		assert_eq!(element(i64::MIN), -Fr::from(1u64 << 63));
		assert_eq!(element(i64::MAX), Fr::from(i64::MAX as u64));
	}

	#[test]
	fn writes_commitments_big_endian_and_round_trips_decimals() {
		let c = Commitment::from_field(Fr::from(0x0102u16));
		assert_eq!(c.0[30..], [1, 2]);
		assert_eq!(c.to_decimal().unwrap(), "258");
		assert_eq!(Commitment::from_decimal("258"), Ok(c));
		for (_, _, expected) in vectors() {
			assert_eq!(
				Commitment::from_decimal(&expected).unwrap().to_decimal().unwrap(),
				expected
			);
		}
	}

	#[test]
	fn refuses_non_canonical_commitments() {
		let r = Fr::MODULUS.to_bytes_be();
		let mut bytes = [0u8; 32];
		bytes.copy_from_slice(&r);
		assert_eq!(Commitment(bytes).to_field(), Err(CommitError::NotCanonical));
		assert_eq!(Commitment([0xff; 32]).to_field(), Err(CommitError::NotCanonical));
		let r_decimal = alloc::format!("{}", Fr::MODULUS);
		for bad in ["", "0258", "-1", "1 ", "abc", r_decimal.as_str()] {
			assert_eq!(Commitment::from_decimal(bad), Err(CommitError::NotCanonical), "{bad:?}");
		}
	}
}

mod statement {
	use super::*;

	fn base() -> SegmentStatement {
		SegmentStatement {
			genesis: [7; 32],
			subject: Subject::Request(42),
			node: [5; 32],
			fee: 300,
			model: 3,
			file_hash: [1; 32],
			model_digest: [2; 32],
			segment: 1,
			c_in: Commitment::from_field(Fr::from(11u8)),
			c_out: Commitment::from_field(Fr::from(12u8)),
		}
	}

	/// Every statement that differs from `base` in exactly one field.
	fn variants() -> Vec<SegmentStatement> {
		let b = base();
		vec![
			SegmentStatement { genesis: [8; 32], ..b },
			SegmentStatement { subject: Subject::Request(43), ..b },
			SegmentStatement { subject: Subject::Direct { node: [0; 32], nonce: 42 }, ..b },
			SegmentStatement { node: [6; 32], ..b },
			SegmentStatement { fee: 301, ..b },
			SegmentStatement { model: 4, ..b },
			SegmentStatement { file_hash: [3; 32], ..b },
			SegmentStatement { model_digest: [4; 32], ..b },
			SegmentStatement { segment: 2, ..b },
			SegmentStatement { c_in: b.c_out, ..b },
			SegmentStatement { c_out: b.c_in, ..b },
		]
	}

	#[test]
	fn prefixes_its_signing_payload_with_the_domain() {
		let payload = base().signing_payload();
		assert!(payload.starts_with(b"veritas/segment/v2"));
		assert_eq!(
			&payload[crate::statement::SEGMENT_DOMAIN.len()..],
			codec::Encode::encode(&base())
		);
	}

	#[test]
	fn binds_every_field_in_the_payload_and_the_user_data() {
		let b = base();
		for v in variants() {
			assert_ne!(v.signing_payload(), b.signing_payload());
			assert_ne!(v.attestation_user_data(), b.attestation_user_data());
		}
	}

	#[test]
	fn binds_everything_but_the_commitments_in_the_binding_input() {
		let b = base();
		let variants = variants();
		for v in &variants[..9] {
			assert_ne!(v.binding(), b.binding());
		}
		for v in &variants[9..] {
			assert_eq!(v.binding(), b.binding());
			assert_ne!(v.zk_public_inputs().unwrap(), b.zk_public_inputs().unwrap());
		}
	}

	/// H1 and H2: the submitting node, its fee and the model's content each change every piece of
	/// evidence (the enclave's payload, the attestation's user data, the proof's binding input).
	#[test]
	fn statement_v2_binds_node_fee_and_model_content() {
		let b = base();
		for v in [
			SegmentStatement { node: [6; 32], ..b },
			SegmentStatement { fee: b.fee + 1, ..b },
			SegmentStatement { file_hash: [3; 32], ..b },
			SegmentStatement { model_digest: [4; 32], ..b },
		] {
			assert_ne!(v.signing_payload(), b.signing_payload());
			assert_ne!(v.attestation_user_data(), b.attestation_user_data());
			assert_ne!(v.binding(), b.binding());
		}
	}

	/// The byte layout of version 2, laid out by hand here (not through the SCALE derive), as an
	/// SDK must: the payload, the attestation's user data and the binding input of one statement.
	#[test]
	fn statement_v2_layout() {
		use sha2::Digest as _;
		let b = base();
		let mut fields = Vec::new();
		fields.extend_from_slice(&[7; 32]); // genesis
		fields.push(0); // Subject::Request
		fields.extend_from_slice(&42u64.to_le_bytes());
		fields.extend_from_slice(&[5; 32]); // node
		fields.extend_from_slice(&300u128.to_le_bytes()); // fee
		fields.extend_from_slice(&3u32.to_le_bytes()); // model
		fields.extend_from_slice(&[1; 32]); // file_hash
		fields.extend_from_slice(&[2; 32]); // model_digest
		let bound = fields.clone();
		fields.push(1); // segment
		fields.extend_from_slice(&b.c_in.0);
		fields.extend_from_slice(&b.c_out.0);
		assert_eq!(b.signing_payload(), [&b"veritas/segment/v2"[..], &fields].concat());
		let user_data: [u8; 32] =
			sha2::Sha256::digest([&b"veritas/segment-attestation/v2"[..], &fields].concat()).into();
		assert_eq!(b.attestation_user_data(), user_data);
		let digest =
			sha2::Sha256::digest([&b"veritas/segment-binding/v2"[..], &bound, &[1u8][..]].concat());
		assert_eq!(b.binding(), Fr::from_be_bytes_mod_order(&digest[..31]));
	}

	/// The model digest covers the content of a manifest, each part of it, and not its name.
	#[test]
	fn model_digest_covers_the_content() {
		use crate::{EvidenceKind, EvidenceSet};
		let seg = |vk: u8| SegmentSpec {
			accepts: EvidenceSet::of(&[EvidenceKind::Zk]),
			vk: Some([vk; 32]),
			measurement: None,
		};
		let d = |file: u8, scale: u32, inp: &[u32], out: &[u32], vk: u8| {
			model_digest(&[file; 32], scale, inp, out, &[seg(vk)], false)
		};
		let base = d(1, 256, &[1, 4], &[1, 2], 9);
		assert_eq!(base, d(1, 256, &[1, 4], &[1, 2], 9));
		for other in [
			d(2, 256, &[1, 4], &[1, 2], 9),
			d(1, 128, &[1, 4], &[1, 2], 9),
			d(1, 256, &[4], &[1, 2], 9),
			d(1, 256, &[1, 4], &[2], 9),
			d(1, 256, &[1, 4], &[1, 2], 8),
			// The shapes' boundary moves: SCALE's length prefixes keep these apart.
			d(1, 256, &[1, 4, 1], &[2], 9),
			// Made with development trust anchors (I1).
			model_digest(&[1; 32], 256, &[1, 4], &[1, 2], &[seg(9)], true),
		] {
			assert_ne!(other, base);
		}
	}

	#[test]
	fn keeps_the_binding_below_2_to_the_248() {
		for v in variants() {
			assert!(v.binding().into_bigint().num_bits() <= 248);
		}
	}

	#[test]
	fn orders_the_public_inputs_c_in_c_out_binding() {
		let b = base();
		assert_eq!(b.zk_public_inputs().unwrap(), [Fr::from(11u8), Fr::from(12u8), b.binding()]);
		let bad = SegmentStatement { c_out: Commitment([0xff; 32]), ..b };
		assert_eq!(bad.zk_public_inputs(), Err(CommitError::NotCanonical));
		let le = b.zk_public_inputs_le().unwrap();
		assert_eq!(le[0][0], 11);
		assert_eq!(le[1][..2], [12, 0]);
		assert_eq!(Fr::from_le_bytes_mod_order(&le[2]), b.binding());
	}
}

mod receipt {
	use super::*;

	#[test]
	fn names_the_statement_and_changes_with_every_part() {
		let c = |x: u8| Commitment::from_field(Fr::from(x));
		let base = receipt_id(&[1; 32], &Subject::Request(1), 5, &[c(1), c(2), c(3)]);
		assert_eq!(base, receipt_id(&[1; 32], &Subject::Request(1), 5, &[c(1), c(2), c(3)]));
		for other in [
			receipt_id(&[2; 32], &Subject::Request(1), 5, &[c(1), c(2), c(3)]),
			receipt_id(&[1; 32], &Subject::Request(2), 5, &[c(1), c(2), c(3)]),
			receipt_id(
				&[1; 32],
				&Subject::Direct { node: [0; 32], nonce: 1 },
				5,
				&[c(1), c(2), c(3)],
			),
			receipt_id(&[1; 32], &Subject::Request(1), 6, &[c(1), c(2), c(3)]),
			receipt_id(&[1; 32], &Subject::Request(1), 5, &[c(1), c(2)]),
			receipt_id(&[1; 32], &Subject::Request(1), 5, &[c(1), c(3), c(2)]),
		] {
			assert_ne!(other, base);
		}
	}
}

mod evidence {
	use super::*;

	#[test]
	fn sets_hold_exactly_their_kinds() {
		let set = EvidenceSet::of(&[EvidenceKind::Tee, EvidenceKind::Zk]);
		assert!(set.is_valid());
		assert_eq!(set.kinds().collect::<Vec<_>>(), [EvidenceKind::Tee, EvidenceKind::Zk]);
		assert!(!set.contains(EvidenceKind::None) && !set.contains(EvidenceKind::TeeAttested));
		assert!(!EvidenceSet(0).is_valid());
		assert!(!EvidenceSet(0x10).is_valid());
		assert!(EvidenceSet(0x0f).is_valid());
	}

	#[test]
	fn reports_its_kind() {
		type E = Evidence<Vec<u8>, Vec<u8>>;
		assert_eq!(E::None.kind(), EvidenceKind::None);
		assert_eq!(E::Tee { key: [0; 32], signature: [0; 64] }.kind(), EvidenceKind::Tee);
		assert_eq!(E::TeeAttested { document: vec![] }.kind(), EvidenceKind::TeeAttested);
		assert_eq!(E::Zk { proof: vec![] }.kind(), EvidenceKind::Zk);
	}
}

#[test]
fn evidence_kinds_have_one_set_of_wire_names() {
	use crate::EvidenceKind;
	// What manifests, policies, the node's API and the SDKs write: pinned.
	let names: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.name()).collect();
	assert_eq!(names, ["none", "tee", "tee_attested", "zk"]);
	for kind in EvidenceKind::ALL {
		assert_eq!(EvidenceKind::from_name(kind.name()), Some(kind));
	}
	for other in ["", "ZK", "Tee", "tee-attested", "sgx", " zk"] {
		assert_eq!(EvidenceKind::from_name(other), None, "{other:?}");
	}
}

#[test]
fn m1_a_measurement_id_is_its_pcrs_content() {
	use sha2::{Digest, Sha256};
	let (p0, p1, p2, p8) = ([1u8; 48], [2u8; 48], [3u8; 48], [8u8; 48]);
	let id = measurement_id(&p0, &p1, &p2, Some(&p8));
	// The rule, written out: the domain, then the four PCRs as SCALE encodes them (arrays raw,
	// the optional PCR8 behind a 0/1 byte).
	let mut pre = crate::measurement::MEASUREMENT_DOMAIN.to_vec();
	pre.extend_from_slice(&p0);
	pre.extend_from_slice(&p1);
	pre.extend_from_slice(&p2);
	pre.push(1);
	pre.extend_from_slice(&p8);
	assert_eq!(id, <[u8; 32]>::from(Sha256::digest(&pre)));
	// Every PCR, and whether PCR8 is pinned, changes the id.
	let mut other = [p0, p1, p2];
	for i in 0..3 {
		other[i][0] ^= 1;
		assert_ne!(measurement_id(&other[0], &other[1], &other[2], Some(&p8)), id, "PCR{i}");
		other[i][0] ^= 1;
	}
	assert_ne!(measurement_id(&p0, &p1, &p2, Some(&[9; 48])), id);
	assert_ne!(measurement_id(&p0, &p1, &p2, None), id);
}
