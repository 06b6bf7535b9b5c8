//! `veritas nitro verify`: an AWS Nitro attestation document checked offline, as the runtime
//! checks it.

use std::path::Path;

use base64::Engine as _;
use serde_json::{json, Map, Value};
use veritas_verifier_tee_nitro::{
	fingerprint, is_debug_mode, parse, verify, Fingerprint, VerifiedAttestation, AWS_ROOTS,
};

use crate::{files, Exit};

/// The document's bytes: the file as is, or decoded when it holds only hex or base64 text.
pub fn document_bytes(raw: Vec<u8>) -> Vec<u8> {
	let text = match std::str::from_utf8(&raw) {
		Ok(t) => t.trim(),
		Err(_) => return raw,
	};
	if text.is_empty() {
		return raw;
	}
	let compact: String = text.split_whitespace().collect();
	if compact.len().is_multiple_of(2) && compact.bytes().all(|b| b.is_ascii_hexdigit()) {
		if let Ok(bytes) = hex::decode(&compact) {
			return bytes;
		}
	}
	if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&compact) {
		return bytes;
	}
	raw
}

/// The SHA-256 fingerprint of the first certificate in a PEM file.
pub fn root_fingerprint(path: &Path) -> Result<Fingerprint, Exit> {
	let pem = files::read(path)?;
	let (label, der) = pem_rfc7468::decode_vec(&pem)
		.map_err(|e| Exit::malformed(format!("root {}: not a PEM file: {e}", path.display())))?;
	if label != "CERTIFICATE" {
		return Err(Exit::malformed(format!(
			"root {}: PEM label {label:?}, expected CERTIFICATE",
			path.display()
		)));
	}
	Ok(fingerprint(&der))
}

/// Verifies the document in `doc_path` against the roots in `root_paths` (the AWS Nitro root G1
/// when empty) at `at_ms` (the document's own timestamp when `None`).
pub fn verify_document(
	doc_path: &Path,
	root_paths: &[std::path::PathBuf],
	at_ms: Option<u64>,
) -> Result<VerifiedAttestation, Exit> {
	let bytes = document_bytes(files::read(doc_path)?);
	let roots: Vec<Fingerprint> = if root_paths.is_empty() {
		AWS_ROOTS.to_vec()
	} else {
		root_paths.iter().map(|p| root_fingerprint(p)).collect::<Result<_, _>>()?
	};
	let nitro_exit = |e: veritas_verifier_tee_nitro::NitroError| {
		let message = format!("{}: {e}", doc_path.display());
		match e.exit_code() {
			1 => Exit::invalid(message),
			_ => Exit::malformed(message),
		}
	};
	let at_ms = match at_ms {
		Some(t) => t,
		None => parse(&bytes).map_err(nitro_exit)?.document.timestamp_ms,
	};
	verify(&bytes, &roots, at_ms).map_err(nitro_exit)
}

/// The verified claims as JSON: byte strings as `0x` hex, PCRs by index.
pub fn claims_json(claims: &VerifiedAttestation) -> Value {
	let opt = |v: &Option<Vec<u8>>| v.as_deref().map(files::hex0x).map_or(Value::Null, Value::from);
	let pcrs: Map<String, Value> =
		claims.pcrs.iter().map(|(i, v)| (i.to_string(), Value::from(files::hex0x(v)))).collect();
	json!({
		"module_id": claims.module_id,
		"timestamp_ms": claims.timestamp_ms,
		"digest": match claims.digest {
			veritas_verifier_tee_nitro::Digest::Sha384 => "SHA384",
		},
		"pcrs": pcrs,
		"debug_mode": is_debug_mode(claims),
		"public_key": opt(&claims.public_key),
		"user_data": opt(&claims.user_data),
		"nonce": opt(&claims.nonce),
		"leaf_fingerprint": files::hex0x(&claims.leaf_fingerprint),
		"root_fingerprint": files::hex0x(&claims.root_fingerprint),
	})
}
