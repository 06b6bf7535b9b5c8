//! The COSE_Sign1 envelope (RFC 9052 §4.2) as AWS Nitro produces it: ES384, an empty unprotected
//! header, the attestation payload and a raw 96-byte `r‖s` P-384 signature.

use alloc::vec::Vec;

use minicbor::{data::Type, Decoder, Encoder};
use sha2::{Digest, Sha384};
use veritas_crypto_host::P384Engine;

use crate::{
	cbor::{ensure_consumed, field, Entries},
	limits::{MAX_DOCUMENT_LEN, MAX_HEADER_ENTRIES},
	NitroError,
};

/// The CBOR tag of a tagged COSE_Sign1.
const COSE_SIGN1_TAG: u64 = 18;
/// The COSE header label of the algorithm.
const HEADER_ALG: i64 = 1;
/// The COSE algorithm id of ECDSA with SHA-384 (ES384).
const ALG_ES384: i64 = -35;
/// Length of a raw P-384 signature `r‖s`.
const SIGNATURE_LEN: usize = 96;

/// A decoded COSE_Sign1 whose structure and header were checked; its signature is not yet verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoseSign1<'a> {
	/// The serialized protected header (a bstr-wrapped map `{1: -35}`), as signed.
	pub protected: &'a [u8],
	/// The payload bytes, as signed: the CBOR attestation document map.
	pub payload: &'a [u8],
	/// The raw `r‖s` signature (96 bytes).
	pub signature: &'a [u8],
}

impl<'a> CoseSign1<'a> {
	/// Decodes a COSE_Sign1, tagged (18) or untagged, of at most [`MAX_DOCUMENT_LEN`] bytes.
	pub fn decode(bytes: &'a [u8]) -> Result<Self, NitroError> {
		if bytes.len() > MAX_DOCUMENT_LEN {
			return Err(NitroError::FieldTooLarge("document"));
		}
		let mut d = Decoder::new(bytes);
		if d.datatype()? == Type::Tag && d.tag()?.as_u64() != COSE_SIGN1_TAG {
			return Err(NitroError::MalformedCose);
		}
		let mut items = Entries::array(&mut d, 4, "COSE_Sign1").map_err(cose)?;

		next(&mut items, &mut d)?;
		let protected = d.bytes().map_err(cbor_or_cose)?;
		check_protected_header(protected)?;

		next(&mut items, &mut d)?;
		let mut unprotected = Entries::map(&mut d, 0, "unprotected header").map_err(cose)?;
		if unprotected.has_next(&mut d)? {
			return Err(NitroError::MalformedCose);
		}

		next(&mut items, &mut d)?;
		let payload = d.bytes().map_err(cbor_or_cose)?;
		if payload.is_empty() {
			return Err(NitroError::MalformedCose);
		}

		next(&mut items, &mut d)?;
		let signature = d.bytes().map_err(cbor_or_cose)?;
		if signature.len() != SIGNATURE_LEN {
			return Err(NitroError::MalformedCose);
		}

		if items.has_next(&mut d)? {
			return Err(NitroError::MalformedCose);
		}
		ensure_consumed(&d)?;
		Ok(Self { protected, payload, signature })
	}

	/// The bytes the signature covers: `Sig_structure = ["Signature1", protected, h'', payload]`.
	pub fn to_be_signed(&self) -> Result<Vec<u8>, NitroError> {
		let mut e =
			Encoder::new(Vec::with_capacity(self.protected.len() + self.payload.len() + 32));
		e.array(4)
			.and_then(|e| e.str("Signature1"))
			.and_then(|e| e.bytes(self.protected))
			.and_then(|e| e.bytes(&[]))
			.and_then(|e| e.bytes(self.payload))
			.map_err(|_| NitroError::MalformedCose)?;
		Ok(e.into_writer())
	}

	/// Verifies the ES384 signature with `key` (the leaf certificate's key, SEC1), the
	/// arithmetic done by `E`.
	pub fn verify_signature<E: P384Engine>(&self, key: &[u8]) -> Result<(), NitroError> {
		let signature: &[u8; SIGNATURE_LEN] =
			self.signature.try_into().map_err(|_| NitroError::BadSignature)?;
		let prehash = Sha384::digest(self.to_be_signed()?);
		match E::verify_prehash(key, &prehash.into(), signature) {
			Ok(true) => Ok(()),
			Ok(false) | Err(_) => Err(NitroError::BadSignature),
		}
	}
}

/// Requires the protected header to be exactly `{1: -35}` (ES384), nothing else.
fn check_protected_header(protected: &[u8]) -> Result<(), NitroError> {
	if protected.is_empty() {
		// An empty protected header names no algorithm.
		return Err(NitroError::MalformedCose);
	}
	let mut d = Decoder::new(protected);
	let mut entries = Entries::map(&mut d, MAX_HEADER_ENTRIES, "protected header").map_err(cose)?;
	let mut alg = None;
	while entries.has_next(&mut d)? {
		let label = d.i64().map_err(cbor_or_cose)?;
		if label != HEADER_ALG || alg.is_some() {
			return Err(NitroError::MalformedCose);
		}
		// A label that is not an integer (e.g. the text "ES384") is not an algorithm we support.
		alg = Some(field(d.i64(), "alg").map_err(|e| match e {
			NitroError::InvalidField(_) => NitroError::UnsupportedAlgorithm,
			other => other,
		})?);
	}
	ensure_consumed(&d)?;
	match alg {
		Some(ALG_ES384) => Ok(()),
		Some(_) => Err(NitroError::UnsupportedAlgorithm),
		None => Err(NitroError::MalformedCose),
	}
}

/// Requires another element of the COSE array.
fn next(items: &mut Entries, d: &mut Decoder<'_>) -> Result<(), NitroError> {
	if items.has_next(d)? {
		Ok(())
	} else {
		Err(NitroError::MalformedCose)
	}
}

/// A structural error at the COSE level: a wrong type is not COSE; truncation stays bad CBOR.
fn cose(e: NitroError) -> NitroError {
	match e {
		NitroError::InvalidField(_) | NitroError::FieldTooLarge(_) => NitroError::MalformedCose,
		other => other,
	}
}

/// Maps a decoder error: a wrong type is [`NitroError::MalformedCose`], anything else
/// [`NitroError::MalformedCbor`].
fn cbor_or_cose(e: minicbor::decode::Error) -> NitroError {
	if e.is_type_mismatch() {
		NitroError::MalformedCose
	} else {
		NitroError::MalformedCbor
	}
}
