//! A model as floating-point layers: what an ONNX file of the supported shape holds, before
//! quantization (`crate::quantize`).

use crate::pool::MaxPool;

/// A dense layer `y = W·x + b` in `f32`.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatDense {
	/// Input values.
	pub inputs: usize,
	/// Output values.
	pub outputs: usize,
	/// `outputs × inputs` weights, row-major (row j gives output j).
	pub weights: Vec<f32>,
	/// `outputs` biases.
	pub bias: Vec<f32>,
}

impl FloatDense {
	/// `W·x + b` (the caller checks `x.len() == inputs`).
	pub fn forward(&self, x: &[f32]) -> Vec<f32> {
		(0..self.outputs)
			.map(|j| {
				let row = &self.weights[j * self.inputs..(j + 1) * self.inputs];
				row.iter().zip(x).fold(self.bias[j], |acc, (w, v)| acc + w * v)
			})
			.collect()
	}
}

/// A dense layer (or a convolution written as one), followed by a ReLU or not, then by max
/// pooling or not. (ReLU and max pooling commute, so a graph may give them in either order.)
#[derive(Clone, Debug, PartialEq)]
pub struct FloatLayer {
	/// The dense layer.
	pub dense: FloatDense,
	/// Whether a ReLU follows.
	pub relu: bool,
	/// The max pooling that follows, if any.
	pub pool: Option<MaxPool>,
}

impl FloatLayer {
	/// A dense layer alone.
	pub fn dense(dense: FloatDense) -> Self {
		Self { dense, relu: false, pool: None }
	}

	/// Values the layer gives.
	pub fn outputs(&self) -> usize {
		self.pool.as_ref().map_or(self.dense.outputs, MaxPool::outputs)
	}

	/// The layer's output for `x` (the caller checks `x.len() == dense.inputs`).
	pub fn forward(&self, x: &[f32]) -> Vec<f32> {
		let mut y = self.dense.forward(x);
		if self.relu {
			y.iter_mut().for_each(|v| *v = v.max(0.0));
		}
		match &self.pool {
			Some(pool) => pool.forward_f32(&y),
			None => y,
		}
	}
}

/// A chain of layers, each one's outputs the next one's inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatModel {
	/// The layers.
	pub layers: Vec<FloatLayer>,
}

impl FloatModel {
	/// Values the model takes.
	pub fn inputs(&self) -> usize {
		self.layers.first().map_or(0, |l| l.dense.inputs)
	}

	/// Values the model gives.
	pub fn outputs(&self) -> usize {
		self.layers.last().map_or(0, FloatLayer::outputs)
	}

	/// The model's output for `x` (the caller checks `x.len() == inputs()`).
	pub fn forward(&self, x: &[f32]) -> Vec<f32> {
		self.layers.iter().fold(x.to_vec(), |a, layer| layer.forward(&a))
	}
}
