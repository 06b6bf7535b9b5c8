//! Max pooling over images stored flat: a tensor `[channels, height, width]` in row-major order
//! (what ONNX's `NCHW` layout gives once the batch of one is dropped). A window of
//! `kernel_h × kernel_w` values moves by `stride_h` rows and `stride_w` columns within each
//! channel, without padding; each output is the largest value of its window.
//!
//! The geometry is shared by the float layers, the fixed-point executor and the circuit, which
//! all walk the same [`MaxPool::windows`].

use crate::fixed::LayerError;

/// A max-pooling layer's geometry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaxPool {
	channels: usize,
	height: usize,
	width: usize,
	kernel: (usize, usize),
	stride: (usize, usize),
}

impl MaxPool {
	/// Pooling of `[channels, height, width]` images by `kernel` (rows, columns) windows moved
	/// by `stride`; every size non-zero and each kernel side at most the image's.
	pub fn new(
		(channels, height, width): (usize, usize, usize),
		kernel: (usize, usize),
		stride: (usize, usize),
	) -> Result<Self, LayerError> {
		let sizes = [channels, height, width, kernel.0, kernel.1, stride.0, stride.1];
		if sizes.contains(&0) || kernel.0 > height || kernel.1 > width {
			return Err(LayerError::BadShape);
		}
		channels
			.checked_mul(height)
			.and_then(|n| n.checked_mul(width))
			.ok_or(LayerError::BadShape)?;
		Ok(Self { channels, height, width, kernel, stride })
	}

	/// The output image's `[channels, height, width]`.
	pub fn output_dims(&self) -> (usize, usize, usize) {
		let side = |n: usize, k: usize, s: usize| (n - k) / s + 1;
		(
			self.channels,
			side(self.height, self.kernel.0, self.stride.0),
			side(self.width, self.kernel.1, self.stride.1),
		)
	}

	/// Values the layer takes.
	pub fn inputs(&self) -> usize {
		self.channels * self.height * self.width
	}

	/// Values the layer gives.
	pub fn outputs(&self) -> usize {
		let (c, h, w) = self.output_dims();
		c * h * w
	}

	/// For each output value, in order, the input indices of its window (row by row).
	pub fn windows(&self) -> impl Iterator<Item = Vec<usize>> + '_ {
		let (channels, out_h, out_w) = self.output_dims();
		(0..channels).flat_map(move |c| {
			(0..out_h).flat_map(move |oy| {
				(0..out_w).map(move |ox| {
					let (y0, x0) = (oy * self.stride.0, ox * self.stride.1);
					(0..self.kernel.0)
						.flat_map(|dy| (0..self.kernel.1).map(move |dx| (dy, dx)))
						.map(|(dy, dx)| (c * self.height + y0 + dy) * self.width + x0 + dx)
						.collect()
				})
			})
		})
	}

	/// The float pooling of `x` (the caller checks its length).
	pub fn forward_f32(&self, x: &[f32]) -> Vec<f32> {
		self.windows().map(|w| w.iter().map(|&i| x[i]).fold(f32::NEG_INFINITY, f32::max)).collect()
	}

	/// The fixed-point pooling of `x`, as the circuit computes it: a running maximum over the
	/// window, `max(m, v) = v + relu(m − v)`, each difference `m − v` an `i32`
	/// ([`LayerError::Overflow`] otherwise, where the circuit's range check would fail).
	pub fn forward(&self, x: &[i32]) -> Result<Vec<i32>, LayerError> {
		if x.len() != self.inputs() {
			return Err(LayerError::InputLength { expected: self.inputs(), given: x.len() });
		}
		self.windows()
			.enumerate()
			.map(|(index, window)| {
				let mut values = window.iter().map(|&i| x[i]);
				let first = values.next().ok_or(LayerError::BadShape)?;
				values.try_fold(first, |m, v| {
					m.checked_sub(v).ok_or(LayerError::Overflow { index })?;
					Ok(m.max(v))
				})
			})
			.collect()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn windows_cover_each_channel_row_by_row() {
		// One channel 4 × 4, 2 × 2 windows, stride 2.
		let pool = MaxPool::new((1, 4, 4), (2, 2), (2, 2)).unwrap();
		assert_eq!((pool.inputs(), pool.outputs(), pool.output_dims()), (16, 4, (1, 2, 2)));
		let windows: Vec<Vec<usize>> = pool.windows().collect();
		assert_eq!(windows[0], vec![0, 1, 4, 5]);
		assert_eq!(windows[1], vec![2, 3, 6, 7]);
		assert_eq!(windows[3], vec![10, 11, 14, 15]);
		let x: Vec<i32> = (0..16).map(|v| if v == 5 { 100 } else { -v }).collect();
		assert_eq!(pool.forward(&x).unwrap(), vec![100, -2, -8, -10]);
		let xf: Vec<f32> = x.iter().map(|v| *v as f32).collect();
		assert_eq!(pool.forward_f32(&xf), vec![100.0, -2.0, -8.0, -10.0]);
	}

	#[test]
	fn overlapping_windows_and_several_channels() {
		// Two channels 3 × 3, 2 × 2 windows, stride 1: 2 × 2 outputs per channel.
		let pool = MaxPool::new((2, 3, 3), (2, 2), (1, 1)).unwrap();
		assert_eq!(pool.output_dims(), (2, 2, 2));
		let x: Vec<i32> = (0..18).collect();
		assert_eq!(pool.forward(&x).unwrap(), vec![4, 5, 7, 8, 13, 14, 16, 17]);
	}

	#[test]
	fn refuses_bad_geometry_lengths_and_differences_outside_i32() {
		assert_eq!(MaxPool::new((1, 2, 2), (3, 1), (1, 1)), Err(LayerError::BadShape));
		assert_eq!(MaxPool::new((1, 2, 2), (2, 2), (0, 1)), Err(LayerError::BadShape));
		assert_eq!(MaxPool::new((0, 2, 2), (1, 1), (1, 1)), Err(LayerError::BadShape));
		let pool = MaxPool::new((1, 2, 2), (2, 2), (2, 2)).unwrap();
		assert_eq!(pool.forward(&[1, 2]), Err(LayerError::InputLength { expected: 4, given: 2 }));
		assert_eq!(
			pool.forward(&[i32::MAX, i32::MIN, 0, 0]),
			Err(LayerError::Overflow { index: 0 })
		);
		assert_eq!(pool.forward(&[i32::MAX, 0, 1, 5]).unwrap(), vec![i32::MAX]);
	}
}
