//! `scripts/devnet.sh`: starts four validators on 127.0.0.1, waits for a finalized block, prints
//! the endpoints; `stop` leaves no process behind.

use std::process::Command;

use anyhow::{ensure, Result};
use veritas_tests::{free_port_block, node_binary, processes_mentioning};

fn devnet(dir: &std::path::Path, ports: (u16, u16, u16), action: &str) -> Result<String> {
	let script = std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../scripts/devnet.sh");
	let out = Command::new("bash")
		.arg(script)
		.arg(action)
		.env("VERITAS_DEVNET_DIR", dir)
		.env("VERITAS_NODE_BIN", node_binary())
		.env("VERITAS_DEVNET_P2P_PORT", ports.0.to_string())
		.env("VERITAS_DEVNET_RPC_PORT", ports.1.to_string())
		.env("VERITAS_DEVNET_PROMETHEUS_PORT", ports.2.to_string())
		// 2 s slots instead of 6 s: the same validators, Aura and GRANDPA, a third of the wait.
		.env("VERITAS_DEVNET_SLOT_MS", "2000")
		.output()?;
	let text =
		format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
	ensure!(out.status.success(), "devnet.sh {action} failed: {text}");
	Ok(text)
}

/// Stops the network even when an assertion fails.
struct StopOnDrop<'a>(&'a std::path::Path, (u16, u16, u16));

impl Drop for StopOnDrop<'_> {
	fn drop(&mut self) {
		let _ = devnet(self.0, self.1, "stop");
	}
}

#[test]
fn devnet_starts_four_finalizing_validators_and_stop_leaves_nothing_running() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let ports = (free_port_block(4), free_port_block(4), free_port_block(4));
	let needle = dir.path().to_string_lossy().into_owned();
	let _guard = StopOnDrop(dir.path(), ports);

	let started = devnet(dir.path(), ports, "start")?;
	assert!(started.contains("devnet: finalized block #"), "{started}");
	for (i, name) in ["alice", "bob", "charlie", "dave"].iter().enumerate() {
		let endpoint = format!("ws://127.0.0.1:{}", ports.1 + i as u16);
		assert!(started.contains(name) && started.contains(&endpoint), "{name} at {endpoint}");
	}
	assert_eq!(processes_mentioning(&needle).len(), 4, "four validators run");

	let status = devnet(dir.path(), ports, "status")?;
	assert_eq!(status.matches(": running, finalized #").count(), 4, "{status}");

	let stopped = devnet(dir.path(), ports, "stop")?;
	assert!(stopped.contains("devnet: stopped"), "{stopped}");
	assert!(processes_mentioning(&needle).is_empty(), "nothing outlives stop");
	let status = devnet(dir.path(), ports, "status")?;
	assert_eq!(status.matches(": stopped").count(), 4, "{status}");
	Ok(())
}
