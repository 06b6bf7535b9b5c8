//! The DevEnclave as an [`Attester`]: documents at the system clock's time (or the one fixed by
//! `DevEnclave::at`).

use crate::{AttestError, AttestationRequest, Attester, DevEnclave};

impl Attester for DevEnclave {
	fn attest(&self, request: &AttestationRequest) -> Result<Vec<u8>, AttestError> {
		self.attest_at(request, now_ms())
	}
}

/// Unix time in milliseconds (0 before 1970).
fn now_ms() -> u64 {
	use std::time::{SystemTime, UNIX_EPOCH};
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The id of the measurement pinning what a DevEnclave running `image` reports (PCR0–2 and
/// PCR8, [`crate::pcrs_for_image`]): what `veritas measurement register --dev-image` registers,
/// and what manifests made for development name by default.
#[cfg(feature = "session")]
pub fn dev_image_measurement_id(image: &[u8]) -> veritas_primitives::MeasurementId {
	use sha2::{Digest, Sha384};
	let pcr = |i: u8| -> veritas_primitives::Pcr {
		Sha384::new().chain_update([i]).chain_update(image).finalize().into()
	};
	veritas_primitives::measurement_id(&pcr(0), &pcr(1), &pcr(2), Some(&pcr(8)))
}
