//! Batch verification: many proofs under one key, checked with one multi-Miller loop and one
//! final exponentiation.
//!
//! With ρᵢ random, the batch is accepted iff
//! Π e(ρᵢ·Aᵢ, Bᵢ) · e(−(Σ ρᵢ)·α, β) · e(Σ ρᵢ·Lᵢ, −γ) · e(Σ ρᵢ·Cᵢ, −δ) = 1,
//! where Lᵢ = IC₀ + Σⱼ xᵢⱼ·ICⱼ. Σ ρᵢ·Lᵢ is one multi-scalar multiplication over `IC`. A batch with
//! one bad proof passes with probability about 2⁻¹²⁸.
//!
//! The ρᵢ are 128-bit values derived from SHA-256 of the whole batch (key id, every proof, every
//! input), so the result is deterministic and a prover cannot choose proofs after seeing them.

use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{
	pairing::{Pairing, PairingOutput},
	CurveGroup, VariableBaseMSM,
};
use ark_ff::{One, Zero};
use codec::Encode;
use sha2::{Digest, Sha256};

use crate::{
	error::Groth16Error,
	types::{Proof, PublicInputs},
	verify::PreparedVerifyingKey,
	MAX_BATCH_SIZE,
};

/// Domain separator of the batch randomness.
const BATCH_DOMAIN: &[u8] = b"veritas/groth16/batch/v1";

/// Verifies every `(proof, inputs)` of `items` under `vk`; fails if any one of them is invalid.
///
/// Every proof and input is validated as in [`crate::verify()`] before the pairing check; an error
/// in one item is reported as that error. A batch must hold 1 to [`MAX_BATCH_SIZE`] items.
pub fn batch_verify(
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
		proofs.push(proof.to_ark()?);
		inputs.push(xs.to_ark()?);
	}

	let rhos = randomness(&vk.id, items);
	let ark_vk = &vk.pvk.vk;
	let n = vk.num_inputs();

	// Σ ρᵢ·Lᵢ = (Σ ρᵢ)·IC₀ + Σⱼ (Σ ρᵢ·xᵢⱼ)·ICⱼ.
	let mut ic_scalars = alloc::vec![Fr::zero(); n + 1];
	let mut rho_sum = Fr::zero();
	let mut c_acc = G1Projective::zero();
	let mut g1: Vec<G1Affine> = Vec::with_capacity(items.len() + 3);
	let mut g2: Vec<<Bn254 as Pairing>::G2Prepared> = Vec::with_capacity(items.len() + 3);
	for ((proof, xs), rho) in proofs.iter().zip(&inputs).zip(&rhos) {
		rho_sum += rho;
		ic_scalars[0] += rho;
		for (s, x) in ic_scalars[1..].iter_mut().zip(xs) {
			*s += *rho * x;
		}
		c_acc += proof.c * rho;
		g1.push((proof.a * rho).into_affine());
		g2.push(proof.b.into());
	}
	let l_acc = G1Projective::msm(&ark_vk.gamma_abc_g1, &ic_scalars)
		.map_err(|_| Groth16Error::InvalidProof)?;

	g1.push((ark_vk.alpha_g1 * -rho_sum).into_affine());
	g2.push(<G2Affine as Into<<Bn254 as Pairing>::G2Prepared>>::into(ark_vk.beta_g2));
	g1.push(l_acc.into_affine());
	g2.push(vk.pvk.gamma_g2_neg_pc.clone());
	g1.push(c_acc.into_affine());
	g2.push(vk.pvk.delta_g2_neg_pc.clone());

	let mlo = Bn254::multi_miller_loop(g1, g2);
	match Bn254::final_exponentiation(mlo) {
		Some(PairingOutput(f)) if f.is_one() => Ok(()),
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
