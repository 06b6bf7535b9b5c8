//! Model manifests: the JSON a model owner writes, and its SCALE form as the chain stores it.
//!
//! The JSON:
//!
//! ```json
//! {
//!   "name": "digits-mlp",
//!   "file": "digits.onnx",
//!   "scale": 256,
//!   "input_shape": [1, 64],
//!   "output_shape": [1, 10],
//!   "segments": [
//!     { "accepts": ["tee"], "measurement": "0x…32 bytes" },
//!     { "accepts": ["zk"], "vk": "0x…32 bytes" },
//!     { "accepts": ["tee", "tee_attested"], "measurement": "0x…32 bytes" }
//!   ]
//! }
//! ```
//!
//! `file` is the model file, relative to the manifest (its SHA-256 is registered); instead,
//! `file_sha256` may give the hash (`0x` hex). `accepts` lists the evidence kinds of a segment
//! (`none`, `tee`, `tee_attested`, `zk`); `vk` is required exactly when `zk` is accepted and
//! `measurement` exactly when `tee` or `tee_attested` is (the chain refuses other manifests,
//! naming the rule). `development` (optional, `false` by default) marks a manifest made with
//! development trust anchors (the public setup seed's keys, a development enclave image): the
//! chain stores it and `veritas result --verify` warns about results of such a model. A
//! measurement is named by its id, the digest of the enclave image's PCRs
//! (`veritas_primitives::measurement_id`; `veritas measurement register` prints it): the
//! manifest pins the image's content, not a number whoever registers first could take.

use std::{io::Read, path::Path};

use codec::{Decode, Encode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use veritas_primitives::{EvidenceKind, EvidenceSet, SegmentSpec};

/// The largest manifest file read.
pub const MAX_MANIFEST_LEN: u64 = 1024 * 1024;

/// Why a manifest cannot be used: the file, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ManifestError(pub String);

/// A manifest, in the SCALE layout of `pallet_models::ModelManifest`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Manifest {
	/// The model's name.
	pub name: Vec<u8>,
	/// SHA-256 of the model file.
	pub file_hash: [u8; 32],
	/// The quantization scale.
	pub scale: u32,
	/// The input tensor's shape.
	pub input_shape: Vec<u32>,
	/// The output tensor's shape.
	pub output_shape: Vec<u32>,
	/// The segments.
	pub segments: Vec<SegmentSpec>,
	/// Made with development trust anchors (the public setup seed's keys, a development enclave
	/// image).
	pub development: bool,
}

impl Manifest {
	/// The digest of the model's content, as the chain computes it from the registered manifest
	/// ([`veritas_primitives::model_digest`]): evidence names it besides the model's id.
	pub fn digest(&self) -> [u8; 32] {
		veritas_primitives::model_digest(
			&self.file_hash,
			self.scale,
			&self.input_shape,
			&self.output_shape,
			&self.segments,
			self.development,
		)
	}
}

/// Parses a 32-byte id written as hex, with or without `0x`.
pub fn parse_id(s: &str) -> Result<[u8; 32], ManifestError> {
	let digits = s.strip_prefix("0x").unwrap_or(s);
	let bytes = hex::decode(digits).map_err(|e| ManifestError(format!("id {s:?}: {e}")))?;
	bytes
		.try_into()
		.map_err(|b: Vec<u8>| ManifestError(format!("id {s:?}: {} bytes, expected 32", b.len())))
}

fn bad(path: &Path, what: impl std::fmt::Display) -> ManifestError {
	ManifestError(format!("{}: {what}", path.display()))
}

fn shape(path: &Path, v: &Value, field: &str) -> Result<Vec<u32>, ManifestError> {
	v[field]
		.as_array()
		.ok_or_else(|| bad(path, format!("`{field}` must be an array of dimensions")))?
		.iter()
		.map(|d| {
			d.as_u64()
				.and_then(|d| u32::try_from(d).ok())
				.ok_or_else(|| bad(path, format!("`{field}` holds a dimension that is not a u32")))
		})
		.collect()
}

fn kind(path: &Path, name: &Value) -> Result<EvidenceKind, ManifestError> {
	name.as_str().and_then(EvidenceKind::from_name).ok_or_else(|| {
		bad(path, format!("unknown evidence kind {name} (none, tee, tee_attested, zk)"))
	})
}

fn segment(path: &Path, i: usize, s: &Value) -> Result<SegmentSpec, ManifestError> {
	let kinds = s["accepts"]
		.as_array()
		.ok_or_else(|| bad(path, format!("segment {i}: `accepts` must be an array")))?
		.iter()
		.map(|k| kind(path, k))
		.collect::<Result<Vec<_>, _>>()?;
	let vk = match &s["vk"] {
		Value::Null => None,
		Value::String(hex) => {
			Some(parse_id(hex).map_err(|e| bad(path, format!("segment {i}: {e}")))?)
		},
		_ => return Err(bad(path, format!("segment {i}: `vk` must be a 0x-hex key id"))),
	};
	let measurement = match &s["measurement"] {
		Value::Null => None,
		Value::String(hex) => {
			Some(parse_id(hex).map_err(|e| bad(path, format!("segment {i}: {e}")))?)
		},
		_ => {
			return Err(bad(
				path,
				format!("segment {i}: `measurement` must be a 0x-hex measurement id"),
			))
		},
	};
	Ok(SegmentSpec { accepts: EvidenceSet::of(&kinds), vk, measurement })
}

/// SHA-256 of the file at `path`, read in chunks (a model file may be large).
fn file_sha256(path: &Path) -> Result<[u8; 32], ManifestError> {
	let cannot = |e: std::io::Error| ManifestError(format!("cannot read {}: {e}", path.display()));
	let mut file = std::fs::File::open(path).map_err(cannot)?;
	let mut hasher = Sha256::new();
	let mut buffer = vec![0u8; 1 << 16];
	loop {
		let n = file.read(&mut buffer).map_err(cannot)?;
		if n == 0 {
			return Ok(hasher.finalize().into());
		}
		hasher.update(&buffer[..n]);
	}
}

/// Reads and checks the manifest at `path` (hashing the model file it names).
pub fn read_manifest(path: &Path) -> Result<Manifest, ManifestError> {
	let cannot = |e: std::io::Error| ManifestError(format!("cannot read {}: {e}", path.display()));
	let len = std::fs::metadata(path).map_err(cannot)?.len();
	if len > MAX_MANIFEST_LEN {
		return Err(bad(path, format!("{len} bytes, more than the {MAX_MANIFEST_LEN} read")));
	}
	let v: Value = serde_json::from_slice(&std::fs::read(path).map_err(cannot)?)
		.map_err(|e| bad(path, format!("not JSON: {e}")))?;
	let name = v["name"].as_str().ok_or_else(|| bad(path, "`name` must be a string"))?;
	let file_hash = match (&v["file"], &v["file_sha256"]) {
		(Value::String(file), Value::Null) => {
			file_sha256(&path.parent().unwrap_or_else(|| Path::new(".")).join(file))?
		},
		(Value::Null, Value::String(hex)) => parse_id(hex).map_err(|e| bad(path, e))?,
		_ => return Err(bad(path, "give exactly one of `file` and `file_sha256`")),
	};
	let scale = v["scale"]
		.as_u64()
		.and_then(|s| u32::try_from(s).ok())
		.ok_or_else(|| bad(path, "`scale` must be a u32"))?;
	let segments = v["segments"]
		.as_array()
		.ok_or_else(|| bad(path, "`segments` must be an array"))?
		.iter()
		.enumerate()
		.map(|(i, s)| segment(path, i, s))
		.collect::<Result<Vec<_>, _>>()?;
	let development = match &v["development"] {
		Value::Null => false,
		Value::Bool(b) => *b,
		_ => return Err(bad(path, "`development` must be true or false")),
	};
	Ok(Manifest {
		name: name.as_bytes().to_vec(),
		file_hash,
		scale,
		input_shape: shape(path, &v, "input_shape")?,
		output_shape: shape(path, &v, "output_shape")?,
		segments,
		development,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	fn shipped(model: &str) -> std::path::PathBuf {
		std::path::PathBuf::from(
			std::env::var("CARGO_MANIFEST_DIR")
				.unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
		)
		.join("../models")
		.join(model)
		.join("manifest.json")
	}

	#[test]
	fn the_shipped_manifests_read_and_hash_their_model_file() {
		for model in ["digits-mlp", "digits-mlp-large", "digits-cnn", "text-char-mlp"] {
			let path = shipped(model);
			let manifest = read_manifest(&path).unwrap();
			assert_eq!(manifest.name, model.as_bytes());
			let onnx = std::fs::read(path.with_file_name("model.onnx")).unwrap();
			assert_eq!(manifest.file_hash, <[u8; 32]>::from(Sha256::digest(onnx)));
			assert!(!manifest.segments.is_empty());
			assert_eq!(
				manifest.digest(),
				Manifest::decode(&mut &manifest.encode()[..]).unwrap().digest()
			);
		}
	}

	/// A model file far larger than the manifest limit (1 MiB) is hashed whole, streamed: issue
	/// 20's 8 MB model that `manifest` accepted but the node could not serve.
	#[test]
	fn a_model_file_of_many_megabytes_is_hashed_whole() {
		let dir = tempfile::tempdir().unwrap();
		let model: Vec<u8> =
			(0..9_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
		std::fs::write(dir.path().join("big.onnx"), &model).unwrap();
		let manifest = serde_json::json!({
			"name": "big", "file": "big.onnx", "scale": 256,
			"input_shape": [1, 4], "output_shape": [1, 2],
			"segments": [{"accepts": ["tee"]}],
		});
		let path = dir.path().join("manifest.json");
		std::fs::write(&path, manifest.to_string()).unwrap();
		let read = read_manifest(&path).unwrap();
		assert_eq!(read.file_hash, <[u8; 32]>::from(Sha256::digest(&model)));
	}

	/// Every way a manifest can be wrong is a `ManifestError` naming the file and the field.
	#[test]
	fn malformed_manifests_are_refused_naming_what_is_wrong() {
		let dir = tempfile::tempdir().unwrap();
		let good = serde_json::json!({
			"name": "m", "file_sha256": format!("0x{}", "11".repeat(32)), "scale": 256,
			"input_shape": [1, 4], "output_shape": [1, 2],
			"segments": [{"accepts": ["zk"], "vk": format!("0x{}", "22".repeat(32))},
				{"accepts": ["tee"], "measurement": format!("0x{}", "33".repeat(32))}],
		});
		let path = dir.path().join("manifest.json");
		let read = |v: &Value| {
			std::fs::write(&path, v.to_string()).unwrap();
			read_manifest(&path)
		};
		assert_eq!(read(&good).unwrap().segments.len(), 2);
		let cases: Vec<(&str, Box<dyn Fn(&mut Value)>, &str)> = vec![
			("name", Box::new(|v| v["name"] = 7.into()), "`name` must be a string"),
			("both hashes", Box::new(|v| v["file"] = "m.onnx".into()), "exactly one of"),
			("no hash", Box::new(|v| v["file_sha256"] = Value::Null), "exactly one of"),
			("short hash", Box::new(|v| v["file_sha256"] = "0x11".into()), "expected 32"),
			(
				"missing file",
				Box::new(|v| {
					v["file_sha256"] = Value::Null;
					v["file"] = "absent.onnx".into();
				}),
				"cannot read",
			),
			("scale", Box::new(|v| v["scale"] = (-1).into()), "`scale` must be a u32"),
			(
				"shape",
				Box::new(|v| v["input_shape"] = "1x4".into()),
				"`input_shape` must be an array",
			),
			(
				"dimension",
				Box::new(|v| v["output_shape"] = serde_json::json!([1, 1u64 << 33])),
				"not a u32",
			),
			("segments", Box::new(|v| v["segments"] = Value::Null), "`segments` must be an array"),
			(
				"development",
				Box::new(|v| v["development"] = "yes".into()),
				"`development` must be true or false",
			),
			(
				"accepts",
				Box::new(|v| v["segments"][0]["accepts"] = "zk".into()),
				"`accepts` must be an array",
			),
			(
				"kind",
				Box::new(|v| v["segments"][0]["accepts"] = serde_json::json!(["sgx"])),
				"unknown evidence kind",
			),
			("vk", Box::new(|v| v["segments"][0]["vk"] = 3.into()), "`vk` must be a 0x-hex key id"),
			("vk hex", Box::new(|v| v["segments"][0]["vk"] = "0xzz".into()), "segment 0: id"),
			(
				"measurement",
				// The numbered ids of before: refused, naming what a measurement is now.
				Box::new(|v| v["segments"][1]["measurement"] = 0.into()),
				"`measurement` must be a 0x-hex measurement id",
			),
			(
				"measurement hex",
				Box::new(|v| v["segments"][1]["measurement"] = "0x33".into()),
				"segment 1: id \"0x33\": 1 bytes, expected 32",
			),
		];
		for (case, edit, expected) in cases {
			let mut v = good.clone();
			edit(&mut v);
			let e = read(&v).expect_err(case);
			assert!(e.0.contains(expected), "{case}: {e}");
			assert!(e.0.contains("manifest.json") || e.0.contains("absent.onnx"), "{case}: {e}");
		}
		std::fs::write(&path, b"{not json").unwrap();
		assert!(read_manifest(&path).unwrap_err().0.contains("not JSON"));
		assert!(read_manifest(&dir.path().join("none.json"))
			.unwrap_err()
			.0
			.contains("cannot read"));
	}
}
