//! `veritas-inference calibrate`: the fixed-point scale a model is best served at, chosen on
//! held-out inputs. Every power of two from 2^4 to 2^16 is tried, the model cut as its manifest
//! will cut it; the scale whose served model agrees most often with the float model's argmax
//! wins, ties going to the smaller largest output error, then to the smaller scale (smaller
//! numbers: cheaper range checks in the circuits). A scale at which a weight or a value does not
//! fit the fixed-point range is reported and passed over.

use std::path::Path;

use crate::{
	check::{agreement, references, Agreement, CheckData},
	served::{segment_model, ServeError},
};

/// The fractional bits tried: scales 2^4 … 2^16.
pub const BITS: core::ops::RangeInclusive<u32> = 4..=16;

/// One scale tried.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
	/// The scale.
	pub scale: u32,
	/// How the served model agreed with the float one at that scale, or why it cannot be served
	/// at it.
	pub outcome: Result<Agreement, ServeError>,
}

/// Every scale tried, and the one chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
	/// The trials, smallest scale first.
	pub trials: Vec<Trial>,
	/// The scale chosen.
	pub scale: u32,
}

impl Calibration {
	/// The chosen scale's agreement.
	pub fn chosen(&self) -> Option<&Agreement> {
		self.trials.iter().find(|t| t.scale == self.scale).and_then(|t| t.outcome.as_ref().ok())
	}

	/// The calibration as JSON (what `veritas-inference calibrate --json` prints).
	pub fn to_json(&self) -> serde_json::Value {
		let trials: Vec<serde_json::Value> = self
			.trials
			.iter()
			.map(|t| match &t.outcome {
				Ok(a) => serde_json::json!({
					"scale": t.scale,
					"inputs": a.inputs,
					"same_argmax": a.same_argmax,
					"max_abs_error": a.max_abs_error,
				}),
				Err(e) => serde_json::json!({ "scale": t.scale, "error": e.to_string() }),
			})
			.collect();
		serde_json::json!({ "scale": self.scale, "trials": trials })
	}
}

/// One line per scale, then the choice (what `veritas-inference calibrate` prints).
impl core::fmt::Display for Calibration {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		for t in &self.trials {
			match &t.outcome {
				Ok(a) => writeln!(
					f,
					"scale {:>6}: argmax agrees on {}/{}, max abs error {:.6}",
					t.scale, a.same_argmax, a.inputs, a.max_abs_error
				)?,
				Err(e) => writeln!(f, "scale {:>6}: not served: {e}", t.scale)?,
			}
		}
		writeln!(f, "chosen scale: {}", self.scale)
	}
}

/// Whether agreement `a` is better than `b`: more argmax agreement, then a smaller largest
/// error (a smaller scale wins the remaining ties: the trials come smallest first).
fn better(a: &Agreement, b: &Agreement) -> bool {
	a.same_argmax > b.same_argmax
		|| (a.same_argmax == b.same_argmax && a.max_abs_error < b.max_abs_error)
}

/// Calibrates the model in directory `dir`, cut at `cuts`, on `data` (at least one input).
/// Refused when no scale serves the model (the error of the last scale tried: a file that is not
/// ONNX is refused at every scale).
pub fn calibrate(dir: &Path, cuts: &[&str], data: &CheckData) -> Result<Calibration, ServeError> {
	if data.inputs.is_empty() {
		return Err(ServeError::Model("calibrating needs at least one held-out input".into()));
	}
	// The float model's outputs do not depend on the scale: computed once, with the first
	// scale at which the model loads.
	let mut reference: Option<Vec<Vec<f32>>> = None;
	let mut trial = |scale: u32| -> Result<Agreement, ServeError> {
		let model = segment_model(dir, scale, cuts)?;
		if reference.is_none() {
			reference = Some(references(&model.float, data)?);
		}
		agreement(reference.as_deref().unwrap_or_default(), scale, &model.segments, data)
	};
	let trials: Vec<Trial> =
		BITS.map(|bits| Trial { scale: 1 << bits, outcome: trial(1 << bits) }).collect();
	let mut best: Option<(u32, &Agreement)> = None;
	for t in &trials {
		if let Ok(a) = &t.outcome {
			if best.is_none_or(|(_, b)| better(a, b)) {
				best = Some((t.scale, a));
			}
		}
	}
	match best {
		Some((scale, _)) => Ok(Calibration { scale, trials }),
		None => Err(trials
			.into_iter()
			.filter_map(|t| t.outcome.err())
			.next_back()
			.unwrap_or_else(|| ServeError::Model("no scale tried".into()))),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::served::MODEL_FILE;

	fn dir(path: &str) -> std::path::PathBuf {
		Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
	}

	/// The shipped MLP on its held-out set: small scales lose agreement (2^4 rounds its weights
	/// to sixteenths), the chosen scale agrees at least as often as 256 (its shipped scale) and
	/// no less than any other scale tried.
	#[test]
	fn the_chosen_scale_agrees_most_often_with_the_float_model() {
		let mut data = CheckData::read(&dir("models/digits-mlp/test-set.json")).unwrap();
		data.inputs.truncate(120);
		data.labels = None;
		let c = calibrate(&dir("models/digits-mlp"), &[], &data).unwrap();
		assert_eq!(c.trials.len(), 13);
		let agreed = |scale: u32| {
			let t = c.trials.iter().find(|t| t.scale == scale).unwrap();
			t.outcome.as_ref().map(|a| a.same_argmax).unwrap_or(0)
		};
		let chosen = c.chosen().unwrap();
		assert!(c.trials.iter().all(|t| agreed(t.scale) <= chosen.same_argmax));
		assert!(chosen.same_argmax >= agreed(256) && agreed(16) < chosen.same_argmax, "{c}");
		assert_eq!(c.to_json()["scale"], c.scale);
		assert!(c.to_string().contains(&format!("chosen scale: {}", c.scale)));
	}

	#[test]
	fn no_data_or_a_file_that_is_not_onnx_is_refused() {
		let tmp = tempfile::tempdir().unwrap();
		std::fs::write(tmp.path().join(MODEL_FILE), b"not onnx").unwrap();
		let one = CheckData { inputs: vec![vec![0.0; 4]], labels: None };
		let e = calibrate(tmp.path(), &[], &one).unwrap_err();
		assert!(e.to_string().contains("malformed ONNX model"), "{e}");
		let none = CheckData::default();
		assert!(calibrate(&dir("models/digits-mlp"), &[], &none).is_err());
	}
}
