//! What names an enclave measurement: its PCR values, not an id anyone could take first.
//!
//! A measurement's id is a digest of the PCRs a Nitro attestation document must report
//! ([`measurement_id`]). Two registrations of the same PCRs are the same measurement, so a model
//! manifest that names an id names one enclave image's content, whoever registered it and in
//! whatever order: an id cannot be squatted with another image's PCRs.

use codec::Encode;
use sha2::{Digest, Sha256};

use crate::MeasurementId;

/// A SHA-384 PCR value.
pub type Pcr = [u8; 48];

/// Domain of [`measurement_id`].
pub const MEASUREMENT_DOMAIN: &[u8] = b"veritas/measurement/v1";

/// `SHA-256(MEASUREMENT_DOMAIN ‖ SCALE(pcr0, pcr1, pcr2, pcr8))`: the id of the measurement
/// that pins PCR0–2 and, if `Some`, PCR8 (the image's signing certificate). Pinning PCR8 or not
/// gives another id: the two accept different sets of enclaves.
pub fn measurement_id(pcr0: &Pcr, pcr1: &Pcr, pcr2: &Pcr, pcr8: Option<&Pcr>) -> MeasurementId {
	let mut h = Sha256::new();
	h.update(MEASUREMENT_DOMAIN);
	h.update((pcr0, pcr1, pcr2, pcr8).encode());
	h.finalize().into()
}
