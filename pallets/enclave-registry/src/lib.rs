//! # Enclave registry pallet
//!
//! Turns one verified AWS Nitro attestation into an enclave key whose signatures are cheap to
//! check per receipt.
//!
//! - **Roots**: governance adds and removes trusted root certificates, by the SHA-256
//!   fingerprint of their DER (the AWS Nitro root G1 in every chain spec; a dev CA root only in
//!   dev/local specs, through genesis, which also marks it in `DevelopmentRoots` so that clients
//!   can warn that evidence resting on it proves nothing about real hardware).
//! - **Measurements**: PCR0, PCR1, PCR2 and optionally PCR8 (SHA-384 each), named and versioned,
//!   registered by governance or by anyone with a deposit, under the id
//!   [`veritas_primitives::measurement_id`] of the PCRs: the same PCRs are the same measurement,
//!   whoever registered them first, so an id cannot be taken by another image. All-zero
//!   (debug-mode) PCRs are refused unless the measurement is a dev-only `debug` one, which only
//!   chains whose genesis allows it accept. Models take a reference on each measurement they
//!   name ([`Pallet::acquire_measurement`]). The owner may withdraw an unreferenced measurement
//!   (the record goes, the deposit comes back; keys under it are invalid until the same PCRs are
//!   registered again); governance may revoke any, at once and for good (its PCRs can never be
//!   registered again).
//! - **Enclave keys**: `register_enclave(measurement, document)` checks the document
//!   ([`checks`]): its time (at most `MaxDocumentAgeMs` old, at most `MaxClockSkewMs` ahead of
//!   chain time), its `nonce` (a block hash of the last `NonceWindow` blocks), its `user_data`
//!   ([`user_data_for`]: genesis hash and the caller's account), its `public_key` (32-byte
//!   ed25519), its PCRs against the measurement, then its COSE signature and certificate chain to
//!   a trusted root at the document's time. The key is recorded until `KeyLifetimeMs` after the
//!   document; a later document renews it; the same document again is refused. Its first
//!   registration holds `KeyDeposit` from the operator; `remove_enclave(key)` (anyone) removes
//!   an expired key's record once `KeyGraceMs` more has passed (what it signed stays reportable
//!   until then) and returns the deposit; a revoked key's record and deposit stay.
//!
//! A key is valid only while it has not expired, its measurement is not revoked and its root is
//! still trusted: revoking a measurement or removing a root disables every key that depends on it
//! at once, with no iteration. A key proven to equivocate is revoked for good
//! ([`Pallet::revoke_key`]).
//!
//! Other pallets ask [`Pallet::valid_key`] and [`Pallet::verify_enclave_signature`] (receipts
//! signed by an enclave key), [`Pallet::verify_attested`] (a receipt segment carrying its own
//! attestation document), and [`Pallet::key_record`] with [`Pallet::is_signature_of`]
//! (equivocation reports).

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod checks;
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
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, MutateHold},
			tokens::Precision,
			UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use veritas_verifier_tee_nitro::{NewPath, PathId};

	use super::*;

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A stored enclave key.
	pub type EnclaveOf<T> = EnclaveInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// A stored measurement.
	pub type MeasurementOf<T> = MeasurementInfo<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		<T as Config>::MaxNameLen,
	>;
	/// A document as a call argument.
	pub type DocumentOf =
		BoundedVec<u8, ConstU32<{ veritas_verifier_tee_nitro::limits::MAX_DOCUMENT_LEN as u32 }>>;

	/// The most paths `on_idle` looks at in one block.
	pub const MAX_PRUNED_PER_BLOCK: u32 = 64;

	/// The storage layout's version. 2: measurements are keyed by the digest of their PCRs
	/// (1 numbered them); 3: enclave keys record their deposit (M4). There is no migration:
	/// no chain ran an earlier layout outside development.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency measurement deposits are held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who manages roots and may register or revoke any measurement.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Chain time (the timestamp pallet).
		type UnixTime: UnixTime;
		/// Who does the ECDSA P-384 arithmetic of document verification:
		/// `veritas_crypto_host::Host` (natively, in the node) or `RustCrypto` (inside the runtime).
		type P384: veritas_verifier_tee_nitro::P384Engine;
		/// The deposit of a measurement registered by an account.
		#[pallet::constant]
		type MeasurementDeposit: Get<BalanceOf<Self>>;
		/// The storage deposit of a registered enclave key, held from its operator until the
		/// key's record is removed.
		#[pallet::constant]
		type KeyDeposit: Get<BalanceOf<Self>>;
		/// How long a key stays valid after its document's time (default 24 h).
		#[pallet::constant]
		type KeyLifetimeMs: Get<u64>;
		/// How long after its expiry an enclave key's record stays (so what it signed can still
		/// be reported as an equivocation and its operator slashed) before anyone may remove
		/// it: the runtime uses the longest a request stays open.
		#[pallet::constant]
		type KeyGraceMs: Get<u64>;
		/// The oldest a document may be, against chain time (5 minutes).
		#[pallet::constant]
		type MaxDocumentAgeMs: Get<u64>;
		/// How far ahead of chain time a document may be (clock skew).
		#[pallet::constant]
		type MaxClockSkewMs: Get<u64>;
		/// How many recent blocks' hashes a document's nonce may be.
		#[pallet::constant]
		type NonceWindow: Get<u32>;
		/// The most trusted roots (at most 16, the verifier's limit).
		#[pallet::constant]
		type MaxRoots: Get<u32>;
		/// The longest measurement name.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;
		/// The most certificate paths remembered as verified ([`VerifiedPaths`]).
		#[pallet::constant]
		type MaxVerifiedPaths: Get<u32>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
		/// What the benchmarks need from the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper {
		/// Sets chain time (what `Config::UnixTime` reads), in Unix milliseconds.
		fn set_time_ms(ms: u64);
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a registered measurement.
		MeasurementDeposit,
		/// The deposit of a registered enclave key.
		KeyDeposit,
	}

	/// The trusted root fingerprints.
	#[pallet::storage]
	pub type TrustedRoots<T: Config> =
		StorageValue<_, BoundedVec<Fingerprint, T::MaxRoots>, ValueQuery>;

	/// Whether dev-only debug measurements may be registered (dev/local chains, from genesis).
	#[pallet::storage]
	pub type DebugMeasurementsAllowed<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// The trusted roots the genesis marked as development ones (a dev CA whose keys anyone may
	/// hold): evidence resting on them proves nothing about real hardware, and clients say so.
	#[pallet::storage]
	pub type DevelopmentRoots<T: Config> =
		StorageValue<_, BoundedVec<Fingerprint, T::MaxRoots>, ValueQuery>;

	/// Registered measurements, by [`veritas_primitives::measurement_id`] of their PCRs.
	#[pallet::storage]
	pub type Measurements<T: Config> =
		StorageMap<_, Blake2_128Concat, MeasurementId, MeasurementOf<T>>;

	/// Registered enclave keys.
	#[pallet::storage]
	pub type Enclaves<T: Config> = StorageMap<_, Blake2_128Concat, EnclaveKey, EnclaveOf<T>>;

	/// Certificate paths (a root and the CAs below it, by `veritas_verifier_tee_nitro::path_id`)
	/// whose every signature a registration verified, with the earliest `notAfter` of their
	/// certificates (Unix ms): a later document whose bundle starts with a known path costs its
	/// leaf certificate's and COSE signatures only. At most `MaxVerifiedPaths`; `on_idle`
	/// forgets expired ones.
	#[pallet::storage]
	pub type VerifiedPaths<T: Config> = CountedStorageMap<_, Identity, PathId, u64>;

	/// The raw storage key after which `on_idle` looks for expired paths next.
	#[pallet::storage]
	pub type PruneCursor<T: Config> = StorageValue<_, BoundedVec<u8, ConstU32<128>>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Trusted root fingerprints (hex in JSON specs).
		pub roots: Vec<Fingerprint>,
		/// Whether dev-only debug measurements may be registered.
		pub allow_debug_measurements: bool,
		/// Which of `roots` are development ones (each must be in `roots`).
		pub development_roots: Vec<Fingerprint>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let roots: BoundedVec<Fingerprint, T::MaxRoots> =
				self.roots.clone().try_into().expect("genesis: more roots than MaxRoots");
			assert!(
				self.development_roots.iter().all(|r| roots.contains(r)),
				"genesis: a development root that is not trusted"
			);
			TrustedRoots::<T>::put(roots);
			DebugMeasurementsAllowed::<T>::put(self.allow_debug_measurements);
			let development: BoundedVec<Fingerprint, T::MaxRoots> =
				self.development_roots.clone().try_into().expect("genesis: within MaxRoots");
			DevelopmentRoots::<T>::put(development);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A root is trusted.
		RootAdded {
			/// Its fingerprint.
			fingerprint: Fingerprint,
		},
		/// A root is no longer trusted; every key attested under it is invalid.
		RootRemoved {
			/// Its fingerprint.
			fingerprint: Fingerprint,
		},
		/// A measurement was registered.
		MeasurementRegistered {
			/// Its id.
			id: MeasurementId,
			/// Its owner (`None`: governance).
			owner: Option<T::AccountId>,
		},
		/// Governance revoked a measurement; every key registered under it is invalid, for good.
		MeasurementRevoked {
			/// Its id.
			id: MeasurementId,
		},
		/// The owner withdrew a measurement no model named; its deposit is released and every key
		/// registered under it is invalid (until the same PCRs are registered again).
		MeasurementWithdrawn {
			/// Its id.
			id: MeasurementId,
		},
		/// An enclave key was registered or renewed.
		EnclaveRegistered {
			/// The enclave's ed25519 key.
			key: EnclaveKey,
			/// Its operator.
			operator: T::AccountId,
			/// The measurement it matched.
			measurement: MeasurementId,
			/// Until when it is valid (Unix milliseconds).
			expires_at_ms: u64,
		},
		/// An enclave key was revoked for good (a proven equivocation).
		EnclaveRevoked {
			/// The key.
			key: EnclaveKey,
		},
		/// An expired enclave key's record was removed after its grace; its deposit went back
		/// to its operator.
		EnclaveRemoved {
			/// The key.
			key: EnclaveKey,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The root is already trusted.
		RootAlreadyTrusted,
		/// The root is not trusted.
		UnknownRoot,
		/// As many roots as `MaxRoots` are trusted already.
		TooManyRoots,
		/// No measurement has this id.
		UnknownMeasurement,
		/// The measurement is revoked.
		MeasurementRevoked,
		/// These PCRs are registered already (the same PCRs are the same measurement).
		MeasurementExists,
		/// Models name the measurement: only governance may revoke it.
		MeasurementInUse,
		/// All-zero (debug-mode) PCRs in a measurement that is not a dev-only debug one.
		DebugPcrs,
		/// Debug measurements are not allowed on this chain.
		DebugNotAllowed,
		/// Only the owner or governance may do this.
		NotOwner,
		/// The document is not a well-formed attestation document.
		MalformedDocument,
		/// The document's signature or certificate chain does not verify, or its root is not
		/// trusted.
		InvalidAttestation,
		/// The document is older than `MaxDocumentAgeMs`.
		StaleDocument,
		/// The document is ahead of chain time by more than `MaxClockSkewMs`.
		DocumentFromTheFuture,
		/// The nonce is not the hash of a recent block.
		StaleNonce,
		/// `user_data` does not bind this chain's genesis hash and the caller's account.
		WrongUserData,
		/// `public_key` is missing or not a 32-byte ed25519 key.
		BadPublicKey,
		/// The document's PCRs are not the measurement's, or it comes from a debug-mode enclave.
		MeasurementMismatch,
		/// The key is registered by another operator.
		KeyOwnedByAnother,
		/// The document is not newer than the one that registered the key: a replay.
		ReplayedDocument,
		/// No such enclave key, or it expired, or its measurement or root was revoked.
		InvalidEnclaveKey,
		/// The enclave signature does not verify.
		BadEnclaveSignature,
		/// The enclave key was revoked for good.
		EnclaveKeyRevoked,
		/// The document's `user_data` is not the statement it should attest.
		WrongStatement,
		/// The key has not expired, or its grace (`KeyGraceMs`) after expiry has not passed.
		KeyNotExpired,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Forgets expired certificate paths, as many as the block's leftover weight allows, once
		/// the cache is half full (below that, nothing needs the room).
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			if VerifiedPaths::<T>::count() < T::MaxVerifiedPaths::get() / 2 {
				return T::DbWeight::get().reads(1);
			}
			let fits = |n: &u32| remaining.all_gte(T::WeightInfo::prune_expired_paths(*n));
			match (1..=MAX_PRUNED_PER_BLOCK).rev().find(fits) {
				Some(n) => {
					let looked = Self::prune_expired_paths(n);
					T::WeightInfo::prune_expired_paths(looked)
				},
				None => T::DbWeight::get().reads(1),
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			if let Err(e) = check_constants(
				T::MaxRoots::get(),
				T::NonceWindow::get(),
				T::KeyLifetimeMs::get(),
				T::MaxDocumentAgeMs::get(),
				T::MaxNameLen::get(),
			) {
				panic!("pallet-enclave-registry: {e}");
			}
		}
	}

	/// What the pallet's constants must satisfy, checked by `integrity_test`: between one root
	/// and the verifier's limit of trusted roots, a nonce window of at least one block, a key
	/// that outlives the oldest document that may register it, and room for a name.
	pub fn check_constants(
		max_roots: u32,
		nonce_window: u32,
		key_lifetime_ms: u64,
		max_document_age_ms: u64,
		max_name_len: u32,
	) -> Result<(), &'static str> {
		if max_roots == 0
			|| max_roots as usize > veritas_verifier_tee_nitro::limits::MAX_TRUSTED_ROOTS
		{
			return Err("MaxRoots must be between 1 and the verifier's MAX_TRUSTED_ROOTS");
		}
		if nonce_window == 0 {
			return Err("NonceWindow must be at least one block");
		}
		if max_document_age_ms == 0 {
			return Err("MaxDocumentAgeMs must be positive");
		}
		if key_lifetime_ms <= max_document_age_ms {
			return Err("KeyLifetimeMs must exceed MaxDocumentAgeMs");
		}
		if max_name_len == 0 {
			return Err("MaxNameLen must be at least 1");
		}
		Ok(())
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Trusts a root certificate, by the SHA-256 of its DER. Governance only.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_root())]
		pub fn add_root(origin: OriginFor<T>, fingerprint: Fingerprint) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			TrustedRoots::<T>::try_mutate(|roots| {
				ensure!(!roots.contains(&fingerprint), Error::<T>::RootAlreadyTrusted);
				roots.try_push(fingerprint).map_err(|_| Error::<T>::TooManyRoots)
			})?;
			Self::deposit_event(Event::RootAdded { fingerprint });
			Ok(())
		}

		/// Stops trusting a root; every key attested under it is invalid at once. Governance
		/// only.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_root())]
		pub fn remove_root(origin: OriginFor<T>, fingerprint: Fingerprint) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			TrustedRoots::<T>::try_mutate(|roots| {
				let before = roots.len();
				roots.retain(|r| *r != fingerprint);
				ensure!(roots.len() < before, Error::<T>::UnknownRoot);
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::RootRemoved { fingerprint });
			Ok(())
		}

		/// Registers a measurement. By governance: no deposit, no owner. By an account: it
		/// becomes the owner and `MeasurementDeposit` is held. `debug` measurements (all-zero
		/// PCRs allowed) only where the genesis allows them.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_measurement())]
		pub fn register_measurement(
			origin: OriginFor<T>,
			name: BoundedVec<u8, T::MaxNameLen>,
			version: u32,
			pcr0: Pcr,
			pcr1: Pcr,
			pcr2: Pcr,
			pcr8: Option<Pcr>,
			debug: bool,
		) -> DispatchResult {
			let owner = Self::owner_or_governance(origin)?;
			let zero = |p: &Pcr| p.iter().all(|b| *b == 0);
			if debug {
				ensure!(DebugMeasurementsAllowed::<T>::get(), Error::<T>::DebugNotAllowed);
			} else {
				ensure!(!(zero(&pcr0) || zero(&pcr1) || zero(&pcr2)), Error::<T>::DebugPcrs);
			}
			let id = veritas_primitives::measurement_id(&pcr0, &pcr1, &pcr2, pcr8.as_ref());
			ensure!(!Measurements::<T>::contains_key(id), Error::<T>::MeasurementExists);
			let deposit = match &owner {
				Some(who) => {
					let amount = T::MeasurementDeposit::get();
					T::Currency::hold(&HoldReason::MeasurementDeposit.into(), who, amount)?;
					amount
				},
				None => Default::default(),
			};
			Measurements::<T>::insert(
				id,
				MeasurementInfo {
					owner: owner.clone(),
					name,
					version,
					pcr0,
					pcr1,
					pcr2,
					pcr8,
					debug,
					revoked: false,
					deposit,
					refs: 0,
				},
			);
			Self::deposit_event(Event::MeasurementRegistered { id, owner });
			Ok(())
		}

		/// Revokes a measurement. Governance: at once and for good, whatever names it (every key
		/// under it is invalid, its PCRs can never be registered again, requests needing it are
		/// refused); the owner's deposit is released. The owner: only while no model names it
		/// ([`Error::MeasurementInUse`]), which withdraws it: the record goes and the deposit comes
		/// back.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::revoke_measurement())]
		pub fn revoke_measurement(origin: OriginFor<T>, id: MeasurementId) -> DispatchResult {
			let caller = Self::owner_or_governance(origin)?;
			let mut m = Measurements::<T>::get(id).ok_or(Error::<T>::UnknownMeasurement)?;
			ensure!(!m.revoked, Error::<T>::MeasurementRevoked);
			if let Some(who) = &caller {
				ensure!(m.owner.as_ref() == Some(who), Error::<T>::NotOwner);
				ensure!(m.refs == 0, Error::<T>::MeasurementInUse);
			}
			if let Some(owner) = &m.owner {
				T::Currency::release(
					&HoldReason::MeasurementDeposit.into(),
					owner,
					m.deposit,
					Precision::BestEffort,
				)?;
			}
			if caller.is_some() {
				Measurements::<T>::remove(id);
				Self::deposit_event(Event::MeasurementWithdrawn { id });
			} else {
				m.revoked = true;
				m.deposit = Default::default();
				Measurements::<T>::insert(id, m);
				Self::deposit_event(Event::MeasurementRevoked { id });
			}
			Ok(())
		}

		/// Registers (or renews) the enclave key an attestation document binds, for the caller,
		/// under `measurement`. See the crate documentation for every check.
		///
		/// Declared for a document whose certificate path is unknown; one whose bundle is a
		/// known path ([`VerifiedPaths`]) pays `register_enclave_cached`. A successful
		/// registration remembers the paths it verified.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::register_enclave(checks::chain_len(document)))]
		pub fn register_enclave(
			origin: OriginFor<T>,
			measurement: MeasurementId,
			document: DocumentOf,
		) -> DispatchResultWithPostInfo {
			let operator = ensure_signed(origin)?;
			let m = Measurements::<T>::get(measurement).ok_or(Error::<T>::UnknownMeasurement)?;
			ensure!(!m.revoked, Error::<T>::MeasurementRevoked);
			let (attested, paths) = checks::check_document::<T>(&document, &operator, &m)?;
			let existing = Enclaves::<T>::get(attested.key);
			if let Some(existing) = &existing {
				ensure!(!existing.revoked, Error::<T>::EnclaveKeyRevoked);
				ensure!(existing.operator == operator, Error::<T>::KeyOwnedByAnother);
				ensure!(
					attested.timestamp_ms > existing.attested_at_ms,
					Error::<T>::ReplayedDocument
				);
			}
			let expires_at_ms = attested.timestamp_ms.saturating_add(T::KeyLifetimeMs::get());
			let deposit = match &existing {
				Some(existing) => existing.deposit,
				None => {
					let amount = T::KeyDeposit::get();
					T::Currency::hold(&HoldReason::KeyDeposit.into(), &operator, amount)?;
					amount
				},
			};
			Enclaves::<T>::insert(
				attested.key,
				EnclaveInfo {
					operator: operator.clone(),
					measurement,
					root: attested.root,
					attested_at_ms: attested.timestamp_ms,
					expires_at_ms,
					revoked: false,
					deposit,
				},
			);
			Self::deposit_event(Event::EnclaveRegistered {
				key: attested.key,
				operator,
				measurement,
				expires_at_ms,
			});
			// No new path: every CA signature was skipped (one per certificate below the root),
			// the cached path's weight, without parsing the document again for its length.
			let cached = paths.new_paths.is_empty();
			let c = paths.signatures_skipped.saturating_add(1) as u32;
			Self::remember_paths(&paths.new_paths);
			Ok(cached.then(|| T::WeightInfo::register_enclave_cached(c)).into())
		}

		/// Removes an enclave key's record once it has expired and `KeyGraceMs` has passed
		/// since; its deposit goes back to its operator. Anyone may call it. A revoked key's
		/// record stays ([`Error::EnclaveKeyRevoked`]): it may never be registered again.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::remove_enclave())]
		pub fn remove_enclave(origin: OriginFor<T>, key: EnclaveKey) -> DispatchResult {
			ensure_signed(origin)?;
			let info = Enclaves::<T>::get(key).ok_or(Error::<T>::InvalidEnclaveKey)?;
			ensure!(!info.revoked, Error::<T>::EnclaveKeyRevoked);
			ensure!(
				Self::now_ms() >= info.expires_at_ms.saturating_add(T::KeyGraceMs::get()),
				Error::<T>::KeyNotExpired
			);
			T::Currency::release(
				&HoldReason::KeyDeposit.into(),
				&info.operator,
				info.deposit,
				Precision::BestEffort,
			)?;
			Enclaves::<T>::remove(key);
			Self::deposit_event(Event::EnclaveRemoved { key });
			Ok(())
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

		/// Remembers `paths` as verified, while there is room (`MaxVerifiedPaths`).
		fn remember_paths(paths: &[NewPath]) {
			for path in paths {
				if VerifiedPaths::<T>::count() >= T::MaxVerifiedPaths::get() {
					break;
				}
				VerifiedPaths::<T>::insert(path.id, path.until_ms);
			}
		}

		/// Looks at up to `max` remembered paths, from where the last call stopped, and forgets
		/// those no document can use any more (past their `until_ms`); returns how many it
		/// looked at.
		pub fn prune_expired_paths(max: u32) -> u32 {
			let now = Self::now_ms();
			let mut iter = match PruneCursor::<T>::take() {
				Some(raw) => VerifiedPaths::<T>::iter_from(raw.into_inner()),
				None => VerifiedPaths::<T>::iter(),
			};
			let (mut looked, mut last, mut expired) = (0, None, Vec::new());
			while looked < max {
				let Some((id, until_ms)) = iter.next() else {
					last = None;
					break;
				};
				looked += 1;
				if until_ms < now {
					expired.push(id);
				}
				last = Some(id);
			}
			for id in expired {
				VerifiedPaths::<T>::remove(id);
			}
			if let Some(id) = last {
				let raw = VerifiedPaths::<T>::hashed_key_for(id);
				PruneCursor::<T>::set(BoundedVec::try_from(raw).ok());
			}
			looked
		}

		/// Chain time in Unix milliseconds.
		pub fn now_ms() -> u64 {
			T::UnixTime::now().as_millis() as u64
		}

		/// Whether `id` is a registered measurement governance has not revoked.
		pub fn is_measurement_active(id: &MeasurementId) -> bool {
			Measurements::<T>::get(id).is_some_and(|m| !m.revoked)
		}

		/// Takes a reference on the active measurement `id` (a model segment names it): from now
		/// on only governance may revoke it.
		pub fn acquire_measurement(id: &MeasurementId) -> Result<(), Error<T>> {
			Measurements::<T>::try_mutate(id, |m| {
				let m = m.as_mut().ok_or(Error::<T>::UnknownMeasurement)?;
				ensure!(!m.revoked, Error::<T>::MeasurementRevoked);
				m.refs = m.refs.saturating_add(1);
				Ok(())
			})
		}

		/// Releases a reference taken with [`Pallet::acquire_measurement`] (a model naming it was
		/// removed). A revoked measurement stays a tombstone whatever its count.
		pub fn release_measurement(id: &MeasurementId) -> Result<(), Error<T>> {
			Measurements::<T>::try_mutate(id, |m| {
				let m = m.as_mut().ok_or(Error::<T>::UnknownMeasurement)?;
				m.refs = m.refs.saturating_sub(1);
				Ok(())
			})
		}

		/// The key's record if it is valid now for `measurement`: registered, not expired, its
		/// measurement not revoked, its root still trusted.
		pub fn valid_key(
			key: &EnclaveKey,
			measurement: MeasurementId,
		) -> Result<EnclaveOf<T>, Error<T>> {
			let info = Enclaves::<T>::get(key).ok_or(Error::<T>::InvalidEnclaveKey)?;
			let m =
				Measurements::<T>::get(info.measurement).ok_or(Error::<T>::InvalidEnclaveKey)?;
			let valid = info.measurement == measurement
				&& !info.revoked
				&& !m.revoked
				&& info.expires_at_ms > Self::now_ms()
				&& TrustedRoots::<T>::get().contains(&info.root);
			if valid {
				Ok(info)
			} else {
				Err(Error::<T>::InvalidEnclaveKey)
			}
		}

		/// Whether `key` is valid now for `measurement` ([`Pallet::valid_key`]).
		pub fn is_key_valid(key: &EnclaveKey, measurement: MeasurementId) -> bool {
			Self::valid_key(key, measurement).is_ok()
		}

		/// Checks an enclave signature over `payload` ([`signing_message`] of it) by a key valid
		/// now for `measurement`.
		pub fn verify_enclave_signature(
			key: &EnclaveKey,
			measurement: MeasurementId,
			payload: &[u8],
			signature: &[u8; 64],
		) -> Result<EnclaveOf<T>, Error<T>> {
			let info = Self::valid_key(key, measurement)?;
			Self::is_signature_of(key, payload, signature)
				.then_some(info)
				.ok_or(Error::<T>::BadEnclaveSignature)
		}

		/// Checks an attestation document carried by a receipt segment: from an enclave of
		/// `measurement` (not revoked), at most `MaxDocumentAgeMs` old and not from the future,
		/// its `user_data` exactly `user_data` (the segment's statement, which makes it fresh),
		/// its signature and chain to a root trusted now.
		pub fn verify_attested(
			document: &[u8],
			measurement: MeasurementId,
			user_data: &[u8],
		) -> Result<(), Error<T>> {
			let m = Measurements::<T>::get(measurement).ok_or(Error::<T>::UnknownMeasurement)?;
			ensure!(!m.revoked, Error::<T>::MeasurementRevoked);
			checks::check_statement_document::<T>(document, user_data, &m)
		}

		/// The operator of a registered key and whether the key is revoked, whether or not it
		/// has expired (what an expired key signed is still its operator's word; a revoked key's
		/// operator still answers for what it signed before).
		pub fn key_record(key: &EnclaveKey) -> Result<(T::AccountId, bool), Error<T>> {
			let info = Enclaves::<T>::get(key).ok_or(Error::<T>::InvalidEnclaveKey)?;
			Ok((info.operator, info.revoked))
		}

		/// Whether `signature` is `key`'s over `payload` ([`signing_message`] of it), whatever
		/// the key's state.
		pub fn is_signature_of(key: &EnclaveKey, payload: &[u8], signature: &[u8; 64]) -> bool {
			sp_io::crypto::ed25519_verify(
				&sp_core::ed25519::Signature::from_raw(*signature),
				&signing_message(payload),
				&sp_core::ed25519::Public::from_raw(*key),
			)
		}

		/// Every account's held deposits equal those of the records it pays for: measurement
		/// deposits those of the measurements it owns, key deposits those of its enclave keys
		/// (a hold with no record is a difference too, for the accounts with records); no
		/// governance measurement holds a deposit.
		#[cfg(any(feature = "try-runtime", feature = "std"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			use frame_support::traits::fungible::InspectHold;
			use sp_runtime::traits::Saturating;
			let mut measurements: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (_, m) in Measurements::<T>::iter() {
				match &m.owner {
					Some(owner) => {
						let e = measurements.entry(owner.clone()).or_default();
						*e = e.saturating_add(m.deposit);
					},
					None => ensure!(
						m.deposit == Default::default(),
						"a governance measurement holds a deposit"
					),
				}
			}
			let mut keys: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (_, k) in Enclaves::<T>::iter() {
				let e = keys.entry(k.operator.clone()).or_default();
				*e = e.saturating_add(k.deposit);
			}
			for (reason, sums) in
				[(HoldReason::MeasurementDeposit, measurements), (HoldReason::KeyDeposit, keys)]
			{
				let reason = reason.into();
				for (who, amount) in sums {
					ensure!(
						T::Currency::balance_on_hold(&reason, &who) == amount,
						"an account's held deposit differs from its records' deposits"
					);
				}
			}
			Ok(())
		}

		/// Revokes `key` for good: it is invalid from now on and can never be registered again.
		pub fn revoke_key(key: &EnclaveKey) -> Result<(), Error<T>> {
			Enclaves::<T>::try_mutate(key, |info| {
				let info = info.as_mut().ok_or(Error::<T>::InvalidEnclaveKey)?;
				ensure!(!info.revoked, Error::<T>::EnclaveKeyRevoked);
				info.revoked = true;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::EnclaveRevoked { key: *key });
			Ok(())
		}
	}
}
