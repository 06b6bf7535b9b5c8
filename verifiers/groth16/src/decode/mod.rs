//! Decoders for the encodings other tools write. Each produces the canonical [`crate::types`],
//! after full validation.
//!
//! - [`arkworks`]: `CanonicalSerialize` of `ark_groth16` types, compressed or uncompressed.
//! - [`snarkjs`]: snarkjs/circom `verification_key.json`, `proof.json` and `public.json`.
//! - [`gnark`]: gnark's binary verifying key (`WriteTo`) and proof (`WriteRawTo`).
//! - [`gnark_json`]: gnark's structs as Go's `encoding/json` writes them.

pub mod arkworks;
pub mod gnark;
pub mod gnark_json;
pub mod snarkjs;

use alloc::vec::Vec;

use crate::{
	error::Groth16Error,
	types::{PublicInputs, Scalar},
	validate, MAX_JSON_LEN, MAX_PUBLIC_INPUTS,
};

/// Public inputs as a JSON array of decimal (or `0x` hex) strings: snarkjs' `public.json`, the
/// form the CLI takes whatever the format of the key and proof. Each must be < r.
pub fn public_inputs_json(json: &[u8]) -> Result<PublicInputs, Groth16Error> {
	let strings: Vec<alloc::string::String> = parse_json(json, crate::Part::Inputs)?;
	public_inputs_from_strs(strings.iter().map(|s| s.as_str()), strings.len())
}

pub(crate) fn public_inputs_from_strs<'a>(
	strs: impl Iterator<Item = &'a str>,
	count: usize,
) -> Result<PublicInputs, Groth16Error> {
	if count > MAX_PUBLIC_INPUTS {
		return Err(Groth16Error::TooManyInputs);
	}
	let scalars = strs.map(validate::scalar_from_str).collect::<Result<Vec<Scalar>, _>>()?;
	PublicInputs::from_scalars(scalars)
}

/// Parses a JSON document of bounded size.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
	json: &[u8],
	part: crate::Part,
) -> Result<T, Groth16Error> {
	if json.len() > MAX_JSON_LEN {
		return Err(Groth16Error::WrongLength { expected: MAX_JSON_LEN, actual: json.len() });
	}
	serde_json::from_slice(json).map_err(|_| Groth16Error::MalformedJson(part))
}

/// A bounds-checked reader over a byte slice.
pub(crate) struct Reader<'a> {
	bytes: &'a [u8],
	pos: usize,
}

impl<'a> Reader<'a> {
	pub(crate) fn new(bytes: &'a [u8]) -> Self {
		Self { bytes, pos: 0 }
	}

	/// The next `n` bytes; `WrongLength` (with `expected` the length needed so far) if absent.
	pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Groth16Error> {
		let end = self
			.pos
			.checked_add(n)
			.ok_or(Groth16Error::WrongLength { expected: usize::MAX, actual: self.bytes.len() })?;
		let out = self
			.bytes
			.get(self.pos..end)
			.ok_or(Groth16Error::WrongLength { expected: end, actual: self.bytes.len() })?;
		self.pos = end;
		Ok(out)
	}

	pub(crate) fn take_array<const N: usize>(&mut self) -> Result<[u8; N], Groth16Error> {
		let mut out = [0u8; N];
		out.copy_from_slice(self.take(N)?);
		Ok(out)
	}

	pub(crate) fn remaining(&self) -> usize {
		self.bytes.len() - self.pos
	}

	pub(crate) fn total(&self) -> usize {
		self.bytes.len()
	}

	pub(crate) fn position(&self) -> usize {
		self.pos
	}
}
