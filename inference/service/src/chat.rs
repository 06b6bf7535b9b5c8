//! Chat completions in TEE mode: the built-in tiny text model (`text-char-mlp`: the next
//! character from the last three) run in fixed point, or an upstream OpenAI-compatible server;
//! either way the enclave attests the exchange with a document whose `user_data` binds the
//! request body and the completion ([`exchange_user_data`]).
//!
//! What a client checks: the document verifies under the AWS root (or the dev CA on development
//! chains), its PCRs are the registered measurement, and its `user_data` is
//! `exchange_user_data(SHA-256(request body), SHA-256(completion))` for the bytes it sent and the
//! `choices[0].message.content` it received.

use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};
use veritas_engine::{OnnxModel, QuantizedModel};

use crate::served::{ServeError, MODEL_FILE};

/// The text model's alphabet and context, next to its ONNX file.
pub const TEXT_FILE: &str = "text.json";
/// The domain of [`exchange_user_data`].
pub const CHAT_DOMAIN: &[u8] = b"veritas/chat/v1";
pub use veritas_api::MAX_COMPLETION;

/// The attestation `user_data` of a chat exchange: `SHA-256(CHAT_DOMAIN ‖ request_sha256 ‖
/// completion_sha256)`. The domain keeps it apart from a segment statement's `user_data`.
pub fn exchange_user_data(request_sha256: &[u8; 32], completion_sha256: &[u8; 32]) -> [u8; 32] {
	let mut h = Sha256::new();
	h.update(CHAT_DOMAIN);
	h.update(request_sha256);
	h.update(completion_sha256);
	h.finalize().into()
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
	Sha256::digest(bytes).into()
}

/// The built-in character model.
#[derive(Debug)]
pub struct TextModel {
	model: QuantizedModel,
	alphabet: Vec<char>,
	context: usize,
}

impl TextModel {
	/// Loads `model.onnx` and `text.json` from `dir`, quantized at 2^8 (as its manifest says).
	pub fn load(dir: &Path) -> Result<Self, ServeError> {
		let onnx =
			OnnxModel::load(&dir.join(MODEL_FILE)).map_err(|e| ServeError::Model(e.to_string()))?;
		let model = QuantizedModel::from_float(onnx.layers(), 8)
			.map_err(|e| ServeError::Model(format!("{e:?}")))?;
		let text = std::fs::read(dir.join(TEXT_FILE))
			.map_err(|e| ServeError::Manifest(format!("{TEXT_FILE}: {e}")))?;
		let text: Value = serde_json::from_slice(&text)
			.map_err(|e| ServeError::Manifest(format!("{TEXT_FILE}: {e}")))?;
		let alphabet: Vec<char> = text["alphabet"]
			.as_str()
			.ok_or_else(|| ServeError::Manifest(format!("{TEXT_FILE}: no `alphabet`")))?
			.chars()
			.collect();
		let context = text["context"]
			.as_u64()
			.and_then(|c| usize::try_from(c).ok())
			.filter(|c| *c > 0)
			.ok_or_else(|| ServeError::Manifest(format!("{TEXT_FILE}: no `context`")))?;
		if context * alphabet.len() != model.inputs() || alphabet.len() != model.outputs() {
			return Err(ServeError::Mismatch(format!(
				"{context} × {} characters do not fit the model's {} → {}",
				alphabet.len(),
				model.inputs(),
				model.outputs()
			)));
		}
		Ok(Self { model, alphabet, context })
	}

	/// The prompt reduced to the alphabet (lower case; anything else a space).
	fn normalise(&self, prompt: &str) -> Vec<usize> {
		let space = self.alphabet.iter().position(|c| *c == ' ').unwrap_or(0);
		prompt
			.to_lowercase()
			.chars()
			.map(|c| self.alphabet.iter().position(|a| *a == c).unwrap_or(space))
			.collect()
	}

	/// `n` characters (at most [`MAX_COMPLETION`]) continuing `prompt`, each the most likely next
	/// character of the fixed-point model.
	pub fn complete(&self, prompt: &str, n: usize) -> Result<String, ServeError> {
		let space = self.alphabet.iter().position(|c| *c == ' ').unwrap_or(0);
		let mut text = self.normalise(prompt);
		while text.len() < self.context {
			text.insert(0, space);
		}
		let k = self.alphabet.len();
		let mut out = String::new();
		for _ in 0..n.min(MAX_COMPLETION) {
			let mut one_hot = vec![0f32; self.context * k];
			for (i, c) in text[text.len() - self.context..].iter().enumerate() {
				one_hot[i * k + c] = 1.0;
			}
			let x = self
				.model
				.quantize_input(&one_hot)
				.map_err(|e| ServeError::Model(format!("{e:?}")))?;
			let logits = self.model.run(&x).map_err(|e| ServeError::Model(format!("{e:?}")))?;
			// The first of equal maxima, as `veritas_engine::argmax` does for floats.
			let next =
				logits.iter().enumerate().rev().max_by_key(|(_, v)| **v).map_or(space, |(i, _)| i);
			out.push(self.alphabet[next]);
			text.push(next);
		}
		Ok(out)
	}
}
