//! arkworks' `CanonicalSerialize` encoding of `ark_groth16::{VerifyingKey, Proof}` over BN254 and
//! of `Vec<Fr>`, compressed or uncompressed.
//!
//! Layout: points in order (key: α, β, γ, δ, then `IC` as a `Vec`: u64 little-endian length and
//! the points; proof: A, B, C). The length prefix is bounded before anything is allocated, and the
//! input must be consumed exactly.

use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr};
use ark_serialize::{CanonicalSerialize, Compress};

use crate::{
	decode::Reader,
	error::{Groth16Error, Part},
	types::{Proof, PublicInputs, VerifyingKey},
	validate, MAX_IC_LEN, MAX_PUBLIC_INPUTS,
};

pub use ark_serialize::Compress as Compression;

fn sizes(compress: Compress) -> (usize, usize) {
	match compress {
		Compress::Yes => (32, 64),
		Compress::No => (64, 128),
	}
}

fn len_prefix(r: &mut Reader<'_>, max: usize) -> Result<usize, Groth16Error> {
	let n = u64::from_le_bytes(r.take_array::<8>()?);
	if n > max as u64 {
		return Err(Groth16Error::TooManyInputs);
	}
	Ok(n as usize)
}

fn exact_end(r: &Reader<'_>, expected: usize) -> Result<(), Groth16Error> {
	if r.total() != expected {
		return Err(Groth16Error::WrongLength { expected, actual: r.total() });
	}
	Ok(())
}

/// Decodes and validates a verifying key.
pub fn verifying_key(bytes: &[u8], compress: Compress) -> Result<VerifyingKey, Groth16Error> {
	let part = Part::VerifyingKey;
	let (g1, g2) = sizes(compress);
	let mut r = Reader::new(bytes);
	let alpha = r.take(g1)?;
	let beta = r.take(g2)?;
	let gamma = r.take(g2)?;
	let delta = r.take(g2)?;
	let n = len_prefix(&mut r, MAX_IC_LEN)?;
	exact_end(&r, r.position() + n * g1)?;
	let vk = ark_groth16::VerifyingKey::<Bn254> {
		alpha_g1: validate::g1_from_ark_bytes(alpha, compress, part)?,
		beta_g2: validate::g2_from_ark_bytes(beta, compress, part)?,
		gamma_g2: validate::g2_from_ark_bytes(gamma, compress, part)?,
		delta_g2: validate::g2_from_ark_bytes(delta, compress, part)?,
		gamma_abc_g1: (0..n)
			.map(|_| validate::g1_from_ark_bytes(r.take(g1)?, compress, part))
			.collect::<Result<_, _>>()?,
	};
	VerifyingKey::from_ark(&vk)
}

/// Decodes and validates a proof.
pub fn proof(bytes: &[u8], compress: Compress) -> Result<Proof, Groth16Error> {
	let part = Part::Proof;
	let (g1, g2) = sizes(compress);
	exact_end(&Reader::new(bytes), 2 * g1 + g2)?;
	let mut r = Reader::new(bytes);
	let proof = ark_groth16::Proof::<Bn254> {
		a: validate::g1_from_ark_bytes(r.take(g1)?, compress, part)?,
		b: validate::g2_from_ark_bytes(r.take(g2)?, compress, part)?,
		c: validate::g1_from_ark_bytes(r.take(g1)?, compress, part)?,
	};
	Proof::from_ark(&proof)
}

/// Decodes public inputs serialized as a `Vec<Fr>` (u64 little-endian length, then 32 bytes
/// little-endian per scalar); each must be < r.
pub fn public_inputs(bytes: &[u8]) -> Result<PublicInputs, Groth16Error> {
	let mut r = Reader::new(bytes);
	let n = len_prefix(&mut r, MAX_PUBLIC_INPUTS)?;
	exact_end(&r, 8 + n * 32)?;
	let xs = (0..n)
		.map(|_| validate::scalar_from_le_bytes(&r.take_array::<32>()?))
		.collect::<Result<Vec<Fr>, _>>()?;
	PublicInputs::from_ark(&xs)
}

fn serialize<T: CanonicalSerialize>(t: &T, compress: Compress) -> Vec<u8> {
	let mut out = Vec::with_capacity(t.serialized_size(compress));
	// Writing into a `Vec` cannot fail.
	let _ = t.serialize_with_mode(&mut out, compress);
	out
}

/// Encodes a verifying key in arkworks' format (after validating it).
pub fn encode_verifying_key(
	vk: &VerifyingKey,
	compress: Compress,
) -> Result<Vec<u8>, Groth16Error> {
	Ok(serialize(&vk.to_ark()?, compress))
}

/// Encodes a proof in arkworks' format (after validating it).
pub fn encode_proof(proof: &Proof, compress: Compress) -> Result<Vec<u8>, Groth16Error> {
	Ok(serialize(&proof.to_ark()?, compress))
}

/// Encodes public inputs as arkworks' `Vec<Fr>`.
pub fn encode_public_inputs(inputs: &PublicInputs) -> Result<Vec<u8>, Groth16Error> {
	Ok(serialize(&inputs.to_ark()?, Compress::No))
}
