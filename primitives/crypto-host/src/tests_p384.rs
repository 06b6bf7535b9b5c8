//! Both P-384 engines agree with each other and with RustCrypto's signer, and refuse malformed
//! keys, signatures and digests with the same typed errors.

use alloc::vec::Vec;
use p384::{
	ecdsa::{signature::hazmat::PrehashSigner, Signature, SigningKey},
	elliptic_curve::sec1::ToEncodedPoint,
};
use sha2::{Digest, Sha384};

use crate::{
	ecdsa_p384::{self, MAX_KEY_LEN, PREHASH_LEN, SIGNATURE_LEN},
	Host, P384Engine, P384Error, RustCrypto,
};

/// The group order n of P-384, big-endian.
const ORDER: [u8; 48] = [
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
	0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

struct Case {
	key: Vec<u8>,
	prehash: [u8; PREHASH_LEN],
	signature: [u8; SIGNATURE_LEN],
}

fn key(seed: u8) -> SigningKey {
	SigningKey::from_slice(&[seed; 48]).unwrap()
}

fn case(seed: u8, message: &[u8], compress: bool) -> Case {
	let signer = key(seed);
	let prehash: [u8; PREHASH_LEN] = Sha384::digest(message).into();
	let signature: Signature = signer.sign_prehash(&prehash).unwrap();
	Case {
		key: signer.verifying_key().as_affine().to_encoded_point(compress).as_bytes().to_vec(),
		prehash,
		signature: signature.to_bytes().as_slice().try_into().unwrap(),
	}
}

/// Runs both engines and requires the same answer.
fn both(
	key: &[u8],
	prehash: &[u8; PREHASH_LEN],
	signature: &[u8; SIGNATURE_LEN],
) -> Result<bool, P384Error> {
	let host = Host::verify_prehash(key, prehash, signature);
	let pure = RustCrypto::verify_prehash(key, prehash, signature);
	assert_eq!(host, pure, "Host and RustCrypto disagree");
	host
}

#[test]
fn accept_valid_signatures_under_uncompressed_and_compressed_keys() {
	for seed in 1..=8 {
		for compress in [false, true] {
			let c = case(seed, &[seed; 100], compress);
			assert_eq!(both(&c.key, &c.prehash, &c.signature), Ok(true));
		}
	}
}

#[test]
fn reject_another_digest_key_or_signature() {
	let c = case(1, b"the document", false);
	let other = case(2, b"another document", false);
	assert_eq!(both(&c.key, &other.prehash, &c.signature), Ok(false));
	assert_eq!(both(&other.key, &c.prehash, &c.signature), Ok(false));
	assert_eq!(both(&c.key, &c.prehash, &other.signature), Ok(false));
	for at in [0, 47, 48, 95] {
		let mut s = c.signature;
		s[at] ^= 1;
		assert_eq!(both(&c.key, &c.prehash, &s), Ok(false), "byte {at} flipped");
	}
	let mut h = c.prehash;
	h[20] ^= 0x80;
	assert_eq!(both(&c.key, &h, &c.signature), Ok(false));
}

#[test]
fn treat_the_high_s_twin_alike_in_both_engines() {
	// ECDSA is malleable: (r, n − s) verifies too. Both engines must agree on it, whatever the
	// answer; callers that need a unique encoding must not identify documents by signature.
	let c = case(3, b"malleable", false);
	let s: &[u8] = &c.signature[48..];
	let mut n_minus_s = [0u8; 48];
	let mut borrow = 0i16;
	for i in (0..48).rev() {
		let d = i16::from(ORDER[i]) - i16::from(s[i]) - borrow;
		borrow = i16::from(d < 0);
		n_minus_s[i] = d.rem_euclid(256) as u8;
	}
	let mut twin = c.signature;
	twin[48..].copy_from_slice(&n_minus_s);
	assert_eq!(both(&c.key, &c.prehash, &twin), Ok(true));
}

#[test]
fn refuse_malformed_keys() {
	let c = case(4, b"keys", false);
	let mut off_curve = c.key.clone();
	off_curve[96] ^= 1;
	let mut bad_tag = c.key.clone();
	bad_tag[0] = 0x05;
	let oversized = [c.key.clone(), alloc::vec![0]].concat();
	assert!(oversized.len() > MAX_KEY_LEN);
	for bad in [&[][..], &[0x00], &c.key[..96], &off_curve, &bad_tag, &oversized, &[0xff; 4096]] {
		assert_eq!(both(bad, &c.prehash, &c.signature), Err(P384Error::MalformedKey));
	}
}

#[test]
fn refuse_zero_or_out_of_range_signature_scalars() {
	let c = case(5, b"scalars", false);
	let mut zero_r = c.signature;
	zero_r[..48].fill(0);
	let mut zero_s = c.signature;
	zero_s[48..].fill(0);
	let mut r_is_n = c.signature;
	r_is_n[..48].copy_from_slice(&ORDER);
	let mut s_is_max = c.signature;
	s_is_max[48..].fill(0xff);
	for bad in [zero_r, zero_s, r_is_n, s_is_max] {
		assert_eq!(both(&c.key, &c.prehash, &bad), Err(P384Error::MalformedSignature));
	}
}

#[test]
fn refuse_wrong_lengths_at_the_byte_interface() {
	let c = case(6, b"lengths", false);
	assert_eq!(ecdsa_p384::verify(&c.key, &c.prehash, &c.signature), Ok(true));
	assert_eq!(
		ecdsa_p384::verify(&c.key, &c.prehash, &c.signature[..95]),
		Err(P384Error::MalformedSignature)
	);
	assert_eq!(
		ecdsa_p384::verify(&c.key, &c.prehash[..47], &c.signature),
		Err(P384Error::MalformedPrehash)
	);
	assert_eq!(
		ecdsa_p384::verify(&c.key, &[c.prehash.as_slice(), &[0]].concat(), &c.signature),
		Err(P384Error::MalformedPrehash)
	);
}
