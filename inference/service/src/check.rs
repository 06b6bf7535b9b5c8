//! `veritas-inference check`: a model loaded as the node would load it, segment by segment —
//! what runs in it, which evidence each segment can have and why not ZK, the size of its circuit
//! — and how far the served (quantized) model is from the float model on held-out inputs.

use std::path::Path;

use veritas_engine::{argmax, OnnxGraph, Op};
use veritas_primitives::EvidenceKind;
use veritas_prover::constraint_count;

use crate::{
	segment::{run_chain, ServedSegment},
	served::{segment_model, SegmentedModel, ServeError},
};

/// One segment, as the node would run it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentReport {
	/// `circuit` (fixed point, provable) or `graph` (tract, `f32`).
	pub executor: &'static str,
	/// Its operators, in order: the fixed-point executor's or tract's (after decluttering).
	pub operators: Vec<String>,
	/// The evidence kinds it can have.
	pub evidence: Vec<EvidenceKind>,
	/// Why it cannot have ZK evidence, when it cannot.
	pub no_zk: Option<String>,
	/// Its circuit's R1CS constraints, when it has one.
	pub constraints: Option<usize>,
	/// Its input boundary's shape.
	pub input_shape: Vec<u32>,
	/// Its output boundary's shape.
	pub output_shape: Vec<u32>,
}

/// The served model against the float model (tract) on some inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
	/// Inputs compared.
	pub inputs: usize,
	/// Inputs whose output's argmax is the same in both.
	pub same_argmax: usize,
	/// The largest absolute difference of an output value (the served output dequantized).
	pub max_abs_error: f64,
	/// Inputs labelled right by the float model and by the served one, when labels are given.
	pub correct: Option<(usize, usize)>,
}

/// A model's check.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelReport {
	/// SHA-256 of the model file.
	pub file_hash: [u8; 32],
	/// The fixed-point scale checked.
	pub scale: u32,
	/// The segments.
	pub segments: Vec<SegmentReport>,
	/// Float vs served agreement on the data, when data was given.
	pub agreement: Option<Agreement>,
}

fn kind_names(kinds: &[EvidenceKind]) -> Vec<&'static str> {
	kinds.iter().map(|k| k.name()).collect()
}

impl ModelReport {
	/// The report as JSON (what `veritas-inference check --json` prints).
	pub fn to_json(&self) -> serde_json::Value {
		let segments: Vec<serde_json::Value> = self
			.segments
			.iter()
			.map(|s| {
				serde_json::json!({
					"executor": s.executor,
					"operators": s.operators,
					"evidence": kind_names(&s.evidence),
					"no_zk": s.no_zk,
					"constraints": s.constraints,
					"input_shape": s.input_shape,
					"output_shape": s.output_shape,
				})
			})
			.collect();
		let agreement = self.agreement.as_ref().map(|a| {
			serde_json::json!({
				"inputs": a.inputs,
				"same_argmax": a.same_argmax,
				"max_abs_error": a.max_abs_error,
				"float_correct": a.correct.map(|c| c.0),
				"served_correct": a.correct.map(|c| c.1),
			})
		});
		serde_json::json!({
			"file_sha256": format!("0x{}", hex::encode(self.file_hash)),
			"scale": self.scale,
			"segments": segments,
			"agreement": agreement,
		})
	}
}

/// The report as text, one block per segment (what `veritas-inference check` prints).
impl core::fmt::Display for ModelReport {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		writeln!(f, "model file sha256 0x{}, scale {}", hex::encode(self.file_hash), self.scale)?;
		for (i, s) in self.segments.iter().enumerate() {
			let evidence = kind_names(&s.evidence).join(", ");
			let (input, output) = (&s.input_shape, &s.output_shape);
			writeln!(f, "segment {i}: {} {input:?} → {output:?}, evidence {evidence}", s.executor)?;
			writeln!(f, "  operators: {}", s.operators.join(", "))?;
			if let Some(n) = s.constraints {
				writeln!(f, "  circuit: {n} constraints")?;
			}
			if let Some(why) = &s.no_zk {
				writeln!(f, "  no zk: {why}")?;
			}
		}
		if let Some(a) = &self.agreement {
			let pct = |n: usize| 100.0 * n as f64 / a.inputs.max(1) as f64;
			writeln!(
				f,
				"served vs float on {} inputs: argmax agrees on {} ({:.2} %), max abs error {:.6}",
				a.inputs,
				a.same_argmax,
				pct(a.same_argmax),
				a.max_abs_error
			)?;
			if let Some((float, served)) = a.correct {
				writeln!(f, "accuracy: float {:.2} %, served {:.2} %", pct(float), pct(served))?;
			}
		}
		Ok(())
	}
}

/// Held-out inputs (floats in the model's input shape, flattened) and, optionally, their labels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckData {
	/// The inputs.
	pub inputs: Vec<Vec<f32>>,
	/// One label per input, when known.
	pub labels: Option<Vec<usize>>,
}

impl CheckData {
	/// Reads a file of held-out inputs: NumPy's `.npy` (see [`Self::from_npy`]) when its name
	/// ends so, else JSON: an array of inputs (arrays of numbers), or an object with `inputs` and
	/// optionally `labels` (a model's `test-set.json`).
	pub fn read(path: &Path) -> Result<Self, String> {
		if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("npy")) {
			let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
			return Self::from_npy(&bytes).map_err(|e| format!("{}: {e}", path.display()));
		}
		let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
		let value: serde_json::Value = serde_json::from_slice(&text)
			.map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
		let bad = |what: &str| format!("{}: {what}", path.display());
		let (inputs, labels) = match &value {
			serde_json::Value::Array(_) => (&value, None),
			serde_json::Value::Object(o) => (
				o.get("inputs").ok_or_else(|| bad("no `inputs`"))?,
				o.get("labels").filter(|l| !l.is_null()),
			),
			_ => return Err(bad("an array of inputs or an object with `inputs` expected")),
		};
		let inputs: Vec<Vec<f32>> = serde_json::from_value(inputs.clone())
			.map_err(|e| bad(&format!("`inputs` must be arrays of numbers: {e}")))?;
		let labels: Option<Vec<usize>> = labels
			.map(|l| serde_json::from_value(l.clone()))
			.transpose()
			.map_err(|e| bad(&format!("`labels` must be class indices: {e}")))?;
		if labels.as_ref().is_some_and(|l| l.len() != inputs.len()) {
			return Err(bad("as many labels as inputs expected"));
		}
		Ok(Self { inputs, labels })
	}

	/// Inputs from the bytes of a NumPy `.npy` file (read by `npyz`): a C-ordered array of
	/// `float32` or `float64` whose first axis counts the inputs, each input the rest of the
	/// array flattened (e.g. `[500, 1, 28, 28]`: 500 images of 784 values). No labels.
	pub fn from_npy(bytes: &[u8]) -> Result<Self, String> {
		let npy = npyz::NpyFile::new(bytes).map_err(|e| format!("not a .npy file: {e}"))?;
		if npy.order() != npyz::Order::C && npy.shape().len() > 1 {
			return Err("a Fortran-ordered array: save it in C order".into());
		}
		let shape = npy.shape().to_vec();
		let Some((&count, rest)) = shape.split_first() else {
			return Err("a 0-dimensional array: inputs along the first axis expected".into());
		};
		let width = rest.iter().try_fold(1u64, |a, d| a.checked_mul(*d));
		let (count, width) = match (usize::try_from(count), width.map(usize::try_from)) {
			(Ok(count), Some(Ok(width))) if width > 0 => (count, width),
			_ => return Err(format!("shape {shape:?}: no inputs of a usable size")),
		};
		let dtype = npy.dtype();
		let values: Vec<f32> = match npy.into_vec::<f32>() {
			Ok(values) => values,
			Err(_) => npyz::NpyFile::new(bytes)
				.and_then(|npy| npy.into_vec::<f64>())
				.map_err(|_| format!("values of type {dtype:?}: float32 or float64 expected"))?
				.into_iter()
				.map(|v| v as f32)
				.collect(),
		};
		if Some(values.len()) != count.checked_mul(width) {
			return Err(format!("{} values for the shape {shape:?}", values.len()));
		}
		let inputs = values.chunks(width).map(<[f32]>::to_vec).collect();
		Ok(Self { inputs, labels: None })
	}
}

fn op_name(op: &Op) -> String {
	match op {
		Op::Dense(d) => format!("Dense({}→{})", d.inputs, d.outputs),
		Op::Rescale { shift } => format!("Rescale(>>{shift})"),
		Op::Relu => "Relu".into(),
		Op::MaxPool(p) => format!("MaxPool{:?}", p.output_dims()),
	}
}

/// tract operators (after decluttering) of the kinds today's circuits have a gadget for, in some
/// form: dense layers and convolutions (`EinSum`, `MatMul`, `Conv`), a bias `Add`, ReLU (`Max`
/// with 0), `MaxPool`, and reshapes. A graph segment's other operators are listed as what no
/// circuit covers.
const CIRCUIT_OPS: &[&str] = &["Conv", "EinSum", "MatMul", "Add", "Max", "MaxPool", "Reshape"];

/// Why a graph segment has no ZK evidence: the layer reader's refusal (the first thing it met),
/// and every operator of the graph no circuit covers.
fn why_no_zk(segment: &ServedSegment) -> String {
	let ServedSegment::Graph { segment, no_circuit: first, .. } = segment else {
		return String::new();
	};
	let uncovered: Vec<String> = segment
		.graph()
		.nodes()
		.into_iter()
		.filter(|n| !CIRCUIT_OPS.contains(&n.op.as_str()))
		.map(|n| format!("{} ({})", n.op, n.name))
		.collect();
	if uncovered.is_empty() {
		return first.to_owned();
	}
	format!("{first}; no circuit covers {}", uncovered.join(", "))
}

fn segment_report(segment: &ServedSegment) -> SegmentReport {
	let tee = [EvidenceKind::None, EvidenceKind::Tee, EvidenceKind::TeeAttested];
	let (executor, operators, constraints) = match segment {
		ServedSegment::Circuit(zk) => {
			("circuit", zk.segment.ops().iter().map(op_name).collect(), constraint_count(zk).ok())
		},
		ServedSegment::Graph { segment, .. } => {
			let ops = segment.graph().nodes().into_iter().map(|n| format!("{} ({})", n.op, n.name));
			("graph", ops.collect(), None)
		},
	};
	let mut evidence = tee.to_vec();
	let no_zk = match segment.zk() {
		Some(_) => {
			evidence.push(EvidenceKind::Zk);
			None
		},
		None => Some(why_no_zk(segment)),
	};
	SegmentReport {
		executor,
		operators,
		evidence,
		no_zk,
		constraints,
		input_shape: segment.input_shape().to_vec(),
		output_shape: segment.output_shape().to_vec(),
	}
}

/// Checks the model in directory `dir` at `scale`, cut at `cuts` (none: the default cut),
/// comparing the served model with the float one on `data` when given.
pub fn check(
	dir: &Path,
	scale: u32,
	cuts: &[&str],
	data: Option<&CheckData>,
) -> Result<ModelReport, ServeError> {
	let SegmentedModel { segments, file_hash, float } = segment_model(dir, scale, cuts)?;
	let reports = segments.iter().map(segment_report).collect();
	let agreement = match data {
		Some(data) => Some(agreement(&references(&float, data)?, scale, &segments, data)?),
		None => None,
	};
	Ok(ModelReport { file_hash, scale, segments: reports, agreement })
}

/// The float model's output for each of `data`'s inputs: the reference the served model is
/// measured against (at every scale a calibration tries, computed once).
pub(crate) fn references(float: &OnnxGraph, data: &CheckData) -> Result<Vec<Vec<f32>>, ServeError> {
	let run = |(i, input): (usize, &Vec<f32>)| {
		float.run(input).map_err(|e| ServeError::Model(format!("input {i}: {e}")))
	};
	data.inputs.iter().enumerate().map(run).collect()
}

/// The served model (`segments` at `scale`) against the float model's `references` on `data`.
pub(crate) fn agreement(
	references: &[Vec<f32>],
	scale: u32,
	segments: &[ServedSegment],
	data: &CheckData,
) -> Result<Agreement, ServeError> {
	let mut report = Agreement { inputs: 0, same_argmax: 0, max_abs_error: 0.0, correct: None };
	let mut correct = (0, 0);
	for (i, (input, reference)) in data.inputs.iter().zip(references).enumerate() {
		let bad = |e: String| ServeError::Model(format!("input {i}: {e}"));
		let features: Vec<f64> = input.iter().map(|v| f64::from(*v)).collect();
		let x = veritas_api::units::quantize_all(&features, scale)
			.map_err(|at| bad(format!("value {at} does not fit the scale")))?;
		let x = run_chain(segments, &x).map_err(|e| bad(e.to_string()))?.pop().unwrap_or_default();
		let served: Vec<f64> =
			x.iter().map(|v| veritas_api::units::dequantize(*v, scale)).collect();
		let served_f32: Vec<f32> = served.iter().map(|v| *v as f32).collect();
		report.inputs += 1;
		let (a, b) = (argmax(reference), argmax(&served_f32));
		report.same_argmax += usize::from(a == b);
		for (r, s) in reference.iter().zip(&served) {
			report.max_abs_error = report.max_abs_error.max((f64::from(*r) - s).abs());
		}
		if let Some(label) = data.labels.as_ref().map(|l| l[i]) {
			correct.0 += usize::from(a == Some(label));
			correct.1 += usize::from(b == Some(label));
		}
	}
	report.correct = data.labels.as_ref().map(|_| correct);
	Ok(report)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::served::MODEL_FILE;

	fn dir(path: &str) -> std::path::PathBuf {
		Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
	}

	#[test]
	fn a_chain_model_has_circuits_and_its_served_model_agrees_with_the_float_one() {
		let data = CheckData::read(&dir("models/digits-mlp/test-set.json")).unwrap();
		let report = check(&dir("models/digits-mlp"), 256, &[], Some(&data)).unwrap();
		assert_eq!(report.segments.len(), 2);
		for s in &report.segments {
			assert_eq!((s.executor, s.no_zk.as_deref()), ("circuit", None));
			assert!(s.evidence.contains(&EvidenceKind::Zk) && s.constraints.unwrap_or(0) > 1000);
		}
		assert_eq!(report.segments[0].operators, ["Dense(64→32)", "Rescale(>>8)", "Relu"]);
		let a = report.agreement.unwrap();
		assert_eq!(a.inputs, 450);
		assert!(a.same_argmax * 1000 >= 995 * a.inputs, "{a:?}");
		assert!(a.max_abs_error > 0.0 && a.max_abs_error < 0.5, "{a:?}");
		let (float, served) = a.correct.unwrap();
		assert!(float.abs_diff(served) <= 5, "{a:?}");
	}

	#[test]
	fn a_graph_model_offers_tee_and_says_what_no_circuit_covers() {
		let tmp = tempfile::tempdir().unwrap();
		let model = tmp.path().join(MODEL_FILE);
		std::fs::copy(dir("inference/engine/resources/graphs/residual.onnx"), &model).unwrap();
		let report = check(tmp.path(), 256, &[], None).unwrap();
		let [s] = &report.segments[..] else { panic!("one segment") };
		assert_eq!(s.executor, "graph");
		assert_eq!(s.evidence, [EvidenceKind::None, EvidenceKind::Tee, EvidenceKind::TeeAttested]);
		let why = s.no_zk.as_deref().unwrap();
		assert!(why.contains("Softmax (softmax)") && why.contains("SumPool (avg)"), "{why}");
		assert!(s.operators.iter().any(|o| o == "Conv (conv1)"), "{:?}", s.operators);
		assert_eq!((s.input_shape.clone(), s.output_shape.clone()), (vec![1, 3, 8, 8], vec![1, 3]));
		let text = report.to_string();
		assert!(
			text.contains("segment 0: graph [1, 3, 8, 8] → [1, 3], evidence none, tee"),
			"{text}"
		);
		assert_eq!(report.to_json()["segments"][0]["no_zk"], serde_json::json!(why));
		std::fs::write(&model, b"not onnx").unwrap();
		assert!(matches!(check(tmp.path(), 256, &[], None), Err(ServeError::Model(_))));
	}

	/// The binary classifier cut after its first layer: that part is a chain of layers, so it
	/// has a circuit; the rest (Tanh, a layer, Sigmoid) runs as a graph, saying why.
	#[test]
	fn a_cut_graph_has_a_circuit_where_its_part_is_a_chain_of_layers() {
		let tmp = tempfile::tempdir().unwrap();
		let model = tmp.path().join(MODEL_FILE);
		std::fs::copy(dir("inference/engine/resources/graphs/binary.onnx"), &model).unwrap();
		let report = check(tmp.path(), 256, &["a1"], None).unwrap();
		let [first, rest] = &report.segments[..] else { panic!("two segments") };
		assert_eq!((first.executor, rest.executor), ("circuit", "graph"));
		assert_eq!((&first.input_shape, &first.output_shape), (&vec![1, 5], &rest.input_shape));
		assert!(first.evidence.contains(&EvidenceKind::Zk) && first.constraints.unwrap_or(0) > 0);
		let why = rest.no_zk.as_deref().unwrap_or_default();
		assert!(why.contains("operator Tanh is not supported"), "{why}");
		assert!(matches!(check(tmp.path(), 256, &["nowhere"], None), Err(ServeError::Model(_))));
	}

	#[test]
	fn data_files_are_arrays_or_test_sets_and_bad_ones_are_refused() {
		let tmp = tempfile::tempdir().unwrap();
		let file = tmp.path().join("data.json");
		let read = |text: &str| {
			std::fs::write(&file, text).unwrap();
			CheckData::read(&file)
		};
		assert_eq!(
			read("[[0.5, 1], [2, 3]]").unwrap(),
			CheckData { inputs: vec![vec![0.5, 1.0], vec![2.0, 3.0]], labels: None }
		);
		assert_eq!(read(r#"{"inputs": [[1]], "labels": [4]}"#).unwrap().labels, Some(vec![4]));
		for bad in ["", "3", r#"{"x": 1}"#, r#"[["a"]]"#, r#"{"inputs": [[1]], "labels": [1, 2]}"#]
		{
			assert!(read(bad).is_err(), "{bad}");
		}
	}

	/// An `.npy` array of `shape` holding `values`, written by `npyz`.
	fn npy<T: npyz::AutoSerialize + Copy>(shape: &[u64], values: &[T]) -> Vec<u8> {
		use npyz::WriterBuilder;
		let mut bytes = Vec::new();
		let options = npyz::WriteOptions::new().default_dtype().shape(shape);
		let mut writer = options.writer(&mut bytes).begin_nd().unwrap();
		writer.extend(values.iter().copied()).unwrap();
		writer.finish().unwrap();
		bytes
	}

	#[test]
	fn npy_files_are_read_along_their_first_axis_and_bad_ones_are_refused() {
		let two = CheckData { inputs: vec![vec![0.5, 1.0], vec![2.0, -3.0]], labels: None };
		let values = [0.5f32, 1.0, 2.0, -3.0];
		assert_eq!(CheckData::from_npy(&npy(&[2, 2], &values)).unwrap(), two);
		assert_eq!(CheckData::from_npy(&npy(&[2, 1, 2], &values)).unwrap(), two);
		let wide: Vec<f64> = values.iter().map(|v| f64::from(*v)).collect();
		assert_eq!(CheckData::from_npy(&npy(&[2, 2], &wide)).unwrap(), two);
		let tmp = tempfile::tempdir().unwrap();
		let file = tmp.path().join("data.npy");
		std::fs::write(&file, npy(&[4], &values)).unwrap();
		assert_eq!(CheckData::read(&file).unwrap().inputs.len(), 4, "four inputs of one value");

		let good = npy(&[2, 2], &values);
		let refused = |bytes: &[u8]| CheckData::from_npy(bytes).unwrap_err();
		assert!(refused(b"not npy").contains("not a .npy file"));
		assert!(refused(&good[..good.len() - 3]).contains("values"), "a truncated array");
		assert!(refused(&npy(&[2, 2], &[1i64, 2, 3, 4])).contains("float32 or float64"));
		assert!(refused(&npy(&[], &[1.0f32])).contains("0-dimensional"));
		assert!(refused(&npy(&[2, 0], &[0f32; 0])).contains("no inputs of a usable size"));
	}
}
