//! One receipt call: what its receipts share ([`CallContext`]), each receipt's checks and
//! record, and the end of the call (deposits, indexes, the deferred ZK checks).

use alloc::{
	collections::{btree_map, btree_map::BTreeMap},
	vec::Vec,
};
use frame_support::{dispatch::WithPostDispatchInfo, pallet_prelude::*};
use sp_runtime::{traits::Saturating, SaturatedConversion};
use veritas_primitives::{
	commitment::commit_with, receipt_id, AccountBytes, EnclaveKey, ModelId, OutputMode, ReceiptId,
	SegmentStatement, Subject, VkId,
};

use crate::*;

impl<T: Config> Pallet<T> {
	/// `submit_receipt` and `submit_receipts` by `node`: the receipts checked and recorded
	/// in order in one [`CallContext`], then its end (deposits, indexes, the deferred ZK
	/// checks). A call refused at one receipt's checks pays the weight used up to it.
	pub(crate) fn do_submit_receipts(
		node: T::AccountId,
		receipts: Vec<ReceiptOf<T>>,
	) -> DispatchResultWithPostInfo {
		let used = Self::weights_used(&receipts);
		let first = used.first().copied().unwrap_or_default();
		let mut call = CallContext::<T>::new(node).map_err(|e| e.with_weight(first))?;
		for (receipt, used) in receipts.into_iter().zip(used) {
			call.submit(receipt).map_err(|e| e.with_weight(used))?;
		}
		call.finish()?;
		Ok(().into())
	}

	/// Verifies the deferred ZK checks, grouped by key, in chunks of the verifier's largest
	/// batch (see [`zk_group_weight`]).
	pub(crate) fn verify_zk(checks: Vec<ZkCheck<T>>) -> DispatchResult {
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
	/// The call's new results, in order (indexed for pruning once, at the end).
	stored: Vec<ReceiptId>,
	/// How many direct receipts of each model the call stored (their models' usage grows).
	direct: BTreeMap<ModelId, u32>,
	/// The storage deposits of the call's results, held from the node once at the end.
	deposits: BalanceOf<T>,
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
			stored: Vec::new(),
			direct: BTreeMap::new(),
			deposits: BalanceOf::<T>::default(),
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
				let r = Requests::<T>::get(id).ok_or_else(|| Pallet::<T>::missing_request(id))?;
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
		let committed = request.as_ref().is_some_and(|(_, r)| r.output == OutputMode::Committed);
		if committed {
			// The output stays between requester and node: only `c_n` (salted) is on chain.
			ensure!(receipt.output.is_empty(), Error::<T>::OutputPublished);
		} else {
			let output =
				commit_with::<T::Poseidon, i32>(&model.manifest.output_shape, &receipt.output)
					.map_err(|_| Error::<T>::BadOutput)?;
			ensure!(output == c_n, Error::<T>::OutputMismatch);
		}

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
			// The request's deposit goes back with the rest of its escrow; its usage of the
			// model passes to the result.
			pallet_settlement::Pallet::<T>::pay(
				&r.requester,
				&self.node,
				receipt.fee,
				r.max_fee.saturating_add(r.deposit),
			)?;
			Requests::<T>::remove(request_id);
			ResultOfRequest::<T>::insert(request_id, id);
		} else {
			*self.direct.entry(receipt.model).or_default() += 1;
		}
		self.latest.entry(receipt.model).or_default().push(id);
		self.stored.push(id);
		let (subject, model_id) = (receipt.subject, receipt.model);
		let mut result = VerifiedResult {
			receipt,
			node: self.node.clone(),
			trust,
			verified_at: frame_system::Pallet::<T>::block_number(),
			deposit: BalanceOf::<T>::default(),
		};
		// A fixed-width field: setting it does not change the size it pays for.
		result.deposit = Pallet::<T>::deposit_of(result.encoded_size());
		self.deposits = self.deposits.saturating_add(result.deposit);
		Results::<T>::insert(id, result);
		Pallet::<T>::deposit_event(Event::ReceiptVerified {
			id,
			subject,
			model: model_id,
			node: self.node.clone(),
			c_out: c_n,
		});
		Ok(())
	}

	/// Holds the results' deposits from the node, indexes the results for pruning, counts
	/// the direct ones in their models' usage, adds them to each model's latest results
	/// (oldest dropped first), then verifies the deferred ZK checks.
	pub fn finish(self) -> DispatchResult {
		pallet_settlement::Pallet::<T>::hold_deposit(
			pallet_settlement::HoldReason::ResultDeposit,
			&self.node,
			self.deposits,
		)?;
		if let Some(first) = self.stored.first().copied() {
			let now = frame_system::Pallet::<T>::block_number();
			// At most `MaxBatch` receipts per call: nothing is truncated.
			ResultsOfBlock::<T>::insert(
				now,
				first,
				BoundedVec::<_, T::MaxBatch>::truncate_from(self.stored),
			);
		}
		for (model, n) in self.direct {
			Pallet::<T>::add_usage(model, n);
		}
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
