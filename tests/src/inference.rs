//! A real `veritas-inference` process for the end-to-end tests: started on a free port with its
//! own RocksDB directory and log file, killed (SIGKILL) on drop, or stopped with SIGTERM; its
//! HTTP API called with ureq.

use std::{
	fs,
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::Duration,
};

use anyhow::{Context, Result};
use serde_json::Value;

use crate::{free_port, workspace_binary};

/// The shipped model directory `name` (`models/<name>` of the repository).
pub fn model_dir(name: &str) -> PathBuf {
	std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../models")
	.join(name)
}

/// The `veritas-inference` binary under test: `$VERITAS_INFERENCE_BIN`, or the one cargo built.
pub fn inference_binary() -> PathBuf {
	workspace_binary("veritas-inference", "VERITAS_INFERENCE_BIN")
}

/// How a `veritas-inference` node is started.
#[derive(Clone, Debug)]
pub struct InferenceConfig {
	/// The chain's WebSocket URL.
	pub url: String,
	/// The operator's secret URI.
	pub suri: String,
	/// The node's data directory.
	pub db: PathBuf,
	/// The model directories.
	pub models: Vec<PathBuf>,
	/// The DevEnclave image (the node registers its key under the image's measurement, which
	/// it computes from the image).
	pub enclave: Option<String>,
	/// The HTTP port.
	pub http_port: u16,
	/// The built-in chat model's directory.
	pub chat_model: Option<PathBuf>,
	/// An upstream chat server.
	pub chat_upstream: Option<String>,
	/// More arguments.
	pub extra_args: Vec<String>,
}

impl InferenceConfig {
	/// A node on a fresh HTTP port.
	pub fn new(url: &str, suri: &str, db: PathBuf, models: Vec<PathBuf>) -> Self {
		Self {
			url: url.into(),
			suri: suri.into(),
			db,
			models,
			enclave: None,
			http_port: free_port(),
			chat_model: None,
			chat_upstream: None,
			extra_args: Vec::new(),
		}
	}
}

/// A running `veritas-inference` node.
pub struct InferenceProcess {
	config: InferenceConfig,
	log: PathBuf,
	child: Option<Child>,
}

impl InferenceProcess {
	/// Starts it with `config`, its output (tracing logs) appended to `log`.
	pub fn start(config: InferenceConfig, log: PathBuf) -> Result<Self> {
		let out = fs::OpenOptions::new().create(true).append(true).open(&log)?;
		let mut cmd = Command::new(inference_binary());
		cmd.args(["--chain", &config.url, "--suri", &config.suri])
			.arg("--data")
			.arg(&config.db)
			.args(["--http", &format!("127.0.0.1:{}", config.http_port)])
			.args(["--poll-ms", "300"]);
		for model in &config.models {
			cmd.arg("--models").arg(model);
		}
		if let Some(image) = &config.enclave {
			cmd.args(["--enclave", "dev", "--enclave-image", image]);
		}
		if let Some(dir) = &config.chat_model {
			cmd.arg("--chat-model").arg(dir);
		}
		if let Some(url) = &config.chat_upstream {
			cmd.args(["--chat-upstream", url]);
		}
		cmd.args(&config.extra_args);
		cmd.env("RUST_LOG", "info").stdin(Stdio::null()).stdout(out.try_clone()?).stderr(out);
		let child = cmd.spawn().context("spawning veritas-inference")?;
		Ok(Self { config, log, child: Some(child) })
	}

	/// Its configuration (to restart it the same way).
	pub fn config(&self) -> &InferenceConfig {
		&self.config
	}

	/// Its log so far.
	pub fn log(&self) -> String {
		fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// Waits until its log contains `needle`, polling every 20 ms (precise enough to act in the
	/// middle of a proof or of a submission).
	pub async fn wait_log(&self, needle: &str, timeout: Duration) -> Result<()> {
		let deadline = std::time::Instant::now() + timeout;
		while !self.log().contains(needle) {
			anyhow::ensure!(
				std::time::Instant::now() < deadline,
				"no {needle:?} in the log within {timeout:?}: {}",
				self.log()
			);
			tokio::time::sleep(Duration::from_millis(20)).await;
		}
		Ok(())
	}

	/// The job id the node gave chain request `request` (its "request=R job=J" log line),
	/// waiting up to `timeout` for it.
	pub async fn accepted_job(&self, request: u64, timeout: Duration) -> Result<String> {
		let accepted = format!("request={request} job=");
		self.wait_log(&accepted, timeout).await?;
		let log = self.log();
		let line = log.lines().find(|l| l.contains(&accepted)).context("log line")?;
		let job = line.split(&accepted).nth(1).and_then(|rest| rest.split_whitespace().next());
		Ok(job.context("a job id after job=")?.to_owned())
	}

	/// `http://127.0.0.1:<port><path>`.
	pub fn url(&self, path: &str) -> String {
		format!("http://127.0.0.1:{}{path}", self.config.http_port)
	}

	/// Kills it with SIGKILL (no chance to clean up) and reaps it.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Sends SIGTERM and waits up to `timeout` for it to exit; its exit code.
	pub fn terminate(&mut self, timeout: Duration) -> Result<Option<i32>> {
		let mut child = self.child.take().context("not running")?;
		let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status()?;
		anyhow::ensure!(status.success(), "kill -TERM failed");
		let deadline = std::time::Instant::now() + timeout;
		loop {
			if let Some(status) = child.try_wait()? {
				return Ok(status.code());
			}
			if std::time::Instant::now() >= deadline {
				let _ = child.kill();
				let _ = child.wait();
				anyhow::bail!("veritas-inference did not stop within {timeout:?}");
			}
			std::thread::sleep(Duration::from_millis(100));
		}
	}

	/// Whether the process is still running.
	pub fn is_running(&mut self) -> bool {
		self.child.as_mut().is_some_and(|c| matches!(c.try_wait(), Ok(None)))
	}
}

impl Drop for InferenceProcess {
	fn drop(&mut self) {
		self.kill();
	}
}

fn agent() -> ureq::Agent {
	ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// `GET url`: (status, body as JSON or a string).
pub fn http_get(url: &str) -> Result<(u16, Value)> {
	let mut response = agent().get(url).call()?;
	let status = response.status().as_u16();
	let text = response.body_mut().read_to_string()?;
	Ok((status, serde_json::from_str(&text).unwrap_or(Value::String(text))))
}

/// `POST url` with `body` (sent as is, `application/json`): (status, body as JSON).
pub fn http_post(url: &str, body: &str) -> Result<(u16, Value)> {
	let mut response = agent().post(url).header("content-type", "application/json").send(body)?;
	let status = response.status().as_u16();
	let text = response.body_mut().read_to_string()?;
	Ok((status, serde_json::from_str(&text).unwrap_or(Value::String(text))))
}
