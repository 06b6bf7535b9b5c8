//! The four-validator network (`--chain local`'s validators, Aura and GRANDPA, on 2 s slots
//! instead of 6 s: real slots, a third of the waiting) under faults: one validator killed, then
//! all four killed and restarted. Finality must continue with three of four, a restarted
//! validator must catch up to the same finalized chain, and no finalized block may be lost.

use std::time::{Duration, Instant};

use anyhow::{ensure, Result};
use subxt_rpcs::rpc_params;
use veritas_tests::{
	local_spec_with_slot, run_node_command, wait_finalized_at_least, wait_for, BlockRef, Node,
	NodeConfig, Ports, Rpc,
};

const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];
const STARTUP: Duration = Duration::from_secs(240);
const PROGRESS: Duration = Duration::from_secs(180);
/// Aura's slot on this network.
const SLOT_MS: u64 = 2_000;
/// How long block and finality rates are measured: about six slots.
const RATE_WINDOW: Duration = Duration::from_millis(6 * SLOT_MS);

/// The four validators' configurations: fixed node keys (so Alice's peer id is known), Alice as
/// the bootnode of the others, all on 127.0.0.1.
fn network_configs(root: &std::path::Path) -> Result<Vec<NodeConfig>> {
	let ports: Vec<Ports> = VALIDATORS.iter().map(|_| Ports::fresh()).collect();
	let mut peer_ids = Vec::new();
	for (i, name) in VALIDATORS.iter().enumerate() {
		let key_file = root.join(format!("{name}.node-key"));
		std::fs::write(&key_file, format!("{:064x}", i + 1))?;
		let (code, stdout, stderr) =
			run_node_command(&["key", "inspect-node-key", "--file", key_file.to_str().unwrap()])?;
		ensure!(code == Some(0), "inspect-node-key failed: {stderr}");
		peer_ids.push(stdout.trim().to_string());
	}
	let spec = local_spec_with_slot(root, SLOT_MS)?.to_string_lossy().into_owned();
	let bootnodes: Vec<String> = (0..VALIDATORS.len())
		.map(|i| format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", ports[i].p2p, peer_ids[i]))
		.collect();
	Ok(VALIDATORS
		.iter()
		.enumerate()
		.map(|(i, name)| {
			let key_file = root.join(format!("{name}.node-key"));
			let mut args = vec![
				format!("--{name}"),
				"--node-key-file".to_string(),
				key_file.to_string_lossy().into_owned(),
			];
			for (j, boot) in bootnodes.iter().enumerate() {
				if j != i {
					args.push("--bootnodes".into());
					args.push(boot.clone());
				}
			}
			NodeConfig {
				name: name.to_string(),
				chain: Some(spec.clone()),
				base_path: root.join(name),
				ports: ports[i],
				args,
			}
		})
		.collect())
}

/// Each node's finalized block.
async fn finalized_of(rpcs: &[&Rpc]) -> Result<Vec<BlockRef>> {
	let mut out = Vec::new();
	for rpc in rpcs {
		out.push(rpc.finalized().await?);
	}
	Ok(out)
}

/// Average seconds between blocks and between finalized blocks over `window` on `rpc`.
async fn measure_rates(rpc: &Rpc, window: Duration) -> Result<(f64, f64, u64)> {
	let start = Instant::now();
	let (best0, fin0) = (rpc.best().await?, rpc.finalized().await?);
	tokio::time::sleep(window).await;
	let (best1, fin1) = (rpc.best().await?, rpc.finalized().await?);
	let secs = start.elapsed().as_secs_f64();
	let block_time = secs / (best1.number.saturating_sub(best0.number)).max(1) as f64;
	let finality_time = secs / (fin1.number.saturating_sub(fin0.number)).max(1) as f64;
	Ok((block_time, finality_time, best1.number.saturating_sub(fin1.number)))
}

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_survive_crashes_without_losing_finality() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let configs = network_configs(dir.path())?;
	let mut nodes: Vec<Node> =
		configs.iter().cloned().map(Node::start).collect::<Result<Vec<_>>>()?;
	let mut rpcs = Vec::new();
	for node in &nodes {
		rpcs.push(node.rpc(STARTUP).await?);
	}

	// 1. All four finalize, on the spec's slot.
	let slot = rpcs[0].call("state_call", rpc_params!["AuraApi_slot_duration", "0x"]).await?;
	let slot = hex::decode(slot.as_str().unwrap_or_default().trim_start_matches("0x"))?;
	assert_eq!(slot, SLOT_MS.to_le_bytes(), "Aura's slot is the spec's");
	for (node, rpc) in nodes.iter().zip(&rpcs) {
		wait_finalized_at_least(node, rpc, 2, STARTUP).await?;
	}
	let (block_time, finality_time, lag) = measure_rates(&rpcs[0], RATE_WINDOW).await?;
	println!(
		"4/4 validators: {block_time:.2} s per block, {finality_time:.2} s per finalized block, \
		 finality lag {lag} blocks"
	);

	// 2. SIGKILL Dave: the other three keep producing and finalizing.
	nodes[3].kill();
	let before = rpcs[0].finalized().await?;
	let best_before = rpcs[0].best().await?;
	wait_for("three more blocks with Dave down", PROGRESS, || async {
		Ok((rpcs[0].best().await?.number >= best_before.number + 3).then_some(()))
	})
	.await?;
	wait_finalized_at_least(&nodes[0], &rpcs[0], best_before.number + 1, PROGRESS).await?;
	let (block_time, finality_time, lag) = measure_rates(&rpcs[0], RATE_WINDOW).await?;
	println!(
		"3/4 validators: {block_time:.2} s per block, {finality_time:.2} s per finalized block, \
		 finality lag {lag} blocks"
	);
	for rpc in &rpcs[1..3] {
		let f = rpc.finalized().await?;
		assert!(f.number > before.number, "Bob and Charlie finalize too");
	}

	// 3. Restart Dave on his own base path: he catches up to the same finalized chain.
	nodes[3] = Node::start(configs[3].clone())?;
	rpcs[3] = nodes[3].rpc(STARTUP).await?;
	let target = rpcs[0].finalized().await?;
	wait_finalized_at_least(&nodes[3], &rpcs[3], target.number, PROGRESS).await?;
	let dave_hash = rpcs[3].block_hash(target.number).await?;
	assert_eq!(dave_hash.as_deref(), Some(target.hash.as_str()), "Dave agrees with Alice");
	// All four report the same finalized hash at a common height.
	let common = finalized_of(&rpcs.iter().collect::<Vec<_>>())
		.await?
		.iter()
		.map(|b| b.number)
		.min()
		.unwrap_or(0);
	let mut hashes = Vec::new();
	for rpc in &rpcs {
		hashes.push(rpc.block_hash(common).await?);
	}
	assert!(
		hashes.windows(2).all(|w| w[0] == w[1]),
		"same finalized hash at #{common}: {hashes:?}"
	);

	// 4. SIGKILL all four, restart all: no finalized block is lost and finality resumes.
	let mut recorded = Vec::new();
	for (node, rpc) in nodes.iter_mut().zip(&rpcs) {
		recorded.push(rpc.finalized().await?);
		node.kill();
	}
	drop(rpcs);
	println!("finalized before the crash: {recorded:?}");
	let mut nodes: Vec<Node> =
		configs.iter().cloned().map(Node::start).collect::<Result<Vec<_>>>()?;
	let mut rpcs = Vec::new();
	for node in &nodes {
		rpcs.push(node.rpc(STARTUP).await?);
	}
	for ((node, rpc), old) in nodes.iter().zip(&rpcs).zip(&recorded) {
		let now = rpc.finalized().await?;
		assert!(
			now.number >= old.number,
			"{} lost finality: #{} before the crash, #{} after",
			node.config().name,
			old.number,
			now.number
		);
		let hash = rpc.block_hash(old.number).await?;
		assert_eq!(
			hash.as_deref(),
			Some(old.hash.as_str()),
			"{} kept #{}",
			node.config().name,
			old.number
		);
	}
	let highest = recorded.iter().map(|b| b.number).max().unwrap_or(0);
	for (node, rpc) in nodes.iter().zip(&rpcs) {
		wait_finalized_at_least(node, rpc, highest + 2, PROGRESS).await?;
	}
	let resumed = wait_for("a common finalized hash after restart", PROGRESS, || async {
		let fins = finalized_of(&rpcs.iter().collect::<Vec<_>>()).await?;
		let h = fins.iter().map(|b| b.number).min().unwrap_or(0);
		let mut seen = Vec::new();
		for rpc in &rpcs {
			seen.push(rpc.block_hash(h).await?);
		}
		Ok(seen.windows(2).all(|w| w[0] == w[1]).then_some(h))
	})
	.await?;
	println!("finality resumed after a full restart: all four agree on #{resumed}");
	for node in &mut nodes {
		assert!(node.is_running(), "{} is still running", node.config().name);
		node.kill();
	}
	Ok(())
}
