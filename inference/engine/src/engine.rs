//! [`InferenceEngine`]: a model that maps an input to an output; the float ONNX model (tract)
//! and its fixed-point version are two engines of the same model.

use crate::{
	onnx::{check_input, OnnxError, OnnxModel},
	quantize::{QuantizeError, QuantizedModel},
};

/// Why an inference failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
	/// From the ONNX model (tract).
	Onnx(OnnxError),
	/// From the fixed-point executor.
	Quantized(QuantizeError),
}

impl core::fmt::Display for EngineError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Onnx(e) => write!(f, "{e}"),
			Self::Quantized(e) => write!(f, "fixed-point inference failed: {e:?}"),
		}
	}
}

impl std::error::Error for EngineError {}

/// A model that maps `inputs()` float values to `outputs()` float values.
pub trait InferenceEngine: Send + Sync {
	/// Values the model takes.
	fn inputs(&self) -> usize;
	/// Values the model gives.
	fn outputs(&self) -> usize;
	/// The output for `input`.
	fn infer(&self, input: &[f32]) -> Result<Vec<f32>, EngineError>;
}

impl InferenceEngine for OnnxModel {
	fn inputs(&self) -> usize {
		self.layers().inputs()
	}

	fn outputs(&self) -> usize {
		self.layers().outputs()
	}

	fn infer(&self, input: &[f32]) -> Result<Vec<f32>, EngineError> {
		self.run(input).map_err(EngineError::Onnx)
	}
}

impl InferenceEngine for QuantizedModel {
	fn inputs(&self) -> usize {
		QuantizedModel::inputs(self)
	}

	fn outputs(&self) -> usize {
		QuantizedModel::outputs(self)
	}

	/// Quantizes `input`, runs the fixed-point segments, dequantizes the output.
	fn infer(&self, input: &[f32]) -> Result<Vec<f32>, EngineError> {
		check_input(input, QuantizedModel::inputs(self)).map_err(EngineError::Onnx)?;
		let x = self.quantize_input(input).map_err(EngineError::Quantized)?;
		let y = self.run(&x).map_err(EngineError::Quantized)?;
		Ok(self.dequantize(&y))
	}
}

/// The index of the largest value (the first one on ties); `None` for no values.
pub fn argmax(values: &[f32]) -> Option<usize> {
	values
		.iter()
		.enumerate()
		.fold(None, |best: Option<(usize, f32)>, (i, v)| match best {
			Some((_, b)) if b >= *v => best,
			_ => Some((i, *v)),
		})
		.map(|(i, _)| i)
}
