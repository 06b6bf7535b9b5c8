//! Reading keys, proofs and inputs from files in the formats other tools write.

use std::path::Path;

use veritas_verifier_groth16::{
	decode::{self, arkworks, arkworks::Compression, gnark, snarkjs},
	Groth16Error, Proof, PublicInputs, VerifyingKey,
};

use crate::Exit;

/// The largest file the CLI reads.
pub const MAX_FILE_LEN: u64 = 1024 * 1024;

/// The encoding of a Groth16 key or proof file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
	/// snarkjs/circom JSON (`verification_key.json`, `proof.json`).
	#[default]
	Snarkjs,
	/// arkworks `CanonicalSerialize` bytes, compressed or uncompressed (told apart by length).
	Arkworks,
	/// gnark's binary encoding (`WriteTo` for keys, `WriteRawTo` for proofs).
	Gnark,
}

/// Reads a whole file, at most [`MAX_FILE_LEN`] bytes.
pub fn read(path: &Path) -> Result<Vec<u8>, Exit> {
	let meta = std::fs::metadata(path)
		.map_err(|e| Exit::malformed(format!("cannot read {}: {e}", path.display())))?;
	if meta.len() > MAX_FILE_LEN {
		return Err(Exit::malformed(format!(
			"{} is {} bytes, more than the {MAX_FILE_LEN} the CLI reads",
			path.display(),
			meta.len()
		)));
	}
	std::fs::read(path).map_err(|e| Exit::malformed(format!("cannot read {}: {e}", path.display())))
}

/// The exit for a decoding or verification error about `what`.
pub fn groth16_exit(what: &str, e: Groth16Error) -> Exit {
	let message = format!("{what}: {e}");
	match e.exit_code() {
		1 => Exit::invalid(message),
		_ => Exit::malformed(message),
	}
}

/// Arkworks bytes in either compression: the uncompressed reading if it succeeds, else the
/// compressed one; when both fail, the error of the reading whose length matched.
fn either_compression<T>(
	bytes: &[u8],
	read: impl Fn(&[u8], Compression) -> Result<T, Groth16Error>,
) -> Result<T, Groth16Error> {
	match read(bytes, Compression::No) {
		Ok(v) => Ok(v),
		Err(uncompressed) => match read(bytes, Compression::Yes) {
			Ok(v) => Ok(v),
			Err(Groth16Error::WrongLength { .. }) => Err(uncompressed),
			Err(compressed) => Err(compressed),
		},
	}
}

/// Reads and validates a verifying key.
pub fn read_vk(path: &Path, format: Format) -> Result<VerifyingKey, Exit> {
	let bytes = read(path)?;
	let vk = match format {
		Format::Snarkjs => snarkjs::verifying_key(&bytes),
		Format::Arkworks => either_compression(&bytes, arkworks::verifying_key),
		Format::Gnark => gnark::verifying_key(&bytes),
	};
	vk.map_err(|e| groth16_exit(&format!("verifying key {}", path.display()), e))
}

/// Reads and validates a proof.
pub fn read_proof(path: &Path, format: Format) -> Result<Proof, Exit> {
	let bytes = read(path)?;
	let proof = match format {
		Format::Snarkjs => snarkjs::proof(&bytes),
		Format::Arkworks => either_compression(&bytes, arkworks::proof),
		Format::Gnark => gnark::proof(&bytes),
	};
	proof.map_err(|e| groth16_exit(&format!("proof {}", path.display()), e))
}

/// Reads public inputs: a JSON array of decimal (or `0x` hex) strings, snarkjs' `public.json`.
pub fn read_inputs(path: &Path) -> Result<PublicInputs, Exit> {
	let bytes = read(path)?;
	decode::public_inputs_json(&bytes)
		.map_err(|e| groth16_exit(&format!("public inputs {}", path.display()), e))
}

/// `0x`-prefixed lowercase hex.
pub fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Parses a 32-byte id written as hex, with or without `0x` (the chain library's rule, as its
/// manifests read ids); a malformed id is exit 2.
pub fn parse_id(s: &str) -> Result<[u8; 32], Exit> {
	veritas_chain::manifest::parse_id(s).map_err(Exit::from)
}
