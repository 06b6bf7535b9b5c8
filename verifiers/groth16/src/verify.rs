//! Verification of one proof against a prepared verifying key.

use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr};
use ark_groth16::Groth16;

use crate::{
	error::Groth16Error,
	types::{Proof, PublicInputs, VerifyingKey},
	vk_id, MAX_PUBLIC_INPUTS,
};

/// A validated verifying key, prepared for verification (e(α, β) and −γ, −δ precomputed).
#[derive(Clone, Debug)]
pub struct PreparedVerifyingKey {
	pub(crate) pvk: ark_groth16::PreparedVerifyingKey<Bn254>,
	pub(crate) id: [u8; 32],
}

impl PreparedVerifyingKey {
	/// The id of the key, [`vk_id`].
	pub fn id(&self) -> [u8; 32] {
		self.id
	}

	/// The number of public inputs the key expects.
	pub fn num_inputs(&self) -> usize {
		self.pvk.vk.gamma_abc_g1.len().saturating_sub(1)
	}

	/// The validated arkworks key.
	pub fn ark(&self) -> &ark_groth16::VerifyingKey<Bn254> {
		&self.pvk.vk
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
}

/// Validates `vk` fully and prepares it.
pub fn prepare(vk: &VerifyingKey) -> Result<PreparedVerifyingKey, Groth16Error> {
	let ark = vk.to_ark()?;
	Ok(PreparedVerifyingKey { pvk: ark_groth16::prepare_verifying_key(&ark), id: vk_id(vk) })
}

/// Verifies `proof` for `inputs` under `vk`.
///
/// The input count is checked first, then the proof's points and the inputs are validated, then
/// the pairing equation e(A, B) = e(α, β)·e(Σ xᵢ·ICᵢ, γ)·e(C, δ) is checked.
pub fn verify(
	vk: &PreparedVerifyingKey,
	proof: &Proof,
	inputs: &PublicInputs,
) -> Result<(), Groth16Error> {
	vk.check_input_count(inputs.len())?;
	let proof = proof.to_ark()?;
	let inputs: Vec<Fr> = inputs.to_ark()?;
	match Groth16::<Bn254>::verify_proof(&vk.pvk, &proof, &inputs) {
		Ok(true) => Ok(()),
		_ => Err(Groth16Error::InvalidProof),
	}
}
