//! A segment that tract runs in `f32` (TEE and `none` evidence), between fixed-point boundaries.
//!
//! Commitments bind integer tensors at the manifest's scale `2^bits`, whichever executor ran the
//! segment. A graph segment takes its input boundary in fixed point, reads it as floats
//! (`x / 2^bits`, exact), runs the graph, and quantizes the output boundary with the one rule of
//! [`veritas_api::units::quantize`] (`round(y · 2^bits)`, halves away from zero, the same as the CLI's and the node's for
//! float features). Its output is therefore what the float model computes, rounded to the
//! scale: not the fixed-point executor's (which the circuits prove), so a graph segment never
//! offers ZK evidence.

use std::sync::Arc;

use crate::{graph::OnnxGraph, onnx::OnnxError};

/// Why a graph segment could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphSegmentError {
	/// From tract: the input's length, or the run itself.
	Run(OnnxError),
	/// Output value `index` is not finite or does not fit an `i32` at the scale.
	OutputRange {
		/// The value's index.
		index: usize,
	},
	/// `bits` outside `1..=16`.
	BadScale(u8),
}

impl core::fmt::Display for GraphSegmentError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Run(e) => write!(f, "{e}"),
			Self::OutputRange { index } => write!(
				f,
				"output value {index} is not finite or does not fit an i32 at the model's scale"
			),
			Self::BadScale(bits) => write!(f, "scale 2^{bits} outside 2^1..=2^16"),
		}
	}
}

impl std::error::Error for GraphSegmentError {}

/// A graph run in `f32` between boundaries at scale `2^bits`.
#[derive(Clone, Debug)]
pub struct GraphSegment {
	graph: Arc<OnnxGraph>,
	bits: u8,
}

impl GraphSegment {
	/// The segment of `graph` at scale `2^bits` (`1 ≤ bits ≤ 16`).
	pub fn new(graph: Arc<OnnxGraph>, bits: u8) -> Result<Self, GraphSegmentError> {
		if !(1..=16).contains(&bits) {
			return Err(GraphSegmentError::BadScale(bits));
		}
		Ok(Self { graph, bits })
	}

	/// The graph.
	pub fn graph(&self) -> &OnnxGraph {
		&self.graph
	}

	/// Values the segment takes.
	pub fn inputs(&self) -> usize {
		self.graph.inputs()
	}

	/// Values the segment gives.
	pub fn outputs(&self) -> usize {
		self.graph.outputs()
	}

	/// The output boundary for the input boundary `x`, both in fixed point.
	pub fn forward(&self, x: &[i32]) -> Result<Vec<i32>, GraphSegmentError> {
		let scale = 1u32 << self.bits;
		let floats: Vec<f32> =
			x.iter().map(|v| veritas_api::units::dequantize(*v, scale) as f32).collect();
		let y = self.graph.run(&floats).map_err(GraphSegmentError::Run)?;
		y.iter()
			.enumerate()
			.map(|(index, v)| {
				veritas_api::units::quantize(f64::from(*v), scale)
					.ok_or(GraphSegmentError::OutputRange { index })
			})
			.collect()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn graph(name: &str) -> Arc<OnnxGraph> {
		let path =
			std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/graphs").join(name);
		Arc::new(OnnxGraph::load(&path).unwrap())
	}

	#[test]
	fn boundaries_are_the_float_values_rounded_at_the_scale() {
		let segment = GraphSegment::new(graph("binary.onnx"), 8).unwrap();
		let x = [64, -128, 0, 256, 32];
		let floats: Vec<f32> = x.iter().map(|v| *v as f32 / 256.0).collect();
		let expected: Vec<i32> = segment
			.graph()
			.run(&floats)
			.unwrap()
			.iter()
			.map(|v| (f64::from(*v) * 256.0).round() as i32)
			.collect();
		assert_eq!(segment.forward(&x).unwrap(), expected);
		assert!(matches!(segment.forward(&[1, 2]), Err(GraphSegmentError::Run(_))));
		assert_eq!(
			GraphSegment::new(graph("binary.onnx"), 0).unwrap_err(),
			GraphSegmentError::BadScale(0)
		);
	}
}
