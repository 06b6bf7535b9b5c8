//! The runtime's adapters: how one pallet sees another. The receipts pallet verifies evidence
//! through [`TeeVerifier`] and [`ZkVerifier`], the models pallet holds keys and measurements
//! through [`pallet_models::VkRegistry`] and [`pallet_models::MeasurementRegistry`]; the
//! implementations here answer them from the enclave registry and the Groth16 verifier registry,
//! so that no pallet depends on another's crate.

use alloc::vec::Vec;
use frame_support::{instances::Instance1, weights::Weight, BoundedVec};
use pallet_inference_receipts::{TeeError, TeeVerifier, ZkVerifier};
use sp_core::H256;
use sp_runtime::DispatchResult;
use veritas_primitives::{AccountBytes, EnclaveKey, MeasurementId, Signature, VkId};
use veritas_verifier_groth16::{Proof, PublicInputs, Scalar};

use crate::{configs::Groth16MaxBatchSize, Balance, EnclaveRegistry, Groth16Verifier, Runtime};

/// `EnclaveRegistry`'s keys and documents, as receipts need them.
pub struct NitroEnclaves;

type EnclaveError = pallet_enclave_registry::Error<Runtime>;
type EnclaveWeights = crate::weights::pallet_enclave_registry::WeightInfo<Runtime>;

fn key_error(e: EnclaveError) -> TeeError {
	match e {
		EnclaveError::EnclaveKeyRevoked => TeeError::KeyRevoked,
		EnclaveError::BadEnclaveSignature => TeeError::BadSignature,
		_ => TeeError::InvalidKey,
	}
}

impl TeeVerifier for NitroEnclaves {
	fn valid_key_operator(
		key: &EnclaveKey,
		measurement: MeasurementId,
	) -> Result<AccountBytes, TeeError> {
		EnclaveRegistry::valid_key(key, measurement)
			.map(|info| info.operator.into())
			.map_err(key_error)
	}

	fn verify_attested(
		document: &[u8],
		measurement: MeasurementId,
		user_data: &[u8; 32],
	) -> Result<(), TeeError> {
		EnclaveRegistry::verify_attested(document, measurement, user_data)
			.map_err(|_| TeeError::BadAttestation)
	}

	fn is_measurement_active(measurement: &MeasurementId) -> bool {
		EnclaveRegistry::is_measurement_active(measurement)
	}

	fn key_operator(key: &EnclaveKey) -> Result<(AccountBytes, bool), TeeError> {
		let (operator, revoked) = EnclaveRegistry::key_record(key).map_err(key_error)?;
		Ok((operator.into(), revoked))
	}

	fn is_signature_of(key: &EnclaveKey, payload: &[u8], signature: &Signature) -> bool {
		EnclaveRegistry::is_signature_of(key, payload, signature)
	}

	fn revoke_key(key: &EnclaveKey) -> Result<(), TeeError> {
		EnclaveRegistry::revoke_key(key).map_err(key_error)
	}

	fn signature_weight() -> Weight {
		<EnclaveWeights as pallet_enclave_registry::WeightInfo>::verify_enclave_signature()
	}

	fn signature_check_weight() -> Weight {
		<EnclaveWeights as pallet_enclave_registry::WeightInfo>::check_enclave_signature()
	}

	/// A document costs what registering it costs (the same checks, and a write more).
	fn attested_weight(document: &[u8]) -> Weight {
		<EnclaveWeights as pallet_enclave_registry::WeightInfo>::register_enclave(
			pallet_enclave_registry::checks::chain_len(document),
		)
	}
}

/// `Groth16Verifier`'s proofs, as receipts need them: three public inputs (`c_in`, `c_out`, the
/// binding), little-endian scalars.
pub struct Groth16Proofs;

type Groth16Weights = crate::weights::pallet_verifier_registry::WeightInfo<Runtime>;

fn public_inputs(inputs: &[[u8; 32]; 3]) -> PublicInputs {
	PublicInputs(BoundedVec::truncate_from(inputs.iter().map(|b| Scalar(*b)).collect()))
}

impl ZkVerifier for Groth16Proofs {
	type Proof = Proof;

	fn verify(vk: &VkId, proof: &Proof, inputs: &[[u8; 32]; 3]) -> bool {
		Groth16Verifier::verify_proof(&H256(*vk), proof, &public_inputs(inputs)).is_ok()
	}

	fn verify_batch(vk: &VkId, items: &[(Proof, [[u8; 32]; 3])]) -> bool {
		let items: Vec<(Proof, PublicInputs)> =
			items.iter().map(|(proof, inputs)| (*proof, public_inputs(inputs))).collect();
		Groth16Verifier::verify_batch(&H256(*vk), &items).is_ok()
	}

	fn weight() -> Weight {
		<Groth16Weights as pallet_verifier_registry::weights::WeightInfo>::submit_proof(3)
	}

	fn batch_weight(n: u32) -> Weight {
		<Groth16Weights as pallet_verifier_registry::weights::WeightInfo>::verify_batch(n, 3)
	}

	fn max_batch() -> u32 {
		Groth16MaxBatchSize::get()
	}
}

/// `Groth16Verifier`'s keys, as `pallet-models` needs them.
pub struct Groth16Keys;

impl pallet_models::VkRegistry<crate::AccountId, Balance> for Groth16Keys {
	fn input_count(vk: &VkId) -> Option<u32> {
		pallet_verifier_registry::Pallet::<Runtime, Instance1>::vk(&H256(*vk))
			.map(|k| (k.ic.len() as u32).saturating_sub(1))
	}

	fn acquire(vk: &VkId) -> DispatchResult {
		pallet_verifier_registry::Pallet::<Runtime, Instance1>::acquire_vk(&H256(*vk))
	}

	fn release(vk: &VkId) -> DispatchResult {
		pallet_verifier_registry::Pallet::<Runtime, Instance1>::release_vk(&H256(*vk))
	}

	fn foreign_deposit(vk: &VkId, who: &crate::AccountId) -> Balance {
		use codec::Encode;
		type Keys = pallet_verifier_registry::Pallet<Runtime, Instance1>;
		match pallet_verifier_registry::Vks::<Runtime, Instance1>::get(H256(*vk)) {
			Some(entry) if entry.owner.as_ref() != Some(who) => {
				Keys::deposit_for(entry.vk.encoded_size() as u32)
			},
			_ => 0,
		}
	}
}

/// `EnclaveRegistry`'s measurements, as `pallet-models` needs them.
pub struct NitroMeasurements;

impl pallet_models::MeasurementRegistry for NitroMeasurements {
	fn is_active(id: &MeasurementId) -> bool {
		EnclaveRegistry::is_measurement_active(id)
	}

	fn acquire(id: &MeasurementId) -> DispatchResult {
		EnclaveRegistry::acquire_measurement(id).map_err(Into::into)
	}

	fn release(id: &MeasurementId) -> DispatchResult {
		EnclaveRegistry::release_measurement(id).map_err(Into::into)
	}
}
