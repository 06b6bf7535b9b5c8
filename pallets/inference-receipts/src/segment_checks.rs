//! One segment's evidence against its statement: an enclave signature, an attestation
//! document, or a Groth16 proof (deferred to the end of the call).

use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use veritas_primitives::{AccountBytes, Evidence, SegmentStatement};

use crate::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn tee_error(e: TeeError) -> Error<T> {
		match e {
			TeeError::InvalidKey => Error::<T>::InvalidEnclaveKey,
			TeeError::BadSignature => Error::<T>::BadEnclaveSignature,
			TeeError::BadAttestation => Error::<T>::BadAttestation,
			TeeError::KeyRevoked => Error::<T>::EnclaveKeyRevoked,
		}
	}
}

/// Checks one segment's evidence for `statement`; a ZK proof is appended to `zk`, and an
/// enclave key's validity is looked up once per call (`keys`).
pub(crate) fn check_segment<T: Config>(
	spec: &veritas_primitives::SegmentSpec,
	evidence: &Evidence<BoundedVec<u8, T::MaxDocumentLen>, ProofOf<T>>,
	statement: &SegmentStatement,
	node: &AccountBytes,
	keys: &mut KnownKeys,
	zk: &mut Vec<ZkCheck<T>>,
) -> Result<Trust, Error<T>> {
	let tee = Pallet::<T>::tee_error;
	match evidence {
		Evidence::None => Ok(Trust::NodeOnly),
		Evidence::Tee { key, signature } => {
			let m = spec.measurement.ok_or(Error::<T>::EvidenceNotAccepted)?;
			let operator = match keys.get(key) {
				// A key is valid for its own measurement only.
				Some((valid_for, _)) if *valid_for != m => {
					return Err(tee(TeeError::InvalidKey));
				},
				Some((_, operator)) => *operator,
				None => {
					let operator = T::Tee::valid_key_operator(key, m).map_err(tee)?;
					keys.insert(*key, (m, operator));
					operator
				},
			};
			// Another node's key is refused before its signature is checked: a copied
			// receipt fails here with a typed error, at the cost of a lookup.
			ensure!(operator == *node, Error::<T>::KeyOfAnotherNode);
			ensure!(
				T::Tee::is_signature_of(key, &statement.signing_payload(), signature),
				Error::<T>::BadEnclaveSignature
			);
			Ok(Trust::Enclave { measurement: m })
		},
		Evidence::TeeAttested { document } => {
			let m = spec.measurement.ok_or(Error::<T>::EvidenceNotAccepted)?;
			T::Tee::verify_attested(document, m, &statement.attestation_user_data())
				.map_err(tee)?;
			Ok(Trust::Enclave { measurement: m })
		},
		Evidence::Zk { proof } => {
			let vk = spec.vk.ok_or(Error::<T>::EvidenceNotAccepted)?;
			let inputs =
				statement.zk_public_inputs_le().map_err(|_| Error::<T>::NonCanonicalCommitment)?;
			zk.push((vk, proof.clone(), inputs));
			Ok(Trust::Circuit { vk })
		},
	}
}
