//! Answering one inference with a receipt: each segment run (in fixed point, or by tract with
//! its output boundary quantized) and committed, its
//! evidence made as the policy asks (the enclave session signs or attests; the prover proves,
//! every ZK segment of the inference in parallel).

use rand_chacha::ChaCha20Rng;
use veritas_attester::{Attester, EnclaveSession};
use veritas_chain::onchain::Receipt;
use veritas_primitives::{
	salt::Salt, Commitment, Evidence, EvidenceKind, OutputMode, SegmentStatement, Subject,
};
use veritas_prover::{prove_all, ProofJob, Salts};

use crate::{segment::SegmentError, served::ServedModel};

/// Why an inference could not be answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerError {
	/// The policy names a kind per segment; this one has the wrong length.
	PolicyLength {
		/// Segments of the model.
		segments: usize,
		/// Kinds in the policy.
		policy: usize,
	},
	/// Segment `segment` does not accept the kind the policy asks.
	NotAccepted {
		/// The segment.
		segment: usize,
		/// The kind asked.
		kind: EvidenceKind,
	},
	/// The input has the wrong number of values.
	InputLength {
		/// Values the model takes.
		expected: usize,
		/// Values given.
		given: usize,
	},
	/// A segment failed to run (e.g. an overflow of the fixed-point range).
	Run(String),
	/// TEE evidence was asked but the node has no registered enclave key.
	NoEnclave,
	/// The enclave could not attest.
	Attest(String),
	/// Proving failed.
	Prove(String),
}

impl core::fmt::Display for AnswerError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::PolicyLength { segments, policy } => {
				write!(f, "the policy names {policy} kinds for {segments} segments")
			},
			Self::NotAccepted { segment, kind } => {
				write!(f, "segment {segment} does not accept {kind:?} evidence")
			},
			Self::InputLength { expected, given } => {
				write!(f, "the model takes {expected} input values, {given} given")
			},
			Self::Run(e) => write!(f, "inference failed: {e}"),
			Self::NoEnclave => write!(f, "TEE evidence asked, but this node has no enclave key"),
			Self::Attest(e) => write!(f, "the enclave could not attest: {e}"),
			Self::Prove(e) => write!(f, "proving failed: {e}"),
		}
	}
}

impl std::error::Error for AnswerError {}

/// What the receipt binds besides the inference: the chain, the request (or direct nonce), the
/// submitting node, the model's id on chain and the fee asked. The model's content (file hash
/// and manifest digest) is not taken from here but from the model actually run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding {
	/// The chain's genesis hash.
	pub genesis: [u8; 32],
	/// What the receipt answers.
	pub subject: Subject,
	/// The account that submits the receipt (and is paid its fee).
	pub node: [u8; 32],
	/// The model version on chain.
	pub model: u32,
	/// The fee the node asks.
	pub fee: u128,
}

impl Binding {
	/// Segment `segment`'s statement from `c_in` to `c_out` when `served` runs it: the model's
	/// content (file hash and manifest digest) is what this node loaded, never what the chain
	/// (or an RPC answer) says the model id means, so evidence for other content does not settle
	/// this id's model.
	pub fn statement(
		&self,
		served: &ServedModel,
		segment: u8,
		c_in: Commitment,
		c_out: Commitment,
	) -> SegmentStatement {
		SegmentStatement {
			genesis: self.genesis,
			subject: self.subject,
			node: self.node,
			fee: self.fee,
			model: self.model,
			file_hash: served.manifest.file_hash,
			model_digest: served.digest,
			segment,
			c_in,
			c_out,
		}
	}
}

/// Checks `policy` and `input` against `served` before any work is queued.
pub fn check(
	served: &ServedModel,
	input: &[i32],
	policy: &[EvidenceKind],
) -> Result<(), AnswerError> {
	let segments = served.segments.len();
	if policy.len() != segments {
		return Err(AnswerError::PolicyLength { segments, policy: policy.len() });
	}
	for (segment, (kind, spec)) in policy.iter().zip(&served.manifest.segments).enumerate() {
		if !spec.accepts.contains(*kind) {
			return Err(AnswerError::NotAccepted { segment, kind: *kind });
		}
	}
	let expected = served.inputs();
	if input.len() != expected {
		return Err(AnswerError::InputLength { expected, given: input.len() });
	}
	Ok(())
}

/// An input, the salt of its commitment `c_0` ([`Salt::NONE`]: unsalted), and whether the
/// output is published.
#[derive(Clone, Copy, Debug)]
pub struct Opening<'a> {
	/// The input values.
	pub values: &'a [i32],
	/// The salt of every commitment of the receipt but a published output's.
	pub salt: Salt,
	/// `Published`: `c_n` is the plain commitment to the output, which the receipt carries;
	/// `Committed`: `c_n` is salted too (the node keeps the output for the requester).
	pub output: OutputMode,
}

impl<'a> Opening<'a> {
	/// An unsalted input whose output is published.
	pub fn plain(values: &'a [i32]) -> Self {
		Self { values, salt: Salt::NONE, output: OutputMode::Published }
	}

	/// The salts of segment `index` of `segments`.
	fn salts(&self, index: usize, segments: usize) -> Salts {
		match self.output {
			OutputMode::Published => Salts::of_segment(self.salt, index, segments),
			OutputMode::Committed => Salts { input: self.salt, output: self.salt },
		}
	}
}

/// The receipt of `served` on `input` under `policy`, bound to `binding`. `session` makes TEE
/// evidence; `rng` blinds the proofs; `progress` draws the proving bar on a terminal. A salted
/// input salts `c_0` and every intermediate commitment (`Salts::of_segment`), and `c_n` too when
/// the output is committed. The receipt always carries the output values: a committed output's
/// are taken out when it is submitted ([`crate::worker::as_submitted`]).
pub fn answer<A: Attester>(
	served: &ServedModel,
	binding: Binding,
	input: Opening<'_>,
	policy: &[EvidenceKind],
	session: Option<&EnclaveSession<A>>,
	rng: &mut ChaCha20Rng,
	progress: bool,
) -> Result<Receipt, AnswerError> {
	check(served, input.values, policy)?;
	let run = |e: SegmentError| AnswerError::Run(e.to_string());
	let first = served.segments.first().ok_or_else(|| AnswerError::Run("no segments".into()))?;
	let c_0 = first.commit_input(input.values, &input.salt).map_err(run)?;
	let mut x = input.values.to_vec();
	let mut c_in = c_0;
	let mut c_out = Vec::new();
	let mut evidence = Vec::new();
	let mut proofs = Vec::new();
	let n = served.segments.len();
	for (i, (segment, kind)) in served.segments.iter().zip(policy).enumerate() {
		// Each segment's input commitment is the previous one's output commitment.
		let salts = input.salts(i, n);
		let (y, c) = segment.run(&x, &salts.output).map_err(run)?;
		let statement = binding.statement(served, i as u8, c_in, c);
		evidence.push(match kind {
			EvidenceKind::None => Evidence::None,
			EvidenceKind::Tee => {
				let session = session.ok_or(AnswerError::NoEnclave)?;
				Evidence::Tee { key: session.public_key(), signature: session.sign(&statement) }
			},
			EvidenceKind::TeeAttested => {
				let session = session.ok_or(AnswerError::NoEnclave)?;
				let document = session
					.attest_statement(&statement)
					.map_err(|e| AnswerError::Attest(format!("{e:?}")))?;
				Evidence::TeeAttested { document }
			},
			EvidenceKind::Zk => {
				let not_accepted = AnswerError::NotAccepted { segment: i, kind: EvidenceKind::Zk };
				let keys = served.keys[i].as_ref().ok_or_else(|| not_accepted.clone())?;
				let segment = segment.zk().ok_or(not_accepted)?;
				proofs.push((i, ProofJob { keys, segment, statement, input: x.clone(), salts }));
				Evidence::None
			},
		});
		c_out.push(c);
		c_in = c;
		x = y;
	}
	let jobs: Vec<ProofJob<'_>> = proofs.iter().map(|(_, job)| job.clone()).collect();
	if !jobs.is_empty() {
		let made =
			prove_all(&jobs, rng, progress).map_err(|e| AnswerError::Prove(format!("{e:?}")))?;
		for ((i, _), proof) in proofs.iter().zip(made) {
			evidence[*i] = Evidence::Zk { proof };
		}
	}
	Ok(Receipt {
		subject: binding.subject,
		model: binding.model,
		c_0,
		c_out,
		output: x,
		evidence,
		fee: binding.fee,
	})
}
