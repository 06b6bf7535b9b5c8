//! Benchmarks: the worst case of each call.

use alloc::{boxed::Box, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;
use veritas_primitives::{commitment::MAX_RANK, EvidenceSet};

use crate::*;

fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	// Room for a model naming as many keys of other accounts as it has segments (L1).
	let amount = Pallet::<T>::deposit_for(T::MaxSegments::get()).saturating_mul(1_000u32.into());
	T::Currency::set_balance(&who, amount);
	who
}

/// A manifest of `s` segments, each accepting every kind with a key and a measurement of its
/// own (so that checking them reads `s` keys and `s` measurements, the worst case, L3), with the
/// longest name and the largest shapes.
fn manifest<T: Config>(s: u32) -> ManifestOf<T> {
	let segments: Vec<SegmentSpec> = (0..s)
		.map(|i| SegmentSpec {
			accepts: EvidenceSet(0x0f),
			vk: Some(T::BenchmarkHelper::vk(i)),
			measurement: Some(T::BenchmarkHelper::measurement()),
		})
		.collect();
	let mut dims = alloc::vec![1u32; MAX_RANK];
	dims[0] = T::MaxTensorLen::get();
	ModelManifest {
		name: BoundedVec::truncate_from(alloc::vec![b'm'; T::MaxNameLen::get() as usize]),
		file_hash: [1; 32],
		scale: 256,
		input_shape: BoundedVec::truncate_from(dims.clone()),
		output_shape: BoundedVec::truncate_from(dims),
		segments: BoundedVec::truncate_from(segments),
		development: false,
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `s` segments; the name exists already (the next-version path reads the previous one).
	#[benchmark]
	fn register_model(s: Linear<1, { T::MaxSegments::get() }>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>();
		Pallet::<T>::register_model(
			RawOrigin::Signed(owner.clone()).into(),
			Box::new(manifest::<T>(1)),
		)
		.map_err(|_| BenchmarkError::Stop("first version"))?;
		let m = manifest::<T>(s);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), Box::new(m));

		assert_eq!(Models::<T>::get(1).map(|m| m.version), Some(2));
		Ok(())
	}

	#[benchmark]
	fn deprecate_model() -> Result<(), BenchmarkError> {
		let owner = funded::<T>();
		let m = manifest::<T>(T::MaxSegments::get());
		Pallet::<T>::register_model(RawOrigin::Signed(owner.clone()).into(), Box::new(m))
			.map_err(|_| BenchmarkError::Stop("model"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0);

		assert_eq!(Models::<T>::get(0).map(|m| m.status), Some(ModelStatus::Deprecated));
		Ok(())
	}

	/// A deprecated model of `s` segments, each releasing a key and a measurement; the last
	/// version of its name (the name is freed).
	#[benchmark]
	fn remove_model(s: Linear<1, { T::MaxSegments::get() }>) -> Result<(), BenchmarkError> {
		let owner = funded::<T>();
		let m = manifest::<T>(s);
		Pallet::<T>::register_model(RawOrigin::Signed(owner.clone()).into(), Box::new(m))
			.map_err(|_| BenchmarkError::Stop("model"))?;
		Pallet::<T>::deprecate_model(RawOrigin::Signed(owner.clone()).into(), 0)
			.map_err(|_| BenchmarkError::Stop("deprecate"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0);

		assert!(!Models::<T>::contains_key(0));
		assert_eq!(Names::<T>::iter().count(), 0);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
