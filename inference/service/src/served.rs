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

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use veritas_chain::{read_manifest, Manifest};
use veritas_engine::{OnnxModel, QuantizedModel};
use veritas_primitives::EvidenceKind;
use veritas_prover::{setup, SegmentKeys, ZkSegment};

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
	/// The fixed-point model the node runs.
	pub model: QuantizedModel,
	/// Its segments, as run and proved.
	pub segments: Vec<ZkSegment>,
	/// The keys of each segment that accepts ZK.
	pub keys: Vec<Option<SegmentKeys>>,
}

fn onnx(dir: &Path) -> Result<OnnxModel, ServeError> {
	OnnxModel::load(&dir.join(MODEL_FILE)).map_err(|e| ServeError::Model(e.to_string()))
}

fn quantize(onnx: &OnnxModel, scale: u32) -> Result<QuantizedModel, ServeError> {
	let bits = scale_bits(scale).ok_or_else(|| {
		ServeError::Mismatch(format!("scale {scale} is not a power of two in 2..=65536"))
	})?;
	QuantizedModel::from_float(onnx.layers(), bits).map_err(|e| ServeError::Model(format!("{e:?}")))
}

fn segments(model: &QuantizedModel) -> Result<Vec<ZkSegment>, ServeError> {
	ZkSegment::of_model(model).map_err(|e| ServeError::Model(format!("{e:?}")))
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
		let onnx = onnx(dir)?;
		if onnx.sha256() != manifest.file_hash {
			return Err(ServeError::Mismatch("the model file's SHA-256 differs".into()));
		}
		let model = quantize(&onnx, manifest.scale)?;
		let segments = segments(&model)?;
		if segments.len() != manifest.segments.len() {
			return Err(ServeError::Mismatch(format!(
				"{} segments in the manifest, {} layers in the model",
				manifest.segments.len(),
				segments.len()
			)));
		}
		let (first, last) = (&segments[0], &segments[segments.len() - 1]);
		if manifest.input_shape != first.input_shape || manifest.output_shape != last.output_shape {
			return Err(ServeError::Mismatch(format!(
				"shapes {:?} → {:?} in the manifest, {:?} → {:?} in the model",
				manifest.input_shape, manifest.output_shape, first.input_shape, last.output_shape
			)));
		}
		let mut all_keys = Vec::new();
		for (i, (segment, spec)) in segments.iter().zip(&manifest.segments).enumerate() {
			let Some(vk) = spec.vk.filter(|_| spec.accepts.contains(EvidenceKind::Zk)) else {
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
		Ok(Self { dir: dir.to_path_buf(), name, manifest, digest, model, segments, keys: all_keys })
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

/// Segment `index` of the model in `dir`, quantized with `scale`: the circuit a ceremony's key
/// is made for.
pub fn zk_segment(dir: &Path, scale: u32, index: usize) -> Result<ZkSegment, ServeError> {
	let mut segments = segments(&quantize(&onnx(dir)?, scale)?)?;
	if index >= segments.len() {
		return Err(ServeError::Mismatch(format!(
			"no segment {index}: the model has {}",
			segments.len()
		)));
	}
	Ok(segments.swap_remove(index))
}

/// The manifest (JSON, what `veritas model register` reads) of the model directory `dir`,
/// quantized with `scale`: every segment accepts every evidence kind, with the Groth16 key made
/// from `setup_seed` and the enclave measurement `measurement` (its id: the digest of the
/// image's PCRs); `development` marks a manifest made with development trust anchors.
pub fn manifest_json(
	dir: &Path,
	name: &str,
	scale: u32,
	measurement: &veritas_primitives::MeasurementId,
	setup_seed: &[u8; 32],
	development: bool,
) -> Result<Value, ServeError> {
	let onnx = onnx(dir)?;
	let model = quantize(&onnx, scale)?;
	let segments = segments(&model)?;
	let file_hash = onnx.sha256();
	let mut specs = Vec::new();
	for (i, segment) in segments.iter().enumerate() {
		let vk =
			veritas_verifier_groth16::vk_id(&keys(dir, segment, setup_seed, &file_hash, i)?.vk);
		specs.push(json!({
			"accepts": ["none", "tee", "tee_attested", "zk"],
			"vk": format!("0x{}", hex::encode(vk)),
			"measurement": format!("0x{}", hex::encode(measurement)),
		}));
	}
	Ok(json!({
		"name": name,
		"file": MODEL_FILE,
		"scale": scale,
		"input_shape": segments[0].input_shape,
		"output_shape": segments[segments.len() - 1].output_shape,
		"segments": specs,
		"development": development,
	}))
}
