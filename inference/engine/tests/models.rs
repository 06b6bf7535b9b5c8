//! The shipped models (`models/`, trained by `scripts/train-models.sh`) through both engines, and
//! malformed models refused.

use std::path::PathBuf;

use tract_onnx::prelude::Framework;
use veritas_engine::{argmax, InferenceEngine, OnnxError, OnnxModel, QuantizedModel, TestSet};

const MODELS: [&str; 4] = ["digits-mlp", "digits-mlp-large", "digits-cnn", "text-char-mlp"];
/// The shipped manifests' scale: 2^8.
const BITS: u8 = 8;

fn dir(model: &str) -> PathBuf {
	std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../../models")
	.join(model)
}

fn load(model: &str) -> (OnnxModel, TestSet) {
	let onnx = OnnxModel::load(&dir(model).join("model.onnx")).unwrap();
	let set = TestSet::load(&dir(model).join("test-set.json")).unwrap();
	(onnx, set)
}

#[test]
fn tract_and_the_extracted_layers_reproduce_the_training_logits() {
	for model in MODELS {
		let (onnx, set) = load(model);
		assert_eq!(set.model, model);
		// The training script keeps the logits of the first 8 inputs (`LOGIT_CHECKS`): all of
		// them are compared, and none missing passes unnoticed.
		assert_eq!(set.float_logits.len(), 8, "{model}: the training logits kept");
		for (input, expected) in set.inputs.iter().zip(&set.float_logits) {
			let tract = onnx.infer(input).unwrap();
			let layers = onnx.layers().forward(input);
			assert_eq!(tract.len(), expected.len());
			for ((t, l), e) in tract.iter().zip(&layers).zip(expected) {
				assert!((t - e).abs() < 1e-3, "{model}: tract {t} vs scikit-learn {e}");
				assert!((t - l).abs() < 1e-3, "{model}: tract {t} vs the extracted layers {l}");
			}
		}
	}
}

#[test]
fn fixed_point_accuracy_stays_close_to_float_on_the_held_out_sets() {
	for model in MODELS {
		let (onnx, set) = load(model);
		let quantized = QuantizedModel::from_float(onnx.layers(), BITS).unwrap();
		let float = set.accuracy(&onnx).unwrap();
		let fixed = set.accuracy(&quantized).unwrap();
		let agree = set.agreement(&onnx, &quantized).unwrap();
		println!(
			"{model}: float {:.4}, fixed point (2^{BITS}) {:.4}, same class {:.4} on {} inputs",
			float.ratio(),
			fixed.ratio(),
			agree.ratio(),
			float.total
		);
		// tract's float accuracy is the one measured at training time.
		assert!((float.ratio() - set.float_accuracy).abs() <= 1.0 / float.total as f64, "{model}");
		assert!(fixed.ratio() >= float.ratio() - 0.02, "{model}: {fixed:?} vs {float:?}");
		assert!(agree.ratio() >= 0.95, "{model}: {agree:?}");
	}
}

/// `models/<model>/fixed-reference.json`: what `scripts/models/fixed_reference.py` (NumPy and
/// the `onnx` package, no code shared with this crate) computed for every held-out input.
#[derive(serde::Deserialize)]
struct Reference {
	model: String,
	bits: u8,
	/// The model's output for each input.
	outputs: Vec<Vec<i32>>,
	/// For each input, SHA-256 (hex) of each segment's output as little-endian `i32`s.
	segment_sha256: Vec<Vec<String>>,
}

fn sha256_hex(values: &[i32]) -> String {
	use sha2::{Digest, Sha256};
	let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
	Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_fixed_point_engine_matches_an_independent_numpy_reference_on_every_held_out_input() {
	for model in MODELS {
		let (onnx, set) = load(model);
		let path = dir(model).join("fixed-reference.json");
		let reference: Reference =
			serde_json::from_slice(&std::fs::read(&path).unwrap()).expect("the reference");
		assert_eq!((reference.model.as_str(), reference.bits), (model, BITS));
		assert_eq!(reference.outputs.len(), set.inputs.len(), "{model}: one output per input");
		assert_eq!(reference.segment_sha256.len(), set.inputs.len(), "{model}");
		let q = QuantizedModel::from_float(onnx.layers(), BITS).unwrap();
		let mut differ = Vec::new();
		for (i, input) in set.inputs.iter().enumerate() {
			let segments = q.run_segments(&q.quantize_input(input).unwrap()).unwrap();
			let hashes: Vec<String> = segments.iter().map(|s| sha256_hex(s)).collect();
			if segments.last() != Some(&reference.outputs[i])
				|| hashes != reference.segment_sha256[i]
			{
				differ.push(i);
			}
		}
		assert!(differ.is_empty(), "{model}: inputs {differ:?} differ from the reference");
	}
}

#[test]
fn the_fixed_point_segments_chain_to_the_model_output() {
	let (onnx, set) = load("digits-mlp-large");
	let q = QuantizedModel::from_float(onnx.layers(), BITS).unwrap();
	assert_eq!(q.segments().len(), 3);
	let x = q.quantize_input(&set.inputs[0]).unwrap();
	let outputs = q.run_segments(&x).unwrap();
	let widths: Vec<usize> = outputs.iter().map(Vec::len).collect();
	assert_eq!(widths, vec![128, 64, 10]);
	assert!(outputs[0].iter().all(|v| *v >= 0), "a ReLU layer's output");
	let mut chained = x;
	for s in q.segments() {
		chained = s.forward(&chained).unwrap();
	}
	assert_eq!(chained, outputs[2]);
	assert_eq!(argmax(&q.dequantize(&chained)), Some(set.labels[0]));
}

fn edited(model: &str, edit: impl FnOnce(&mut tract_onnx::pb::ModelProto)) -> OnnxError {
	let bytes = std::fs::read(dir(model).join("model.onnx")).unwrap();
	let mut proto = tract_onnx::onnx().proto_model_for_read(&mut &bytes[..]).unwrap();
	edit(&mut proto);
	OnnxModel::from_proto(&proto, [0; 32]).unwrap_err()
}

#[test]
fn malformed_and_unsupported_models_and_inputs_are_refused_with_typed_errors() {
	let bytes = std::fs::read(dir("digits-mlp").join("model.onnx")).unwrap();
	for bad in [&b""[..], &b"\xff\xff\xff\xff"[..], &bytes[..bytes.len() / 2], &[0x0a, 0x80][..]] {
		assert!(
			matches!(OnnxModel::from_bytes(bad), Err(OnnxError::Malformed(_))),
			"{:?}",
			&bad[..bad.len().min(8)]
		);
	}
	assert!(matches!(
		OnnxModel::load(&dir("digits-mlp").join("absent.onnx")),
		Err(OnnxError::Read(_))
	));
	let unsupported = |e: OnnxError| matches!(e, OnnxError::Unsupported(_));
	assert!(unsupported(edited("digits-mlp", |p| {
		p.graph.as_mut().unwrap().node[1].op_type = "Sigmoid".into();
	})));
	assert!(unsupported(edited("digits-mlp", |p| {
		let node = &mut p.graph.as_mut().unwrap().node[0];
		let mut alpha = node.attribute[0].clone();
		alpha.name = "alpha".into();
		alpha.r#type = tract_onnx::pb::attribute_proto::AttributeType::Float as i32;
		alpha.f = 2.0;
		node.attribute.push(alpha);
	})));
	assert!(unsupported(edited("digits-mlp", |p| {
		p.graph.as_mut().unwrap().initializer.remove(0);
	})));
	assert!(unsupported(edited("digits-mlp", |p| {
		p.graph.as_mut().unwrap().node.swap(0, 2);
	})));
	assert!(matches!(
		edited("digits-mlp", |p| {
			p.graph = None;
		}),
		OnnxError::Malformed(_)
	));
	let (onnx, _) = load("digits-mlp");
	assert!(matches!(
		onnx.infer(&[0.0; 63]),
		Err(veritas_engine::EngineError::Onnx(OnnxError::BadInput(_)))
	));
	let mut nan = vec![0.0; 64];
	nan[5] = f32::NAN;
	assert!(onnx.infer(&nan).is_err());
	let q = QuantizedModel::from_float(onnx.layers(), BITS).unwrap();
	assert!(q.infer(&nan).is_err());
	assert!(q.infer(&[0.0; 65]).is_err());
}

/// Sets attribute `name` of node `node` of `model` to the integers `values`.
fn set_ints(p: &mut tract_onnx::pb::ModelProto, node: usize, name: &str, values: &[i64]) {
	use tract_onnx::pb::{attribute_proto::AttributeType, AttributeProto};
	let node = &mut p.graph.as_mut().unwrap().node[node];
	node.attribute.retain(|a| a.name != name);
	node.attribute.push(AttributeProto {
		name: name.into(),
		r#type: if values.len() == 1 { AttributeType::Int } else { AttributeType::Ints } as i32,
		i: values[0],
		ints: values.to_vec(),
		..Default::default()
	});
}

#[test]
fn the_cnn_pools_before_rescaling_with_the_same_output_as_the_float_order() {
	use veritas_engine::{fixed::rescale, Op};
	let (onnx, set) = load("digits-cnn");
	let q = QuantizedModel::from_float(onnx.layers(), BITS).unwrap();
	assert_eq!(q.segments().len(), 2);
	let ops = q.segments()[0].ops();
	let (Op::Dense(conv), Op::MaxPool(pool)) = (&ops[0], &ops[1]) else {
		panic!("conv then pool: {ops:?}");
	};
	assert!(matches!(ops[2..], [Op::Rescale { shift: BITS }, Op::Relu]));
	assert_eq!((conv.inputs, conv.outputs, pool.outputs()), (64, 512, 128));
	// The float graph's order, Conv → Rescale → Relu → MaxPool, gives the same values.
	for input in &set.inputs {
		let x = q.quantize_input(input).unwrap();
		let relu: Vec<i32> =
			conv.forward(&x).unwrap().iter().map(|v| rescale(*v, BITS).max(0)).collect();
		let pooled = pool.forward(&relu).unwrap();
		assert_eq!(q.run_segments(&x).unwrap()[0], pooled);
	}
}

#[test]
fn convolutions_and_pooling_outside_the_supported_forms_are_refused() {
	let unsupported = |e: OnnxError| matches!(e, OnnxError::Unsupported(_));
	// Nodes: 0 Conv, 1 Relu, 2 MaxPool, 3 Flatten, 4 Gemm.
	for (node, name, values) in [
		(0, "group", &[2][..]),
		(0, "dilations", &[2, 2][..]),
		(0, "strides", &[1, 1, 1][..]),
		(0, "pads", &[9, 9, 9, 9][..]),
		(0, "kernel_shape", &[5, 5][..]),
		(2, "pads", &[1, 1, 1, 1][..]),
		(2, "ceil_mode", &[1][..]),
		(2, "kernel_shape", &[9, 9][..]),
		(2, "strides", &[0, 0][..]),
		(3, "axis", &[2][..]),
	] {
		let e = edited("digits-cnn", |p| set_ints(p, node, name, values));
		assert!(unsupported(e.clone()), "{name} = {values:?} on node {node}: {e:?}");
	}
	// A dense layer on the image without Flatten, pooling a flat tensor, an image's dense form
	// too large, a kernel for another number of channels.
	assert!(unsupported(edited("digits-cnn", |p| {
		let g = p.graph.as_mut().unwrap();
		g.node.remove(3);
		g.node[3].input[0] = "pool".into();
	})));
	assert!(unsupported(edited("digits-cnn", |p| {
		let g = p.graph.as_mut().unwrap();
		g.node.swap(2, 3);
		(g.node[2].input[0], g.node[3].input[0]) = ("relu".into(), "flat".into());
		(g.node[2].output[0], g.node[3].output[0]) = ("flat".into(), "pool".into());
		g.node[4].input[0] = "pool".into();
	})));
	assert!(unsupported(edited("digits-cnn", |p| set_input_dims(p, &[(1, 3)]))));
	assert!(unsupported(edited("digits-cnn", |p| set_input_dims(
		p,
		&[(2, 1 << 12), (3, 1 << 12)]
	))));
}

/// Sets dimensions `(index, size)` of the graph input of `model`.
fn set_input_dims(p: &mut tract_onnx::pb::ModelProto, dims: &[(usize, i64)]) {
	use tract_onnx::pb::{tensor_shape_proto::dimension::Value, type_proto::Value as Type};
	let input = &mut p.graph.as_mut().unwrap().input[0];
	let Some(Type::TensorType(t)) = input.r#type.as_mut().unwrap().value.as_mut() else {
		panic!("the input is a tensor")
	};
	for &(index, size) in dims {
		t.shape.as_mut().unwrap().dim[index].value = Some(Value::DimValue(size));
	}
}
