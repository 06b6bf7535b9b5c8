//! Where a request's output goes: published in its receipt, or kept off chain.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Whether a request's receipt publishes the output values or only commits to them.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum OutputMode {
	/// The receipt carries the output values, and the chain checks that the last commitment
	/// `c_n` commits to them: anyone can read the result.
	#[default]
	Published,
	/// The receipt carries no output values, only `c_n`, salted with the requester's salt (like
	/// every commitment of the receipt): the node gives the output to whoever shows that salt,
	/// who checks it against `c_n`. For requests whose input stays off chain too (`c_0` only):
	/// an input on chain would let anyone compute the output.
	Committed,
}
