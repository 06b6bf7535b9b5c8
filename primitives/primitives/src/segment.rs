//! One segment of a model's pipeline, as its manifest declares it.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{EvidenceKind, EvidenceSet, MeasurementId, VkId};

/// A segment (a range of layers) and the evidence it accepts.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SegmentSpec {
	/// The evidence kinds a receipt may carry for this segment.
	pub accepts: EvidenceSet,
	/// The Groth16 verifying key of the segment's circuit: required if `Zk` is accepted, absent
	/// otherwise. Its circuit has the public inputs `[c_in, c_out, binding]`.
	pub vk: Option<VkId>,
	/// The enclave measurement allowed to run the segment: required if `Tee` or `TeeAttested`
	/// is accepted, absent otherwise.
	pub measurement: Option<MeasurementId>,
}

impl SegmentSpec {
	/// Whether the segment accepts an enclave's word (`Tee` or `TeeAttested`).
	pub fn accepts_tee(&self) -> bool {
		self.accepts.contains(EvidenceKind::Tee) || self.accepts.contains(EvidenceKind::TeeAttested)
	}
}
