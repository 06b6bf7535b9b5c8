//! A served model's segments. Each runs in one of two executors, and either way its boundaries
//! are integer tensors at the manifest's scale, which the commitments bind:
//! - a **circuit** segment (a layer of the chain the zkML circuits cover) runs in the exact
//!   fixed-point semantics its circuit proves, whatever evidence the policy asks;
//! - a **graph** segment (any graph tract runs) runs in `f32` and quantizes its output boundary
//!   (`veritas_engine::graph_segment`): TEE and `none` evidence only.

use veritas_engine::{GraphSegment, GraphSegmentError};
use veritas_primitives::{
	salt::{commit_salted, Salt},
	Commitment,
};
use veritas_prover::{ProverError, ZkSegment};

/// Why a segment could not run or commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SegmentError {
	/// From the fixed-point executor or the commitment of a circuit segment.
	Circuit(ProverError),
	/// From tract or the output's quantization.
	Graph(GraphSegmentError),
	/// A boundary tensor that cannot be committed (its values do not fill its shape).
	Commitment,
}

impl core::fmt::Display for SegmentError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Circuit(e) => write!(f, "{e:?}"),
			Self::Graph(e) => write!(f, "{e}"),
			Self::Commitment => write!(f, "the boundary tensor cannot be committed"),
		}
	}
}

impl std::error::Error for SegmentError {}

/// Every segment's output boundary for the input `x`, each segment reading the previous one's:
/// `outputs[i]` is segment i's.
pub fn run_chain(segments: &[ServedSegment], x: &[i32]) -> Result<Vec<Vec<i32>>, SegmentError> {
	let mut outputs: Vec<Vec<i32>> = Vec::with_capacity(segments.len());
	for segment in segments {
		let input = outputs.last().map_or(x, Vec::as_slice);
		outputs.push(segment.forward(input)?);
	}
	Ok(outputs)
}

/// A segment of a served model.
#[derive(Clone, Debug)]
pub enum ServedSegment {
	/// Layers the circuits cover: run in fixed point, provable.
	Circuit(ZkSegment),
	/// A graph tract runs in `f32`, between boundaries of the given shapes.
	Graph {
		/// The graph and its scale.
		segment: GraphSegment,
		/// Why it has no circuit: the layer reader's refusal, naming the node and operator.
		no_circuit: String,
		/// The input boundary's shape.
		input_shape: Vec<u32>,
		/// The output boundary's shape.
		output_shape: Vec<u32>,
	},
}

impl ServedSegment {
	/// The segment of a graph, its boundaries the graph's input and output shapes; `no_circuit`
	/// says why no circuit covers it.
	pub fn graph(segment: GraphSegment, no_circuit: String) -> Self {
		let shape = |dims: &[usize]| dims.iter().map(|d| *d as u32).collect();
		let input_shape = shape(segment.graph().input_shape());
		let output_shape = shape(segment.graph().output_shape());
		Self::Graph { segment, no_circuit, input_shape, output_shape }
	}

	/// Why the segment has no circuit, when it has none.
	pub fn no_circuit(&self) -> Option<&str> {
		match self {
			Self::Circuit(_) => None,
			Self::Graph { no_circuit, .. } => Some(no_circuit),
		}
	}

	/// The circuit segment, if this is one.
	pub fn zk(&self) -> Option<&ZkSegment> {
		match self {
			Self::Circuit(segment) => Some(segment),
			Self::Graph { .. } => None,
		}
	}

	/// The input boundary's shape.
	pub fn input_shape(&self) -> &[u32] {
		match self {
			Self::Circuit(s) => &s.input_shape,
			Self::Graph { input_shape, .. } => input_shape,
		}
	}

	/// The output boundary's shape.
	pub fn output_shape(&self) -> &[u32] {
		match self {
			Self::Circuit(s) => &s.output_shape,
			Self::Graph { output_shape, .. } => output_shape,
		}
	}

	/// Values the segment takes.
	pub fn inputs(&self) -> usize {
		match self {
			Self::Circuit(s) => s.segment.inputs(),
			Self::Graph { segment, .. } => segment.inputs(),
		}
	}

	/// The output boundary for the input boundary `x`.
	pub fn forward(&self, x: &[i32]) -> Result<Vec<i32>, SegmentError> {
		match self {
			Self::Circuit(s) => {
				s.segment.forward(x).map_err(|e| SegmentError::Circuit(ProverError::from(e)))
			},
			Self::Graph { segment, .. } => segment.forward(x).map_err(SegmentError::Graph),
		}
	}

	/// The output for `x` and its commitment `c_out`, salted with `salt`.
	pub fn run(&self, x: &[i32], salt: &Salt) -> Result<(Vec<i32>, Commitment), SegmentError> {
		let y = self.forward(x)?;
		let c_out =
			commit_salted(self.output_shape(), &y, salt).map_err(|_| SegmentError::Commitment)?;
		Ok((y, c_out))
	}

	/// The commitment `c_in` to an input `x` of this segment, salted with `salt`.
	pub fn commit_input(&self, x: &[i32], salt: &Salt) -> Result<Commitment, SegmentError> {
		commit_salted(self.input_shape(), x, salt).map_err(|_| SegmentError::Commitment)
	}
}
