//! Outputs kept off chain: the receipt of a request whose output is committed
//! (`OutputMode::Committed`) carries `c_n` (salted) and no output values. The node keeps the
//! output with the job and hands it to whoever sends the request's salt
//! (`POST /v1/requests/{id}/output`), who checks it against `c_n` on chain.

use sha2::{Digest, Sha256};
use veritas_primitives::{salt::Salt, Commitment, OutputMode, RequestId};

use super::*;

/// Why a committed output was not given.
#[derive(Debug)]
pub enum OutputRefusal {
	/// This node has no job for the request.
	UnknownRequest(RequestId),
	/// The request publishes its output: the chain has it.
	Published(RequestId),
	/// Not the salt the requester sent with the input.
	WrongSalt(RequestId),
	/// The receipt is not made (yet, or the job failed).
	NotReady {
		/// The request.
		id: RequestId,
		/// Where its job is (`accepted`, `failed`).
		state: &'static str,
	},
}

impl core::fmt::Display for OutputRefusal {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::UnknownRequest(id) => write!(f, "this node has no job for request {id}"),
			Self::Published(id) => {
				write!(f, "request {id} publishes its output: read it on chain")
			},
			Self::WrongSalt(id) => write!(f, "not the salt of request {id}'s commitments"),
			Self::NotReady { id, state } => {
				write!(f, "request {id}'s receipt is not made (its job is {state})")
			},
		}
	}
}

/// A committed output, as the node made it.
#[derive(Clone, Debug, PartialEq)]
pub struct CommittedOutput {
	/// The output values.
	pub output: Vec<i32>,
	/// The last commitment of the receipt, `c_n`: the output's, salted.
	pub c_n: Commitment,
	/// Whether the receipt is verified in a finalized block.
	pub finalized: bool,
	/// The output as real numbers at the model's scale (when the node still serves the model).
	pub output_real: Option<Vec<f64>>,
}

/// Whether two salts are equal, in a time that does not depend on where they differ.
fn same_salt(a: &Salt, b: &Salt) -> bool {
	Sha256::digest(a.0) == Sha256::digest(b.0)
}

impl<A: Attester + Send + Sync + 'static> Service<A> {
	/// The output of request `id`, whose output is committed, for whoever knows its `salt`.
	pub fn committed_output(
		&self,
		id: RequestId,
		salt: &Salt,
	) -> Result<CommittedOutput, ServiceError> {
		let refused = |r: OutputRefusal| Err(ServiceError::OutputRefused(r));
		let Some(job) = self.queue.by_subject(&Subject::Request(id))? else {
			return refused(OutputRefusal::UnknownRequest(id));
		};
		let Some(job) = self.queue.get(job)? else {
			return refused(OutputRefusal::UnknownRequest(id));
		};
		if job.output != OutputMode::Committed {
			return refused(OutputRefusal::Published(id));
		}
		if !same_salt(&job.salt, salt) {
			return refused(OutputRefusal::WrongSalt(id));
		}
		let (receipt, finalized) = match &job.state {
			JobState::Ready { receipt } | JobState::Submitted { receipt, .. } => (receipt, false),
			JobState::Finalized { receipt, .. } => (receipt, true),
			JobState::Accepted => {
				return refused(OutputRefusal::NotReady { id, state: "accepted" })
			},
			JobState::Failed { .. } => {
				return refused(OutputRefusal::NotReady { id, state: "failed" })
			},
		};
		let not_made =
			|| ServiceError::OutputRefused(OutputRefusal::NotReady { id, state: "finalized" });
		let receipt = Receipt::decode(&mut &receipt[..]).map_err(|_| not_made())?;
		let c_n = *receipt.c_out.last().ok_or_else(not_made)?;
		let output_real = self.served(job.model).map(|m| m.dequantize(&receipt.output));
		Ok(CommittedOutput { output: receipt.output, c_n, finalized, output_real })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn salts_compare_by_value() {
		let (a, b) = (Salt::from_random([1; 31]), Salt::from_random([2; 31]));
		assert!(same_salt(&a, &a.clone()));
		assert!(!same_salt(&a, &b));
		assert!(!same_salt(&a, &Salt::NONE));
	}
}
