//! What can go wrong talking to the chain, by what a caller does about it.

/// Why a chain operation did not succeed.
///
/// A caller decides on the variant: retry or reconnect on [`ChainError::Unreachable`] and
/// [`ChainError::TimedOut`], give up (or split a batch) on [`ChainError::Refused`], fix its input
/// on [`ChainError::Malformed`]. The `veritas` CLI maps them to its exit codes 3, 3, 1 and 2.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
	/// The node could not be reached, the connection was lost, or the node answered something
	/// this library cannot read (a runtime it does not know).
	#[error("{0}")]
	Unreachable(String),
	/// The chain refused a call: the transaction pool refused the transaction, or the runtime's
	/// dispatch failed (then `error` names the pallet error, e.g.
	/// `Groth16Verifier::InvalidProof`).
	#[error("{message}")]
	Refused {
		/// The call, as `Pallet.call`.
		call: String,
		/// The pallet error the runtime returned, if the dispatch failed with one.
		error: Option<String>,
		/// The whole message, for a human.
		message: String,
	},
	/// The chain did not finalize a call within the caller's deadline.
	#[error("{0}")]
	TimedOut(String),
	/// Input this library refused before talking to the chain (a secret URI, a manifest).
	#[error("{0}")]
	Malformed(String),
}

impl ChainError {
	/// An [`ChainError::Unreachable`] with `message`.
	pub fn unreachable(message: impl Into<String>) -> Self {
		Self::Unreachable(message.into())
	}

	/// A [`ChainError::Malformed`] with `message`.
	pub fn malformed(message: impl Into<String>) -> Self {
		Self::Malformed(message.into())
	}

	/// Whether the chain may answer differently if asked again later (the node unreachable or
	/// slow), as opposed to a refusal or bad input.
	pub fn is_transient(&self) -> bool {
		matches!(self, Self::Unreachable(_) | Self::TimedOut(_))
	}

	/// Whether the runtime refused the call with the pallet error `name` (e.g.
	/// `VerificationKeyAlreadyRegistered`, with or without its `Pallet::` prefix).
	pub fn is_pallet_error(&self, name: &str) -> bool {
		match self {
			Self::Refused { error: Some(error), .. } => {
				error == name || error.rsplit("::").next() == Some(name)
			},
			_ => false,
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn refused(error: Option<&str>) -> ChainError {
		ChainError::Refused {
			call: "Groth16Verifier.register_vk".into(),
			error: error.map(Into::into),
			message: "refused".into(),
		}
	}

	#[test]
	fn a_refusal_names_its_pallet_error_with_or_without_the_pallet() {
		let e = refused(Some("Groth16Verifier::VerificationKeyAlreadyRegistered"));
		assert!(e.is_pallet_error("VerificationKeyAlreadyRegistered"));
		assert!(e.is_pallet_error("Groth16Verifier::VerificationKeyAlreadyRegistered"));
		assert!(!e.is_pallet_error("KeyAlreadyRegistered"));
		assert!(!e.is_pallet_error("InvalidProof"));
		assert!(!refused(None).is_pallet_error("VerificationKeyAlreadyRegistered"));
		assert!(!ChainError::unreachable("VerificationKeyAlreadyRegistered")
			.is_pallet_error("VerificationKeyAlreadyRegistered"));
	}

	#[test]
	fn only_an_unreachable_or_slow_chain_is_worth_asking_again() {
		assert!(ChainError::unreachable("down").is_transient());
		assert!(ChainError::TimedOut("slow".into()).is_transient());
		assert!(!refused(None).is_transient());
		assert!(!ChainError::malformed("--suri").is_transient());
	}
}
