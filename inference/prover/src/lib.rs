//! # `veritas-prover`: zkML segments as Groth16 circuits
//!
//! A ZK segment of a model proves, with a Groth16 proof over BN254, that its output tensor is
//! the segment's function of its input tensor, without revealing either: the public inputs are
//! the segment statement's `[c_in, c_out, binding]` (`veritas_primitives::SegmentStatement::
//! zk_public_inputs`), the circuit recomputes both Poseidon commitments from the private tensors
//! with the same rule as `veritas-primitives` (circomlib's `Poseidon(4)`), and the layer's weights
//! are constants of the circuit, so that a verifying key belongs to one model's segment.
//!
//! - [`layer`]: the quantized layers the circuits support and their exact integer semantics
//!   (what the inference engine's quantized executor computes);
//! - [`gadgets`]: Poseidon and the tensor commitment in R1CS;
//! - [`circuit`]: a segment's circuit;
//! - [`keys`]: per-segment key generation, proving and the conversion to the verifier's types.
//!
//! Keys made by [`keys::setup`] come from a single seeded setup: whoever knows the seed can forge
//! proofs. That is fine for development and tests; production keys need a multi-party ceremony.

pub mod circuit;
pub mod gadgets;
pub mod keys;
pub mod layer;

pub use circuit::SegmentCircuit;
pub use keys::{prove, setup, DenseSegment, ProverError, SegmentKeys};
pub use layer::{Dense, LayerError};
