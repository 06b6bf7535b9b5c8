//! # `veritas-inference`, the Veritas inference node
//!
//! - `veritas-inference run --model DIR … [--dev-enclave IMAGE --measurement ID]`: serves the
//!   models: registers their Groth16 verifying keys if the chain lacks them, keeps an enclave
//!   key registered, answers every finalized request for a registered model it serves with a
//!   receipt (each segment's evidence as the request's policy asks), submits receipts in batches,
//!   retries with backoff, keeps its jobs in RocksDB (`--db`), and serves the HTTP API (`--http`,
//!   see [`http`]). SIGINT/SIGTERM stop it gracefully: the step in progress finishes first.
//! - `veritas-inference manifest --model DIR --name NAME --measurement ID`: prints the manifest
//!   `veritas model register` takes (every segment accepts every evidence kind; the keys are the
//!   ones `run` makes from the same setup seed).
//!
//! Exit codes: 0 done, 1 failed, 2 usage or malformed input, 3 the chain could not be reached.

mod http;

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use clap::{Parser, Subcommand};
use tokio::sync::watch;
use veritas_attester::{pcrs_for_image, DevCa, DevEnclave};
use veritas_client::{chain, Exit};
use veritas_service::{
	chat::TextModel, served::manifest_json, Config, JobQueue, ServedModel, Service, DEV_SETUP_SEED,
};

#[derive(Debug, Parser)]
#[command(name = "veritas-inference", version, about = "The Veritas inference node")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Serve models: answer the chain's requests, serve the HTTP API.
	Run(RunArgs),
	/// Print the manifest of a model directory (JSON, for `veritas model register`).
	Manifest(ManifestArgs),
}

#[derive(Debug, clap::Args)]
struct RunArgs {
	/// The chain node's WebSocket RPC endpoint.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// The operator account's secret URI (signs receipts and registrations).
	#[arg(long, default_value = "//Alice")]
	suri: String,
	/// The job queue's RocksDB directory.
	#[arg(long, default_value = "veritas-inference-db")]
	db: PathBuf,
	/// A model directory (model.onnx + manifest.json); repeat for several.
	#[arg(long = "model", required = true)]
	models: Vec<PathBuf>,
	/// The HTTP API's address.
	#[arg(long, default_value = "127.0.0.1:8088")]
	http: SocketAddr,
	/// Run the enclave as a DevEnclave (development CA, not AWS) measuring this image text.
	#[arg(long, value_name = "IMAGE")]
	dev_enclave: Option<String>,
	/// The enclave measurement id the enclave key registers under.
	#[arg(long, requires = "dev_enclave")]
	measurement: Option<u32>,
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
	/// The built-in text model of `POST /v1/chat/completions` (a directory with model.onnx and
	/// text.json, e.g. models/text-char-mlp).
	#[arg(long, value_name = "DIR")]
	chat_model: Option<PathBuf>,
	/// An upstream OpenAI-compatible server (`http://host:port`) that answers chat completions
	/// instead of the built-in model; the enclave attests the exchange either way.
	#[arg(long, value_name = "URL")]
	chat_upstream: Option<String>,
}

#[derive(Debug, clap::Args)]
struct ManifestArgs {
	/// The model directory (holding model.onnx).
	#[arg(long)]
	model: PathBuf,
	/// The model's name.
	#[arg(long)]
	name: String,
	/// The fixed-point scale (a power of two).
	#[arg(long, default_value_t = 256)]
	scale: u32,
	/// The enclave measurement id of the TEE segments.
	#[arg(long, default_value_t = 0)]
	measurement: u32,
	/// The Groth16 setup seed (0x + 64 hex); the public development seed by default.
	#[arg(long)]
	setup_seed: Option<String>,
}

fn seed(text: Option<&str>) -> Result<[u8; 32], Exit> {
	let Some(text) = text else { return Ok(DEV_SETUP_SEED) };
	let bytes = hex::decode(text.trim_start_matches("0x"))
		.map_err(|e| Exit::malformed(format!("--setup-seed: {e}")))?;
	bytes.try_into().map_err(|_| Exit::malformed("--setup-seed: 32 bytes expected"))
}

fn manifest(args: &ManifestArgs) -> Result<(), Exit> {
	let seed = seed(args.setup_seed.as_deref())?;
	let json = manifest_json(&args.model, &args.name, args.scale, args.measurement, &seed)
		.map_err(|e| Exit::malformed(format!("{}: {e}", args.model.display())))?;
	println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
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

async fn run(args: RunArgs) -> Result<(), Exit> {
	let seed = seed(args.setup_seed.as_deref())?;
	let signer = chain::signer(&args.suri)?;
	let mut models = Vec::new();
	for dir in &args.models {
		let served = ServedModel::load(dir, &seed)
			.map_err(|e| Exit::malformed(format!("{}: {e}", dir.display())))?;
		tracing::info!(model = %served.name, segments = served.segments.len(), "model loaded");
		models.push(served);
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
	let queue = JobQueue::open(&args.db)
		.map_err(|e| Exit::invalid(format!("--db {}: {e}", args.db.display())))?;
	let attester = match &args.dev_enclave {
		Some(image) => Some(DevEnclave::new(
			DevCa::standard().map_err(|e| Exit::invalid(format!("the dev CA: {e:?}")))?,
			pcrs_for_image(image.as_bytes()),
		)),
		None => None,
	};
	let client = chain::connect(&args.url).await?;
	let config = Config {
		signer,
		measurement: args.measurement,
		poll: Duration::from_millis(args.poll_ms),
		max_batch: args.max_batch as usize,
		max_attempts: args.max_attempts,
		progress: true,
	};
	let service =
		Service::start(client, config, queue, models, attester).await.map_err(|e| match e {
			veritas_service::ServiceError::Chain(exit) => exit,
			other => Exit::invalid(other.to_string()),
		})?;
	let listener = tokio::net::TcpListener::bind(args.http)
		.await
		.map_err(|e| Exit::invalid(format!("--http {}: {e}", args.http)))?;
	tracing::info!(address = %args.http, account = %hex::encode(service.account()), "serving");

	let (stop, stopped) = watch::channel(false);
	let worker = tokio::spawn(Arc::clone(&service).run(stopped.clone()));
	let mut http_stopped = stopped;
	let app = http::App { service, text, upstream: args.chat_upstream.clone() };
	let server = axum::serve(listener, http::router(app)).with_graceful_shutdown(async move {
		let _ = http_stopped.wait_for(|s| *s).await;
	});
	let server = tokio::spawn(async move { server.await });
	shutdown_signal().await;
	tracing::info!("stopping: finishing the step in progress");
	let _ = stop.send(true);
	let _ = worker.await;
	match server.await {
		Ok(Ok(())) => {},
		Ok(Err(e)) => tracing::warn!(error = %e, "HTTP server"),
		Err(e) => tracing::warn!(error = %e, "HTTP server task"),
	}
	tracing::info!("stopped");
	Ok(())
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
		Command::Manifest(args) => manifest(&args),
		Command::Run(args) => match tokio::runtime::Runtime::new() {
			Ok(rt) => rt.block_on(run(args)),
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
