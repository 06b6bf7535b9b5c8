//! `veritas groth16 vk-id` and `veritas groth16 verify`: offline, with the runtime's verifier.

use std::path::Path;

use veritas_verifier_groth16::{prepare, verify, vk_id};

use crate::{
	files::{self, Format},
	Exit,
};

/// The id the chain gives the key in `vk_path`, as `0x` hex.
pub fn vk_id_of(vk_path: &Path, format: Format) -> Result<String, Exit> {
	let vk = files::read_vk(vk_path, format)?;
	Ok(files::hex0x(&vk_id(&vk)))
}

/// Verifies the proof in `proof_path` of the inputs in `inputs_path` under the key in `vk_path`.
/// `Ok` with the key id when the proof is valid.
pub fn verify_files(
	vk_path: &Path,
	proof_path: &Path,
	inputs_path: &Path,
	format: Format,
) -> Result<String, Exit> {
	let vk = files::read_vk(vk_path, format)?;
	let proof = files::read_proof(proof_path, format)?;
	let inputs = files::read_inputs(inputs_path)?;
	let pvk = prepare(&vk).map_err(|e| files::groth16_exit("verifying key", e))?;
	verify(&pvk, &proof, &inputs).map_err(|e| files::groth16_exit("verification", e))?;
	Ok(files::hex0x(&pvk.id()))
}
