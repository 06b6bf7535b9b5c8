//! Groth16 on the dev chain through the `veritas` CLI, end to end: a snarkjs key (64 public
//! inputs) registered with `veritas vk register` under the id `veritas groth16 vk-id` computes
//! offline; a valid proof verified in a finalized block whose events hold its `ProofVerified`;
//! a tampered proof (A negated) refused with `InvalidProof`, leaving the stored key as it was
//! while its sender still pays the fee; a malformed proof refused by the CLI before anything is
//! signed.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use subxt::{dynamic, utils::H256 as SubxtH256, OnlineClient, PolkadotConfig};
use veritas_tests::{fixture, run_cli, wait_finalized_at_least, Node};
use veritas_verifier_groth16::{
	decode::{arkworks, snarkjs},
	Groth16, Proof,
};
use veritas_verifier_traits::{statement_hash, H256};

const STARTUP: Duration = Duration::from_secs(180);
const VK: &str = "many_inputs/verification_key.json";
const PROOF: &str = "many_inputs/proof.json";
const PUBLIC: &str = "many_inputs/public.json";

/// Alice's account id (//Alice, sr25519).
fn alice() -> [u8; 32] {
	subxt_signer::sr25519::dev::alice().public_key().0
}

/// `(free balance, nonce)` of `who` at the client's current block.
async fn account(api: &OnlineClient<PolkadotConfig>, who: [u8; 32]) -> Result<(u128, u32)> {
	#[derive(Debug, scale_decode::DecodeAsType)]
	struct AccountData {
		free: u128,
	}
	#[derive(Debug, scale_decode::DecodeAsType)]
	struct AccountInfo {
		nonce: u32,
		data: AccountData,
	}
	let at = api.at_current_block().await?;
	let addr = dynamic::storage::<([u8; 32],), AccountInfo>("System", "Account");
	let info = at.storage().fetch(addr, (who,)).await?.decode()?;
	Ok((info.data.free, info.nonce))
}

/// The raw SCALE bytes stored under `Groth16Verifier.Vks[id]`, if any.
async fn stored_key(api: &OnlineClient<PolkadotConfig>, id: [u8; 32]) -> Result<Option<Vec<u8>>> {
	let at = api.at_current_block().await?;
	let addr = dynamic::storage::<([u8; 32],), dynamic::Value>("Groth16Verifier", "Vks");
	match at.storage().try_fetch(addr, (id,)).await? {
		Some(value) => Ok(Some(value.into_bytes())),
		None => Ok(None),
	}
}

/// `(vk_id, statement)` of every `Groth16Verifier.ProofVerified` event in block `hash`.
async fn proofs_verified_in(
	api: &OnlineClient<PolkadotConfig>,
	hash: SubxtH256,
) -> Result<Vec<([u8; 32], [u8; 32])>> {
	let at = api.at_block(hash).await?;
	let mut found = Vec::new();
	for event in at.events().fetch().await?.iter() {
		let event = event?;
		if event.pallet_name() == "Groth16Verifier" && event.event_name() == "ProofVerified" {
			let f = event.field_bytes();
			let mut vk_id = [0u8; 32];
			let mut statement = [0u8; 32];
			vk_id.copy_from_slice(&f[..32]);
			statement.copy_from_slice(&f[32..64]);
			found.push((vk_id, statement));
		}
	}
	Ok(found)
}

fn parse_hex32(s: &str) -> Result<[u8; 32]> {
	let bytes = hex::decode(s.trim().trim_start_matches("0x")).context("hex")?;
	bytes.try_into().map_err(|_| anyhow::anyhow!("not 32 bytes: {s}"))
}

/// The word after `label` in the CLI's output.
fn after<'a>(out: &'a str, label: &str) -> Result<&'a str> {
	out.split(label)
		.nth(1)
		.and_then(|rest| rest.split_whitespace().next())
		.with_context(|| format!("no {label:?} in {out:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn snarkjs_key_registered_valid_proof_verified_tampered_proof_refused() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let mut node = Node::start_dev(dir.path().join("dev"))?;
	let rpc = node.rpc(STARTUP).await?;
	wait_finalized_at_least(&node, &rpc, 1, STARTUP).await?;
	let url = node.ws_url();
	let (vk, proof, public) = (fixture(VK), fixture(PROOF), fixture(PUBLIC));
	let (vk, proof, public) =
		(vk.to_str().unwrap(), proof.to_str().unwrap(), public.to_str().unwrap());

	// The id, offline.
	let (code, out, err) = run_cli(&["groth16", "vk-id", "--vk", vk])?;
	assert_eq!(code, Some(0), "vk-id: {err}");
	let offline_id = parse_hex32(&out)?;

	// Registered on chain under the same id, stored.
	let (code, out, err) =
		run_cli(&["--url", &url, "--suri", "//Alice", "vk", "register", "--vk", vk])?;
	assert_eq!(code, Some(0), "vk register: {out} {err}");
	assert_eq!(parse_hex32(&out)?, offline_id, "the chain's id is the offline id");
	let id_hex = format!("0x{}", hex::encode(offline_id));
	let api = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc.client()).await?;
	let key_before = stored_key(&api, offline_id).await?.context("the key is stored")?;

	// A valid proof: verified in a finalized block that holds its event.
	let (code, out, err) = run_cli(&[
		"--url", &url, "--suri", "//Alice", "proof", "submit", "--vk-id", &id_hex, "--proof",
		proof, "--inputs", public,
	])?;
	assert_eq!(code, Some(0), "proof submit: {out} {err}");
	let statement = parse_hex32(after(&out, "statement")?)?;
	let block = parse_hex32(after(&out, "block")?)?;
	let pubs = snarkjs::public_inputs(&std::fs::read(public)?)?;
	let expected = statement_hash::<Groth16>(&H256(offline_id), &pubs);
	assert_eq!(statement, expected.0, "the statement hashes the key id and the inputs");
	let finalized: SubxtH256 = serde_json::from_value(
		rpc.call("chain_getFinalizedHead", subxt_rpcs::rpc_params![]).await?,
	)?;
	let finalized_number = rpc.finalized().await?.number;
	let block_number = rpc
		.call("chain_getHeader", subxt_rpcs::rpc_params![format!("0x{}", hex::encode(block))])
		.await?["number"]
		.as_str()
		.map(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16))
		.context("header number")??;
	assert!(block_number <= finalized_number, "block {block_number} is finalized ({finalized:?})");
	let events = proofs_verified_in(&api, SubxtH256(block)).await?;
	assert_eq!(events, vec![(offline_id, expected.0)], "the block's ProofVerified event");

	// A tampered proof (A negated, a valid point, written in arkworks' encoding): refused with
	// its error; the key is unchanged; the fee is paid.
	let mut ark = snarkjs::proof(&std::fs::read(proof)?)?.to_ark()?;
	ark.a = -ark.a;
	let tampered = Proof::from_ark(&ark)?;
	let tampered_path = dir.path().join("tampered.bin");
	std::fs::write(&tampered_path, arkworks::encode_proof(&tampered, arkworks::Compression::No)?)?;
	let (free_before, nonce_before) = account(&api, alice()).await?;
	let (code, out, err) = run_cli(&[
		"--url",
		&url,
		"--suri",
		"//Alice",
		"proof",
		"submit",
		"--vk-id",
		&id_hex,
		"--proof",
		tampered_path.to_str().unwrap(),
		"--inputs",
		public,
		"--format",
		"arkworks",
	])?;
	assert_eq!(code, Some(1), "a tampered proof is refused: {out} {err}");
	assert!(err.contains("Groth16Verifier::InvalidProof"), "the error is named: {err}");
	let (free_after, nonce_after) = account(&api, alice()).await?;
	assert_eq!(nonce_after, nonce_before + 1, "the refused transaction was included");
	assert!(free_after < free_before, "the fee was paid ({free_before} → {free_after})");
	assert_eq!(stored_key(&api, offline_id).await?, Some(key_before), "the key is unchanged");

	// A malformed proof never reaches the chain.
	let truncated = dir.path().join("truncated.json");
	let text = std::fs::read_to_string(proof)?;
	std::fs::write(&truncated, &text[..text.len() / 2])?;
	let (code, _, err) = run_cli(&[
		"--url",
		&url,
		"--suri",
		"//Alice",
		"proof",
		"submit",
		"--vk-id",
		&id_hex,
		"--proof",
		truncated.to_str().unwrap(),
		"--inputs",
		public,
	])?;
	assert_eq!(code, Some(2), "malformed input is exit 2: {err}");
	assert_eq!(account(&api, alice()).await?.1, nonce_after, "nothing was signed");

	if !node.is_running() {
		bail!("the node stopped: {}", node.log_tail(40));
	}
	node.kill();
	Ok(())
}
