//! Load benchmark (not a test): verified receipts per block on a dev chain, by evidence type.
//!
//! Starts a real dev node, registers an enclave key (DevEnclave), a Groth16 key
//! (`veritas-prover`) and three models (one TEE segment; one ZK segment; TEE → ZK → TEE), bonds
//! an inference node, then, for each scenario, submits direct receipts as fast as the pool takes
//! them and reads back, block by block, how many `ReceiptVerified` events each block holds and
//! how much of the block's normal weight it used:
//! - `tee`: batches of 64 one-segment TEE receipts (`submit_receipts`);
//! - `zk-single`: one-segment ZK receipts one by one (`submit_receipt`);
//! - `zk-batch`: batches of 32 ZK receipts (one Groth16 batch verification each);
//! - `hybrid`: batches of 32 three-segment receipts.
//!
//! Usage: `receipts-load [SCENARIO=COUNT]...` (defaults: tee=12800 zk-single=1200
//! zk-batch=3200 hybrid=1600). `scripts/bench-receipts.sh` builds and runs it. The node is
//! `$VERITAS_NODE_BIN` (e.g. a release node); its database goes to a temporary directory, or to
//! `$VERITAS_LOAD_BASE_PATH`, which is kept (`scripts/bench-storage.sh` measures the storage
//! weights on the state it leaves). It exits non-zero, naming the scenario, when any submitted
//! receipt was not verified within a minute of the last progress.
//!
//! Per scenario it prints the receipts verified, the blocks they took, the most in one block and
//! the median over the full blocks (every block holding receipts but the scenario's last), the
//! normal weight of the fullest block, and the time the node took to build the blocks holding
//! receipts, read from its own log ("Prepared block for proposing at N (T ms)"): median and
//! maximum, against the 1.5 s of execution a full block's normal weight declares.

use std::{collections::BTreeMap, time::Duration};

use anyhow::{bail, Context, Result};
use codec::{Decode, Encode};
use subxt::{config::DefaultExtrinsicParamsBuilder, PolkadotConfig};
use subxt_rpcs::rpc_params;
use veritas_chain::{
	self as chain,
	onchain::{self, Receipt},
	pallets, Client, EncodedArgs, EncodedCall, Manifest,
};
use veritas_primitives::{EvidenceKind, EvidenceSet, SegmentSpec, Subject};
use veritas_tests::{
	hex32,
	receipts::{
		dev_chain_with_block_time, event_u32, register_enclave, register_measurement, register_vk,
		signed, InferenceNode, Model, Segment,
	},
	Rpc,
};

const IMAGE: &[u8] = b"veritas load benchmark server";
/// The normal class's share (75 %) of the 2 s of compute per block.
const NORMAL_REF_TIME: u128 = 1_500_000_000_000;

/// A block's consumed weight per class (`System.BlockWeight`).
#[derive(Decode)]
struct Weight {
	#[codec(compact)]
	ref_time: u64,
	#[codec(compact)]
	_proof_size: u64,
}

struct Scenario {
	name: &'static str,
	count: usize,
	batch: usize,
}

fn scenarios() -> Result<Vec<Scenario>> {
	let mut counts: BTreeMap<String, usize> =
		[("tee", 12_800), ("zk-single", 1_200), ("zk-batch", 3_200), ("hybrid", 1_600)]
			.into_iter()
			.map(|(k, v)| (k.to_string(), v))
			.collect();
	for arg in std::env::args().skip(1) {
		let (k, v) = arg.split_once('=').context("arguments are SCENARIO=COUNT")?;
		if !counts.contains_key(k) {
			bail!("unknown scenario {k} (tee, zk-single, zk-batch, hybrid)");
		}
		counts.insert(k.to_string(), v.parse().context("a count")?);
	}
	Ok([("tee", 64), ("zk-single", 1), ("zk-batch", 32), ("hybrid", 32)]
		.into_iter()
		.map(|(name, batch)| Scenario { name, count: counts[name], batch })
		.filter(|s| s.count > 0)
		.collect())
}

async fn register_model(
	client: &Client,
	owner: &subxt_signer::sr25519::Keypair,
	name: &str,
	segments: Vec<SegmentSpec>,
	shapes: (u32, u32),
) -> Result<u32> {
	let manifest = Manifest {
		name: name.as_bytes().to_vec(),
		file_hash: [7; 32],
		scale: 1,
		input_shape: vec![shapes.0],
		output_shape: vec![shapes.1],
		segments,
		development: false,
	};
	let landed = signed(client, owner, "Models", "register_model", manifest.encode()).await?;
	event_u32(&landed, "Models", "ModelRegistered")
}

/// How many submissions are in flight at once.
const IN_FLIGHT: usize = 32;

/// Signs all `calls` from `signer` with consecutive nonces first, then submits them
/// [`IN_FLIGHT`] at a time without waiting for inclusion, so that the transaction pool, not this
/// client's round trips, is what a block can draw on.
async fn flood(
	client: &Client,
	signer: &subxt_signer::sr25519::Keypair,
	calls: Vec<EncodedCall>,
) -> Result<()> {
	let at = onchain::finalized(client).await?;
	let mut txs = at.transactions();
	let account = signer.public_key().to_account_id();
	let mut nonce = txs.account_nonce(&account).await?;
	let mut signed = Vec::with_capacity(calls.len());
	for call in &calls {
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		signed.push(txs.create_signed(call, signer, params).await?);
		nonce += 1;
	}
	let mut in_flight = tokio::task::JoinSet::new();
	for tx in signed {
		if in_flight.len() >= IN_FLIGHT {
			in_flight.join_next().await.context("a submission")???;
		}
		in_flight.spawn(async move { tx.submit().await.map(|_| ()) });
	}
	while let Some(done) = in_flight.join_next().await {
		done??;
	}
	Ok(())
}

/// Receipts verified and normal weight used, block by block from `from` to the finalized head.
async fn blocks(rpc: &Rpc, client: &Client, from: u64) -> Result<Vec<(u64, usize, u64)>> {
	let head = rpc.finalized().await?.number;
	let mut out = Vec::new();
	for n in from..=head {
		out.push(block(rpc, client, n).await?);
	}
	Ok(out)
}

/// Receipts verified and normal weight used in block `n`.
async fn block(rpc: &Rpc, client: &Client, n: u64) -> Result<(u64, usize, u64)> {
	let hash = rpc.call("chain_getBlockHash", rpc_params![n]).await?;
	let hash = hex32(&hash)?;
	let at = client.at_block(subxt::utils::H256(hash)).await?;
	let events = at.events().fetch().await?;
	let verified = events
		.iter()
		.filter_map(Result::ok)
		.filter(|e| e.pallet_name() == "InferenceReceipts" && e.event_name() == "ReceiptVerified")
		.count();
	let weight: Option<(Weight, Weight, Weight)> =
		onchain::fetch_sdk(&at, "System", "BlockWeight", None).await?;
	Ok((n, verified, weight.map_or(0, |w| w.0.ref_time)))
}

/// The middle value of `values` (the upper one of an even count), if any.
fn median<T: Copy + Ord>(values: &[T]) -> Option<T> {
	let mut sorted = values.to_vec();
	sorted.sort();
	sorted.get(sorted.len() / 2).copied()
}

/// Each block's build time in milliseconds, from the node's log lines "Prepared block for
/// proposing at N (T ms)" (Substrate's block authorship, logged at info).
fn prepared_ms(log: &str) -> BTreeMap<u64, u64> {
	const MARK: &str = "Prepared block for proposing at ";
	log.lines()
		.filter_map(|line| {
			let rest = &line[line.find(MARK)? + MARK.len()..];
			let (number, rest) = rest.split_once(" (")?;
			let (ms, _) = rest.split_once(" ms)")?;
			Some((number.trim().parse().ok()?, ms.trim().parse().ok()?))
		})
		.collect()
}

#[tokio::main]
async fn main() -> Result<()> {
	let scenarios = scenarios()?;
	let dir = tempfile::tempdir()?;
	let base_path = match std::env::var_os("VERITAS_LOAD_BASE_PATH") {
		Some(kept) => std::path::PathBuf::from(kept),
		None => dir.path().join("dev"),
	};
	// The production block time: a block's capacity is what this measures.
	let (node, rpc, client) = dev_chain_with_block_time(base_path, None).await?;
	let node_log = node.config().base_path.join("node.log");
	let alice = chain::signer("//Alice")?;
	let bob = chain::signer("//Bob")?;
	let bob_id = bob.public_key().0;

	eprintln!("setting up: measurement, enclave key, Groth16 key, models, node bond");
	let measurement = register_measurement(&client, &alice, IMAGE).await?;
	let enclave = ed25519_zebra::SigningKey::from([0x42; 32]);
	let head = rpc.call("chain_getFinalizedHead", rpc_params![]).await?;
	let nonce = hex32(&head)?;
	register_enclave(&client, &bob, IMAGE, measurement, &enclave, nonce).await?;
	let [tee_layer, zk_layer, last_layer] = veritas_tests::receipts::hybrid_layers();
	let zk = veritas_prover::setup(&zk_layer, [7; 32]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
	let vk = register_vk(&client, &alice, &zk).await?;
	let tee_spec = SegmentSpec {
		accepts: EvidenceSet::of(&[EvidenceKind::Tee]),
		vk: None,
		measurement: Some(measurement),
	};
	let zk_spec = SegmentSpec {
		accepts: EvidenceSet::of(&[EvidenceKind::Zk]),
		vk: Some(vk),
		measurement: None,
	};
	let tee_only = Model::registered(
		&client,
		register_model(&client, &alice, "tee", vec![tee_spec.clone()], (4, 4)).await?,
		vec![Segment { dense: tee_layer.clone(), zk: None }],
	)
	.await?;
	let zk_only = Model::registered(
		&client,
		register_model(&client, &alice, "zk", vec![zk_spec.clone()], (4, 3)).await?,
		vec![Segment { dense: zk_layer.clone(), zk: Some(zk.clone()) }],
	)
	.await?;
	let hybrid = Model::registered(
		&client,
		register_model(
			&client,
			&alice,
			"hybrid",
			vec![tee_spec.clone(), zk_spec, tee_spec],
			(4, 2),
		)
		.await?,
		vec![
			Segment { dense: tee_layer, zk: None },
			Segment { dense: zk_layer, zk: Some(zk) },
			Segment { dense: last_layer, zk: None },
		],
	)
	.await?;
	signed(&client, &bob, "Settlement", "register_node", 10_000_000_000_000u128.encode()).await?;
	let genesis = chain::genesis(&client);
	let bob_node = InferenceNode { client: client.clone(), signer: bob.clone(), enclave, genesis };

	let mut next_nonce = 0u64;
	println!(
		"scenario   receipts  blocks  max/block  median/full block  normal weight of the fullest  build ms median/max (of 1500)"
	);
	let mut lost = Vec::new();
	for s in scenarios {
		let model = match s.name {
			"tee" => &tee_only,
			"hybrid" => &hybrid,
			_ => &zk_only,
		};
		eprintln!("{}: making {} receipts", s.name, s.count);
		let receipts: Vec<Receipt> = (0..s.count)
			.map(|i| {
				let subject = Subject::Direct { node: bob_id, nonce: next_nonce + i as u64 };
				let input = [i as i32, -(i as i32), 3, 1];
				bob_node.receipt(model, subject, &input, 0)
			})
			.collect::<Result<_>>()?;
		next_nonce += s.count as u64;
		let calls: Vec<EncodedCall> = receipts
			.chunks(s.batch)
			.map(|chunk| {
				if s.batch == 1 {
					EncodedCall {
						pallet: pallets::RECEIPTS,
						call: "submit_receipt",
						args: EncodedArgs(chunk[0].encode()),
					}
				} else {
					EncodedCall {
						pallet: pallets::RECEIPTS,
						call: "submit_receipts",
						args: EncodedArgs(chunk.to_vec().encode()),
					}
				}
			})
			.collect();
		let start = rpc.finalized().await?.number + 1;
		eprintln!("{}: submitting {} extrinsics", s.name, calls.len());
		flood(&client, &bob, calls).await?;
		// Wait until every receipt is in a finalized block (or nothing moves for a minute),
		// reading each finalized block once.
		let mut per_block = Vec::new();
		let mut seen = 0;
		let mut last_change = std::time::Instant::now();
		while seen < s.count && last_change.elapsed() < Duration::from_secs(60) {
			tokio::time::sleep(Duration::from_secs(6)).await;
			let next = start + per_block.len() as u64;
			per_block.extend(blocks(&rpc, &client, next).await?);
			let now: usize = per_block.iter().map(|b| b.1).sum();
			if now > seen {
				(seen, last_change) = (now, std::time::Instant::now());
			}
		}
		let filled: Vec<_> = per_block.iter().filter(|b| b.1 > 0).collect();
		let best = filled.iter().max_by_key(|b| b.1).copied().copied().unwrap_or((0, 0, 0));
		// Full blocks: all but the last block holding receipts (the remainder).
		let full: Vec<usize> =
			filled.iter().take(filled.len().saturating_sub(1)).map(|b| b.1).collect();
		let built = prepared_ms(&std::fs::read_to_string(&node_log).unwrap_or_default());
		let build_ms: Vec<u64> = filled.iter().filter_map(|b| built.get(&b.0).copied()).collect();
		if build_ms.len() < filled.len() {
			eprintln!(
				"{}: the node's log gives the build time of {} of {} blocks",
				s.name,
				build_ms.len(),
				filled.len()
			);
		}
		println!(
			"{:<10} {:>8}  {:>6}  {:>9}  {:>17}  {:.1} % ({} of {} ps)  {} / {}",
			s.name,
			seen,
			filled.len(),
			best.1,
			median(&full).map_or_else(|| "-".into(), |m| m.to_string()),
			best.2 as f64 * 100.0 / NORMAL_REF_TIME as f64,
			best.2,
			NORMAL_REF_TIME,
			median(&build_ms).map_or_else(|| "-".into(), |m| m.to_string()),
			build_ms.iter().max().map_or_else(|| "-".into(), |m| m.to_string()),
		);
		for (n, verified, weight) in &filled {
			let took = built.get(n).map_or_else(|| "?".into(), |ms| ms.to_string());
			eprintln!(
				"  block {n}: {verified} receipts, normal weight {weight} ps, built in {took} ms"
			);
		}
		if seen < s.count {
			lost.push(format!("{}: only {seen} of {} receipts verified", s.name, s.count));
		}
	}
	// A load test that lost receipts did not measure what it says: fail, naming each loss.
	anyhow::ensure!(lost.is_empty(), "receipts lost: {}", lost.join("; "));
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn build_times_are_read_from_the_node_log_and_other_lines_ignored() {
		let log =
			"2026-12-06 12:00:01 🎁 Prepared block for proposing at 41 (1287 ms) hash: 0xab; \
			parent_hash: 0xcd; end: NoMoreTransactions; extrinsics_count: 65\n\
			2026-12-06 12:00:02 ✨ Imported #41 (0xab → 0xef)\n\
			2026-12-06 12:00:07 🎁 Prepared block for proposing at 42 (3 ms) hash: 0x01; ...\n\
			garbage Prepared block for proposing at x (y ms)\n";
		let times = prepared_ms(log);
		assert_eq!(times, BTreeMap::from([(41, 1287), (42, 3)]));
	}

	#[test]
	fn the_median_is_the_middle_value() {
		assert_eq!(median::<u64>(&[]), None);
		assert_eq!(median(&[5]), Some(5));
		assert_eq!(median(&[9, 1, 5]), Some(5));
		assert_eq!(median(&[4, 1, 3, 2]), Some(3));
	}
}
