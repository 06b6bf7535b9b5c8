//! The models a node serves. A model directory holds `model.onnx` and `manifest.json` (the
//! manifest `veritas model register` takes); the node quantizes the ONNX layers at the manifest's
//! scale, cuts them into the manifest's segments and, for each segment that accepts ZK, makes the
//! Groth16 keys whose id the manifest names.
//!
//! Keys come from a setup seed (a single-party setup: whoever knows the seed can forge proofs).
//! [`DEV_SETUP_SEED`] is public on purpose, for development chains; production keys need a
//! ceremony. The shipped manifests were made with it by `veritas-inference manifest`. A segment
//! whose model directory holds `keys/segment-I.pk` ([`key_path`]) takes its keys from that file
//! instead: a snarkjs ceremony's key (`scripts/zkey-ceremony.sh` on the segment's
//! `veritas-inference r1cs` export), imported by `veritas-zkey import`, which checks it is the
//! segment's and converts it for arkworks' prover; the manifest then names the ceremony's key.

use std::{
	path::{Path, PathBuf},
	sync::Arc,
};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use veritas_api::JsonTensor;
use veritas_chain::{read_manifest, Manifest};
use veritas_engine::{
	GraphSegment, OnnxError, OnnxGraph, OnnxModel, QuantizeError, QuantizedModel,
};
use veritas_primitives::EvidenceKind;
use veritas_prover::{setup, SegmentKeys, ZkSegment};

use crate::segment::{run_chain, SegmentError, ServedSegment};

/// The model file in a model directory.
pub const MODEL_FILE: &str = "model.onnx";
/// The manifest in a model directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The subdirectory of a model directory holding imported keys from a ceremony: `segment-I.pk`.
pub const KEY_DIR: &str = "keys";
/// The largest key file read (a segment's proving key is a few MB at most).
pub const MAX_KEY_FILE_LEN: u64 = 1 << 30;
/// The public development setup seed (never for production keys).
pub const DEV_SETUP_SEED: [u8; 32] = *b"veritas development setup seed!!";

/// Why a model cannot be served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServeError {
	/// The manifest is missing or malformed.
	Manifest(String),
	/// The ONNX model does not load or is not supported.
	Model(String),
	/// The manifest does not describe this model file.
	Mismatch(String),
	/// Key generation failed.
	Setup(String),
}

impl core::fmt::Display for ServeError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Manifest(e) => write!(f, "manifest: {e}"),
			Self::Model(e) => write!(f, "model: {e}"),
			Self::Mismatch(e) => write!(f, "the manifest does not match the model: {e}"),
			Self::Setup(e) => write!(f, "key setup: {e}"),
		}
	}
}

impl std::error::Error for ServeError {}

/// The seed of segment `index`'s keys: SHA-256 of a domain, the setup seed, the model file's
/// hash and the index.
pub fn segment_seed(setup_seed: &[u8; 32], file_hash: &[u8; 32], index: usize) -> [u8; 32] {
	let mut h = Sha256::new();
	h.update(b"veritas/setup/v1");
	h.update(setup_seed);
	h.update(file_hash);
	h.update((index as u32).to_le_bytes());
	h.finalize().into()
}

/// The fixed-point bits of a power-of-two `scale` (1 ≤ bits ≤ 16).
pub fn scale_bits(scale: u32) -> Option<u8> {
	(scale.is_power_of_two() && (2..=1 << 16).contains(&scale))
		.then(|| scale.trailing_zeros() as u8)
}

/// A model the node serves.
#[derive(Debug)]
pub struct ServedModel {
	/// Its directory.
	pub dir: PathBuf,
	/// Its name (the manifest's).
	pub name: String,
	/// The manifest, as registered on chain.
	pub manifest: Manifest,
	/// The manifest's content digest (`Manifest::digest`), which the node's evidence names.
	pub digest: [u8; 32],
	/// Its segments, as run (and, the circuit ones, proved).
	pub segments: Vec<ServedSegment>,
	/// The keys of each segment that accepts ZK.
	pub keys: Vec<Option<SegmentKeys>>,
}

/// A model file cut into the segments a node runs.
#[derive(Debug)]
pub struct SegmentedModel {
	/// The segments, in order.
	pub segments: Vec<ServedSegment>,
	/// SHA-256 of the model file.
	pub file_hash: [u8; 32],
	/// The whole model in `f32` (tract), the reference its segments are measured against.
	pub float: Arc<OnnxGraph>,
}

/// The model file of directory `dir` at `scale`, cut into segments.
///
/// Without `cuts` (the default cut), one circuit segment per layer when the model is a chain of
/// layers the circuits cover, else one graph segment that tract runs (any model its typed graph
/// takes). With `cuts` (tensor names, a manifest's boundaries), the graph is cut at those tensors
/// (each cut must separate the graph) and each part becomes a circuit segment when it is a chain
/// of layers the circuits cover, else a graph segment.
pub fn segment_model(dir: &Path, scale: u32, cuts: &[&str]) -> Result<SegmentedModel, ServeError> {
	let bits = scale_bits(scale).ok_or_else(|| {
		ServeError::Mismatch(format!("scale {scale} is not a power of two in 2..=65536"))
	})?;
	let path = dir.join(MODEL_FILE);
	let bytes = std::fs::read(&path)
		.map_err(|e| ServeError::Model(format!("cannot read {}: {e}", path.display())))?;
	let proto = veritas_engine::onnx::decode(&bytes).map_err(model_error)?;
	let file_hash: [u8; 32] = Sha256::digest(&bytes).into();
	if !cuts.is_empty() {
		let float = Arc::new(OnnxGraph::from_proto(&proto).map_err(model_error)?);
		let parts = veritas_engine::cut::cut(&float, cuts).map_err(model_error)?;
		let ends: Vec<Option<&str>> = std::iter::once(None)
			.chain(cuts.iter().copied().map(Some))
			.chain(std::iter::once(None))
			.collect();
		let segments = parts
			.into_iter()
			.zip(ends.windows(2))
			.map(|(part, ends)| cut_segment(&proto, part, (ends[0], ends[1]), bits))
			.collect::<Result<_, _>>()?;
		return Ok(SegmentedModel { segments, file_hash, float });
	}
	match OnnxModel::from_proto(&proto, file_hash) {
		Ok(onnx) => {
			let quantized = QuantizedModel::from_float(onnx.layers(), bits)
				.map_err(|e| ServeError::Model(format!("{e:?}")))?;
			let segments = ZkSegment::of_model(&quantized)
				.map_err(|e| ServeError::Model(format!("{e:?}")))?
				.into_iter()
				.map(ServedSegment::Circuit)
				.collect();
			let float = Arc::clone(onnx.graph());
			Ok(SegmentedModel { segments, file_hash, float })
		},
		Err(OnnxError::Unsupported(why)) => {
			let float = Arc::new(OnnxGraph::from_proto(&proto).map_err(model_error)?);
			let segment = GraphSegment::new(Arc::clone(&float), bits)
				.map_err(|e| ServeError::Model(e.to_string()))?;
			Ok(SegmentedModel {
				segments: vec![ServedSegment::graph(segment, why)],
				file_hash,
				float,
			})
		},
		Err(e) => Err(model_error(e)),
	}
}

fn model_error(e: OnnxError) -> ServeError {
	ServeError::Model(e.to_string())
}

/// The segment of a cut model that `part` (the graph from the tensor `from` to the tensor `to`;
/// `None`: the model's input, its output) runs: a circuit segment when the layer reader takes
/// that part of the file as a chain of layers, else a graph segment, which carries the reader's
/// refusal. Both keep the part's boundary shapes, so that the commitments of neighbours agree.
fn cut_segment(
	proto: &veritas_engine::onnx::pb::ModelProto,
	part: OnnxGraph,
	(from, to): (Option<&str>, Option<&str>),
	bits: u8,
) -> Result<ServedSegment, ServeError> {
	let shape = |dims: &[usize]| dims.iter().map(|d| *d as u32).collect::<Vec<u32>>();
	let ends = ((from, part.input_shape()), (to, part.output_shape()));
	match veritas_engine::onnx::layers_between(proto, ends.0, ends.1) {
		Ok(layers) => {
			let segment = QuantizedModel::from_float(&layers, bits)
				.and_then(|q| q.one_segment())
				.map_err(|e| ServeError::Model(format!("{e:?}")))?;
			let (input, output) = (shape(part.input_shape()), shape(part.output_shape()));
			let zk = ZkSegment::new(segment, input, output)
				.map_err(|e| ServeError::Model(format!("{e:?}")))?;
			Ok(ServedSegment::Circuit(zk))
		},
		Err(OnnxError::Unsupported(why)) => {
			let segment = GraphSegment::new(Arc::new(part), bits)
				.map_err(|e| ServeError::Model(e.to_string()))?;
			Ok(ServedSegment::graph(segment, why))
		},
		Err(e) => Err(model_error(e)),
	}
}

/// Where a model directory keeps a segment's imported key from a ceremony.
pub fn key_path(dir: &Path, index: usize) -> PathBuf {
	dir.join(KEY_DIR).join(format!("segment-{index}.pk"))
}

/// Segment `index`'s keys: from its imported ceremony key when the model directory has one
/// ([`key_path`]), else from the setup seed (development).
fn keys(
	dir: &Path,
	segment: &ZkSegment,
	setup_seed: &[u8; 32],
	file_hash: &[u8; 32],
	index: usize,
) -> Result<SegmentKeys, ServeError> {
	let path = key_path(dir, index);
	let refused = |e: &dyn std::fmt::Debug| ServeError::Setup(format!("{}: {e:?}", path.display()));
	match std::fs::File::open(&path) {
		Ok(file) => {
			let reader = std::io::BufReader::new(std::io::Read::take(file, MAX_KEY_FILE_LEN));
			let keys = SegmentKeys::read(reader).map_err(|e| refused(&e))?;
			// The key's wires are the circuit's: one point per wire in its A query.
			let wires = veritas_prover::r1cs::matrices(segment).map_err(|e| refused(&e))?;
			let wires = wires.num_instance_variables + wires.num_witness_variables;
			if keys.pk.a_query.len() != wires {
				return Err(refused(&format!(
					"a key for {} wires, where segment {index} has {wires}",
					keys.pk.a_query.len()
				)));
			}
			Ok(keys)
		},
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
			setup(segment, segment_seed(setup_seed, file_hash, index))
				.map_err(|e| ServeError::Setup(format!("segment {index}: {e:?}")))
		},
		Err(e) => Err(refused(&e)),
	}
}

impl ServedModel {
	/// Loads the model directory `dir`, checking that its manifest describes its model file and
	/// that the ZK keys made from `setup_seed` are the ones the manifest names.
	pub fn load(dir: &Path, setup_seed: &[u8; 32]) -> Result<Self, ServeError> {
		let manifest =
			read_manifest(&dir.join(MANIFEST_FILE)).map_err(|e| ServeError::Manifest(e.0))?;
		// The default cut: a manifest cannot name cuts yet (the chain must bind them first, issue
		// 20 B), so cuts are for `check` and `calibrate` only.
		let SegmentedModel { segments, file_hash, .. } = segment_model(dir, manifest.scale, &[])?;
		if file_hash != manifest.file_hash {
			return Err(ServeError::Mismatch("the model file's SHA-256 differs".into()));
		}
		if segments.len() != manifest.segments.len() {
			return Err(ServeError::Mismatch(format!(
				"{} segments in the manifest, {} in the model",
				manifest.segments.len(),
				segments.len()
			)));
		}
		let (first, last) = (&segments[0], &segments[segments.len() - 1]);
		if manifest.input_shape != first.input_shape()
			|| manifest.output_shape != last.output_shape()
		{
			return Err(ServeError::Mismatch(format!(
				"shapes {:?} → {:?} in the manifest, {:?} → {:?} in the model",
				manifest.input_shape,
				manifest.output_shape,
				first.input_shape(),
				last.output_shape()
			)));
		}
		let mut all_keys = Vec::new();
		for (i, (segment, spec)) in segments.iter().zip(&manifest.segments).enumerate() {
			let segment = match (segment.zk(), spec.accepts.contains(EvidenceKind::Zk)) {
				(_, false) => {
					all_keys.push(None);
					continue;
				},
				(Some(segment), true) => segment,
				(None, true) => {
					return Err(ServeError::Mismatch(format!(
						"segment {i} accepts zk, but it has no circuit: {}",
						segment.no_circuit().unwrap_or_default()
					)))
				},
			};
			let Some(vk) = spec.vk else {
				all_keys.push(None);
				continue;
			};
			let k = keys(dir, segment, setup_seed, &manifest.file_hash, i)?;
			let made = veritas_verifier_groth16::vk_id(&k.vk);
			if made != vk {
				return Err(ServeError::Mismatch(format!(
					"segment {i}: the manifest names key 0x{}, the setup seed or the key file gives 0x{}",
					hex::encode(vk),
					hex::encode(made)
				)));
			}
			all_keys.push(Some(k));
		}
		let name = String::from_utf8_lossy(&manifest.name).into_owned();
		let digest = manifest.digest();
		Ok(Self { dir: dir.to_path_buf(), name, manifest, digest, segments, keys: all_keys })
	}

	/// Values the model takes.
	pub fn inputs(&self) -> usize {
		self.segments.first().map_or(0, ServedSegment::inputs)
	}

	/// Float features in fixed point at the manifest's scale ([`veritas_api::units::quantize`]).
	pub fn quantize_input(&self, features: &[f32]) -> Result<Vec<i32>, QuantizeError> {
		let features: Vec<f64> = features.iter().map(|v| f64::from(*v)).collect();
		veritas_api::units::quantize_all(&features, self.manifest.scale)
			.map_err(|index| QuantizeError::BadInput { index })
	}

	/// Features a client sent (a flat array, or nested arrays in the input's natural shape,
	/// leading dimensions of size 1 optional), checked against the manifest's input shape and
	/// quantized at its scale; the refusal says why.
	pub fn features_input(&self, features: &JsonTensor<f32>) -> Result<Vec<i32>, String> {
		let shape = &self.manifest.input_shape;
		if !veritas_api::tensor::fits(&features.shape, shape) {
			return Err(format!(
				"features of shape {:?} for a model taking {shape:?}",
				features.shape
			));
		}
		self.quantize_input(&features.values).map_err(|e| match e {
			QuantizeError::BadInput { index } => {
				format!("feature {index} does not fit an i32 at the model's scale")
			},
			other => format!("{other:?}"),
		})
	}

	/// The model's fixed-point `values` as real numbers at its scale.
	pub fn dequantize(&self, values: &[i32]) -> Vec<f64> {
		values.iter().map(|v| veritas_api::units::dequantize(*v, self.manifest.scale)).collect()
	}

	/// Every segment's output boundary for the input `x`: `outputs[i]` is segment i's.
	pub fn run_segments(&self, x: &[i32]) -> Result<Vec<Vec<i32>>, SegmentError> {
		run_chain(&self.segments, x)
	}

	/// The model's output for the input `x`.
	pub fn run(&self, x: &[i32]) -> Result<Vec<i32>, SegmentError> {
		Ok(self.run_segments(x)?.pop().unwrap_or_default())
	}

	/// Whether the chain's manifest `other` is this model's (the name may differ: anyone may
	/// register the same model under their own name).
	pub fn matches(&self, other: &Manifest) -> bool {
		let m = &self.manifest;
		(m.file_hash, m.scale, &m.input_shape, &m.output_shape, &m.segments)
			== (
				other.file_hash,
				other.scale,
				&other.input_shape,
				&other.output_shape,
				&other.segments,
			)
	}
}

/// Segment `index` of the model in directory `dir`, quantized with `scale`, as a circom `.r1cs`
/// file (`veritas_prover::r1cs`): what a snarkjs ceremony makes production keys for.
pub fn segment_r1cs(dir: &Path, scale: u32, index: usize) -> Result<Vec<u8>, ServeError> {
	let segment = zk_segment(dir, scale, index)?;
	veritas_prover::r1cs::export(&segment).map_err(|e| ServeError::Setup(format!("{e:?}")))
}

/// Segment `index` of the model in `dir`, quantized with `scale`: the circuit a ceremony's key is
/// made for.
pub fn zk_segment(dir: &Path, scale: u32, index: usize) -> Result<ZkSegment, ServeError> {
	let model = segment_model(dir, scale, &[])?;
	let segment = model.segments.get(index).ok_or_else(|| {
		ServeError::Mismatch(format!("no segment {index}: the model has {}", model.segments.len()))
	})?;
	segment.zk().cloned().ok_or_else(|| {
		ServeError::Mismatch(format!(
			"segment {index} has no circuit: {}",
			segment.no_circuit().unwrap_or_default()
		))
	})
}

/// The manifest (JSON, what `veritas model register` reads) of the model directory `dir`,
/// quantized with `scale`: every segment accepts every evidence kind it can have (ZK where it has
/// a circuit, with the Groth16 key made from `setup_seed`; TEE with the enclave measurement
/// `measurement`, its id: the digest of the image's PCRs; `none`); `development` marks a manifest
/// made with development trust anchors.
pub fn manifest_json(
	dir: &Path,
	name: &str,
	scale: u32,
	measurement: &veritas_primitives::MeasurementId,
	setup_seed: &[u8; 32],
	development: bool,
) -> Result<Value, ServeError> {
	let SegmentedModel { segments, file_hash, .. } = segment_model(dir, scale, &[])?;
	let measurement = format!("0x{}", hex::encode(measurement));
	let mut specs = Vec::new();
	for (i, segment) in segments.iter().enumerate() {
		specs.push(match segment.zk() {
			Some(segment) => {
				let keys = keys(dir, segment, setup_seed, &file_hash, i)?;
				let vk = veritas_verifier_groth16::vk_id(&keys.vk);
				json!({
					"accepts": ["none", "tee", "tee_attested", "zk"],
					"vk": format!("0x{}", hex::encode(vk)),
					"measurement": measurement,
				})
			},
			None => {
				json!({ "accepts": ["none", "tee", "tee_attested"], "measurement": measurement })
			},
		});
	}
	Ok(json!({
		"name": name,
		"file": MODEL_FILE,
		"scale": scale,
		"input_shape": segments[0].input_shape(),
		"output_shape": segments[segments.len() - 1].output_shape(),
		"segments": specs,
		"development": development,
	}))
}
