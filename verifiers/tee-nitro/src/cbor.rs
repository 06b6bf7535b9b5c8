//! Small helpers over `minicbor`'s decoder: bounded iteration over definite- and
//! indefinite-length containers, and error mapping per field.

use minicbor::{data::Type, decode, Decoder};

use crate::NitroError;

/// Iterates the entries of one CBOR array or map, of definite or indefinite length, and refuses
/// more than `max` entries before reading them.
pub(crate) struct Entries {
	/// Entries left for a definite container; `None` for an indefinite one.
	remaining: Option<u64>,
	/// Entries read so far.
	read: usize,
	/// The most entries accepted.
	max: usize,
	/// Named in [`NitroError::FieldTooLarge`] when `max` is exceeded.
	name: &'static str,
}

impl Entries {
	/// Reads a map header (definite or indefinite).
	pub(crate) fn map(
		d: &mut Decoder<'_>,
		max: usize,
		name: &'static str,
	) -> Result<Self, NitroError> {
		let len = field(d.map(), name)?;
		Self::new(len, max, name)
	}

	/// Reads an array header (definite or indefinite).
	pub(crate) fn array(
		d: &mut Decoder<'_>,
		max: usize,
		name: &'static str,
	) -> Result<Self, NitroError> {
		let len = field(d.array(), name)?;
		Self::new(len, max, name)
	}

	fn new(len: Option<u64>, max: usize, name: &'static str) -> Result<Self, NitroError> {
		if let Some(n) = len {
			if n > max as u64 {
				return Err(NitroError::FieldTooLarge(name));
			}
		}
		Ok(Self { remaining: len, read: 0, max, name })
	}

	/// Whether another entry follows; consumes the closing `break` of an indefinite container.
	pub(crate) fn has_next(&mut self, d: &mut Decoder<'_>) -> Result<bool, NitroError> {
		match &mut self.remaining {
			Some(0) => Ok(false),
			Some(n) => {
				*n -= 1;
				self.read += 1;
				Ok(true)
			},
			None => {
				if d.datatype()? == Type::Break {
					d.set_position(d.position() + 1);
					Ok(false)
				} else {
					self.read += 1;
					if self.read > self.max {
						return Err(NitroError::FieldTooLarge(self.name));
					}
					Ok(true)
				}
			},
		}
	}

	/// How many entries were read.
	pub(crate) const fn count(&self) -> usize {
		self.read
	}
}

/// Maps a decoding error inside a named field: a wrong type is [`NitroError::InvalidField`],
/// anything else (truncation, bad encoding) is [`NitroError::MalformedCbor`].
pub(crate) fn field<T>(r: Result<T, decode::Error>, name: &'static str) -> Result<T, NitroError> {
	r.map_err(|e| if e.is_type_mismatch() { NitroError::InvalidField(name) } else { e.into() })
}

/// Fails with [`NitroError::MalformedCbor`] unless the decoder consumed its whole input.
pub(crate) fn ensure_consumed(d: &Decoder<'_>) -> Result<(), NitroError> {
	if d.position() == d.input().len() {
		Ok(())
	} else {
		Err(NitroError::MalformedCbor)
	}
}
