//! # Models pallet
//!
//! Model owners register **manifests**: the SHA-256 of the model file, the quantization scale,
//! the input and output shapes, and the pipeline of **segments** (ranges of layers), each with
//! the evidence kinds it accepts, the verifying key of its circuit if it accepts `Zk`, and the
//! enclave measurement allowed to run it if it accepts `Tee` or `TeeAttested`.
//!
//! - `register_model(manifest)`: checks the manifest (shapes within the commitment rule's
//!   limits, every segment's kinds, keys registered with three public inputs, measurements
//!   registered and unrevoked), holds `ModelDeposit + SegmentDeposit × segments` (plus, for each
//!   key another account owns, that key's own deposit: the key lives on as long as the model
//!   names it, L1), takes a
//!   reference on every key (so it cannot be unregistered while results depend on it) and on
//!   every measurement (so that only governance can revoke it; a measurement is named by the
//!   digest of its PCRs, so a manifest pins the enclave image's content) and
//!   stores the model under a new [`ModelId`]. A name belongs to the account that first
//!   registered it; registering the same name again publishes the next **version** (linked to
//!   the previous one), which only the owner may do. Emits `ModelRegistered`.
//! - `deprecate_model(id)`: the owner or governance stops new requests for a version. The record,
//!   its deposit and its key and measurement references stay, so past results remain
//!   re-verifiable. Emits `ModelDeprecated`.
//! - `remove_model(id)`: the owner or governance removes a deprecated version that nothing uses
//!   any more (no open request, no stored result: [`ModelUsage`], the receipts pallet's count):
//!   its key and measurement references are released, its deposit comes back, and the record
//!   goes. A name whose versions are all removed is free again. Emits `ModelRemoved`.
//!
//! Other pallets read models with [`Pallet::model`] and [`Pallet::active_model`].

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use veritas_primitives::ModelId;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use alloc::boxed::Box;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Saturating;
	use veritas_primitives::{commitment::elements_of, EvidenceKind};

	use super::*;

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A manifest as a call argument.
	pub type ManifestOf<T> = ModelManifest<<T as Config>::MaxNameLen, <T as Config>::MaxSegments>;
	/// A stored model.
	pub type ModelOf<T> = ModelInfo<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		<T as Config>::MaxNameLen,
		<T as Config>::MaxSegments,
	>;
	/// A model name.
	pub type NameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLen>;

	/// The number of public inputs every segment circuit has: `[c_in, c_out, binding]`.
	pub const SEGMENT_CIRCUIT_INPUTS: u32 = veritas_primitives::statement::ZK_PUBLIC_INPUTS as u32;

	/// The storage layout's version: 2 since `Names` holds a [`NameInfo`] (M4). There is no
	/// migration from 1: no chain ran it outside development.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who may deprecate any model.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The Groth16 verifying-key registry.
		type Vks: VkRegistry<Self::AccountId, BalanceOf<Self>>;
		/// The enclave measurement registry.
		type Measurements: MeasurementRegistry;
		/// Whether a model is still used (open requests, stored results).
		type Usage: ModelUsage;
		/// The deposit of a model version.
		#[pallet::constant]
		type ModelDeposit: Get<BalanceOf<Self>>;
		/// The deposit per segment.
		#[pallet::constant]
		type SegmentDeposit: Get<BalanceOf<Self>>;
		/// The longest model name.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;
		/// The most segments a model may have.
		#[pallet::constant]
		type MaxSegments: Get<u32>;
		/// The most values a model's input or output tensor may have (requests and receipts
		/// carry them).
		#[pallet::constant]
		type MaxTensorLen: Get<u32>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
		/// What the benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// What the benchmarks need from the runtime: keys and measurements that exist.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper {
		/// A registered verifying key with three public inputs, distinct for each `i`.
		fn vk(i: u32) -> veritas_primitives::VkId;
		/// An active measurement, a new one at each call where the runtime allows it.
		fn measurement() -> veritas_primitives::MeasurementId;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a registered model version.
		ModelDeposit,
	}

	/// The id the next model version gets.
	#[pallet::storage]
	pub type NextModelId<T: Config> = StorageValue<_, ModelId, ValueQuery>;

	/// Registered model versions.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Blake2_128Concat, ModelId, ModelOf<T>>;

	/// Each name's owner, latest version and count of stored versions.
	#[pallet::storage]
	pub type Names<T: Config> = StorageMap<_, Blake2_128Concat, NameOf<T>, NameInfo<T::AccountId>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model version was registered.
		ModelRegistered {
			/// Its id.
			id: ModelId,
			/// Its owner.
			owner: T::AccountId,
			/// Its name.
			name: NameOf<T>,
			/// Its version (1 for a new name).
			version: u32,
		},
		/// A model version was deprecated: no new requests.
		ModelDeprecated {
			/// Its id.
			id: ModelId,
		},
		/// A deprecated, unused model version was removed; its deposit went back to its owner.
		ModelRemoved {
			/// Its id.
			id: ModelId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No model has this id.
		UnknownModel,
		/// The model is deprecated.
		ModelDeprecated,
		/// The name belongs to another account.
		NameTaken,
		/// The name is empty or not UTF-8.
		BadName,
		/// The manifest has no segment.
		NoSegments,
		/// A shape is empty-dimensioned, too large, or holds more than `MaxTensorLen` values.
		BadShape,
		/// The quantization scale is zero.
		BadScale,
		/// A segment accepts no kind, or unknown ones.
		BadEvidenceSet,
		/// A segment accepting `Zk` names no key, or one not accepting it names one.
		VkMismatch,
		/// The key is not registered.
		UnknownVk,
		/// The key's circuit does not have the three public inputs `[c_in, c_out, binding]`.
		WrongVkInputs,
		/// A segment accepting `Tee`/`TeeAttested` names no measurement, or another names one.
		MeasurementMismatch,
		/// The measurement is not registered, or revoked.
		InactiveMeasurement,
		/// Only the owner or governance may do this.
		NotOwner,
		/// The next version number overflows.
		TooManyVersions,
		/// Only a deprecated model version may be removed.
		NotDeprecated,
		/// The model has open requests or stored results.
		ModelInUse,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a model version (a new name, or the next version of the caller's name).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_model(manifest.segments.len() as u32))]
		pub fn register_model(
			origin: OriginFor<T>,
			manifest: Box<ManifestOf<T>>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::check_manifest(&manifest)?;
			let name = Names::<T>::get(&manifest.name);
			let (version, previous, stored) = match &name {
				Some(name) => {
					ensure!(name.owner == owner, Error::<T>::NameTaken);
					let version =
						name.latest_version.checked_add(1).ok_or(Error::<T>::TooManyVersions)?;
					(version, Some(name.latest), name.stored.saturating_add(1))
				},
				None => (1, None, 1),
			};
			for vk in manifest.segments.iter().filter_map(|s| s.vk.as_ref()) {
				T::Vks::acquire(vk)?;
			}
			for m in manifest.segments.iter().filter_map(|s| s.measurement.as_ref()) {
				T::Measurements::acquire(m)?;
			}
			// Each distinct key owned by another account adds its own deposit (L1).
			let keys: alloc::collections::BTreeSet<_> =
				manifest.segments.iter().filter_map(|s| s.vk).collect();
			let deposit =
				keys.iter().fold(Self::deposit_for(manifest.segments.len() as u32), |d, vk| {
					d.saturating_add(T::Vks::foreign_deposit(vk, &owner))
				});
			T::Currency::hold(&HoldReason::ModelDeposit.into(), &owner, deposit)?;

			let id = NextModelId::<T>::get();
			NextModelId::<T>::put(id.saturating_add(1));
			Names::<T>::insert(
				&manifest.name,
				NameInfo { owner: owner.clone(), latest: id, latest_version: version, stored },
			);
			let name = manifest.name.clone();
			Models::<T>::insert(
				id,
				ModelInfo {
					owner: owner.clone(),
					version,
					previous,
					manifest: *manifest,
					deposit,
					status: ModelStatus::Active,
				},
			);
			Self::deposit_event(Event::ModelRegistered { id, owner, name, version });
			Ok(())
		}

		/// Deprecates a model version (its owner or governance): no new requests. The deposit
		/// stays held until the version is removed (`remove_model`).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::deprecate_model())]
		pub fn deprecate_model(origin: OriginFor<T>, id: ModelId) -> DispatchResult {
			let caller = Self::owner_or_governance(origin)?;
			Models::<T>::try_mutate(id, |m| {
				let m = m.as_mut().ok_or(Error::<T>::UnknownModel)?;
				ensure!(m.status == ModelStatus::Active, Error::<T>::ModelDeprecated);
				if let Some(who) = &caller {
					ensure!(*who == m.owner, Error::<T>::NotOwner);
				}
				m.status = ModelStatus::Deprecated;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::ModelDeprecated { id });
			Ok(())
		}

		/// Removes a deprecated model version that has no open request and no stored result
		/// (its owner or governance): its key and measurement references are released, its
		/// deposit goes back to its owner, the record goes. The name is freed with its last
		/// stored version.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_model(T::MaxSegments::get()))]
		pub fn remove_model(origin: OriginFor<T>, id: ModelId) -> DispatchResultWithPostInfo {
			let caller = Self::owner_or_governance(origin)?;
			let m = Models::<T>::get(id).ok_or(Error::<T>::UnknownModel)?;
			if let Some(who) = &caller {
				ensure!(*who == m.owner, Error::<T>::NotOwner);
			}
			ensure!(m.status == ModelStatus::Deprecated, Error::<T>::NotDeprecated);
			ensure!(!T::Usage::is_in_use(id), Error::<T>::ModelInUse);
			for segment in &m.manifest.segments {
				if let Some(vk) = &segment.vk {
					T::Vks::release(vk)?;
				}
				if let Some(measurement) = &segment.measurement {
					T::Measurements::release(measurement)?;
				}
			}
			T::Currency::release(
				&HoldReason::ModelDeposit.into(),
				&m.owner,
				m.deposit,
				Precision::BestEffort,
			)?;
			Models::<T>::remove(id);
			Names::<T>::mutate_exists(&m.manifest.name, |name| {
				if let Some(n) = name {
					n.stored = n.stored.saturating_sub(1);
					if n.stored == 0 {
						*name = None;
					}
				}
			});
			Self::deposit_event(Event::ModelRemoved { id });
			Ok(Some(T::WeightInfo::remove_model(m.manifest.segments.len() as u32)).into())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxSegments::get() >= 1, "MaxSegments must allow one segment");
			assert!(T::MaxSegments::get() <= u32::from(u8::MAX) + 1, "segment indices are u8");
			assert!(T::MaxNameLen::get() >= 1, "MaxNameLen must allow a name");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	impl<T: Config> Pallet<T> {
		/// `None` for governance, `Some(who)` for a signed account.
		fn owner_or_governance(
			origin: OriginFor<T>,
		) -> Result<Option<T::AccountId>, DispatchError> {
			match T::GovernanceOrigin::try_origin(origin) {
				Ok(_) => Ok(None),
				Err(origin) => Ok(Some(ensure_signed(origin)?)),
			}
		}

		/// The deposit of a model with `segments` segments.
		pub fn deposit_for(segments: u32) -> BalanceOf<T> {
			T::ModelDeposit::get()
				.saturating_add(T::SegmentDeposit::get().saturating_mul(segments.into()))
		}

		/// The model version `id`, if registered.
		pub fn model(id: ModelId) -> Option<ModelOf<T>> {
			Models::<T>::get(id)
		}

		/// The model version `id` if it is registered and active.
		pub fn active_model(id: ModelId) -> Result<ModelOf<T>, Error<T>> {
			let m = Models::<T>::get(id).ok_or(Error::<T>::UnknownModel)?;
			ensure!(m.status == ModelStatus::Active, Error::<T>::ModelDeprecated);
			Ok(m)
		}

		/// Every check of `register_model` that reads no more than the registries.
		pub fn check_manifest(manifest: &ManifestOf<T>) -> DispatchResult {
			ensure!(
				!manifest.name.is_empty() && core::str::from_utf8(&manifest.name).is_ok(),
				Error::<T>::BadName
			);
			ensure!(manifest.scale > 0, Error::<T>::BadScale);
			for shape in [&manifest.input_shape, &manifest.output_shape] {
				let n = elements_of(shape).map_err(|_| Error::<T>::BadShape)?;
				ensure!(n <= T::MaxTensorLen::get() as usize, Error::<T>::BadShape);
			}
			ensure!(!manifest.segments.is_empty(), Error::<T>::NoSegments);
			for segment in &manifest.segments {
				ensure!(segment.accepts.is_valid(), Error::<T>::BadEvidenceSet);
				match (segment.accepts.contains(EvidenceKind::Zk), &segment.vk) {
					(true, Some(vk)) => {
						let inputs = T::Vks::input_count(vk).ok_or(Error::<T>::UnknownVk)?;
						ensure!(inputs == SEGMENT_CIRCUIT_INPUTS, Error::<T>::WrongVkInputs);
					},
					(false, None) => {},
					_ => return Err(Error::<T>::VkMismatch.into()),
				}
				match (segment.accepts_tee(), &segment.measurement) {
					(true, Some(m)) => {
						ensure!(T::Measurements::is_active(m), Error::<T>::InactiveMeasurement)
					},
					(false, None) => {},
					_ => return Err(Error::<T>::MeasurementMismatch.into()),
				}
			}
			Ok(())
		}

		/// Ids are below `NextModelId`, versions link to the previous version of the same name
		/// (which may have been removed), every stored model's name is registered to its owner
		/// with a later or equal latest version and the right count of stored versions, and
		/// every owner's held deposit equals the deposits of their stored models.
		#[cfg(any(feature = "try-runtime", feature = "std"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			use frame_support::traits::fungible::InspectHold;
			let next = NextModelId::<T>::get();
			let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			let mut stored: BTreeMap<NameOf<T>, u32> = BTreeMap::new();
			for (id, m) in Models::<T>::iter() {
				ensure!(id < next, "model id at or above NextModelId");
				match m.previous {
					Some(prev) => {
						ensure!(prev < id, "a previous version registered later");
						if let Some(p) = Models::<T>::get(prev) {
							ensure!(
								p.manifest.name == m.manifest.name,
								"previous version of another name"
							);
							ensure!(p.version < m.version, "versions not increasing");
						}
					},
					None => ensure!(m.version == 1, "first version is not 1"),
				}
				let name = Names::<T>::get(&m.manifest.name).ok_or("a model's name is free")?;
				ensure!(name.owner == m.owner, "a model of another owner's name");
				ensure!(name.latest_version >= m.version, "a version above the latest");
				*stored.entry(m.manifest.name.clone()).or_default() += 1;
				let e = held.entry(m.owner.clone()).or_default();
				*e = e.saturating_add(m.deposit);
			}
			for (name, info) in Names::<T>::iter() {
				ensure!(
					stored.get(&name).copied() == Some(info.stored),
					"a name's count of stored versions is wrong"
				);
			}
			for (who, amount) in held {
				let on_hold = T::Currency::balance_on_hold(&HoldReason::ModelDeposit.into(), &who);
				ensure!(on_hold == amount, "held deposit differs from the models' deposits");
			}
			Ok(())
		}
	}
}
