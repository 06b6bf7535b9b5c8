//! Signing, submitting and waiting until a call is in a finalized block, and its events.

use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	error::{
		BackendError, DispatchError, ExtrinsicError, RpcError, TransactionEventsError,
		TransactionFinalizedSuccessError, TransactionProgressError,
	},
	extrinsics::ExtrinsicEvents,
	PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

use crate::{client, ChainError, Client, EncodedCall};

/// A call that succeeded in a finalized block.
pub struct Finalized {
	/// The finalized block that holds it.
	pub block_hash: [u8; 32],
	/// Its events.
	pub events: ExtrinsicEvents<PolkadotConfig>,
}

/// A signed transaction, not submitted yet: its hash is known before it reaches the chain (an
/// inference node records it before submitting, so a restart can tell whether it landed).
pub type Signed = subxt::transactions::SubmittableTransaction<
	PolkadotConfig,
	subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
>;

/// How many blocks a signed transaction stays valid, from the block it was signed at: mortal, so
/// that it cannot be replayed after its account was reaped and its nonce restarted at 0.
pub const MORTAL_BLOCKS: u64 = 64;

/// Signs `call` with `signer` (the pool-aware [`client::next_nonce`], an era of
/// [`MORTAL_BLOCKS`] from the current block) without submitting it; its hash is `signed.hash()`.
pub async fn sign(
	client: &Client,
	signer: &Keypair,
	call: &EncodedCall,
) -> Result<Signed, ChainError> {
	let nonce = client::next_nonce(client, signer.public_key().0).await?;
	let at = client
		.at_current_block()
		.await
		.map_err(|e| ChainError::unreachable(format!("cannot read the chain: {e}")))?;
	let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
		.nonce(nonce)
		.mortal(MORTAL_BLOCKS)
		.build();
	at.transactions()
		.create_signed(call, signer, params)
		.await
		.map_err(|e| ChainError::unreachable(format!("cannot sign {}: {e}", call.name())))
}

/// A transaction the node's pool accepted, being watched until it is finalized.
pub type Watching = subxt::transactions::TransactionProgress<
	PolkadotConfig,
	subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
>;

/// Submits the signed transaction of `call` to the node's pool and starts watching it. Once this
/// returns, the next [`sign`] of the same account takes the following nonce.
///
/// A transaction the pool refused is [`ChainError::Refused`]; a failed connection
/// [`ChainError::Unreachable`].
pub async fn submit_watch(signed: &Signed, call: &EncodedCall) -> Result<Watching, ChainError> {
	signed.submit_and_watch().await.map_err(|e| {
		let message = format!("{} not accepted: {e}", call.name());
		match e {
			ExtrinsicError::ErrorSubmittingTransaction(b) if !is_node_answer(&b) => {
				ChainError::Unreachable(message)
			},
			_ => ChainError::Refused { call: call.name(), error: None, message },
		}
	})
}

/// Waits until a [`submit_watch`]ed transaction is in a finalized block.
///
/// A dispatch error (the runtime refused the call) is [`ChainError::Refused`] naming the pallet
/// error, e.g. `Groth16Verifier::InvalidProof`; a transaction the pool dropped or found invalid
/// is refused too; a connection lost during the wait (or any other RPC failure) is
/// [`ChainError::Unreachable`].
pub async fn wait_finalized(
	progress: Watching,
	call: &EncodedCall,
) -> Result<Finalized, ChainError> {
	let in_block = progress
		.wait_for_finalized()
		.await
		.map_err(|e| refused(call, TransactionFinalizedSuccessError::FinalizationError(e)))?;
	let events = in_block
		.wait_for_success()
		.await
		.map_err(|e| refused(call, TransactionFinalizedSuccessError::SuccessError(e)))?;
	Ok(Finalized { block_hash: in_block.block_hash().0, events })
}

/// Signs `call` with `signer`, submits it and waits until it is in a finalized block (see
/// [`submit_watch`] and [`wait_finalized`] for the errors).
pub async fn submit_finalized(
	client: &Client,
	signer: &Keypair,
	call: &EncodedCall,
) -> Result<Finalized, ChainError> {
	let signed = sign(client, signer, call).await?;
	wait_finalized(submit_watch(&signed, call).await?, call).await
}

/// The event a finalized call emitted, as [`submit_for_event`] found it.
pub struct Emitted {
	/// Which of the expected events it is.
	pub event: &'static str,
	/// Its SCALE-encoded fields.
	pub fields: Vec<u8>,
	/// The finalized block that holds the call.
	pub block_hash: [u8; 32],
}

/// Signs `call` with `suri`, submits it to the node at `url`, waits until it is finalized, and
/// returns the first of `events` (of the call's pallet) it emitted. A call that lands without
/// any of them is [`ChainError::Unreachable`]: the chain does not run the runtime this library
/// knows.
pub async fn submit_for_event(
	url: &str,
	suri: &str,
	call: &EncodedCall,
	events: &[&'static str],
) -> Result<Emitted, ChainError> {
	let signer = client::signer(suri)?;
	let client = client::connect(url).await?;
	let landed = submit_finalized(&client, &signer, call).await?;
	for &event in events {
		if let Some(fields) = event_fields(&landed.events, call.pallet, event)? {
			return Ok(Emitted { event, fields, block_hash: landed.block_hash });
		}
	}
	Err(ChainError::unreachable(format!(
		"{} finalized without {}",
		call.name(),
		events.join(" or ")
	)))
}

fn refused(call: &EncodedCall, e: TransactionFinalizedSuccessError) -> ChainError {
	match e {
		TransactionFinalizedSuccessError::SuccessError(
			TransactionEventsError::ExtrinsicFailed(dispatch),
		) => {
			let error = match &dispatch {
				DispatchError::Module(m) => Some(m.details_string()),
				_ => None,
			};
			let why = error.clone().unwrap_or_else(|| dispatch.to_string());
			ChainError::Refused {
				call: call.name(),
				error,
				message: format!("{} refused by the chain: {why}", call.name()),
			}
		},
		TransactionFinalizedSuccessError::FinalizationError(
			e @ TransactionProgressError::TransactionStatusError(_),
		) => ChainError::Refused {
			call: call.name(),
			error: None,
			message: format!("{} was not finalized: {e}", call.name()),
		},
		TransactionFinalizedSuccessError::FinalizationError(e) => {
			ChainError::unreachable(format!("{} lost while finalizing: {e}", call.name()))
		},
		other => ChainError::unreachable(format!("{}: {other}", call.name())),
	}
}

/// Whether `e` is the node's own answer to a request (a JSON-RPC error object: the pool refused
/// the transaction) rather than a failed connection.
fn is_node_answer(e: &BackendError) -> bool {
	matches!(e, BackendError::Rpc(RpcError::ClientError(subxt::rpcs::Error::User(_))))
}

/// The fields of the first event `pallet.name` among `events`, as raw SCALE bytes.
pub fn event_fields(
	events: &ExtrinsicEvents<PolkadotConfig>,
	pallet: &str,
	name: &str,
) -> Result<Option<Vec<u8>>, ChainError> {
	for event in events.iter() {
		let event =
			event.map_err(|e| ChainError::unreachable(format!("cannot decode an event: {e}")))?;
		if event.pallet_name() == pallet && event.event_name() == name {
			return Ok(Some(event.field_bytes().to_vec()));
		}
	}
	Ok(None)
}
