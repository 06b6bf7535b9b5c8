//! Float models to fixed point, and the quantized model's segments.
//!
//! Values are fixed-point numbers at scale `S = 2^bits` (the manifest's `scale`): `x ↦ round(x·S)`.
//! A float layer `y = W·x + b` becomes the segment
//! `Dense(round(W·S), round(b·S²))` (a sum of products at scale `S²`) → `Rescale { shift: bits }`
//! (back to scale `S`) → `Relu` when the float layer has one. One layer is one segment: the
//! commitments between segments are to the layer outputs, at scale `S`.
//!
//! A layer with max pooling pools first: `Dense → MaxPool → Rescale → Relu`. Rescale and ReLU
//! are non-decreasing, so they commute with taking a maximum and the output is exactly that of
//! `Dense → Rescale → Relu → MaxPool`, with one rescale and one ReLU per pooled value instead of
//! per convolution output (fewer constraints in the circuit).

use crate::{
	fixed::{Dense, LayerError, Op, Segment},
	float::FloatModel,
};

/// Why a model or an input cannot be quantized, or a quantized model run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuantizeError {
	/// `bits` outside `1..=16`.
	BadScale(u8),
	/// A weight or bias that does not fit an `i32` at this scale.
	OutOfRange {
		/// The layer.
		layer: usize,
	},
	/// An input value that is not finite or does not fit an `i32` at this scale.
	BadInput {
		/// The value's index.
		index: usize,
	},
	/// The fixed-point evaluation failed (an input of the wrong length, an overflow).
	Layer {
		/// The segment.
		segment: usize,
		/// Why.
		error: LayerError,
	},
	/// The model has no layers.
	Empty,
}

/// `round(v · 2^bits)` if it is finite and fits an `i32` ([`veritas_api::units::quantize`]: the
/// rule the node and every client apply to float features).
fn fixed(v: f64, bits: u32) -> Option<i32> {
	veritas_api::units::quantize(v, 1u32 << bits)
}

/// A model in fixed point: one segment per float layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantizedModel {
	bits: u8,
	segments: Vec<Segment>,
}

impl QuantizedModel {
	/// Quantizes `model` at scale `2^bits`.
	pub fn from_float(model: &FloatModel, bits: u8) -> Result<Self, QuantizeError> {
		if !(1..=16).contains(&bits) {
			return Err(QuantizeError::BadScale(bits));
		}
		if model.layers.is_empty() {
			return Err(QuantizeError::Empty);
		}
		let b = u32::from(bits);
		let segments = model
			.layers
			.iter()
			.enumerate()
			.map(|(layer, l)| {
				let range = || QuantizeError::OutOfRange { layer };
				let q = |vs: &[f32], bits: u32| -> Result<Vec<i32>, QuantizeError> {
					vs.iter().map(|v| fixed(f64::from(*v), bits).ok_or_else(range)).collect()
				};
				let dense = Dense::new(
					l.dense.inputs,
					l.dense.outputs,
					q(&l.dense.weights, b)?,
					q(&l.dense.bias, 2 * b)?,
				)
				.map_err(|error| QuantizeError::Layer { segment: layer, error })?;
				let mut ops = vec![Op::Dense(dense)];
				ops.extend(l.pool.clone().map(Op::MaxPool));
				ops.push(Op::Rescale { shift: bits });
				if l.relu {
					ops.push(Op::Relu);
				}
				Segment::new(ops).map_err(|error| QuantizeError::Layer { segment: layer, error })
			})
			.collect::<Result<Vec<_>, _>>()?;
		Ok(Self { bits, segments })
	}

	/// The fractional bits: values are at scale `2^bits`.
	pub fn bits(&self) -> u8 {
		self.bits
	}

	/// The scale `2^bits` (the manifest's `scale`).
	pub fn scale(&self) -> u32 {
		1 << self.bits
	}

	/// The segments, in order.
	pub fn segments(&self) -> &[Segment] {
		&self.segments
	}

	/// The whole model as one segment: every layer's operations, in order (a segment of a cut
	/// model that spans several layers).
	pub fn one_segment(&self) -> Result<Segment, QuantizeError> {
		let ops = self.segments.iter().flat_map(|s| s.ops().iter().cloned()).collect();
		Segment::new(ops).map_err(|error| QuantizeError::Layer { segment: 0, error })
	}

	/// Values the model takes.
	pub fn inputs(&self) -> usize {
		self.segments.first().map_or(0, Segment::inputs)
	}

	/// Values the model gives.
	pub fn outputs(&self) -> usize {
		self.segments.last().map_or(0, Segment::outputs)
	}

	/// `input` in fixed point.
	pub fn quantize_input(&self, input: &[f32]) -> Result<Vec<i32>, QuantizeError> {
		input
			.iter()
			.enumerate()
			.map(|(index, v)| {
				fixed(f64::from(*v), u32::from(self.bits)).ok_or(QuantizeError::BadInput { index })
			})
			.collect()
	}

	/// Fixed-point values back to floats.
	pub fn dequantize(&self, values: &[i32]) -> Vec<f32> {
		let s = f64::from(self.scale());
		values.iter().map(|v| (f64::from(*v) / s) as f32).collect()
	}

	/// Every segment's output for the fixed-point input `x`: `outputs[i]` is segment i's.
	pub fn run_segments(&self, x: &[i32]) -> Result<Vec<Vec<i32>>, QuantizeError> {
		let mut outputs: Vec<Vec<i32>> = Vec::with_capacity(self.segments.len());
		for (segment, s) in self.segments.iter().enumerate() {
			let input = outputs.last().map_or(x, Vec::as_slice);
			let y = s.forward(input).map_err(|error| QuantizeError::Layer { segment, error })?;
			outputs.push(y);
		}
		Ok(outputs)
	}

	/// The model's fixed-point output for the fixed-point input `x`.
	pub fn run(&self, x: &[i32]) -> Result<Vec<i32>, QuantizeError> {
		Ok(self.run_segments(x)?.pop().unwrap_or_default())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::float::{FloatDense, FloatLayer};

	fn model() -> FloatModel {
		let l1 = FloatDense {
			inputs: 2,
			outputs: 2,
			weights: vec![0.5, -0.25, 1.0, 0.75],
			bias: vec![0.125, -2.0],
		};
		let l2 = FloatDense { inputs: 2, outputs: 1, weights: vec![2.0, -1.0], bias: vec![0.5] };
		FloatModel {
			layers: vec![FloatLayer { dense: l1, relu: true, pool: None }, FloatLayer::dense(l2)],
		}
	}

	#[test]
	fn dyadic_weights_and_inputs_quantize_exactly() {
		let q = QuantizedModel::from_float(&model(), 8).unwrap();
		assert_eq!((q.scale(), q.inputs(), q.outputs(), q.segments().len()), (256, 2, 1, 2));
		for x in [[1.0f32, 2.0], [-3.5, 0.25], [0.0, 0.0]] {
			let xq = q.quantize_input(&x).unwrap();
			let out = q.dequantize(&q.run(&xq).unwrap());
			assert_eq!(out, model().forward(&x), "{x:?}");
			let one = q.one_segment().unwrap();
			assert_eq!(one.forward(&xq).unwrap(), q.run(&xq).unwrap(), "one segment, same output");
		}
	}

	#[test]
	fn refuses_scales_weights_and_inputs_out_of_range() {
		assert_eq!(QuantizedModel::from_float(&model(), 0), Err(QuantizeError::BadScale(0)));
		assert_eq!(QuantizedModel::from_float(&model(), 17), Err(QuantizeError::BadScale(17)));
		assert_eq!(
			QuantizedModel::from_float(&FloatModel { layers: vec![] }, 8),
			Err(QuantizeError::Empty)
		);
		let mut big = model();
		big.layers[1].dense.weights[0] = 1e9;
		assert_eq!(
			QuantizedModel::from_float(&big, 8),
			Err(QuantizeError::OutOfRange { layer: 1 })
		);
		let q = QuantizedModel::from_float(&model(), 8).unwrap();
		assert_eq!(q.quantize_input(&[1.0, f32::NAN]), Err(QuantizeError::BadInput { index: 1 }));
		assert_eq!(q.quantize_input(&[1e12, 0.0]), Err(QuantizeError::BadInput { index: 0 }));
		assert!(matches!(
			q.run(&[1, 2, 3]),
			Err(QuantizeError::Layer { segment: 0, error: LayerError::InputLength { .. } })
		));
	}
}
