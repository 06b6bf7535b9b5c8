//! The inference node end to end: a dev chain and a real `veritas-inference` (Bob's, with a
//! DevEnclave) serving the shipped digits models. The node registers the models' Groth16 keys and
//! its enclave key itself; Alice registers the shipped manifests with `veritas model register`
//! and requests inferences on held-out digits with `veritas request` under three policies (ZK,
//! TEE, hybrid TEE → ZK): each is answered by a verified receipt whose output is the engine's
//! fixed-point output, the fee goes to Bob, and `veritas result --verify` re-verifies it. A
//! `none` policy must name its nodes (`--allow`): naming Bob, he answers; a request naming only
//! Charlie, ten offering no fee and two with no time left are skipped (counted in `/metrics`). A
//! direct receipt comes through `POST /v1/infer`; bad requests get 4xx and queue nothing. Then the
//! node is killed (SIGKILL) in the middle of a proof: after a restart the job completes with
//! exactly one receipt on chain. Chat completions (OpenAI-compatible) come attested by the
//! enclave, from the built-in text model and through an upstream server (a second node).
//! The chain node restarts: the inference node reconnects. SIGTERM stops it cleanly. Meanwhile
//! Dave, a bonded node, copies every receipt Bob's node puts in the pool (H1's front-running,
//! with a tip): every copy is refused and Dave earns nothing.

use std::time::Duration;

use anyhow::{Context, Result};
use base64::Engine as _;
use codec::Encode;
use serde_json::{json, Value};
use veritas_attester::{pcrs_for_image, DevCa};
use veritas_chain::{self as chain, onchain, pallets, Client, EncodedArgs, EncodedCall};
use veritas_client::request_cmd;
use veritas_engine::{OnnxModel, QuantizedModel, TestSet};
use veritas_primitives::{EvidenceKind, OutputMode, Subject};
use veritas_service::chat::{exchange_user_data, sha256};
use veritas_tests::{
	copier::Copier,
	inference::{http_get, http_post, model_dir, InferenceConfig, InferenceProcess},
	receipts::now_ms,
	receipts::{cli_request, dev_chain, free_balance, CliRequest},
	rpc_proxy::LyingProxy,
	run_cli, wait_finalized_at_least, wait_for, Node,
};

/// The DevEnclave image the shipped manifests name (the default of `veritas-inference`).
const IMAGE: &str = "veritas-inference";
/// What Alice offers: above the node's default price of any two-segment policy (10 mVRT for
/// `zk,zk`).
const MAX_FEE: u128 = 20 * veritas_service::pricing::MILLI_UNIT;
const WAIT: Duration = Duration::from_secs(300);

/// The fixed-point model and held-out inputs of a shipped model, as the node computes them.
fn quantized(name: &str) -> Result<(QuantizedModel, Vec<Vec<i32>>)> {
	let dir = model_dir(name);
	let onnx = OnnxModel::load(&dir.join("model.onnx")).map_err(|e| anyhow::anyhow!("{e}"))?;
	let q = QuantizedModel::from_float(onnx.layers(), 8).map_err(|e| anyhow::anyhow!("{e:?}"))?;
	let set = TestSet::load(&dir.join("test-set.json")).map_err(|e| anyhow::anyhow!("{e:?}"))?;
	let inputs = set
		.inputs
		.iter()
		.take(8)
		.map(|x| q.quantize_input(x).map_err(|e| anyhow::anyhow!("{e:?}")))
		.collect::<Result<_>>()?;
	Ok((q, inputs))
}

fn register_model(url: &str, name: &str) -> Result<u32> {
	register_manifest(url, &model_dir(name).join("manifest.json"))
}

/// `veritas model register --manifest FILE` as Alice; the model id.
fn register_manifest(url: &str, manifest: &std::path::Path) -> Result<u32> {
	let path = manifest.to_str().context("a UTF-8 path")?;
	let (code, out, err) =
		run_cli(&["--url", url, "--suri", "//Alice", "model", "register", "--manifest", path])?;
	anyhow::ensure!(code == Some(0), "model register {path}: {err}");
	Ok(out.split_whitespace().next().context("a model id")?.parse()?)
}

/// `veritas request --features FILE --policy POLICY --wait` as Alice, offering `MAX_FEE`: the
/// request id and the CLI's output (the verified result).
fn request_features_and_wait(
	url: &str,
	model: u32,
	features: &std::path::Path,
	policy: &str,
) -> Result<(u64, String)> {
	let (model, fee) = (model.to_string(), MAX_FEE.to_string());
	let features = features.to_str().context("a UTF-8 path")?;
	let (code, out, err) = run_cli(&[
		"--url",
		url,
		"--suri",
		"//Alice",
		"request",
		"--model",
		&model,
		"--features",
		features,
		"--policy",
		policy,
		"--max-fee",
		&fee,
		"--wait",
	])?;
	anyhow::ensure!(code == Some(0), "veritas request --wait: {err}");
	Ok((out.split_whitespace().next().context("a request id")?.parse()?, out))
}

/// A model directory holding the engine's graph fixture `residual.onnx` (BatchNorm, a residual
/// `Add`, `Concat`, a shape-chain flatten, `Softmax`, a dynamic batch: no circuit covers it) and
/// the manifest `veritas-inference manifest` makes of it.
fn graph_model(dir: &std::path::Path) -> Result<std::path::PathBuf> {
	let graph = dir.join("residual");
	std::fs::create_dir_all(&graph)?;
	let fixture = model_dir("../inference/engine/resources/graphs/residual.onnx");
	std::fs::copy(fixture, graph.join("model.onnx"))?;
	let out = std::process::Command::new(veritas_tests::inference::inference_binary())
		.args(["manifest", "--name", "residual", "--model"])
		.arg(&graph)
		.output()?;
	anyhow::ensure!(out.status.success(), "manifest: {}", String::from_utf8_lossy(&out.stderr));
	std::fs::write(graph.join("manifest.json"), &out.stdout)?;
	Ok(graph)
}

/// The graph model, registered by Alice, answered through the node with attested TEE evidence
/// (`veritas request --features … --wait`): the output is tract's for the quantized input,
/// rounded at the scale, and `result --verify` re-checks it.
async fn graph_model_is_answered_with_attested_tee_evidence(
	dir: &std::path::Path,
	url: &str,
	client: &Client,
	graph: &std::path::Path,
) -> Result<()> {
	let model = register_manifest(url, &graph.join("manifest.json"))?;
	let fixture = model_dir("../inference/engine/resources/graphs/residual.expected.json");
	let expected: Value = serde_json::from_slice(&std::fs::read(fixture)?)?;
	let features = dir.join("graph-features.json");
	std::fs::write(&features, serde_json::to_vec(&expected["input"])?)?;
	let (id, out) = request_features_and_wait(url, model, &features, "tee_attested")
		.context("the graph model")?;
	assert!(out.contains("valid: every check re-run locally"), "{out}");
	let at = onchain::finalized(client).await?;
	let (_, result) = onchain::result_of_request(&at, id).await?.context("answered")?;
	assert_eq!(trust_kinds(&result), ["tee"], "attested enclave evidence");
	// tract on the quantized input, computed here: the node's output is its rounding at 2^8.
	let onnx = veritas_engine::OnnxGraph::load(&graph.join("model.onnx"))
		.map_err(|e| anyhow::anyhow!("{e}"))?;
	let input: Vec<f32> = expected["input"]
		.as_array()
		.context("the input")?
		.iter()
		.map(|v| ((v.as_f64().unwrap_or(0.0) * 256.0).round() / 256.0) as f32)
		.collect();
	let want: Vec<i32> = onnx
		.run(&input)
		.map_err(|e| anyhow::anyhow!("{e}"))?
		.iter()
		.map(|v| (v * 256.0).round() as i32)
		.collect();
	assert_eq!(result.receipt.output, want);
	Ok(())
}

/// A request that carries only `c_0` (the commitment to `inputs[6]`, salted) is answered once
/// Bob's node gets the input and the salt that open it: a wrong input or salt, or one for a
/// request that names other nodes or carries its input on chain, or a bad body, is refused with
/// a clear 4xx.
async fn off_chain_inputs_are_checked(
	url: &str,
	node: &InferenceProcess,
	model: u32,
	inputs: &[Vec<i32>],
) -> Result<()> {
	let manifest = chain::read_manifest(&model_dir("digits-mlp").join("manifest.json"))?;
	let salt = veritas_primitives::salt::Salt::from_random([0x3c; 31]);
	let c_0 = veritas_primitives::commit_salted(&manifest.input_shape, &inputs[6], &salt)
		.map_err(|e| anyhow::anyhow!("{e:?}"))?;
	let salt = format!("0x{}", hex::encode(salt.0));
	let wrong_salt = format!("0x{}", hex::encode([0x2d; 32]));
	let c0_request = |allow: Option<String>| -> Result<u64> {
		let (model, fee, c0) = (model.to_string(), MAX_FEE.to_string(), hex::encode(c_0.0));
		let c0 = format!("0x{c0}");
		let mut args = vec!["--url", url, "--suri", "//Alice", "request", "--model", &model];
		args.extend(["--c0", &c0, "--policy", "tee,tee", "--max-fee", &fee]);
		if let Some(allow) = &allow {
			args.extend(["--allow", allow]);
		}
		let (code, out, err) = run_cli(&args)?;
		anyhow::ensure!(code == Some(0), "request --c0: {err}");
		Ok(out.split_whitespace().next().context("a request id")?.parse()?)
	};
	let open = c0_request(None)?;
	let charlie = format!("0x{}", hex::encode(chain::signer("//Charlie")?.public_key().0));
	let charlies = c0_request(Some(charlie))?;
	let post = |id: u64, body: Value| {
		http_post(&node.url(&format!("/v1/requests/{id}/input")), &body.to_string())
	};
	let refusals = [
		(open, json!({ "input": inputs[7], "salt": salt }), 422, "not to the request's c_0"),
		(open, json!({ "input": inputs[6] }), 422, "not to the request's c_0"),
		(open, json!({ "input": inputs[6], "salt": wrong_salt }), 422, "not to the request's c_0"),
		(open, json!({ "input": inputs[6], "salt": "0x12" }), 400, "64 hex digits"),
		(open, json!({ "input": [1, 2] }), 422, ""),
		(open, json!({ "input": inputs[6], "x": 1 }), 400, "unknown field"),
		(charlies, json!({ "input": inputs[6] }), 403, "names other nodes"),
		(999_999, json!({ "input": inputs[6] }), 404, "no open request"),
	];
	for (id, body, status, says) in refusals {
		let (got, answer) = post(id, body.clone())?;
		assert_eq!(got, status, "{id} {body} → {answer}");
		assert!(answer["error"].as_str().is_some_and(|e| e.contains(says)), "{answer}");
	}
	let (status, accepted) = post(open, json!({ "input": inputs[6], "salt": salt }))?;
	assert_eq!(status, 202, "{accepted}");
	let (status, again) = post(open, json!({ "input": inputs[6], "salt": salt }))?;
	assert_eq!(status, 409, "{again}");
	let client = chain::connect(url).await?;
	let result = result_of(&client, open).await.with_context(|| node.log())?;
	assert_eq!(trust_kinds(&result), vec!["tee", "tee"]);
	Ok(())
}

/// A request made by `veritas request --send-input-to`.
struct OffChain {
	/// The request id.
	id: u64,
	/// The salt the CLI chose and printed.
	salt: veritas_primitives::salt::Salt,
	/// Bob's node's job.
	job: u64,
}

/// `veritas request --input FILE --send-input-to NODE` for `input` under `policy` (as Alice),
/// with `extra` arguments.
fn send_off_chain(
	dir: &std::path::Path,
	url: &str,
	node: &InferenceProcess,
	model: u32,
	input: &[i32],
	policy: &str,
	extra: &[&str],
) -> Result<OffChain> {
	let bytes: Vec<u8> = input.iter().flat_map(|v| v.to_le_bytes()).collect();
	let file = dir.join(format!("input-{}.json", hex::encode(&sha256(&bytes)[..8])));
	std::fs::write(&file, json!(input).to_string())?;
	let (model, fee, to) = (model.to_string(), MAX_FEE.to_string(), node.url(""));
	let mut args = vec!["--url", url, "--suri", "//Alice", "request", "--model", &model];
	args.extend(["--input", file.to_str().context("a UTF-8 path")?, "--send-input-to", &to]);
	args.extend(["--policy", policy, "--max-fee", &fee]);
	args.extend(extra);
	let (code, out, err) = run_cli(&args)?;
	anyhow::ensure!(code == Some(0), "request --send-input-to: {err}");
	let id = out.split_whitespace().next().context("a request id")?.parse()?;
	let salt = out.lines().find_map(|l| l.strip_prefix("salt ")).context("the salt printed")?;
	let salt: [u8; 32] = hex::decode(salt.trim_start_matches("0x"))?
		.try_into()
		.map_err(|_| anyhow::anyhow!("a 32-byte salt"))?;
	let sent = format!("input sent to {to}: job ");
	let job = out.lines().find_map(|l| l.strip_prefix(&sent)).context("the job printed")?;
	Ok(OffChain { id, salt: veritas_primitives::salt::Salt(salt), job: job.trim().parse()? })
}

/// L7: a request whose output is committed is answered with a receipt that carries no output
/// values; `veritas output` gets them from Bob's node with the salt and checks them against
/// `c_n` on chain; the node's job API does not show them, and a wrong salt gets nothing.
async fn committed_output_is_the_requester_s(
	client: &Client,
	url: &str,
	node: &InferenceProcess,
	request: &OffChain,
	expected: &[i32],
) -> Result<()> {
	let result = result_of(client, request.id).await.with_context(|| node.log())?;
	assert!(result.receipt.output.is_empty(), "no output on chain");
	assert_eq!(trust_kinds(&result), vec!["tee", "tee"]);
	let (id, salt) = (request.id.to_string(), format!("0x{}", hex::encode(request.salt.0)));
	let (from, wrong) = (node.url(""), format!("0x{}", hex::encode([0x11; 32])));
	let (code, out, err) =
		run_cli(&["--url", url, "output", &id, "--from", &from, "--salt", &salt])?;
	anyhow::ensure!(code == Some(0), "veritas output: {err}");
	let printed: Vec<i32> = serde_json::from_str(out.trim())?;
	assert_eq!(printed, expected, "the output c_n commits to");
	let (code, _, err) =
		run_cli(&["--url", url, "output", &id, "--from", &from, "--salt", &wrong])?;
	assert_eq!(code, Some(1), "{err}");
	assert!(err.contains("not the salt"), "{err}");
	let (status, job) = http_get(&node.url(&format!("/v1/receipts/{}", request.job)))?;
	assert_eq!((status, &job["output"]), (200, &json!("committed")), "{job}");
	// Every other check of the receipt re-verifies as for any result.
	let (code, out, err) = run_cli(&["--url", url, "result", &id, "--verify"])?;
	assert_eq!(code, Some(0), "{out}{err}");
	assert!(out.contains("kept off chain"), "{out}");
	Ok(())
}

/// Registers the DevEnclave image's measurement with the CLI (as Alice); returns its id.
fn register_image_measurement(url: &str) -> Result<[u8; 32]> {
	let (code, out, err) = run_cli(&[
		"--url",
		url,
		"--suri",
		"//Alice",
		"measurement",
		"register",
		"--name",
		"veritas",
		"--dev-image",
		IMAGE,
	])?;
	anyhow::ensure!(code == Some(0), "measurement register: {err}");
	Ok(chain::manifest::parse_id(out.split_whitespace().next().context("an id")?)?)
}

/// Bonds `suri` as an inference node with the CLI.
fn bond(url: &str, suri: &str) -> Result<()> {
	let (code, out, err) =
		run_cli(&["--url", url, "--suri", suri, "node", "register", "--bond", "10000000000000"])?;
	anyhow::ensure!(code == Some(0) && out.starts_with("NodeRegistered"), "{suri}: {err}");
	Ok(())
}

fn request(
	dir: &std::path::Path,
	url: &str,
	model: u32,
	input: &[i32],
	policy: &str,
) -> Result<u64> {
	cli_request(
		dir,
		url,
		CliRequest { model, input, policy, max_fee: MAX_FEE, ttl: 300, allow: None },
	)
}

async fn result_of(client: &Client, request: u64) -> Result<onchain::VerifiedResult> {
	wait_for(&format!("a verified result of request {request}"), WAIT, || async {
		let at = onchain::finalized(client).await?;
		Ok(onchain::result_of_request(&at, request).await?.map(|(_, r)| r))
	})
	.await
}

/// How many of `model`'s latest results answer `subject`.
async fn results_for(client: &Client, model: u32, subject: Subject) -> Result<usize> {
	let at = onchain::finalized(client).await?;
	let mut n = 0;
	for id in onchain::latest_results(&at, model).await? {
		let r = onchain::result_by_id(&at, &id).await?.context("a listed result")?;
		n += usize::from(r.receipt.subject == subject);
	}
	Ok(n)
}

/// Checks the TEE attestation of a chat completion answering `request`: the document verifies
/// under the dev CA, was made by the DevEnclave image, carries an enclave key registered on
/// chain and binds the request and the completion. Returns the completion.
async fn check_chat(client: &Client, request: &str, completion: &Value) -> Result<String> {
	let content = completion["choices"][0]["message"]["content"]
		.as_str()
		.context("choices[0].message.content")?
		.to_owned();
	assert!(!content.is_empty());
	let v = &completion["veritas"];
	let document = base64::engine::general_purpose::STANDARD
		.decode(v["attestation"].as_str().context("an attestation")?)?;
	let roots = [DevCa::standard().map_err(|e| anyhow::anyhow!("{e:?}"))?.root_fingerprint()];
	let verified = veritas_verifier_tee_nitro::verify(&document, &roots, now_ms())
		.map_err(|e| anyhow::anyhow!("{e:?}"))?;
	assert_eq!(verified.pcrs, pcrs_for_image(IMAGE.as_bytes()));
	let user_data = exchange_user_data(&sha256(request.as_bytes()), &sha256(content.as_bytes()));
	assert_eq!(verified.user_data.as_deref(), Some(&user_data[..]));
	let key: [u8; 32] = verified.public_key.context("the enclave key")?[..].try_into()?;
	assert_eq!(v["enclave_key"], json!(format!("0x{}", hex::encode(key))));
	let at = onchain::finalized(client).await?;
	let info = onchain::enclave(&at, key).await?;
	assert_eq!(
		info.context("the enclave key is registered")?.measurement,
		veritas_attester::dev_image_measurement_id(IMAGE.as_bytes())
	);
	Ok(content)
}

fn trust_kinds(result: &onchain::VerifiedResult) -> Vec<&'static str> {
	result
		.trust
		.iter()
		.map(|t| match t {
			onchain::Trust::NodeOnly => "none",
			onchain::Trust::Enclave { .. } => "tee",
			onchain::Trust::Circuit { .. } => "zk",
		})
		.collect()
}

async fn served_models(node: &InferenceProcess, want: usize) -> Result<Value> {
	let url = node.url("/v1/models");
	wait_for("the inference node to serve the models", WAIT, || {
		let url = url.clone();
		async move {
			let (status, body) = http_get(&url)?;
			let n = body["models"].as_array().map_or(0, Vec::len);
			Ok((status == 200 && n >= want).then_some(body))
		}
	})
	.await
	.with_context(|| node.log())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_inference_node_answers_zk_tee_and_hybrid_requests_and_resumes_after_sigkill(
) -> Result<()> {
	let dir = tempfile::tempdir()?;
	let (mut dev, rpc, client) = dev_chain(dir.path().join("dev")).await?;
	let url = dev.ws_url();
	let bob = chain::signer("//Bob")?;
	let bob_id = bob.public_key().0;

	// The DevEnclave image's measurement, registered with the CLI: the shipped manifests name
	// it by the digest of its PCRs, whoever registers it.
	let measurement = register_image_measurement(&url)?;
	for model in ["digits-mlp", "digits-mlp-large", "text-char-mlp", "digits-cnn"] {
		let manifest = chain::read_manifest(&model_dir(model).join("manifest.json"))?;
		for segment in &manifest.segments {
			assert_eq!(segment.measurement, Some(measurement), "{model}: the image's measurement");
		}
	}
	// Bob bonds as an inference node with the CLI; so does Dave, who copies Bob's receipts.
	for suri in ["//Bob", "//Dave"] {
		bond(&url, suri)?;
	}
	let dave = chain::signer("//Dave")?;
	let dave_before = free_balance(&client, &dave.public_key().0).await?;
	let copier = Copier::start(client.clone(), rpc.clone(), dave.clone());

	// Bob's inference node; it registers the keys of every segment and its enclave key. It also
	// serves a model outside the chain of layers the circuits cover (issue 20).
	let graph = graph_model(dir.path())?;
	let mut config = InferenceConfig::new(
		&url,
		"//Bob",
		dir.path().join("inference-db"),
		vec![model_dir("digits-mlp"), model_dir("digits-mlp-large"), graph.clone()],
	);
	config.enclave = Some(IMAGE.into());
	config.chat_model = Some(model_dir("text-char-mlp"));
	let log = |run: u32| dir.path().join(format!("inference-{run}.log"));
	let mut node = InferenceProcess::start(config.clone(), log(1))?;
	// L6: Charlie's node starts at the same time on digits-mlp: both register the missing
	// verifying keys, one transaction each, and a key the other registered first is no error,
	// so both start serving. (Charlie is no bonded node: he stops once serving.)
	// His models directory also holds a model whose file is damaged: skipped, the other served.
	let charlie_models = dir.path().join("charlie-models");
	for (name, model) in [("digits-mlp", None), ("damaged", Some(&b"not onnx"[..]))] {
		let to = charlie_models.join(name);
		std::fs::create_dir_all(&to)?;
		for file in ["model.onnx", "manifest.json"] {
			std::fs::copy(model_dir("digits-mlp").join(file), to.join(file))?;
		}
		if let Some(model) = model {
			std::fs::write(to.join("model.onnx"), model)?;
		}
	}
	let charlie_config = InferenceConfig::new(
		&url,
		"//Charlie",
		dir.path().join("charlie-db"),
		vec![charlie_models],
	);
	let mut charlie = InferenceProcess::start(charlie_config, dir.path().join("charlie.log"))?;
	served_models(&node, 0).await?;
	served_models(&charlie, 0).await?;
	let charlie_started = charlie.log();
	let skipped = charlie_started.contains("model skipped: not served");
	assert!(skipped && charlie_started.contains("damaged"), "{charlie_started}");
	assert_eq!(charlie_started.matches("model loaded").count(), 1, "{charlie_started}");
	// Each of the five keys (two segments of digits-mlp, which both serve, three of
	// digits-mlp-large, Bob's only) was registered by exactly one of them; for digits-mlp's, the
	// other skipped it or was told it was registered meanwhile.
	let registered = |log: &str| log.matches("verifying key registered vk=").count();
	let raced = |log: &str| log.matches("registered meanwhile by another account").count();
	let (bob_log, charlie_log) = (node.log(), charlie.log());
	assert_eq!(registered(&bob_log) + registered(&charlie_log), 5, "{bob_log}\n{charlie_log}");
	eprintln!(
		"L6: Bob registered {} keys, Charlie {}; {} refusals as registered meanwhile",
		registered(&bob_log),
		registered(&charlie_log),
		raced(&bob_log) + raced(&charlie_log)
	);
	charlie.terminate(Duration::from_secs(20))?;

	// Alice registers the shipped manifests, whose keys the node registered.
	let digits = register_model(&url, "digits-mlp")?;
	let large = register_model(&url, "digits-mlp-large")?;
	let models = served_models(&node, 2).await?;
	assert_eq!(models["models"][0]["id"], json!(digits), "{models}");
	assert_eq!(models["models"][0]["segments"][0], json!(["none", "tee", "tee_attested", "zk"]));

	// Three requests on held-out digits: ZK, TEE, and hybrid (TEE then ZK).
	let (q, inputs) = quantized("digits-mlp")?;
	let policies =
		[("zk,zk", ["zk", "zk"]), ("tee,tee", ["tee", "tee"]), ("tee,zk", ["tee", "zk"])];
	let mut requests = Vec::new();
	for (i, (policy, _)) in policies.iter().enumerate() {
		requests.push(request(dir.path(), &url, digits, &inputs[i], policy)?);
	}
	// M2: a `none` policy rests on the answering node's word alone, so the request must name the
	// nodes it trusts: unnamed, the chain refuses it; naming Bob (SS58), Bob answers it. H1: a
	// request naming only Charlie (0x hex) is not Bob's to answer, and his node skips it.
	let ask = |policy, allow| CliRequest {
		model: digits,
		input: &inputs[4],
		policy,
		max_fee: MAX_FEE,
		ttl: 300,
		allow,
	};
	let unnamed = cli_request(dir.path(), &url, ask("none,none", None));
	let refusal = format!("{:#}", unnamed.expect_err("a none policy naming no node"));
	assert!(refusal.contains("NoneNeedsAllowedNodes"), "{refusal}");
	let bob_ss58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
	let named = cli_request(dir.path(), &url, ask("none,none", Some(bob_ss58)))?;
	let charlie = format!("0x{}", hex::encode(chain::signer("//Charlie")?.public_key().0));
	let not_bobs = cli_request(dir.path(), &url, ask("tee,tee", Some(&charlie)))?;
	// An input kept off chain: the CLI requests with its commitment only, salted (L7), and sends
	// the input and the salt to Bob's node, which checks them against `c_0` and answers.
	let private = send_off_chain(dir.path(), &url, &node, digits, &inputs[5], "tee,zk", &[])?;
	let salt = private.salt;
	// …and one that keeps its output off chain too.
	let committed = send_off_chain(
		dir.path(),
		&url,
		&node,
		digits,
		&inputs[4],
		"tee,tee",
		&["--committed-output"],
	)?;
	// M3: requests not worth answering are skipped, never proved: ten offering nothing for
	// `zk,zk` and two whose deadline (2 blocks) leaves no time to prove, in one transaction.
	let spam: Vec<EncodedCall> = (0..12)
		.map(|i| {
			let r = request_cmd::Request {
				model: digits,
				input: Some(inputs[i % inputs.len()].clone()),
				c_0: None,
				output: OutputMode::Published,
				policy: vec![EvidenceKind::Zk, EvidenceKind::Zk],
				max_fee: if i < 10 { 0 } else { MAX_FEE },
				ttl: if i < 10 { 300 } else { 2 },
				allowed_nodes: None,
			};
			EncodedCall {
				pallet: pallets::RECEIPTS,
				call: "request_inference",
				args: EncodedArgs(r.call_args()),
			}
		})
		.collect();
	let spam = chain::batch_all(&client, &spam).await?;
	chain::submit_finalized(&client, &chain::signer("//Alice")?, &spam).await?;
	for (i, (request_id, (_, kinds))) in requests.iter().zip(&policies).enumerate() {
		let result = result_of(&client, *request_id).await.with_context(|| node.log())?;
		let expected = q.run(&inputs[i]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
		assert_eq!(result.receipt.output, expected, "the engine's fixed-point output");
		assert_eq!(result.node, bob_id);
		assert_eq!(result.receipt.fee, MAX_FEE, "the node asks the offered fee");
		assert_eq!(trust_kinds(&result), kinds.to_vec());
	}
	let result = result_of(&client, private.id).await.with_context(|| node.log())?;
	let expected = q.run(&inputs[5]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
	assert_eq!((&result.receipt.output, trust_kinds(&result)), (&expected, vec!["tee", "zk"]));
	// The chain holds only salted commitments of the input and of the hidden layer (proved by
	// the ZK segment under its salt); the output's commitment is plain.
	let shape = &chain::read_manifest(&model_dir("digits-mlp").join("manifest.json"))?.input_shape;
	let c_0 = |salt| {
		veritas_primitives::commit_salted(shape, &inputs[5], salt)
			.map_err(|e| anyhow::anyhow!("{e:?}"))
	};
	assert_eq!(result.receipt.c_0, c_0(&salt)?);
	assert_ne!(result.receipt.c_0, c_0(&veritas_primitives::salt::Salt::NONE)?);
	let expected = q.run(&inputs[4]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
	committed_output_is_the_requester_s(&client, &url, &node, &committed, &expected).await?;
	off_chain_inputs_are_checked(&url, &node, digits, &inputs).await?;
	let result = result_of(&client, named).await.with_context(|| node.log())?;
	assert_eq!((result.node, trust_kinds(&result)), (bob_id, vec!["none", "none"]));
	let skipped = format!("skipped: the request names other nodes request={not_bobs}");
	node.wait_log(&skipped, WAIT).await?;
	let at = onchain::finalized(&client).await?;
	assert!(onchain::result_of_request(&at, not_bobs).await?.is_none(), "not Bob's request");
	// H1: Dave copied Bob's receipts from the pool (unchanged, and asking less), tipping to go
	// first: every copy was refused, and he only paid fees.
	let copies = copier.finish().await?;
	assert!(copies.seen >= 1, "the copier saw Bob's receipts in the pool: {copies:?}");
	assert_eq!(copies.outcomes.len(), 2 * copies.seen);
	let bound = ["KeyOfAnotherNode", "InvalidProof", "NotAllowed", "BadAttestation"];
	let mut by_binding = 0;
	for outcome in &copies.outcomes {
		let e = outcome.as_ref().err().context("a copied receipt landed")?;
		anyhow::ensure!(matches!(e, chain::ChainError::Refused { .. }), "refused, not {e:?}");
		by_binding += usize::from(bound.iter().any(|b| e.is_pallet_error(b)));
	}
	// A copy in the same block as the original, ordered first by its tip, meets the binding;
	// one that comes later finds the request answered.
	assert!(by_binding >= 1, "some copies were refused by what the evidence binds: {copies:?}");
	assert!(
		free_balance(&client, &dave.public_key().0).await? < dave_before,
		"Dave earned nothing"
	);
	// The hybrid result re-verifies locally.
	let (code, out, err) =
		run_cli(&["--url", &url, "result", &requests[2].to_string(), "--verify", "--json"])?;
	assert_eq!(code, Some(0), "result --verify: {err}");
	let verdict: Value = serde_json::from_str(&out)?;
	assert_eq!(verdict["verdict"], "valid", "{verdict}");
	// H2: it names the model content the evidence was checked against: the registered file's
	// hash, which is the shipped model file's.
	let onnx = std::fs::read(model_dir("digits-mlp").join("model.onnx"))?;
	let file_sha256 = format!("0x{}", hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&onnx)));
	assert_eq!(verdict["model_hash"]["file_sha256"], json!(file_sha256), "{verdict}");
	assert_eq!(verdict["model_hash"]["name"], "digits-mlp", "{verdict}");
	assert!(verdict["model_hash"]["digest"].as_str().is_some_and(|d| d.len() == 66), "{verdict}");
	// I1: its TEE segment rests on the development CA (a public seed), and the verdict says so.
	let warnings = verdict["warnings"].as_array().context("the warnings")?;
	let dev_ca = "segment 0: development trust anchor: the development CA";
	assert!(
		warnings.iter().any(|w| w.as_str().is_some_and(|w| w.starts_with(dev_ca))),
		"{verdict}"
	);
	// The shipped manifest is marked as made with development anchors, on chain (I1).
	let marked = format!("development trust anchor: model {digits} is marked");
	assert!(
		warnings.iter().any(|w| w.as_str().is_some_and(|w| w.starts_with(&marked))),
		"{verdict}"
	);

	// A direct receipt through the HTTP API, from float features.
	let set = TestSet::load(&model_dir("digits-mlp").join("test-set.json"))
		.map_err(|e| anyhow::anyhow!("{e:?}"))?;
	let body = json!({ "model": digits, "features": set.inputs[5], "policy": ["tee", "zk"] });
	let (status, accepted) = http_post(&node.url("/v1/infer"), &body.to_string())?;
	assert_eq!(status, 202, "{accepted}");
	let job = accepted["job"].as_u64().context("a job id")?;
	let receipt_url = node.url(&format!("/v1/receipts/{job}"));
	let done = wait_for("the direct receipt to be finalized", WAIT, || {
		let receipt_url = receipt_url.clone();
		async move {
			let (_, body) = http_get(&receipt_url)?;
			anyhow::ensure!(body["state"] != "failed", "the job failed: {body}");
			Ok((body["state"] == "finalized").then_some(body))
		}
	})
	.await
	.with_context(|| node.log())?;
	let receipt_id = veritas_tests::hex32(&done["receipt_id"])?;
	let at = onchain::finalized(&client).await?;
	let direct = onchain::result_by_id(&at, &receipt_id).await?.context("the direct result")?;
	assert_eq!(direct.receipt.subject, Subject::Direct { node: bob_id, nonce: job });
	assert_eq!(json!(direct.receipt.output), done["output"]);
	assert_eq!(direct.receipt.output, q.run(&q.quantize_input(&set.inputs[5]).unwrap()).unwrap());

	// Bad requests: a clear 4xx each, and nothing queued (the next job id follows `job`).
	let bad = [
		("not json", 400),
		(r#"{"model": 99, "input": [1], "policy": ["tee"]}"#, 404),
		(&*json!({ "model": digits, "input": inputs[0], "policy": ["zk"] }).to_string(), 422),
		(&*json!({ "model": digits, "input": [1, 2, 3], "policy": ["zk", "zk"] }).to_string(), 422),
		(&*json!({ "model": digits, "input": inputs[0], "policy": ["fast", "zk"] }).to_string(), 400),
		(
			&*json!({ "model": digits, "input": inputs[0], "features": set.inputs[0], "policy": ["zk", "zk"] })
				.to_string(),
			400,
		),
		(&*json!({ "model": digits, "input": inputs[0], "policy": ["zk", "zk"], "x": 1 }).to_string(), 400),
	];
	for (body, status) in bad {
		let (got, answer) = http_post(&node.url("/v1/infer"), body)?;
		assert_eq!(got, status, "{body} → {answer}");
		assert!(answer["error"].as_str().is_some_and(|e| !e.is_empty()), "{answer}");
	}
	let (status, answer) = http_get(&node.url("/v1/receipts/12345"))?;
	assert_eq!(status, 404, "{answer}");
	let (status, answer) = http_get(&node.url("/v1/receipts/abc"))?;
	assert_eq!(status, 400, "{answer}");
	let good = json!({ "model": digits, "input": inputs[6], "policy": ["none", "none"] });
	let (status, accepted) = http_post(&node.url("/v1/infer"), &good.to_string())?;
	assert_eq!(status, 202, "{accepted}");
	assert_eq!(accepted["job"], json!(job + 1), "the bad requests queued nothing");

	// Batching: four direct inferences become ready while the submitter waits for the
	// finalization (~ 2 blocks) of a pacer job's receipt, so they reach the chain together, in
	// one batch after it (with the request's receipt if it is ready by then). Without the pacer
	// an idle submitter may take the first jobs before the last is ready.
	let fourth = request(dir.path(), &url, digits, &inputs[3], "tee,tee")?;
	let pacer = json!({ "model": digits, "input": inputs[2], "policy": ["tee", "tee"] });
	let (status, accepted) = http_post(&node.url("/v1/infer"), &pacer.to_string())?;
	assert_eq!(status, 202, "{accepted}");
	let pacer_url = node.url(&format!("/v1/receipts/{}", accepted["job"]));
	wait_for("the pacer's receipt to be submitted", WAIT, || {
		let pacer_url = pacer_url.clone();
		async move {
			let (_, body) = http_get(&pacer_url)?;
			anyhow::ensure!(body["state"] != "finalized", "finalized before the test saw it");
			Ok((body["state"] == "submitted").then_some(()))
		}
	})
	.await
	.with_context(|| node.log())?;
	let mut batch = Vec::new();
	for input in &inputs[4..8] {
		let body = json!({ "model": digits, "input": input, "policy": ["tee", "tee"] });
		let (status, accepted) = http_post(&node.url("/v1/infer"), &body.to_string())?;
		assert_eq!(status, 202, "{accepted}");
		batch.push(accepted["job"].as_u64().context("a job id")?);
	}
	let mut blocks = Vec::new();
	for job in &batch {
		let receipt_url = node.url(&format!("/v1/receipts/{job}"));
		let done = wait_for("a batched receipt to be finalized", WAIT, || {
			let receipt_url = receipt_url.clone();
			async move {
				let (_, body) = http_get(&receipt_url)?;
				Ok((body["state"] == "finalized").then_some(body))
			}
		})
		.await
		.with_context(|| node.log())?;
		blocks.push(done["block"].clone());
	}
	assert!(blocks.windows(2).all(|w| w[0] == w[1]), "one batch, one block: {blocks:?}");
	let largest = node
		.log()
		.lines()
		.filter_map(|l| {
			l.split("submitting receipts=").nth(1)?.split_whitespace().next()?.parse().ok()
		})
		.max()
		.unwrap_or(0usize);
	assert!(largest >= 4, "a batch of four or more: {}", node.log());
	assert_eq!(trust_kinds(&result_of(&client, fourth).await?), ["tee", "tee"]);

	// Prometheus metrics.
	let (status, metrics) = http_get(&node.url("/metrics"))?;
	assert_eq!(status, 200);
	let metrics = metrics.as_str().context("text")?.to_string();
	let finalized = metrics
		.lines()
		.find_map(|l| l.strip_prefix("veritas_inference_receipts_finalized_total "))
		.context("the finalized receipts metric")?;
	assert!(finalized.trim().parse::<u64>()? >= 9, "{metrics}");
	let skipped = |reason: &str| {
		let line = format!("veritas_inference_requests_skipped_total{{reason=\"{reason}\"}} ");
		metrics.lines().find_map(|l| l.strip_prefix(&line)).map(str::to_owned)
	};
	assert_eq!(skipped("below_price").as_deref(), Some("10"), "{metrics}");
	assert_eq!(skipped("deadline").as_deref(), Some("2"), "{metrics}");
	// Two requests naming only Charlie, skipped by the scan, and the input sent for one of them.
	assert_eq!(skipped("not_allowed").as_deref(), Some("3"), "{metrics}");

	// Chat completions in TEE mode, from the built-in text model.
	let chat = json!({
		"model": "text-char-mlp",
		"messages": [
			{ "role": "system", "content": "You complete text." },
			{ "role": "user", "content": "Beautiful is better than" },
		],
		"max_tokens": 24,
	})
	.to_string();
	let (status, completion) = http_post(&node.url("/v1/chat/completions"), &chat)?;
	assert_eq!(status, 200, "{completion}");
	let content = check_chat(&client, &chat, &completion).await?;
	assert_eq!(content.chars().count(), 24);
	assert_eq!(completion["object"], "chat.completion");
	assert_eq!(completion["choices"][0]["message"]["role"], "assistant");
	// Deterministic: the same request, the same completion (a fresh attestation).
	let (_, again) = http_post(&node.url("/v1/chat/completions"), &chat)?;
	assert_eq!(again["choices"][0]["message"]["content"], json!(content));
	for (body, what) in [
		(json!({ "messages": [{ "role": "user", "content": "x" }], "stream": true }), "stream"),
		(json!({ "messages": [] }), "messages"),
		(json!({ "messages": [{ "role": "user", "content": 3 }] }), "content"),
		(json!({ "messages": [{ "role": "system", "content": "x" }] }), "user"),
		(
			json!({ "messages": [{ "role": "user", "content": "x" }], "max_tokens": 0 }),
			"max_tokens",
		),
	] {
		let (status, answer) = http_post(&node.url("/v1/chat/completions"), &body.to_string())?;
		assert_eq!(status, 400, "{body} → {answer}");
		assert!(answer["error"].as_str().is_some_and(|e| e.contains(what)), "{answer}");
	}

	// SIGKILL in the middle of a proof (the large model, three ZK segments), then a restart.
	let (large_q, large_inputs) = quantized("digits-mlp-large")?;
	let killed = request(dir.path(), &url, large, &large_inputs[0], "zk,zk,zk")?;
	let job = node.accepted_job(killed, WAIT).await?;
	// Proving three segments takes seconds: the kill lands in the middle.
	node.wait_log(&format!("answering job={job} "), WAIT).await?;
	node.kill();
	let log_at_kill = node.log();
	assert!(!log_at_kill.contains(&format!("receipt made job={job} ")), "killed mid-proof");
	let at = onchain::finalized(&client).await?;
	assert!(onchain::result_of_request(&at, killed).await?.is_none(), "killed before submitting");

	// Charlie's node answers chat completions with the built-in model; Bob's restarted node
	// forwards them to it (an upstream OpenAI-compatible server) and attests the exchange.
	let mut upstream = InferenceConfig::new(
		&url,
		"//Charlie",
		dir.path().join("upstream-db"),
		vec![model_dir("digits-mlp")],
	);
	upstream.enclave = Some(IMAGE.into());
	upstream.chat_model = Some(model_dir("text-char-mlp"));
	// A renewal margin longer than a key's 24 h life: it renews its key at every step.
	upstream.extra_args = vec!["--renewal-margin-secs".into(), "90000".into()];
	let upstream = InferenceProcess::start(upstream, dir.path().join("upstream.log"))?;
	config.chat_model = None;
	config.chat_upstream = Some(upstream.url(""));
	let mut node = InferenceProcess::start(config, log(2))?;
	let result = result_of(&client, killed).await.with_context(|| node.log())?;
	assert_eq!(result.receipt.output, large_q.run(&large_inputs[0]).unwrap());
	assert_eq!(trust_kinds(&result), ["zk", "zk", "zk"]);
	// Exactly one receipt per request, including those answered before the restart.
	assert_eq!(results_for(&client, large, Subject::Request(killed)).await?, 1);
	for r in &requests {
		assert_eq!(results_for(&client, digits, Subject::Request(*r)).await?, 1);
	}
	// `veritas request --features … --wait`: the held-out digit in its own units (floats),
	// quantized by the CLI at the model's scale into the very integers the engine makes of it;
	// returns once the node's receipt is verified in a finalized block, re-verified, its output
	// also as real numbers at the model's scale; `veritas results --model` lists it among the
	// model's latest results.
	let set = TestSet::load(&model_dir("digits-mlp").join("test-set.json"))
		.map_err(|e| anyhow::anyhow!("{e:?}"))?;
	let waited_input = dir.path().join("waited-features.json");
	std::fs::write(&waited_input, serde_json::to_vec(&set.inputs[4])?)?;
	let (waited, out) = request_features_and_wait(&url, digits, &waited_input, "tee,tee")
		.with_context(|| node.log())?;
	let digits_arg = digits.to_string();
	let at = onchain::finalized(&client).await?;
	let scale = onchain::model(&at, digits).await?.context("the model")?.manifest.scale;
	let (_, result) = onchain::result_of_request(&at, waited).await?.context("answered")?;
	// The node answered the input the CLI quantized: the engine's output for the engine's
	// quantization of the same floats.
	assert_eq!(result.receipt.output, q.run(&inputs[4]).map_err(|e| anyhow::anyhow!("{e:?}"))?);
	let real: Vec<f64> =
		result.receipt.output.iter().map(|v| f64::from(*v) / f64::from(scale)).collect();
	assert!(out.contains(&format!("output as real numbers (scale {scale}): {real:?}")), "{out}");
	assert!(out.contains("valid: every check re-run locally"), "{out}");
	let (code, listed, err) =
		run_cli(&["--url", &url, "results", "--model", &digits_arg, "--json"])?;
	anyhow::ensure!(code == Some(0), "veritas results: {err}");
	let listed: Value = serde_json::from_str(&listed)?;
	let entry = listed
		.as_array()
		.context("an array")?
		.iter()
		.find(|r| r["subject"]["request"] == json!(waited))
		.context("the waited result among the latest")?;
	assert_eq!((&entry["scale"], &entry["output_real"]), (&json!(scale), &json!(real)));
	graph_model_is_answered_with_attested_tee_evidence(dir.path(), &url, &client, &graph).await?;

	let second = node.log();
	let accepted_line = format!("request={killed} job=");
	assert!(!second.contains(&accepted_line), "the restart found the job on disk: {second}");

	// Through the upstream: the same completion as the built-in model gave, attested by Bob's
	// new enclave key.
	let forwarded = wait_for("the upstream and the enclave keys", WAIT, || async {
		let (status, answer) = http_post(&node.url("/v1/chat/completions"), &chat)?;
		Ok((status == 200).then_some(answer))
	})
	.await
	.with_context(|| format!("{}\n{}", node.log(), upstream.log()))?;
	assert_eq!(check_chat(&client, &chat, &forwarded).await?, content);
	assert_ne!(forwarded["veritas"]["enclave_key"], completion["veritas"]["enclave_key"]);

	// The chain node is killed while a receipt's transaction waits for finality, and restarted
	// (same database, same ports): the inference node reconnects, retries the job after a
	// backoff, and the request ends with exactly one result.
	let after = request(dir.path(), &url, digits, &inputs[7], "tee,zk")?;
	let job = node.accepted_job(after, WAIT).await?;
	node.wait_log(&format!("jobs=[{job}]"), WAIT).await?;
	let dev_config = dev.config().clone();
	dev.kill();
	drop(rpc);
	let dev = Node::start(dev_config)?;
	let rpc = dev.rpc(WAIT).await?;
	let client = chain::connect(&url).await?;
	let result = result_of(&client, after).await.with_context(|| node.log())?;
	assert_eq!(trust_kinds(&result), ["tee", "zk"]);
	let log = node.log();
	assert!(log.contains("reconnected to the chain"), "{log}");
	assert!(log.contains(&format!("retrying later job={job} ")), "{log}");
	assert_eq!(results_for(&client, digits, Subject::Request(after)).await?, 1);
	wait_finalized_at_least(&dev, &rpc, rpc.finalized().await?.number + 1, WAIT).await?;

	// Charlie's node renewed its enclave key on chain with fresh documents: same key, later
	// expiry each time.
	let renewals = wait_for("two renewals of the upstream's enclave key", WAIT, || async {
		let log = upstream.log();
		let lines: Vec<(String, u64)> = log
			.lines()
			.filter(|l| l.contains("enclave key registered"))
			.filter_map(|l| {
				let key = l.split("key=").nth(1)?.split_whitespace().next()?.to_owned();
				let expiry = l.split("expires_at_ms=").nth(1)?.trim().parse().ok()?;
				Some((key, expiry))
			})
			.collect();
		Ok((lines.len() >= 3).then_some(lines))
	})
	.await?;
	assert!(renewals.windows(2).all(|w| w[0].0 == w[1].0 && w[0].1 < w[1].1), "{renewals:?}");

	// SIGTERM: a graceful stop.
	let code = node.terminate(Duration::from_secs(60))?;
	assert_eq!(code, Some(0), "{}", node.log());
	assert!(node.log().contains("stopped"));
	assert!(!node.is_running());
	Ok(())
}

/// A copy of shipped model `name`'s files under `dir` whose manifest accepts TEE evidence only
/// (no verifying keys): the copy's directory.
fn tee_only_copy(dir: &std::path::Path, name: &str) -> Result<std::path::PathBuf> {
	let mut manifest: Value =
		serde_json::from_slice(&std::fs::read(model_dir(name).join("manifest.json"))?)?;
	for segment in manifest["segments"].as_array_mut().context("segments")? {
		segment["accepts"] = json!(["tee"]);
		segment["vk"] = Value::Null;
	}
	let copy = dir.join(format!("{name}-tee"));
	std::fs::create_dir(&copy)?;
	std::fs::copy(model_dir(name).join("model.onnx"), copy.join("model.onnx"))?;
	std::fs::write(copy.join("manifest.json"), manifest.to_string())?;
	Ok(copy)
}

/// H2: an inference node whose RPC endpoint lies that model 1 (`digits-cnn`'s content,
/// TEE only) is model 0's content (`digits-mlp`, which the node serves) answers a request of
/// model 1 with `digits-mlp`; its enclave signs what it ran (that file hash and manifest
/// digest), so the chain refuses the evidence for model 1: no result is stored, and the
/// requester's escrow comes back when the request expires.
#[tokio::test(flavor = "multi_thread")]
async fn h2_a_lying_rpc_cannot_mislabel_a_model() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let (dev, _rpc, client) = dev_chain(dir.path().join("dev")).await?;
	let url = dev.ws_url();
	register_image_measurement(&url)?;
	bond(&url, "//Bob")?;
	// Both models TEE only (no verifying keys to register first), from copies of their files.
	let mlp_dir = tee_only_copy(dir.path(), "digits-mlp")?;
	let mlp = register_manifest(&url, &mlp_dir.join("manifest.json"))?;
	let other =
		register_manifest(&url, &tee_only_copy(dir.path(), "digits-cnn")?.join("manifest.json"))?;
	let proxy = LyingProxy::start(&url).await?;
	let mut config =
		InferenceConfig::new(proxy.url(), "//Bob", dir.path().join("inference-db"), vec![mlp_dir]);
	config.enclave = Some(IMAGE.into());

	// The proxy now answers model 0's stored bytes where the node reads model 1's.
	let at = onchain::finalized(&client).await?;
	let stored = |id: u32| {
		let key = onchain::storage_key(pallets::MODELS, "Models", Some(&id.encode()));
		let at = &at;
		async move { anyhow::Ok(at.storage().fetch_raw(key).await?) }
	};
	proxy.lie(&stored(other).await?, &stored(mlp).await?);
	// The node reads every model through the proxy and believes it: it serves digits-mlp as
	// model 1 too.
	let node = InferenceProcess::start(config, dir.path().join("inference.log"))?;
	node.wait_log(&format!("serving a registered model model=digits-mlp id={other}"), WAIT).await?;
	assert!(proxy.lies() >= 1, "the proxy told the lie");

	let (_, inputs) = quantized("digits-mlp")?;
	let ask = CliRequest {
		model: other,
		input: &inputs[0],
		policy: "tee,tee",
		max_fee: MAX_FEE,
		ttl: 12,
		allow: None,
	};
	let id = cli_request(dir.path(), &url, ask)?;
	node.wait_log("BadEnclaveSignature", WAIT).await?;
	// After the deadline `on_idle` removes the unanswered request and refunds its escrow and
	// deposit.
	let status = wait_for("the request to expire", WAIT, || async {
		let at = onchain::finalized(&client).await?;
		let status = onchain::request_status(&at, id).await?;
		Ok((!matches!(status, onchain::RequestStatus::Open { .. })).then_some(status))
	})
	.await
	.with_context(|| node.log())?;
	assert!(matches!(status, onchain::RequestStatus::Pruned), "no result: {status:?}");
	let alice = chain::signer("//Alice")?.public_key().0;
	let at = onchain::finalized(&client).await?;
	assert_eq!(onchain::escrowed(&at, alice).await?, 0, "Alice's escrow came back");
	Ok(())
}
