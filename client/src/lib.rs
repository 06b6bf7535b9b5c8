//! # `veritas`, the Veritas command line
//!
//! Offline verification with the same verifier crates the runtime runs, and chain commands
//! through subxt:
//!
//! - [`groth16_cmd`]: `veritas groth16 vk-id` and `veritas groth16 verify` (offline);
//! - [`nitro_cmd`]: `veritas nitro verify` (offline);
//! - [`chain_cmd`]: `veritas vk register` and `veritas proof submit` (signed extrinsics, waited
//!   for until finalized);
//! - [`measurement_cmd`]: `veritas measurement register` (an enclave image's PCRs, from
//!   `nitro-cli`'s JSON or a development image);
//! - [`model_cmd`]: `veritas model register` (a JSON manifest, registered on chain);
//! - [`node_cmd`]: `veritas node register --bond N` and `veritas node unregister` (an inference
//!   node operator's bond);
//! - [`request_cmd`]: `veritas request` (an inference request, its fee escrowed; `--wait` waits
//!   for its verified result and re-verifies it);
//! - [`output_cmd`]: `veritas output ID --from URL --salt 0x…` (a committed output, from the
//!   node that answered, checked against `c_n` on chain);
//! - [`node_api`]: the inference node's HTTP API, as the CLI calls it;
//! - [`result_cmd`]: `veritas result ID [--verify] [--json]` (a verified result, re-verified
//!   locally with the same verifier crates), read at a finalized block, its output also as real
//!   numbers at the model's scale;
//! - [`results_cmd`]: `veritas results --model N [--verify] [--json]` (a model's latest results).
//!
//! The chain itself (connection, signing, submission, typed reads, manifests) is the
//! [`veritas_chain`] library, shared with the inference node; this crate is the CLI on top of it.
//!
//! Every command ends with an [`Exit`]: 0 valid (or done), 1 well-formed but invalid (or refused
//! by the chain), 2 malformed input or usage error, 3 the chain could not be reached; the message
//! names the failed check.

pub mod chain_cmd;
pub mod exit;
pub mod files;
pub mod groth16_cmd;
pub mod measurement_cmd;
pub mod model_cmd;
pub mod nitro_cmd;
pub mod node_api;
pub mod node_cmd;
pub mod output_cmd;
pub mod request_cmd;
pub mod result_cmd;
pub mod results_cmd;

pub use exit::Exit;
