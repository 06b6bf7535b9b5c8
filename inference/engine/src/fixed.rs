//! The fixed-point executor: the exact integer semantics of the layers a segment is made of,
//! which the zkML circuits (`veritas-prover`) prove constraint by constraint.
//!
//! A segment is a sequence of [`Op`]s on `i32` tensors (flattened):
//! - [`Dense`]: `y = W·x + b`, sums in `i64` that must fit an `i32` again ([`LayerError::Overflow`]
//!   otherwise, so the circuit's field arithmetic never wraps);
//! - [`Op::Rescale`]: `y = ⌊(x + 2^(s-1)) / 2^s⌋`, division by `2^s` rounding half up (an arithmetic
//!   shift: rounds towards −∞ after adding the half), which brings a product of two values at
//!   scale `2^s` back to scale `2^s`;
//! - [`Op::Relu`]: `y = max(x, 0)`;
//! - [`Op::MaxPool`]: the largest value of each window of an image stored flat
//!   ([`crate::pool`]), every running difference an `i32`.
//!
//! A convolution is a dense layer whose weight matrix repeats the kernel ([`crate::onnx`] builds
//! it), so it needs no operation of its own.

use crate::pool::MaxPool;

/// Why a layer or segment cannot be built or evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerError {
	/// The weights or bias do not match the declared sizes, or a size is zero.
	BadShape,
	/// The input does not have as many values as the layer or segment takes.
	InputLength {
		/// Expected.
		expected: usize,
		/// Given.
		given: usize,
	},
	/// An output value does not fit an `i32`.
	Overflow {
		/// The output index.
		index: usize,
	},
	/// A segment without operations, or whose first operation is not a dense layer.
	EmptySegment,
	/// A rescale shift outside `1..=30`.
	BadShift(u8),
}

/// A dense (fully connected) layer with integer weights.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dense {
	/// Input values.
	pub inputs: usize,
	/// Output values.
	pub outputs: usize,
	/// `outputs × inputs` weights, row-major (row j gives output j).
	pub weights: Vec<i32>,
	/// `outputs` biases.
	pub bias: Vec<i32>,
}

impl Dense {
	/// A layer, checking that the weights and bias fit the sizes.
	pub fn new(
		inputs: usize,
		outputs: usize,
		weights: Vec<i32>,
		bias: Vec<i32>,
	) -> Result<Self, LayerError> {
		if inputs == 0
			|| outputs == 0
			|| weights.len() != inputs.checked_mul(outputs).ok_or(LayerError::BadShape)?
			|| bias.len() != outputs
		{
			return Err(LayerError::BadShape);
		}
		Ok(Self { inputs, outputs, weights, bias })
	}

	/// The weights of output `j`.
	pub fn row(&self, j: usize) -> &[i32] {
		&self.weights[j * self.inputs..(j + 1) * self.inputs]
	}

	/// `W·x + b`, exactly.
	pub fn forward(&self, x: &[i32]) -> Result<Vec<i32>, LayerError> {
		if x.len() != self.inputs {
			return Err(LayerError::InputLength { expected: self.inputs, given: x.len() });
		}
		(0..self.outputs)
			.map(|j| {
				let sum = self.row(j).iter().zip(x).fold(i64::from(self.bias[j]), |acc, (w, v)| {
					acc + i64::from(*w) * i64::from(*v)
				});
				i32::try_from(sum).map_err(|_| LayerError::Overflow { index: j })
			})
			.collect()
	}
}

/// `⌊(x + 2^(shift-1)) / 2^shift⌋`: division by `2^shift`, rounding half up. Always fits an `i32`.
pub fn rescale(x: i32, shift: u8) -> i32 {
	let half = 1i64 << (shift - 1);
	// (x + half) >> shift lies within i32 for shift ≥ 1.
	((i64::from(x) + half) >> shift) as i32
}

/// One operation of a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
	/// A dense layer.
	Dense(Dense),
	/// Division by `2^shift`, rounding half up.
	Rescale {
		/// The shift, in `1..=30`.
		shift: u8,
	},
	/// `max(x, 0)`.
	Relu,
	/// Max pooling.
	MaxPool(MaxPool),
}

impl Op {
	/// The operation applied to `x` (whose length the segment checked).
	fn apply(&self, x: &[i32]) -> Result<Vec<i32>, LayerError> {
		match self {
			Op::Dense(d) => d.forward(x),
			Op::Rescale { shift } => Ok(x.iter().map(|v| rescale(*v, *shift)).collect()),
			Op::Relu => Ok(x.iter().map(|v| (*v).max(0)).collect()),
			Op::MaxPool(p) => p.forward(x),
		}
	}
}

/// A segment: a dense layer followed by element-wise operations and further dense layers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
	ops: Vec<Op>,
	inputs: usize,
	outputs: usize,
}

impl Segment {
	/// A segment of `ops`, checking that it starts with a dense layer, that the sizes of
	/// consecutive dense and pooling layers chain, and that every shift is in `1..=30`.
	pub fn new(ops: Vec<Op>) -> Result<Self, LayerError> {
		let inputs = match ops.first() {
			Some(Op::Dense(d)) => d.inputs,
			_ => return Err(LayerError::EmptySegment),
		};
		let mut width = inputs;
		for op in &ops {
			match op {
				Op::Dense(d) if d.inputs != width => return Err(LayerError::BadShape),
				Op::Dense(d) => width = d.outputs,
				Op::MaxPool(p) if p.inputs() != width => return Err(LayerError::BadShape),
				Op::MaxPool(p) => width = p.outputs(),
				Op::Rescale { shift } if !(1..=30).contains(shift) => {
					return Err(LayerError::BadShift(*shift))
				},
				Op::Rescale { .. } | Op::Relu => {},
			}
		}
		Ok(Self { ops, inputs, outputs: width })
	}

	/// A segment of one dense layer.
	pub fn dense(layer: Dense) -> Self {
		let (inputs, outputs) = (layer.inputs, layer.outputs);
		Self { ops: vec![Op::Dense(layer)], inputs, outputs }
	}

	/// The operations, in order.
	pub fn ops(&self) -> &[Op] {
		&self.ops
	}

	/// Values the segment takes.
	pub fn inputs(&self) -> usize {
		self.inputs
	}

	/// Values the segment gives.
	pub fn outputs(&self) -> usize {
		self.outputs
	}

	/// Every intermediate tensor: `trace[0]` is `x`, `trace[i + 1]` the output of operation `i`.
	pub fn trace(&self, x: &[i32]) -> Result<Vec<Vec<i32>>, LayerError> {
		if x.len() != self.inputs {
			return Err(LayerError::InputLength { expected: self.inputs, given: x.len() });
		}
		let mut trace = Vec::with_capacity(self.ops.len() + 1);
		trace.push(x.to_vec());
		for op in &self.ops {
			let next = op.apply(trace.last().map(Vec::as_slice).unwrap_or_default())?;
			trace.push(next);
		}
		Ok(trace)
	}

	/// The segment's output for `x`.
	pub fn forward(&self, x: &[i32]) -> Result<Vec<i32>, LayerError> {
		Ok(self.trace(x)?.pop().unwrap_or_default())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dense_computes_w_x_plus_b_and_refuses_what_does_not_fit() {
		let layer = Dense::new(2, 2, vec![1, -2, 3, 4], vec![10, -10]).unwrap();
		assert_eq!(layer.forward(&[5, 6]).unwrap(), vec![10 + 5 - 12, -10 + 15 + 24]);
		assert_eq!(layer.forward(&[1]), Err(LayerError::InputLength { expected: 2, given: 1 }));
		let big = Dense::new(2, 1, vec![i32::MAX, i32::MAX], vec![0]).unwrap();
		assert_eq!(big.forward(&[1, 1]), Err(LayerError::Overflow { index: 0 }));
		assert_eq!(Dense::new(2, 2, vec![1, 2, 3], vec![0, 0]), Err(LayerError::BadShape));
		assert_eq!(Dense::new(0, 2, vec![], vec![0, 0]), Err(LayerError::BadShape));
	}

	#[test]
	fn rescale_rounds_half_up_on_both_signs_and_at_the_extremes() {
		assert_eq!(rescale(384, 8), 2); // 1.5 → 2
		assert_eq!(rescale(383, 8), 1);
		assert_eq!(rescale(-384, 8), -1); // -1.5 → -1 (half up)
		assert_eq!(rescale(-385, 8), -2);
		assert_eq!(rescale(i32::MAX, 1), 1 << 30);
		assert_eq!(rescale(i32::MIN, 1), -(1 << 30));
		assert_eq!(rescale(i32::MAX, 30), 2);
	}

	#[test]
	fn a_segment_chains_its_operations_and_checks_its_shape() {
		let d1 = Dense::new(2, 3, vec![256, 0, 0, 256, -256, -256], vec![0, 0, 128]).unwrap();
		let d2 = Dense::new(3, 1, vec![1, 1, 1], vec![0]).unwrap();
		let s = Segment::new(vec![
			Op::Dense(d1.clone()),
			Op::Rescale { shift: 8 },
			Op::Relu,
			Op::Dense(d2.clone()),
		])
		.unwrap();
		assert_eq!((s.inputs(), s.outputs()), (2, 1));
		let trace = s.trace(&[3, -5]).unwrap();
		assert_eq!(trace[1], vec![768, -1280, 640]);
		assert_eq!(trace[2], vec![3, -5, 3]);
		assert_eq!(trace[3], vec![3, 0, 3]);
		assert_eq!(s.forward(&[3, -5]).unwrap(), vec![6]);
		assert_eq!(s.forward(&[1]), Err(LayerError::InputLength { expected: 2, given: 1 }));
		assert_eq!(Segment::new(vec![]), Err(LayerError::EmptySegment));
		assert_eq!(Segment::new(vec![Op::Relu]), Err(LayerError::EmptySegment));
		assert_eq!(
			Segment::new(vec![Op::Dense(d1.clone()), Op::Dense(d1.clone())]),
			Err(LayerError::BadShape)
		);
		assert_eq!(
			Segment::new(vec![Op::Dense(d1), Op::Rescale { shift: 0 }]),
			Err(LayerError::BadShift(0))
		);
		assert_eq!(Segment::dense(d2).forward(&[1, 2, 3]).unwrap(), vec![6]);
	}
}
