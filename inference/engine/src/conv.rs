//! 2-D convolutions as dense layers.
//!
//! A convolution of a `[channels, height, width]` image (stored flat, row-major) by
//! `out_channels` kernels of `kernel_h × kernel_w`, moved by a stride over the zero-padded image,
//! is a linear map: output `(o, y, x)` is the bias of `o` plus the sum, over input channels `c`
//! and kernel offsets `(i, j)`, of `kernel[o][c][i][j] · image[c][y·stride_h + i − pad_top]
//! [x·stride_w + j − pad_left]` (terms that fall in the padding are zero; ONNX `Conv`, which is a
//! cross-correlation). [`Conv2d::to_dense`] writes that map as the weight matrix of a
//! [`FloatDense`], so quantization, the fixed-point executor and the circuit treat a convolution
//! exactly as a dense layer (whose weights repeat the kernel and are zero outside its window).

use crate::{fixed::LayerError, float::FloatDense};

/// The most weights the dense form of a convolution may have (64 MiB of `f32`).
pub const MAX_DENSE_WEIGHTS: usize = 1 << 24;

/// A convolution's geometry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conv2d {
	/// The input image's `[channels, height, width]`.
	pub input: (usize, usize, usize),
	/// Kernels, one per output channel.
	pub out_channels: usize,
	/// Kernel rows and columns.
	pub kernel: (usize, usize),
	/// Rows and columns the kernel moves by.
	pub stride: (usize, usize),
	/// Zero padding: top, left, bottom, right (ONNX's `pads` order).
	pub pads: [usize; 4],
}

impl Conv2d {
	/// The output image's `[channels, height, width]`, if the kernel fits the padded image and
	/// every size is non-zero.
	pub fn output_dims(&self) -> Result<(usize, usize, usize), LayerError> {
		let (c, h, w) = self.input;
		let [top, left, bottom, right] = self.pads;
		let sizes = [c, h, w, self.out_channels, self.kernel.0, self.kernel.1];
		if sizes.contains(&0) || self.stride.0 == 0 || self.stride.1 == 0 {
			return Err(LayerError::BadShape);
		}
		let side = |n: usize, before: usize, after: usize, k: usize, s: usize| {
			let padded = n.checked_add(before)?.checked_add(after)?;
			padded.checked_sub(k).map(|room| room / s + 1)
		};
		let out_h = side(h, top, bottom, self.kernel.0, self.stride.0);
		let out_w = side(w, left, right, self.kernel.1, self.stride.1);
		match (out_h, out_w) {
			(Some(oh), Some(ow)) => Ok((self.out_channels, oh, ow)),
			_ => Err(LayerError::BadShape),
		}
	}

	/// The dense layer computing this convolution with `kernels` (`out_channels × channels ×
	/// kernel_h × kernel_w`, row-major, ONNX's layout) and `bias` (one per output channel).
	pub fn to_dense(&self, kernels: &[f32], bias: &[f32]) -> Result<FloatDense, LayerError> {
		let (c, h, w) = self.input;
		let (co, oh, ow) = self.output_dims()?;
		let (kh, kw) = self.kernel;
		let product = |sizes: &[usize]| sizes.iter().try_fold(1usize, |a, b| a.checked_mul(*b));
		if product(&[co, c, kh, kw]) != Some(kernels.len()) || bias.len() != co {
			return Err(LayerError::BadShape);
		}
		let (inputs, outputs) =
			product(&[c, h, w]).zip(product(&[co, oh, ow])).ok_or(LayerError::BadShape)?;
		let size = inputs.checked_mul(outputs).filter(|n| *n <= MAX_DENSE_WEIGHTS);
		let mut weights = vec![0.0f32; size.ok_or(LayerError::BadShape)?];
		let [top, left, ..] = self.pads;
		for o in 0..co {
			for (y, x) in (0..oh).flat_map(|y| (0..ow).map(move |x| (y, x))) {
				let row = &mut weights[((o * oh + y) * ow + x) * inputs..][..inputs];
				for (ci, i, j) in (0..c)
					.flat_map(|ci| (0..kh).flat_map(move |i| (0..kw).map(move |j| (ci, i, j))))
				{
					let iy = (y * self.stride.0 + i).checked_sub(top).filter(|v| *v < h);
					let ix = (x * self.stride.1 + j).checked_sub(left).filter(|v| *v < w);
					if let (Some(iy), Some(ix)) = (iy, ix) {
						row[(ci * h + iy) * w + ix] = kernels[((o * c + ci) * kh + i) * kw + j];
					}
				}
			}
		}
		let bias = (0..outputs).map(|r| bias[r / (oh * ow)]).collect();
		Ok(FloatDense { inputs, outputs, weights, bias })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The convolution computed directly, for comparison.
	fn direct(conv: &Conv2d, kernels: &[f32], bias: &[f32], image: &[f32]) -> Vec<f32> {
		let (c, h, w) = conv.input;
		let (co, oh, ow) = conv.output_dims().unwrap();
		let (kh, kw) = conv.kernel;
		let mut out = Vec::new();
		for o in 0..co {
			for y in 0..oh {
				for x in 0..ow {
					let mut sum = bias[o];
					for ci in 0..c {
						for i in 0..kh {
							for j in 0..kw {
								let iy = (y * conv.stride.0 + i) as isize - conv.pads[0] as isize;
								let ix = (x * conv.stride.1 + j) as isize - conv.pads[1] as isize;
								if iy >= 0 && ix >= 0 && (iy as usize) < h && (ix as usize) < w {
									let v = image[(ci * h + iy as usize) * w + ix as usize];
									sum += kernels[((o * c + ci) * kh + i) * kw + j] * v;
								}
							}
						}
					}
					out.push(sum);
				}
			}
		}
		out
	}

	#[test]
	fn the_dense_form_computes_the_convolution() {
		for conv in [
			Conv2d {
				input: (1, 4, 4),
				out_channels: 2,
				kernel: (3, 3),
				stride: (1, 1),
				pads: [1; 4],
			},
			Conv2d {
				input: (2, 5, 4),
				out_channels: 3,
				kernel: (2, 3),
				stride: (2, 1),
				pads: [0, 1, 1, 0],
			},
			Conv2d {
				input: (3, 3, 3),
				out_channels: 1,
				kernel: (3, 3),
				stride: (1, 1),
				pads: [0; 4],
			},
		] {
			let (c, h, w) = conv.input;
			let (co, kh, kw) = (conv.out_channels, conv.kernel.0, conv.kernel.1);
			let kernels: Vec<f32> = (0..co * c * kh * kw).map(|v| (v % 7) as f32 - 3.0).collect();
			let bias: Vec<f32> = (0..co).map(|v| v as f32 * 0.5).collect();
			let image: Vec<f32> = (0..c * h * w).map(|v| ((v * 5) % 11) as f32 - 4.0).collect();
			let dense = conv.to_dense(&kernels, &bias).unwrap();
			assert_eq!(dense.forward(&image), direct(&conv, &kernels, &bias, &image), "{conv:?}");
		}
	}

	#[test]
	fn output_sizes_follow_padding_and_stride() {
		let conv = Conv2d {
			input: (1, 8, 8),
			out_channels: 8,
			kernel: (3, 3),
			stride: (1, 1),
			pads: [1; 4],
		};
		assert_eq!(conv.output_dims(), Ok((8, 8, 8)));
		let strided = Conv2d { stride: (2, 2), pads: [0; 4], ..conv };
		assert_eq!(strided.output_dims(), Ok((8, 3, 3)));
	}

	#[test]
	fn refuses_kernels_larger_than_the_image_bad_sizes_and_huge_dense_forms() {
		let conv = Conv2d {
			input: (1, 2, 2),
			out_channels: 1,
			kernel: (3, 3),
			stride: (1, 1),
			pads: [0; 4],
		};
		assert_eq!(conv.output_dims(), Err(LayerError::BadShape));
		let zero_stride = Conv2d { kernel: (1, 1), stride: (0, 1), ..conv };
		assert_eq!(zero_stride.output_dims(), Err(LayerError::BadShape));
		let fits = Conv2d { kernel: (1, 1), ..conv };
		assert_eq!(fits.to_dense(&[1.0, 2.0], &[0.0]), Err(LayerError::BadShape));
		assert_eq!(fits.to_dense(&[1.0], &[]), Err(LayerError::BadShape));
		let huge = Conv2d { input: (64, 64, 64), out_channels: 64, kernel: (1, 1), ..conv };
		assert_eq!(huge.to_dense(&[0.0; 64 * 64], &[0.0; 64]), Err(LayerError::BadShape));
	}
}
