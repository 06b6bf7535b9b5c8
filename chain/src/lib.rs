//! # `veritas-chain`: talking to a Veritas chain
//!
//! What the `veritas` CLI and the inference node share to use the chain, through subxt:
//!
//! - [`client`]: connect ([`connect`]), the pool-aware next nonce, sr25519 keys from secret URIs;
//! - [`call`]: calls whose arguments are already SCALE-encoded with the runtime's own types
//!   ([`EncodedCall`]), and `Utility.batch_all` of them;
//! - [`submit`]: sign (mortal transactions, [`submit::MORTAL_BLOCKS`]), submit, wait until
//!   finalized, read a call's events;
//! - [`onchain`]: Veritas's storage items and the receipts runtime API at one block, each read
//!   by a typed function through its generated address and converted into a mirror of the
//!   runtime's type;
//! - [`runtime`]: what subxt generates from the runtime's metadata (`metadata/veritas.scale`,
//!   kept current by `tests/metadata.rs`);
//! - [`manifest`]: model manifests, from their JSON to the SCALE form the chain stores;
//! - [`pallets`]: the runtime's pallet names, in one place;
//! - [`exit`]: the exit codes of the Veritas command-line tools, which both binaries map these
//!   errors to.
//!
//! Every failure is a [`ChainError`] saying what a caller can do about it: ask again
//! ([`ChainError::Unreachable`], [`ChainError::TimedOut`]), give up ([`ChainError::Refused`],
//! naming the pallet error), or fix its input ([`ChainError::Malformed`]).

pub mod call;
pub mod client;
pub mod error;
pub mod exit;
pub mod manifest;
pub mod onchain;
pub mod pallets;
pub mod runtime;
pub mod submit;

pub use call::{batch_all, encode_call, EncodedArgs, EncodedCall};
pub use client::{connect, genesis, next_nonce, signer, Client};
pub use error::ChainError;
pub use exit::Exit;
pub use manifest::{read_manifest, Manifest, ManifestError};
pub use submit::{
	event_fields, sign, submit_finalized, submit_for_event, submit_watch, wait_finalized, Emitted,
	Finalized, Signed, Watching, MORTAL_BLOCKS,
};
