//! The node's work loop, against the chain: follow finalized blocks, find the registered models
//! this node serves and the open requests for them, answer each request once, submit the
//! receipts (in batches when several are ready), retry with backoff, and keep the enclave key
//! registered.
//!
//! **Never twice.** Every request becomes at most one job (the queue accepts a subject once);
//! before a job's receipt is submitted its state records the signed transaction's hash; after a
//! restart, a job that was submitted (or ready) is first looked up on chain (its receipt id,
//! and for requests `ResultOfRequest`), and only submitted again if the chain has no result for
//! it. The runtime refuses a second answer to a request (`AlreadyAnswered`) and a receipt id it
//! already holds (`DuplicateReceipt`), so even a transaction still in the pool when the node died
//! cannot produce a second receipt.

use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, Mutex, RwLock},
	time::Duration,
};

use codec::{Decode, Encode};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use subxt_signer::sr25519::Keypair;
use tokio::{sync::watch, time::Instant};
use veritas_attester::{Attester, EnclaveSession};
use veritas_chain::{
	onchain::{Receipt, Request},
	pallets, ChainError, EncodedArgs, EncodedCall,
};
use veritas_primitives::{
	receipt_id, salt::Salt, Evidence, EvidenceKind, OutputMode, ReceiptId, Subject,
};

use crate::{
	answer::{answer, check, AnswerError, Binding, Opening},
	chain::{Chain, FinalizedState, PendingCall},
	halving::{submit_halving, Outcome},
	metrics::Metrics,
	pricing::{Deadlines, Prices},
	queue::{Job, JobId, JobQueue, JobState, QueueError},
	served::ServedModel,
};

mod committed_output;
mod off_chain_input;

pub use committed_output::{CommittedOutput, OutputRefusal};
pub use off_chain_input::InputRefusal;

const REQUEST_CURSOR: &str = "requests";
/// How long a submitted transaction may take to be finalized before the job is retried (the
/// chain refuses a second answer, so a late first one is harmless).
const FINALITY_TIMEOUT: Duration = Duration::from_secs(120);

/// How the node works.
#[derive(Clone, Debug)]
pub struct Config {
	/// The node operator's account.
	pub signer: Keypair,
	/// The enclave measurement (its id, the digest of its PCRs) the node's enclave key registers
	/// under (`None`: no TEE evidence).
	pub measurement: Option<veritas_primitives::MeasurementId>,
	/// How often the chain is polled.
	pub poll: Duration,
	/// The most receipts per `submit_receipts`.
	pub max_batch: usize,
	/// Attempts before a job is given up.
	pub max_attempts: u32,
	/// Draw the proving progress bar (on a terminal).
	pub progress: bool,
	/// How long before the enclave key's expiry on chain it is registered again.
	pub renewal_margin: Duration,
	/// The least fee a request must offer for each policy (the sum of its segments' prices).
	pub prices: Prices,
	/// How many blocks before its deadline a request must be seen to be taken.
	pub deadlines: Deadlines,
}

/// Why the service failed or refused.
#[derive(Debug)]
pub enum ServiceError {
	/// The chain refused, or could not be reached.
	Chain(ChainError),
	/// The job queue failed.
	Queue(QueueError),
	/// The inference cannot be answered as asked.
	Answer(AnswerError),
	/// No registered model of this node has that id.
	UnknownModel(u32),
	/// An input sent off chain for a request was refused.
	InputRefused(InputRefusal),
	/// A committed output was not given.
	OutputRefused(OutputRefusal),
}

impl core::fmt::Display for ServiceError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Chain(e) => write!(f, "chain: {e}"),
			Self::Queue(e) => write!(f, "{e}"),
			Self::Answer(e) => write!(f, "{e}"),
			Self::UnknownModel(id) => write!(f, "this node serves no model with id {id}"),
			Self::InputRefused(r) => write!(f, "{r}"),
			Self::OutputRefused(r) => write!(f, "{r}"),
		}
	}
}

impl std::error::Error for ServiceError {}

impl From<ChainError> for ServiceError {
	fn from(e: ChainError) -> Self {
		Self::Chain(e)
	}
}

impl From<QueueError> for ServiceError {
	fn from(e: QueueError) -> Self {
		Self::Queue(e)
	}
}

/// The inference node's service: its models, queue, enclave session and chain client.
pub struct Service<A: Attester + Send + Sync + 'static> {
	/// The chain.
	chain: Arc<dyn Chain>,
	config: Config,
	account: [u8; 32],
	genesis: [u8; 32],
	queue: JobQueue,
	models: Vec<ServedModel>,
	/// Chain model id → index in `models`.
	chain_models: RwLock<BTreeMap<u32, usize>>,
	/// The next chain model id to look at (from 0 after each start: the map is in memory).
	model_cursor: Mutex<u32>,
	session: Option<RwLock<EnclaveSession<A>>>,
	metrics: Metrics,
	retry_at: Mutex<HashMap<JobId, Instant>>,
	/// Held while a transaction of the operator is signed and handed to the pool: the pool-aware
	/// nonce counts it only once the pool holds it, so two signed at once would collide.
	signing: tokio::sync::Mutex<()>,
}

impl<A: Attester + Send + Sync + 'static> core::fmt::Debug for Service<A> {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Service").field("account", &hex::encode(self.account)).finish()
	}
}

/// The statement's receipt id of `receipt` on the chain `genesis`.
pub fn id_of(genesis: &[u8; 32], receipt: &Receipt) -> ReceiptId {
	let mut commitments = vec![receipt.c_0];
	commitments.extend(receipt.c_out.iter().copied());
	receipt_id(genesis, &receipt.subject, receipt.model, &commitments)
}

fn receipts_call(receipts: &[Receipt]) -> EncodedCall {
	match receipts {
		[one] => EncodedCall {
			pallet: pallets::RECEIPTS,
			call: "submit_receipt",
			args: EncodedArgs(one.encode()),
		},
		many => EncodedCall {
			pallet: pallets::RECEIPTS,
			call: "submit_receipts",
			args: EncodedArgs(many.encode()),
		},
	}
}

/// What the chain says about a job's receipt.
enum OnChain {
	/// Verified, from this node.
	Mine,
	/// Nothing yet; still answerable.
	Open {
		/// The fee the request offers (0 for a direct receipt).
		fee: u128,
		/// The request's deadline (`None` for a direct receipt).
		deadline: Option<u64>,
	},
	/// Answered by another node, expired or reclaimed.
	Gone(String),
}

/// Why an open request was not taken.
#[derive(Debug)]
enum Skip {
	/// It names other nodes.
	NotAllowed,
	/// Its input is not on chain (only its commitment): its requester sends it to the node
	/// ([`Service::accept_request_input`]).
	InputOffChain,
	/// Its policy or input does not fit the model as served.
	Policy(AnswerError),
	/// It offers less than the node's price for its policy.
	BelowPrice { offered: u128, price: u128 },
	/// Its deadline is too close for its policy.
	Deadline { deadline: u64, needed: u64 },
}

impl Skip {
	/// The metric label.
	fn reason(&self) -> &'static str {
		match self {
			Self::NotAllowed => "not_allowed",
			Self::InputOffChain => "input_off_chain",
			Self::Policy(_) => "policy",
			Self::BelowPrice { .. } => "below_price",
			Self::Deadline { .. } => "deadline",
		}
	}
}

impl core::fmt::Display for Skip {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::NotAllowed => f.write_str("the request names other nodes"),
			Self::InputOffChain => f.write_str("the input is not on chain"),
			Self::Policy(e) => write!(f, "{e}"),
			Self::BelowPrice { offered, price } => {
				write!(f, "it offers {offered}, below this node's price {price}")
			},
			Self::Deadline { deadline, needed } => {
				write!(f, "its deadline (block {deadline}) leaves fewer than {needed} blocks")
			},
		}
	}
}

impl<A: Attester + Send + Sync + 'static> Service<A> {
	/// Starts the service: reads the chain's genesis, registers the ZK segments' verifying keys
	/// that the chain does not hold yet (signed by the operator).
	pub async fn start(
		chain: Arc<dyn Chain>,
		config: Config,
		queue: JobQueue,
		models: Vec<ServedModel>,
		attester: Option<A>,
	) -> Result<Arc<Self>, ServiceError> {
		let session = match attester {
			Some(a) => Some(RwLock::new(
				EnclaveSession::generate(a)
					.map_err(|e| {
						ServiceError::Answer(AnswerError::Attest(format!("no enclave key: {e:?}")))
					})?
					.with_renewal_margin(config.renewal_margin.as_millis() as u64),
			)),
			None => None,
		};
		let service = Arc::new(Self {
			genesis: chain.genesis(),
			account: config.signer.public_key().0,
			chain,
			config,
			queue,
			models,
			chain_models: RwLock::default(),
			model_cursor: Mutex::new(0),
			session,
			metrics: Metrics::default(),
			retry_at: Mutex::default(),
			signing: tokio::sync::Mutex::new(()),
		});
		service.register_vks().await?;
		Ok(service)
	}

	/// Signs `call` as the node operator and hands it to the chain node's pool. Operator
	/// transactions are serialized only until the pool holds them: nonces come from the pool
	/// ([`Chain::sign`]), so the next one can be signed while this one finalizes.
	async fn send(&self, call: &EncodedCall) -> Result<Box<dyn PendingCall>, ChainError> {
		let _signing = self.signing.lock().await;
		self.chain.sign(&self.config.signer, call).await?.submit().await
	}

	/// After a step failed with `error`: if the chain could not be reached, connects again (the
	/// WebSocket connection does not come back by itself when the chain node restarts). A chain
	/// with another genesis is refused.
	async fn recover(&self, error: &ServiceError) {
		let ServiceError::Chain(e) = error else { return };
		if !e.is_transient() {
			return;
		}
		match self.chain.reconnect().await {
			Ok(()) => tracing::info!("reconnected to the chain"),
			Err(e) => tracing::warn!(error = %e, "the chain is still unreachable"),
		}
	}

	/// The node operator's account.
	pub fn account(&self) -> [u8; 32] {
		self.account
	}

	/// The chain's genesis hash.
	pub fn genesis(&self) -> [u8; 32] {
		self.genesis
	}

	/// The served models.
	pub fn models(&self) -> &[ServedModel] {
		&self.models
	}

	/// The job queue.
	pub fn queue(&self) -> &JobQueue {
		&self.queue
	}

	/// The metrics.
	pub fn metrics(&self) -> &Metrics {
		&self.metrics
	}

	/// The registered models this node serves: chain id → the served model.
	pub fn chain_models(&self) -> Vec<(u32, &ServedModel)> {
		let map = self.chain_models.read().unwrap_or_else(|p| p.into_inner());
		map.iter().map(|(id, i)| (*id, &self.models[*i])).collect()
	}

	/// The served model registered under `id`.
	pub fn served(&self, id: u32) -> Option<&ServedModel> {
		let map = self.chain_models.read().unwrap_or_else(|p| p.into_inner());
		map.get(&id).map(|i| &self.models[*i])
	}

	/// The enclave session's public key, once registered on chain.
	pub fn enclave_key(&self) -> Option<[u8; 32]> {
		let session = self.session.as_ref()?.read().unwrap_or_else(|p| p.into_inner());
		session.expires_at_ms().map(|_| session.public_key())
	}

	/// A fresh attestation document of the enclave carrying `user_data`, and the enclave's
	/// public key; `None` without an enclave.
	pub fn attest(&self, user_data: &[u8]) -> Option<Result<(Vec<u8>, [u8; 32]), AnswerError>> {
		let session = self.session.as_ref()?.read().unwrap_or_else(|p| p.into_inner());
		Some(
			session
				.attest_user_data(user_data)
				.map(|document| (document, session.public_key()))
				.map_err(|e| AnswerError::Attest(format!("{e:?}"))),
		)
	}

	/// Queues a direct receipt (the public audit log) of model `model` on `input` with
	/// `policy`; checked first, so a bad request queues nothing.
	pub fn accept_direct(
		&self,
		model: u32,
		input: Vec<i32>,
		policy: Vec<EvidenceKind>,
	) -> Result<JobId, ServiceError> {
		let served = self.served(model).ok_or(ServiceError::UnknownModel(model))?;
		check(served, &input, &policy).map_err(ServiceError::Answer)?;
		if policy.iter().any(|k| matches!(k, EvidenceKind::Tee | EvidenceKind::TeeAttested))
			&& self.session.is_none()
		{
			return Err(ServiceError::Answer(AnswerError::NoEnclave));
		}
		let id = self.queue.accept_direct(self.account, model, input, policy)?;
		self.metrics.jobs_accepted.inc();
		Ok(id)
	}

	/// Registers every verifying key of the served models that the chain does not hold yet,
	/// one `register_vk` transaction per key (L6): all are sent (consecutive nonces), then
	/// each is awaited. A key that another account registered meanwhile (another node serving
	/// the same model, starting at the same time) is refused `VerificationKeyAlreadyRegistered`
	/// alone, which is what this wanted: both nodes start.
	async fn register_vks(&self) -> Result<(), ServiceError> {
		let at = self.chain.finalized().await?;
		let mut sent = Vec::new();
		for keys in self.models.iter().flat_map(|m| m.keys.iter().flatten()) {
			let id = veritas_verifier_groth16::vk_id(&keys.vk);
			if at.vk_registered(id).await? || sent.iter().any(|(sent_id, _)| *sent_id == id) {
				continue;
			}
			let call = EncodedCall {
				pallet: pallets::GROTH16,
				call: "register_vk",
				args: EncodedArgs(keys.vk.encode()),
			};
			let watching = self.send(&call).await?;
			sent.push((id, watching));
		}
		for (id, watching) in sent {
			match watching.finalized().await {
				Ok(_) => tracing::info!(vk = %hex::encode(id), "verifying key registered"),
				Err(e) if is_already_registered(&e) => tracing::info!(
					vk = %hex::encode(id),
					"verifying key registered meanwhile by another account"
				),
				Err(e) => return Err(e.into()),
			}
		}
		Ok(())
	}

	/// Runs until `shutdown` turns true: the work loop (chain → jobs → receipts) and the
	/// submitter (ready receipts → chain, in batches) run side by side, so proofs go on while
	/// earlier receipts wait for finality, and whatever became ready meanwhile goes in the next
	/// batch. A step in progress (a proof, a submission) finishes first, its result on disk
	/// before this returns.
	pub async fn run(self: Arc<Self>, shutdown: watch::Receiver<bool>) {
		let this = Arc::clone(&self);
		let mut stop = shutdown.clone();
		let submitter = tokio::spawn(async move {
			while !*stop.borrow() {
				if let Err(e) = this.submit_step().await {
					tracing::warn!(error = %e, "submission step failed; retrying");
					this.recover(&e).await;
				}
				this.pause(&mut stop).await;
			}
		});
		let mut stop = shutdown;
		while !*stop.borrow() {
			if let Err(e) = self.work_step(&stop).await {
				tracing::warn!(error = %e, "work step failed; retrying");
				self.recover(&e).await;
			}
			self.pause(&mut stop).await;
		}
		let _ = submitter.await;
		tracing::info!("work loop stopped");
	}

	/// Waits one poll interval, or until `stop` changes.
	async fn pause(&self, stop: &mut watch::Receiver<bool>) {
		tokio::select! {
			_ = stop.changed() => {},
			_ = tokio::time::sleep(self.config.poll) => {},
		}
	}

	async fn work_step(
		self: &Arc<Self>,
		shutdown: &watch::Receiver<bool>,
	) -> Result<(), ServiceError> {
		let at = self.chain.finalized().await?;
		let at = &*at;
		self.discover_models(at).await?;
		self.keep_enclave_registered(at).await?;
		self.scan_requests(at).await?;
		let jobs = self.queue.unfinished()?;
		self.metrics.jobs_unfinished.set(jobs.len() as i64);
		for (id, job) in jobs {
			if *shutdown.borrow() {
				return Ok(());
			}
			if job.state == JobState::Accepted && self.due(id) {
				self.make_receipt(at, id, job).await?;
			}
		}
		Ok(())
	}

	async fn submit_step(self: &Arc<Self>) -> Result<(), ServiceError> {
		let mut ready = Vec::new();
		for (id, job) in self.queue.unfinished()? {
			let (JobState::Ready { receipt } | JobState::Submitted { receipt, .. }) = &job.state
			else {
				continue;
			};
			if !self.due(id) {
				continue;
			}
			match Receipt::decode(&mut &receipt[..]) {
				Ok(r) if needs_remake(&r, now_ms()) => {
					// The chain would refuse its attestation documents as stale: make the
					// evidence again (if a submission of it lands meanwhile, the lookup by
					// receipt id finds it, since ids do not depend on evidence).
					self.queue.set_state(id, JobState::Accepted)?;
					self.metrics.evidence_remade.inc();
					tracing::info!(job = id, "attestation documents grew stale; making them again");
				},
				Ok(r) => ready.push((id, job.clone(), r)),
				Err(e) => self.fail(id, format!("stored receipt does not decode: {e}"))?,
			}
		}
		self.submit_ready(ready).await
	}

	fn due(&self, id: JobId) -> bool {
		let retry = self.retry_at.lock().unwrap_or_else(|p| p.into_inner());
		retry.get(&id).is_none_or(|at| Instant::now() >= *at)
	}

	/// Counts a failed attempt of `id` and schedules the next one (1 s, 2 s, 4 s … 60 s), or
	/// gives the job up after `max_attempts`.
	fn retry_later(&self, id: JobId, why: &str) -> Result<(), ServiceError> {
		let attempts = self.queue.record_attempt(id)?;
		if attempts >= self.config.max_attempts {
			return self.fail(id, format!("gave up after {attempts} attempts: {why}"));
		}
		self.metrics.submit_retries.inc();
		let delay = Duration::from_secs(1u64 << attempts.min(6)).min(Duration::from_secs(60));
		tracing::warn!(job = id, attempts, ?delay, reason = why, "retrying later");
		self.retry_at.lock().unwrap_or_else(|p| p.into_inner()).insert(id, Instant::now() + delay);
		Ok(())
	}

	fn fail(&self, id: JobId, reason: String) -> Result<(), ServiceError> {
		tracing::warn!(job = id, %reason, "job failed");
		self.metrics.jobs_failed.inc();
		self.queue.set_state(id, JobState::Failed { reason })?;
		Ok(())
	}

	fn finalized(
		&self,
		id: JobId,
		receipt: Option<&Receipt>,
		block: [u8; 32],
	) -> Result<(), ServiceError> {
		tracing::info!(job = id, block = %hex::encode(block), "receipt verified on chain");
		self.metrics.receipts_finalized.inc();
		let receipt = receipt.map(Encode::encode).unwrap_or_default();
		self.queue.set_state(id, JobState::Finalized { receipt, block })?;
		Ok(())
	}

	async fn discover_models(&self, at: &dyn FinalizedState) -> Result<(), ServiceError> {
		let next = at.next_model_id().await?;
		let from = *self.model_cursor.lock().unwrap_or_else(|p| p.into_inner());
		for id in from..next {
			let Some(info) = at.model(id).await? else { continue };
			if let Some(i) = self.models.iter().position(|m| m.matches(&info.manifest)) {
				tracing::info!(model = %self.models[i].name, id, "serving a registered model");
				self.chain_models.write().unwrap_or_else(|p| p.into_inner()).insert(id, i);
			}
		}
		*self.model_cursor.lock().unwrap_or_else(|p| p.into_inner()) = next.max(from);
		Ok(())
	}

	async fn keep_enclave_registered(&self, at: &dyn FinalizedState) -> Result<(), ServiceError> {
		let (Some(session), Some(measurement)) = (&self.session, self.config.measurement) else {
			return Ok(());
		};
		let now = now_ms();
		let document = {
			let s = session.read().unwrap_or_else(|p| p.into_inner());
			if !s.needs_registration(now) {
				return Ok(());
			}
			let user_data = pallet_enclave_registry::user_data_for(&self.genesis, &self.account);
			s.registration_document(user_data, at.hash()).map_err(|e| {
				ServiceError::Answer(AnswerError::Attest(format!("registration document: {e:?}")))
			})?
		};
		let key = session.read().unwrap_or_else(|p| p.into_inner()).public_key();
		let call = EncodedCall {
			pallet: pallets::ENCLAVES,
			call: "register_enclave",
			args: EncodedArgs((measurement, document).encode()),
		};
		self.send(&call).await?.finalized().await?;
		let info = self.chain.finalized().await?.enclave(key).await?;
		let info =
			info.ok_or_else(|| ChainError::unreachable("the enclave key is not on chain"))?;
		session.write().unwrap_or_else(|p| p.into_inner()).registered(info.expires_at_ms);
		tracing::info!(key = %hex::encode(key), measurement = %hex::encode(measurement), expires_at_ms = info.expires_at_ms, "enclave key registered");
		Ok(())
	}

	async fn scan_requests(&self, at: &dyn FinalizedState) -> Result<(), ServiceError> {
		let next = at.next_request_id().await?;
		let from = self.queue.cursor(REQUEST_CURSOR)?;
		for id in from..next {
			let Some(request) = at.request(id).await? else { continue };
			let Some(served) = self.served(request.model) else { continue };
			if let Err(skip) = self.worth_taking(at, served, &request, request.input.as_deref()) {
				self.metrics.skipped(skip.reason());
				tracing::info!(request = id, "skipped: {skip}");
				continue;
			}
			let Some(input) = request.input else { continue };
			// An input on chain is public: nothing to salt (and its output is published).
			let (subject, opening) = (Subject::Request(id), (Salt::NONE, request.output));
			match self.queue.accept(request.model, subject, input, request.policy, opening) {
				Ok(job) => {
					self.metrics.jobs_accepted.inc();
					tracing::info!(request = id, job, model = request.model, "request accepted");
				},
				Err(QueueError::Duplicate(_)) => {},
				Err(e) => return Err(e.into()),
			}
		}
		if next > from {
			self.queue.set_cursor(REQUEST_CURSOR, next)?;
		}
		Ok(())
	}

	/// Whether `request` (for `served`) is this node's to answer and worth answering on `input`
	/// (on chain, or sent off chain by its requester; the scan skips requests whose input is not
	/// on chain): it names this node (or no node), the input fits the model's policy, its fee
	/// covers the node's price, and its deadline leaves time for the policy's proofs.
	fn worth_taking(
		&self,
		at: &dyn FinalizedState,
		served: &ServedModel,
		request: &Request,
		input: Option<&[i32]>,
	) -> Result<(), Skip> {
		if request.allowed_nodes.as_ref().is_some_and(|a| !a.contains(&self.account)) {
			return Err(Skip::NotAllowed);
		}
		let input = input.ok_or(Skip::InputOffChain)?;
		check(served, input, &request.policy).map_err(Skip::Policy)?;
		let price = self.config.prices.price(&served.name, &request.policy);
		if request.max_fee < price {
			return Err(Skip::BelowPrice { offered: request.max_fee, price });
		}
		let deadline = u64::from(request.deadline);
		if !self.config.deadlines.leaves_time(at.number(), deadline, &request.policy) {
			return Err(Skip::Deadline {
				deadline,
				needed: self.config.deadlines.blocks_needed(&request.policy),
			});
		}
		Ok(())
	}

	/// What the chain holds for `job`, whose receipt (if made) is `receipt`.
	async fn on_chain(
		&self,
		at: &dyn FinalizedState,
		job: &Job,
		receipt: Option<&Receipt>,
	) -> Result<OnChain, ServiceError> {
		if let Some(r) = receipt {
			let result = at.result(&id_of(&self.genesis, r)).await?;
			if result.is_some_and(|v| v.node == self.account) {
				return Ok(OnChain::Mine);
			}
		}
		let Subject::Request(id) = job.subject else {
			return Ok(OnChain::Open { fee: 0, deadline: None });
		};
		match at.request(id).await? {
			Some(r) if u64::from(r.deadline) > at.number() => {
				Ok(OnChain::Open { fee: r.max_fee, deadline: Some(r.deadline.into()) })
			},
			Some(_) => Ok(OnChain::Gone(format!("request {id}: its deadline passed"))),
			None => match at.result_of_request(id).await? {
				Some((_, v)) if v.node == self.account => Ok(OnChain::Mine),
				Some(_) => Ok(OnChain::Gone(format!("request {id} was answered by another node"))),
				None => Ok(OnChain::Gone(format!("request {id} expired or was reclaimed"))),
			},
		}
	}

	async fn make_receipt(
		self: &Arc<Self>,
		at: &dyn FinalizedState,
		id: JobId,
		job: Job,
	) -> Result<(), ServiceError> {
		let (fee, deadline) = match self.on_chain(at, &job, None).await? {
			OnChain::Open { fee, deadline } => (fee, deadline),
			OnChain::Mine => return self.finalized(id, None, at.hash()),
			OnChain::Gone(why) => return self.fail(id, why),
		};
		// Time may have passed since the request was taken (a queue, a restart): proving for
		// a receipt that cannot land in time only costs.
		if let Some(deadline) = deadline {
			if !self.config.deadlines.leaves_time(at.number(), deadline, &job.policy) {
				self.metrics.skipped("deadline");
				return self.fail(id, format!("too close to its deadline (block {deadline})"));
			}
		}
		if self.served(job.model).is_none() {
			return self.fail(id, format!("model {} is not served any more", job.model));
		}
		let this = Arc::clone(self);
		let binding = Binding {
			genesis: self.genesis,
			subject: job.subject,
			node: self.account,
			model: job.model,
			fee,
		};
		let started = Instant::now();
		tracing::info!(job = id, model = job.model, policy = ?job.policy, "answering");
		let made = tokio::task::spawn_blocking(move || {
			let served =
				this.served(job.model).ok_or_else(|| AnswerError::Run("model gone".into()))?;
			let mut seed = [0u8; 32];
			getrandom::getrandom(&mut seed).map_err(|e| AnswerError::Prove(e.to_string()))?;
			let mut rng = ChaCha20Rng::from_seed(seed);
			let session =
				this.session.as_ref().map(|s| s.read().unwrap_or_else(|p| p.into_inner()));
			answer(
				served,
				binding,
				Opening { values: &job.input, salt: job.salt, output: job.output },
				&job.policy,
				session.as_deref(),
				&mut rng,
				this.config.progress,
			)
		})
		.await
		.map_err(|e| {
			ServiceError::Answer(AnswerError::Prove(format!("the prover panicked: {e}")))
		})?;
		match made {
			Ok(receipt) => {
				self.metrics.answer_seconds.observe(started.elapsed().as_secs_f64());
				tracing::info!(job = id, seconds = started.elapsed().as_secs_f64(), "receipt made");
				self.queue.set_state(id, JobState::Ready { receipt: receipt.encode() })?;
				Ok(())
			},
			Err(AnswerError::NoEnclave) => {
				self.retry_later(id, "the enclave key is not registered yet")
			},
			Err(e) => self.fail(id, e.to_string()),
		}
	}

	async fn submit_ready(&self, ready: Vec<(JobId, Job, Receipt)>) -> Result<(), ServiceError> {
		if ready.is_empty() {
			return Ok(());
		}
		let at = self.chain.finalized().await?;
		let mut batch = Vec::new();
		for (id, job, receipt) in ready {
			match self.on_chain(&*at, &job, Some(&receipt)).await? {
				OnChain::Mine => self.finalized(id, Some(&receipt), at.hash())?,
				OnChain::Gone(why) => self.fail(id, why)?,
				OnChain::Open { .. } => batch.push((id, receipt, job.output)),
			}
		}
		// All or nothing: one bad receipt refuses its batch, which is halved until it is alone.
		submit_halving(&batch, self.config.max_batch, |part| self.submit(part)).await
	}

	/// Submits `receipts` in one transaction; how it ended (a refused receipt alone, or one left
	/// for later, is retried later with backoff). The receipt of a request whose output is
	/// committed goes without its output values, which the job keeps for the requester.
	async fn submit(
		&self,
		receipts: &[(JobId, Receipt, OutputMode)],
	) -> Result<Outcome, ServiceError> {
		let list: Vec<Receipt> =
			receipts.iter().map(|(_, r, mode)| as_submitted(r, *mode)).collect();
		let call = receipts_call(&list);
		let signing = self.signing.lock().await;
		let signed = match self.chain.sign(&self.config.signer, &call).await {
			Ok(signed) => signed,
			Err(e) => {
				let why = e.to_string();
				for (id, ..) in receipts {
					self.retry_later(*id, &why)?;
				}
				return Ok(Outcome::Later);
			},
		};
		let tx = signed.hash();
		for (id, r, _) in receipts {
			self.queue.set_state(*id, JobState::Submitted { receipt: r.encode(), tx })?;
		}
		let jobs: Vec<JobId> = receipts.iter().map(|(id, ..)| *id).collect();
		tracing::info!(receipts = receipts.len(), ?jobs, tx = %hex::encode(tx), "submitting");
		let watching = signed.submit().await;
		drop(signing);
		let landed = match watching {
			Ok(watching) => tokio::time::timeout(FINALITY_TIMEOUT, watching.finalized())
				.await
				.unwrap_or_else(|_| {
					Err(ChainError::TimedOut(format!(
						"{} not finalized within {FINALITY_TIMEOUT:?}",
						call.name()
					)))
				}),
			Err(e) => Err(e),
		};
		match landed {
			Ok(block) => {
				for (id, r, _) in receipts {
					self.finalized(*id, Some(r), block)?;
				}
				Ok(Outcome::Landed)
			},
			Err(e @ ChainError::Refused { .. }) if receipts.len() == 1 => {
				// Refused: the next round looks the job up on chain (answered meanwhile?) and
				// retries a few times before giving up.
				self.retry_later(receipts[0].0, &e.to_string())?;
				Ok(Outcome::Refused)
			},
			Err(ChainError::Refused { .. }) => Ok(Outcome::Refused),
			Err(e) => {
				let why = e.to_string();
				for (id, ..) in receipts {
					self.retry_later(*id, &why)?;
				}
				Ok(Outcome::Later)
			},
		}
	}
}

/// `receipt` as the chain takes it: without its output values when the request keeps its output
/// off chain (`c_n`, salted, commits to them).
pub fn as_submitted(receipt: &Receipt, output: OutputMode) -> Receipt {
	let mut r = receipt.clone();
	if output == OutputMode::Committed {
		r.output.clear();
	}
	r
}

/// How old an attestation document in a receipt may grow before the node makes the evidence
/// again: the chain refuses documents older than 5 minutes at inclusion
/// (`MaxDocumentAgeMs`), and a submission takes up to a minute to be included.
pub const REMAKE_AFTER_MS: u64 = 4 * 60 * 1000;

/// Whether `receipt` holds an attestation document older than [`REMAKE_AFTER_MS`] at `now_ms`
/// (or one that does not even parse: the chain would refuse it too).
pub fn needs_remake(receipt: &Receipt, now_ms: u64) -> bool {
	receipt.evidence.iter().any(|e| match e {
		Evidence::TeeAttested { document } => veritas_verifier_tee_nitro::parse(document)
			.map_or(true, |d| d.document.timestamp_ms.saturating_add(REMAKE_AFTER_MS) < now_ms),
		_ => false,
	})
}

/// Whether the chain refused a call because a verifying key it registers is registered already.
fn is_already_registered(e: &ChainError) -> bool {
	e.is_pallet_error("VerificationKeyAlreadyRegistered")
}

/// Unix time in milliseconds.
pub fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |d| d.as_millis() as u64)
}
