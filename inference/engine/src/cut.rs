//! A graph cut at named tensors into consecutive subgraphs: the segments an operator asks for.
//!
//! A boundary is a tensor of the typed graph, named as the ONNX file names it (tract keeps the
//! ONNX tensor names as outlet labels; a node's name stands for its first output). A cut is valid
//! when it separates the graph: everything after the boundary reads only the boundary (and
//! constants), never a tensor from before it. Each segment becomes a typed model of its own: a
//! source of the boundary's type, the segment's nodes re-wired in evaluation order (constants
//! copied), the next boundary as its output.

use std::collections::{HashMap, HashSet};

use tract_onnx::{
	prelude::{OutletId, TypedModel},
	tract_core::{internal::SpecialOps, ops::konst::Const},
};

use crate::{graph::OnnxGraph, onnx::OnnxError};

/// Why a graph cannot be cut where asked.
fn refuse(e: impl Into<String>) -> OnnxError {
	OnnxError::Unsupported(e.into())
}

/// The outlet of `model` named `name`: the tensor labelled so, else the first output of the node
/// of that name.
fn named(model: &TypedModel, name: &str) -> Result<OutletId, OnnxError> {
	for node in model.nodes() {
		for slot in 0..node.outputs.len() {
			let outlet = OutletId::new(node.id, slot);
			if model.outlet_label(outlet) == Some(name) {
				return Ok(outlet);
			}
		}
	}
	model.nodes().iter().find(|n| n.name == name).map(|n| OutletId::new(n.id, 0)).ok_or_else(|| {
		let mut known: Vec<&str> = model
			.nodes()
			.iter()
			.flat_map(|n| (0..n.outputs.len()).map(move |s| OutletId::new(n.id, s)))
			.filter_map(|o| model.outlet_label(o))
			.collect();
		known.sort_unstable();
		refuse(format!("no tensor `{name}` in the graph (tensors: {})", known.join(", ")))
	})
}

/// The nodes the subgraph from `from` to `to` runs: everything `to` depends on back to `from`,
/// constants included. Refused if `to` depends on another tensor than `from` that is not a
/// constant (the cut at `from` does not separate the graph), or not on `from` at all.
fn between(model: &TypedModel, from: OutletId, to: OutletId) -> Result<HashSet<usize>, OnnxError> {
	let label = |o: OutletId| {
		model.outlet_label(o).map_or_else(|| model.node(o.node).name.clone(), str::to_owned)
	};
	let mut nodes = HashSet::new();
	let mut reads_from = false;
	let mut stack = vec![to];
	while let Some(outlet) = stack.pop() {
		if outlet == from {
			reads_from = true;
			continue;
		}
		let node = model.node(outlet.node);
		if !nodes.insert(node.id) {
			continue;
		}
		if node.inputs.is_empty() && node.op_as::<Const>().is_none() {
			return Err(refuse(format!(
				"the cut at `{}` does not separate the graph: `{}` also reads `{}`",
				label(from),
				label(to),
				label(outlet)
			)));
		}
		stack.extend(node.inputs.iter().copied());
	}
	if !reads_from {
		return Err(refuse(format!("`{}` does not depend on `{}`", label(to), label(from))));
	}
	Ok(nodes)
}

/// The subgraph of `model` from `from` to `to`, as a model of its own.
fn subgraph(model: &TypedModel, from: OutletId, to: OutletId) -> Result<TypedModel, OnnxError> {
	let malformed = |e: tract_onnx::prelude::TractError| OnnxError::Malformed(format!("{e:#}"));
	let nodes = between(model, from, to)?;
	let mut sub = TypedModel::default();
	let mut mapping: HashMap<OutletId, OutletId> = HashMap::new();
	let fact = model.outlet_fact(from).map_err(malformed)?.clone();
	let source = sub.add_source("boundary", fact).map_err(malformed)?;
	mapping.insert(from, source);
	for id in model.eval_order().map_err(malformed)? {
		if !nodes.contains(&id) {
			continue;
		}
		let node = model.node(id);
		let inputs: Vec<OutletId> = node.inputs.iter().map(|i| mapping[i]).collect();
		let outputs = sub.wire_node(&node.name, node.op.clone(), &inputs).map_err(malformed)?;
		for (slot, outlet) in outputs.into_iter().enumerate() {
			mapping.insert(OutletId::new(id, slot), outlet);
		}
	}
	sub.select_output_outlets(&[mapping[&to]]).map_err(malformed)?;
	Ok(sub)
}

/// `graph` cut at the tensors named `boundaries`, in order: `boundaries.len() + 1` segments, the
/// first reading the model's input, the last giving its output.
pub fn cut(graph: &OnnxGraph, boundaries: &[&str]) -> Result<Vec<OnnxGraph>, OnnxError> {
	let model = graph.typed();
	let mut outlets = vec![graph.input_outlet()];
	for name in boundaries {
		outlets.push(named(model, name)?);
	}
	outlets.push(graph.output_outlet());
	outlets
		.windows(2)
		.map(|pair| OnnxGraph::from_typed(subgraph(model, pair[0], pair[1])?))
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn residual() -> OnnxGraph {
		let path =
			std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/graphs/residual.onnx");
		OnnxGraph::load(&path).unwrap()
	}

	/// Cut after the first block and after the residual block: the segments run one after the
	/// other give what the whole graph gives.
	#[test]
	fn segments_run_in_turn_give_the_whole_graph_s_output() {
		let graph = residual();
		let segments = cut(&graph, &["r1", "r2"]).unwrap();
		assert_eq!(segments.len(), 3);
		assert_eq!(segments[0].input_shape(), graph.input_shape());
		assert_eq!(segments[0].output_shape(), &[1, 4, 8, 8]);
		assert_eq!(segments[2].output_shape(), graph.output_shape());
		let x: Vec<f32> = (0..graph.inputs()).map(|i| ((i * 7) % 13) as f32 / 13.0 - 0.5).collect();
		let chained = segments.iter().try_fold(x.clone(), |a, s| s.run(&a)).unwrap();
		let whole = graph.run(&x).unwrap();
		for (c, w) in chained.iter().zip(&whole) {
			assert!((c - w).abs() < 1e-6, "{chained:?} vs {whole:?}");
		}
		assert!(segments[1].nodes().iter().any(|n| n.op == "Add"), "the residual add");
	}

	#[test]
	fn cuts_that_do_not_separate_or_name_no_tensor_are_refused_naming_it() {
		let graph = residual();
		// `c2` (the second convolution's output) does not separate: the residual add also reads
		// `r1`, from before it.
		let e = cut(&graph, &["c2"]).unwrap_err().to_string();
		assert!(e.contains("does not separate") && e.contains("`c2`"), "{e}");
		let e = cut(&graph, &["nowhere"]).unwrap_err().to_string();
		assert!(e.contains("no tensor `nowhere`") && e.contains("r1"), "{e}");
		// Out of order: `r1` comes before `r2`.
		assert!(cut(&graph, &["r2", "r1"]).is_err());
	}
}
