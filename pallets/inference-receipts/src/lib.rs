//! # Inference receipts pallet
//!
//! The settlement layer's core: requests, receipts checked segment by segment, verified results.
//!
//! - `request_inference(model, input, c_0, output, policy, max_fee, ttl, allowed_nodes)`: a dapp
//!   asks for an inference of an active model, with the evidence kind it wants for each segment
//!   (within what the model accepts). It gives the input values (the runtime commits to them:
//!   `c_0`) or only `c_0` (the input stays off chain; `c_0` may be salted, which the chain cannot
//!   tell). With only `c_0`, `output: Committed` keeps the output off chain too: the receipt
//!   carries `c_n` and no output values, and the requester gets them from the node. `max_fee` is escrowed (`pallet-settlement`) until a
//!   verified receipt answers the request or `ttl` blocks pass. `allowed_nodes` optionally names
//!   the only nodes that may answer; a policy with a `None` segment must name them, because such
//!   a segment rests on the answering node's word (and bond) alone, with no challenge.
//! - `submit_receipt(receipt)`: a bonded inference node answers a request, or records a direct
//!   receipt (`Subject::Direct`, the public audit log). All or nothing: every segment's evidence
//!   must verify for its own statement (`SegmentStatement`: chain, request or node nonce, the
//!   submitting node and the fee it claims, the model by id and by content (its registered file
//!   hash and manifest digest), segment, `c_in`, `c_out`), so a receipt copied by another node
//!   or with another fee, or evidence made for another model's content, does not verify;
//!   consecutive segments share their commitments by construction
//!   (`c_in` of segment i is `c_out` of segment i−1, `c_0` the request's), and the output must
//!   commit to `c_n` (a `Committed` request's receipt carries no output values). A verified receipt is stored as a [`VerifiedResult`] under its receipt id
//!   (a hash of the statement, never of evidence bytes) with the trust assumptions it rests on;
//!   the fee goes to the node and the rest of the escrow back to the requester. A refused
//!   receipt changes nothing; the sender pays the transaction fee of the weight the call used
//!   ([`Pallet::weights_used`]: up to the refused receipt, without the ZK checks, which run
//!   last), not of the whole declared weight.
//! - `submit_receipts(receipts)`: a batch from one node, all or nothing. The ZK segments of the
//!   whole batch that share a verifying key are checked together (`ZkVerifier::verify_batch`: one
//!   random linear combination, one final exponentiation), in chunks of the verifier's largest
//!   batch; a key with a single proof is checked on its own. What the receipts share is looked
//!   up once per call ([`CallContext`]: the node's bond, the genesis hash, the models, each
//!   enclave key's validity, each model's latest results) and weighed once
//!   ([`Pallet::batch_weight`]).
//! - `report_equivocation(key, first, first_signature, second, second_signature)`: two statements
//!   signed by one enclave key for the same chain, model (id and content), segment and `c_in`
//!   but different `c_out` prove that the enclave lied once. Anyone may report it, and the key
//!   is revoked for good. The operator's bond is slashed (`pallet-settlement`: part to the
//!   reporter, the rest burned) when the reporter committed to the report in an earlier block
//!   (`commit_report(commitment)`, [`report_commitment`] of the reporter and the report, with a
//!   storage deposit; `withdraw_report` takes it back): a report copied from the transaction pool
//!   has no commitment and earns its copier nothing, and the committed reporter may still reveal
//!   after a copy revoked the key.
//! - `reclaim_expired(request)`: after the deadline anyone returns an unanswered request's
//!   escrow to its requester, so no fee stays locked (`on_idle` does it too).
//!
//! Storage is paid for and goes (M4): a request escrows a deposit for its bytes with its fee
//! (`DepositBase + DepositPerByte × encoded size`, back when it is answered or expires), a
//! result holds the same from its node until `on_idle` prunes it `ResultRetention` blocks
//! later; `on_idle` also removes expired requests by deadline. [`Usage`] counts each model's
//! open requests and stored results, so `pallet-models` removes only unused models.
//!
//! Results are readable by plain storage queries (`Results`, `ResultOfRequest`,
//! `LatestResults`), by the `ReceiptVerified` event (also after pruning, at an archive node)
//! and by the runtime API ([`runtime_api::InferenceReceiptsApi`], whose `request_status` tells
//! an open, answered, pruned or unknown request apart).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod call_context;
mod equivocation;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
mod pruning;
mod queries;
mod requests;
pub mod runtime_api;
mod segment_checks;
pub mod types;
mod weigher;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use call_context::{CallContext, KnownKeys};
pub use pallet::*;
pub(crate) use requests::RequestTerms;
pub(crate) use segment_checks::check_segment;
pub use types::*;
pub use weigher::Weigher;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use alloc::boxed::Box;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use veritas_crypto_host::PoseidonEngine;
	use veritas_primitives::{
		AccountBytes, Commitment, EnclaveKey, EvidenceKind, ModelId, OutputMode, ReceiptId,
		RequestId, SegmentStatement, Signature, Subject, VkId,
	};

	use super::*;

	/// The balance type of the settlement pallet's currency.
	pub type BalanceOf<T> = pallet_settlement::BalanceOf<T>;
	/// The most segments of a model.
	pub type MaxSegmentsOf<T> = <T as pallet_models::Config>::MaxSegments;
	/// The most values of an input or output tensor.
	pub type MaxTensorLenOf<T> = <T as pallet_models::Config>::MaxTensorLen;
	/// A Groth16 proof.
	pub type ProofOf<T> = <<T as Config>::Zk as ZkVerifier>::Proof;
	/// A stored request.
	pub type RequestOf<T> = Request<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		MaxTensorLenOf<T>,
		MaxSegmentsOf<T>,
		<T as Config>::MaxAllowedNodes,
	>;
	/// The nodes a request allows to answer it.
	pub type AllowedNodesOf<T> =
		BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxAllowedNodes>;
	/// A receipt as a call argument.
	pub type ReceiptOf<T> = Receipt<
		BalanceOf<T>,
		ProofOf<T>,
		MaxSegmentsOf<T>,
		MaxTensorLenOf<T>,
		<T as Config>::MaxDocumentLen,
	>;
	/// A stored verified result.
	pub type ResultOf<T> = VerifiedResult<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		ProofOf<T>,
		MaxSegmentsOf<T>,
		MaxTensorLenOf<T>,
		<T as Config>::MaxDocumentLen,
	>;

	/// A ZK segment's check, deferred so that a batch's proofs under one key verify together.
	pub type ZkCheck<T> = (VkId, ProofOf<T>, [[u8; 32]; 3]);

	/// The storage layout's version: 2 since requests and results carry their storage deposits
	/// and the pruning indexes exist (M4), 3 since requests say where their output goes
	/// (`OutputMode`). There are no migrations: no chain ran the earlier layouts outside
	/// development.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<
			RuntimeEvent: From<Event<Self>>,
			AccountId: Into<AccountBytes> + From<AccountBytes>,
		> + pallet_models::Config
		+ pallet_settlement::Config
	{
		/// Enclave signatures and attestation documents.
		type Tee: TeeVerifier;
		/// Groth16 proofs under registered keys.
		type Zk: ZkVerifier;
		/// Who computes Poseidon commitments (the node's host function in the runtime).
		type Poseidon: PoseidonEngine;
		/// The longest attestation document a segment may carry.
		#[pallet::constant]
		type MaxDocumentLen: Get<u32>;
		/// How many latest results are kept per model for the runtime API.
		#[pallet::constant]
		type MaxLatest: Get<u32>;
		/// The longest a request may stay open, in blocks.
		#[pallet::constant]
		type MaxTtl: Get<BlockNumberFor<Self>>;
		/// The most receipts of one `submit_receipts`.
		#[pallet::constant]
		type MaxBatch: Get<u32>;
		/// The most nodes a request may name as the only ones allowed to answer it.
		#[pallet::constant]
		type MaxAllowedNodes: Get<u32>;
		/// The storage deposit of a stored request or result: this, plus `DepositPerByte` for
		/// each byte of its encoding.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;
		/// The storage deposit per byte of a stored request or result.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;
		/// How many blocks a verified result stays in storage; `on_idle` prunes it after that
		/// and releases its deposit (its `ReceiptVerified` event stays at archive nodes).
		#[pallet::constant]
		type ResultRetention: Get<BlockNumberFor<Self>>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
		/// What the benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// What the benchmarks need from the runtime: an enclave key that signs.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper {
		/// Registers a new, valid enclave key for `operator` and returns it.
		fn enclave_key(operator: &AccountBytes) -> EnclaveKey;
		/// `key`'s signature over `payload`, as [`TeeVerifier`] checks it.
		fn sign(key: &EnclaveKey, payload: &[u8]) -> Signature;
	}

	/// The id the next request gets.
	#[pallet::storage]
	pub type NextRequestId<T: Config> = StorageValue<_, RequestId, ValueQuery>;

	/// Open requests (removed when answered or reclaimed).
	#[pallet::storage]
	pub type Requests<T: Config> = StorageMap<_, Blake2_128Concat, RequestId, RequestOf<T>>;

	/// Verified results, by receipt id.
	#[pallet::storage]
	pub type Results<T: Config> = StorageMap<_, Blake2_128Concat, ReceiptId, ResultOf<T>>;

	/// The receipt that answered each answered request.
	#[pallet::storage]
	pub type ResultOfRequest<T: Config> = StorageMap<_, Blake2_128Concat, RequestId, ReceiptId>;

	/// The latest results of each model, oldest first (pruned ones are skipped when read).
	#[pallet::storage]
	pub type LatestResults<T: Config> =
		StorageMap<_, Blake2_128Concat, ModelId, BoundedVec<ReceiptId, T::MaxLatest>, ValueQuery>;

	/// Every request by its deadline, written once when it is made: `on_idle` walks the
	/// deadlines that have passed and removes those of their requests still open. An answered
	/// or reclaimed request's entry stays until then (removing it would cost every answer a
	/// write).
	#[pallet::storage]
	pub type Expiring<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, RequestId, ()>;

	/// The oldest deadline whose requests may not all be removed yet.
	#[pallet::storage]
	pub type ExpiryFrom<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The results each call stored, by the block they were verified in and the call's first
	/// receipt id (one write per call, not per receipt): what pruning walks once
	/// `ResultRetention` has passed.
	#[pallet::storage]
	pub type ResultsOfBlock<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Blake2_128Concat,
		ReceiptId,
		BoundedVec<ReceiptId, T::MaxBatch>,
	>;

	/// The oldest block whose results may not all be pruned yet.
	#[pallet::storage]
	pub type PruneFrom<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Equivocation reports' commitments, by reporter and [`report_commitment`], until they are
	/// revealed (`report_equivocation`) or withdrawn.
	#[pallet::storage]
	pub type ReportCommitments<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Identity,
		[u8; 32],
		ReportCommitment<BlockNumberFor<T>, BalanceOf<T>>,
	>;

	/// Each model's open requests plus its stored results: a model in use cannot be removed
	/// (`pallet_models::remove_model` asks [`Pallet::is_model_in_use`]).
	#[pallet::storage]
	pub type Usage<T: Config> = StorageMap<_, Blake2_128Concat, ModelId, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A request was made; its fee is escrowed.
		InferenceRequested {
			/// Its id.
			id: RequestId,
			/// Who asked.
			requester: T::AccountId,
			/// The model version.
			model: ModelId,
			/// The commitment to its input.
			c_0: Commitment,
			/// The last block a receipt is accepted.
			deadline: BlockNumberFor<T>,
		},
		/// A receipt was verified and its result stored.
		ReceiptVerified {
			/// The receipt id.
			id: ReceiptId,
			/// The request answered, or the direct receipt's node and nonce.
			subject: Subject,
			/// The model version.
			model: ModelId,
			/// The node.
			node: T::AccountId,
			/// The commitment to the output.
			c_out: Commitment,
		},
		/// An unanswered request expired and was removed; its escrow and deposit went back to
		/// the requester.
		RequestExpired {
			/// Its id.
			id: RequestId,
		},
		/// A result was pruned after the retention period; its deposit went back to its node.
		ResultPruned {
			/// The receipt id.
			id: ReceiptId,
		},
		/// An enclave key was proven to equivocate: it is revoked, and its operator slashed if
		/// the report was committed to first.
		EquivocationReported {
			/// The key.
			key: EnclaveKey,
			/// Its operator.
			operator: T::AccountId,
			/// Who reported it (and received part of the slashed bond, unless the operator).
			reporter: T::AccountId,
			/// The bond slashed (0 for a report without a commitment, or if the operator had no
			/// bond left).
			slashed: BalanceOf<T>,
		},
		/// A reporter committed to an equivocation report.
		ReportCommitted {
			/// The reporter.
			reporter: T::AccountId,
			/// The commitment.
			commitment: [u8; 32],
		},
		/// A reporter withdrew an unrevealed commitment; its deposit went back.
		ReportWithdrawn {
			/// The reporter.
			reporter: T::AccountId,
			/// The commitment.
			commitment: [u8; 32],
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No model has this id.
		UnknownModel,
		/// The model is deprecated.
		ModelDeprecated,
		/// The policy does not name one accepted evidence kind per segment.
		BadPolicy,
		/// The policy needs an enclave measurement that governance revoked (or that is gone).
		MeasurementRevoked,
		/// Neither input values nor `c_0` were given.
		MissingInput,
		/// The input values do not fit the model's input shape.
		BadInput,
		/// The given `c_0` is not the commitment to the given input.
		InputCommitmentMismatch,
		/// The time to live is zero or longer than `MaxTtl`.
		BadTtl,
		/// No request has this id.
		UnknownRequest,
		/// The request was answered already.
		AlreadyAnswered,
		/// The request's deadline has passed (it may have been removed since).
		LateReceipt,
		/// The request's deadline has not passed yet.
		NotExpired,
		/// The caller is not an active (bonded, not unbonding) inference node.
		NotANode,
		/// The receipt's model is not the request's.
		WrongModel,
		/// The receipt does not have one output commitment and one evidence per segment.
		WrongSegmentCount,
		/// The receipt's `c_0` is not the request's: the commitment chain is broken.
		BrokenCommitmentChain,
		/// A segment's evidence is not the kind the request's policy names.
		PolicyMismatch,
		/// A segment's evidence is of a kind the model does not accept there.
		EvidenceNotAccepted,
		/// The fee is above the request's `max_fee` (or not zero on a direct receipt).
		BadFee,
		/// A direct receipt names another node.
		WrongNode,
		/// The output does not fit the model's output shape.
		BadOutput,
		/// The output's commitment is not the last segment's `c_out`.
		OutputMismatch,
		/// A commitment is not a canonical BN254 scalar.
		NonCanonicalCommitment,
		/// An enclave key is unknown, expired, or its measurement or root was revoked.
		InvalidEnclaveKey,
		/// An enclave signature does not verify for its segment.
		BadEnclaveSignature,
		/// The enclave key belongs to another node.
		KeyOfAnotherNode,
		/// An attestation document does not verify for its segment.
		BadAttestation,
		/// A Groth16 proof does not verify for its segment.
		InvalidProof,
		/// This exact statement was recorded already.
		DuplicateReceipt,
		/// `submit_receipts` was given no receipt.
		EmptyBatch,
		/// A reported statement is not of this chain.
		WrongChain,
		/// The two statements are not of the same model, segment and `c_in` with different
		/// `c_out`.
		NotEquivocation,
		/// The enclave key was revoked already (and the report has no commitment, or its operator
		/// no bond left to slash).
		EnclaveKeyRevoked,
		/// The caller committed to this exact value already.
		CommitmentExists,
		/// The caller has no such commitment.
		UnknownCommitment,
		/// The report's commitment was made in this block: reveal it in a later one.
		CommitmentTooRecent,
		/// A request named an empty list of allowed nodes (name at least one, or none at all).
		EmptyAllowedNodes,
		/// A policy with a `None` segment must name the nodes allowed to answer: such a segment
		/// rests on the answering node's word alone.
		NoneNeedsAllowedNodes,
		/// The request names the nodes that may answer it, and the caller is not one of them.
		NotAllowed,
		/// A request may keep its output off chain (`OutputMode::Committed`) only if its input
		/// is off chain too: from an input on chain anyone can compute the output.
		CommittedOutputNeedsC0,
		/// The request keeps its output off chain, and the receipt carries output values.
		OutputPublished,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Requests an inference of `model` on `input` (its values) and/or `c_0` (their
		/// commitment), with `policy` (the evidence kind per segment); escrows `max_fee` until
		/// answered or `ttl` blocks have passed. `allowed_nodes`, if given, names the only nodes
		/// that may answer (at least one); a policy with a `None` segment must name them.
		/// `output` says whether the receipt publishes the output (`Published`) or only commits
		/// to it (`Committed`, for a request without `input`: the requester gets the output from
		/// the node off chain and checks it against `c_n`).
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::request_inference(
			input.as_ref().map_or(0, |i| i.len() as u32)
		))]
		pub fn request_inference(
			origin: OriginFor<T>,
			model: ModelId,
			input: Option<BoundedVec<i32, MaxTensorLenOf<T>>>,
			c_0: Option<Commitment>,
			output: OutputMode,
			policy: BoundedVec<EvidenceKind, MaxSegmentsOf<T>>,
			max_fee: BalanceOf<T>,
			ttl: BlockNumberFor<T>,
			allowed_nodes: Option<AllowedNodesOf<T>>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			let ask = RequestTerms { input, c_0, output, policy, max_fee, ttl, allowed_nodes };
			Self::do_request_inference(requester, model, ask)
		}

		/// Submits a receipt (answering a request, or a direct receipt); see the crate
		/// documentation for every check.
		#[pallet::call_index(1)]
		#[pallet::weight(Pallet::<T>::receipt_weight(receipt))]
		pub fn submit_receipt(
			origin: OriginFor<T>,
			receipt: Box<ReceiptOf<T>>,
		) -> DispatchResultWithPostInfo {
			let node = ensure_signed(origin)?;
			Self::do_submit_receipts(node, alloc::vec![*receipt])
		}

		/// Returns an expired, unanswered request's escrow and deposit to its requester and
		/// removes it. Anyone may call it (`on_idle` also does it, deadline by deadline).
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::reclaim_expired())]
		pub fn reclaim_expired(origin: OriginFor<T>, id: RequestId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_reclaim_expired(id)
		}

		/// Submits a batch of receipts from one node, all or nothing; the ZK segments that share
		/// a key are verified together (see the crate documentation). A batch refused at one
		/// receipt's checks pays the weight used up to that receipt.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::batch_weight(receipts))]
		pub fn submit_receipts(
			origin: OriginFor<T>,
			receipts: BoundedVec<ReceiptOf<T>, T::MaxBatch>,
		) -> DispatchResultWithPostInfo {
			let node = ensure_signed(origin)?;
			ensure!(!receipts.is_empty(), Error::<T>::EmptyBatch);
			Self::do_submit_receipts(node, receipts.into_inner())
		}

		/// Reports two statements signed by `key` for the same chain, model (id and content),
		/// segment and `c_in` but different `c_out`: the key is revoked. If the caller committed
		/// to this report (`commit_report`) in an earlier block, the operator is slashed too, part
		/// of the bond to the caller. Anyone may call it. The subject, node and fee may differ:
		/// one input of one model has one output, whoever asked.
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::report_equivocation())]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			key: EnclaveKey,
			first: SegmentStatement,
			first_signature: Signature,
			second: SegmentStatement,
			second_signature: Signature,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_report_equivocation(
				reporter,
				key,
				first,
				first_signature,
				second,
				second_signature,
			)
		}

		/// Commits to an equivocation report ([`report_commitment`] of the caller and the
		/// report's arguments) to reveal with `report_equivocation` in a later block; holds a
		/// storage deposit until then (or until `withdraw_report`).
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::commit_report())]
		pub fn commit_report(origin: OriginFor<T>, commitment: [u8; 32]) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_commit_report(reporter, commitment)
		}

		/// Removes the caller's unrevealed `commitment` and releases its deposit.
		#[pallet::call_index(6)]
		#[pallet::weight(<T as Config>::WeightInfo::withdraw_report())]
		pub fn withdraw_report(origin: OriginFor<T>, commitment: [u8; 32]) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			Self::do_withdraw_report(reporter, commitment)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Removes expired requests (refunding them), then prunes results older than
		/// `ResultRetention` (releasing their deposits), as far as the block's idle weight goes.
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			type W<T> = <T as Config>::WeightInfo;
			let mut used = Weight::zero();
			let most = |remaining: Weight, cost: fn(u32) -> Weight| {
				(1..=MAX_PRUNED_PER_BLOCK).rev().find(|n| remaining.all_gte(cost(*n)))
			};
			if let Some(n) = most(remaining, W::<T>::expire_requests) {
				used = used.saturating_add(W::<T>::expire_requests(Self::expire_requests(n)));
			}
			if let Some(n) = most(remaining.saturating_sub(used), W::<T>::prune_results) {
				used = used.saturating_add(W::<T>::prune_results(Self::prune_results(n)));
			}
			used
		}

		fn integrity_test() {
			if let Err(e) = check_constants(
				T::MaxLatest::get(),
				T::MaxBatch::get(),
				T::MaxTtl::get() > BlockNumberFor::<T>::default(),
				T::MaxDocumentLen::get(),
			) {
				panic!("pallet-inference-receipts: {e}");
			}
			assert!(
				T::ResultRetention::get() > T::MaxTtl::get(),
				"pallet-inference-receipts: ResultRetention must outlast MaxTtl (a pruned \
				 request is past its deadline)"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// The most requests or results `on_idle` looks at in one block, each.
	pub const MAX_PRUNED_PER_BLOCK: u32 = 512;

	/// A model with open requests or stored results is in use: `pallet-models` does not remove
	/// it.
	impl<T: Config> pallet_models::ModelUsage for Pallet<T> {
		fn is_in_use(model: ModelId) -> bool {
			Self::is_model_in_use(model)
		}
	}

	/// What the pallet's constants must satisfy, checked by `integrity_test`: room for one latest
	/// result (the oldest is dropped to make room for the newest), a batch of at least one
	/// receipt, a request that can stay open at least one block, and room for a document.
	pub fn check_constants(
		max_latest: u32,
		max_batch: u32,
		max_ttl_positive: bool,
		max_document_len: u32,
	) -> Result<(), &'static str> {
		if max_latest == 0 {
			return Err("MaxLatest must be at least 1");
		}
		if max_batch == 0 {
			return Err("MaxBatch must be at least 1");
		}
		if !max_ttl_positive {
			return Err("MaxTtl must be positive");
		}
		if max_document_len == 0 {
			return Err("MaxDocumentLen must be positive");
		}
		Ok(())
	}
}
