//! `veritas model register --manifest FILE`: a model manifest (JSON) registered on chain.
//!
//! The manifest:
//!
//! ```json
//! {
//!   "name": "digits-mlp",
//!   "file": "digits.onnx",
//!   "scale": 256,
//!   "input_shape": [1, 64],
//!   "output_shape": [1, 10],
//!   "segments": [
//!     { "accepts": ["tee"], "measurement": 0 },
//!     { "accepts": ["zk"], "vk": "0x…32 bytes" },
//!     { "accepts": ["tee", "tee_attested"], "measurement": 0 }
//!   ]
//! }
//! ```
//!
//! `file` is the model file, relative to the manifest (its SHA-256 is registered); instead,
//! `file_sha256` may give the hash (`0x` hex). `accepts` lists the evidence kinds of a segment
//! (`none`, `tee`, `tee_attested`, `zk`); `vk` is required exactly when `zk` is accepted and
//! `measurement` exactly when `tee` or `tee_attested` is (the chain refuses other manifests,
//! naming the rule).

use std::path::Path;

use codec::{Decode, Encode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use veritas_primitives::{EvidenceKind, EvidenceSet, SegmentSpec};

use crate::{
	chain::{self, EncodedArgs, EncodedCall},
	files::{self, parse_id},
	Exit,
};

/// The models pallet in the runtime.
pub const MODELS_PALLET: &str = "Models";

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
		)
	}
}

fn bad(path: &Path, what: impl std::fmt::Display) -> Exit {
	Exit::malformed(format!("{}: {what}", path.display()))
}

fn shape(path: &Path, v: &Value, field: &str) -> Result<Vec<u32>, Exit> {
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

/// The evidence kind named `none`, `tee`, `tee_attested` or `zk` (the names the inference
/// node's API uses too).
pub use veritas_api::kind_named;

fn kind(path: &Path, name: &Value) -> Result<EvidenceKind, Exit> {
	name.as_str().and_then(kind_named).ok_or_else(|| {
		bad(path, format!("unknown evidence kind {name} (none, tee, tee_attested, zk)"))
	})
}

fn segment(path: &Path, i: usize, s: &Value) -> Result<SegmentSpec, Exit> {
	let kinds = s["accepts"]
		.as_array()
		.ok_or_else(|| bad(path, format!("segment {i}: `accepts` must be an array")))?
		.iter()
		.map(|k| kind(path, k))
		.collect::<Result<Vec<_>, _>>()?;
	let vk = match &s["vk"] {
		Value::Null => None,
		Value::String(hex) => Some(parse_id(hex)?),
		_ => return Err(bad(path, format!("segment {i}: `vk` must be a 0x-hex key id"))),
	};
	let measurement = match &s["measurement"] {
		Value::Null => None,
		v => Some(
			v.as_u64()
				.and_then(|m| u32::try_from(m).ok())
				.ok_or_else(|| bad(path, format!("segment {i}: `measurement` must be a u32")))?,
		),
	};
	Ok(SegmentSpec { accepts: EvidenceSet::of(&kinds), vk, measurement })
}

/// Reads and checks the manifest at `path` (hashing the model file it names).
pub fn read_manifest(path: &Path) -> Result<Manifest, Exit> {
	let v: Value = serde_json::from_slice(&files::read(path)?)
		.map_err(|e| bad(path, format!("not JSON: {e}")))?;
	let name = v["name"].as_str().ok_or_else(|| bad(path, "`name` must be a string"))?;
	let file_hash = match (&v["file"], &v["file_sha256"]) {
		(Value::String(file), Value::Null) => {
			let model = path.parent().unwrap_or_else(|| Path::new(".")).join(file);
			Sha256::digest(files::read(&model)?).into()
		},
		(Value::Null, Value::String(hex)) => parse_id(hex)?,
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
	Ok(Manifest {
		name: name.as_bytes().to_vec(),
		file_hash,
		scale,
		input_shape: shape(path, &v, "input_shape")?,
		output_shape: shape(path, &v, "output_shape")?,
		segments,
	})
}

/// What `model register` produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
	/// The new model id.
	pub id: u32,
	/// Its version (1 for a new name).
	pub version: u32,
	/// The finalized block.
	pub block_hash: [u8; 32],
}

/// Registers the manifest at `path`; returns the model id once finalized.
pub async fn register(url: &str, suri: &str, path: &Path) -> Result<Registered, Exit> {
	let manifest = read_manifest(path)?;
	let call = EncodedCall {
		pallet: MODELS_PALLET,
		call: "register_model",
		args: EncodedArgs(manifest.encode()),
	};
	let landed = chain::submit_for_event(url, suri, &call, &["ModelRegistered"]).await?;
	let fields = landed.fields;
	// ModelRegistered { id: u32, owner: AccountId32, name: Vec<u8>, version: u32 }.
	let u32_at = |at: Option<usize>| {
		at.and_then(|at| fields.get(at..at.checked_add(4)?))
			.and_then(|b| b.try_into().ok())
			.map(u32::from_le_bytes)
			.ok_or_else(|| Exit::unreachable("a ModelRegistered event too short"))
	};
	let id = u32_at(Some(0))?;
	let version = u32_at(fields.len().checked_sub(4))?;
	Ok(Registered { id, version, block_hash: landed.block_hash })
}
