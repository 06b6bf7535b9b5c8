//! # Veritas runtime
//!
//! The state transition function of the Veritas settlement chain, compiled to WASM and executed by
//! every `veritas-node`. This first version holds the chain foundation: accounts and balances,
//! fees, Aura block production, GRANDPA finality, sudo governance and batching (`utility`). The
//! Veritas pallets (verifier registry, enclave registry, models, receipts, settlement) are added
//! by later work in `configs/` and in the `runtime` module below.
//!
//! Transactions use only the standard extensions of the SDK (see [`TxExtension`]), including
//! `CheckMetadataHash`, so off-the-shelf clients (subxt, polkadot.js, polkadot-api,
//! py-substrate-interface) read, sign and submit without custom types.

#![cfg_attr(not(feature = "std"), no_std)]
// The runtime macros (`#[frame_support::runtime]`, `impl_runtime_apis!`, the WASM binary include)
// generate public items without docs; everything written by hand here is documented.
#![allow(missing_docs)]
// `construct_runtime`-style macros expand to large recursive types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Before `apis`: `define_benchmarks!` defines the macros the benchmark API uses.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod impls;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node and off-chain code need to know of blocks without the runtime's
/// call types.
pub mod opaque {
	use super::*;
	use sp_runtime::{
		generic,
		traits::{BlakeTwo256, Hash as HashT},
	};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: its Aura and GRANDPA keys.
	pub struct SessionKeys {
		/// The block production key.
		pub aura: Aura,
		/// The finality voting key.
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. Bump `spec_version` whenever the runtime's logic changes.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("veritas"),
	impl_name: alloc::borrow::Cow::Borrowed("veritas-node"),
	authoring_version: 1,
	spec_version: 108,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 6,
	system_version: 1,
};

/// The ticker of the native token.
pub const TOKEN_SYMBOL: &str = "VRT";
/// The decimals of the native token.
pub const TOKEN_DECIMALS: u8 = 12;
/// The SS58 address format of Veritas accounts (42: the generic Substrate prefix).
pub const SS58_PREFIX: u16 = 42;

/// Time constants. Block production follows Aura slots of [`time::MILLI_SECS_PER_BLOCK`].
pub mod time {
	use super::BlockNumber;

	/// Target block time of every production chain. Aura's slot duration is this value (6 s)
	/// unless a genesis sets another (`pallet_block_time`: development chains only; changing it
	/// after genesis would break slot arithmetic, so no call can).
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// The default Aura slot duration.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
	/// Blocks per minute at the default block time. Periods counted in blocks (a request's
	/// deadline, an attestation nonce's window, the unbonding period) pass faster in wall-clock
	/// time on a development chain with a shorter block time.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// Currency units of the native token (12 decimals).
pub mod currency {
	use super::Balance;

	/// One whole token.
	pub const UNIT: Balance = 1_000_000_000_000;
	/// One thousandth of a token.
	pub const MILLI_UNIT: Balance = 1_000_000_000;
	/// One millionth of a token.
	pub const MICRO_UNIT: Balance = 1_000_000;
	/// The minimum balance an account must keep to exist.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;
}

/// A signature on the chain: sr25519, ed25519 or ECDSA.
pub type Signature = MultiSignature;
/// An account id: the public key behind a [`Signature`], as 32 bytes.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A balance of the native token.
pub type Balance = u128;
/// An account's transaction index.
pub type Nonce = u32;
/// A block hash.
pub type Hash = sp_core::H256;
/// A block number.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A signed block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// A block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, all standard ones of the SDK, in the order clients expect.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// An extrinsic as it arrives at the runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations to run on the next runtime upgrade.
#[allow(unused_parens)]
type Migrations = ();

/// Dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// The runtime: its pallets, in a fixed order of indices that clients' call encodings rely on.
#[frame_support::runtime]
mod runtime {
	/// The Veritas runtime.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	/// Accounts, blocks, events.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	/// The block's time, set by an inherent.
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// Aura block production.
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	/// GRANDPA finality.
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	/// The native token.
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	/// Transaction fees.
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// Governance on dev and test chains.
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	/// Batches of calls.
	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	/// Groth16 (BN254) verifying keys and standalone proof verification.
	#[runtime::pallet_index(8)]
	pub type Groth16Verifier = pallet_verifier_registry<Instance1>;

	/// AWS Nitro attestation roots, enclave measurements and enclave keys.
	#[runtime::pallet_index(9)]
	pub type EnclaveRegistry = pallet_enclave_registry;

	/// Model manifests: file hash, shapes, segments and the evidence each accepts.
	#[runtime::pallet_index(10)]
	pub type Models = pallet_models;

	/// Inference-node bonds, request fee escrow, payouts, refunds and slashing.
	#[runtime::pallet_index(11)]
	pub type Settlement = pallet_settlement;

	/// Inference requests, receipts checked segment by segment, verified results.
	#[runtime::pallet_index(12)]
	pub type InferenceReceipts = pallet_inference_receipts;

	/// The chain's block time (Aura's slot duration), fixed at genesis.
	#[runtime::pallet_index(13)]
	pub type BlockTime = pallet_block_time;
}
