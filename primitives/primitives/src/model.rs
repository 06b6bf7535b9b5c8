//! What identifies a model's content, whatever chain id or name it was registered under.
//!
//! Evidence names the model it was made with by content as well as by id (see
//! [`crate::SegmentStatement`]): the model file's SHA-256 and [`model_digest`], a digest of
//! everything in its manifest that decides what a result means (the file, the quantization, the
//! tensor shapes, each segment's accepted evidence, verifying key and measurement, and whether it
//! was made with development trust anchors). The name is left out: anyone may register the same
//! content under another name, and it is the same model.

use codec::Encode;
use sha2::{Digest, Sha256};

use crate::SegmentSpec;

/// Domain of [`model_digest`].
pub const MODEL_DOMAIN: &[u8] = b"veritas/model/v1";

/// `SHA-256(MODEL_DOMAIN ‖ SCALE(file_hash, scale, input_shape, output_shape, segments,
/// development))`.
///
/// The slices encode as SCALE vectors (a compact length, then the items), as the manifest's
/// bounded vectors do, so the chain (from its stored manifest) and a node (from the model it
/// loaded) compute the same digest.
pub fn model_digest(
	file_hash: &[u8; 32],
	scale: u32,
	input_shape: &[u32],
	output_shape: &[u32],
	segments: &[SegmentSpec],
	development: bool,
) -> [u8; 32] {
	let mut h = Sha256::new();
	h.update(MODEL_DOMAIN);
	h.update((file_hash, scale, input_shape, output_shape, segments, development).encode());
	h.finalize().into()
}
