//! # `veritas-prover`: zkML segments as Groth16 circuits
//!
//! A ZK segment of a model proves, with a Groth16 proof over BN254, that its output tensor is
//! the segment's function of its input tensor, without revealing either: the public inputs are
//! the segment statement's `[c_in, c_out, binding]` (`veritas_primitives::SegmentStatement::
//! zk_public_inputs`), the circuit recomputes both Poseidon commitments from the private tensors
//! with the same rule as `veritas-primitives` (circomlib's `Poseidon(4)`), and the layer's weights
//! are constants of the circuit, so that a verifying key belongs to one model's segment.
//!
//! - the quantized operations and their exact integer semantics are `veritas_engine::fixed`'s
//!   (the inference engine's fixed-point executor): what the node computes is what is proved;
//! - [`gadgets`]: Poseidon, the tensor commitment, `i32` range checks, rescale and ReLU in R1CS;
//! - [`circuit`]: a segment's circuit;
//! - [`parallel`]: every segment of an inference proved at once, with a progress bar;
//! - [`keys`]: per-segment key generation, proving and the conversion to the verifier's types;
//! - [`r1cs`]: a segment's circuit in circom's `.r1cs` format, for a snarkjs ceremony;
//! - [`satisfaction`]: many assignments of one circuit checked against its matrices, made once.
//!
//! Keys made by [`keys::setup`] come from a single seeded setup: whoever knows the seed can forge
//! proofs. That is fine for development and tests; production keys need a multi-party ceremony,
//! which snarkjs can run on the [`r1cs`] export (`scripts/zkey-ceremony.sh`).

pub mod circuit;
pub mod gadgets;
pub mod keys;
pub mod parallel;
pub mod r1cs;
pub mod satisfaction;

pub use circuit::{Salts, SegmentCircuit};
pub use keys::{constraint_count, is_satisfied, prove, setup, ProverError, SegmentKeys, ZkSegment};
pub use parallel::{prove_all, ProofJob};
pub use satisfaction::SatisfactionCheck;
pub use veritas_engine::fixed::{Dense, LayerError, Op, Segment};
