//! Requests: made (`request_inference`), and removed when they expire (`reclaim_expired`, or
//! `on_idle` through [`crate::pruning`]).

use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::*;
use sp_runtime::traits::Saturating;
use veritas_primitives::{
	commitment::commit_with, Commitment, EvidenceKind, ModelId, OutputMode, RequestId,
};

use crate::*;

/// What `request_inference` asks, besides the model (the call's arguments).
pub(crate) struct RequestTerms<T: Config> {
	pub input: Option<BoundedVec<i32, MaxTensorLenOf<T>>>,
	pub c_0: Option<Commitment>,
	pub output: OutputMode,
	pub policy: BoundedVec<EvidenceKind, MaxSegmentsOf<T>>,
	pub max_fee: BalanceOf<T>,
	pub ttl: BlockNumberFor<T>,
	pub allowed_nodes: Option<AllowedNodesOf<T>>,
}

impl<T: Config> Pallet<T> {
	/// `request_inference` by `requester`: every check, then the escrow (fee and storage
	/// deposit), the request, its deadline entry and its model's usage.
	pub(crate) fn do_request_inference(
		requester: T::AccountId,
		model: ModelId,
		terms: RequestTerms<T>,
	) -> DispatchResult {
		let RequestTerms { input, c_0, output, policy, max_fee, ttl, allowed_nodes } = terms;
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
			None => {
				ensure!(!policy.contains(&EvidenceKind::None), Error::<T>::NoneNeedsAllowedNodes)
			},
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
			output == OutputMode::Published || input.is_none(),
			Error::<T>::CommittedOutputNeedsC0
		);
		ensure!(
			ttl > BlockNumberFor::<T>::default() && ttl <= T::MaxTtl::get(),
			Error::<T>::BadTtl
		);
		let deadline = frame_system::Pallet::<T>::block_number().saturating_add(ttl);
		let mut request = Request {
			requester: requester.clone(),
			model,
			c_0,
			input,
			output,
			policy,
			max_fee,
			allowed_nodes,
			deadline,
			deposit: BalanceOf::<T>::default(),
		};
		// The deposit is a fixed-width field: setting it does not change the size it pays.
		request.deposit = Self::deposit_of(request.encoded_size());
		pallet_settlement::Pallet::<T>::escrow(
			&requester,
			max_fee.saturating_add(request.deposit),
		)?;
		let id = NextRequestId::<T>::get();
		NextRequestId::<T>::put(id.saturating_add(1));
		Requests::<T>::insert(id, request);
		Expiring::<T>::insert(deadline, id, ());
		Self::add_usage(model, 1);
		Self::deposit_event(Event::InferenceRequested { id, requester, model, c_0, deadline });
		Ok(())
	}

	/// `reclaim_expired(id)`: the request must be open and past its deadline.
	pub(crate) fn do_reclaim_expired(id: RequestId) -> DispatchResult {
		let request = Requests::<T>::get(id).ok_or_else(|| Self::missing_request(id))?;
		ensure!(
			frame_system::Pallet::<T>::block_number() > request.deadline,
			Error::<T>::NotExpired
		);
		Self::expire(id, &request)
	}

	/// The storage deposit of a record of `bytes` encoded bytes.
	pub fn deposit_of(bytes: usize) -> BalanceOf<T> {
		T::DepositBase::get()
			.saturating_add(T::DepositPerByte::get().saturating_mul((bytes as u32).into()))
	}

	/// Removes expired request `id`: its escrow and deposit go back to the requester.
	pub(crate) fn expire(id: RequestId, request: &RequestOf<T>) -> DispatchResult {
		pallet_settlement::Pallet::<T>::refund(
			&request.requester,
			request.max_fee.saturating_add(request.deposit),
		)?;
		Requests::<T>::remove(id);
		Self::remove_usage(request.model);
		Self::deposit_event(Event::RequestExpired { id });
		Ok(())
	}

	/// Why request `id` is not open: answered, or made once and gone without a result (it
	/// expired and was removed, or its result was pruned: either way past its deadline,
	/// since `ResultRetention` outlasts `MaxTtl`), or never made.
	pub(crate) fn missing_request(id: RequestId) -> DispatchError {
		if ResultOfRequest::<T>::contains_key(id) {
			Error::<T>::AlreadyAnswered.into()
		} else if id < NextRequestId::<T>::get() {
			Error::<T>::LateReceipt.into()
		} else {
			Error::<T>::UnknownRequest.into()
		}
	}
}
