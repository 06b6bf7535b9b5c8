//! Arbitrary bytes as an ONNX model file for TEE serving: loading either refuses them with an
//! error or gives a graph that runs (or refuses the run with an error) without panicking, its
//! graph segment quantizes the output or refuses it, and a cut at any of its first nodes (with
//! the layer reader on each part) gives two parts or a typed refusal. Seed it with the engine's graph
//! fixtures and the shipped models: `mkdir -p corpus/load_graph && cp ../resources/graphs/*.onnx
//! corpus/load_graph/ && for m in ../../../models/*/; do cp "$m/model.onnx"
//! "corpus/load_graph/$(basename "$m").onnx"; done`.

#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use veritas_engine::{GraphSegment, OnnxGraph};

fuzz_target!(|data: &[u8]| {
	let Ok(graph) = OnnxGraph::from_bytes(data) else { return };
	let input = vec![0.5f32; graph.inputs()];
	if let Ok(y) = graph.run(&input) {
		assert_eq!(y.len(), graph.outputs());
	}
	for node in graph.nodes().iter().take(4) {
		let Ok(parts) = veritas_engine::cut::cut(&graph, &[node.name.as_str()]) else { continue };
		assert_eq!(parts.len(), 2);
		if let Ok(proto) = veritas_engine::onnx::decode(data) {
			let end = (Some(node.name.as_str()), parts[0].output_shape());
			let _ =
				veritas_engine::onnx::layers_between(&proto, (None, parts[0].input_shape()), end);
		}
	}
	let segment = GraphSegment::new(Arc::new(graph), 8).expect("8 bits is a valid scale");
	let _ = segment.forward(&vec![128; segment.inputs()]);
});
