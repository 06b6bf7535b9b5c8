//! An in-memory chain for the work loop's tests: models, open requests, results and verifying
//! keys; a transaction lands when its [`PendingCall`] is awaited (one block per transaction), and
//! faults are set by hand: unreachable, refusing some receipts, holding finality.

use std::{
	collections::{BTreeMap, BTreeSet},
	sync::{Arc, Mutex},
};

use async_trait::async_trait;
use codec::{Decode, Encode};
use subxt_signer::sr25519::Keypair;
use tokio::time::Instant;
use veritas_chain::{
	onchain::{EnclaveInfo, ModelInfo, Receipt, Request, VerifiedResult},
	pallets, ChainError, Manifest,
};
use veritas_primitives::{EvidenceKind, OutputMode, ReceiptId, RequestId, Subject};
use veritas_service::{
	chain::{Chain, FinalizedState, PendingCall, SignedCall},
	worker::id_of,
};

/// The chain's state, and the faults it shows.
#[derive(Clone, Default)]
pub(crate) struct Ledger {
	/// The finalized block's number (one block per landed transaction).
	pub number: u64,
	/// Registered models, by id.
	pub models: Vec<ModelInfo>,
	/// Open requests.
	pub requests: BTreeMap<RequestId, Request>,
	/// The next request id.
	pub next_request: RequestId,
	/// Results by receipt id.
	pub results: BTreeMap<ReceiptId, VerifiedResult>,
	/// The receipt id that answered each request.
	pub answered: BTreeMap<RequestId, ReceiptId>,
	/// Registered verifying key ids.
	pub vks: BTreeSet<[u8; 32]>,
	/// Every receipt transaction handed to the pool: its receipts' subjects, and when.
	pub submissions: Vec<(Vec<Subject>, Instant)>,
	/// Every call fails as unreachable while set (the node is down).
	pub unreachable: bool,
	/// Every call fails as unreachable until [`Chain::reconnect`] (the connection was lost: it
	/// does not come back by itself when the node does).
	pub disconnected: bool,
	/// Successful reconnections.
	pub reconnects: u32,
	/// Requests whose receipts the runtime refuses (`InferenceReceipts::InvalidProof`).
	pub refused: BTreeSet<RequestId>,
	/// How many of the next receipt transactions are never finalized.
	pub hold_finality: u32,
}

impl Ledger {
	/// Opens a request for `model` on `input`, with `policy` and a far deadline.
	pub(crate) fn open_request(&mut self, model: u32, input: Vec<i32>, policy: Vec<EvidenceKind>) {
		let id = self.next_request;
		self.next_request += 1;
		self.requests.insert(
			id,
			Request {
				requester: [7; 32],
				model,
				c_0: veritas_primitives::Commitment([0; 32]),
				input: Some(input),
				output: OutputMode::Published,
				policy,
				max_fee: 1_000_000_000_000,
				allowed_nodes: None,
				deadline: 1_000_000,
				deposit: 0,
			},
		);
	}

	/// Registers `manifest` as the next model.
	pub(crate) fn register_model(&mut self, manifest: Manifest) {
		self.models.push(ModelInfo {
			owner: [7; 32],
			version: 1,
			previous: None,
			manifest,
			deposit: 0,
			status: 0,
		});
	}

	/// The transactions handed to the pool that held exactly `subjects`.
	pub(crate) fn submissions_of(&self, subjects: &[Subject]) -> Vec<Instant> {
		self.submissions.iter().filter(|(s, _)| s == subjects).map(|(_, at)| *at).collect()
	}

	fn check(&self) -> Result<(), ChainError> {
		if self.unreachable {
			return Err(ChainError::unreachable("the fake chain is down"));
		}
		if self.disconnected {
			return Err(ChainError::unreachable("the connection to the fake chain was lost"));
		}
		Ok(())
	}

	/// Dispatches `receipts` from `node`, all or nothing, in a new block.
	fn land(
		&mut self,
		genesis: &[u8; 32],
		node: [u8; 32],
		receipts: Vec<Receipt>,
	) -> Result<(), String> {
		for r in &receipts {
			if let Subject::Request(id) = r.subject {
				if self.refused.contains(&id) {
					return Err("InferenceReceipts::InvalidProof".into());
				}
				if !self.requests.contains_key(&id) {
					return Err("InferenceReceipts::AlreadyAnswered".into());
				}
			}
			if self.results.contains_key(&id_of(genesis, r)) {
				return Err("InferenceReceipts::DuplicateReceipt".into());
			}
		}
		self.number += 1;
		for receipt in receipts {
			let id = id_of(genesis, &receipt);
			if let Subject::Request(request) = receipt.subject {
				self.requests.remove(&request);
				self.answered.insert(request, id);
			}
			let result = VerifiedResult {
				receipt,
				node,
				trust: vec![],
				verified_at: self.number as u32,
				deposit: 0,
			};
			self.results.insert(id, result);
		}
		Ok(())
	}
}

/// The fake chain: a [`Ledger`] shared with the test.
#[derive(Clone, Default)]
pub(crate) struct FakeChain {
	/// Its state, for the test to read and change.
	pub ledger: Arc<Mutex<Ledger>>,
}

/// The fake chain's genesis.
pub(crate) const GENESIS: [u8; 32] = [0x9e; 32];

impl FakeChain {
	/// The ledger, locked.
	pub(crate) fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
		self.ledger.lock().unwrap()
	}
}

#[async_trait]
impl Chain for FakeChain {
	fn genesis(&self) -> [u8; 32] {
		GENESIS
	}

	async fn finalized(&self) -> Result<Box<dyn FinalizedState>, ChainError> {
		let ledger = self.ledger();
		ledger.check()?;
		Ok(Box::new(Snapshot(ledger.clone())))
	}

	async fn sign(
		&self,
		signer: &Keypair,
		call: &veritas_chain::EncodedCall,
	) -> Result<Box<dyn SignedCall>, ChainError> {
		let ledger = self.ledger();
		ledger.check()?;
		let hash = sha256(&(ledger.submissions.len() as u64, &call.args.0).encode());
		Ok(Box::new(Signed {
			chain: self.clone(),
			node: signer.public_key().0,
			pallet: call.pallet,
			call: call.call,
			args: call.args.0.clone(),
			hash,
		}))
	}

	async fn reconnect(&self) -> Result<(), ChainError> {
		let mut ledger = self.ledger();
		if ledger.unreachable {
			return Err(ChainError::unreachable("the fake chain is down"));
		}
		ledger.disconnected = false;
		ledger.reconnects += 1;
		Ok(())
	}
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
	use sha2::Digest;
	sha2::Sha256::digest(bytes).into()
}

struct Snapshot(Ledger);

#[async_trait]
impl FinalizedState for Snapshot {
	fn number(&self) -> u64 {
		self.0.number
	}

	fn hash(&self) -> [u8; 32] {
		sha256(&self.0.number.encode())
	}

	async fn next_model_id(&self) -> Result<u32, ChainError> {
		Ok(self.0.models.len() as u32)
	}

	async fn model(&self, id: u32) -> Result<Option<ModelInfo>, ChainError> {
		Ok(self.0.models.get(id as usize).cloned())
	}

	async fn vk_registered(&self, id: [u8; 32]) -> Result<bool, ChainError> {
		Ok(self.0.vks.contains(&id))
	}

	async fn next_request_id(&self) -> Result<RequestId, ChainError> {
		Ok(self.0.next_request)
	}

	async fn request(&self, id: RequestId) -> Result<Option<Request>, ChainError> {
		Ok(self.0.requests.get(&id).cloned())
	}

	async fn enclave(&self, _key: [u8; 32]) -> Result<Option<EnclaveInfo>, ChainError> {
		Ok(None)
	}

	async fn result(&self, id: &ReceiptId) -> Result<Option<VerifiedResult>, ChainError> {
		Ok(self.0.results.get(id).cloned())
	}

	async fn result_of_request(
		&self,
		id: RequestId,
	) -> Result<Option<(ReceiptId, VerifiedResult)>, ChainError> {
		Ok(self.0.answered.get(&id).map(|rid| (*rid, self.0.results[rid].clone())))
	}
}

struct Signed {
	chain: FakeChain,
	node: [u8; 32],
	pallet: &'static str,
	call: &'static str,
	args: Vec<u8>,
	hash: [u8; 32],
}

/// What a submitted transaction does when it lands.
enum Effect {
	Receipts(Vec<Receipt>),
	Vk([u8; 32]),
}

#[async_trait]
impl SignedCall for Signed {
	fn hash(&self) -> [u8; 32] {
		self.hash
	}

	async fn submit(self: Box<Self>) -> Result<Box<dyn PendingCall>, ChainError> {
		let mut ledger = self.chain.ledger();
		ledger.check()?;
		let malformed = |e: codec::Error| ChainError::malformed(format!("{}: {e}", self.call));
		let effect = match (self.pallet, self.call) {
			(pallets::RECEIPTS, "submit_receipt") => {
				Effect::Receipts(vec![Receipt::decode(&mut &self.args[..]).map_err(malformed)?])
			},
			(pallets::RECEIPTS, "submit_receipts") => {
				Effect::Receipts(Vec::<Receipt>::decode(&mut &self.args[..]).map_err(malformed)?)
			},
			(pallets::GROTH16, "register_vk") => {
				let vk = veritas_verifier_groth16::VerifyingKey::decode(&mut &self.args[..])
					.map_err(malformed)?;
				Effect::Vk(veritas_verifier_groth16::vk_id(&vk))
			},
			(pallet, call) => return Err(ChainError::malformed(format!("{pallet}.{call}"))),
		};
		let mut held = false;
		if let Effect::Receipts(receipts) = &effect {
			let subjects = receipts.iter().map(|r| r.subject).collect();
			ledger.submissions.push((subjects, Instant::now()));
			if ledger.hold_finality > 0 {
				ledger.hold_finality -= 1;
				held = true;
			}
		}
		drop(ledger);
		Ok(Box::new(Pending { chain: self.chain, node: self.node, effect, held }))
	}
}

struct Pending {
	chain: FakeChain,
	node: [u8; 32],
	effect: Effect,
	held: bool,
}

#[async_trait]
impl PendingCall for Pending {
	async fn finalized(self: Box<Self>) -> Result<[u8; 32], ChainError> {
		if self.held {
			std::future::pending::<()>().await;
		}
		let mut ledger = self.chain.ledger();
		ledger.check()?;
		let landed = match self.effect {
			Effect::Receipts(receipts) => ledger.land(&GENESIS, self.node, receipts),
			Effect::Vk(id) => {
				ledger.number += 1;
				ledger.vks.insert(id);
				Ok(())
			},
		};
		landed.map_err(|error| ChainError::Refused {
			call: "InferenceReceipts.submit_receipts".into(),
			message: format!("refused: {error}"),
			error: Some(error),
		})?;
		Ok(sha256(&ledger.number.encode()))
	}
}
