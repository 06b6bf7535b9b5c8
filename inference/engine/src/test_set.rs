//! A model's held-out test set (`models/*/test-set.json`, written by `scripts/models/train.py`)
//! and the accuracy of an engine on it.

use std::path::Path;

use serde::Deserialize;

use crate::engine::{argmax, EngineError, InferenceEngine};

/// Held-out inputs and labels, with the float model's figures measured when it was trained.
#[derive(Clone, Debug, Deserialize)]
pub struct TestSet {
	/// The model's name.
	pub model: String,
	/// The inputs.
	pub inputs: Vec<Vec<f32>>,
	/// The label of each input.
	pub labels: Vec<usize>,
	/// The float model's accuracy (scikit-learn's forward pass, at training time).
	pub float_accuracy: f64,
	/// The float logits of the first inputs (scikit-learn's forward pass).
	pub float_logits: Vec<Vec<f32>>,
}

impl TestSet {
	/// Reads the test set at `path`.
	pub fn load(path: &Path) -> Result<Self, String> {
		let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
		let set: Self =
			serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
		if set.inputs.len() != set.labels.len() || set.inputs.is_empty() {
			return Err(format!("{}: inputs and labels differ in number", path.display()));
		}
		Ok(set)
	}

	/// How often `engine` predicts the label (the argmax of its output).
	pub fn accuracy(&self, engine: &dyn InferenceEngine) -> Result<Accuracy, EngineError> {
		let mut correct = 0;
		for (input, label) in self.inputs.iter().zip(&self.labels) {
			if argmax(&engine.infer(input)?) == Some(*label) {
				correct += 1;
			}
		}
		Ok(Accuracy { correct, total: self.inputs.len() })
	}

	/// How often two engines predict the same class.
	pub fn agreement(
		&self,
		a: &dyn InferenceEngine,
		b: &dyn InferenceEngine,
	) -> Result<Accuracy, EngineError> {
		let mut same = 0;
		for input in &self.inputs {
			if argmax(&a.infer(input)?) == argmax(&b.infer(input)?) {
				same += 1;
			}
		}
		Ok(Accuracy { correct: same, total: self.inputs.len() })
	}
}

/// `correct` out of `total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accuracy {
	/// Inputs predicted right.
	pub correct: usize,
	/// Inputs.
	pub total: usize,
}

impl Accuracy {
	/// `correct / total`.
	pub fn ratio(&self) -> f64 {
		self.correct as f64 / self.total.max(1) as f64
	}
}
