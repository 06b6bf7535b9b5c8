//! How a Veritas command-line tool (`veritas`, `veritas-inference`) ends: an exit code and a
//! message, and the chain library's errors mapped to it.

use core::fmt;

/// The end of a command that did not succeed, with the exit code it maps to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exit {
	/// The process exit code: 1 invalid or refused, 2 malformed or usage, 3 unreachable.
	pub code: u8,
	/// What failed, for a human.
	pub message: String,
}

impl Exit {
	/// Well-formed input that does not verify, or a transaction the chain refused (exit 1).
	pub fn invalid(message: impl Into<String>) -> Self {
		Self { code: 1, message: message.into() }
	}

	/// Malformed input or a usage error (exit 2).
	pub fn malformed(message: impl Into<String>) -> Self {
		Self { code: 2, message: message.into() }
	}

	/// The chain could not be reached or answered nonsense (exit 3).
	pub fn unreachable(message: impl Into<String>) -> Self {
		Self { code: 3, message: message.into() }
	}
}

impl fmt::Display for Exit {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.message)
	}
}

impl std::error::Error for Exit {}

impl From<crate::ChainError> for Exit {
	/// The chain library's error as the CLI's exit: 1 refused, 2 malformed, 3 unreachable or
	/// not finalized in time.
	fn from(e: crate::ChainError) -> Self {
		use crate::ChainError;
		let message = e.to_string();
		match e {
			ChainError::Refused { .. } => Self::invalid(message),
			ChainError::Malformed(_) => Self::malformed(message),
			ChainError::Unreachable(_) | ChainError::TimedOut(_) => Self::unreachable(message),
		}
	}
}

impl From<crate::ManifestError> for Exit {
	/// A manifest the CLI cannot use: exit 2.
	fn from(e: crate::ManifestError) -> Self {
		Self::malformed(e.0)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::ChainError;

	#[test]
	fn chain_errors_map_to_the_documented_exit_codes() {
		let refused = ChainError::Refused { call: "M.c".into(), error: None, message: "no".into() };
		assert_eq!(Exit::from(refused), Exit::invalid("no"));
		assert_eq!(Exit::from(ChainError::malformed("--suri: x")).code, 2);
		assert_eq!(Exit::from(ChainError::unreachable("down")).code, 3);
		assert_eq!(Exit::from(ChainError::TimedOut("slow".into())).code, 3);
		assert_eq!(
			Exit::from(crate::ManifestError("m.json: bad".into())),
			Exit::malformed("m.json: bad")
		);
	}
}
