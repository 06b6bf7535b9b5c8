//! # `veritas-inference`, the Veritas inference node
//!
//! - `veritas-inference [--chain WS] [--suri SURI] [--models DIR]… [--data DIR]
//!   [--enclave dev|nitro [--measurement ID]] [--http ADDR]`: serves the models: registers their
//!   Groth16 verifying keys if the chain lacks them, keeps an enclave key registered (renewed
//!   before it expires), answers every finalized request for a registered model it serves with a
//!   receipt (each segment's evidence as the request's policy asks), submits receipts in batches,
//!   retries with backoff, keeps its jobs in RocksDB (under `--data`), and serves the HTTP API
//!   (see `veritas_service::run`). SIGINT/SIGTERM stop it gracefully: the step in progress finishes first.
//! - `veritas-inference manifest --model DIR --name NAME [--measurement ID | --enclave-image
//!   TEXT]`: prints the manifest `veritas model register` takes (every segment accepts every
//!   evidence kind; the keys are the ones the node makes from the same setup seed; the TEE
//!   segments name the measurement `ID`, by default the DevEnclave image's).
//!
//! - `veritas-inference check --model DIR [--scale S] [--data FILE.json] [--json]`: loads a model
//!   as the node would and prints, per segment, its operators, the evidence kinds it can have and
//!   why not ZK, its circuit's constraints; with `--data`, how often the served (quantized)
//!   model's argmax agrees with the float model's and the largest output error.
//!
//! A measurement id is the digest of an enclave image's PCRs (`0x` + 64 hex, what `veritas
//! measurement register` prints): a DevEnclave's is computed from `--enclave-image`.
//!
//! Exit codes: 0 done, 1 failed, 2 usage or malformed input, 3 the chain could not be reached.

use std::{
	net::SocketAddr,
	num::NonZeroU32,
	path::{Path, PathBuf},
	process::ExitCode,
	sync::Arc,
	time::Duration,
};

use clap::{Parser, Subcommand, ValueEnum};
use veritas_attester::{dev_image_measurement_id, pcrs_for_image, DevCa, DevEnclave};
use veritas_chain::{self as chain, Exit};
use veritas_primitives::MeasurementId;
use veritas_service::{
	chat::TextModel,
	check::CheckData,
	served::{manifest_json, segment_r1cs, MANIFEST_FILE, MODEL_FILE},
	Config, Cors, Deadlines, Enclave, HttpConfig, JobQueue, NodeConfig, Prices, ServedModel,
	ServiceError, SubxtChain, DEV_SETUP_SEED,
};

#[derive(Debug, Parser)]
#[command(
	name = "veritas-inference",
	version,
	about = "The Veritas inference node",
	args_conflicts_with_subcommands = true
)]
struct Cli {
	#[command(subcommand)]
	command: Option<Command>,
	#[command(flatten)]
	run: RunArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Print the manifest of a model directory (JSON, for `veritas model register`).
	Manifest(ManifestArgs),
	/// Write one segment's circuit in circom's `.r1cs` format (for a snarkjs key ceremony).
	R1cs(R1csArgs),
	/// Load a model as the node would and print, per segment, its operators, the evidence it can
	/// have (and why not ZK) and its circuit's size; with --data, the served model against the
	/// float model on those inputs.
	Check(CheckArgs),
	/// Try every fixed-point scale from 2^4 to 2^16 on held-out inputs and print the one whose
	/// served model agrees most often with the float model (`manifest --data` uses it).
	Calibrate(CalibrateArgs),
}

#[derive(Debug, clap::Args)]
struct CalibrateArgs {
	/// The model directory (holding model.onnx).
	#[arg(long)]
	model: PathBuf,
	/// Held-out inputs, as `check --data` reads them.
	#[arg(long, value_name = "FILE.json")]
	data: PathBuf,
	/// Print the trials and the choice as JSON.
	#[arg(long)]
	json: bool,
	/// Where the model is cut.
	#[command(flatten)]
	cuts: CutArgs,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
	/// The model directory (holding model.onnx).
	#[arg(long)]
	model: PathBuf,
	/// The fixed-point scale (a power of two); the manifest's when the directory has one, else
	/// 256.
	#[arg(long)]
	scale: Option<u32>,
	/// Held-out inputs: a JSON array of inputs (arrays of floats in the model's units, its input
	/// tensor flattened) or an object with `inputs` and optional `labels` (a `test-set.json`).
	#[arg(long, value_name = "FILE.json")]
	data: Option<PathBuf>,
	/// Print the report as JSON.
	#[arg(long)]
	json: bool,
	/// Where the model is cut.
	#[command(flatten)]
	cuts: CutArgs,
}

/// Where a model is cut into segments.
#[derive(Debug, clap::Args)]
struct CutArgs {
	/// Cut the model's graph at this tensor (its ONNX name), once per boundary, in order; each
	/// cut must separate the graph. Without any, the default cut (one segment per layer of a
	/// model the circuits cover, else the whole graph). (Serving a cut model needs the manifest
	/// to name its cuts, which the chain does not bind yet: issue 20.)
	#[arg(long = "cut", value_name = "TENSOR")]
	cuts: Vec<String>,
}

impl CutArgs {
	/// The cuts, as the service takes them.
	fn names(&self) -> Vec<&str> {
		self.cuts.iter().map(String::as_str).collect()
	}
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum EnclaveKind {
	/// A DevEnclave: AWS Nitro's document format under the development CA (dev chains only).
	Dev,
	/// The Nitro Secure Module (only inside an AWS Nitro enclave, builds with feature `nsm`).
	Nitro,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
	/// The chain node's WebSocket RPC endpoint.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	chain: String,
	/// The operator account's secret URI (signs receipts and registrations).
	#[arg(long, default_value = "//Alice")]
	suri: String,
	/// A model directory (model.onnx + manifest.json) or a directory of them; repeatable.
	#[arg(long = "models", value_name = "DIR", default_value = "models")]
	models: Vec<PathBuf>,
	/// The node's data directory (its RocksDB job queue is `DIR/jobs`).
	#[arg(long, value_name = "DIR", default_value = "veritas-inference-data")]
	data: PathBuf,
	/// The enclave that makes TEE evidence (none: the node answers only ZK and `none` policies).
	#[arg(long, value_enum)]
	enclave: Option<EnclaveKind>,
	/// The measurement id (the digest of the enclave image's PCRs) its key registers under;
	/// required with `--enclave nitro`, the `--enclave-image`'s by default with `dev`.
	#[arg(long, requires = "enclave", value_parser = measurement_id)]
	measurement: Option<MeasurementId>,
	/// The image a DevEnclave measures (its PCRs are hashes of this text).
	#[arg(long, value_name = "TEXT", default_value = "veritas-inference")]
	enclave_image: String,
	/// The HTTP API's address.
	#[arg(long, default_value = "127.0.0.1:8088")]
	http: SocketAddr,
	/// The Groth16 setup seed (0x + 64 hex); the public development seed by default.
	#[arg(long)]
	setup_seed: Option<String>,
	/// Milliseconds between looks at the chain.
	#[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..))]
	poll_ms: u64,
	/// The most receipts per transaction.
	#[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=64))]
	max_batch: u64,
	/// Attempts before a job is given up.
	#[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
	max_attempts: u32,
	/// How long before the enclave key expires on chain (24 h after registration) the node
	/// registers it again with a fresh document.
	#[arg(long, default_value_t = 3600)]
	renewal_margin_secs: u64,
	/// The built-in text model of `POST /v1/chat/completions` (a directory with model.onnx and
	/// text.json, e.g. models/text-char-mlp).
	#[arg(long, value_name = "DIR")]
	chat_model: Option<PathBuf>,
	/// An upstream OpenAI-compatible server (`http://host:port`) that answers chat completions
	/// instead of the built-in model; the enclave attests the exchange either way.
	#[arg(long, value_name = "URL")]
	chat_upstream: Option<String>,
	/// The least fee a request must offer, per segment: `KIND=AMOUNT` for every model or
	/// `MODEL:KIND=AMOUNT` for the model of that name, in the chain's smallest unit; repeatable.
	/// Defaults: none 0, tee 0.1 mVRT, tee_attested 1 mVRT, zk 5 mVRT. Requests offering less
	/// than their policy's price are skipped.
	#[arg(long = "price", value_name = "[MODEL:]KIND=AMOUNT")]
	prices: Vec<String>,
	/// Blocks a request must have left before its deadline to be taken (more with ZK
	/// segments: see --zk-blocks-per-segment).
	#[arg(long, default_value_t = 5)]
	min_blocks_left: u32,
	/// Further blocks a request must have left per ZK segment of its policy (proving time).
	#[arg(long, default_value_t = 2)]
	zk_blocks_per_segment: u32,
	/// A file holding the API key that `POST /v1/infer` and `POST /v1/chat/completions` then
	/// require (`Authorization: Bearer <key>`); without it those routes are open to whoever
	/// reaches --http (127.0.0.1 by default).
	#[arg(long, value_name = "FILE")]
	api_key_file: Option<PathBuf>,
	/// Requests a second each client address may make to the routes that make the node work.
	#[arg(long, default_value_t = NonZeroU32::new(5).expect("5 > 0"))]
	infer_per_second: NonZeroU32,
	/// How many such requests a client address may make at once before the rate applies.
	#[arg(long, default_value_t = NonZeroU32::new(20).expect("20 > 0"))]
	infer_burst: NonZeroU32,
	/// A web origin (`http(s)://host[:port]`) whose pages may call the HTTP API from a browser
	/// (CORS), e.g. the explorer's; repeatable; `*` for any. None by default: no CORS headers.
	#[arg(long = "cors-origin", value_name = "ORIGIN", value_parser = cors_origin)]
	cors_origins: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct ManifestArgs {
	/// The model directory (holding model.onnx).
	#[arg(long)]
	model: PathBuf,
	/// The model's name.
	#[arg(long)]
	name: String,
	/// The fixed-point scale (a power of two); without it, the scale `calibrate` chooses on
	/// `--data`, else 256.
	#[arg(long)]
	scale: Option<u32>,
	/// Held-out inputs to calibrate the scale on (as `check --data` reads them).
	#[arg(long, value_name = "FILE.json", conflicts_with = "scale")]
	data: Option<PathBuf>,
	/// The measurement id (the digest of the enclave image's PCRs) of the TEE segments.
	#[arg(long, value_parser = measurement_id, conflicts_with = "enclave_image")]
	measurement: Option<MeasurementId>,
	/// The DevEnclave image whose measurement the TEE segments name when no `--measurement` is
	/// given (development only: anyone can run a DevEnclave of any image).
	#[arg(long, value_name = "TEXT", default_value = "veritas-inference")]
	enclave_image: String,
	/// The Groth16 setup seed (0x + 64 hex); the public development seed by default.
	#[arg(long)]
	setup_seed: Option<String>,
}

#[derive(Debug, clap::Args)]
struct R1csArgs {
	/// The model directory (holding model.onnx).
	#[arg(long)]
	model: PathBuf,
	/// The fixed-point scale (a power of two).
	#[arg(long, default_value_t = 256)]
	scale: u32,
	/// The segment (0 is the first).
	#[arg(long)]
	segment: usize,
	/// Where to write the file.
	#[arg(long)]
	out: PathBuf,
}

/// The model directories under `path`: itself if it holds a model and its manifest, else its
/// subdirectories that do (sorted).
fn model_dirs(path: &Path) -> Result<Vec<PathBuf>, Exit> {
	let is_model = |p: &Path| p.join(MODEL_FILE).is_file() && p.join(MANIFEST_FILE).is_file();
	if is_model(path) {
		return Ok(vec![path.to_path_buf()]);
	}
	let entries = std::fs::read_dir(path)
		.map_err(|e| Exit::malformed(format!("--models {}: {e}", path.display())))?;
	let mut dirs: Vec<PathBuf> =
		entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| is_model(p)).collect();
	dirs.sort();
	if dirs.is_empty() {
		return Err(Exit::malformed(format!(
			"--models {}: no {MODEL_FILE} with a {MANIFEST_FILE} here or in its subdirectories",
			path.display()
		)));
	}
	Ok(dirs)
}

fn enclave(args: &RunArgs) -> Result<Option<Enclave>, Exit> {
	match args.enclave {
		None => Ok(None),
		Some(EnclaveKind::Dev) => Ok(Some(Box::new(DevEnclave::new(
			DevCa::standard().map_err(|e| Exit::invalid(format!("the dev CA: {e:?}")))?,
			pcrs_for_image(args.enclave_image.as_bytes()),
		)))),
		#[cfg(feature = "nsm")]
		Some(EnclaveKind::Nitro) => Ok(Some(Box::new(
			veritas_attester::NsmAttester::open()
				.map_err(|e| Exit::invalid(format!("the Nitro Secure Module: {e:?}")))?,
		))),
		#[cfg(not(feature = "nsm"))]
		Some(EnclaveKind::Nitro) => Err(Exit::malformed(
			"--enclave nitro: this build has no NSM support (build with `--features nsm` and run \
			 inside an AWS Nitro enclave)",
		)),
	}
}

/// A `--cors-origin`: a web origin or `*` (checked again as a whole list: `*` only alone).
fn cors_origin(text: &str) -> Result<String, String> {
	Cors::parse(&[text]).map(|_| text.to_string()).map_err(|e| e.to_string())
}

/// A `--measurement` id: `0x` + 64 hex.
fn measurement_id(text: &str) -> Result<MeasurementId, String> {
	chain::manifest::parse_id(text).map_err(|e| e.to_string())
}

/// The measurement the node's enclave key registers under: `--measurement`, or with a
/// DevEnclave the id of its image's PCRs; `None` without an enclave.
fn node_measurement(args: &RunArgs) -> Result<Option<MeasurementId>, Exit> {
	match (args.enclave, args.measurement) {
		(None, _) => Ok(None),
		(Some(_), Some(id)) => Ok(Some(id)),
		(Some(EnclaveKind::Dev), None) => {
			Ok(Some(dev_image_measurement_id(args.enclave_image.as_bytes())))
		},
		(Some(EnclaveKind::Nitro), None) => Err(Exit::malformed(
			"--enclave nitro needs --measurement (the id `veritas measurement register --pcrs` \
			 printed for the enclave image)",
		)),
	}
}

fn seed(text: Option<&str>) -> Result<[u8; 32], Exit> {
	let Some(text) = text else { return Ok(DEV_SETUP_SEED) };
	let bytes = hex::decode(text.trim_start_matches("0x"))
		.map_err(|e| Exit::malformed(format!("--setup-seed: {e}")))?;
	bytes.try_into().map_err(|_| Exit::malformed("--setup-seed: 32 bytes expected"))
}

fn r1cs(args: &R1csArgs) -> Result<(), Exit> {
	let bytes = segment_r1cs(&args.model, args.scale, args.segment)
		.map_err(|e| Exit::malformed(format!("{}: {e}", args.model.display())))?;
	std::fs::write(&args.out, &bytes)
		.map_err(|e| Exit::invalid(format!("{}: {e}", args.out.display())))?;
	eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
	Ok(())
}

fn manifest(args: &ManifestArgs) -> Result<(), Exit> {
	let seed = seed(args.setup_seed.as_deref())?;
	let measurement =
		args.measurement.unwrap_or_else(|| dev_image_measurement_id(args.enclave_image.as_bytes()));
	// Keys anyone can make, or an image anyone can run as a DevEnclave: marked (I1).
	let development = seed == DEV_SETUP_SEED || args.measurement.is_none();
	let scale = match (args.scale, &args.data) {
		(Some(scale), _) => scale,
		(None, Some(data)) => {
			let data = CheckData::read(data).map_err(Exit::malformed)?;
			let calibration = veritas_service::calibrate::calibrate(&args.model, &[], &data)
				.map_err(|e| Exit::malformed(format!("{}: {e}", args.model.display())))?;
			eprint!("{calibration}");
			calibration.scale
		},
		(None, None) => 256,
	};
	let json = manifest_json(&args.model, &args.name, scale, &measurement, &seed, development)
		.map_err(|e| Exit::malformed(format!("{}: {e}", args.model.display())))?;
	println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
	Ok(())
}

fn calibrate(args: &CalibrateArgs) -> Result<(), Exit> {
	let data = CheckData::read(&args.data).map_err(Exit::malformed)?;
	let cuts = args.cuts.names();
	let calibration = veritas_service::calibrate::calibrate(&args.model, &cuts, &data)
		.map_err(|e| Exit::malformed(format!("{}: {e}", args.model.display())))?;
	print_report(args.json, &calibration.to_json(), &calibration);
	Ok(())
}

/// A report on stdout: as pretty JSON with `--json`, else as text.
fn print_report(json: bool, value: &serde_json::Value, text: &dyn std::fmt::Display) {
	if json {
		println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
	} else {
		print!("{text}");
	}
}

fn check(args: &CheckArgs) -> Result<(), Exit> {
	let scale = match args.scale {
		Some(scale) => scale,
		None => match std::fs::metadata(args.model.join(MANIFEST_FILE)) {
			Ok(_) => {
				chain::read_manifest(&args.model.join(MANIFEST_FILE))
					.map_err(|e| Exit::malformed(e.0))?
					.scale
			},
			Err(_) => 256,
		},
	};
	let data = args.data.as_deref().map(CheckData::read).transpose().map_err(Exit::malformed)?;
	let cuts = args.cuts.names();
	let report = veritas_service::check::check(&args.model, scale, &cuts, data.as_ref())
		.map_err(|e| Exit::malformed(format!("{}: {e}", args.model.display())))?;
	print_report(args.json, &report.to_json(), &report);
	Ok(())
}

async fn shutdown_signal() {
	let interrupt = tokio::signal::ctrl_c();
	#[cfg(unix)]
	{
		let mut terminate =
			match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
				Ok(s) => s,
				Err(_) => {
					let _ = interrupt.await;
					return;
				},
			};
		tokio::select! {
			_ = interrupt => {},
			_ = terminate.recv() => {},
		}
	}
	#[cfg(not(unix))]
	let _ = interrupt.await;
}

/// The API key in `path` (surrounding whitespace ignored; an empty one is refused).
fn api_key(path: &Path) -> Result<String, Exit> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Exit::malformed(format!("--api-key-file {}: {e}", path.display())))?;
	let key = text.trim();
	if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c.is_control()) {
		return Err(Exit::malformed(format!(
			"--api-key-file {}: the key must be one non-empty word",
			path.display()
		)));
	}
	Ok(key.to_string())
}

async fn run(args: RunArgs) -> Result<(), Exit> {
	let seed = seed(args.setup_seed.as_deref())?;
	if seed == DEV_SETUP_SEED {
		tracing::warn!(
			"the Groth16 keys come from the public development setup seed: anyone can forge \
			 proofs under them (development chains only; pass --setup-seed, or ceremony keys)"
		);
	}
	let prices = Prices::parse(&args.prices).map_err(|e| Exit::malformed(e.to_string()))?;
	let api_key = args.api_key_file.as_deref().map(api_key).transpose()?;
	let signer = chain::signer(&args.suri)?;
	let enclave = enclave(&args)?;
	let mut models = Vec::new();
	for path in &args.models {
		for dir in model_dirs(path)? {
			match ServedModel::load(&dir, &seed) {
				Ok(served) => {
					let segments = served.segments.len();
					tracing::info!(model = %served.name, segments, "model loaded");
					models.push(served);
				},
				// A model named by `--models` itself must load; in a directory of models, one
				// that does not is skipped and the others are served.
				Err(e) if dir != *path => {
					tracing::error!(dir = %dir.display(), error = %e, "model skipped: not served");
				},
				Err(e) => return Err(Exit::malformed(format!("{}: {e}", dir.display()))),
			}
		}
	}
	if models.is_empty() {
		return Err(Exit::malformed("--models: none of the model directories loads"));
	}
	let text = match &args.chat_model {
		Some(dir) => Some(Arc::new(
			TextModel::load(dir).map_err(|e| Exit::malformed(format!("{}: {e}", dir.display())))?,
		)),
		None => None,
	};
	if let Some(url) = &args.chat_upstream {
		if !url.starts_with("http://") {
			return Err(Exit::malformed(format!("--chat-upstream {url}: an http:// URL expected")));
		}
	}
	std::fs::create_dir_all(&args.data)
		.map_err(|e| Exit::invalid(format!("--data {}: {e}", args.data.display())))?;
	let queue = JobQueue::open(&args.data.join("jobs"))
		.map_err(|e| Exit::invalid(format!("--data {}: {e}", args.data.display())))?;
	let service = Config {
		signer,
		measurement: node_measurement(&args)?,
		poll: Duration::from_millis(args.poll_ms),
		max_batch: args.max_batch as usize,
		max_attempts: args.max_attempts,
		progress: true,
		renewal_margin: Duration::from_secs(args.renewal_margin_secs),
		prices,
		deadlines: Deadlines {
			min_blocks_left: args.min_blocks_left,
			zk_blocks_per_segment: args.zk_blocks_per_segment,
		},
	};
	let cors = Cors::parse(&args.cors_origins)
		.map_err(|e| Exit::malformed(format!("--cors-origin: {e}")))?;
	let http = HttpConfig {
		cors,
		api_key,
		per_second: args.infer_per_second,
		burst: args.infer_burst,
		text,
		upstream: args.chat_upstream.clone(),
	};
	let config = NodeConfig { service, queue, models, enclave, http };
	let chain = Arc::new(SubxtChain::connect(&args.chain).await?);
	let listener = tokio::net::TcpListener::bind(args.http)
		.await
		.map_err(|e| Exit::invalid(format!("--http {}: {e}", args.http)))?;
	veritas_service::run(config, listener, chain, shutdown_signal()).await.map_err(|e| match e {
		ServiceError::Chain(e) => e.into(),
		other => Exit::invalid(other.to_string()),
	})
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	// `RUST_LOG` (default `info`), always without arkworks' constraint spans (target `r1cs`, one
	// per gadget call): formatting them made key generation a hundred times slower.
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	let filter = match "r1cs=off".parse() {
		Ok(directive) => filter.add_directive(directive),
		Err(_) => filter,
	};
	tracing_subscriber::fmt()
		.with_env_filter(filter)
		.with_writer(std::io::stderr)
		.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
		.init();
	let result = match cli.command {
		Some(Command::Manifest(args)) => manifest(&args),
		Some(Command::R1cs(args)) => r1cs(&args),
		Some(Command::Check(args)) => check(&args),
		Some(Command::Calibrate(args)) => calibrate(&args),
		None => match tokio::runtime::Runtime::new() {
			Ok(rt) => rt.block_on(run(cli.run)),
			Err(e) => Err(Exit::invalid(format!("no async runtime: {e}"))),
		},
	};
	match result {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("veritas-inference: {}", e.message);
			ExitCode::from(e.code)
		},
	}
}
