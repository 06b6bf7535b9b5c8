//! Real Groth16 statements on BN254 made with circom 2 and snarkjs (`resources/circom/`, see its
//! `PROVENANCE.md`; `scripts/gen-groth16-fixtures.sh` makes them again): the key, proof and
//! public inputs snarkjs wrote, as JSON, for the tests and benchmarks of every crate that needs
//! a valid statement made by someone else's prover.
//!
//! Feature `fixtures` (the verifier-registry pallet's and the runtime's benchmarks turn it on);
//! always there in this crate's own tests.

/// One circom circuit's statement, as snarkjs wrote it.
#[derive(Clone, Copy, Debug)]
pub struct CircomStatement {
	/// `verification_key.json`.
	pub verification_key: &'static str,
	/// `proof.json`.
	pub proof: &'static str,
	/// `public.json`: the public inputs the proof holds for.
	pub public: &'static str,
	/// `public_wrong.json`: the same inputs with the last one changed (the proof fails on them).
	pub public_wrong: &'static str,
	/// `input.json`: the circuit's input that made the witness.
	pub input: &'static str,
}

macro_rules! circom {
	($circuit:literal) => {
		CircomStatement {
			verification_key: include_str!(concat!(
				"resources/circom/",
				$circuit,
				"/verification_key.json"
			)),
			proof: include_str!(concat!("resources/circom/", $circuit, "/proof.json")),
			public: include_str!(concat!("resources/circom/", $circuit, "/public.json")),
			public_wrong: include_str!(concat!(
				"resources/circom/",
				$circuit,
				"/public_wrong.json"
			)),
			input: include_str!(concat!("resources/circom/", $circuit, "/input.json")),
		}
	};
}

/// 64 public inputs (the most a key may have): each public `x[i]` is the square of a private
/// `y[i]`.
pub const MANY_INPUTS: CircomStatement = circom!("many_inputs");
/// Knowledge of a factorisation: private `a`, `b` with `a · b = c` for the public `c`.
pub const MULTIPLIER: CircomStatement = circom!("multiplier");
/// A Poseidon commitment to four private values, bound to a public nonce: public
/// `[commitment, nonce]`.
pub const POSEIDON_COMMIT: CircomStatement = circom!("poseidon_commit");
