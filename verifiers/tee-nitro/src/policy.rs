//! Measurement policy: compare a verified document's PCRs against an expected enclave image.

use crate::{claims::VerifiedAttestation, NitroError};

/// Length of a SHA-384 PCR value.
pub const PCR_LEN: usize = 48;

/// An expected enclave measurement: PCR0 (image), PCR1 (kernel and bootstrap), PCR2
/// (application) and, for signed images, PCR8 (signing certificate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measurement {
	/// Expected PCR0.
	pub pcr0: [u8; PCR_LEN],
	/// Expected PCR1.
	pub pcr1: [u8; PCR_LEN],
	/// Expected PCR2.
	pub pcr2: [u8; PCR_LEN],
	/// Expected PCR8, if the policy pins the image's signing certificate.
	pub pcr8: Option<[u8; PCR_LEN]>,
}

impl Measurement {
	/// Whether this measurement is that of a debug-mode enclave (any of PCR0..2 all zero):
	/// such a measurement must never be registered.
	pub fn is_debug(&self) -> bool {
		[&self.pcr0, &self.pcr1, &self.pcr2].iter().any(|p| is_zero(&p[..]))
	}
}

/// Whether the document comes from a debug-mode enclave: PCR0, PCR1 or PCR2 is all zero (AWS
/// zeroes every PCR of an enclave started with `--debug-mode`, whose memory the host can read).
pub fn is_debug_mode(claims: &VerifiedAttestation) -> bool {
	(0..=2).any(|i| claims.pcr(i).is_some_and(is_zero))
}

/// Checks a verified document against `expected`: refuses debug-mode enclaves, then requires
/// PCR0, PCR1, PCR2 (and PCR8 if `expected` pins it) to be present and equal.
pub fn check_measurement(
	claims: &VerifiedAttestation,
	expected: &Measurement,
) -> Result<(), NitroError> {
	check_measurement_with(claims, expected, false)
}

/// [`check_measurement`], except that a debug-mode enclave (all-zero PCRs) is accepted when
/// `allow_debug` (a measurement registered as a debug one, for development chains); every PCR
/// `expected` names must still be equal, PCR8 included when pinned. The chain (enclave registry)
/// and off-chain re-verification (`veritas result --verify`) both call this, so that they
/// cannot drift apart.
pub fn check_measurement_with(
	claims: &VerifiedAttestation,
	expected: &Measurement,
	allow_debug: bool,
) -> Result<(), NitroError> {
	if !allow_debug && is_debug_mode(claims) {
		return Err(NitroError::DebugEnclave);
	}
	let wanted = [
		(0, Some(&expected.pcr0)),
		(1, Some(&expected.pcr1)),
		(2, Some(&expected.pcr2)),
		(8, expected.pcr8.as_ref()),
	];
	for (index, value) in wanted {
		let Some(value) = value else { continue };
		let actual = claims.pcr(index).ok_or(NitroError::PcrMissing(index))?;
		if actual != &value[..] {
			return Err(NitroError::PcrMismatch(index));
		}
	}
	Ok(())
}

fn is_zero(bytes: &[u8]) -> bool {
	bytes.iter().all(|b| *b == 0)
}
