//! Per-segment keys and proofs: Groth16 over BN254 (`ark-groth16`), converted to the types the
//! chain's verifier takes (`veritas-verifier-groth16`).

use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_snark::SNARK;
use ark_std::rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use veritas_primitives::{
	commit_salted, commitment::elements_of, salt::Salt, Commitment, SegmentStatement,
};
use veritas_verifier_groth16::{Proof, VerifyingKey};

use veritas_engine::fixed::{LayerError, Segment};

use crate::circuit::{Salts, SegmentCircuit};

/// Why keys or a proof could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProverError {
	/// The segment cannot evaluate the input.
	Layer(LayerError),
	/// A shape does not hold as many values as the layer's side.
	ShapeMismatch,
	/// The statement's `c_in` or `c_out` is not the commitment to this input or its output.
	StatementMismatch,
	/// A commitment could not be computed.
	Commitment,
	/// Key generation or proving failed.
	Groth16(String),
}

impl From<LayerError> for ProverError {
	fn from(e: LayerError) -> Self {
		Self::Layer(e)
	}
}

/// A segment between tensors of two shapes: what a key is made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkSegment {
	/// The fixed-point operations.
	pub segment: Segment,
	/// The input tensor's shape.
	pub input_shape: Vec<u32>,
	/// The output tensor's shape.
	pub output_shape: Vec<u32>,
}

impl ZkSegment {
	/// A segment, checking that the shapes hold the segment's input and output sizes.
	pub fn new(
		segment: Segment,
		input_shape: Vec<u32>,
		output_shape: Vec<u32>,
	) -> Result<Self, ProverError> {
		let fits = |shape: &[u32], n: usize| elements_of(shape).is_ok_and(|e| e == n);
		if !fits(&input_shape, segment.inputs()) || !fits(&output_shape, segment.outputs()) {
			return Err(ProverError::ShapeMismatch);
		}
		Ok(Self { segment, input_shape, output_shape })
	}

	/// The segments of `model`, each between `[1, n]` tensors (the shape of the ONNX models'
	/// inputs and outputs, which the commitments between segments keep).
	pub fn of_model(model: &veritas_engine::QuantizedModel) -> Result<Vec<Self>, ProverError> {
		let shape = |n: usize| vec![1, n as u32];
		model
			.segments()
			.iter()
			.map(|s| Self::new(s.clone(), shape(s.inputs()), shape(s.outputs())))
			.collect()
	}

	/// The output for `input` and the commitments to both, salted with `salts`:
	/// `(output, c_in, c_out)`.
	pub fn evaluate(
		&self,
		input: &[i32],
		salts: &Salts,
	) -> Result<(Vec<i32>, Commitment, Commitment), ProverError> {
		let (output, c_out) = self.run(input, &salts.output)?;
		Ok((output, self.commit_input(input, &salts.input)?, c_out))
	}

	/// The output for `input` and its commitment `c_out`, salted with `salt`. In a chain of
	/// segments, a segment's `c_in` is the previous one's `c_out`: only the first input needs
	/// [`Self::commit_input`].
	pub fn run(&self, input: &[i32], salt: &Salt) -> Result<(Vec<i32>, Commitment), ProverError> {
		let output = self.segment.forward(input)?;
		let c_out = commit_salted(&self.output_shape, &output, salt)
			.map_err(|_| ProverError::Commitment)?;
		Ok((output, c_out))
	}

	/// The commitment `c_in` to an input of this segment, salted with `salt`.
	pub fn commit_input(&self, input: &[i32], salt: &Salt) -> Result<Commitment, ProverError> {
		commit_salted(&self.input_shape, input, salt).map_err(|_| ProverError::Commitment)
	}

	/// The segment's circuit: for key generation without `public` and a witness, for proving
	/// with both (the input and the salts of both commitments).
	pub fn circuit(
		&self,
		public: Option<[Fr; 3]>,
		witness: Option<(Vec<i32>, Salts)>,
	) -> SegmentCircuit {
		let (input, salts) = witness.unzip();
		SegmentCircuit {
			segment: self.segment.clone(),
			input_shape: self.input_shape.clone(),
			output_shape: self.output_shape.clone(),
			public,
			input,
			salts,
		}
	}
}

/// The number of R1CS constraints of `segment`'s circuit (its size: key generation and proving
/// time grow with it).
pub fn constraint_count(segment: &ZkSegment) -> Result<usize, ProverError> {
	use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
	let cs = ConstraintSystem::<Fr>::new_ref();
	cs.set_mode(SynthesisMode::Setup);
	segment.circuit(None, None).generate_constraints(cs.clone()).map_err(groth16)?;
	cs.finalize();
	Ok(cs.num_constraints())
}

/// Synthesizes `segment`'s circuit for `statement`'s public inputs, `input` and `salts` into
/// `cs`, in whatever mode `cs` is set to.
pub(crate) fn synthesize_into(
	cs: ark_relations::r1cs::ConstraintSystemRef<Fr>,
	segment: &ZkSegment,
	statement: &SegmentStatement,
	input: &[i32],
	salts: &Salts,
) -> Result<(), ProverError> {
	use ark_relations::r1cs::ConstraintSynthesizer;
	let public = statement.zk_public_inputs().map_err(|_| ProverError::Commitment)?;
	segment
		.circuit(Some(public), Some((input.to_vec(), *salts)))
		.generate_constraints(cs)
		.map_err(groth16)
}

/// Whether `segment`'s circuit is satisfied by `input`, `salts` and the public inputs of
/// `statement` (without a proof: what proving would establish, checked directly).
pub fn is_satisfied(
	segment: &ZkSegment,
	statement: &SegmentStatement,
	input: &[i32],
	salts: &Salts,
) -> Result<bool, ProverError> {
	let cs = ark_relations::r1cs::ConstraintSystem::<Fr>::new_ref();
	synthesize_into(cs.clone(), segment, statement, input, salts)?;
	cs.is_satisfied().map_err(groth16)
}

/// A segment's proving key and the verifying key to register on chain. Every key proves with
/// arkworks' QAP reduction: keys from a snarkjs ceremony are converted to it when imported
/// (`veritas-zkey`).
#[derive(Clone, Debug)]
pub struct SegmentKeys {
	/// The proving key.
	pub pk: ProvingKey<Bn254>,
	/// The verifying key, as the verifier registry takes it.
	pub vk: VerifyingKey,
}

impl SegmentKeys {
	/// The keys of proving key `pk`, its verifying key converted to the chain verifier's types.
	pub fn from_proving_key(pk: ProvingKey<Bn254>) -> Result<Self, ProverError> {
		let vk = VerifyingKey::from_ark(&pk.vk).map_err(|e| groth16(format!("{e:?}")))?;
		Ok(Self { pk, vk })
	}

	/// Writes the proving key to `w` (arkworks' uncompressed encoding): the key file of a segment
	/// ([`SegmentKeys::read`]).
	pub fn write_proving_key(&self, w: impl std::io::Write) -> Result<(), ProverError> {
		use ark_serialize::CanonicalSerialize;
		self.pk.serialize_uncompressed(w).map_err(groth16)
	}

	/// The keys of the proving key `r` holds, as [`SegmentKeys::write_proving_key`] wrote it: a
	/// file an operator provides (a ceremony's key, imported by `veritas-zkey`), so every point
	/// is checked to be on its curve and in its subgroup, and a key with another number of
	/// public inputs than a segment's three is refused.
	pub fn read(r: impl std::io::Read) -> Result<Self, ProverError> {
		use ark_serialize::CanonicalDeserialize;
		let pk = ProvingKey::<Bn254>::deserialize_uncompressed(r).map_err(groth16)?;
		if pk.vk.gamma_abc_g1.len() != 4 {
			return Err(groth16(format!(
				"a key with {} public inputs, where a segment has 3",
				pk.vk.gamma_abc_g1.len().saturating_sub(1)
			)));
		}
		Self::from_proving_key(pk)
	}

	/// These keys with the proving key read from `r`, as [`SegmentKeys::write_proving_key`]
	/// wrote it. The points are not checked again (a file this prover wrote itself; `ezkl prove`
	/// reads its keys the same way).
	pub fn with_proving_key_from(&self, r: impl std::io::Read) -> Result<Self, ProverError> {
		use ark_serialize::CanonicalDeserialize;
		let pk = ProvingKey::<Bn254>::deserialize_uncompressed_unchecked(r).map_err(groth16)?;
		Ok(Self { pk, vk: self.vk.clone() })
	}
}

fn groth16(e: impl core::fmt::Display) -> ProverError {
	ProverError::Groth16(e.to_string())
}

/// Generates the keys of `segment` from `seed`: a single-party setup, deterministic (the same
/// seed gives the same keys). Anyone who knows the seed can forge proofs: development only;
/// production keys need a ceremony.
pub fn setup(segment: &ZkSegment, seed: [u8; 32]) -> Result<SegmentKeys, ProverError> {
	let mut rng = ChaCha20Rng::from_seed(seed);
	let (pk, vk) = Groth16::<Bn254>::circuit_specific_setup(segment.circuit(None, None), &mut rng)
		.map_err(groth16)?;
	let vk = VerifyingKey::from_ark(&vk).map_err(|e| groth16(format!("{e:?}")))?;
	Ok(SegmentKeys { pk, vk })
}

/// Proves that `statement`'s `c_out` commits to `segment`'s output for the input committed by its
/// `c_in`, which is `input`, each commitment salted with its salt of `salts`. `rng` blinds the
/// proof (zero knowledge: seed it with fresh randomness); it does not affect soundness.
///
/// Not generic over the RNG on purpose: the whole prover is then compiled (and optimised) in
/// this crate rather than in every caller's.
pub fn prove(
	keys: &SegmentKeys,
	segment: &ZkSegment,
	statement: &SegmentStatement,
	input: &[i32],
	salts: &Salts,
	rng: &mut ChaCha20Rng,
) -> Result<Proof, ProverError> {
	let (_, c_in, c_out) = segment.evaluate(input, salts)?;
	if c_in != statement.c_in || c_out != statement.c_out {
		return Err(ProverError::StatementMismatch);
	}
	let public = statement.zk_public_inputs().map_err(|_| ProverError::Commitment)?;
	let circuit = segment.circuit(Some(public), Some((input.to_vec(), *salts)));
	let proof = Groth16::<Bn254>::prove(&keys.pk, circuit, rng).map_err(groth16)?;
	Proof::from_ark(&proof).map_err(|e| groth16(format!("{e:?}")))
}

#[cfg(test)]
pub(crate) mod tests {
	use veritas_engine::fixed::{Dense, Op};
	use veritas_primitives::Subject;
	use veritas_verifier_groth16::{prepare, verify, PublicInputs, Scalar};

	use super::*;

	/// Dense → rescale → ReLU → dense: every operation the circuits support.
	pub(crate) fn segment() -> ZkSegment {
		let d1 = Dense::new(
			4,
			3,
			vec![256, -512, 768, 0, 5, 6, -7, 8, -9, 10, 11, -12],
			vec![100, -100, 0],
		)
		.unwrap();
		let d2 = Dense::new(3, 2, vec![1, -2, 3, 4, 5, -6], vec![7, -7]).unwrap();
		let ops = vec![Op::Dense(d1), Op::Rescale { shift: 4 }, Op::Relu, Op::Dense(d2)];
		ZkSegment::new(Segment::new(ops).unwrap(), vec![4], vec![2]).unwrap()
	}

	fn statement(input: &[i32]) -> SegmentStatement {
		let (_, c_in, c_out) = segment().evaluate(input, &Salts::NONE).unwrap();
		statement_of(c_in, c_out)
	}

	/// A statement of segment 1 of a request about `c_in` and `c_out`.
	pub(crate) fn statement_of(c_in: Commitment, c_out: Commitment) -> SegmentStatement {
		SegmentStatement {
			genesis: [7; 32],
			subject: Subject::Request(3),
			node: [5; 32],
			fee: 10,
			model: 1,
			file_hash: [6; 32],
			model_digest: [7; 32],
			segment: 1,
			c_in,
			c_out,
		}
	}

	fn inputs(s: &SegmentStatement) -> PublicInputs {
		PublicInputs::from_scalars(s.zk_public_inputs_le().unwrap().map(Scalar).to_vec()).unwrap()
	}

	#[test]
	fn a_proof_verifies_with_the_chain_s_verifier_for_its_statement_only() {
		let keys = setup(&segment(), [1; 32]).unwrap();
		let input = [3, -1, 4, 1];
		let s = statement(&input);
		let mut rng = ChaCha20Rng::from_seed([2; 32]);
		let proof = prove(&keys, &segment(), &s, &input, &Salts::NONE, &mut rng).unwrap();
		let pvk = prepare(&keys.vk).unwrap();
		assert_eq!(verify(&pvk, &proof, &inputs(&s)), Ok(()));
		// Another request, another output, another input: refused.
		let other_output = statement(&[9, -1, 4, 1]).c_out;
		assert_ne!(other_output, s.c_out);
		for other in [
			SegmentStatement { subject: Subject::Request(4), ..s },
			SegmentStatement { c_out: other_output, ..s },
			SegmentStatement { c_in: statement(&[0, 0, 0, 0]).c_in, ..s },
			SegmentStatement { segment: 2, ..s },
		] {
			assert!(verify(&pvk, &proof, &inputs(&other)).is_err());
		}
	}

	#[test]
	fn refuses_to_prove_a_statement_about_another_input_or_output() {
		let keys = setup(&segment(), [1; 32]).unwrap();
		let s = statement(&[3, -1, 4, 1]);
		let mut rng = ChaCha20Rng::from_seed([2; 32]);
		assert_eq!(
			prove(&keys, &segment(), &s, &[3, -1, 4, 2], &Salts::NONE, &mut rng).unwrap_err(),
			ProverError::StatementMismatch
		);
	}

	#[test]
	fn a_proving_key_read_back_from_its_file_proves_and_a_truncated_file_is_refused() {
		let keys = setup(&segment(), [1; 32]).unwrap();
		let mut file = Vec::new();
		keys.write_proving_key(&mut file).unwrap();
		let read = keys.with_proving_key_from(&file[..]).unwrap();
		assert_eq!(read.pk, keys.pk);
		let input = [3, -1, 4, 1];
		let s = statement(&input);
		let proof = prove(
			&read,
			&segment(),
			&s,
			&input,
			&Salts::NONE,
			&mut ChaCha20Rng::from_seed([2; 32]),
		);
		assert_eq!(verify(&prepare(&keys.vk).unwrap(), &proof.unwrap(), &inputs(&s)), Ok(()));
		assert!(matches!(
			keys.with_proving_key_from(&file[..file.len() - 1]),
			Err(ProverError::Groth16(_))
		));
		// Read as an operator's file: checked, the same keys.
		let checked = SegmentKeys::read(&file[..]).unwrap();
		assert_eq!((checked.pk, checked.vk), (keys.pk.clone(), keys.vk.clone()));
		assert!(matches!(SegmentKeys::read(&file[..file.len() - 1]), Err(ProverError::Groth16(_))));
		// A point moved off its curve (the first coordinate of `alpha_g1`, the key's first bytes).
		let mut off_curve = file.clone();
		off_curve[0] ^= 1;
		assert!(matches!(SegmentKeys::read(&off_curve[..]), Err(ProverError::Groth16(_))));
	}

	#[test]
	fn l7_a_salted_statement_is_proved_with_its_salts_only() {
		let keys = setup(&segment(), [1; 32]).unwrap();
		let input = [3, -1, 4, 1];
		let salted =
			Salts { input: Salt::from_random([4; 31]), output: Salt::from_random([5; 31]) };
		let (_, c_in, c_out) = segment().evaluate(&input, &salted).unwrap();
		let s = statement_of(c_in, c_out);
		assert_ne!(s, statement(&input), "the salts change both commitments");
		assert!(is_satisfied(&segment(), &s, &input, &salted).unwrap());
		let mut rng = ChaCha20Rng::from_seed([2; 32]);
		let proof = prove(&keys, &segment(), &s, &input, &salted, &mut rng).unwrap();
		let pvk = prepare(&keys.vk).unwrap();
		assert_eq!(verify(&pvk, &proof, &inputs(&s)), Ok(()));
		assert!(verify(&pvk, &proof, &inputs(&statement(&input))).is_err());
		// Other salts do not open these commitments.
		for wrong in [Salts::NONE, Salts { output: Salt::NONE, ..salted }] {
			assert!(!is_satisfied(&segment(), &s, &input, &wrong).unwrap());
			let refused = prove(&keys, &segment(), &s, &input, &wrong, &mut rng);
			assert_eq!(refused.unwrap_err(), ProverError::StatementMismatch);
		}
	}

	#[test]
	fn keys_are_deterministic_per_seed_and_shapes_must_fit() {
		assert_eq!(setup(&segment(), [1; 32]).unwrap().vk, setup(&segment(), [1; 32]).unwrap().vk);
		assert_ne!(setup(&segment(), [1; 32]).unwrap().vk, setup(&segment(), [9; 32]).unwrap().vk);
		let ops = segment().segment;
		assert_eq!(ZkSegment::new(ops, vec![5], vec![2]).unwrap_err(), ProverError::ShapeMismatch);
	}
}
