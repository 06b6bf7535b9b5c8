//! Test support: the real documents of `resources/`, their expected values from
//! `resources/vectors.json`, and a re-encoder that builds corrupted copies of them.

use alloc::{string::String, vec::Vec};

use minicbor::Encoder;
use serde_json::Value;

use crate::{parse, roots::fingerprint, Fingerprint};

/// Every document of `vectors.json`, by its `file` name there, decoded to raw COSE_Sign1 bytes
/// (`.b64`/`.hex` decoded, the Evervault TLS certificates' SAN hex extracted; see
/// `resources/PROVENANCE.md`). Both Evervault non-debug certificates wrap the same document.
pub(crate) const FIXTURES: &[(&str, &[u8])] = &[
	("docs/evervault__debug-mode-attestation-doc-bytes.cbor", include_bytes!("resources/docs/evervault__debug-mode-attestation-doc-bytes.cbor.cose")),
	("docs/evervault__valid-attestation-doc-bytes.cbor", include_bytes!("resources/docs/evervault__valid-attestation-doc-bytes.cbor.cose")),
	("docs/evervault__valid-attestation-doc-base64.b64", include_bytes!("resources/docs/evervault__valid-attestation-doc-base64.b64.cose")),
	("docs/evervault__debug-mode-cert-containing-attestation-doc-18-1-23.pem", include_bytes!("resources/docs/evervault__debug-mode-cert-containing-attestation-doc-18-1-23.pem.cose")),
	("docs/evervault__non-debug-cert-containing-attestation-document-18-1-23.pem", include_bytes!("resources/docs/evervault__non-debug-cert-containing-attestation-document-18-1-23.pem.cose")),
	("docs/evervault__non-debug-cert-containing-attestation-document-18-1-23-der.crt", include_bytes!("resources/docs/evervault__non-debug-cert-containing-attestation-document-18-1-23.pem.cose")),
	("docs/tkhq-qos__mock_attestation_doc.cbor", include_bytes!("resources/docs/tkhq-qos__mock_attestation_doc.cbor.cose")),
	("docs/base-nitro-validator__NitroValidator.t.sol.hex", include_bytes!("resources/docs/base-nitro-validator__NitroValidator.t.sol.hex.cose")),
	("docs/marlin-oyster-attestation-verifier__attestation.bin", include_bytes!("resources/docs/marlin-oyster-attestation-verifier__attestation.bin.cose")),
	("docs/marlin-oyster-attestation-verifier__attestation.hex", include_bytes!("resources/docs/marlin-oyster-attestation-verifier__attestation.hex.cose")),
	("docs/marlin-oyster-monorepo__aws.bin", include_bytes!("resources/docs/marlin-oyster-monorepo__aws.bin.cose")),
	("docs/marlin-oyster-monorepo__aws_pcr16.bin", include_bytes!("resources/docs/marlin-oyster-monorepo__aws_pcr16.bin.cose")),
	("docs/blocky-nitrite__nitro_attestation.b64", include_bytes!("resources/docs/blocky-nitrite__nitro_attestation.b64.cose")),
	("docs/blocky-nitrite__nitro_attestation_debug.b64", include_bytes!("resources/docs/blocky-nitrite__nitro_attestation_debug.b64.cose")),
	("docs/eternis-remote-attestation-verifier__example_attestation.b64", include_bytes!("resources/docs/eternis-remote-attestation-verifier__example_attestation.b64.cose")),
	("docs/signal-svr2__valid_bytes.bin", include_bytes!("resources/docs/signal-svr2__valid_bytes.bin.cose")),
	("docs/signal-svr2__valid_bytes2.bin", include_bytes!("resources/docs/signal-svr2__valid_bytes2.bin.cose")),
	("docs/uid2-core__AttestationTokenServiceTest.b64", include_bytes!("resources/docs/uid2-core__AttestationTokenServiceTest.b64.cose")),
	("docs/oraclekit-nitro-tee-attestation__attestation.hex", include_bytes!("resources/docs/oraclekit-nitro-tee-attestation__attestation.hex.cose")),
	("negative/eternis-remote-attestation-verifier__invalid_attestation.b64", include_bytes!("resources/negative/eternis-remote-attestation-verifier__invalid_attestation.b64.cose")),
	("negative/marlin-oyster-monorepo__custom.bin", include_bytes!("resources/negative/marlin-oyster-monorepo__custom.bin.cose")),
	("negative/marlin-oyster-monorepo__custom_pcr16.bin", include_bytes!("resources/negative/marlin-oyster-monorepo__custom_pcr16.bin.cose")),
];

/// 2026-11-22T00:00:00Z in Unix milliseconds: "today", long after every leaf expired.
pub(crate) const TODAY_MS: u64 = 1_795_305_600_000;
/// Two days in milliseconds.
pub(crate) const TWO_DAYS_MS: u64 = 2 * 24 * 60 * 60 * 1000;

/// The DER of the self-made Marlin mock root the two `custom*` negatives chain to.
pub(crate) const MARLIN_MOCK_ROOT_DER: &[u8] =
	include_bytes!("resources/roots/marlin-mock-root.der");

/// The parsed `vectors.json`.
pub(crate) fn vectors() -> Vec<Value> {
	let all: Value = serde_json::from_str(include_str!("resources/vectors.json")).unwrap();
	all.as_array().unwrap().clone()
}

/// One vector: its expected values and its bytes.
pub(crate) struct Vector {
	pub(crate) file: String,
	pub(crate) expected: Value,
	pub(crate) bytes: &'static [u8],
}

impl Vector {
	pub(crate) fn timestamp_ms(&self) -> u64 {
		self.expected["timestamp_ms"].as_u64().unwrap()
	}

	pub(crate) fn str(&self, key: &str) -> &str {
		self.expected[key].as_str().unwrap()
	}
}

/// The vectors under `prefix` (`"docs/"` or `"negative/"`).
pub(crate) fn vectors_under(prefix: &str) -> Vec<Vector> {
	let list: Vec<Vector> = vectors()
		.into_iter()
		.filter(|v| v["file"].as_str().unwrap().starts_with(prefix))
		.map(|expected| {
			let file = String::from(expected["file"].as_str().unwrap());
			Vector { bytes: fixture(&file), file, expected }
		})
		.collect();
	assert!(!list.is_empty(), "no vectors under {prefix}");
	list
}

/// The bytes of one fixture, by its `vectors.json` file name.
pub(crate) fn fixture(file: &str) -> &'static [u8] {
	FIXTURES.iter().find(|(f, _)| *f == file).unwrap_or_else(|| panic!("no fixture {file}")).1
}

/// The real document most tests mutate (2024-12, 16 PCRs, definite map).
pub(crate) fn base() -> Vector {
	vectors_under("docs/")
		.into_iter()
		.find(|v| v.file == "docs/marlin-oyster-monorepo__aws.bin")
		.unwrap()
}

/// Lowercase hex → bytes.
pub(crate) fn unhex(s: &str) -> Vec<u8> {
	assert!(s.len().is_multiple_of(2), "odd hex length");
	(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Bytes → lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
}

/// The fingerprint of the Marlin mock root.
pub(crate) fn marlin_root() -> Fingerprint {
	fingerprint(MARLIN_MOCK_ROOT_DER)
}

/// Offset of `part` inside `whole` (both must point into the same buffer).
pub(crate) fn offset_in(whole: &[u8], part: &[u8]) -> usize {
	let offset = part.as_ptr() as usize - whole.as_ptr() as usize;
	assert!(offset + part.len() <= whole.len());
	offset
}

/// `bytes` with byte `at` XOR-ed with 0x01.
pub(crate) fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
	let mut out = bytes.to_vec();
	out[at] ^= 0x01;
	out
}

/// A payload field value, as a corrupted document may hold it.
#[derive(Clone, Debug)]
pub(crate) enum Field {
	Text(String),
	Uint(u64),
	Bytes(Vec<u8>),
	Null,
	Pcrs(Vec<(u64, Vec<u8>)>),
	Bundle(Vec<Vec<u8>>),
	/// Bytes written as they are: any CBOR (or not).
	Raw(Vec<u8>),
}

/// A document taken apart so it can be changed and encoded again. The signature is kept as it
/// was, so any change to the payload must make the signature check (at least) fail.
#[derive(Clone, Debug)]
pub(crate) struct Editable {
	pub(crate) tag18: bool,
	pub(crate) protected: Vec<u8>,
	pub(crate) unprotected: Vec<u8>,
	pub(crate) entries: Vec<(String, Field)>,
	pub(crate) indefinite_map: bool,
	pub(crate) signature: Vec<u8>,
}

impl Editable {
	/// Takes a valid document apart (with the crate's own parser).
	pub(crate) fn from(bytes: &[u8]) -> Self {
		let p = parse(bytes).unwrap();
		let d = &p.document;
		let opt = |v: Option<&[u8]>| v.map_or(Field::Null, |b| Field::Bytes(b.to_vec()));
		let entries = alloc::vec![
			("module_id".into(), Field::Text(d.module_id.into())),
			("digest".into(), Field::Text("SHA384".into())),
			("timestamp".into(), Field::Uint(d.timestamp_ms)),
			(
				"pcrs".into(),
				Field::Pcrs(d.pcrs.iter().map(|(i, v)| (u64::from(*i), v.to_vec())).collect()),
			),
			("certificate".into(), Field::Bytes(d.certificate.to_vec())),
			("cabundle".into(), Field::Bundle(d.cabundle.iter().map(|c| c.to_vec()).collect())),
			("public_key".into(), opt(d.public_key)),
			("user_data".into(), opt(d.user_data)),
			("nonce".into(), opt(d.nonce)),
		];
		Self {
			tag18: false,
			protected: p.cose.protected.to_vec(),
			unprotected: alloc::vec![0xa0],
			entries,
			indefinite_map: p.cose.payload.first() == Some(&0xbf),
			signature: p.cose.signature.to_vec(),
		}
	}

	/// The field called `name`.
	pub(crate) fn field(&mut self, name: &str) -> &mut Field {
		&mut self.entries.iter_mut().find(|(k, _)| k == name).unwrap().1
	}

	/// Sets (or adds) the field called `name`.
	pub(crate) fn set(&mut self, name: &str, value: Field) -> &mut Self {
		match self.entries.iter_mut().find(|(k, _)| k == name) {
			Some(entry) => entry.1 = value,
			None => self.entries.push((name.into(), value)),
		}
		self
	}

	/// Removes the field called `name`.
	pub(crate) fn remove(&mut self, name: &str) -> &mut Self {
		self.entries.retain(|(k, _)| k != name);
		self
	}

	/// The cabundle, for editing.
	pub(crate) fn cabundle(&mut self) -> &mut Vec<Vec<u8>> {
		match self.field("cabundle") {
			Field::Bundle(b) => b,
			other => panic!("cabundle is {other:?}"),
		}
	}

	/// The PCRs, for editing.
	pub(crate) fn pcrs(&mut self) -> &mut Vec<(u64, Vec<u8>)> {
		match self.field("pcrs") {
			Field::Pcrs(p) => p,
			other => panic!("pcrs is {other:?}"),
		}
	}

	/// The payload map, encoded.
	pub(crate) fn payload(&self) -> Vec<u8> {
		let mut e = Encoder::new(Vec::new());
		if self.indefinite_map {
			e.begin_map().unwrap();
		} else {
			e.map(self.entries.len() as u64).unwrap();
		}
		for (key, value) in &self.entries {
			e.str(key).unwrap();
			match value {
				Field::Text(t) => e.str(t).unwrap(),
				Field::Uint(n) => e.u64(*n).unwrap(),
				Field::Bytes(b) => e.bytes(b).unwrap(),
				Field::Null => e.null().unwrap(),
				Field::Pcrs(pcrs) => {
					e.map(pcrs.len() as u64).unwrap();
					for (i, v) in pcrs {
						e.u64(*i).unwrap().bytes(v).unwrap();
					}
					&mut e
				},
				Field::Raw(raw) => {
					e.writer_mut().extend_from_slice(raw);
					&mut e
				},
				Field::Bundle(certs) => {
					e.array(certs.len() as u64).unwrap();
					for c in certs {
						e.bytes(c).unwrap();
					}
					&mut e
				},
			};
		}
		if self.indefinite_map {
			e.end().unwrap();
		}
		e.into_writer()
	}

	/// The whole COSE_Sign1, encoded.
	pub(crate) fn encode(&self) -> Vec<u8> {
		let mut out = Vec::new();
		if self.tag18 {
			out.push(0xd2);
		}
		let mut e = Encoder::new(Vec::new());
		e.array(4).unwrap().bytes(&self.protected).unwrap();
		out.extend_from_slice(&e.into_writer());
		out.extend_from_slice(&self.unprotected);
		let mut e = Encoder::new(Vec::new());
		e.bytes(&self.payload()).unwrap().bytes(&self.signature).unwrap();
		out.extend_from_slice(&e.into_writer());
		out
	}
}
