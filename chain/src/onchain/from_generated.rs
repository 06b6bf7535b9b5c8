//! The mirrors, converted from the types `subxt` generates from the runtime's metadata.
//!
//! Each conversion names every field of the generated type, so that a field the runtime adds,
//! drops or renames is a compile error here once the metadata file is written again. A field
//! whose type comes from the runtime's own crates (`veritas_primitives`, the Groth16 verifier)
//! is a generated copy of that type with the same SCALE encoding by construction: it converts by
//! that encoding (`rescale`), and a failure to (a runtime whose crates changed under the same
//! metadata) is an error, never a panic.

use std::any::type_name;

use codec::{Decode, DecodeAll, Encode};

use super::{
	EnclaveInfo, MeasurementInfo, ModelInfo, Receipt, Request, RequestStatus, Trust,
	VerifiedResult, VkEntry,
};
use crate::{runtime::api::runtime_types as generated, ChainError, Manifest};

/// `value`'s SCALE encoding decoded, whole, as `T`.
fn rescale<G: Encode, T: Decode>(value: &G) -> Result<T, ChainError> {
	T::decode_all(&mut &value.encode()[..]).map_err(|e| {
		ChainError::unreachable(format!(
			"the chain's {} does not read as {}: {e}",
			type_name::<G>(),
			type_name::<T>()
		))
	})
}

/// Each item of `values` through [`rescale`].
fn rescale_all<G: Encode, T: Decode>(values: &[G]) -> Result<Vec<T>, ChainError> {
	values.iter().map(rescale).collect()
}

type GeneratedModel = generated::pallet_models::types::ModelInfo<subxt::utils::AccountId32, u128>;

impl TryFrom<GeneratedModel> for ModelInfo {
	type Error = ChainError;

	fn try_from(g: GeneratedModel) -> Result<Self, ChainError> {
		let GeneratedModel { owner, version, previous, manifest, deposit, status } = g;
		let generated::pallet_models::types::ModelManifest {
			name,
			file_hash,
			scale,
			input_shape,
			output_shape,
			segments,
			development,
		} = manifest;
		Ok(Self {
			owner: owner.0,
			version,
			previous,
			manifest: Manifest {
				name,
				file_hash,
				scale,
				input_shape,
				output_shape,
				segments: rescale_all(&segments)?,
				development,
			},
			deposit,
			status: match status {
				generated::pallet_models::types::ModelStatus::Active => 0,
				generated::pallet_models::types::ModelStatus::Deprecated => 1,
			},
		})
	}
}

type GeneratedVk = generated::pallet_verifier_registry::types::VkEntry<
	subxt::utils::AccountId32,
	u128,
	u32,
	generated::veritas_verifier_groth16::types::VerifyingKey,
>;

impl TryFrom<GeneratedVk> for VkEntry {
	type Error = ChainError;

	fn try_from(g: GeneratedVk) -> Result<Self, ChainError> {
		let GeneratedVk { owner, deposit, vk, registered_at, refcount } = g;
		Ok(Self { owner: owner.map(|o| o.0), deposit, vk: rescale(&vk)?, registered_at, refcount })
	}
}

type GeneratedEnclave =
	generated::pallet_enclave_registry::types::EnclaveInfo<subxt::utils::AccountId32, u128>;

impl From<GeneratedEnclave> for EnclaveInfo {
	fn from(g: GeneratedEnclave) -> Self {
		let GeneratedEnclave {
			operator,
			measurement,
			root,
			attested_at_ms,
			expires_at_ms,
			revoked,
			deposit,
		} = g;
		Self {
			operator: operator.0,
			measurement,
			root,
			attested_at_ms,
			expires_at_ms,
			revoked,
			deposit,
		}
	}
}

type GeneratedMeasurement =
	generated::pallet_enclave_registry::types::MeasurementInfo<subxt::utils::AccountId32, u128>;

impl From<GeneratedMeasurement> for MeasurementInfo {
	fn from(g: GeneratedMeasurement) -> Self {
		let GeneratedMeasurement {
			owner,
			name,
			version,
			pcr0,
			pcr1,
			pcr2,
			pcr8,
			debug,
			revoked,
			deposit,
			refs,
		} = g;
		Self {
			owner: owner.map(|o| o.0),
			name,
			version,
			pcr0,
			pcr1,
			pcr2,
			pcr8,
			debug,
			revoked,
			deposit,
			refs,
		}
	}
}

type GeneratedRequest =
	generated::pallet_inference_receipts::types::Request<subxt::utils::AccountId32, u128, u32>;

impl TryFrom<GeneratedRequest> for Request {
	type Error = ChainError;

	fn try_from(g: GeneratedRequest) -> Result<Self, ChainError> {
		let GeneratedRequest {
			requester,
			model,
			c_0,
			input,
			output,
			policy,
			max_fee,
			allowed_nodes,
			deadline,
			deposit,
		} = g;
		Ok(Self {
			requester: requester.0,
			model,
			c_0: rescale(&c_0)?,
			input,
			output: rescale(&output)?,
			policy: rescale_all(&policy)?,
			max_fee,
			allowed_nodes: allowed_nodes.map(|nodes| nodes.into_iter().map(|n| n.0).collect()),
			deadline,
			deposit,
		})
	}
}

type GeneratedProof = generated::veritas_verifier_groth16::types::Proof;
type GeneratedReceipt = generated::pallet_inference_receipts::types::Receipt<u128, GeneratedProof>;

impl TryFrom<GeneratedReceipt> for Receipt {
	type Error = ChainError;

	fn try_from(g: GeneratedReceipt) -> Result<Self, ChainError> {
		// `__ignore`: the phantom of the bounds subxt keeps as type parameters.
		let GeneratedReceipt { subject, model, c_0, c_out, output, evidence, fee, __ignore: _ } = g;
		Ok(Self {
			subject: rescale(&subject)?,
			model,
			c_0: rescale(&c_0)?,
			c_out: rescale_all(&c_out)?,
			output,
			evidence: rescale_all(&evidence)?,
			fee,
		})
	}
}

impl From<generated::pallet_inference_receipts::types::Trust> for Trust {
	fn from(g: generated::pallet_inference_receipts::types::Trust) -> Self {
		use generated::pallet_inference_receipts::types::Trust as T;
		match g {
			T::NodeOnly => Self::NodeOnly,
			T::Enclave { measurement } => Self::Enclave { measurement },
			T::Circuit { vk } => Self::Circuit { vk },
		}
	}
}

type GeneratedResult = generated::pallet_inference_receipts::types::VerifiedResult<
	subxt::utils::AccountId32,
	u128,
	u32,
	GeneratedProof,
>;

impl TryFrom<GeneratedResult> for VerifiedResult {
	type Error = ChainError;

	fn try_from(g: GeneratedResult) -> Result<Self, ChainError> {
		let GeneratedResult { receipt, node, trust, verified_at, deposit } = g;
		Ok(Self {
			receipt: receipt.try_into()?,
			node: node.0,
			trust: trust.into_iter().map(Into::into).collect(),
			verified_at,
			deposit,
		})
	}
}

type GeneratedStatus =
	generated::pallet_inference_receipts::types::RequestStatus<u32, GeneratedResult>;

impl TryFrom<GeneratedStatus> for RequestStatus {
	type Error = ChainError;

	fn try_from(g: GeneratedStatus) -> Result<Self, ChainError> {
		Ok(match g {
			GeneratedStatus::Open { deadline } => Self::Open { deadline },
			GeneratedStatus::Answered(id, result) => Self::Answered(id, result.try_into()?),
			GeneratedStatus::Pruned => Self::Pruned,
			GeneratedStatus::Unknown => Self::Unknown,
		})
	}
}

#[cfg(test)]
mod tests {
	use veritas_primitives::{Commitment, Subject};

	use super::*;

	#[test]
	fn a_generated_copy_converts_by_its_encoding_and_a_mismatch_is_an_error() {
		let generated = generated::veritas_primitives::statement::Subject::Request(7);
		assert_eq!(rescale::<_, Subject>(&generated).unwrap(), Subject::Request(7));
		// Bytes left over, or too few, are refused: nothing is read as something else.
		let err = rescale::<_, Commitment>(&[0u8; 33]).unwrap_err();
		assert!(matches!(&err, ChainError::Unreachable(m) if m.contains("Commitment")), "{err}");
		assert!(rescale::<_, Commitment>(&[0u8; 31]).is_err());
	}
}
