//! # `veritas-engine`: the models an inference node runs
//!
//! Two engines of one model ([`engine::InferenceEngine`]):
//! - [`onnx::OnnxModel`]: the ONNX file run in `f32` by **tract** (the plain inference, and the
//!   reference the fixed-point version is measured against);
//! - [`quantize::QuantizedModel`]: the same layers in fixed point, evaluated by the executor of
//!   [`fixed`], whose integer semantics are exactly what the zkML circuits of `veritas-prover`
//!   prove and what the commitments of a receipt commit to.
//!
//! [`onnx`] reads the layers from the ONNX graph (tract decodes the protobuf and the tensors;
//! convolutions become dense layers with repeated weights, [`pool`] gives max pooling),
//! [`quantize`] turns them into fixed-point segments at the manifest's scale `2^bits`, and
//! [`test_set`] measures float and fixed-point accuracy on a model's held-out inputs.

pub mod conv;
pub mod cut;
pub mod engine;
pub mod fixed;
pub mod float;
pub mod graph;
pub mod graph_segment;
pub mod onnx;
pub mod pool;
pub mod quantize;
pub mod test_set;

pub use engine::{argmax, EngineError, InferenceEngine};
pub use fixed::{Dense, LayerError, Op, Segment};
pub use graph::{GraphNode, OnnxGraph};
pub use graph_segment::{GraphSegment, GraphSegmentError};
pub use onnx::{OnnxError, OnnxModel};
pub use pool::MaxPool;
pub use quantize::{QuantizeError, QuantizedModel};
pub use test_set::{Accuracy, TestSet};
