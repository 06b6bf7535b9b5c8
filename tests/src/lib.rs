//! Shared helpers of the end-to-end tests: spawning real `veritas-node` processes on free
//! loopback ports with their own base paths, talking to them over JSON-RPC, and waiting for chain
//! progress with deadlines.
//!
//! Every process started here is killed when its [`Node`] handle is dropped, so a failing test
//! leaves nothing running. Logs of each node go to `<base path>/node.log` and are printed (the
//! tail) when a wait times out.

use std::{
	fs,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::atomic::{AtomicU16, Ordering},
	time::{Duration, Instant},
};

pub mod copier;
pub mod inference;
pub mod receipts;
pub mod rpc_proxy;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use subxt_rpcs::{client::RpcClient, rpc_params};

/// The block time of the single-node development chains the end-to-end tests start, in
/// milliseconds (`veritas-node --dev --dev-block-time`): real Aura slots and GRANDPA finality, a
/// sixth of the production block time, so that the tests wait on the chain for seconds, not
/// minutes. The multi-validator tests keep the production block time.
pub const DEV_BLOCK_TIME_MS: u64 = 1000;

/// The arguments that select the tests' development chain, for node subcommands that open its
/// database (`revert`, `export-blocks`, …): the same genesis as [`Node::start_dev`]'s.
pub fn dev_chain_args() -> [String; 2] {
	["--dev".into(), format!("--dev-block-time={DEV_BLOCK_TIME_MS}")]
}

/// A binary of this workspace: `$env_var`, or the one cargo built next to this test executable
/// (`<target>/<profile>/<name>`).
pub(crate) fn workspace_binary(name: &str, env_var: &str) -> PathBuf {
	if let Some(path) = std::env::var_os(env_var) {
		return PathBuf::from(path);
	}
	let exe = std::env::current_exe().expect("the test executable has a path");
	// <target>/<profile>/deps/<test> (a test) or <target>/<profile>/<bin> (a binary of this
	// crate) → <target>/<profile>/<name>
	let dir = exe.parent().expect("the executable is in a directory");
	let profile_dir = if dir.ends_with("deps") { dir.parent().unwrap_or(dir) } else { dir };
	let bin = profile_dir.join(name);
	assert!(
		bin.exists(),
		"{} not found: build it first (`scripts/test.sh` builds every binary) or set {env_var}",
		bin.display()
	);
	bin
}

/// The `veritas-node` binary under test: `$VERITAS_NODE_BIN`, or the one cargo built next to
/// this test executable.
pub fn node_binary() -> PathBuf {
	workspace_binary("veritas-node", "VERITAS_NODE_BIN")
}

/// The `veritas` CLI under test: `$VERITAS_CLI_BIN`, or the one cargo built next to this test
/// executable.
pub fn cli_binary() -> PathBuf {
	workspace_binary("veritas", "VERITAS_CLI_BIN")
}

/// The `veritas-node` built with `--features runtime-benchmarks` (`build_bench_node` in
/// `scripts/env.sh`, which `scripts/test.sh --full` runs): `$VERITAS_BENCH_NODE_BIN`. The default
/// build has no `benchmark` subcommand.
pub fn bench_node_binary() -> PathBuf {
	let path = std::env::var_os("VERITAS_BENCH_NODE_BIN")
		.map(PathBuf::from)
		.expect("VERITAS_BENCH_NODE_BIN names the node built with runtime-benchmarks");
	assert!(path.exists(), "{} not found: scripts/test.sh --full builds it", path.display());
	path
}

/// The runtime with `runtime-benchmarks` that the benchmark node's build wrote next to it
/// (`<target>/<profile>/wbuild/veritas-runtime/`): compacted and compressed by a release build,
/// the plain `veritas_runtime.wasm` of a dev-profile build (the WASM builder compacts only for a
/// release outer profile).
pub fn benchmark_runtime() -> PathBuf {
	let node = bench_node_binary();
	let dir =
		node.parent().expect("the node binary is in a directory").join("wbuild/veritas-runtime");
	let compact = dir.join("veritas_runtime.compact.compressed.wasm");
	let runtime = if compact.exists() { compact } else { dir.join("veritas_runtime.wasm") };
	assert!(
		runtime.exists(),
		"{} not found: the benchmark node's build writes it",
		runtime.display()
	);
	runtime
}

/// Runs the benchmark node ([`bench_node_binary`]) with `args` to completion; returns (exit
/// code, stdout, stderr).
pub fn run_bench_node_command(args: &[&str]) -> Result<(Option<i32>, String, String)> {
	run_to_completion(&bench_node_binary(), args)
}

/// Runs `binary` with `args` (no standard input) to completion; returns (exit code, stdout,
/// stderr).
pub fn run_to_completion(binary: &Path, args: &[&str]) -> Result<(Option<i32>, String, String)> {
	let out = Command::new(binary).args(args).stdin(Stdio::null()).output()?;
	Ok((
		out.status.code(),
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	))
}

/// Runs the `veritas` CLI with `args` to completion; returns (exit code, stdout, stderr).
pub fn run_cli(args: &[&str]) -> Result<(Option<i32>, String, String)> {
	run_to_completion(&cli_binary(), args)
}

/// A file of the circom/snarkjs Groth16 fixtures (`verifiers/groth16/src/resources/circom/`,
/// `veritas_verifier_groth16::fixtures` in code), as a path for the CLI.
pub fn fixture(relative: &str) -> PathBuf {
	std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../verifiers/groth16/src/resources/circom")
	.join(relative)
}

/// A TCP port on 127.0.0.1 that was free a moment ago. Ports are handed out from a per-process
/// counter spread over a range chosen by process id, and each is checked by binding it, so
/// concurrent tests do not collide.
pub fn free_port() -> u16 {
	static NEXT: AtomicU16 = AtomicU16::new(0);
	let base = 20_000 + (std::process::id() % 400) as u16 * 100;
	loop {
		let offset = NEXT.fetch_add(1, Ordering::SeqCst) % 10_000;
		let port = base.wrapping_add(offset);
		if port > 1024 && TcpListener::bind(("127.0.0.1", port)).is_ok() {
			return port;
		}
	}
}

/// The ports one node listens on, all on 127.0.0.1.
#[derive(Clone, Copy, Debug)]
pub struct Ports {
	/// libp2p.
	pub p2p: u16,
	/// JSON-RPC (HTTP and WebSocket).
	pub rpc: u16,
	/// Prometheus metrics.
	pub prometheus: u16,
}

impl Ports {
	/// Three fresh ports.
	pub fn fresh() -> Self {
		Self { p2p: free_port(), rpc: free_port(), prometheus: free_port() }
	}
}

/// How to start a node: its chain, base path, ports and extra arguments.
#[derive(Clone, Debug)]
pub struct NodeConfig {
	/// A name for logs.
	pub name: String,
	/// `--chain` value, or `None` for `--dev`.
	pub chain: Option<String>,
	/// The base path (RocksDB, keystore, network key, log).
	pub base_path: PathBuf,
	/// The node's ports.
	pub ports: Ports,
	/// Extra command-line arguments.
	pub args: Vec<String>,
}

/// A running `veritas-node` process, killed (SIGKILL) and reaped on drop.
pub struct Node {
	config: NodeConfig,
	child: Option<Child>,
}

impl Node {
	/// Starts a node with `config`; it listens only on 127.0.0.1, without mDNS or telemetry.
	pub fn start(config: NodeConfig) -> Result<Self> {
		fs::create_dir_all(&config.base_path)?;
		let log = fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(config.base_path.join("node.log"))
			.context("opening the node log")?;
		let mut cmd = Command::new(node_binary());
		match &config.chain {
			None => cmd.arg("--dev"),
			Some(chain) => cmd.args(["--chain", chain]),
		};
		cmd.arg("--base-path")
			.arg(&config.base_path)
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", config.ports.p2p)])
			.args(["--rpc-port", &config.ports.rpc.to_string()])
			.args(["--prometheus-port", &config.ports.prometheus.to_string()])
			.args(["--no-mdns", "--no-telemetry"])
			.args(["--rpc-max-connections", "1000"])
			.args(&config.args)
			.stdin(Stdio::null())
			.stdout(log.try_clone()?)
			.stderr(log);
		let child = cmd.spawn().with_context(|| format!("spawning {}", config.name))?;
		Ok(Self { config, child: Some(child) })
	}

	/// Starts a `--dev` node (Alice alone) on fresh ports, with its data under `base_path`, on
	/// the tests' block time ([`DEV_BLOCK_TIME_MS`]).
	pub fn start_dev(base_path: PathBuf) -> Result<Self> {
		Self::start_dev_with_block_time(base_path, Some(DEV_BLOCK_TIME_MS))
	}

	/// Starts a `--dev` node with `--dev-block-time block_time_ms`, or on the production block
	/// time (6 s) with `None` (what the benchmarks measure a block against).
	pub fn start_dev_with_block_time(
		base_path: PathBuf,
		block_time_ms: Option<u64>,
	) -> Result<Self> {
		let args = match block_time_ms {
			Some(ms) => vec!["--dev-block-time".into(), ms.to_string()],
			None => vec![],
		};
		Self::start(NodeConfig {
			name: "dev".into(),
			chain: None,
			base_path,
			ports: Ports::fresh(),
			args,
		})
	}

	/// The node's configuration (to restart it on the same base path).
	pub fn config(&self) -> &NodeConfig {
		&self.config
	}

	/// `ws://127.0.0.1:<rpc>`.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.config.ports.rpc)
	}

	/// `http://127.0.0.1:<prometheus>/metrics`.
	pub fn metrics_url(&self) -> String {
		format!("http://127.0.0.1:{}/metrics", self.config.ports.prometheus)
	}

	/// Kills the process with SIGKILL (no clean shutdown) and reaps it.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Whether the process is still running.
	pub fn is_running(&mut self) -> bool {
		match self.child.as_mut() {
			Some(child) => matches!(child.try_wait(), Ok(None)),
			None => false,
		}
	}

	/// The last `lines` lines of the node's log.
	pub fn log_tail(&self, lines: usize) -> String {
		let log = fs::read_to_string(self.config.base_path.join("node.log")).unwrap_or_default();
		let all: Vec<&str> = log.lines().collect();
		all[all.len().saturating_sub(lines)..].join("\n")
	}

	/// A JSON-RPC client, retried until the node answers or `timeout` passes.
	pub async fn rpc(&self, timeout: Duration) -> Result<Rpc> {
		let deadline = Instant::now() + timeout;
		loop {
			match RpcClient::from_insecure_url(self.ws_url()).await {
				Ok(client) => return Ok(Rpc { client }),
				Err(e) if Instant::now() < deadline => {
					let _ = e;
					tokio::time::sleep(Duration::from_millis(500)).await;
				},
				Err(e) => bail!(
					"{} did not open RPC within {timeout:?}: {e}\n--- log ---\n{}",
					self.config.name,
					self.log_tail(40)
				),
			}
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
	}
}

/// A block number and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockRef {
	/// The block number.
	pub number: u64,
	/// The block hash, `0x`-hex.
	pub hash: String,
}

/// A JSON-RPC connection to a node, with the calls the tests use.
#[derive(Clone)]
pub struct Rpc {
	client: RpcClient,
}

/// Parses a `0x`-hex block number as the RPC returns it.
fn parse_number(value: &Value) -> Result<u64> {
	let hex = value.as_str().ok_or_else(|| anyhow!("block number is not a string: {value}"))?;
	u64::from_str_radix(hex.trim_start_matches("0x"), 16).context("block number is not hex")
}

impl Rpc {
	/// A raw call.
	pub async fn call(&self, method: &str, params: subxt_rpcs::client::RpcParams) -> Result<Value> {
		self.client.request::<Value>(method, params).await.map_err(|e| anyhow!("{method}: {e}"))
	}

	/// The underlying client, for subxt.
	pub fn client(&self) -> RpcClient {
		self.client.clone()
	}

	/// The best block.
	pub async fn best(&self) -> Result<BlockRef> {
		let header = self.call("chain_getHeader", rpc_params![]).await?;
		let number = parse_number(&header["number"])?;
		let hash = self.block_hash(number).await?.ok_or_else(|| anyhow!("no hash for best"))?;
		Ok(BlockRef { number, hash })
	}

	/// The last finalized block.
	pub async fn finalized(&self) -> Result<BlockRef> {
		let hash = self.call("chain_getFinalizedHead", rpc_params![]).await?;
		let hash = hash.as_str().ok_or_else(|| anyhow!("finalized head: {hash}"))?.to_string();
		let header = self.call("chain_getHeader", rpc_params![hash.clone()]).await?;
		Ok(BlockRef { number: parse_number(&header["number"])?, hash })
	}

	/// The hash of the canonical block at `number`, if the node has it.
	pub async fn block_hash(&self, number: u64) -> Result<Option<String>> {
		let hash = self.call("chain_getBlockHash", rpc_params![number]).await?;
		Ok(hash.as_str().map(str::to_string))
	}
}

/// A 32-byte hash or key given by JSON-RPC as a `0x` hex string.
pub fn hex32(v: &Value) -> Result<[u8; 32]> {
	let s = v.as_str().with_context(|| format!("a hex string, not {v}"))?;
	hex::decode(s.trim_start_matches("0x"))?.try_into().map_err(|_| anyhow!("not 32 bytes: {s}"))
}

/// Polls `probe` every 500 ms until it returns `Some`, or fails after `timeout` with `what`.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut probe: F) -> Result<T>
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Result<Option<T>>>,
{
	let deadline = Instant::now() + timeout;
	let mut last_error = None;
	loop {
		match probe().await {
			Ok(Some(value)) => return Ok(value),
			Ok(None) => {},
			Err(e) => last_error = Some(e),
		}
		if Instant::now() >= deadline {
			bail!("timed out after {timeout:?} waiting for {what} (last error: {last_error:?})");
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// Waits until the node's finalized block number is at least `number`; returns that block.
pub async fn wait_finalized_at_least(
	node: &Node,
	rpc: &Rpc,
	number: u64,
	timeout: Duration,
) -> Result<BlockRef> {
	wait_for(&format!("{} to finalize #{number}", node.config().name), timeout, || async {
		let finalized = rpc.finalized().await?;
		Ok((finalized.number >= number).then_some(finalized))
	})
	.await
	.map_err(|e| anyhow!("{e}\n--- {} log ---\n{}", node.config().name, node.log_tail(40)))
}

/// Runs the node binary with `args` to completion; returns (exit code, stdout, stderr).
pub fn run_node_command(args: &[&str]) -> Result<(Option<i32>, String, String)> {
	run_to_completion(&node_binary(), args)
}

/// The four-validator `local` chain spec with Aura's slot set to `slot_ms` in its genesis
/// (`blockTime.slotDurationMs`, as `--dev-block-time` does for `--dev`), written under `dir`:
/// the same validators, Aura and GRANDPA as `--chain local`, on shorter real slots.
pub fn local_spec_with_slot(dir: &Path, slot_ms: u64) -> Result<PathBuf> {
	let (code, stdout, stderr) = run_node_command(&["build-spec", "--chain", "local"])?;
	anyhow::ensure!(code == Some(0), "build-spec --chain local failed: {stderr}");
	let mut spec: Value = serde_json::from_str(&stdout)?;
	let patch = spec
		.pointer_mut("/genesis/runtimeGenesis/patch")
		.context("the local spec's genesis patch")?;
	patch["blockTime"] = serde_json::json!({ "slotDurationMs": slot_ms });
	let path = dir.join(format!("local-{slot_ms}ms.json"));
	fs::write(&path, serde_json::to_vec_pretty(&spec)?)?;
	Ok(path)
}

/// The first of `n` consecutive free TCP ports on 127.0.0.1.
pub fn free_port_block(n: u16) -> u16 {
	loop {
		let base = free_port();
		if base.checked_add(n).is_some()
			&& (1..n).all(|i| TcpListener::bind(("127.0.0.1", base + i)).is_ok())
		{
			// Skip past the block so the next call does not hand it out again.
			for _ in 1..n {
				free_port();
			}
			return base;
		}
	}
}

/// Process ids of running processes whose command line contains `needle`.
pub fn processes_mentioning(needle: &str) -> Vec<u32> {
	let Ok(entries) = fs::read_dir("/proc") else { return Vec::new() };
	entries
		.filter_map(|e| e.ok())
		.filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
		.filter(|pid| {
			fs::read(format!("/proc/{pid}/cmdline"))
				.map(|c| String::from_utf8_lossy(&c).contains(needle))
				.unwrap_or(false)
		})
		.collect()
}
