//! The quantized layers a ZK segment can prove, with their exact integer semantics.
//!
//! [`Dense`]: `y = W·x + b` over integers, `W` of `outputs × inputs`. Values are the quantized
//! tensors' `i32`; sums are computed in `i64` and must fit an `i32` again (the prover refuses
//! otherwise, so the circuit's field arithmetic never wraps).

/// Why a layer cannot be evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerError {
	/// The weights or bias do not match the declared sizes.
	BadShape,
	/// The input does not have `inputs` values.
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn computes_w_x_plus_b_and_refuses_what_does_not_fit() {
		let layer = Dense::new(2, 2, vec![1, -2, 3, 4], vec![10, -10]).unwrap();
		assert_eq!(layer.forward(&[5, 6]).unwrap(), vec![10 + 5 - 12, -10 + 15 + 24]);
		assert_eq!(layer.forward(&[1]), Err(LayerError::InputLength { expected: 2, given: 1 }));
		let big = Dense::new(2, 1, vec![i32::MAX, i32::MAX], vec![0]).unwrap();
		assert_eq!(big.forward(&[1, 1]), Err(LayerError::Overflow { index: 0 }));
		assert_eq!(Dense::new(2, 2, vec![1, 2, 3], vec![0, 0]), Err(LayerError::BadShape));
		assert_eq!(Dense::new(0, 2, vec![], vec![0, 0]), Err(LayerError::BadShape));
	}
}
