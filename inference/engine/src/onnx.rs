//! ONNX models: float inference through tract, and the layers the quantizer reads.
//!
//! Supported graphs are chains from the graph's single input to its single output, the input a
//! float tensor `[1, n]` or an image `[1, c, h, w]` and the output `[1, k]`, made of:
//! - `Gemm` (`alpha = beta = 1`, `transA = 0`, `transB` either way, a constant weight and bias)
//!   or `MatMul` by a constant followed by `Add` of a constant, on a flat tensor;
//! - `Conv` (2-D, a constant kernel and optional bias, explicit `pads`, any `strides`,
//!   `dilations` 1 and `group` 1) on an image, which becomes a dense layer ([`crate::conv`]);
//! - `Relu` after either, and `MaxPool` (2-D, no padding, `ceil_mode` 0) after a convolution
//!   ([`crate::pool`]);
//! - `Flatten` (`axis = 1`), which turns an image into a flat tensor of the same values.
//!
//! Tensors are flattened row-major between layers, so an image's values are ordered channel,
//! row, column. The protobuf is decoded by `tract-onnx` and the weights by its tensor loader;
//! anything else is refused with [`OnnxError::Unsupported`], naming the node.

use std::{collections::HashMap, path::Path, sync::Arc};

use sha2::{Digest, Sha256};
/// ONNX's protobuf types, as tract decodes them ([`decode`] gives a [`pb::ModelProto`]).
pub use tract_onnx::pb;
use tract_onnx::{data_resolver::MmapDataResolver, prelude::Framework, tensor::load_tensor};

use crate::{
	conv::Conv2d,
	float::{FloatDense, FloatLayer, FloatModel},
	graph::OnnxGraph,
	pool::MaxPool,
};

/// Why an ONNX model cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnnxError {
	/// The file could not be read.
	Read(String),
	/// Not a well-formed ONNX model (protobuf, tensors, graph).
	Malformed(String),
	/// A well-formed model outside what the engine supports.
	Unsupported(String),
	/// An input of the wrong length, or a value that is not finite.
	BadInput(String),
}

impl core::fmt::Display for OnnxError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Read(e) => write!(f, "cannot read the model: {e}"),
			Self::Malformed(e) => write!(f, "malformed ONNX model: {e}"),
			Self::Unsupported(e) => write!(f, "unsupported ONNX model: {e}"),
			Self::BadInput(e) => write!(f, "bad input: {e}"),
		}
	}
}

impl std::error::Error for OnnxError {}

fn malformed(e: impl core::fmt::Display) -> OnnxError {
	OnnxError::Malformed(format!("{e:#}"))
}

fn unsupported(node: &pb::NodeProto, what: impl core::fmt::Display) -> OnnxError {
	OnnxError::Unsupported(format!("node `{}` ({}): {what}", node.name, node.op_type))
}

/// An ONNX model of the supported chain of layers: its layers, and its graph that tract runs.
pub struct OnnxModel {
	graph: Arc<OnnxGraph>,
	layers: FloatModel,
	sha256: [u8; 32],
}

impl core::fmt::Debug for OnnxModel {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("OnnxModel")
			.field("inputs", &self.layers.inputs())
			.field("outputs", &self.layers.outputs())
			.field("layers", &self.layers.layers.len())
			.finish()
	}
}

impl OnnxModel {
	/// Loads the model file at `path`.
	pub fn load(path: &Path) -> Result<Self, OnnxError> {
		Self::from_bytes(&read_file(path)?)
	}

	/// Loads a model from the bytes of an ONNX file.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, OnnxError> {
		Self::from_proto(&decode(bytes)?, Sha256::digest(bytes).into())
	}

	/// Loads a decoded model whose file hashes to `sha256`.
	pub fn from_proto(proto: &pb::ModelProto, sha256: [u8; 32]) -> Result<Self, OnnxError> {
		let graph = proto.graph.as_ref().ok_or_else(|| malformed("no graph"))?;
		let (layers, input_dims) = layers_of(graph)?;
		let graph = OnnxGraph::from_proto(proto)?;
		if graph.input_shape() != input_dims || graph.outputs() != layers.outputs() {
			return Err(OnnxError::Unsupported(format!(
				"tract reads the graph as {:?} → {:?}, the layers as {input_dims:?} → {} values",
				graph.input_shape(),
				graph.output_shape(),
				layers.outputs()
			)));
		}
		Ok(Self { graph: Arc::new(graph), layers, sha256 })
	}

	/// The model's graph, as tract runs it.
	pub fn graph(&self) -> &Arc<OnnxGraph> {
		&self.graph
	}

	/// The model's layers, as floats.
	pub fn layers(&self) -> &FloatModel {
		&self.layers
	}

	/// SHA-256 of the model file (what a manifest registers).
	pub fn sha256(&self) -> [u8; 32] {
		self.sha256
	}

	/// Runs the model on `input` (its `inputs()` values) with tract.
	pub fn run(&self, input: &[f32]) -> Result<Vec<f32>, OnnxError> {
		self.graph.run(input)
	}
}

/// The bytes of the model file at `path`.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, OnnxError> {
	std::fs::read(path).map_err(|e| OnnxError::Read(format!("{}: {e}", path.display())))
}

/// The ONNX protobuf of a model file's bytes (decoded by tract).
pub fn decode(bytes: &[u8]) -> Result<pb::ModelProto, OnnxError> {
	tract_onnx::onnx().proto_model_for_read(&mut &bytes[..]).map_err(malformed)
}

/// Checks that `input` has `expected` finite values.
pub fn check_input(input: &[f32], expected: usize) -> Result<(), OnnxError> {
	if input.len() != expected {
		return Err(OnnxError::BadInput(format!(
			"{} values where the model takes {expected}",
			input.len()
		)));
	}
	if let Some(i) = input.iter().position(|v| !v.is_finite()) {
		return Err(OnnxError::BadInput(format!("value {i} is not finite")));
	}
	Ok(())
}

/// A tensor between layers: flat `[1, n]`, or an image `[1, c, h, w]` stored flat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
	Flat(usize),
	Image(usize, usize, usize),
}

impl Shape {
	fn len(self) -> usize {
		match self {
			Self::Flat(n) => n,
			Self::Image(c, h, w) => c * h * w,
		}
	}
}

/// The most values a graph's input may have.
const MAX_INPUT: usize = 1 << 24;

/// The dimensions of a graph input or output, and its shape if the engine takes it.
fn shape_of(info: &pb::ValueInfoProto) -> Result<(Vec<usize>, Shape), OnnxError> {
	use pb::{tensor_shape_proto::dimension::Value, type_proto::Value as Type};
	let dims = match info.r#type.as_ref().and_then(|t| t.value.as_ref()) {
		Some(Type::TensorType(t)) => t.shape.as_ref().map(|s| s.dim.as_slice()).unwrap_or(&[]),
		None => return Err(malformed(format!("`{}` has no tensor type", info.name))),
	};
	let dims: Vec<Option<usize>> = dims
		.iter()
		.map(|d| match d.value {
			Some(Value::DimValue(v)) => usize::try_from(v).ok().filter(|v| *v > 0),
			_ => None,
		})
		.collect();
	let shape = shape_of_dims(&info.name, &dims)?;
	Ok((dims.into_iter().flatten().collect(), shape))
}

/// The shape the engine reads a tensor named `name` of dimensions `dims` as (`None`: unknown).
fn shape_of_dims(name: &str, dims: &[Option<usize>]) -> Result<Shape, OnnxError> {
	let refuse = || {
		OnnxError::Unsupported(format!(
			"`{name}` has shape {dims:?}; the engine takes [1, n] and [1, c, h, w] tensors of at \
			 most {MAX_INPUT} values"
		))
	};
	let values = dims.iter().try_fold(1usize, |a, b| b.and_then(|b| a.checked_mul(b)));
	if values.is_none_or(|n| n > MAX_INPUT) {
		return Err(refuse());
	}
	match dims {
		[Some(1), Some(n)] => Ok(Shape::Flat(*n)),
		[Some(1), Some(c), Some(h), Some(w)] => Ok(Shape::Image(*c, *h, *w)),
		_ => Err(refuse()),
	}
}

/// The float tensor named `name` among the initializers, with its dimensions.
fn constant(
	constants: &HashMap<&str, &pb::TensorProto>,
	node: &pb::NodeProto,
	name: &str,
) -> Result<(Vec<usize>, Vec<f32>), OnnxError> {
	let proto = constants
		.get(name)
		.ok_or_else(|| unsupported(node, format!("`{name}` is not a constant")))?;
	let tensor = load_tensor(&MmapDataResolver, proto, None).map_err(malformed)?;
	let view = tensor
		.to_plain_array_view::<f32>()
		.map_err(|_| unsupported(node, format!("`{name}` is not a float tensor")))?;
	let values: Vec<f32> = view.iter().copied().collect();
	if values.iter().any(|v| !v.is_finite()) {
		return Err(malformed(format!("`{name}` holds a value that is not finite")));
	}
	Ok((tensor.shape().to_vec(), values))
}

fn int_attr(node: &pb::NodeProto, name: &str, default: i64) -> Result<i64, OnnxError> {
	Ok(node.get_attr_opt::<i64>(name).map_err(malformed)?.unwrap_or(default))
}

fn float_attr(node: &pb::NodeProto, name: &str) -> Result<f32, OnnxError> {
	Ok(node.get_attr_opt::<f32>(name).map_err(malformed)?.unwrap_or(1.0))
}

/// A two-value attribute (rows, columns), `default` when absent.
fn pair_attr(
	node: &pb::NodeProto,
	name: &str,
	default: (usize, usize),
) -> Result<(usize, usize), OnnxError> {
	match node.get_attr_opt_vec::<usize>(name).map_err(malformed)?.as_deref() {
		None => Ok(default),
		Some(&[a, b]) => Ok((a, b)),
		Some(other) => Err(unsupported(node, format!("`{name}` = {other:?}; 2-D only"))),
	}
}

/// Explicit padding (`auto_pad` unset): top, left, bottom, right.
fn pads_attr(node: &pb::NodeProto) -> Result<[usize; 4], OnnxError> {
	let auto = node.get_attr_opt::<&str>("auto_pad").map_err(malformed)?;
	if auto.is_some_and(|a| a != "NOTSET") {
		return Err(unsupported(node, "only explicit `pads` (auto_pad NOTSET)"));
	}
	match node.get_attr_opt_vec::<usize>("pads").map_err(malformed)?.as_deref() {
		None => Ok([0; 4]),
		Some(&[t, l, b, r]) => Ok([t, l, b, r]),
		Some(other) => Err(unsupported(node, format!("`pads` = {other:?}; 2-D only"))),
	}
}

/// The dense form of the `Conv` node `node` on an image `input`, and the output image.
fn conv(
	constants: &HashMap<&str, &pb::TensorProto>,
	node: &pb::NodeProto,
	input: (usize, usize, usize),
) -> Result<(FloatDense, Shape), OnnxError> {
	if int_attr(node, "group", 1)? != 1 || pair_attr(node, "dilations", (1, 1))? != (1, 1) {
		return Err(unsupported(node, "only group 1 and dilations 1"));
	}
	let (dims, kernels) = constant(constants, node, node.input.get(1).map_or("", String::as_str))?;
	let [out_channels, in_channels, kh, kw] = dims[..] else {
		return Err(unsupported(node, format!("kernel of shape {dims:?}; 2-D only")));
	};
	if in_channels != input.0 || pair_attr(node, "kernel_shape", (kh, kw))? != (kh, kw) {
		return Err(unsupported(node, format!("kernel {dims:?} for an image {input:?}")));
	}
	let bias = match node.input.get(2) {
		Some(name) => constant(constants, node, name)?.1,
		None => vec![0.0; out_channels],
	};
	let geometry = Conv2d {
		input,
		out_channels,
		kernel: (kh, kw),
		stride: pair_attr(node, "strides", (1, 1))?,
		pads: pads_attr(node)?,
	};
	let bad = |e| unsupported(node, format!("{e:?} for {geometry:?}"));
	let (c, h, w) = geometry.output_dims().map_err(bad)?;
	let dense = geometry.to_dense(&kernels, &bias).map_err(bad)?;
	Ok((dense, Shape::Image(c, h, w)))
}

/// The `MaxPool` node `node` on an image `input`.
fn max_pool(node: &pb::NodeProto, input: (usize, usize, usize)) -> Result<MaxPool, OnnxError> {
	let kernel = node
		.get_attr_opt_vec::<usize>("kernel_shape")
		.map_err(malformed)?
		.ok_or_else(|| unsupported(node, "no `kernel_shape`"))?;
	let &[kh, kw] = kernel.as_slice() else {
		return Err(unsupported(node, format!("`kernel_shape` = {kernel:?}; 2-D only")));
	};
	if pads_attr(node)? != [0; 4]
		|| int_attr(node, "ceil_mode", 0)? != 0
		|| int_attr(node, "storage_order", 0)? != 0
		|| pair_attr(node, "dilations", (1, 1))? != (1, 1)
	{
		return Err(unsupported(node, "only unpadded pooling, ceil_mode 0 and dilations 1"));
	}
	let stride = pair_attr(node, "strides", (1, 1))?;
	MaxPool::new(input, (kh, kw), stride)
		.map_err(|e| unsupported(node, format!("{e:?}: window {kernel:?} on {input:?}")))
}

/// `W` (`outputs × inputs`, row-major) from a weight tensor stored `inputs × outputs`
/// (`transposed == false`) or `outputs × inputs`.
fn dense(
	node: &pb::NodeProto,
	(dims, w): (Vec<usize>, Vec<f32>),
	(bias_dims, bias): (Vec<usize>, Vec<f32>),
	transposed: bool,
) -> Result<FloatDense, OnnxError> {
	let [a, b] = dims[..] else {
		return Err(unsupported(node, format!("weights of shape {dims:?}")));
	};
	let (inputs, outputs) = if transposed { (b, a) } else { (a, b) };
	let bias_ok = matches!(bias_dims[..], [n] | [1, n] if n == outputs);
	if !bias_ok || inputs == 0 || outputs == 0 {
		return Err(unsupported(
			node,
			format!("bias of shape {bias_dims:?} for {outputs} outputs"),
		));
	}
	let weights = if transposed {
		w
	} else {
		(0..outputs)
			.flat_map(|j| (0..inputs).map(move |i| (i, j)))
			.map(|(i, j)| w[i * outputs + j])
			.collect()
	};
	Ok(FloatDense { inputs, outputs, weights, bias })
}

/// The graph's initializers, by name.
fn constants_of(graph: &pb::GraphProto) -> HashMap<&str, &pb::TensorProto> {
	graph.initializer.iter().map(|t| (t.name.as_str(), t)).collect()
}

/// The graph's single input (not one of its `constants`) and single output.
fn ends_of<'g>(
	graph: &'g pb::GraphProto,
	constants: &HashMap<&str, &pb::TensorProto>,
) -> Result<(&'g pb::ValueInfoProto, &'g pb::ValueInfoProto), OnnxError> {
	let inputs: Vec<&pb::ValueInfoProto> =
		graph.input.iter().filter(|i| !constants.contains_key(i.name.as_str())).collect();
	match (inputs.as_slice(), graph.output.as_slice()) {
		([input], [output]) => Ok((input, output)),
		_ => Err(OnnxError::Unsupported("the engine takes one input and one output".into())),
	}
}

/// The layers of `graph`, walking from its input to its output, and the input's dimensions.
fn layers_of(graph: &pb::GraphProto) -> Result<(FloatModel, Vec<usize>), OnnxError> {
	let constants = constants_of(graph);
	let (input, output) = ends_of(graph, &constants)?;
	let (input_dims, shape) = shape_of(input)?;
	let out_shape = shape_of(output)?.1;
	let model = walk(&constants, &graph.node, &input.name, shape, &output.name)?;
	if !matches!(out_shape, Shape::Flat(k) if k == model.outputs()) {
		return Err(OnnxError::Unsupported(
			"the layers' sizes do not chain input to output".into(),
		));
	}
	Ok((model, input_dims))
}

/// The layers of the part of `proto`'s graph between the tensor `from` (of dimensions
/// `from_dims`; `None`: the graph's input) and the tensor `to` (of dimensions `to_dims`; `None`:
/// the graph's output), when that part is a chain of supported layers: the nodes after the one
/// writing `from` up to the one writing `to`, in the file's order, each continuing the chain.
/// Refused with [`OnnxError::Unsupported`] naming the first node that does not (a cut graph's
/// segment the circuits do not cover runs as a graph).
pub fn layers_between(
	proto: &pb::ModelProto,
	(from, from_dims): (Option<&str>, &[usize]),
	(to, to_dims): (Option<&str>, &[usize]),
) -> Result<FloatModel, OnnxError> {
	let graph = proto.graph.as_ref().ok_or_else(|| malformed("no graph"))?;
	let constants = constants_of(graph);
	let (input, output) = ends_of(graph, &constants)?;
	// The node writing the tensor `name` (or, as tract reads names, the node named so: its
	// first output), and the tensor's name.
	let writer = |name: &str| {
		let written = graph.node.iter().enumerate().find_map(|(i, n)| {
			let output = n.output.iter().find(|o| *o == name);
			output.or_else(|| n.output.first().filter(|_| n.name == name)).map(|o| (i, o.as_str()))
		});
		written
			.ok_or_else(|| OnnxError::Unsupported(format!("no node of the graph writes `{name}`")))
	};
	let (start, from) = match from {
		Some(name) => writer(name).map(|(i, tensor)| (i + 1, tensor))?,
		None => (0, input.name.as_str()),
	};
	let (end, to) = match to {
		Some(name) => writer(name).map(|(i, tensor)| (i + 1, tensor))?,
		None => (graph.node.len(), output.name.as_str()),
	};
	let nodes = graph
		.node
		.get(start..end)
		.ok_or_else(|| OnnxError::Unsupported(format!("`{to}` is written before `{from}`")))?;
	// tract may carry a flat tensor inside the graph without its unit batch axis (`[n]` for the
	// file's `[1, n]`): the same values.
	let dims: Vec<Option<usize>> = match from_dims {
		[n] => vec![Some(1), Some(*n)],
		dims => dims.iter().map(|d| Some(*d)).collect(),
	};
	let model = walk(&constants, nodes, from, shape_of_dims(from, &dims)?, to)?;
	if to_dims.iter().product::<usize>() != model.outputs() {
		return Err(OnnxError::Unsupported(format!(
			"the layers from `{from}` give {} values, `{to}` has {to_dims:?}",
			model.outputs()
		)));
	}
	Ok(model)
}

/// The chain of layers that `nodes` make from the tensor `from` (of shape `shape`) to the tensor
/// `to`, every node continuing the chain.
fn walk(
	constants: &HashMap<&str, &pb::TensorProto>,
	nodes: &[pb::NodeProto],
	from: &str,
	mut shape: Shape,
	to: &str,
) -> Result<FloatModel, OnnxError> {
	let in_width = shape.len();
	let mut layers: Vec<FloatLayer> = Vec::new();
	let mut current = from;
	let mut nodes = nodes.iter().peekable();
	while let Some(node) = nodes.next() {
		let first = node.input.first().map(String::as_str);
		if first != Some(current) || node.output.len() != 1 {
			return Err(unsupported(node, format!("does not continue the chain from `{current}`")));
		}
		let image = match shape {
			Shape::Image(c, h, w) => Some((c, h, w)),
			Shape::Flat(_) => None,
		};
		let flat = || match shape {
			Shape::Flat(_) => Ok(()),
			Shape::Image(..) => {
				Err(unsupported(node, "takes a flat tensor: Flatten the image first"))
			},
		};
		let image = || image.ok_or_else(|| unsupported(node, "takes an image [1, c, h, w]"));
		match node.op_type.as_str() {
			"Gemm" => {
				flat()?;
				if int_attr(node, "transA", 0)? != 0
					|| float_attr(node, "alpha")? != 1.0
					|| float_attr(node, "beta")? != 1.0
					|| node.input.len() != 3
				{
					return Err(unsupported(node, "only Gemm(x, W, b) with alpha = beta = 1"));
				}
				let transposed = int_attr(node, "transB", 0)? != 0;
				let w = constant(constants, node, &node.input[1])?;
				let b = constant(constants, node, &node.input[2])?;
				let dense = dense(node, w, b, transposed)?;
				shape = Shape::Flat(dense.outputs);
				layers.push(FloatLayer::dense(dense));
			},
			"MatMul" => {
				flat()?;
				let add = nodes.next().filter(|a| {
					a.op_type == "Add"
						&& a.input.first() == node.output.first()
						&& a.input.len() == 2
				});
				let Some(add) = add else {
					return Err(unsupported(node, "MatMul must be followed by Add of a bias"));
				};
				let w = constant(constants, node, node.input.get(1).map_or("", String::as_str))?;
				let b = constant(constants, add, &add.input[1])?;
				let dense = dense(node, w, b, false)?;
				shape = Shape::Flat(dense.outputs);
				layers.push(FloatLayer::dense(dense));
				current = add.output[0].as_str();
				continue;
			},
			"Conv" => {
				let (dense, out) = conv(constants, node, image()?)?;
				shape = out;
				layers.push(FloatLayer::dense(dense));
			},
			"Relu" => match layers.last_mut() {
				Some(last) if !last.relu => last.relu = true,
				_ => {
					return Err(unsupported(node, "ReLU must follow a dense layer or convolution"))
				},
			},
			"MaxPool" => {
				let pool = max_pool(node, image()?)?;
				let (c, h, w) = pool.output_dims();
				match layers.last_mut() {
					Some(last) if last.pool.is_none() => last.pool = Some(pool),
					_ => return Err(unsupported(node, "MaxPool must follow a convolution")),
				}
				shape = Shape::Image(c, h, w);
			},
			"Flatten" => {
				if int_attr(node, "axis", 1)? != 1 {
					return Err(unsupported(node, "only Flatten with axis 1"));
				}
				shape = Shape::Flat(shape.len());
			},
			other => return Err(unsupported(node, format!("operator {other} is not supported"))),
		}
		current = node.output[0].as_str();
	}
	if current != to {
		return Err(OnnxError::Unsupported(format!("the chain ends at `{current}`, not `{to}`")));
	}
	let model = FloatModel { layers };
	let chained = model.layers.windows(2).all(|w| w[0].outputs() == w[1].dense.inputs);
	if model.layers.is_empty() || !chained || model.inputs() != in_width {
		return Err(OnnxError::Unsupported(
			"the layers' sizes do not chain input to output".into(),
		));
	}
	Ok(model)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn binary() -> pb::ModelProto {
		let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/graphs/binary.onnx");
		decode(&std::fs::read(path).unwrap()).unwrap()
	}

	/// The binary classifier (MatMul, Add, Tanh, MatMul, Add, Sigmoid) between named tensors:
	/// its first layer is a chain the circuits cover, computing what tract computes on that part;
	/// the rest is not, and the refusal names the operator.
	#[test]
	fn the_part_between_two_tensors_is_read_as_layers_when_it_is_a_chain() {
		let proto = binary();
		let first = layers_between(&proto, (None, &[1, 5]), (Some("a1"), &[1, 6])).unwrap();
		assert_eq!((first.inputs(), first.outputs(), first.layers.len()), (5, 6, 1));
		let graph = OnnxGraph::from_proto(&proto).unwrap();
		let parts = crate::cut::cut(&graph, &["a1"]).unwrap();
		let x = [0.5f32, -0.25, 1.0, 0.0, 0.75];
		for (a, b) in first.forward(&x).iter().zip(&parts[0].run(&x).unwrap()) {
			assert!((a - b).abs() < 1e-5, "{a} vs tract's {b}");
		}
		let rest = layers_between(&proto, (Some("a1"), &[1, 6]), (None, &[1, 1])).unwrap_err();
		assert!(rest.to_string().contains("operator Tanh is not supported"), "{rest}");
		// Cut between the MatMul and its bias.
		let e = layers_between(&proto, (None, &[1, 5]), (Some("m1"), &[1, 6])).unwrap_err();
		assert!(e.to_string().contains("followed by Add"), "{e}");
		let e = layers_between(&proto, (None, &[1, 5]), (Some("nowhere"), &[1, 6])).unwrap_err();
		assert!(e.to_string().contains("no node of the graph writes `nowhere`"), "{e}");
		let e = layers_between(&proto, (Some("a2"), &[1, 1]), (Some("a1"), &[1, 6])).unwrap_err();
		assert!(e.to_string().contains("`a1` is written before `a2`"), "{e}");
		// The boundary's dimensions must be what the layers give.
		let e = layers_between(&proto, (None, &[1, 5]), (Some("a1"), &[1, 7])).unwrap_err();
		assert!(e.to_string().contains("give 6 values"), "{e}");
	}
}
