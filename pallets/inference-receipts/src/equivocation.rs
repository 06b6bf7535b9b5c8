//! Equivocation reports: two statements one enclave key signed with different outputs for the
//! same input revoke the key; revealed after a commitment (`commit_report`), they also slash its
//! operator and reward the reporter (L2: a report copied from the pool earns its copier nothing).

use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use veritas_primitives::{EnclaveKey, SegmentStatement, Signature};

use crate::*;

impl<T: Config> Pallet<T> {
	/// `commit_report` by `reporter`: stores `commitment` (see [`report_commitment`]) with its
	/// storage deposit until it is revealed or withdrawn.
	pub(crate) fn do_commit_report(reporter: T::AccountId, commitment: [u8; 32]) -> DispatchResult {
		ensure!(
			!ReportCommitments::<T>::contains_key(&reporter, commitment),
			Error::<T>::CommitmentExists
		);
		let deposit = Self::report_deposit(&reporter);
		pallet_settlement::Pallet::<T>::hold_deposit(
			pallet_settlement::HoldReason::ReportDeposit,
			&reporter,
			deposit,
		)?;
		let at = frame_system::Pallet::<T>::block_number();
		ReportCommitments::<T>::insert(&reporter, commitment, ReportCommitment { at, deposit });
		Self::deposit_event(Event::ReportCommitted { reporter, commitment });
		Ok(())
	}

	/// `withdraw_report` by `reporter`: removes its unrevealed `commitment` and releases its
	/// deposit.
	pub(crate) fn do_withdraw_report(
		reporter: T::AccountId,
		commitment: [u8; 32],
	) -> DispatchResult {
		let record = ReportCommitments::<T>::take(&reporter, commitment)
			.ok_or(Error::<T>::UnknownCommitment)?;
		Self::release_report_deposit(&reporter, record.deposit);
		Self::deposit_event(Event::ReportWithdrawn { reporter, commitment });
		Ok(())
	}

	/// `report_equivocation` by `reporter`: both statements of this chain, of one model,
	/// segment and `c_in` with different `c_out`, both signed by `key`. The key is revoked (if
	/// it is not yet). If `reporter` committed to this report in an earlier block, the
	/// commitment is consumed and the operator's bond slashed, part of it to `reporter` (none if
	/// `reporter` is the operator); without a commitment nothing is slashed, so copying a
	/// pending report from the pool gains nothing, and the committed reporter may still reveal
	/// it after the key was revoked.
	pub(crate) fn do_report_equivocation(
		reporter: T::AccountId,
		key: EnclaveKey,
		first: SegmentStatement,
		first_signature: Signature,
		second: SegmentStatement,
		second_signature: Signature,
	) -> DispatchResult {
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
		let (operator, revoked) = T::Tee::key_operator(&key).map_err(Self::tee_error)?;
		ensure!(
			T::Tee::is_signature_of(&key, &first.signing_payload(), &first_signature)
				&& T::Tee::is_signature_of(&key, &second.signing_payload(), &second_signature),
			Error::<T>::BadEnclaveSignature
		);
		let commitment = report_commitment(
			&reporter.clone().into(),
			&key,
			&first,
			&first_signature,
			&second,
			&second_signature,
		);
		let committed = match ReportCommitments::<T>::get(&reporter, commitment) {
			Some(record) => {
				ensure!(
					record.at < frame_system::Pallet::<T>::block_number(),
					Error::<T>::CommitmentTooRecent
				);
				Some(record)
			},
			None => None,
		};
		let operator = T::AccountId::from(operator);
		let bonded = pallet_settlement::Nodes::<T>::contains_key(&operator);
		// A report that would change nothing is refused (and keeps its commitment).
		ensure!(!revoked || (committed.is_some() && bonded), Error::<T>::EnclaveKeyRevoked);
		if !revoked {
			T::Tee::revoke_key(&key).map_err(Self::tee_error)?;
		}
		let slashed = match committed {
			Some(record) => {
				ReportCommitments::<T>::remove(&reporter, commitment);
				Self::release_report_deposit(&reporter, record.deposit);
				if bonded {
					pallet_settlement::Pallet::<T>::slash(&operator, &reporter)?
				} else {
					BalanceOf::<T>::default()
				}
			},
			None => BalanceOf::<T>::default(),
		};
		Self::deposit_event(Event::EquivocationReported { key, operator, reporter, slashed });
		Ok(())
	}

	/// The storage deposit of one report commitment of `reporter`: its key and record.
	pub fn report_deposit(reporter: &T::AccountId) -> BalanceOf<T> {
		Self::deposit_of(
			reporter.encoded_size()
				+ 32 + ReportCommitment::<BlockNumberFor<T>, BalanceOf<T>>::max_encoded_len(),
		)
	}

	fn release_report_deposit(reporter: &T::AccountId, deposit: BalanceOf<T>) {
		pallet_settlement::Pallet::<T>::release_deposit(
			pallet_settlement::HoldReason::ReportDeposit,
			reporter,
			deposit,
		);
	}
}
