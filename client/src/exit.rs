//! How a command ends: an exit code and a message.

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
