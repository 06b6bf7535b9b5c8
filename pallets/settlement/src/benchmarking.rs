//! Benchmarks: the worst case of each call.

use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

use crate::*;

fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, T::MinBond::get().saturating_mul(10u32.into()));
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A top-up of a registered node (reads the node, writes it, adds to a hold).
	#[benchmark]
	fn register_node() -> Result<(), BenchmarkError> {
		let node = funded::<T>();
		Pallet::<T>::register_node(RawOrigin::Signed(node.clone()).into(), T::MinBond::get())
			.map_err(|_| BenchmarkError::Stop("first bond"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(node.clone()), T::MinBond::get());

		assert_eq!(
			Nodes::<T>::get(&node).map(|n| n.bond),
			Some(T::MinBond::get().saturating_mul(2u32.into()))
		);
		Ok(())
	}

	/// The release step (after unbonding).
	#[benchmark]
	fn unregister_node() -> Result<(), BenchmarkError> {
		let node = funded::<T>();
		Pallet::<T>::register_node(RawOrigin::Signed(node.clone()).into(), T::MinBond::get())
			.map_err(|_| BenchmarkError::Stop("bond"))?;
		Pallet::<T>::unregister_node(RawOrigin::Signed(node.clone()).into())
			.map_err(|_| BenchmarkError::Stop("unbond"))?;
		let until =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(until);

		#[extrinsic_call]
		_(RawOrigin::Signed(node.clone()));

		assert!(Nodes::<T>::get(&node).is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
