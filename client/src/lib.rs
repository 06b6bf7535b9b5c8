//! # `veritas`, the Veritas command line
//!
//! Offline verification with the same verifier crates the runtime runs, and chain commands
//! through subxt:
//!
//! - [`groth16_cmd`]: `veritas groth16 vk-id` and `veritas groth16 verify` (offline);
//! - [`nitro_cmd`]: `veritas nitro verify` (offline);
//! - [`chain_cmd`]: `veritas vk register` and `veritas proof submit` (signed extrinsics, waited
//!   for until finalized);
//! - [`model_cmd`]: `veritas model register` (a JSON manifest, registered on chain).
//!
//! Every command ends with an [`Exit`]: 0 valid (or done), 1 well-formed but invalid (or refused
//! by the chain), 2 malformed input or usage error, 3 the chain could not be reached; the message
//! names the failed check.

pub mod chain;
pub mod chain_cmd;
pub mod exit;
pub mod files;
pub mod groth16_cmd;
pub mod model_cmd;
pub mod nitro_cmd;

pub use exit::Exit;
