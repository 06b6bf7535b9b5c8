//! The chain as the service uses it: the reads of one finalized block, signing a call as the
//! operator, submitting it and waiting until it is finalized, and connecting again.
//!
//! [`Chain`] is what the work loop needs and nothing more, so that the loop (its backoff,
//! timeouts, halving and reconnects) runs in process against an in-memory chain in tests, in
//! virtual time (`tokio::time::pause`). [`SubxtChain`] is the real one: [`veritas_chain`] over
//! subxt, against a node's WebSocket RPC.

use std::sync::RwLock;

use async_trait::async_trait;
use subxt_signer::sr25519::Keypair;
use veritas_chain::{
	self as chain,
	onchain::{self, EnclaveInfo, ModelInfo, Request, VerifiedResult},
	ChainError, Client, EncodedCall,
};
use veritas_primitives::{ReceiptId, RequestId};

/// The chain at one finalized block: what the work loop reads there.
#[async_trait]
pub trait FinalizedState: Send + Sync {
	/// The block's number.
	fn number(&self) -> u64;
	/// The block's hash.
	fn hash(&self) -> [u8; 32];
	/// The id the next registered model takes (`Models.NextModelId`).
	async fn next_model_id(&self) -> Result<u32, ChainError>;
	/// Model version `id` (`Models.Models`).
	async fn model(&self, id: u32) -> Result<Option<ModelInfo>, ChainError>;
	/// Whether the verifying key `id` is registered (`Groth16Verifier.Vks`).
	async fn vk_registered(&self, id: [u8; 32]) -> Result<bool, ChainError>;
	/// The id the next request takes (`InferenceReceipts.NextRequestId`).
	async fn next_request_id(&self) -> Result<RequestId, ChainError>;
	/// Request `id` while it is open (`InferenceReceipts.Requests`).
	async fn request(&self, id: RequestId) -> Result<Option<Request>, ChainError>;
	/// The enclave key `key` (`EnclaveRegistry.Enclaves`).
	async fn enclave(&self, key: [u8; 32]) -> Result<Option<EnclaveInfo>, ChainError>;
	/// The result stored under receipt id `id` (`InferenceReceipts.Results`).
	async fn result(&self, id: &ReceiptId) -> Result<Option<VerifiedResult>, ChainError>;
	/// The result that answered request `id` (the receipts runtime API).
	async fn result_of_request(
		&self,
		id: RequestId,
	) -> Result<Option<(ReceiptId, VerifiedResult)>, ChainError>;
}

/// A call signed by the operator, not yet handed to the chain: its hash is known first, so the
/// node records it before submitting and a restart can tell whether it landed.
#[async_trait]
pub trait SignedCall: Send {
	/// The transaction's hash.
	fn hash(&self) -> [u8; 32];
	/// Hands it to the chain node's pool (refused there: [`ChainError::Refused`]); once this
	/// returns, the operator's next signature takes the following nonce.
	async fn submit(self: Box<Self>) -> Result<Box<dyn PendingCall>, ChainError>;
}

/// A call in the chain node's pool, watched until it is finalized.
#[async_trait]
pub trait PendingCall: Send {
	/// Waits until it is in a finalized block, whose hash this returns; a dispatch error is
	/// [`ChainError::Refused`] naming the pallet error.
	async fn finalized(self: Box<Self>) -> Result<[u8; 32], ChainError>;
}

/// The chain the service works against.
#[async_trait]
pub trait Chain: Send + Sync {
	/// The chain's genesis hash (receipt ids and registration documents are bound to it).
	fn genesis(&self) -> [u8; 32];
	/// The chain at its latest finalized block.
	async fn finalized(&self) -> Result<Box<dyn FinalizedState>, ChainError>;
	/// Signs `call` as `signer` (the pool-aware next nonce, a mortal era) without submitting it.
	async fn sign(
		&self,
		signer: &Keypair,
		call: &EncodedCall,
	) -> Result<Box<dyn SignedCall>, ChainError>;
	/// Connects again after the connection was lost; refuses a chain whose genesis differs.
	async fn reconnect(&self) -> Result<(), ChainError>;
}

/// The real chain: a subxt client of a node's WebSocket RPC, replaced on [`Chain::reconnect`].
pub struct SubxtChain {
	url: String,
	genesis: [u8; 32],
	client: RwLock<Client>,
}

impl core::fmt::Debug for SubxtChain {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("SubxtChain")
			.field("url", &self.url)
			.field("genesis", &hex::encode(self.genesis))
			.finish()
	}
}

impl SubxtChain {
	/// Connects to the node at `url` (`ws://` allowed for local nodes).
	pub async fn connect(url: &str) -> Result<Self, ChainError> {
		let client = chain::connect(url).await?;
		Ok(Self { url: url.into(), genesis: chain::genesis(&client), client: RwLock::new(client) })
	}

	fn client(&self) -> Client {
		self.client.read().unwrap_or_else(|p| p.into_inner()).clone()
	}
}

#[async_trait]
impl Chain for SubxtChain {
	fn genesis(&self) -> [u8; 32] {
		self.genesis
	}

	async fn finalized(&self) -> Result<Box<dyn FinalizedState>, ChainError> {
		Ok(Box::new(SubxtState(onchain::finalized(&self.client()).await?)))
	}

	async fn sign(
		&self,
		signer: &Keypair,
		call: &EncodedCall,
	) -> Result<Box<dyn SignedCall>, ChainError> {
		let signed = chain::sign(&self.client(), signer, call).await?;
		Ok(Box::new(SubxtSigned { signed, call: call.clone() }))
	}

	async fn reconnect(&self) -> Result<(), ChainError> {
		let client = chain::connect(&self.url).await?;
		if chain::genesis(&client) != self.genesis {
			return Err(ChainError::unreachable(format!(
				"another chain answers at {} (its genesis differs)",
				self.url
			)));
		}
		*self.client.write().unwrap_or_else(|p| p.into_inner()) = client;
		Ok(())
	}
}

struct SubxtState(onchain::AtBlock);

#[async_trait]
impl FinalizedState for SubxtState {
	fn number(&self) -> u64 {
		self.0.block_number()
	}

	fn hash(&self) -> [u8; 32] {
		onchain::block_hash(&self.0)
	}

	async fn next_model_id(&self) -> Result<u32, ChainError> {
		onchain::next_model_id(&self.0).await
	}

	async fn model(&self, id: u32) -> Result<Option<ModelInfo>, ChainError> {
		onchain::model(&self.0, id).await
	}

	async fn vk_registered(&self, id: [u8; 32]) -> Result<bool, ChainError> {
		Ok(onchain::vk(&self.0, id).await?.is_some())
	}

	async fn next_request_id(&self) -> Result<RequestId, ChainError> {
		onchain::next_request_id(&self.0).await
	}

	async fn request(&self, id: RequestId) -> Result<Option<Request>, ChainError> {
		onchain::request(&self.0, id).await
	}

	async fn enclave(&self, key: [u8; 32]) -> Result<Option<EnclaveInfo>, ChainError> {
		onchain::enclave(&self.0, key).await
	}

	async fn result(&self, id: &ReceiptId) -> Result<Option<VerifiedResult>, ChainError> {
		onchain::result_by_id(&self.0, id).await
	}

	async fn result_of_request(
		&self,
		id: RequestId,
	) -> Result<Option<(ReceiptId, VerifiedResult)>, ChainError> {
		onchain::result_of_request(&self.0, id).await
	}
}

struct SubxtSigned {
	signed: chain::Signed,
	call: EncodedCall,
}

#[async_trait]
impl SignedCall for SubxtSigned {
	fn hash(&self) -> [u8; 32] {
		self.signed.hash().0
	}

	async fn submit(self: Box<Self>) -> Result<Box<dyn PendingCall>, ChainError> {
		let watching = chain::submit_watch(&self.signed, &self.call).await?;
		Ok(Box::new(SubxtPending { watching, call: self.call }))
	}
}

struct SubxtPending {
	watching: chain::Watching,
	call: EncodedCall,
}

#[async_trait]
impl PendingCall for SubxtPending {
	async fn finalized(self: Box<Self>) -> Result<[u8; 32], ChainError> {
		Ok(chain::wait_finalized(self.watching, &self.call).await?.block_hash)
	}
}
