//! Verification of one proof against a prepared verifying key.
//!
//! The check is one pairing product, e(A, B) · e(−α, β) · e(−L, γ) · e(−C, δ) = 1 with
//! L = IC₀ + Σ xᵢ·ICᵢ: one multi-scalar multiplication, one multi-Miller loop of four pairs and one
//! final exponentiation, all done by a [`Bn254Engine`] (plain arkworks, or the node's native host
//! functions inside the runtime).

use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr, G1Affine, G2Affine};
use ark_ec::CurveGroup;
use ark_ff::One;
use veritas_crypto_host::{Arkworks, Bn254Engine};

use crate::{
	error::Groth16Error,
	types::{Proof, PublicInputs, VerifyingKey},
	vk_id, MAX_PUBLIC_INPUTS,
};

/// A decoded verifying key, ready for verification, with its id.
///
/// Made by [`prepare`] (which validates the key fully) or [`prepare_validated`] (for keys that
/// were validated before, such as the ones the chain stores).
#[derive(Clone, Debug)]
pub struct PreparedVerifyingKey {
	pub(crate) vk: ark_groth16::VerifyingKey<Bn254>,
	pub(crate) id: [u8; 32],
}

impl PreparedVerifyingKey {
	/// The id of the key, [`vk_id`].
	pub fn id(&self) -> [u8; 32] {
		self.id
	}

	/// The number of public inputs the key expects.
	pub fn num_inputs(&self) -> usize {
		self.vk.gamma_abc_g1.len().saturating_sub(1)
	}

	/// The arkworks key.
	pub fn ark(&self) -> &ark_groth16::VerifyingKey<Bn254> {
		&self.vk
	}

	/// Checks the number of inputs before any curve work.
	pub(crate) fn check_input_count(&self, actual: usize) -> Result<(), Groth16Error> {
		if actual > MAX_PUBLIC_INPUTS {
			return Err(Groth16Error::TooManyInputs);
		}
		let expected = self.num_inputs();
		if actual != expected {
			return Err(Groth16Error::WrongInputCount { expected, actual });
		}
		Ok(())
	}

	/// Σ sⱼ·ICⱼ, one scalar per `IC` entry (the first is 1 for a single proof).
	pub(crate) fn ic_combination<E: Bn254Engine>(
		&self,
		scalars: &[Fr],
	) -> Result<G1Affine, Groth16Error> {
		E::msm_g1(&self.vk.gamma_abc_g1, scalars)
			.map(|p| p.into_affine())
			.map_err(|_| Groth16Error::InvalidProof)
	}

	/// The fixed G2 side of the pairing product: β, γ, δ.
	pub(crate) fn g2_terms(&self) -> [G2Affine; 3] {
		[self.vk.beta_g2, self.vk.gamma_g2, self.vk.delta_g2]
	}
}

/// Validates `vk` fully and prepares it.
pub fn prepare(vk: &VerifyingKey) -> Result<PreparedVerifyingKey, Groth16Error> {
	Ok(PreparedVerifyingKey { vk: vk.to_ark()?, id: vk_id(vk) })
}

/// Prepares a key that was validated before (by [`prepare`] or [`crate::validate`]), without
/// validating it again: only the encoding is decoded. The chain uses it for keys it validated
/// at registration and reads back from its own storage.
///
/// A key that was never validated may verify forged proofs here; never pass one.
pub fn prepare_validated(vk: &VerifyingKey) -> Result<PreparedVerifyingKey, Groth16Error> {
	Ok(PreparedVerifyingKey { vk: vk.to_ark_unvalidated()?, id: vk_id(vk) })
}

/// Verifies `proof` for `inputs` under `vk` with plain arkworks ([`verify_with`]).
pub fn verify(
	vk: &PreparedVerifyingKey,
	proof: &Proof,
	inputs: &PublicInputs,
) -> Result<(), Groth16Error> {
	verify_with::<Arkworks>(vk, proof, inputs)
}

/// Verifies `proof` for `inputs` under `vk`, with the pairing work done by `E`.
///
/// The input count is checked first, then the proof's points and the inputs are validated, then
/// the pairing product is checked.
pub fn verify_with<E: Bn254Engine>(
	vk: &PreparedVerifyingKey,
	proof: &Proof,
	inputs: &PublicInputs,
) -> Result<(), Groth16Error> {
	vk.check_input_count(inputs.len())?;
	let proof = proof.to_ark_with::<E>()?;
	let mut scalars: Vec<Fr> = Vec::with_capacity(inputs.len() + 1);
	scalars.push(Fr::one());
	scalars.extend(inputs.to_ark()?);
	let l = vk.ic_combination::<E>(&scalars)?;
	let [beta, gamma, delta] = vk.g2_terms();
	let g1 = [proof.a, -vk.vk.alpha_g1, -l, -proof.c];
	let g2 = [proof.b, beta, gamma, delta];
	match E::pairing_product_is_one(&g1, &g2) {
		Ok(true) => Ok(()),
		// An engine error here can only come from a point the validation let through; it is not
		// a valid proof either way.
		_ => Err(Groth16Error::InvalidProof),
	}
}
