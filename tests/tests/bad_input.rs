//! Bad command lines and chain specs give a clear error and a non-zero exit, never a panic.

use anyhow::Result;
use veritas_tests::run_node_command;

#[test]
fn an_unknown_flag_is_a_usage_error() -> Result<()> {
	let (code, _, stderr) = run_node_command(&["--dev", "--no-such-flag"])?;
	assert_eq!(code, Some(2), "clap's usage error code; stderr: {stderr}");
	assert!(stderr.contains("--no-such-flag"), "the error names the flag: {stderr}");
	assert!(!stderr.contains("panicked"), "no panic: {stderr}");
	Ok(())
}

#[test]
fn an_unknown_network_backend_is_a_usage_error() -> Result<()> {
	let (code, _, stderr) = run_node_command(&["--dev", "--network-backend", "carrier-pigeon"])?;
	assert_eq!(code, Some(2), "stderr: {stderr}");
	assert!(stderr.contains("carrier-pigeon"), "the error names the value: {stderr}");
	Ok(())
}

#[test]
fn a_block_time_the_runtime_cannot_take_is_a_usage_error() -> Result<()> {
	let (code, _, stderr) = run_node_command(&["--dev", "--dev-block-time", "999"])?;
	assert_eq!(code, Some(2), "stderr: {stderr}");
	assert!(stderr.contains("--dev-block-time") && stderr.contains("even"), "{stderr}");
	Ok(())
}

#[test]
fn a_block_time_for_a_chain_other_than_dev_is_refused() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let base = dir.path().to_str().unwrap();
	let (code, _, stderr) = run_node_command(&[
		"--chain",
		"local",
		"--dev-block-time",
		"1000",
		"--base-path",
		base,
		"--no-prometheus",
	])?;
	assert_eq!(code, Some(1), "stderr: {stderr}");
	assert!(stderr.contains("development chain (--dev) only"), "{stderr}");
	Ok(())
}

#[test]
fn the_default_build_says_how_to_get_the_benchmark_subcommand() -> Result<()> {
	let (code, _, stderr) = run_node_command(&["benchmark", "pallet", "--pallet", "x"])?;
	assert_eq!(code, Some(1), "stderr: {stderr}");
	assert!(stderr.contains("--features runtime-benchmarks"), "{stderr}");
	assert!(!stderr.contains("panicked"), "no panic: {stderr}");
	Ok(())
}

fn run_with_spec(contents: &str) -> Result<(Option<i32>, String)> {
	let dir = tempfile::tempdir()?;
	let spec = dir.path().join("spec.json");
	std::fs::write(&spec, contents)?;
	let base = dir.path().join("base");
	let (code, stdout, stderr) = run_node_command(&[
		"--chain",
		spec.to_str().unwrap(),
		"--base-path",
		base.to_str().unwrap(),
		"--no-mdns",
		"--no-telemetry",
		"--rpc-port",
		"0",
		"--port",
		"0",
		"--no-prometheus",
	])?;
	Ok((code, format!("{stdout}{stderr}")))
}

#[test]
fn a_malformed_chain_spec_is_refused_with_a_clear_error() -> Result<()> {
	for (what, contents) in [
		("not JSON", "this is not json {"),
		("truncated JSON", r#"{"name": "Veritas", "id": "#),
		("JSON of the wrong shape", r#"{"name": 42}"#),
		("empty", ""),
	] {
		let (code, output) = run_with_spec(contents)?;
		assert_ne!(code, Some(0), "{what}: must fail; output: {output}");
		assert!(code.is_some(), "{what}: exited, not killed by a signal");
		assert!(output.contains("invalid chain spec"), "{what}: clear error: {output}");
		assert!(!output.contains("panicked"), "{what}: no panic: {output}");
	}
	Ok(())
}

#[test]
fn a_missing_chain_spec_file_is_refused_with_a_clear_error() -> Result<()> {
	let (code, _, stderr) =
		run_node_command(&["--chain", "/nonexistent/veritas-spec.json", "--tmp"])?;
	assert_ne!(code, Some(0));
	assert!(stderr.contains("invalid chain spec"), "stderr: {stderr}");
	Ok(())
}

#[test]
fn export_chain_spec_round_trips_through_the_node() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let out = dir.path().join("local.json");
	let (code, _, stderr) = run_node_command(&[
		"export-chain-spec",
		"--chain",
		"local",
		"--output",
		out.to_str().unwrap(),
	])?;
	assert_eq!(code, Some(0), "stderr: {stderr}");
	let spec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out)?)?;
	assert_eq!(spec["id"], "veritas_local");
	assert_eq!(spec["properties"]["tokenSymbol"], "VRT");
	Ok(())
}

#[test]
fn the_inference_node_s_nitro_backend_is_built_and_needs_a_nitro_enclave() -> Result<()> {
	// The default build has the NSM backend (`--enclave nitro`); outside an AWS Nitro enclave it
	// cannot open /dev/nsm, and says so before touching the chain or the models.
	let dir = tempfile::tempdir()?;
	let out = std::process::Command::new(veritas_tests::inference::inference_binary())
		.args(["--chain", "ws://127.0.0.1:1", "--suri", "//Bob", "--enclave", "nitro"])
		.args(["--measurement", &format!("0x{}", "ab".repeat(32))])
		.arg("--models")
		.arg(veritas_tests::inference::model_dir("digits-mlp"))
		.arg("--data")
		.arg(dir.path().join("data"))
		.stdin(std::process::Stdio::null())
		.output()?;
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
	assert!(stderr.contains("Nitro Secure Module") && stderr.contains("/dev/nsm"), "{stderr}");
	assert!(!stderr.contains("no NSM support"), "the backend is in this build: {stderr}");
	assert!(!dir.path().join("data").exists(), "nothing was written: {stderr}");
	Ok(())
}

#[test]
fn m1_a_measurement_is_named_by_its_32_byte_id_not_a_number() -> Result<()> {
	// Measurement ids are the digest of an image's PCRs (M1): the numbers of before, or a short
	// id, are usage errors of both the node and the manifest maker, naming the rule.
	let inference = veritas_tests::inference::inference_binary();
	for args in [
		&["--enclave", "dev", "--measurement", "0"][..],
		&["manifest", "--model", "models/digits-mlp", "--name", "x", "--measurement", "0x1234"],
	] {
		let out = std::process::Command::new(&inference)
			.args(args)
			.stdin(std::process::Stdio::null())
			.output()?;
		let stderr = String::from_utf8_lossy(&out.stderr);
		assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
		assert!(stderr.contains("--measurement") && stderr.contains("id \""), "{args:?}: {stderr}");
	}
	Ok(())
}

#[test]
fn a_cors_origin_that_is_not_a_web_origin_is_a_usage_error() -> Result<()> {
	let inference = veritas_tests::inference::inference_binary();
	for origin in ["explorer.example", "http://explorer.example/path", "ftp://explorer.example"] {
		let out =
			std::process::Command::new(&inference).args(["--cors-origin", origin]).output()?;
		let stderr = String::from_utf8_lossy(&out.stderr);
		assert_eq!(out.status.code(), Some(2), "{origin}: {stderr}");
		assert!(
			stderr.contains("--cors-origin") && stderr.contains("not a web origin"),
			"{stderr}"
		);
	}
	Ok(())
}

#[test]
fn check_and_calibrate_report_a_graph_model_and_exit_2_on_a_file_that_is_not_onnx() -> Result<()> {
	let inference = veritas_tests::inference::inference_binary();
	let dir = tempfile::tempdir()?;
	let model = dir.path().join("model.onnx");
	let fixture = veritas_tests::inference::model_dir("../inference/engine/resources/graphs");
	std::fs::copy(fixture.join("residual.onnx"), &model)?;
	let check = |args: &[&str]| -> Result<(Option<i32>, String, String)> {
		let out = std::process::Command::new(&inference)
			.args(["check", "--model"])
			.arg(dir.path())
			.args(args)
			.stdin(std::process::Stdio::null())
			.output()?;
		let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
		Ok((out.status.code(), text(&out.stdout), text(&out.stderr)))
	};
	// The model's own input and its expected output, as held-out data of one input.
	let expected: serde_json::Value =
		serde_json::from_slice(&std::fs::read(fixture.join("residual.expected.json"))?)?;
	let data = dir.path().join("data.json");
	std::fs::write(&data, serde_json::to_vec(&serde_json::json!([expected["input"]]))?)?;
	let (code, stdout, stderr) = check(&["--json", "--data", data.to_str().unwrap()])?;
	assert_eq!(code, Some(0), "{stderr}");
	let report: serde_json::Value = serde_json::from_str(&stdout)?;
	assert_eq!(report["segments"][0]["executor"], "graph", "{stdout}");
	assert_eq!(
		report["segments"][0]["evidence"],
		serde_json::json!(["none", "tee", "tee_attested"])
	);
	assert_eq!(report["agreement"]["inputs"], 1, "{stdout}");
	assert_eq!(report["agreement"]["same_argmax"], 1, "{stdout}");
	// Cut at the two separating tensors: three segments, chained by their boundary shapes.
	let (code, stdout, stderr) = check(&["--json", "--cut", "r1", "--cut", "r2"])?;
	assert_eq!(code, Some(0), "{stderr}");
	let report: serde_json::Value = serde_json::from_str(&stdout)?;
	let segments = report["segments"].as_array().map_or(0, Vec::len);
	assert_eq!(segments, 3, "{stdout}");
	assert_eq!(report["segments"][0]["output_shape"], report["segments"][1]["input_shape"]);
	// A cut that does not separate the graph (the residual add reads `r1` too), and one at a
	// tensor the graph lacks: usage errors naming the tensor.
	for (cut, why) in [("c2", "does not separate"), ("nowhere", "no tensor `nowhere`")] {
		let (code, _, stderr) = check(&["--cut", cut])?;
		assert_eq!(code, Some(2), "{cut}: {stderr}");
		assert!(stderr.contains(why), "{cut}: {stderr}");
	}

	// Calibrating on the same input: every scale tried, one chosen.
	let calibrate = |args: &[&str]| -> Result<(Option<i32>, String, String)> {
		let out = std::process::Command::new(&inference)
			.args(["calibrate", "--model"])
			.arg(dir.path())
			.args(["--data", data.to_str().unwrap_or_default()])
			.args(args)
			.stdin(std::process::Stdio::null())
			.output()?;
		let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
		Ok((out.status.code(), text(&out.stdout), text(&out.stderr)))
	};
	let (code, stdout, stderr) = calibrate(&["--json"])?;
	assert_eq!(code, Some(0), "{stderr}");
	let calibration: serde_json::Value = serde_json::from_str(&stdout)?;
	assert_eq!(calibration["trials"].as_array().map_or(0, Vec::len), 13, "{stdout}");
	assert!(calibration["scale"].as_u64().is_some_and(|s| s.is_power_of_two()), "{stdout}");

	std::fs::write(&model, b"not a model")?;
	let (code, _, stderr) = calibrate(&[])?;
	assert_eq!(code, Some(2), "{stderr}");
	assert!(stderr.contains("malformed ONNX model"), "{stderr}");
	let (code, _, stderr) = check(&[])?;
	assert_eq!(code, Some(2), "{stderr}");
	assert!(stderr.contains("malformed ONNX model"), "{stderr}");
	let (code, _, stderr) = check(&["--data", "/nonexistent.json"])?;
	assert_eq!(code, Some(2), "{stderr}");
	Ok(())
}
