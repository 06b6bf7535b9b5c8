//! A model as floating-point layers: what an ONNX file of the supported shape holds, before
//! quantization (`crate::quantize`).

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

/// A dense layer, followed by a ReLU or not.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatLayer {
	/// The dense layer.
	pub dense: FloatDense,
	/// Whether a ReLU follows.
	pub relu: bool,
}

/// A multilayer perceptron: the layers in order, each one's outputs the next one's inputs.
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
		self.layers.last().map_or(0, |l| l.dense.outputs)
	}

	/// The model's output for `x` (the caller checks `x.len() == inputs()`).
	pub fn forward(&self, x: &[f32]) -> Vec<f32> {
		self.layers.iter().fold(x.to_vec(), |a, layer| {
			let y = layer.dense.forward(&a);
			if layer.relu {
				y.into_iter().map(|v| v.max(0.0)).collect()
			} else {
				y
			}
		})
	}
}
