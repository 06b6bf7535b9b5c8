//! [`Groth16With`], this crate's implementation of the pluggable-verifier contract
//! ([`veritas_verifier_traits::Verifier`]), for the runtime's verifier registry.
//!
//! A thin adapter: keys, proofs and inputs are the canonical [`crate::types`], verification is
//! [`crate::verify_with()`] and [`crate::batch_verify_with()`], and a key's id is [`crate::vk_id`]
//! (so the id the chain gives a key is the one `veritas groth16 vk-id` prints). Errors keep their
//! class: a malformed part maps to the error of that part, a well-formed but wrong proof to
//! [`VerifyError::InvalidProof`].
//!
//! The engine parameter chooses who does the pairing work: [`Groth16`] computes with plain
//! arkworks (in the runtime: the pure-WASM fallback), [`Groth16Host`] calls the node's native
//! host functions (`veritas-crypto-host`). Both give identical answers.

use alloc::{borrow::Cow, vec::Vec};
use core::marker::PhantomData;
use veritas_crypto_host::{Arkworks, Bn254Engine, Host};
use veritas_verifier_traits::{Verifier, VerifyError, Weight, H256};

use crate::{
	batch_verify_with, prepare, prepare_validated, verify_with, vk_id, Groth16Error, Part,
	PreparedVerifyingKey, Proof, PublicInputs, VerifyingKey, MAX_BATCH_SIZE, MAX_PUBLIC_INPUTS,
};

/// Groth16 over BN254, as a [`Verifier`], with the pairing work done by the engine `E`.
pub struct Groth16With<E>(PhantomData<E>);

/// Groth16 with plain arkworks: off-chain tools, and the runtime's pure-WASM fallback.
pub type Groth16 = Groth16With<Arkworks>;

/// Groth16 with the node's native BN254 host functions: the runtime's verifier.
pub type Groth16Host = Groth16With<Host>;

impl From<Groth16Error> for VerifyError {
	fn from(e: Groth16Error) -> Self {
		let by_part = |p: Part| match p {
			Part::VerifyingKey => Self::InvalidVk,
			Part::Proof => Self::InvalidProof,
			Part::Inputs => Self::InvalidInput,
		};
		match e {
			Groth16Error::InvalidProof => Self::InvalidProof,
			Groth16Error::MalformedJson(p)
			| Groth16Error::MalformedBytes(p)
			| Groth16Error::CoordinateNotCanonical(p)
			| Groth16Error::PointNotOnCurve(p)
			| Groth16Error::PointNotInSubgroup(p)
			| Groth16Error::IdentityPoint(p) => by_part(p),
			Groth16Error::WrongLength { .. }
			| Groth16Error::ScalarNotCanonical
			| Groth16Error::WrongInputCount { .. }
			| Groth16Error::TooManyInputs
			| Groth16Error::BadBatchSize => Self::InvalidInput,
			Groth16Error::DegenerateKey => Self::InvalidVk,
			Groth16Error::UnsupportedProtocol | Groth16Error::UnsupportedCommitments => {
				Self::Unsupported
			},
		}
	}
}

impl<E: Bn254Engine> Groth16With<E> {
	fn one(
		pvk: &PreparedVerifyingKey,
		proof: &Proof,
		pubs: &PublicInputs,
	) -> Result<Option<Weight>, VerifyError> {
		verify_with::<E>(pvk, proof, pubs)?;
		Ok(None)
	}

	/// An empty batch verifies trivially; one larger than [`MAX_BATCH_SIZE`] is
	/// [`VerifyError::InvalidInput`].
	fn many(
		vk: &VerifyingKey,
		items: &[(Proof, PublicInputs)],
		prepare: fn(&VerifyingKey) -> Result<PreparedVerifyingKey, Groth16Error>,
	) -> Result<Option<Weight>, VerifyError> {
		if items.is_empty() {
			return Ok(None);
		}
		if items.len() > MAX_BATCH_SIZE {
			return Err(VerifyError::InvalidInput);
		}
		let pvk = prepare(vk).map_err(|_| VerifyError::InvalidVk)?;
		batch_verify_with::<E>(&pvk, items)?;
		Ok(None)
	}
}

impl<E: Bn254Engine> Verifier for Groth16With<E> {
	const CONTEXT: &'static [u8] = b"veritas/groth16/bn254";
	const MAX_INPUTS: u32 = MAX_PUBLIC_INPUTS as u32;
	type Proof = Proof;
	type Pubs = PublicInputs;
	type Vk = VerifyingKey;

	/// Validates `vk` fully, then verifies.
	fn verify(
		vk: &VerifyingKey,
		proof: &Proof,
		pubs: &PublicInputs,
	) -> Result<Option<Weight>, VerifyError> {
		let pvk = prepare(vk).map_err(|_| VerifyError::InvalidVk)?;
		Self::one(&pvk, proof, pubs)
	}

	/// Verifies under a key validated at registration: the key is decoded, not validated again.
	fn verify_validated(
		vk: &VerifyingKey,
		proof: &Proof,
		pubs: &PublicInputs,
	) -> Result<Option<Weight>, VerifyError> {
		let pvk = prepare_validated(vk).map_err(|_| VerifyError::InvalidVk)?;
		Self::one(&pvk, proof, pubs)
	}

	/// One multi-Miller loop and one final exponentiation for the whole batch
	/// ([`crate::batch_verify_with()`]).
	fn verify_batch(
		vk: &VerifyingKey,
		items: &[(Proof, PublicInputs)],
	) -> Result<Option<Weight>, VerifyError> {
		Self::many(vk, items, prepare)
	}

	fn verify_batch_validated(
		vk: &VerifyingKey,
		items: &[(Proof, PublicInputs)],
	) -> Result<Option<Weight>, VerifyError> {
		Self::many(vk, items, prepare_validated)
	}

	fn validate_vk(vk: &VerifyingKey) -> Result<(), VerifyError> {
		prepare(vk).map(|_| ()).map_err(|e| match VerifyError::from(e) {
			// Every failure of a key is a key error, whatever part the decoder blamed.
			VerifyError::Unsupported => VerifyError::Unsupported,
			_ => VerifyError::InvalidVk,
		})
	}

	/// The inputs' 32-byte little-endian scalars, concatenated (no length prefix: the key fixes
	/// the count, and the key id is hashed into the statement next to them).
	fn pubs_bytes(pubs: &PublicInputs) -> Cow<'_, [u8]> {
		let mut out = Vec::with_capacity(pubs.len() * crate::types::SCALAR_LEN);
		for s in pubs.0.iter() {
			out.extend_from_slice(&s.0);
		}
		Cow::Owned(out)
	}

	fn pubs_count(pubs: &PublicInputs) -> u32 {
		pubs.len() as u32
	}

	/// [`crate::vk_id`]: SHA-256 of the key's SCALE encoding, as the CLI computes it.
	fn vk_hash(vk: &VerifyingKey) -> H256 {
		H256(vk_id(vk))
	}
}

/// The same statement with fewer public inputs: a key for the circuit of `vk` in which the inputs
/// after the first `keep` are fixed to their values in `pubs`, and those first `keep` inputs.
///
/// `proof` verifies for `(vk, pubs)` iff it verifies for the returned pair, because the folded
/// inputs move into the key's constant term: `IC'₀ = IC₀ + Σⱼ₍ⱼ>keep₎ xⱼ·ICⱼ`. This gives valid
/// statements of every size from one real proof, which is what benchmarks by input count need.
/// Fails if `keep` exceeds the input count, or if the inputs or key are invalid.
pub fn fold_public_inputs(
	vk: &VerifyingKey,
	pubs: &PublicInputs,
	keep: usize,
) -> Result<(VerifyingKey, PublicInputs), Groth16Error> {
	use ark_ec::{AffineRepr, CurveGroup};

	let mut ark = vk.to_ark()?;
	let xs = pubs.to_ark()?;
	if keep > xs.len() || xs.len() + 1 != ark.gamma_abc_g1.len() {
		return Err(Groth16Error::WrongInputCount {
			expected: ark.gamma_abc_g1.len() - 1,
			actual: keep,
		});
	}
	let mut ic0 = ark.gamma_abc_g1[0].into_group();
	for (x, ic) in xs[keep..].iter().zip(&ark.gamma_abc_g1[keep + 1..]) {
		ic0 += ic.mul_bigint(ark_ff::PrimeField::into_bigint(*x));
	}
	ark.gamma_abc_g1[0] = ic0.into_affine();
	ark.gamma_abc_g1.truncate(keep + 1);
	Ok((VerifyingKey::from_ark(&ark)?, PublicInputs::from_ark(&xs[..keep])?))
}

#[cfg(test)]
mod should {
	use super::*;
	use crate::Groth16Host;
	use crate::{decode::snarkjs, Scalar};
	use veritas_verifier_traits::statement_hash;

	use crate::fixtures::{MANY_INPUTS, MULTIPLIER};

	const MANY_VK: &str = MANY_INPUTS.verification_key;
	const MANY_PROOF: &str = MANY_INPUTS.proof;
	const MANY_PUBLIC: &str = MANY_INPUTS.public;
	const MANY_PUBLIC_WRONG: &str = MANY_INPUTS.public_wrong;
	const MUL_VK: &str = MULTIPLIER.verification_key;
	const MUL_PROOF: &str = MULTIPLIER.proof;
	const MUL_PUBLIC: &str = MULTIPLIER.public;

	/// The 64-input circom statement: key, proof, inputs.
	fn many() -> (VerifyingKey, Proof, PublicInputs) {
		(
			snarkjs::verifying_key(MANY_VK.as_bytes()).expect("fixture key decodes"),
			snarkjs::proof(MANY_PROOF.as_bytes()).expect("fixture proof decodes"),
			snarkjs::public_inputs(MANY_PUBLIC.as_bytes()).expect("fixture inputs decode"),
		)
	}

	fn multiplier() -> (VerifyingKey, Proof, PublicInputs) {
		(
			snarkjs::verifying_key(MUL_VK.as_bytes()).expect("fixture key decodes"),
			snarkjs::proof(MUL_PROOF.as_bytes()).expect("fixture proof decodes"),
			snarkjs::public_inputs(MUL_PUBLIC.as_bytes()).expect("fixture inputs decode"),
		)
	}

	mod accept {
		use super::*;

		#[test]
		fn the_64_input_circom_proof() {
			let (vk, proof, pubs) = many();
			assert_eq!(pubs.len(), 64);
			assert_eq!(Groth16::pubs_count(&pubs), 64);
			assert_eq!(Groth16::verify(&vk, &proof, &pubs), Ok(None));
		}

		#[test]
		fn the_multiplier_proof() {
			let (vk, proof, pubs) = multiplier();
			assert_eq!(Groth16::verify(&vk, &proof, &pubs), Ok(None));
		}

		#[test]
		fn both_registered_keys() {
			assert_eq!(Groth16::validate_vk(&many().0), Ok(()));
			assert_eq!(Groth16::validate_vk(&multiplier().0), Ok(()));
		}

		#[test]
		fn a_batch_of_valid_proofs() {
			let (vk, proof, pubs) = many();
			let items = [(proof, pubs.clone()), (proof, pubs)];
			assert_eq!(Groth16::verify_batch(&vk, &items), Ok(None));
		}

		#[test]
		fn an_empty_batch() {
			assert_eq!(Groth16::verify_batch(&many().0, &[]), Ok(None));
		}
	}

	mod reject {
		use super::*;

		#[test]
		fn wrong_public_inputs_as_an_invalid_proof() {
			let (vk, proof, _) = many();
			let wrong = snarkjs::public_inputs(MANY_PUBLIC_WRONG.as_bytes()).expect("decodes");
			assert_eq!(Groth16::verify(&vk, &proof, &wrong), Err(VerifyError::InvalidProof));
		}

		#[test]
		fn a_proof_under_another_key() {
			let (vk, _, _) = many();
			let (_, proof, pubs) = multiplier();
			// The count is checked before any curve work.
			assert_eq!(Groth16::verify(&vk, &proof, &pubs), Err(VerifyError::InvalidInput));
		}

		#[test]
		fn a_mutated_proof_byte() {
			let (vk, mut proof, pubs) = many();
			proof.a.0[0] ^= 1;
			assert_eq!(Groth16::verify(&vk, &proof, &pubs), Err(VerifyError::InvalidProof));
		}

		#[test]
		fn a_swapped_proof_point_as_an_invalid_proof() {
			let (vk, mut proof, pubs) = many();
			core::mem::swap(&mut proof.a, &mut proof.c);
			assert_eq!(Groth16::verify(&vk, &proof, &pubs), Err(VerifyError::InvalidProof));
		}

		#[test]
		fn a_missing_input() {
			let (vk, proof, mut pubs) = many();
			pubs.0.pop();
			assert_eq!(Groth16::verify(&vk, &proof, &pubs), Err(VerifyError::InvalidInput));
		}

		#[test]
		fn an_input_not_below_r() {
			let (vk, proof, mut pubs) = many();
			pubs.0[0] = Scalar([0xff; 32]);
			assert_eq!(Groth16::verify(&vk, &proof, &pubs), Err(VerifyError::InvalidInput));
		}

		#[test]
		fn a_degenerate_key() {
			let (mut vk, _, _) = many();
			vk.delta_g2 = vk.gamma_g2;
			assert_eq!(Groth16::validate_vk(&vk), Err(VerifyError::InvalidVk));
		}

		#[test]
		fn a_key_with_a_point_off_the_curve() {
			let (mut vk, proof, pubs) = many();
			vk.ic[3].0[5] ^= 1;
			assert_eq!(Groth16::validate_vk(&vk), Err(VerifyError::InvalidVk));
			assert_eq!(Groth16::verify(&vk, &proof, &pubs), Err(VerifyError::InvalidVk));
		}

		#[test]
		fn a_batch_with_one_bad_proof() {
			let (vk, proof, pubs) = many();
			let wrong = snarkjs::public_inputs(MANY_PUBLIC_WRONG.as_bytes()).expect("decodes");
			let items = [(proof, pubs.clone()), (proof, wrong), (proof, pubs)];
			assert_eq!(Groth16::verify_batch(&vk, &items), Err(VerifyError::InvalidProof));
		}

		#[test]
		fn a_batch_larger_than_the_limit() {
			let (vk, proof, pubs) = many();
			let items = alloc::vec![(proof, pubs); MAX_BATCH_SIZE + 1];
			assert_eq!(Groth16::verify_batch(&vk, &items), Err(VerifyError::InvalidInput));
		}
	}

	/// The registry's path: keys validated once, then only decoded; host and pure engines agree.
	mod validated_keys {
		use super::*;

		/// Every way to verify, which must all give `expected`.
		fn all_agree(
			vk: &VerifyingKey,
			proof: &Proof,
			pubs: &PublicInputs,
			expected: Result<Option<Weight>, VerifyError>,
		) {
			assert_eq!(Groth16::verify(vk, proof, pubs), expected, "pure");
			assert_eq!(Groth16Host::verify(vk, proof, pubs), expected, "host");
			assert_eq!(Groth16::verify_validated(vk, proof, pubs), expected, "pure, validated");
			assert_eq!(Groth16Host::verify_validated(vk, proof, pubs), expected, "host, validated");
			let items = [(*proof, pubs.clone()), (*proof, pubs.clone())];
			assert_eq!(Groth16::verify_batch_validated(vk, &items), expected, "pure batch");
			assert_eq!(Groth16Host::verify_batch_validated(vk, &items), expected, "host batch");
		}

		#[test]
		fn accept_the_valid_proofs() {
			let (vk, proof, pubs) = many();
			all_agree(&vk, &proof, &pubs, Ok(None));
			let (vk, proof, pubs) = multiplier();
			all_agree(&vk, &proof, &pubs, Ok(None));
		}

		#[test]
		fn reject_wrong_inputs_and_mutated_proofs_alike() {
			let (vk, proof, _) = many();
			let wrong = snarkjs::public_inputs(MANY_PUBLIC_WRONG.as_bytes()).expect("decodes");
			all_agree(&vk, &proof, &wrong, Err(VerifyError::InvalidProof));
			let (vk, mut proof, pubs) = many();
			proof.b.0[7] ^= 1;
			all_agree(&vk, &proof, &pubs, Err(VerifyError::InvalidProof));
			let (vk, proof, mut pubs) = many();
			pubs.0[9] = Scalar([0xff; 32]);
			all_agree(&vk, &proof, &pubs, Err(VerifyError::InvalidInput));
		}

		#[test]
		fn refuse_a_key_encoding_arkworks_cannot_read() {
			let (mut vk, proof, pubs) = many();
			// Both flag bits set on α: no point has this encoding.
			vk.alpha_g1.0[63] |= 0xc0;
			assert_eq!(Groth16::verify_validated(&vk, &proof, &pubs), Err(VerifyError::InvalidVk));
			assert_eq!(
				Groth16Host::verify_validated(&vk, &proof, &pubs),
				Err(VerifyError::InvalidVk)
			);
		}
	}

	mod identify {
		use super::*;

		#[test]
		fn a_key_by_the_cli_id() {
			let (vk, _, _) = many();
			assert_eq!(Groth16::vk_hash(&vk).0, vk_id(&vk));
			assert_ne!(Groth16::vk_hash(&vk), Groth16::vk_hash(&multiplier().0));
		}

		#[test]
		fn inputs_by_their_concatenated_scalars() {
			let (_, _, pubs) = many();
			let bytes = Groth16::pubs_bytes(&pubs);
			assert_eq!(bytes.len(), 64 * 32);
			assert_eq!(&bytes[32..64], &pubs.0[1].0[..]);
		}

		#[test]
		fn statements_by_key_and_inputs() {
			let (vk, _, pubs) = many();
			let wrong = snarkjs::public_inputs(MANY_PUBLIC_WRONG.as_bytes()).expect("decodes");
			let id = Groth16::vk_hash(&vk);
			assert_ne!(
				statement_hash::<Groth16>(&id, &pubs),
				statement_hash::<Groth16>(&id, &wrong)
			);
			assert_ne!(
				statement_hash::<Groth16>(&id, &pubs),
				statement_hash::<Groth16>(&H256::zero(), &pubs)
			);
		}
	}

	mod fold_public_inputs {
		use super::*;

		#[test]
		fn keeps_a_valid_proof_valid_at_every_size() {
			let (vk, proof, pubs) = many();
			for keep in [0, 1, 17, 63, 64] {
				let (vk2, pubs2) =
					super::super::fold_public_inputs(&vk, &pubs, keep).expect("folds");
				assert_eq!(pubs2.len(), keep);
				assert_eq!(vk2.num_inputs(), keep);
				assert_eq!(Groth16::verify(&vk2, &proof, &pubs2), Ok(None), "keep = {keep}");
			}
		}

		#[test]
		fn keeps_a_wrong_statement_wrong() {
			let (vk, proof, _) = many();
			let wrong = snarkjs::public_inputs(MANY_PUBLIC_WRONG.as_bytes()).expect("decodes");
			// The wrong input is the last one, folded into the key.
			let (vk2, pubs2) = super::super::fold_public_inputs(&vk, &wrong, 10).expect("folds");
			assert_eq!(Groth16::verify(&vk2, &proof, &pubs2), Err(VerifyError::InvalidProof));
		}

		#[test]
		fn refuses_to_keep_more_inputs_than_there_are() {
			let (vk, _, pubs) = many();
			assert!(super::super::fold_public_inputs(&vk, &pubs, 65).is_err());
		}
	}

	mod map_errors {
		use super::*;

		#[test]
		fn by_the_part_they_blame() {
			use Groth16Error as E;
			assert_eq!(
				VerifyError::from(E::PointNotOnCurve(Part::VerifyingKey)),
				VerifyError::InvalidVk
			);
			assert_eq!(
				VerifyError::from(E::PointNotInSubgroup(Part::Proof)),
				VerifyError::InvalidProof
			);
			assert_eq!(
				VerifyError::from(E::MalformedBytes(Part::Inputs)),
				VerifyError::InvalidInput
			);
			assert_eq!(VerifyError::from(E::InvalidProof), VerifyError::InvalidProof);
			assert_eq!(VerifyError::from(E::DegenerateKey), VerifyError::InvalidVk);
			assert_eq!(VerifyError::from(E::TooManyInputs), VerifyError::InvalidInput);
			assert_eq!(VerifyError::from(E::UnsupportedCommitments), VerifyError::Unsupported);
		}
	}
}
