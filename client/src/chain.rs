//! The chain through subxt: connect, sign with a secret URI, submit a call whose arguments are
//! already SCALE-encoded with the runtime's own types, wait until it is finalized.

use std::str::FromStr;

use codec::Encode;

use scale_encode::{EncodeAsFields, FieldIter, TypeResolver};
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	error::{
		BackendError, DispatchError, ExtrinsicError, RpcError, TransactionEventsError,
		TransactionFinalizedSuccessError, TransactionProgressError,
	},
	extrinsics::ExtrinsicEvents,
	rpcs::{rpc_params, RpcClient},
	transactions::Payload,
	utils::AccountId32,
	OnlineClient, PolkadotConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

use crate::Exit;

/// A connected client: subxt's, plus the raw RPC connection under it for the node methods
/// subxt does not wrap (the transaction pool's next account nonce).
#[derive(Clone)]
pub struct Client {
	chain: OnlineClient<PolkadotConfig>,
	rpc: RpcClient,
}

impl core::ops::Deref for Client {
	type Target = OnlineClient<PolkadotConfig>;

	fn deref(&self) -> &Self::Target {
		&self.chain
	}
}

/// Connects to a node's WebSocket RPC endpoint (`ws://` allowed for local nodes).
pub async fn connect(url: &str) -> Result<Client, Exit> {
	let cannot =
		|e: &dyn core::fmt::Display| Exit::unreachable(format!("cannot connect to {url}: {e}"));
	let rpc = RpcClient::from_insecure_url(url).await.map_err(|e| cannot(&e))?;
	let chain = OnlineClient::from_rpc_client(rpc.clone()).await.map_err(|e| cannot(&e))?;
	Ok(Client { chain, rpc })
}

/// The nonce `account`'s next transaction takes: the node's `system_accountNextIndex`, which
/// counts the transactions already in its pool, so that two transactions signed in a row (by
/// two tasks of one process) do not take the same nonce.
pub async fn next_nonce(client: &Client, account: [u8; 32]) -> Result<u64, Exit> {
	client
		.rpc
		.request("system_accountNextIndex", rpc_params![AccountId32(account)])
		.await
		.map_err(|e| Exit::unreachable(format!("cannot read the account nonce: {e}")))
}

/// The sr25519 key of a secret URI (`//Alice`, a mnemonic, a `0x` seed, with derivations).
pub fn signer(suri: &str) -> Result<Keypair, Exit> {
	let uri = SecretUri::from_str(suri).map_err(|e| Exit::malformed(format!("--suri: {e}")))?;
	Keypair::from_uri(&uri).map_err(|e| Exit::malformed(format!("--suri: {e}")))
}

/// Call arguments already SCALE-encoded, in order, with the runtime's own types (the verifier
/// crates' canonical types are the runtime's call argument types).
#[derive(Clone, Debug)]
pub struct EncodedArgs(pub Vec<u8>);

impl EncodeAsFields for EncodedArgs {
	fn encode_as_fields_to<R: TypeResolver>(
		&self,
		_fields: &mut dyn FieldIter<'_, R::TypeId>,
		_types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		out.extend_from_slice(&self.0);
		Ok(())
	}
}

/// A call by pallet and call name, with [`EncodedArgs`].
#[derive(Clone, Debug)]
pub struct EncodedCall {
	/// The pallet's name in the metadata, e.g. `Groth16Verifier`.
	pub pallet: &'static str,
	/// The call's name, e.g. `register_vk`.
	pub call: &'static str,
	/// The arguments.
	pub args: EncodedArgs,
}

impl Payload for EncodedCall {
	type CallData = EncodedArgs;

	fn pallet_name(&self) -> &str {
		self.pallet
	}

	fn call_name(&self) -> &str {
		self.call
	}

	fn call_data(&self) -> &EncodedArgs {
		&self.args
	}
}

/// The SCALE encoding of `call` as a runtime call: its pallet's and call's indices in the
/// chain's metadata, then its arguments (what `Utility.batch_all` takes).
pub async fn encode_call(client: &Client, call: &EncodedCall) -> Result<Vec<u8>, Exit> {
	let at = client
		.at_current_block()
		.await
		.map_err(|e| Exit::unreachable(format!("cannot read the chain: {e}")))?;
	let metadata = at.metadata();
	let pallet = metadata
		.pallet_by_name(call.pallet)
		.ok_or_else(|| Exit::unreachable(format!("the chain has no pallet {}", call.pallet)))?;
	let variant = pallet.call_variant_by_name(call.call).ok_or_else(|| {
		Exit::unreachable(format!("the chain has no call {}.{}", call.pallet, call.call))
	})?;
	let mut out = vec![pallet.call_index(), variant.index];
	out.extend_from_slice(&call.args.0);
	Ok(out)
}

/// `Utility.batch_all(calls)`: every call in one transaction, all or nothing.
pub async fn batch_all(client: &Client, calls: &[EncodedCall]) -> Result<EncodedCall, Exit> {
	let mut args = codec::Compact(calls.len() as u32).encode();
	for call in calls {
		args.extend(encode_call(client, call).await?);
	}
	Ok(EncodedCall { pallet: "Utility", call: "batch_all", args: EncodedArgs(args) })
}

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

/// Signs `call` with `signer` (the pool-aware [`next_nonce`], an era of [`MORTAL_BLOCKS`] from
/// the current block) without submitting it; its hash is `signed.hash()`.
pub async fn sign(client: &Client, signer: &Keypair, call: &EncodedCall) -> Result<Signed, Exit> {
	let nonce = next_nonce(client, signer.public_key().0).await?;
	let at = client
		.at_current_block()
		.await
		.map_err(|e| Exit::unreachable(format!("cannot read the chain: {e}")))?;
	let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new()
		.nonce(nonce)
		.mortal(MORTAL_BLOCKS)
		.build();
	at.transactions()
		.create_signed(call, signer, params)
		.await
		.map_err(|e| Exit::unreachable(format!("cannot sign {}.{}: {e}", call.pallet, call.call)))
}

/// A transaction the node's pool accepted, being watched until it is finalized.
pub type Watching = subxt::transactions::TransactionProgress<
	PolkadotConfig,
	subxt::client::OnlineClientAtBlockImpl<PolkadotConfig>,
>;

/// Submits the signed transaction of `call` to the node's pool and starts watching it. Once this
/// returns, the next [`sign`] of the same account takes the following nonce.
///
/// A transaction the pool refused is exit 1; a failed connection is exit 3.
pub async fn submit_watch(signed: &Signed, call: &EncodedCall) -> Result<Watching, Exit> {
	signed.submit_and_watch().await.map_err(|e| {
		let message = format!("{}.{} not accepted: {e}", call.pallet, call.call);
		match e {
			ExtrinsicError::ErrorSubmittingTransaction(b) if !is_node_answer(&b) => {
				Exit::unreachable(message)
			},
			_ => Exit::invalid(message),
		}
	})
}

/// Waits until a [`submit_watch`]ed transaction is in a finalized block.
///
/// A dispatch error (the runtime refused the call) is exit 1 naming the pallet error, e.g.
/// `Groth16Verifier::InvalidProof`; a transaction the pool dropped or found invalid is exit 1
/// too; a connection lost during the wait (or any other RPC failure) is exit 3.
pub async fn wait_finalized(progress: Watching, call: &EncodedCall) -> Result<Finalized, Exit> {
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
/// [`submit_watch`] and [`wait_finalized`] for the exit codes).
pub async fn submit_finalized(
	client: &Client,
	signer: &Keypair,
	call: &EncodedCall,
) -> Result<Finalized, Exit> {
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
/// any of them is exit 3: the chain does not run the runtime this client knows.
pub async fn submit_for_event(
	url: &str,
	suri: &str,
	call: &EncodedCall,
	events: &[&'static str],
) -> Result<Emitted, Exit> {
	let signer = signer(suri)?;
	let client = connect(url).await?;
	let landed = submit_finalized(&client, &signer, call).await?;
	for &event in events {
		if let Some(fields) = event_fields(&landed.events, call.pallet, event)? {
			return Ok(Emitted { event, fields, block_hash: landed.block_hash });
		}
	}
	Err(Exit::unreachable(format!(
		"{}.{} finalized without {}",
		call.pallet,
		call.call,
		events.join(" or ")
	)))
}

fn refused(call: &EncodedCall, e: TransactionFinalizedSuccessError) -> Exit {
	match e {
		TransactionFinalizedSuccessError::SuccessError(
			TransactionEventsError::ExtrinsicFailed(dispatch),
		) => {
			let why = match &dispatch {
				DispatchError::Module(m) => m.details_string(),
				other => other.to_string(),
			};
			Exit::invalid(format!("{}.{} refused by the chain: {why}", call.pallet, call.call))
		},
		TransactionFinalizedSuccessError::FinalizationError(
			e @ TransactionProgressError::TransactionStatusError(_),
		) => Exit::invalid(format!("{}.{} was not finalized: {e}", call.pallet, call.call)),
		TransactionFinalizedSuccessError::FinalizationError(e) => {
			Exit::unreachable(format!("{}.{} lost while finalizing: {e}", call.pallet, call.call))
		},
		other => Exit::unreachable(format!("{}.{}: {other}", call.pallet, call.call)),
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
) -> Result<Option<Vec<u8>>, Exit> {
	for event in events.iter() {
		let event = event.map_err(|e| Exit::unreachable(format!("cannot decode an event: {e}")))?;
		if event.pallet_name() == pallet && event.event_name() == name {
			return Ok(Some(event.field_bytes().to_vec()));
		}
	}
	Ok(None)
}
