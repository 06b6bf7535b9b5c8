//! # Veritas primitives
//!
//! The types and rules the runtime and the off-chain code (inference node, CLI, provers) must
//! agree on byte for byte. `no_std` + `alloc`.
//!
//! - [`ids`]: the ids of models, requests, segments, keys and receipts.
//! - [`commitment`]: Poseidon commitments to quantized tensors (the rule, written down once).
//! - [`salt`]: commitments blinded by a secret salt, for inputs with few possible values.
//! - [`output`]: whether a request's output is published in its receipt or kept off chain.
//! - [`evidence`]: what a receipt carries for each segment, and which kinds a segment accepts.
//! - [`statement`]: what each piece of evidence binds (chain, request, submitting node and fee,
//!   model by id and content, segment, c_in, c_out): the enclave's signing payload, the
//!   attestation `user_data`, the ZK public inputs.
//! - [`measurement`]: an enclave measurement's id, a digest of its PCRs ([`measurement_id`]).
//! - [`model`]: the digest of a model's content ([`model_digest`]), which evidence names.
//! - [`segment`]: one segment of a model manifest and the evidence it accepts.
//! - [`receipt`]: the receipt id, a hash of the statement (never of proof or signature bytes).
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
#![deny(missing_docs)]

extern crate alloc;

pub mod commitment;
pub mod evidence;
pub mod ids;
pub mod measurement;
pub mod model;
pub mod output;
pub mod receipt;
pub mod salt;
pub mod segment;
pub mod statement;

pub use commitment::{commit, commit_with, CommitError, Commitment};
pub use evidence::{Evidence, EvidenceKind, EvidenceSet};
pub use ids::*;
pub use measurement::{measurement_id, Pcr};
pub use model::model_digest;
pub use output::OutputMode;
pub use receipt::receipt_id;
pub use salt::{commit_salted, salted, Salt};
pub use segment::SegmentSpec;
pub use statement::{enclave_signing_message, SegmentStatement, Subject};

#[cfg(test)]
mod tests;
