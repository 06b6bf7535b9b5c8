//! The attestation document: the CBOR map in the COSE payload, with the fields AWS specifies
//! (`aws-nitro-enclaves-nsm-api`, "attestation process", §3.2).

use alloc::{collections::BTreeMap, vec::Vec};

use minicbor::{data::Type, Decoder};

use crate::{
	cbor::{ensure_consumed, field, Entries},
	limits::{
		MAX_CABUNDLE_LEN, MAX_CERT_LEN, MAX_MODULE_ID_LEN, MAX_OPTIONAL_FIELD_LEN,
		MAX_PAYLOAD_ENTRIES, MAX_PCRS, PCR_LENGTHS,
	},
	NitroError,
};

/// Highest PCR index a document may carry.
const MAX_PCR_INDEX: u64 = 31;

/// The digest algorithm of the PCRs. AWS only ever uses SHA-384.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digest {
	/// `"SHA384"`.
	Sha384,
}

impl Digest {
	/// The length in bytes of a value of this digest, hence of every PCR the NSM reports with it.
	pub const fn output_len(self) -> usize {
		match self {
			Self::Sha384 => 48,
		}
	}
}

/// A decoded attestation document whose fields were checked for shape and size, borrowing from
/// the input. Nothing here is authenticated yet: see [`crate::verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttestationDocument<'a> {
	/// The enclave's id, e.g. `i-0f1cd77d37fd8bcc9-enc018e7aa61e2040ff`.
	pub module_id: &'a str,
	/// The PCR digest algorithm.
	pub digest: Digest,
	/// When the NSM produced the document, in Unix milliseconds.
	pub timestamp_ms: u64,
	/// PCR index → value, each as long as the digest (48 bytes for SHA384).
	pub pcrs: BTreeMap<u8, &'a [u8]>,
	/// The leaf certificate (DER) whose key signs the document.
	pub certificate: &'a [u8],
	/// The CA bundle (DER): `[root, intermediate_1, …, intermediate_n]`.
	pub cabundle: Vec<&'a [u8]>,
	/// The enclave's public key, if it supplied one.
	pub public_key: Option<&'a [u8]>,
	/// Application data, if the enclave supplied any.
	pub user_data: Option<&'a [u8]>,
	/// The verifier's challenge, if the enclave supplied one.
	pub nonce: Option<&'a [u8]>,
}

/// The payload fields AWS defines, by key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
	ModuleId,
	Digest,
	Timestamp,
	Pcrs,
	Certificate,
	Cabundle,
	PublicKey,
	UserData,
	Nonce,
}

impl Field {
	const ALL: [Self; 9] = [
		Self::ModuleId,
		Self::Digest,
		Self::Timestamp,
		Self::Pcrs,
		Self::Certificate,
		Self::Cabundle,
		Self::PublicKey,
		Self::UserData,
		Self::Nonce,
	];

	const fn name(self) -> &'static str {
		match self {
			Self::ModuleId => "module_id",
			Self::Digest => "digest",
			Self::Timestamp => "timestamp",
			Self::Pcrs => "pcrs",
			Self::Certificate => "certificate",
			Self::Cabundle => "cabundle",
			Self::PublicKey => "public_key",
			Self::UserData => "user_data",
			Self::Nonce => "nonce",
		}
	}

	fn from_name(name: &str) -> Option<Self> {
		Self::ALL.into_iter().find(|k| k.name() == name)
	}
}

impl<'a> AttestationDocument<'a> {
	/// Decodes the payload map (definite or indefinite length, any key order).
	pub fn decode(payload: &'a [u8]) -> Result<Self, NitroError> {
		let mut d = Decoder::new(payload);
		let mut entries = Entries::map(&mut d, MAX_PAYLOAD_ENTRIES, "payload")?;
		let mut seen = [false; Field::ALL.len()];
		let mut module_id = None;
		let mut digest = None;
		let mut timestamp_ms = None;
		let mut pcrs = None;
		let mut certificate = None;
		let mut cabundle = None;
		let (mut public_key, mut user_data, mut nonce) = (None, None, None);

		while entries.has_next(&mut d)? {
			if d.datatype()? != Type::String {
				return Err(NitroError::UnknownField);
			}
			let key = Field::from_name(d.str()?).ok_or(NitroError::UnknownField)?;
			let slot = &mut seen[key as usize];
			if *slot {
				return Err(NitroError::DuplicateField(key.name()));
			}
			*slot = true;
			match key {
				Field::ModuleId => module_id = Some(decode_module_id(&mut d)?),
				Field::Digest => digest = Some(decode_digest(&mut d)?),
				Field::Timestamp => timestamp_ms = Some(decode_timestamp(&mut d)?),
				Field::Pcrs => pcrs = Some(decode_pcrs(&mut d)?),
				Field::Certificate => certificate = Some(decode_cert(&mut d, key.name())?),
				Field::Cabundle => cabundle = Some(decode_cabundle(&mut d)?),
				Field::PublicKey => public_key = decode_optional(&mut d, key.name())?,
				Field::UserData => user_data = decode_optional(&mut d, key.name())?,
				Field::Nonce => nonce = decode_optional(&mut d, key.name())?,
			}
		}
		ensure_consumed(&d)?;
		if let (Some(digest), Some(pcrs)) = (digest, &pcrs) {
			check_pcr_lengths(digest, pcrs)?;
		}

		Ok(Self {
			module_id: module_id.ok_or(NitroError::MissingField("module_id"))?,
			digest: digest.ok_or(NitroError::MissingField("digest"))?,
			timestamp_ms: timestamp_ms.ok_or(NitroError::MissingField("timestamp"))?,
			pcrs: pcrs.ok_or(NitroError::MissingField("pcrs"))?,
			certificate: certificate.ok_or(NitroError::MissingField("certificate"))?,
			cabundle: cabundle.ok_or(NitroError::MissingField("cabundle"))?,
			public_key,
			user_data,
			nonce,
		})
	}
}

fn decode_module_id<'a>(d: &mut Decoder<'a>) -> Result<&'a str, NitroError> {
	let id = field(d.str(), "module_id")?;
	if id.is_empty() {
		return Err(NitroError::InvalidField("module_id"));
	}
	if id.len() > MAX_MODULE_ID_LEN {
		return Err(NitroError::FieldTooLarge("module_id"));
	}
	Ok(id)
}

fn decode_digest(d: &mut Decoder<'_>) -> Result<Digest, NitroError> {
	match field(d.str(), "digest")? {
		"SHA384" => Ok(Digest::Sha384),
		_ => Err(NitroError::UnsupportedDigest),
	}
}

fn decode_timestamp(d: &mut Decoder<'_>) -> Result<u64, NitroError> {
	match field(d.u64(), "timestamp")? {
		0 => Err(NitroError::InvalidField("timestamp")),
		t => Ok(t),
	}
}

fn decode_pcrs<'a>(d: &mut Decoder<'a>) -> Result<BTreeMap<u8, &'a [u8]>, NitroError> {
	let mut entries = Entries::map(d, MAX_PCRS, "pcrs")?;
	let mut pcrs = BTreeMap::new();
	while entries.has_next(d)? {
		let index = field(d.u64(), "pcrs")?;
		let index = u8::try_from(index)
			.ok()
			.filter(|i| u64::from(*i) <= MAX_PCR_INDEX)
			.ok_or(NitroError::InvalidField("pcrs"))?;
		let value = field(d.bytes(), "pcrs")?;
		if !PCR_LENGTHS.contains(&value.len()) {
			return Err(NitroError::InvalidField("pcrs"));
		}
		if pcrs.insert(index, value).is_some() {
			return Err(NitroError::DuplicateField("pcrs"));
		}
	}
	if entries.count() == 0 {
		return Err(NitroError::InvalidField("pcrs"));
	}
	Ok(pcrs)
}

/// AWS's CDDL allows PCR values of 32, 48 or 64 bytes, but the NSM reports each with the
/// document's digest, so a value of another length than the digest's is not an NSM's.
fn check_pcr_lengths(digest: Digest, pcrs: &BTreeMap<u8, &[u8]>) -> Result<(), NitroError> {
	match pcrs.iter().find(|(_, v)| v.len() != digest.output_len()) {
		Some((&index, value)) => {
			Err(NitroError::PcrLength { index, len: u8::try_from(value.len()).unwrap_or(u8::MAX) })
		},
		None => Ok(()),
	}
}

fn decode_cert<'a>(d: &mut Decoder<'a>, name: &'static str) -> Result<&'a [u8], NitroError> {
	let der = field(d.bytes(), name)?;
	if der.is_empty() {
		return Err(NitroError::InvalidField(name));
	}
	if der.len() > MAX_CERT_LEN {
		return Err(NitroError::FieldTooLarge(name));
	}
	Ok(der)
}

fn decode_cabundle<'a>(d: &mut Decoder<'a>) -> Result<Vec<&'a [u8]>, NitroError> {
	let mut entries = Entries::array(d, MAX_CABUNDLE_LEN, "cabundle")?;
	let mut bundle = Vec::new();
	while entries.has_next(d)? {
		bundle.push(decode_cert(d, "cabundle")?);
	}
	if bundle.is_empty() {
		return Err(NitroError::InvalidField("cabundle"));
	}
	Ok(bundle)
}

/// `public_key`, `user_data`, `nonce`: a byte string of at most 1024 bytes, or null.
fn decode_optional<'a>(
	d: &mut Decoder<'a>,
	name: &'static str,
) -> Result<Option<&'a [u8]>, NitroError> {
	if d.datatype()? == Type::Null {
		d.null()?;
		return Ok(None);
	}
	let value = field(d.bytes(), name)?;
	if value.len() > MAX_OPTIONAL_FIELD_LEN {
		return Err(NitroError::FieldTooLarge(name));
	}
	Ok(Some(value))
}
