//! `veritas vk register` and `veritas proof submit`: signed extrinsics to the Groth16 verifier
//! registry, waited for until finalized.

use std::path::Path;

use codec::Encode;
use veritas_verifier_groth16::vk_id;

use veritas_chain::{self as chain, pallets, EncodedArgs, EncodedCall};

use crate::{
	files::{self, Format},
	Exit,
};

/// What a finalized call produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landed {
	/// The key id (`vk register`) or the statement hash (`proof submit`).
	pub id: [u8; 32],
	/// The key id the statement was verified under (`proof submit`); the key id again for
	/// `vk register`.
	pub vk_id: [u8; 32],
	/// The finalized block the call is in.
	pub block_hash: [u8; 32],
}

/// The first two 32-byte fields of an event (`vk_id`, then `owner` or `statement`).
fn two_hashes(fields: &[u8]) -> Result<([u8; 32], [u8; 32]), Exit> {
	if fields.len() < 64 {
		return Err(Exit::unreachable("an event with fewer fields than the runtime declares"));
	}
	let mut a = [0u8; 32];
	let mut b = [0u8; 32];
	a.copy_from_slice(&fields[..32]);
	b.copy_from_slice(&fields[32..64]);
	Ok((a, b))
}

/// Registers the key in `vk_path` and returns its id once the registration is finalized.
pub async fn register_vk(
	url: &str,
	suri: &str,
	vk_path: &Path,
	format: Format,
) -> Result<Landed, Exit> {
	let vk = files::read_vk(vk_path, format)?;
	let id = vk_id(&vk);
	let call = EncodedCall {
		pallet: pallets::GROTH16,
		call: "register_vk",
		args: EncodedArgs(vk.encode()),
	};
	let landed = chain::submit_for_event(url, suri, &call, &["VkRegistered"]).await?;
	let (registered, _owner) = two_hashes(&landed.fields)?;
	if registered != id {
		return Err(Exit::unreachable(format!(
			"the chain registered {} but the key's id is {}",
			files::hex0x(&registered),
			files::hex0x(&id)
		)));
	}
	Ok(Landed { id, vk_id: id, block_hash: landed.block_hash })
}

/// Submits the proof in `proof_path` of the inputs in `inputs_path` under the registered key
/// `vk_id`; returns the verified statement once it is finalized.
pub async fn submit_proof(
	url: &str,
	suri: &str,
	vk_id_hex: &str,
	proof_path: &Path,
	inputs_path: &Path,
	format: Format,
) -> Result<Landed, Exit> {
	let vk_id = files::parse_id(vk_id_hex)?;
	let proof = files::read_proof(proof_path, format)?;
	let inputs = files::read_inputs(inputs_path)?;
	let mut args = vk_id.to_vec();
	proof.encode_to(&mut args);
	inputs.encode_to(&mut args);
	let call =
		EncodedCall { pallet: pallets::GROTH16, call: "submit_proof", args: EncodedArgs(args) };
	let landed = chain::submit_for_event(url, suri, &call, &["ProofVerified"]).await?;
	let (verified_under, statement) = two_hashes(&landed.fields)?;
	Ok(Landed { id: statement, vk_id: verified_under, block_hash: landed.block_hash })
}
