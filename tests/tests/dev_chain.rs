//! `veritas-node --dev`: blocks are produced and finalized, a balance transfer signed by //Alice
//! through subxt lands in a finalized block with its event, chain properties and metrics are
//! served, and a transaction with a bad signature is refused by the pool while the node keeps
//! running.

use std::time::Duration;

use anyhow::{Context, Result};
use subxt::{
	dynamic::{self, Value},
	tx::Signer,
	OnlineClient, PolkadotConfig,
};
use subxt_rpcs::rpc_params;
use subxt_signer::sr25519::dev;
use veritas_tests::{wait_finalized_at_least, Node, DEV_BLOCK_TIME_MS};

/// One whole token (12 decimals).
const UNIT: u128 = 1_000_000_000_000;
const STARTUP: Duration = Duration::from_secs(180);

fn dev_node(dir: &tempfile::TempDir) -> Result<Node> {
	Node::start_dev(dir.path().join("dev"))
}

/// Alice's free balance of `who` at the client's current block.
async fn free_balance(api: &OnlineClient<PolkadotConfig>, who: [u8; 32]) -> Result<u128> {
	#[derive(Debug, scale_decode::DecodeAsType)]
	struct AccountData {
		free: u128,
	}
	#[derive(Debug, scale_decode::DecodeAsType)]
	struct AccountInfo {
		data: AccountData,
	}
	let at = api.at_current_block().await?;
	let addr = dynamic::storage::<([u8; 32],), AccountInfo>("System", "Account");
	let info = at.storage().fetch(addr, (who,)).await?.decode()?;
	Ok(info.data.free)
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_chain_finalizes_transfers_and_refuses_bad_signatures() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let mut node = dev_node(&dir)?;
	let rpc = node.rpc(STARTUP).await?;

	// Blocks are produced and finalized by the single dev validator.
	let finalized = wait_finalized_at_least(&node, &rpc, 3, STARTUP).await?;
	assert!(finalized.number >= 3);

	// Chain properties, as every client reads them.
	let props = rpc.call("system_properties", rpc_params![]).await?;
	assert_eq!(props["tokenSymbol"], "VRT", "properties: {props}");
	assert_eq!(props["tokenDecimals"], 12, "properties: {props}");
	assert_eq!(props["ss58Format"], 42, "properties: {props}");
	let chain = rpc.call("system_chain", rpc_params![]).await?;
	assert_eq!(chain, "Veritas Development");

	// The tests' dev chain runs on a short block time: Aura's slot, as the runtime reports it,
	// and the timestamps of consecutive blocks.
	let slot = rpc.call("state_call", rpc_params!["AuraApi_slot_duration", "0x"]).await?;
	let slot = hex::decode(slot.as_str().context("hex")?.trim_start_matches("0x"))?;
	assert_eq!(u64::from_le_bytes(slot[..].try_into()?), DEV_BLOCK_TIME_MS);
	// Read through the legacy state RPC at each block's hash: a client that follows the chain
	// from the moment it connects may not know a block finalized just before.
	let now_key =
		format!("0x{}", hex::encode(veritas_chain::onchain::storage_key("Timestamp", "Now", None)));
	let mut stamps = Vec::new();
	for n in [finalized.number - 1, finalized.number] {
		let hash = rpc.block_hash(n).await?.context("a finalized block's hash")?;
		let stored = rpc.call("state_getStorage", rpc_params![now_key.clone(), hash]).await?;
		let bytes =
			hex::decode(stored.as_str().context("a stored timestamp")?.trim_start_matches("0x"))?;
		stamps.push(u64::from_le_bytes(bytes[..].try_into().context("a u64 timestamp")?));
	}
	let api = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc.client()).await?;
	let (gap, slots) =
		(stamps[1] - stamps[0], [stamps[0], stamps[1]].map(|t| t / DEV_BLOCK_TIME_MS));
	assert!(
		slots[1] > slots[0] && gap < 6000,
		"consecutive blocks {gap} ms apart, in slots {slots:?} of {DEV_BLOCK_TIME_MS} ms"
	);

	// Prometheus metrics are served.
	let metrics = ureq::get(&node.metrics_url())
		.call()
		.context("GET /metrics")?
		.into_body()
		.read_to_string()?;
	assert!(metrics.contains("substrate_block_height"), "no block height metric");

	// A transfer signed by //Alice through subxt lands in a finalized block with its event.
	let alice = dev::alice();
	let bob = dev::bob();
	let bob_id: [u8; 32] = bob.public_key().0;
	let amount = 7 * UNIT;
	let before = free_balance(&api, bob_id).await?;
	let transfer = dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(bob.public_key().to_address::<()>(), amount),
	);
	let events = api
		.at_current_block()
		.await?
		.transactions()
		.sign_and_submit_then_watch_default(&transfer, &alice)
		.await?
		.wait_for_finalized_success()
		.await?;
	let mut found = false;
	for event in events.iter() {
		let event = event?;
		if event.pallet_name() == "Balances" && event.event_name() == "Transfer" {
			let fields = event.decode_fields_unchecked_as::<Value>()?.to_string();
			assert!(fields.contains(&amount.to_string()), "transfer event fields: {fields}");
			found = true;
		}
	}
	assert!(found, "no Balances.Transfer event in the finalized block");
	let after = free_balance(&api, bob_id).await?;
	assert_eq!(after - before, amount, "Bob received exactly the amount");

	// A transaction whose signature does not match its sender is refused by the pool with an
	// RPC error, and nothing about the node changes.
	let at = api.at_current_block().await?;
	let remark = dynamic::transaction("System", "remark", (vec![1u8, 2, 3],));
	let alice_id = <subxt_signer::sr25519::Keypair as Signer<PolkadotConfig>>::account_id(&alice);
	let mut signable =
		at.transactions().create_signable(&remark, &alice_id, Default::default()).await?;
	let payload = signable.signer_payload()?;
	let forged = <subxt_signer::sr25519::Keypair as Signer<PolkadotConfig>>::sign(&bob, &payload);
	let bad = signable.sign_with_account_and_signature(&alice_id, &forged)?;
	let hex = format!("0x{}", hex_encode(bad.encoded()));
	// The pool's refusal is code 1010 (invalid transaction) with the cause in its data: a bad
	// signature (`InvalidTransaction::BadProof`), not any other invalidity (a stale nonce…).
	let refused =
		rpc.client().request::<serde_json::Value>("author_submitExtrinsic", rpc_params![hex]).await;
	let Err(subxt_rpcs::Error::User(refusal)) = refused else {
		panic!("a forged signature must be refused by the pool: {refused:?}");
	};
	let cause = refusal.data.as_ref().map(|d| d.get().to_lowercase()).unwrap_or_default();
	assert_eq!(refusal.code, 1010, "{refusal:?}");
	assert!(cause.contains("bad signature"), "refusal names the cause: {refusal:?}");
	assert!(node.is_running(), "the node survived the bad transaction");
	let later = wait_finalized_at_least(&node, &rpc, finalized.number + 2, STARTUP).await?;
	assert!(later.number > finalized.number);
	let pending = rpc.call("author_pendingExtrinsics", rpc_params![]).await?;
	assert_eq!(pending.as_array().map(Vec::len), Some(0), "nothing left in the pool");

	// L8: what the CLI, the inference node and these tests sign is mortal, for 64 blocks from
	// the current one, so it cannot be replayed once its account was reaped.
	let client = veritas_chain::connect(&node.ws_url()).await?;
	let remark = veritas_chain::EncodedCall {
		pallet: "System",
		call: "remark",
		args: veritas_chain::EncodedArgs(codec::Encode::encode(&vec![9u8; 3])),
	};
	let signed = veritas_chain::sign(&client, &alice, &remark).await?;
	match era_of(signed.encoded())? {
		subxt::utils::Era::Mortal { period, .. } => assert_eq!(period, 64),
		immortal => panic!("a client transaction must be mortal, got {immortal:?}"),
	}
	node.kill();
	Ok(())
}

/// The era of a signed v4 extrinsic of this runtime: after the length, the version byte, the
/// address (`MultiAddress::Id`) and an sr25519 `MultiSignature`, the first transaction extension
/// with bytes of its own is `CheckEra`.
fn era_of(extrinsic: &[u8]) -> Result<subxt::utils::Era> {
	use codec::Decode;
	let mut input = extrinsic;
	let len = codec::Compact::<u32>::decode(&mut input)?.0 as usize;
	anyhow::ensure!(len == input.len(), "length prefix {len} for {} bytes", input.len());
	anyhow::ensure!(input[0] == 0x84, "not a signed v4 extrinsic: version {:#x}", input[0]);
	anyhow::ensure!(input[1] == 0x00 && input[34] == 0x01, "not an Id address with sr25519");
	let mut era = &input[1 + 33 + 65..];
	Ok(subxt::utils::Era::decode(&mut era)?)
}

fn hex_encode(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}
