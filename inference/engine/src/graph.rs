//! Any ONNX model tract runs, as tract's own typed graph: what TEE and `none` segments execute.
//!
//! The file goes through tract's ONNX front end (shape and type inference), then into its typed,
//! decluttered form: constants folded, `Shape → Gather → Concat → Reshape` chains folded into
//! plain reshapes, `BatchNormalization` folded where tract does. Symbolic dimensions of the input
//! (a dynamic batch `[N, …]`, skl2onnx's `[None, n]`) are pinned to 1: the node answers one
//! request at a time. The model is a DAG, not a chain: residual `Add`, `Concat` and multi-input
//! nodes run as tract runs them.
//!
//! A graph has exactly one input (a float tensor) and one output. When the ONNX graph declares
//! several outputs, the float ones are the model's: a classifier exported by skl2onnx also gives
//! its `label` (int64), which is dropped, and a `ZipMap` at the end (a sequence of maps, which is
//! not a tensor) is cut off so that the probabilities tensor it reads is the output. Anything else
//! is a typed [`OnnxError`] naming the input, output or node.

use std::{path::Path, sync::Arc};

use tract_onnx::{
	pb,
	prelude::{
		DatumType, Framework, InferenceFact, InferenceModel, InferenceModelExt, IntoRunnable,
		OutletId, TValue, TVec, Tensor, TypedModel, TypedRunnableModel,
	},
};

use tract_onnx::tract_hir::infer::Factoid;

use crate::onnx::{check_input, decode, read_file, OnnxError};

/// The most values the model's input may have after its dimensions are pinned.
pub const MAX_GRAPH_INPUT: usize = 1 << 24;

fn malformed(e: impl core::fmt::Display) -> OnnxError {
	OnnxError::Malformed(format!("{e:#}"))
}

/// One node of the typed graph, in evaluation order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphNode {
	/// The node's name (its ONNX name, or a name tract derived from it).
	pub name: String,
	/// tract's operator (after decluttering: `EinSum`, `Conv`, `Add`, `Reshape`, …).
	pub op: String,
}

/// An ONNX model as tract's typed, decluttered graph, ready to run in `f32`.
pub struct OnnxGraph {
	typed: TypedModel,
	plan: Arc<TypedRunnableModel>,
	input_shape: Vec<usize>,
	output_shape: Vec<usize>,
}

impl core::fmt::Debug for OnnxGraph {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("OnnxGraph")
			.field("input_shape", &self.input_shape)
			.field("output_shape", &self.output_shape)
			.field("nodes", &self.typed.nodes().len())
			.finish()
	}
}

impl OnnxGraph {
	/// Loads the model file at `path`.
	pub fn load(path: &Path) -> Result<Self, OnnxError> {
		Self::from_bytes(&read_file(path)?)
	}

	/// Loads a model from the bytes of an ONNX file.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, OnnxError> {
		Self::from_proto(&decode(bytes)?)
	}

	/// The graph of a decoded ONNX model.
	pub fn from_proto(proto: &pb::ModelProto) -> Result<Self, OnnxError> {
		let model = tract_onnx::onnx().model_for_proto_model(proto).map_err(malformed)?;
		let model = pin_input(model)?;
		let model = keep_float_output(model)?;
		let typed = model.into_typed().map_err(unsupported_graph)?;
		Self::from_typed(typed.into_decluttered().map_err(unsupported_graph)?)
	}

	/// A graph of a typed model with one input and one output (a segment of a cut graph).
	pub fn from_typed(typed: TypedModel) -> Result<Self, OnnxError> {
		let one = |outlets: &[OutletId], what: &str| match outlets {
			[outlet] => Ok(*outlet),
			_ => Err(OnnxError::Unsupported(format!(
				"{} {what}s, where one is served",
				outlets.len()
			))),
		};
		let output = one(typed.output_outlets().map_err(malformed)?, "output")?;
		let input = one(typed.input_outlets().map_err(malformed)?, "input")?;
		let output_shape = concrete_shape(&typed, output)?;
		let input_shape = concrete_shape(&typed, input)?;
		let plan = typed
			.clone()
			.into_optimized()
			.and_then(|m| m.into_runnable())
			.map_err(unsupported_graph)?;
		Ok(Self { typed, plan, input_shape, output_shape })
	}

	/// tract's typed, decluttered model.
	pub fn typed(&self) -> &TypedModel {
		&self.typed
	}

	/// The model's input tensor (its one source).
	pub fn input_outlet(&self) -> OutletId {
		self.typed.inputs[0]
	}

	/// The model's output tensor.
	pub fn output_outlet(&self) -> OutletId {
		self.typed.outputs[0]
	}

	/// The input tensor's shape (symbolic dimensions pinned to 1).
	pub fn input_shape(&self) -> &[usize] {
		&self.input_shape
	}

	/// The output tensor's shape.
	pub fn output_shape(&self) -> &[usize] {
		&self.output_shape
	}

	/// Values the model takes.
	pub fn inputs(&self) -> usize {
		self.input_shape.iter().product()
	}

	/// Values the model gives.
	pub fn outputs(&self) -> usize {
		self.output_shape.iter().product()
	}

	/// The typed graph's operator nodes in evaluation order (sources and constants left out).
	pub fn nodes(&self) -> Vec<GraphNode> {
		let order = self.typed.eval_order().unwrap_or_default();
		order
			.into_iter()
			.map(|id| &self.typed.nodes()[id])
			.filter(|n| !matches!(n.op().name().as_ref(), "Source" | "Const"))
			.map(|n| GraphNode { name: n.name.clone(), op: n.op().name().into_owned() })
			.collect()
	}

	/// Runs the model on `input` (its `inputs()` values, row-major in the input's shape).
	pub fn run(&self, input: &[f32]) -> Result<Vec<f32>, OnnxError> {
		check_input(input, self.inputs())?;
		let tensor = Tensor::from_shape(&self.input_shape, input).map_err(malformed)?;
		let inputs: TVec<TValue> = core::iter::once(tensor.into()).collect();
		let outputs = self.plan.run(inputs).map_err(malformed)?;
		let output = outputs.first().ok_or_else(|| malformed("the model gave no output"))?;
		let output = output.cast_to::<f32>().map_err(malformed)?;
		let view = output.to_plain_array_view::<f32>().map_err(malformed)?;
		Ok(view.iter().copied().collect())
	}
}

/// A model tract cannot type or declutter: an operator it does not know, a cyclic graph, shapes
/// that do not agree. tract's message names the node.
fn unsupported_graph(e: impl core::fmt::Display) -> OnnxError {
	OnnxError::Unsupported(format!("{e:#}"))
}

/// The concrete shape of `outlet` in `model`.
fn concrete_shape(model: &TypedModel, outlet: OutletId) -> Result<Vec<usize>, OnnxError> {
	let fact = model.outlet_fact(outlet).map_err(malformed)?;
	let name = model.outlet_label(outlet).unwrap_or(&model.node(outlet.node).name).to_owned();
	fact.shape
		.as_concrete()
		.map(|dims| dims.to_vec())
		.ok_or_else(|| OnnxError::Unsupported(format!("`{name}` has no concrete shape: {fact:?}")))
}

/// Pins the single input's symbolic dimensions to 1 and types it `f32`.
fn pin_input(model: InferenceModel) -> Result<InferenceModel, OnnxError> {
	let inputs = model.input_outlets().map_err(malformed)?;
	let name = |o: &OutletId| model.node(o.node).name.clone();
	let [input] = inputs else {
		let names: Vec<String> = inputs.iter().map(name).collect();
		return Err(OnnxError::Unsupported(format!(
			"the model takes {} inputs ({names:?}); a served model takes exactly one",
			names.len()
		)));
	};
	let input_name = name(input);
	let fact = model.input_fact(0).map_err(malformed)?;
	if fact.shape.is_open() {
		return Err(OnnxError::Unsupported(format!("input `{input_name}` has no declared rank")));
	}
	if fact.datum_type.concretize().is_some_and(|t| !t.is_float()) {
		return Err(OnnxError::Unsupported(format!(
			"input `{input_name}` is a {:?} tensor; a served model takes floats",
			fact.datum_type
		)));
	}
	let dims: Vec<usize> = fact
		.shape
		.dims()
		.map(|d| {
			d.concretize()
				.and_then(|d| d.as_i64())
				.and_then(|d| usize::try_from(d).ok())
				.unwrap_or(1)
		})
		.collect();
	let values = dims.iter().try_fold(1usize, |a, d| a.checked_mul(*d));
	if values.is_none_or(|n| n == 0 || n > MAX_GRAPH_INPUT) {
		return Err(OnnxError::Unsupported(format!(
			"input `{input_name}` of shape {dims:?}: at most {MAX_GRAPH_INPUT} values"
		)));
	}
	model.with_input_fact(0, InferenceFact::dt_shape(DatumType::F32, dims)).map_err(malformed)
}

/// Keeps the model's one float output: drops integer outputs (a classifier's `label`) and cuts a
/// final `ZipMap` off (its input, the probabilities, becomes the output).
fn keep_float_output(mut model: InferenceModel) -> Result<InferenceModel, OnnxError> {
	// Type inference first (obstinately: past what it cannot infer, such as a `ZipMap`), so that
	// the outputs' types are known; `into_typed` runs it again, strictly, on what is kept.
	let _ = model.analyse(true);
	let outputs = model.output_outlets().map_err(malformed)?.to_vec();
	let mut kept = Vec::new();
	for outlet in outputs {
		let node = model.node(outlet.node);
		// tract has no ZipMap: its front end names the placeholder `Unimplemented(ZipMap)`.
		let op = node.op.name();
		let outlet = if op == "ZipMap" || op == "Unimplemented(ZipMap)" {
			match node.inputs.as_slice() {
				[probabilities] => *probabilities,
				_ => return Err(malformed(format!("ZipMap `{}` without one input", node.name))),
			}
		} else {
			outlet
		};
		let fact = model.outlet_fact(outlet).map_err(malformed)?;
		let integer = fact.datum_type.concretize().is_some_and(|t| !t.is_float());
		if !integer {
			kept.push(outlet);
		}
	}
	let names = |o: &[OutletId]| -> Vec<String> {
		o.iter().map(|o| model.node(o.node).name.clone()).collect()
	};
	if kept.len() != 1 {
		return Err(OnnxError::Unsupported(format!(
			"the model has {} float outputs ({:?}); a served model gives exactly one",
			kept.len(),
			names(&kept)
		)));
	}
	model.select_output_outlets(&kept).map_err(malformed)?;
	Ok(model)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn shipped(model: &str) -> std::path::PathBuf {
		Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models").join(model).join("model.onnx")
	}

	#[test]
	fn the_shipped_chain_models_load_as_graphs_and_agree_with_the_layer_reader() {
		for (model, input, output) in [
			("digits-mlp", vec![1, 64], vec![1, 10]),
			("digits-cnn", vec![1, 1, 8, 8], vec![1, 10]),
		] {
			let graph = OnnxGraph::load(&shipped(model)).unwrap();
			assert_eq!((graph.input_shape(), graph.output_shape()), (&input[..], &output[..]));
			let layers = crate::OnnxModel::load(&shipped(model)).unwrap();
			let x: Vec<f32> = (0..graph.inputs()).map(|i| (i % 17) as f32 / 16.0).collect();
			assert_eq!(graph.run(&x).unwrap(), layers.run(&x).unwrap(), "{model}");
			assert!(graph.nodes().iter().any(|n| !n.op.is_empty()));
		}
	}

	fn fixture(name: &str) -> std::path::PathBuf {
		Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/graphs").join(name)
	}

	/// Graphs the layer reader refuses (BatchNorm, a residual `Add`, pooling branches joined by
	/// `Concat`, a `Shape → Gather → Concat → Reshape` flatten with a `Constant` node, `Softmax`,
	/// `Sigmoid`/`Tanh`, skl2onnx's `[None, n]` input, its `label` output and `ZipMap`) give
	/// what ONNX's reference evaluator gives on the same input.
	#[test]
	fn graphs_outside_the_layer_chain_match_the_onnx_reference_evaluator() {
		for name in ["residual", "binary", "classifier", "classifier-zipmap"] {
			let graph = OnnxGraph::load(&fixture(&format!("{name}.onnx"))).unwrap();
			let text = std::fs::read_to_string(fixture(&format!("{name}.expected.json"))).unwrap();
			let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
			let floats = |key: &str| -> Vec<f32> {
				expected[key]
					.as_array()
					.unwrap()
					.iter()
					.map(|v| v.as_f64().unwrap() as f32)
					.collect()
			};
			let shape: Vec<usize> = expected["input_shape"]
				.as_array()
				.unwrap()
				.iter()
				.map(|d| d.as_u64().unwrap() as usize)
				.collect();
			assert_eq!(graph.input_shape(), &shape[..], "{name}");
			let got = graph.run(&floats("input")).unwrap();
			let want = floats("output");
			assert_eq!(got.len(), want.len(), "{name}");
			for (g, w) in got.iter().zip(&want) {
				assert!((g - w).abs() <= 1e-5 * w.abs().max(1.0), "{name}: {got:?} vs {want:?}");
			}
			// The shape chain is folded away: no `Shape` or `Gather` is left to run.
			let ops: Vec<String> = graph.nodes().into_iter().map(|n| n.op).collect();
			assert!(!ops.iter().any(|op| op == "Shape" || op == "Gather"), "{name}: {ops:?}");
		}
	}

	#[test]
	fn graphs_a_served_model_cannot_be_are_refused_naming_why() {
		let error = |name: &str| OnnxGraph::load(&fixture(name)).unwrap_err().to_string();
		let two = error("bad-two-inputs.onnx");
		assert!(two.contains("2 inputs") && two.contains("\"a\""), "{two}");
		let unknown = error("bad-unknown-operator.onnx");
		assert!(unknown.contains("frob") || unknown.contains("Frobnicate"), "{unknown}");
		let integer = error("bad-integer-input.onnx");
		assert!(integer.contains("`ids`"), "{integer}");
		assert!(matches!(OnnxGraph::from_bytes(b"not a model"), Err(OnnxError::Malformed(_))));
	}

	#[test]
	fn bad_inputs_are_typed_errors() {
		let graph = OnnxGraph::load(&shipped("digits-mlp")).unwrap();
		assert!(matches!(graph.run(&[0.0; 3]), Err(OnnxError::BadInput(_))));
		let mut x = vec![0.0; 64];
		x[5] = f32::INFINITY;
		assert!(matches!(graph.run(&x), Err(OnnxError::BadInput(_))));
		assert!(matches!(
			OnnxGraph::load(Path::new("/nonexistent/model.onnx")),
			Err(OnnxError::Read(_))
		));
	}
}
