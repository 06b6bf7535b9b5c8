//! Batch verification: many proofs under one key, checked with one multi-Miller loop and one
//! final exponentiation.
//!
//! With ρᵢ random, the batch is accepted iff
//! Π e(ρᵢ·Aᵢ, Bᵢ) · e(−(Σ ρᵢ)·α, β) · e(−Σ ρᵢ·Lᵢ, γ) · e(−Σ ρᵢ·Cᵢ, δ) = 1,
//! where Lᵢ = IC₀ + Σⱼ xᵢⱼ·ICⱼ. Σ ρᵢ·Lᵢ is one multi-scalar multiplication over `IC` and Σ ρᵢ·Cᵢ
//! one over the Cᵢ. A batch with one bad proof passes with probability about 2⁻¹²⁸.
//!
//! The ρᵢ are 128-bit values derived from SHA-256 of the whole batch (key id, every proof, every
//! input), so the result is deterministic and a prover cannot choose proofs after seeing them.

use alloc::vec::Vec;
use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ec::CurveGroup;
use ark_ff::{One, Zero};
use codec::Encode;
use sha2::{Digest, Sha256};
use veritas_crypto_host::{Arkworks, Bn254Engine};

use crate::{
	error::Groth16Error,
	types::{Proof, PublicInputs},
	verify::PreparedVerifyingKey,
	MAX_BATCH_SIZE,
};

/// Domain separator of the batch randomness.
const BATCH_DOMAIN: &[u8] = b"veritas/groth16/batch/v1";

/// Verifies every `(proof, inputs)` of `items` under `vk` with plain arkworks
/// ([`batch_verify_with`]).
pub fn batch_verify(
	vk: &PreparedVerifyingKey,
	items: &[(Proof, PublicInputs)],
) -> Result<(), Groth16Error> {
	batch_verify_with::<Arkworks>(vk, items)
}

/// Verifies every `(proof, inputs)` of `items` under `vk`, with the pairing work done by `E`;
/// fails if any one of them is invalid.
///
/// Every proof and input is validated as in [`crate::verify()`] before the pairing check; an error
/// in one item is reported as that error. A batch must hold 1 to [`MAX_BATCH_SIZE`] items.
pub fn batch_verify_with<E: Bn254Engine>(
	vk: &PreparedVerifyingKey,
	items: &[(Proof, PublicInputs)],
) -> Result<(), Groth16Error> {
	if items.is_empty() || items.len() > MAX_BATCH_SIZE {
		return Err(Groth16Error::BadBatchSize);
	}
	for (_, inputs) in items {
		vk.check_input_count(inputs.len())?;
	}
	let mut proofs = Vec::with_capacity(items.len());
	let mut inputs = Vec::with_capacity(items.len());
	for (proof, xs) in items {
		proofs.push(proof.to_ark_with::<E>()?);
		inputs.push(xs.to_ark()?);
	}

	let rhos = randomness(&vk.id, items);
	let n = vk.num_inputs();
	let bad = |_| Groth16Error::InvalidProof;

	// Σ ρᵢ·Lᵢ = (Σ ρᵢ)·IC₀ + Σⱼ (Σ ρᵢ·xᵢⱼ)·ICⱼ.
	let mut ic_scalars = alloc::vec![Fr::zero(); n + 1];
	let mut rho_sum = Fr::zero();
	let mut g1: Vec<G1Affine> = Vec::with_capacity(items.len() + 3);
	let mut g2: Vec<G2Affine> = Vec::with_capacity(items.len() + 3);
	for ((proof, xs), rho) in proofs.iter().zip(&inputs).zip(&rhos) {
		rho_sum += rho;
		ic_scalars[0] += rho;
		for (s, x) in ic_scalars[1..].iter_mut().zip(xs) {
			*s += *rho * x;
		}
		g1.push(E::msm_g1(&[proof.a], &[*rho]).map_err(bad)?.into_affine());
		g2.push(proof.b);
	}
	let l_acc = vk.ic_combination::<E>(&ic_scalars)?;
	let cs: Vec<G1Affine> = proofs.iter().map(|p| p.c).collect();
	let c_acc = E::msm_g1(&cs, &rhos).map_err(bad)?.into_affine();
	let alpha = E::msm_g1(&[vk.vk.alpha_g1], &[-rho_sum]).map_err(bad)?.into_affine();

	let [beta, gamma, delta] = vk.g2_terms();
	g1.extend([alpha, -l_acc, -c_acc]);
	g2.extend([beta, gamma, delta]);
	match E::pairing_product_is_one(&g1, &g2) {
		Ok(true) => Ok(()),
		_ => Err(Groth16Error::InvalidProof),
	}
}

/// The batch's ρᵢ: 128-bit, non-zero, from SHA-256 over the key id and every item.
fn randomness(vk_id: &[u8; 32], items: &[(Proof, PublicInputs)]) -> Vec<Fr> {
	let mut h = Sha256::new();
	h.update(BATCH_DOMAIN);
	h.update(vk_id);
	h.update((items.len() as u32).to_le_bytes());
	for (proof, inputs) in items {
		h.update(proof.encode());
		h.update(inputs.encode());
	}
	let seed: [u8; 32] = h.finalize().into();
	(0..items.len() as u32)
		.map(|i| {
			let d = Sha256::new().chain_update(seed).chain_update(i.to_le_bytes()).finalize();
			let mut b = [0u8; 16];
			b.copy_from_slice(&d[..16]);
			let rho = Fr::from(u128::from_le_bytes(b));
			if rho.is_zero() {
				Fr::one()
			} else {
				rho
			}
		})
		.collect()
}
