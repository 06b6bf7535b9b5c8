//! H1's attacker, for real: a bonded node that watches the transaction pool, and copies every
//! receipt another node submits into transactions of its own, once unchanged and once asking a
//! lower fee, with a tip so that the pool orders its copies first. A settlement layer whose
//! receipts are bound to their submitter refuses every copy, and the honest node is paid.
//!
//! The copier reads `author_pendingExtrinsics` every 50 ms, decodes each extrinsic against the
//! chain's metadata (`frame-decode`), and signs its copies with its own account.

use std::{collections::HashSet, time::Duration};

use anyhow::{Context, Result};
use codec::{Decode, Encode};
use subxt::{config::DefaultExtrinsicParamsBuilder, PolkadotConfig};
use subxt_rpcs::rpc_params;
use subxt_signer::sr25519::Keypair;
use tokio::{sync::watch, task::JoinHandle};
use veritas_chain::{
	self as chain, onchain::Receipt, pallets, ChainError, Client, EncodedArgs, EncodedCall,
};

use crate::Rpc;

/// The tip of every copy: enough to be ordered before the honest node's transaction.
const TIP: u128 = 1_000_000_000;

/// What the copier did.
#[derive(Debug, Default)]
pub struct Copies {
	/// Receipt calls of other accounts seen in the pool.
	pub seen: usize,
	/// How each copy ended: `Ok` if it landed (the attack worked), else the chain's error.
	pub outcomes: Vec<Result<(), ChainError>>,
}

/// A running copier.
pub struct Copier {
	stop: watch::Sender<bool>,
	task: JoinHandle<Result<Copies>>,
}

impl Copier {
	/// Starts copying, as `who` (a bonded node), every receipt call in the pool of the node
	/// `rpc` and `client` speak to.
	pub fn start(client: Client, rpc: Rpc, who: Keypair) -> Self {
		let (stop, stopped) = watch::channel(false);
		let task = tokio::spawn(copy_until(client, rpc, who, stopped));
		Self { stop, task }
	}

	/// Stops looking and returns what it did, once every copy sent has ended.
	pub async fn finish(self) -> Result<Copies> {
		let _ = self.stop.send(true);
		self.task.await.context("the copier task")?
	}
}

async fn copy_until(
	client: Client,
	rpc: Rpc,
	who: Keypair,
	stopped: watch::Receiver<bool>,
) -> Result<Copies> {
	let mut copies = Copies::default();
	let mut seen = HashSet::new();
	let mut sent = Vec::new();
	let own = who.public_key().0;
	while !*stopped.borrow() {
		let pending = rpc.call("author_pendingExtrinsics", rpc_params![]).await?;
		for hex in pending.as_array().context("a list of extrinsics")? {
			let bytes = hex::decode(hex.as_str().context("hex")?.trim_start_matches("0x"))?;
			if !seen.insert(<sha2::Sha256 as sha2::Digest>::digest(&bytes)) {
				continue;
			}
			let Some(call) = receipt_call(&client, &bytes, &own).await? else { continue };
			copies.seen += 1;
			for args in [call.args.0.clone(), lower_fee(&call)?] {
				let copy =
					EncodedCall { pallet: call.pallet, call: call.call, args: EncodedArgs(args) };
				// Submitted now, while the original waits in the pool; awaited at the end.
				let progress = sign_with_tip(&client, &who, &copy).await?;
				sent.push((copy, progress));
			}
		}
		tokio::time::sleep(Duration::from_millis(50)).await;
	}
	for (copy, progress) in sent {
		let outcome = match progress {
			Ok(progress) => chain::wait_finalized(progress, &copy).await.map(|_| ()),
			Err(e) => Err(e),
		};
		copies.outcomes.push(outcome);
	}
	Ok(copies)
}

/// The `InferenceReceipts.submit_receipt(s)` call of a pool extrinsic not signed by `own`.
async fn receipt_call(
	client: &Client,
	bytes: &[u8],
	own: &[u8; 32],
) -> Result<Option<EncodedCall>> {
	let at = client.at_current_block().await.context("the chain's head")?;
	let metadata = at.metadata();
	let ext =
		frame_decode::extrinsics::decode_extrinsic(&mut &bytes[..], &*metadata, metadata.types())
			.map_err(|e| anyhow::anyhow!("a pool extrinsic does not decode: {e:?}"))?;
	if ext.pallet_name() != pallets::RECEIPTS || !ext.is_signed() {
		return Ok(None);
	}
	let call = match ext.call_name() {
		"submit_receipt" => "submit_receipt",
		"submit_receipts" => "submit_receipts",
		_ => return Ok(None),
	};
	// The signer: a `MultiAddress::Id` (variant 0, then the 32-byte account).
	let address = ext.signature_payload().map(|s| &bytes[s.address_range()]);
	if address.is_some_and(|a| a.get(1..33) == Some(&own[..])) {
		return Ok(None);
	}
	let args = bytes[ext.call_data_args_range()].to_vec();
	Ok(Some(EncodedCall { pallet: pallets::RECEIPTS, call, args: EncodedArgs(args) }))
}

/// The same receipts asking one unit less each (the fee is not the evidence's to decide, the
/// copier hopes).
fn lower_fee(call: &EncodedCall) -> Result<Vec<u8>> {
	let lower = |mut r: Receipt| {
		r.fee = r.fee.saturating_sub(1);
		r
	};
	let mut input = &call.args.0[..];
	Ok(if call.call == "submit_receipt" {
		lower(Receipt::decode(&mut input)?).encode()
	} else {
		Vec::<Receipt>::decode(&mut input)?.into_iter().map(lower).collect::<Vec<_>>().encode()
	})
}

/// Signs `call` as `who` with [`TIP`] and submits it; the transaction being watched, or the
/// pool's refusal.
async fn sign_with_tip(
	client: &Client,
	who: &Keypair,
	call: &EncodedCall,
) -> Result<Result<chain::Watching, ChainError>> {
	let nonce = chain::next_nonce(client, who.public_key().0).await?;
	let at = client.at_current_block().await.context("the chain's head")?;
	let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
		.nonce(nonce)
		.mortal(chain::MORTAL_BLOCKS)
		.tip(TIP)
		.build();
	let signed = at
		.transactions()
		.create_signed(call, who, params)
		.await
		.with_context(|| format!("signing a copy of {}", call.name()))?;
	Ok(chain::submit_watch(&signed, call).await)
}
