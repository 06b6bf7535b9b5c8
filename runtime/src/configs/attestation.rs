//! TEE attestation: AWS Nitro roots, enclave measurements and enclave keys
//! (`pallet-enclave-registry`).

use frame_support::{parameter_types, traits::ConstU32};

use crate::{
	currency::MILLI_UNIT, time::MINUTES, Balance, Balances, Runtime, RuntimeHoldReason, Timestamp,
};

parameter_types! {
	/// The deposit of a measurement registered by an account.
	pub const MeasurementDeposit: Balance = 100 * MILLI_UNIT;
	/// An enclave key lives 24 hours after its document unless renewed.
	pub const KeyLifetimeMs: u64 = 24 * 3600 * 1000;
	/// The deposit of an enclave key's record (about 180 bytes), until it is removed.
	pub const KeyDeposit: Balance = 10 * MILLI_UNIT;
	/// An expired key's record stays a day more (as long as a request may stay open,
	/// `MaxRequestTtl`; `runtime/src/tests.rs` checks it), so what it signed can still be
	/// reported as an equivocation; then anyone may remove it.
	pub const KeyGraceMs: u64 = 24 * 3600 * 1000;
	/// A registration document may be at most 5 minutes old.
	pub const MaxDocumentAgeMs: u64 = 5 * 60 * 1000;
	/// ... and at most 30 seconds ahead of chain time.
	pub const MaxClockSkewMs: u64 = 30 * 1000;
	/// Its nonce must be the hash of one of the last 5 minutes' blocks.
	pub const NonceWindow: u32 = 5 * MINUTES;
}

impl pallet_enclave_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureRoot<crate::AccountId>;
	type UnixTime = Timestamp;
	type P384 = veritas_crypto_host::Host;
	type MeasurementDeposit = MeasurementDeposit;
	type KeyLifetimeMs = KeyLifetimeMs;
	type KeyDeposit = KeyDeposit;
	type KeyGraceMs = KeyGraceMs;
	type MaxDocumentAgeMs = MaxDocumentAgeMs;
	type MaxClockSkewMs = MaxClockSkewMs;
	type NonceWindow = NonceWindow;
	type MaxRoots = ConstU32<{ veritas_verifier_tee_nitro::limits::MAX_TRUSTED_ROOTS as u32 }>;
	type MaxNameLen = ConstU32<64>;
	type MaxVerifiedPaths = ConstU32<256>;
	type WeightInfo = crate::weights::pallet_enclave_registry::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SetTimestamp;
}

/// Sets the timestamp pallet's time, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct SetTimestamp;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_enclave_registry::BenchmarkHelper for SetTimestamp {
	fn set_time_ms(ms: u64) {
		pallet_timestamp::Now::<Runtime>::put(ms);
	}
}
