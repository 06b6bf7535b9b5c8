//! `report_equivocation`: two statements one enclave key signed with different outputs for
//! the same input revoke the key and slash its operator.

use frame_support::pallet_prelude::*;
use veritas_primitives::{EnclaveKey, SegmentStatement, Signature};

use crate::*;

impl<T: Config> Pallet<T> {
	/// `report_equivocation` by `reporter`: both statements of this chain, of one model,
	/// segment and `c_in` with different `c_out`, both signed by `key`; then the key is
	/// revoked and its operator's bond slashed.
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
