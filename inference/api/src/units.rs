//! A model's values in the user's units: real numbers, and the fixed-point integers a model at
//! scale `s` (its manifest's `scale`) reads and writes: `v = round(x · s)`, `x = v / s`. The node
//! quantizes float features with [`quantize`] (`veritas-engine`), and so do the CLI and the
//! SDKs, so that an input commits to the same integers whoever quantized it.

/// `round(x · scale)` (halves away from zero), if `x` is finite and the result fits an `i32`.
pub fn quantize(x: f64, scale: u32) -> Option<i32> {
	let scaled = (x * f64::from(scale)).round();
	(scaled.is_finite() && scaled >= f64::from(i32::MIN) && scaled <= f64::from(i32::MAX))
		.then_some(scaled as i32)
}

/// Each of `features` quantized at `scale` ([`quantize`]); `Err(i)` names the first that cannot
/// be (not finite, or out of `i32`'s range at this scale).
pub fn quantize_all(features: &[f64], scale: u32) -> Result<Vec<i32>, usize> {
	features.iter().enumerate().map(|(i, x)| quantize(*x, scale).ok_or(i)).collect()
}

/// `value / scale`: the real number a fixed-point value stands for (a scale of 0, which no
/// registered model has, reads as 1).
pub fn dequantize(value: i32, scale: u32) -> f64 {
	f64::from(value) / f64::from(scale.max(1))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn values_round_to_the_nearest_step_of_the_scale_and_back() {
		assert_eq!(quantize(1.0, 256), Some(256));
		assert_eq!(quantize(-0.5, 256), Some(-128));
		// Halves away from zero.
		assert_eq!(quantize(0.5 / 256.0, 256), Some(1));
		assert_eq!(quantize(-0.5 / 256.0, 256), Some(-1));
		assert_eq!(quantize(0.49 / 256.0, 256), Some(0));
		assert_eq!(dequantize(-128, 256), -0.5);
		assert_eq!(dequantize(5, 0), 5.0);
		for x in [0.0, 0.25, -3.75, 100.125] {
			assert_eq!(dequantize(quantize(x, 256).unwrap(), 256), x);
		}
	}

	#[test]
	fn what_cannot_be_quantized_is_named_by_its_index() {
		assert_eq!(quantize_all(&[0.0, 1.5], 2), Ok(vec![0, 3]));
		assert_eq!(quantize_all(&[0.0, f64::NAN], 256), Err(1));
		assert_eq!(quantize_all(&[f64::INFINITY], 256), Err(0));
		assert_eq!(quantize_all(&[1.0, 1e12], 256), Err(1));
		assert_eq!(quantize(f64::from(i32::MAX), 1), Some(i32::MAX));
		assert_eq!(quantize(f64::from(i32::MAX) + 1.0, 1), None);
	}
}
