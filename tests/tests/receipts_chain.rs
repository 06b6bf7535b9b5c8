//! Inference receipts on the dev chain, end to end: a three-segment hybrid model (TEE → ZK → TEE)
//! is registered with a DevEnclave measurement and a Groth16 key made by `veritas-prover`; a dapp
//! requests an inference through `veritas request`; the node answers with a real receipt (enclave
//! signatures by its registered key, a real Groth16 proof of the middle segment); the fee moves
//! to the node; the result is read through the runtime API (subxt) and re-verified by
//! `veritas result --verify`. Refused, with nothing stored and the escrow still held: a second
//! answer, evidence replayed from another request, a broken commitment chain, a proof under
//! another key, a late receipt, and a receipt signed by a key whose measurement was revoked.

use std::{path::Path, time::Duration};

use anyhow::{Context, Result};
use codec::{Decode, Encode};
use serde_json::json;
use subxt_rpcs::rpc_params;
use veritas_chain::{self as chain, onchain, ChainError, Client, Finalized};
use veritas_primitives::Subject;
use veritas_prover::setup;
use veritas_tests::{
	hex32,
	receipts::{
		cli_request, dev_chain, hybrid_layers, register_enclave, register_measurement, register_vk,
		signed, sudo, CliRequest, InferenceNode, Model, Segment,
	},
	run_cli, wait_finalized_at_least, Node, Rpc,
};

const STARTUP: Duration = Duration::from_secs(180);
const IMAGE: &[u8] = b"veritas hybrid model server 1.0";
const FEE: u128 = 600_000;
const MAX_FEE: u128 = 1_000_000;
const INPUT: [i32; 4] = [3, -1, 4, 1];

/// `System.Account[who]`: (free, reserved).
async fn balance(client: &Client, who: &[u8; 32]) -> Result<(u128, u128)> {
	let at = onchain::finalized(client).await?;
	let info: Option<(u32, u32, u32, u32, u128, u128, u128, u128)> =
		onchain::fetch_sdk(&at, "System", "Account", Some(&who[..])).await?;
	let (_, _, _, _, free, reserved, _, _) = info.context("an account")?;
	Ok((free, reserved))
}

/// `veritas request` for `model`; the request id.
fn request(dir: &Path, url: &str, model: u32, ttl: u32) -> Result<u64> {
	let policy = "tee,zk,tee";
	cli_request(
		dir,
		url,
		CliRequest { model, input: &INPUT, policy, max_fee: MAX_FEE, ttl, allow: None },
	)
}

/// The runtime refused the call with the pallet error `error` (`Pallet::Error`).
fn refused(result: Result<Finalized, ChainError>, error: &str) {
	let e = result.err().expect("the receipt must be refused");
	assert!(e.is_pallet_error(error), "expected {error}: {e:?}");
}

async fn wait_blocks(rpc: &Rpc, node: &Node, n: u64) -> Result<()> {
	let now = rpc.finalized().await?.number;
	wait_finalized_at_least(node, rpc, now + n, STARTUP).await.map(|_| ())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hybrid_receipt_pays_the_node_and_reverifies_bad_ones_store_nothing() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let (mut node, rpc, client) = dev_chain(dir.path().join("dev")).await?;
	let url = node.ws_url();
	let alice = chain::signer("//Alice")?;
	let bob = chain::signer("//Bob")?;
	let (alice_id, bob_id) = (alice.public_key().0, bob.public_key().0);
	let genesis = hex32(&rpc.call("chain_getBlockHash", rpc_params![0]).await?)?;

	// The enclave image's measurement; Bob's DevEnclave registers its key for him.
	let measurement = register_measurement(&client, &alice, IMAGE).await?;
	let enclave = ed25519_zebra::SigningKey::from([0x42; 32]);
	let nonce = hex32(&rpc.call("chain_getFinalizedHead", rpc_params![]).await?)?;
	register_enclave(&client, &bob, IMAGE, measurement, &enclave, nonce).await?;

	// The middle segment's Groth16 key, made by veritas-prover and registered.
	let [first_layer, middle, last] = hybrid_layers();
	let zk = setup(&middle, [7; 32]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
	let vk_id = register_vk(&client, &alice, &zk).await?;

	// The hybrid manifest, through the CLI.
	std::fs::write(dir.path().join("hybrid.onnx"), b"three dense layers")?;
	let manifest = dir.path().join("manifest.json");
	std::fs::write(
		&manifest,
		serde_json::to_vec(&json!({
			"name": "hybrid",
			"file": "hybrid.onnx",
			"scale": 1,
			"input_shape": [4],
			"output_shape": [2],
			"segments": [
				{ "accepts": ["tee"], "measurement": format!("0x{}", hex::encode(measurement)) },
				{ "accepts": ["zk"], "vk": format!("0x{}", hex::encode(vk_id)) },
				{ "accepts": ["tee"], "measurement": format!("0x{}", hex::encode(measurement)) },
			],
		}))?,
	)?;
	let (code, out, err) = run_cli(&[
		"--url",
		&url,
		"--suri",
		"//Alice",
		"model",
		"register",
		"--manifest",
		manifest.to_str().unwrap(),
	])?;
	assert_eq!(code, Some(0), "model register: {err}");
	let id: u32 = out.split_whitespace().next().context("a model id")?.parse()?;
	let model = Model::registered(
		&client,
		id,
		vec![
			Segment { dense: first_layer, zk: None },
			Segment { dense: middle.clone(), zk: Some(zk) },
			Segment { dense: last, zk: None },
		],
	)
	.await?;

	// Bob bonds 10 VRT as an inference node.
	let bond: u128 = 10_000_000_000_000;
	let landed = signed(&client, &bob, "Settlement", "register_node", bond.encode()).await?;
	assert!(chain::event_fields(&landed.events, "Settlement", "NodeRegistered")?.is_some());
	let bob_node = InferenceNode { client: client.clone(), signer: bob.clone(), enclave, genesis };
	let answer = |request: u64, model: &Model| {
		bob_node.receipt(model, Subject::Request(request), &INPUT, FEE)
	};

	// Alice asks; the fee is escrowed with the request's storage deposit (M4).
	let first = request(dir.path(), &url, model.id, 100)?;
	let (alice_free, alice_held) = balance(&client, &alice_id).await?;
	let deposit_of = |id: u64| {
		let client = client.clone();
		async move {
			let at = onchain::finalized(&client).await?;
			let r = onchain::request(&at, id).await?;
			anyhow::Ok(r.context("an open request")?.deposit)
		}
	};
	let first_deposit = deposit_of(first).await?;
	assert!(first_deposit > 0, "a request pays for its storage");
	assert!(alice_held >= MAX_FEE + first_deposit, "the fee and the deposit are held");
	let (bob_free, bob_held) = balance(&client, &bob_id).await?;

	// Bob answers with a real receipt: verified, the fee moves to him, the rest back to Alice.
	let receipt = answer(first, &model)?;
	let landed = bob_node.submit(&receipt).await?;
	let paid = chain::event_fields(&landed.events, "TransactionPayment", "TransactionFeePaid")?
		.context("TransactionFeePaid")?;
	let tx_fee = u128::decode(&mut &paid[32..48])?;
	// Readable through the runtime API with subxt…
	let at = onchain::finalized(&client).await?;
	let (id, result) = onchain::result_of_request(&at, first).await?.context("a result")?;
	assert_eq!(
		onchain::request_status(&at, first).await?,
		onchain::RequestStatus::Answered(id, result.clone())
	);
	assert!(result.deposit > 0, "a result pays for its storage");
	let (bob_after, bob_held_after) = balance(&client, &bob_id).await?;
	assert_eq!(bob_after + bob_held_after, bob_free + bob_held + FEE - tx_fee, "Bob got the fee");
	assert_eq!(bob_held_after, bob_held + result.deposit, "the result's deposit is held");
	let (alice_after, alice_held_after) = balance(&client, &alice_id).await?;
	assert_eq!(alice_after + alice_held_after, alice_free + alice_held - FEE, "Alice paid FEE");
	assert_eq!(
		alice_held_after,
		alice_held - MAX_FEE - first_deposit,
		"the escrow and the request's deposit are released"
	);
	assert_eq!(result.receipt, receipt);
	assert_eq!(result.node, bob_id);
	assert_eq!(
		result.trust,
		vec![
			onchain::Trust::Enclave { measurement },
			onchain::Trust::Circuit { vk: vk_id },
			onchain::Trust::Enclave { measurement },
		]
	);
	// … and re-verified locally by the CLI, by request id and by receipt id.
	let (code, out, err) =
		run_cli(&["--url", &url, "result", &first.to_string(), "--verify", "--json"])?;
	assert_eq!(code, Some(0), "result --verify: {err}");
	let v: serde_json::Value = serde_json::from_str(&out)?;
	assert_eq!(v["verdict"], "valid");
	assert_eq!(v["id"], format!("0x{}", hex::encode(id)));
	assert_eq!(v["output"], json!(receipt.output));
	assert_eq!(v["segments"][1]["trust"]["circuit"], format!("0x{}", hex::encode(vk_id)));
	let (code, out, err) =
		run_cli(&["--url", &url, "result", &format!("0x{}", hex::encode(id)), "--verify"])?;
	assert_eq!(code, Some(0), "result by receipt id: {err}");
	assert!(out.contains("valid: every check re-run locally"), "{out}");
	// I1: the enclave key was registered under the development CA: named, not hidden.
	assert!(out.contains("warning: segment 0: development trust anchor"), "{out}");

	// Refused, each with nothing stored and Alice's escrow for the second request still held.
	let second = request(dir.path(), &url, model.id, 100)?;
	refused(bob_node.submit(&receipt).await, "InferenceReceipts::AlreadyAnswered");
	let mut replayed = receipt.clone();
	replayed.subject = Subject::Request(second);
	refused(bob_node.submit(&replayed).await, "InferenceReceipts::BadEnclaveSignature");
	let mut broken = answer(second, &model)?;
	broken.c_0 =
		veritas_primitives::commit(&[4], &[0, 0, 0, 0]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
	refused(bob_node.submit(&broken).await, "InferenceReceipts::BrokenCommitmentChain");
	let other_key = setup(&middle, [8; 32]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
	let mut forged = model.clone();
	forged.segments[1].zk = Some(other_key);
	refused(bob_node.submit(&answer(second, &forged)?).await, "InferenceReceipts::InvalidProof");
	// H1: another bonded node (Charlie) copies Bob's honest answer, as it would from the pool,
	// with Bob's fee or the largest allowed: refused, the evidence names Bob.
	let charlie = chain::signer("//Charlie")?;
	signed(&client, &charlie, "Settlement", "register_node", bond.encode()).await?;
	let copier = InferenceNode {
		client: client.clone(),
		signer: charlie,
		enclave: ed25519_zebra::SigningKey::from([0x43; 32]),
		genesis,
	};
	let honest = answer(second, &model)?;
	for fee in [FEE, MAX_FEE] {
		let copy = veritas_chain::onchain::Receipt { fee, ..honest.clone() };
		refused(copier.submit(&copy).await, "InferenceReceipts::KeyOfAnotherNode");
	}
	let (_, held) = balance(&client, &alice_id).await?;
	let second_deposit = deposit_of(second).await?;
	assert_eq!(held, alice_held_after + MAX_FEE + second_deposit, "the second escrow is held");
	let (code, _, err) = run_cli(&["--url", &url, "result", &second.to_string()])?;
	assert_eq!(code, Some(1), "no result for the second request");
	assert!(err.contains(&format!("request {second} is open until block")), "{err}");

	// A late receipt: the request's deadline (1 block) passes first; on_idle then removes the
	// request and gives Alice its escrow and deposit back (M4), without anyone calling.
	let late = request(dir.path(), &url, model.id, 1)?;
	let (_, held_with_late) = balance(&client, &alice_id).await?;
	let late_deposit = deposit_of(late).await?;
	wait_blocks(&rpc, &node, 3).await?;
	refused(bob_node.submit(&answer(late, &model)?).await, "InferenceReceipts::LateReceipt");
	let at = onchain::finalized(&client).await?;
	assert_eq!(onchain::request_status(&at, late).await?, onchain::RequestStatus::Pruned);
	assert_eq!(onchain::request_status(&at, late + 1).await?, onchain::RequestStatus::Unknown);
	let (_, held) = balance(&client, &alice_id).await?;
	assert_eq!(held, held_with_late - MAX_FEE - late_deposit, "refunded on idle");
	let (code, _, err) = run_cli(&["--url", &url, "result", &late.to_string()])?;
	assert_eq!(code, Some(1));
	assert!(err.contains("expired unanswered, or its result was pruned"), "{err}");

	// The measurement's owner cannot switch the model off (M1); governance can revoke it, and
	// then Bob's key is no longer valid.
	let kept =
		signed(&client, &alice, "EnclaveRegistry", "revoke_measurement", measurement.encode())
			.await;
	refused(kept, "EnclaveRegistry::MeasurementInUse");
	sudo(&client, &alice, "EnclaveRegistry", "revoke_measurement", measurement.encode()).await?;
	refused(
		bob_node.submit(&answer(second, &model)?).await,
		"InferenceReceipts::InvalidEnclaveKey",
	);
	let (code, _, _) = run_cli(&["--url", &url, "result", &second.to_string()])?;
	assert_eq!(code, Some(1), "still no result for the second request");

	assert!(node.is_running(), "the node survived: {}", node.log_tail(30));
	node.kill();
	Ok(())
}
