//! ONNX models: float inference through tract, and the layers the quantizer reads.
//!
//! Supported graphs are multilayer perceptrons on a `[1, n]` float input: `Gemm` (`alpha = beta =
//! 1`, `transA = 0`, `transB` either way, a constant weight and bias) or `MatMul` by a constant
//! followed by `Add` of a constant, each optionally followed by `Relu`, chained from the graph's
//! single input to its single output. The protobuf is decoded by `tract-onnx` and the weights by
//! its tensor loader; anything else is refused with [`OnnxError::Unsupported`], naming the node.

use std::{collections::HashMap, path::Path};

use sha2::{Digest, Sha256};
use tract_onnx::{
	data_resolver::MmapDataResolver,
	pb,
	prelude::{
		Framework, InferenceModelExt, IntoRunnable, TValue, TVec, Tensor, TypedRunnableModel,
	},
	tensor::load_tensor,
};

use crate::float::{FloatDense, FloatLayer, FloatModel};

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

/// An ONNX model loaded for float inference, with its layers.
pub struct OnnxModel {
	plan: std::sync::Arc<TypedRunnableModel>,
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
		let bytes =
			std::fs::read(path).map_err(|e| OnnxError::Read(format!("{}: {e}", path.display())))?;
		Self::from_bytes(&bytes)
	}

	/// Loads a model from the bytes of an ONNX file.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, OnnxError> {
		let proto = tract_onnx::onnx().proto_model_for_read(&mut &bytes[..]).map_err(malformed)?;
		Self::from_proto(&proto, Sha256::digest(bytes).into())
	}

	/// Loads a decoded model whose file hashes to `sha256`.
	pub fn from_proto(proto: &pb::ModelProto, sha256: [u8; 32]) -> Result<Self, OnnxError> {
		let graph = proto.graph.as_ref().ok_or_else(|| malformed("no graph"))?;
		let layers = layers_of(graph)?;
		let plan = tract_onnx::onnx()
			.model_for_proto_model(proto)
			.and_then(|m| m.into_optimized())
			.and_then(|m| m.into_runnable())
			.map_err(malformed)?;
		Ok(Self { plan, layers, sha256 })
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
		check_input(input, self.layers.inputs())?;
		let tensor = Tensor::from_shape(&[1, input.len()], input).map_err(malformed)?;
		let inputs: TVec<TValue> = core::iter::once(tensor.into()).collect();
		let outputs = self.plan.run(inputs).map_err(malformed)?;
		let output = outputs.first().ok_or_else(|| malformed("the model gave no output"))?;
		let view = output.to_plain_array_view::<f32>().map_err(malformed)?;
		Ok(view.iter().copied().collect())
	}
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

/// The `[1, n]` width of a graph input or output.
fn width(info: &pb::ValueInfoProto) -> Result<usize, OnnxError> {
	use pb::{tensor_shape_proto::dimension::Value, type_proto::Value as Type};
	let dims = match info.r#type.as_ref().and_then(|t| t.value.as_ref()) {
		Some(Type::TensorType(t)) => t.shape.as_ref().map(|s| s.dim.as_slice()).unwrap_or(&[]),
		None => return Err(malformed(format!("`{}` has no tensor type", info.name))),
	};
	let dims: Vec<Option<i64>> = dims
		.iter()
		.map(|d| match d.value {
			Some(Value::DimValue(v)) => Some(v),
			_ => None,
		})
		.collect();
	match dims.as_slice() {
		[Some(1), Some(n)] if *n > 0 => usize::try_from(*n).map_err(malformed),
		_ => Err(OnnxError::Unsupported(format!(
			"`{}` has shape {dims:?}; the engine takes [1, n] tensors",
			info.name
		))),
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

/// The layers of `graph`, walking from its input to its output.
fn layers_of(graph: &pb::GraphProto) -> Result<FloatModel, OnnxError> {
	let constants: HashMap<&str, &pb::TensorProto> =
		graph.initializer.iter().map(|t| (t.name.as_str(), t)).collect();
	let inputs: Vec<&pb::ValueInfoProto> =
		graph.input.iter().filter(|i| !constants.contains_key(i.name.as_str())).collect();
	let ([input], [output]) = (inputs.as_slice(), graph.output.as_slice()) else {
		return Err(OnnxError::Unsupported("the engine takes one input and one output".into()));
	};
	let (in_width, out_width) = (width(input)?, width(output)?);

	let mut layers: Vec<FloatLayer> = Vec::new();
	let mut current = input.name.as_str();
	let mut nodes = graph.node.iter().peekable();
	while let Some(node) = nodes.next() {
		let first = node.input.first().map(String::as_str);
		if first != Some(current) || node.output.len() != 1 {
			return Err(unsupported(node, format!("does not continue the chain from `{current}`")));
		}
		match node.op_type.as_str() {
			"Gemm" => {
				if int_attr(node, "transA", 0)? != 0
					|| float_attr(node, "alpha")? != 1.0
					|| float_attr(node, "beta")? != 1.0
					|| node.input.len() != 3
				{
					return Err(unsupported(node, "only Gemm(x, W, b) with alpha = beta = 1"));
				}
				let transposed = int_attr(node, "transB", 0)? != 0;
				let w = constant(&constants, node, &node.input[1])?;
				let b = constant(&constants, node, &node.input[2])?;
				layers.push(FloatLayer { dense: dense(node, w, b, transposed)?, relu: false });
			},
			"MatMul" => {
				let add = nodes.next().filter(|a| {
					a.op_type == "Add"
						&& a.input.first() == node.output.first()
						&& a.input.len() == 2
				});
				let Some(add) = add else {
					return Err(unsupported(node, "MatMul must be followed by Add of a bias"));
				};
				let w = constant(&constants, node, node.input.get(1).map_or("", String::as_str))?;
				let b = constant(&constants, add, &add.input[1])?;
				layers.push(FloatLayer { dense: dense(node, w, b, false)?, relu: false });
				current = add.output[0].as_str();
				continue;
			},
			"Relu" => match layers.last_mut() {
				Some(last) if !last.relu => last.relu = true,
				_ => return Err(unsupported(node, "ReLU must follow a dense layer")),
			},
			other => return Err(unsupported(node, format!("operator {other} is not supported"))),
		}
		current = node.output[0].as_str();
	}
	if current != output.name {
		return Err(OnnxError::Unsupported(format!(
			"the chain ends at `{current}`, not the output"
		)));
	}
	let model = FloatModel { layers };
	let chained = model.layers.windows(2).all(|w| w[0].dense.outputs == w[1].dense.inputs);
	if model.layers.is_empty()
		|| !chained
		|| model.inputs() != in_width
		|| model.outputs() != out_width
	{
		return Err(OnnxError::Unsupported(
			"the layers' sizes do not chain input to output".into(),
		));
	}
	Ok(model)
}
