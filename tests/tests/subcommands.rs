//! The standard subcommands on a real RocksDB database: export-blocks, revert, purge-chain,
//! import-blocks, check-block, chain-info.

use std::time::Duration;

use anyhow::{ensure, Result};
use veritas_tests::{dev_chain_args, run_node_command, wait_finalized_at_least, Node};

const STARTUP: Duration = Duration::from_secs(180);

/// Runs a subcommand against the dev chain at `base`; fails with its output unless it exits 0.
/// `--dev` stands for the tests' development chain ([`dev_chain_args`]: its block time is part
/// of its genesis).
fn node_cmd(args: &[&str]) -> Result<String> {
	let dev = dev_chain_args();
	let args: Vec<&str> = args
		.iter()
		.flat_map(|a| if *a == "--dev" { vec![dev[0].as_str(), dev[1].as_str()] } else { vec![*a] })
		.collect();
	let args = &args[..];
	let (code, stdout, stderr) = run_node_command(args)?;
	ensure!(code == Some(0), "veritas-node {args:?} exited {code:?}: {stderr}");
	Ok(format!("{stdout}{stderr}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn blocks_round_trip_through_export_purge_import_and_check() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let base = dir.path().join("dev");
	let b = base.to_str().unwrap();
	let mut node = Node::start_dev(base.clone())?;
	let rpc = node.rpc(STARTUP).await?;
	wait_finalized_at_least(&node, &rpc, 4, STARTUP).await?;
	let hash_3 = rpc.block_hash(3).await?.expect("block #3");
	drop(rpc);
	node.kill();

	let exported = dir.path().join("blocks.bin");
	let e = exported.to_str().unwrap();
	node_cmd(&[
		"export-blocks",
		"--dev",
		"--base-path",
		b,
		"--binary",
		"--from",
		"1",
		"--to",
		"4",
		e,
	])?;
	assert!(std::fs::metadata(&exported)?.len() > 0, "blocks were exported");

	node_cmd(&["revert", "--dev", "--base-path", b, "1"])?;

	let db = base.join("chains/veritas_dev/db");
	assert!(db.exists());
	node_cmd(&["purge-chain", "--dev", "--base-path", b, "-y"])?;
	assert!(!db.join("full").exists(), "purge-chain removed the database");

	let imported = node_cmd(&["import-blocks", "--dev", "--base-path", b, "--binary", e])?;
	assert!(imported.contains("Imported") || imported.contains("imported"), "{imported}");
	node_cmd(&["check-block", "--dev", "--base-path", b, "3"])?;
	// The re-imported chain is the same chain: block #3 has the same hash.
	node_cmd(&["check-block", "--dev", "--base-path", b, &hash_3])?;

	// The best block is the last one imported (blocks 1 to 4 were exported and imported).
	let info = node_cmd(&["chain-info", "--dev", "--base-path", b])?;
	assert!(info.contains("\"best_number\": 4"), "{info}");
	Ok(())
}
