//! Arbitrary bytes as an ONNX model file: loading either refuses them with an error or gives a
//! model that both engines run without panicking. Seed it with the shipped models (the CNN's
//! convolution and pooling included): `mkdir -p corpus/load_and_run && for m in ../../../models/*/;
//! do cp "$m/model.onnx" "corpus/load_and_run/$(basename "$m").onnx"; done`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use veritas_engine::{InferenceEngine, OnnxModel, QuantizedModel};

fuzz_target!(|data: &[u8]| {
	let Ok(model) = OnnxModel::from_bytes(data) else { return };
	let input = vec![0.5f32; model.inputs()];
	let float = model.infer(&input);
	assert_eq!(float.map(|y| y.len()).ok(), Some(model.outputs()));
	if let Ok(fixed) = QuantizedModel::from_float(model.layers(), 8) {
		let _ = fixed.infer(&input);
	}
});
