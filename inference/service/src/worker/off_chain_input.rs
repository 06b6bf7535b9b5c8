//! Inputs sent off chain: a request that carries only its input's commitment `c_0` (the input
//! is private to the requester and the node, or too large for a transaction) is answered once
//! its requester sends this node the input (`POST /v1/requests/{id}/input`). The input must
//! commit to the request's `c_0`, and the request must be one this node takes (its policy, the
//! nodes it names, its fee and deadline: the checks of an on-chain request).

use veritas_api::{Input, RequestInput};
use veritas_primitives::{commit_salted, Commitment, OutputMode, RequestId};

use super::*;

/// Why an input sent for a request was refused.
#[derive(Debug)]
pub enum InputRefusal {
	/// No open request has this id (never made, answered, expired or reclaimed).
	UnknownRequest(RequestId),
	/// The request carries its input on chain: the node takes it from there.
	InputOnChain(RequestId),
	/// This node serves no model with the request's model id.
	NotServed(u32),
	/// Float features that the model's scale cannot quantize.
	Features(String),
	/// The node does not take the request: it names other nodes, offers less than the node's
	/// price, leaves too little time, or its policy or input does not fit the model.
	NotTaken {
		/// The metric label (`not_allowed`, `below_price`, `deadline`, `policy`).
		reason: &'static str,
		/// What is wrong, in words.
		message: String,
	},
	/// The input (with the salt sent along, if any) does not commit to the request's `c_0`.
	CommitmentMismatch {
		/// The request's `c_0`.
		expected: Commitment,
		/// The input's commitment.
		got: Commitment,
	},
	/// This request's input was accepted already.
	AlreadyAccepted(RequestId),
	/// The request keeps its output off chain, and the input came without a salt: the salt is
	/// what lets only the requester read the output from this node.
	SaltRequired(RequestId),
}

impl core::fmt::Display for InputRefusal {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::UnknownRequest(id) => write!(f, "no open request {id}"),
			Self::InputOnChain(id) => write!(f, "request {id} carries its input on chain"),
			Self::NotServed(model) => write!(f, "this node serves no model {model}"),
			Self::Features(e) => write!(f, "features: {e}"),
			Self::NotTaken { message, .. } => f.write_str(message),
			Self::CommitmentMismatch { expected, got } => write!(
				f,
				"the input commits to 0x{}, not to the request's c_0 0x{}",
				hex::encode(got.0),
				hex::encode(expected.0)
			),
			Self::AlreadyAccepted(id) => write!(f, "request {id}'s input was accepted already"),
			Self::SaltRequired(id) => write!(
				f,
				"request {id} keeps its output off chain: send its input with the salt of c_0"
			),
		}
	}
}

impl<A: Attester + Send + Sync + 'static> Service<A> {
	/// Queues the answer of request `id` on `sent.input` (values, or float features quantized at
	/// the model's scale), sent off chain by its requester with the salt of `c_0` if it salted
	/// it; checked first against the finalized chain (the request is open and commits to the
	/// input by `c_0` under that salt, and is one this node takes), so a refused input queues
	/// nothing. A salted request's receipt salts every commitment but the output's.
	pub async fn accept_request_input(
		&self,
		id: RequestId,
		sent: RequestInput,
	) -> Result<JobId, ServiceError> {
		let RequestInput { input, salt } = sent;
		let refused = |r: InputRefusal| Err(ServiceError::InputRefused(r));
		let at = self.chain.finalized().await?;
		let Some(request) = at.request(id).await? else {
			return refused(InputRefusal::UnknownRequest(id));
		};
		if request.input.is_some() {
			return refused(InputRefusal::InputOnChain(id));
		}
		if request.output == OutputMode::Committed && salt.is_none() {
			return refused(InputRefusal::SaltRequired(id));
		}
		let Some(served) = self.served(request.model) else {
			return refused(InputRefusal::NotServed(request.model));
		};
		let input = match input {
			Input::Fixed(values) => values,
			Input::Features(features) => match served.features_input(&features) {
				Ok(values) => values,
				Err(e) => return refused(InputRefusal::Features(e)),
			},
		};
		if let Err(skip) = self.worth_taking(&*at, served, &request, Some(&input)) {
			self.metrics.skipped(skip.reason());
			return refused(InputRefusal::NotTaken {
				reason: skip.reason(),
				message: skip.to_string(),
			});
		}
		let got = commit_salted(&served.manifest.input_shape, &input, &salt).map_err(|e| {
			ServiceError::Answer(AnswerError::Run(format!("the input's commitment: {e:?}")))
		})?;
		if got != request.c_0 {
			return refused(InputRefusal::CommitmentMismatch { expected: request.c_0, got });
		}
		let opening = (salt, request.output);
		match self.queue.accept(request.model, Subject::Request(id), input, request.policy, opening)
		{
			Ok(job) => {
				self.metrics.jobs_accepted.inc();
				let salted = !salt.is_none();
				tracing::info!(
					request = id,
					job,
					model = request.model,
					salted,
					"request input accepted"
				);
				Ok(job)
			},
			Err(QueueError::Duplicate(_)) => refused(InputRefusal::AlreadyAccepted(id)),
			Err(e) => Err(e.into()),
		}
	}
}
