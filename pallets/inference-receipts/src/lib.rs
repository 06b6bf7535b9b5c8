//! # Inference receipts pallet
//!
//! The settlement layer's core: requests, receipts checked segment by segment, verified results.
//!
//! - `request_inference(model, input, c_0, policy, max_fee, ttl, allowed_nodes)`: a dapp asks for
//!   an inference of an active model, with the evidence kind it wants for each segment (within
//!   what the model accepts). It gives the input values (the runtime commits to them: `c_0`) or
//!   only `c_0` (the input stays off chain). `max_fee` is escrowed (`pallet-settlement`) until a
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
//!   commit to `c_n`. A verified receipt is stored as a [`VerifiedResult`] under its receipt id
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
//!   but different
//!   `c_out` prove that the enclave lied once. Anyone may report it: the key is revoked for good
//!   and its operator's bond slashed (`pallet-settlement`: part to the reporter, the rest burned).
//! - `reclaim_expired(request)`: after the deadline anyone returns an unanswered request's
//!   escrow to its requester, so no fee stays locked.
//!
//! Results are readable by plain storage queries (`Results`, `ResultOfRequest`,
//! `LatestResults`), by the `ReceiptVerified` event and by the runtime API
//! ([`runtime_api::InferenceReceiptsApi`]).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod runtime_api;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use alloc::{
		boxed::Box,
		collections::{btree_map, btree_map::BTreeMap, btree_set::BTreeSet},
		vec::Vec,
	};
	use frame_support::{dispatch::WithPostDispatchInfo, pallet_prelude::*};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::Saturating, SaturatedConversion};
	use veritas_crypto_host::PoseidonEngine;
	use veritas_primitives::{
		commitment::commit_with, receipt_id, AccountBytes, Commitment, EnclaveKey, Evidence,
		EvidenceKind, ModelId, ReceiptId, RequestId, SegmentStatement, Signature, Subject, VkId,
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

	/// The storage layout's version: 1 since genesis (no migrations yet).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

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

	/// The latest results of each model, oldest first.
	#[pallet::storage]
	pub type LatestResults<T: Config> =
		StorageMap<_, Blake2_128Concat, ModelId, BoundedVec<ReceiptId, T::MaxLatest>, ValueQuery>;

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
		/// An unanswered request expired; its escrow went back to the requester.
		RequestExpired {
			/// Its id.
			id: RequestId,
		},
		/// An enclave key was proven to equivocate: it is revoked and its operator slashed.
		EquivocationReported {
			/// The key.
			key: EnclaveKey,
			/// Its operator.
			operator: T::AccountId,
			/// Who reported it (and received part of the slashed bond).
			reporter: T::AccountId,
			/// The bond slashed (0 if the operator had no bond left).
			slashed: BalanceOf<T>,
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
		/// No open request has this id.
		UnknownRequest,
		/// The request was answered already.
		AlreadyAnswered,
		/// The request's deadline has passed.
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
		/// The enclave key was revoked already.
		EnclaveKeyRevoked,
		/// A request named an empty list of allowed nodes (name at least one, or none at all).
		EmptyAllowedNodes,
		/// A policy with a `None` segment must name the nodes allowed to answer: such a segment
		/// rests on the answering node's word alone.
		NoneNeedsAllowedNodes,
		/// The request names the nodes that may answer it, and the caller is not one of them.
		NotAllowed,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Requests an inference of `model` on `input` (its values) and/or `c_0` (their
		/// commitment), with `policy` (the evidence kind per segment); escrows `max_fee` until
		/// answered or `ttl` blocks have passed. `allowed_nodes`, if given, names the only nodes
		/// that may answer (at least one); a policy with a `None` segment must name them.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::request_inference(
			input.as_ref().map_or(0, |i| i.len() as u32)
		))]
		pub fn request_inference(
			origin: OriginFor<T>,
			model: ModelId,
			input: Option<BoundedVec<i32, MaxTensorLenOf<T>>>,
			c_0: Option<Commitment>,
			policy: BoundedVec<EvidenceKind, MaxSegmentsOf<T>>,
			max_fee: BalanceOf<T>,
			ttl: BlockNumberFor<T>,
			allowed_nodes: Option<AllowedNodesOf<T>>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			let m = pallet_models::Pallet::<T>::active_model(model).map_err(|e| match e {
				pallet_models::Error::ModelDeprecated => Error::<T>::ModelDeprecated,
				_ => Error::<T>::UnknownModel,
			})?;
			let segments = &m.manifest.segments;
			ensure!(
				policy.len() == segments.len()
					&& policy.iter().zip(segments.iter()).all(|(k, s)| s.accepts.contains(*k)),
				Error::<T>::BadPolicy
			);
			// A TEE policy on a revoked measurement could never be answered: refused now, not
			// left to lock the fee until the deadline (M1).
			for (kind, segment) in policy.iter().zip(segments.iter()) {
				if matches!(kind, EvidenceKind::Tee | EvidenceKind::TeeAttested) {
					let active =
						segment.measurement.as_ref().is_some_and(T::Tee::is_measurement_active);
					ensure!(active, Error::<T>::MeasurementRevoked);
				}
			}
			match &allowed_nodes {
				Some(nodes) => ensure!(!nodes.is_empty(), Error::<T>::EmptyAllowedNodes),
				None => ensure!(
					!policy.contains(&EvidenceKind::None),
					Error::<T>::NoneNeedsAllowedNodes
				),
			}
			let c_0 = match (&input, c_0) {
				(Some(values), given) => {
					let c = commit_with::<T::Poseidon, i32>(&m.manifest.input_shape, values)
						.map_err(|_| Error::<T>::BadInput)?;
					ensure!(given.is_none_or(|g| g == c), Error::<T>::InputCommitmentMismatch);
					c
				},
				(None, Some(c)) => {
					c.to_field().map_err(|_| Error::<T>::NonCanonicalCommitment)?;
					c
				},
				(None, None) => return Err(Error::<T>::MissingInput.into()),
			};
			ensure!(
				ttl > BlockNumberFor::<T>::default() && ttl <= T::MaxTtl::get(),
				Error::<T>::BadTtl
			);
			pallet_settlement::Pallet::<T>::escrow(&requester, max_fee)?;
			let deadline = frame_system::Pallet::<T>::block_number().saturating_add(ttl);
			let id = NextRequestId::<T>::get();
			NextRequestId::<T>::put(id.saturating_add(1));
			Requests::<T>::insert(
				id,
				Request {
					requester: requester.clone(),
					model,
					c_0,
					input,
					policy,
					max_fee,
					allowed_nodes,
					deadline,
				},
			);
			Self::deposit_event(Event::InferenceRequested { id, requester, model, c_0, deadline });
			Ok(())
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
			let used = Self::weights_used(core::slice::from_ref(&receipt));
			let mut call = CallContext::<T>::new(node).map_err(|e| e.with_weight(used[0]))?;
			call.submit(*receipt).map_err(|e| e.with_weight(used[0]))?;
			call.finish()?;
			Ok(().into())
		}

		/// Returns an expired, unanswered request's escrow to its requester. Anyone may call it.
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::reclaim_expired())]
		pub fn reclaim_expired(origin: OriginFor<T>, id: RequestId) -> DispatchResult {
			ensure_signed(origin)?;
			let request = Requests::<T>::get(id).ok_or_else(|| Self::missing_request(id))?;
			ensure!(
				frame_system::Pallet::<T>::block_number() > request.deadline,
				Error::<T>::NotExpired
			);
			pallet_settlement::Pallet::<T>::refund(&request.requester, request.max_fee)?;
			Requests::<T>::remove(id);
			Self::deposit_event(Event::RequestExpired { id });
			Ok(())
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
			let used = Self::weights_used(&receipts);
			let mut call = CallContext::<T>::new(node).map_err(|e| e.with_weight(used[0]))?;
			for (receipt, used) in receipts.into_iter().zip(used) {
				call.submit(receipt).map_err(|e| e.with_weight(used))?;
			}
			call.finish()?;
			Ok(().into())
		}

		/// Reports two statements signed by `key` for the same chain, model (id and content),
		/// segment and `c_in` but different `c_out`: the key is revoked and its operator slashed,
		/// part of the bond to the caller. Anyone may call it. The subject, node and fee may
		/// differ: one input of one model has one output, whoever asked.
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
			let genesis = Self::genesis();
			ensure!(first.genesis == genesis && second.genesis == genesis, Error::<T>::WrongChain);
			ensure!(
				first.model == second.model
					&& first.file_hash == second.file_hash
					&& first.model_digest == second.model_digest
					&& first.segment == second.segment
					&& first.c_in == second.c_in
					&& first.c_out != second.c_out,
				Error::<T>::NotEquivocation
			);
			let operator = T::Tee::key_operator(&key).map_err(Self::tee_error)?;
			ensure!(
				T::Tee::is_signature_of(&key, &first.signing_payload(), &first_signature)
					&& T::Tee::is_signature_of(&key, &second.signing_payload(), &second_signature),
				Error::<T>::BadEnclaveSignature
			);
			T::Tee::revoke_key(&key).map_err(Self::tee_error)?;
			let operator = T::AccountId::from(operator);
			let slashed = if pallet_settlement::Nodes::<T>::contains_key(&operator) {
				pallet_settlement::Pallet::<T>::slash(&operator, &reporter)?
			} else {
				BalanceOf::<T>::default()
			};
			Self::deposit_event(Event::EquivocationReported { key, operator, reporter, slashed });
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			if let Err(e) = check_constants(
				T::MaxLatest::get(),
				T::MaxBatch::get(),
				T::MaxTtl::get() > BlockNumberFor::<T>::default(),
				T::MaxDocumentLen::get(),
			) {
				panic!("pallet-inference-receipts: {e}");
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
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

	impl<T: Config> Pallet<T> {
		/// The weight of `submit_receipt(receipt)`: the benchmarked call without evidence, plus
		/// each segment's evidence check.
		pub fn receipt_weight(receipt: &ReceiptOf<T>) -> Weight {
			Self::batch_weight(core::slice::from_ref(receipt))
		}

		/// The weight of `submit_receipts(receipts)`, following what [`CallContext`] does once
		/// per call:
		/// - a receipt answering a request: its benchmarked `submit_receipt` (every lookup
		///   included);
		/// - a direct receipt: one receipt's share of `submit_direct_receipts` plus its further
		///   segments and output values (`submit_receipt`'s slopes), and once per model of the
		///   call, what direct receipts share (the node, the model, the latest results);
		/// - a TEE segment: the key's lookup and signature the first time the call meets the key,
		///   one more signature check after that;
		/// - the ZK checks grouped by model and segment (an upper bound of the grouping by key
		///   the call does, since a batch of n + m proofs costs no more than a batch of n and one
		///   of m).
		pub fn batch_weight(receipts: &[ReceiptOf<T>]) -> Weight {
			let mut weigher = Weigher::<T>::default();
			receipts.iter().for_each(|r| weigher.add(r));
			weigher.with_zk()
		}

		/// For each `i`, the weight a call that stops at `receipts[i]` (refused by its checks,
		/// before the deferred ZK checks run) used at most: [`Pallet::batch_weight`] of
		/// `receipts[..=i]` without their ZK checks. A refused call is charged this, not the
		/// whole batch's weight.
		pub fn weights_used(receipts: &[ReceiptOf<T>]) -> Vec<Weight> {
			let mut weigher = Weigher::<T>::default();
			receipts
				.iter()
				.map(|r| {
					weigher.add(r);
					weigher.without_zk()
				})
				.collect()
		}

		/// Verifies the deferred ZK checks, grouped by key, in chunks of the verifier's largest
		/// batch (see [`zk_group_weight`]).
		fn verify_zk(checks: Vec<ZkCheck<T>>) -> DispatchResult {
			let mut by_key: BTreeMap<VkId, Vec<(ProofOf<T>, [[u8; 32]; 3])>> = BTreeMap::new();
			for (vk, proof, inputs) in checks {
				by_key.entry(vk).or_default().push((proof, inputs));
			}
			let max = T::Zk::max_batch().max(1) as usize;
			for (vk, items) in by_key {
				for chunk in items.chunks(max) {
					let ok = if batches::<T::Zk>(chunk.len() as u32) {
						T::Zk::verify_batch(&vk, chunk)
					} else {
						chunk.iter().all(|(proof, inputs)| T::Zk::verify(&vk, proof, inputs))
					};
					ensure!(ok, Error::<T>::InvalidProof);
				}
			}
			Ok(())
		}

		fn tee_error(e: TeeError) -> Error<T> {
			match e {
				TeeError::InvalidKey => Error::<T>::InvalidEnclaveKey,
				TeeError::BadSignature => Error::<T>::BadEnclaveSignature,
				TeeError::BadAttestation => Error::<T>::BadAttestation,
				TeeError::KeyRevoked => Error::<T>::EnclaveKeyRevoked,
			}
		}

		/// This chain's genesis hash.
		pub fn genesis() -> [u8; 32] {
			let mut out = [0u8; 32];
			let hash = frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::default());
			let bytes = hash.as_ref();
			if bytes.len() == 32 {
				out.copy_from_slice(bytes);
			}
			out
		}

		fn missing_request(id: RequestId) -> DispatchError {
			if ResultOfRequest::<T>::contains_key(id) {
				Error::<T>::AlreadyAnswered.into()
			} else {
				Error::<T>::UnknownRequest.into()
			}
		}

		/// The result that answered request `id`, if any.
		pub fn result_of_request(id: RequestId) -> Option<(ReceiptId, ResultOf<T>)> {
			let receipt = ResultOfRequest::<T>::get(id)?;
			Results::<T>::get(receipt).map(|r| (receipt, r))
		}

		/// The latest `limit` results of `model`, newest first.
		pub fn latest_results(model: ModelId, limit: u32) -> Vec<(ReceiptId, ResultOf<T>)> {
			LatestResults::<T>::get(model)
				.iter()
				.rev()
				.take(limit as usize)
				.filter_map(|id| Results::<T>::get(id).map(|r| (*id, r)))
				.collect()
		}

		/// Every open request's escrow is held (the settlement pallet's records sum them per
		/// requester), and every answered request points at a stored result.
		#[cfg(any(feature = "try-runtime", feature = "std"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			let mut escrowed: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (_, r) in Requests::<T>::iter() {
				let e = escrowed.entry(r.requester.clone()).or_default();
				*e = e.saturating_add(r.max_fee);
			}
			for (who, amount) in escrowed {
				ensure!(
					pallet_settlement::Escrowed::<T>::get(&who) == amount,
					"escrow records differ from the open requests' fees"
				);
			}
			for (request, receipt) in ResultOfRequest::<T>::iter() {
				ensure!(!Requests::<T>::contains_key(request), "an answered request is still open");
				let r = Results::<T>::get(receipt).ok_or("an answer without its result")?;
				ensure!(
					r.receipt.subject == Subject::Request(request),
					"an answer of another request"
				);
			}
			Ok(())
		}
	}
	/// What [`Pallet::batch_weight`] adds up, receipt by receipt: each receipt's share, each
	/// enclave key once, what direct receipts of one model share once, and the ZK checks grouped
	/// by model and segment.
	pub struct Weigher<T: Config> {
		total: Weight,
		zk_groups: BTreeMap<(ModelId, usize), u32>,
		keys: BTreeSet<EnclaveKey>,
		direct_models: BTreeSet<ModelId>,
		_config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for Weigher<T> {
		fn default() -> Self {
			Self {
				total: Weight::zero(),
				zk_groups: BTreeMap::new(),
				keys: BTreeSet::new(),
				direct_models: BTreeSet::new(),
				_config: core::marker::PhantomData,
			}
		}
	}

	impl<T: Config> Weigher<T> {
		/// Adds `receipt`.
		pub fn add(&mut self, receipt: &ReceiptOf<T>) {
			type W<T> = <T as Config>::WeightInfo;
			let (s, o) = (receipt.evidence.len() as u32, receipt.output.len() as u32);
			let share = match receipt.subject {
				Subject::Request(_) => W::<T>::submit_receipt(s, o),
				Subject::Direct { .. } => {
					self.direct_models.insert(receipt.model);
					let per_direct = W::<T>::submit_direct_receipts(1)
						.saturating_sub(W::<T>::submit_direct_receipts(0));
					let larger =
						W::<T>::submit_receipt(s, o).saturating_sub(W::<T>::submit_receipt(1, 1));
					per_direct.saturating_add(larger)
				},
			};
			self.total = self.total.saturating_add(share);
			for (i, e) in receipt.evidence.iter().enumerate() {
				self.total = self.total.saturating_add(match e {
					Evidence::None => Weight::zero(),
					Evidence::Tee { key, .. } if self.keys.insert(*key) => {
						T::Tee::signature_weight()
					},
					Evidence::Tee { .. } => T::Tee::signature_check_weight(),
					Evidence::TeeAttested { document } => T::Tee::attested_weight(document),
					Evidence::Zk { .. } => {
						*self.zk_groups.entry((receipt.model, i)).or_default() += 1;
						Weight::zero()
					},
				});
			}
		}

		/// The weight so far, without the ZK checks.
		pub fn without_zk(&self) -> Weight {
			let shared = <T as Config>::WeightInfo::submit_direct_receipts(0)
				.saturating_mul(self.direct_models.len() as u64);
			self.total.saturating_add(shared)
		}

		/// The weight so far, with the ZK checks.
		pub fn with_zk(&self) -> Weight {
			self.zk_groups
				.values()
				.fold(self.without_zk(), |w, n| w.saturating_add(zk_group_weight::<T::Zk>(*n)))
		}
	}

	/// The enclave keys a call found valid: the measurement each is valid for, its operator.
	pub type KnownKeys = BTreeMap<EnclaveKey, (veritas_primitives::MeasurementId, AccountBytes)>;

	/// What the receipts of one call share, looked up once per call: the node (bonded), the
	/// chain's genesis, each model, each enclave key found valid; the ZK checks deferred to the
	/// end of the call (batched by key), and each model's new results, added to its latest
	/// results once at the end.
	pub struct CallContext<T: Config> {
		node: T::AccountId,
		node_bytes: AccountBytes,
		genesis: [u8; 32],
		/// Each model with its content digest (`ModelManifest::digest`), computed once per call.
		models: BTreeMap<ModelId, (pallet_models::ModelOf<T>, [u8; 32])>,
		keys: KnownKeys,
		zk: Vec<ZkCheck<T>>,
		latest: BTreeMap<ModelId, Vec<ReceiptId>>,
	}

	impl<T: Config> CallContext<T> {
		/// A call by `node`, which must be a bonded inference node.
		pub fn new(node: T::AccountId) -> Result<Self, DispatchError> {
			ensure!(pallet_settlement::Pallet::<T>::is_active_node(&node), Error::<T>::NotANode);
			Ok(Self {
				node_bytes: node.clone().into(),
				node,
				genesis: Pallet::<T>::genesis(),
				models: BTreeMap::new(),
				keys: BTreeMap::new(),
				zk: Vec::new(),
				latest: BTreeMap::new(),
			})
		}

		/// Checks and records one receipt (its ZK checks wait for [`CallContext::finish`]).
		pub fn submit(&mut self, receipt: ReceiptOf<T>) -> DispatchResult {
			let (model, model_digest) = match self.models.entry(receipt.model) {
				btree_map::Entry::Occupied(e) => e.into_mut(),
				btree_map::Entry::Vacant(e) => {
					let model = pallet_models::Pallet::<T>::model(receipt.model)
						.ok_or(Error::<T>::UnknownModel)?;
					let digest = model.manifest.digest();
					e.insert((model, digest))
				},
			};
			let model_digest = *model_digest;
			let segments = &model.manifest.segments;
			ensure!(
				receipt.c_out.len() == segments.len() && receipt.evidence.len() == segments.len(),
				Error::<T>::WrongSegmentCount
			);

			let request = match receipt.subject {
				Subject::Request(id) => {
					let r =
						Requests::<T>::get(id).ok_or_else(|| Pallet::<T>::missing_request(id))?;
					ensure!(
						r.allowed_nodes.as_ref().is_none_or(|a| a.contains(&self.node)),
						Error::<T>::NotAllowed
					);
					ensure!(
						frame_system::Pallet::<T>::block_number() <= r.deadline,
						Error::<T>::LateReceipt
					);
					ensure!(r.model == receipt.model, Error::<T>::WrongModel);
					ensure!(r.c_0 == receipt.c_0, Error::<T>::BrokenCommitmentChain);
					ensure!(receipt.fee <= r.max_fee, Error::<T>::BadFee);
					ensure!(
						r.policy.iter().zip(receipt.evidence.iter()).all(|(k, e)| e.kind() == *k),
						Error::<T>::PolicyMismatch
					);
					Some((id, r))
				},
				Subject::Direct { node: named, .. } => {
					ensure!(named == self.node_bytes, Error::<T>::WrongNode);
					ensure!(
						model.status == pallet_models::ModelStatus::Active,
						Error::<T>::ModelDeprecated
					);
					ensure!(receipt.fee == BalanceOf::<T>::default(), Error::<T>::BadFee);
					ensure!(
						segments
							.iter()
							.zip(receipt.evidence.iter())
							.all(|(s, e)| s.accepts.contains(e.kind())),
						Error::<T>::EvidenceNotAccepted
					);
					None
				},
			};

			let c_n = *receipt.c_out.last().ok_or(Error::<T>::WrongSegmentCount)?;
			let output =
				commit_with::<T::Poseidon, i32>(&model.manifest.output_shape, &receipt.output)
					.map_err(|_| Error::<T>::BadOutput)?;
			ensure!(output == c_n, Error::<T>::OutputMismatch);

			let mut trust = BoundedVec::<Trust, MaxSegmentsOf<T>>::new();
			let mut c_in = receipt.c_0;
			for (i, (spec, evidence)) in segments.iter().zip(receipt.evidence.iter()).enumerate() {
				let c_out = receipt.c_out[i];
				let statement = SegmentStatement {
					genesis: self.genesis,
					subject: receipt.subject,
					node: self.node_bytes,
					fee: receipt.fee.saturated_into::<u128>(),
					model: receipt.model,
					file_hash: model.manifest.file_hash,
					model_digest,
					segment: i as u8,
					c_in,
					c_out,
				};
				let t = check_segment::<T>(
					spec,
					evidence,
					&statement,
					&self.node_bytes,
					&mut self.keys,
					&mut self.zk,
				)?;
				trust.try_push(t).map_err(|_| Error::<T>::WrongSegmentCount)?;
				c_in = c_out;
			}

			let mut commitments = Vec::with_capacity(receipt.c_out.len() + 1);
			commitments.push(receipt.c_0);
			commitments.extend(receipt.c_out.iter().copied());
			let id = receipt_id(&self.genesis, &receipt.subject, receipt.model, &commitments);
			ensure!(!Results::<T>::contains_key(id), Error::<T>::DuplicateReceipt);

			if let Some((request_id, r)) = request {
				pallet_settlement::Pallet::<T>::pay(
					&r.requester,
					&self.node,
					receipt.fee,
					r.max_fee,
				)?;
				Requests::<T>::remove(request_id);
				ResultOfRequest::<T>::insert(request_id, id);
			}
			self.latest.entry(receipt.model).or_default().push(id);
			let (subject, model_id) = (receipt.subject, receipt.model);
			Results::<T>::insert(
				id,
				VerifiedResult {
					receipt,
					node: self.node.clone(),
					trust,
					verified_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Pallet::<T>::deposit_event(Event::ReceiptVerified {
				id,
				subject,
				model: model_id,
				node: self.node.clone(),
				c_out: c_n,
			});
			Ok(())
		}

		/// Adds the call's results to each model's latest results (oldest dropped first), then
		/// verifies the deferred ZK checks.
		pub fn finish(self) -> DispatchResult {
			for (model, ids) in self.latest {
				LatestResults::<T>::mutate(model, |latest| {
					for id in ids {
						if latest.is_full() {
							latest.remove(0);
						}
						// Room was made above (MaxLatest ≥ 1 by integrity_test).
						let _ = latest.try_push(id);
					}
				});
			}
			Pallet::<T>::verify_zk(self.zk)
		}
	}

	/// Checks one segment's evidence for `statement`; a ZK proof is appended to `zk`, and an
	/// enclave key's validity is looked up once per call (`keys`).
	pub(crate) fn check_segment<T: Config>(
		spec: &veritas_primitives::SegmentSpec,
		evidence: &Evidence<BoundedVec<u8, T::MaxDocumentLen>, ProofOf<T>>,
		statement: &SegmentStatement,
		node: &AccountBytes,
		keys: &mut KnownKeys,
		zk: &mut Vec<ZkCheck<T>>,
	) -> Result<Trust, Error<T>> {
		let tee = Pallet::<T>::tee_error;
		match evidence {
			Evidence::None => Ok(Trust::NodeOnly),
			Evidence::Tee { key, signature } => {
				let m = spec.measurement.ok_or(Error::<T>::EvidenceNotAccepted)?;
				let operator = match keys.get(key) {
					// A key is valid for its own measurement only.
					Some((valid_for, _)) if *valid_for != m => {
						return Err(tee(TeeError::InvalidKey));
					},
					Some((_, operator)) => *operator,
					None => {
						let operator = T::Tee::valid_key_operator(key, m).map_err(tee)?;
						keys.insert(*key, (m, operator));
						operator
					},
				};
				// Another node's key is refused before its signature is checked: a copied
				// receipt fails here with a typed error, at the cost of a lookup.
				ensure!(operator == *node, Error::<T>::KeyOfAnotherNode);
				ensure!(
					T::Tee::is_signature_of(key, &statement.signing_payload(), signature),
					Error::<T>::BadEnclaveSignature
				);
				Ok(Trust::Enclave { measurement: m })
			},
			Evidence::TeeAttested { document } => {
				let m = spec.measurement.ok_or(Error::<T>::EvidenceNotAccepted)?;
				T::Tee::verify_attested(document, m, &statement.attestation_user_data())
					.map_err(tee)?;
				Ok(Trust::Enclave { measurement: m })
			},
			Evidence::Zk { proof } => {
				let vk = spec.vk.ok_or(Error::<T>::EvidenceNotAccepted)?;
				let inputs = statement
					.zk_public_inputs_le()
					.map_err(|_| Error::<T>::NonCanonicalCommitment)?;
				zk.push((vk, proof.clone(), inputs));
				Ok(Trust::Circuit { vk })
			},
		}
	}
}
