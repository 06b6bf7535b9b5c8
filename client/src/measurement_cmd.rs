//! `veritas measurement register`: registers an enclave image's measurement (its PCR0, PCR1,
//! PCR2 and optional PCR8) with the enclave registry, so that enclave keys attested by that image
//! can be registered under it.
//!
//! The PCRs come from the JSON `nitro-cli build-enclave` and `nitro-cli describe-eif` print (a
//! `Measurements` object with `PCR0`… as hex), or, for development chains, from the text a
//! DevEnclave runs (`veritas-inference --enclave dev --enclave-image TEXT` reports the same PCRs).

use std::path::Path;

use codec::Encode;
use serde_json::Value;

use veritas_chain::{self as chain, pallets, EncodedArgs, EncodedCall};

use crate::{files, Exit};

/// The longest measurement name the runtime accepts.
pub const MAX_NAME: usize = 64;

/// One 48-byte (SHA-384) platform configuration register.
pub type Pcr = [u8; 48];

/// The PCRs a measurement pins: the Nitro verifier's own [`veritas_verifier_tee_nitro::Measurement`]
/// (its `is_debug` tells a debug enclave's all-zero PCRs).
pub type Pcrs = veritas_verifier_tee_nitro::Measurement;

/// The PCRs a DevEnclave running `image` reports (see `veritas_attester::pcrs_for_image`).
pub fn dev_image_pcrs(image: &[u8]) -> Pcrs {
	let pcrs = veritas_attester::pcrs_for_image(image);
	let pcr = |i: u8| -> Pcr {
		let mut out = [0u8; 48];
		if let Some(value) = pcrs.get(&i).filter(|v| v.len() == 48) {
			out.copy_from_slice(value);
		}
		out
	};
	Pcrs { pcr0: pcr(0), pcr1: pcr(1), pcr2: pcr(2), pcr8: Some(pcr(8)) }
}

/// Parses the measurements JSON of `nitro-cli build-enclave` / `describe-eif`:
/// `{"Measurements": {"HashAlgorithm": …, "PCR0": "hex", "PCR1": …, "PCR2": …, "PCR8": …}}`, or
/// the inner object alone. PCR0–2 are required, PCR8 optional; each is 48 bytes of hex.
pub fn parse_pcrs(text: &str) -> Result<Pcrs, Exit> {
	let bad = |why: String| Exit::malformed(format!("measurements: {why}"));
	let value: Value = serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
	let object = value.get("Measurements").unwrap_or(&value);
	let object = object.as_object().ok_or_else(|| bad("not a JSON object".into()))?;
	if let Some(algorithm) = object.get("HashAlgorithm").and_then(Value::as_str) {
		if !algorithm.starts_with("Sha384") {
			return Err(bad(format!("hash algorithm {algorithm:?}, not Sha384")));
		}
	}
	let pcr = |name: &str| -> Result<Option<Pcr>, Exit> {
		let Some(field) = object.get(name) else { return Ok(None) };
		let text = field.as_str().ok_or_else(|| bad(format!("{name} is not a string")))?;
		let bytes = hex::decode(text.trim_start_matches("0x"))
			.map_err(|e| bad(format!("{name} is not hex: {e}")))?;
		let pcr: Pcr = bytes
			.try_into()
			.map_err(|b: Vec<u8>| bad(format!("{name} has {} bytes, not 48", b.len())))?;
		Ok(Some(pcr))
	};
	let required = |name: &str| pcr(name)?.ok_or_else(|| bad(format!("no {name}")));
	Ok(Pcrs {
		pcr0: required("PCR0")?,
		pcr1: required("PCR1")?,
		pcr2: required("PCR2")?,
		pcr8: pcr("PCR8")?,
	})
}

/// Reads [`parse_pcrs`] from a file.
pub fn read_pcrs(path: &Path) -> Result<Pcrs, Exit> {
	let bytes = files::read(path)?;
	let text = std::str::from_utf8(&bytes)
		.map_err(|_| Exit::malformed(format!("{}: not UTF-8 text", path.display())))?;
	parse_pcrs(text)
}

/// A measurement to register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measurement {
	/// Its name (at most [`MAX_NAME`] bytes), e.g. the image's.
	pub name: String,
	/// Its version.
	pub version: u32,
	/// The PCRs it pins.
	pub pcrs: Pcrs,
	/// A debug-mode enclave's (all-zero PCRs allowed; only where the chain's genesis allows).
	pub debug: bool,
}

impl Measurement {
	/// Checks what the chain would refuse, before signing anything.
	pub fn check(&self) -> Result<(), Exit> {
		if self.name.is_empty() || self.name.len() > MAX_NAME {
			return Err(Exit::malformed(format!("--name: 1 to {MAX_NAME} bytes")));
		}
		if !self.debug && self.pcrs.is_debug() {
			return Err(Exit::malformed(
				"all-zero PCR0/1/2 are a debug enclave's: pass --debug (dev chains only)",
			));
		}
		Ok(())
	}

	/// Its id on every chain: the digest of its PCRs ([`veritas_primitives::measurement_id`]),
	/// what manifests and `veritas-inference --measurement` name.
	pub fn id(&self) -> [u8; 32] {
		let p = &self.pcrs;
		veritas_primitives::measurement_id(&p.pcr0, &p.pcr1, &p.pcr2, p.pcr8.as_ref())
	}

	/// The SCALE arguments of `EnclaveRegistry::register_measurement`.
	pub fn call(&self) -> EncodedCall {
		let p = &self.pcrs;
		let args = (self.name.as_bytes(), self.version, p.pcr0, p.pcr1, p.pcr2, p.pcr8, self.debug)
			.encode();
		EncodedCall {
			pallet: pallets::ENCLAVES,
			call: "register_measurement",
			args: EncodedArgs(args),
		}
	}
}

/// What a finalized registration produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
	/// The measurement id (what manifests and `veritas-inference --measurement` name).
	pub id: [u8; 32],
	/// The finalized block the registration is in; `None` when the same PCRs were registered
	/// already (by anyone: the same PCRs are one measurement), which changes nothing.
	pub block_hash: Option<[u8; 32]>,
}

/// Registers `measurement` signed by `suri` (its deposit held from that account); returns its
/// id once the registration is finalized, or at once if its PCRs are registered already.
pub async fn register(
	url: &str,
	suri: &str,
	measurement: &Measurement,
) -> Result<Registered, Exit> {
	measurement.check()?;
	let id = measurement.id();
	let landed =
		match chain::submit_for_event(url, suri, &measurement.call(), &["MeasurementRegistered"])
			.await
		{
			Ok(landed) => landed,
			Err(e) if e.is_pallet_error("MeasurementExists") => {
				return Ok(Registered { id, block_hash: None })
			},
			Err(e) => return Err(e.into()),
		};
	// MeasurementRegistered { id: [u8; 32], owner: Option<AccountId32> }: the chain computed the
	// same id from the same PCRs.
	let registered: [u8; 32] = landed
		.fields
		.get(..32)
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| Exit::unreachable("a MeasurementRegistered event too short"))?;
	if registered != id {
		return Err(Exit::unreachable(format!(
			"the chain registered measurement {} for PCRs whose id is {}: another rule",
			hex::encode(registered),
			hex::encode(id)
		)));
	}
	Ok(Registered { id, block_hash: Some(landed.block_hash) })
}

#[cfg(test)]
mod tests {
	use super::*;

	// The PCRs of a real Nitro document (evervault's `valid-attestation-doc-bytes`, see
	// `verifiers/tee-nitro/src/resources/docs`).
	const PCR0: &str = "f4d48b81a460c9916d1e685119074bf24660afd3e34fae9fca0a0d28d9d5599936332687e6f66fc890ac8cf150142d8b";
	const PCR1: &str = "bcdf05fefccaa8e55bf2c8d6dee9e79bbff31e34bf28a99aa19e6b29c37ee80b214a414b7607236edf26fcb78654e63f";
	const PCR2: &str = "d8f114da658de5481f8d9ec73907feb553560787522f705c92d7d96beed8e15e2aa611984e098c576832c292e8dc469a";

	fn nitro_cli_output(extra: &str) -> String {
		format!(
			r#"{{"Measurements": {{"HashAlgorithm": "Sha384 {{ ... }}", "PCR0": "{PCR0}", "PCR1": "{PCR1}", "PCR2": "{PCR2}"{extra}}}}}"#
		)
	}

	#[test]
	fn m1_a_dev_image_s_measurement_id_is_the_node_s_default() {
		let m = |image: &[u8]| Measurement {
			name: "veritas".into(),
			version: 1,
			pcrs: dev_image_pcrs(image),
			debug: false,
		};
		// What `veritas measurement register --dev-image` registers is what a node and a
		// manifest made for that image name, computed on each side from the PCRs alone.
		assert_eq!(m(b"image").id(), veritas_attester::dev_image_measurement_id(b"image"));
		assert_ne!(m(b"image").id(), m(b"other image").id());
		let p = m(b"image").pcrs;
		assert_eq!(
			m(b"image").id(),
			veritas_primitives::measurement_id(&p.pcr0, &p.pcr1, &p.pcr2, p.pcr8.as_ref())
		);
	}

	#[test]
	fn nitro_cli_measurements_parse_with_or_without_pcr8() {
		let pcrs = parse_pcrs(&nitro_cli_output("")).unwrap();
		assert_eq!(hex::encode(pcrs.pcr0), PCR0);
		assert_eq!(hex::encode(pcrs.pcr2), PCR2);
		assert_eq!(pcrs.pcr8, None);
		let signed = parse_pcrs(&nitro_cli_output(&format!(r#", "PCR8": "0x{PCR1}""#))).unwrap();
		assert_eq!(signed.pcr8.map(hex::encode).as_deref(), Some(PCR1));
		// The inner object alone.
		let inner = format!(r#"{{"PCR0": "{PCR0}", "PCR1": "{PCR1}", "PCR2": "{PCR2}"}}"#);
		assert_eq!(parse_pcrs(&inner).unwrap(), pcrs);
	}

	#[test]
	fn malformed_measurements_are_typed_errors() {
		let short = &PCR0[..94];
		for (text, what) in [
			("not json".to_owned(), "not JSON"),
			("[1, 2]".to_owned(), "not a JSON object"),
			(format!(r#"{{"PCR0": "{PCR0}", "PCR1": "{PCR1}"}}"#), "no PCR2"),
			(format!(r#"{{"PCR0": "{short}", "PCR1": "{PCR1}", "PCR2": "{PCR2}"}}"#), "47 bytes"),
			(format!(r#"{{"PCR0": "zz{short}", "PCR1": "{PCR1}", "PCR2": "{PCR2}"}}"#), "not hex"),
			(format!(r#"{{"PCR0": 7, "PCR1": "{PCR1}", "PCR2": "{PCR2}"}}"#), "not a string"),
			(
				format!(
					r#"{{"HashAlgorithm": "Sha256", "PCR0": "{PCR0}", "PCR1": "{PCR1}", "PCR2": "{PCR2}"}}"#
				),
				"not Sha384",
			),
		] {
			let e = parse_pcrs(&text).unwrap_err();
			assert_eq!(e.code, 2, "{text}");
			assert!(e.message.contains(what), "{text}: {}", e.message);
		}
	}

	#[test]
	fn dev_image_pcrs_are_the_dev_enclaves_and_checks_refuse_what_the_chain_would() {
		let pcrs = dev_image_pcrs(b"image");
		let reported = veritas_attester::pcrs_for_image(b"image");
		assert_eq!(pcrs.pcr1.to_vec(), reported[&1]);
		assert_eq!(pcrs.pcr8.map(|p| p.to_vec()), Some(reported[&8].clone()));
		assert_ne!(pcrs, dev_image_pcrs(b"other image"));
		let mut m = Measurement { name: "veritas".into(), version: 1, pcrs, debug: false };
		m.check().unwrap();
		m.pcrs.pcr1 = [0; 48];
		assert_eq!(m.check().unwrap_err().code, 2);
		m.debug = true;
		m.check().unwrap();
		m.name = "x".repeat(MAX_NAME + 1);
		assert_eq!(m.check().unwrap_err().code, 2);
		m.name.clear();
		assert_eq!(m.check().unwrap_err().code, 2);
	}

	#[test]
	fn the_call_encodes_the_pallets_argument_order() {
		let pcrs = dev_image_pcrs(b"image");
		let m = Measurement { name: "ab".into(), version: 3, pcrs: pcrs.clone(), debug: false };
		let EncodedArgs(args) = m.call().args;
		let mut want = vec![8, b'a', b'b', 3, 0, 0, 0];
		want.extend(pcrs.pcr0);
		want.extend(pcrs.pcr1);
		want.extend(pcrs.pcr2);
		want.push(1);
		want.extend(pcrs.pcr8.unwrap());
		want.push(0);
		assert_eq!(args, want);
	}
}
