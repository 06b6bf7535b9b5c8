//! [`DevEnclave`]: attestation documents in the exact Nitro format, signed by a [`DevCa`].

use alloc::{collections::BTreeMap, format, string::String, vec, vec::Vec};
use core::sync::atomic::{AtomicU64, Ordering};

use minicbor::Encoder;

use super::{
	ca::{certify, derive_key, name, validity, Authority, CertKind},
	sign as cose, AttestError, AttestationRequest, DevCa,
};

/// How long a leaf certificate lives (AWS's live about three hours).
pub const LEAF_LIFETIME_MS: u64 = 3 * 3600 * 1000;

/// Which signed field a [`DevFaults::alter_after_signing`] document changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alteration {
	/// The value of this PCR.
	Pcr(u8),
	/// `user_data`.
	UserData,
	/// `nonce`.
	Nonce,
}

/// Rules a document breaks on purpose, one at a time, for negative tests. The default breaks
/// none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DevFaults {
	/// The COSE algorithm in the protected header instead of ES384 (-35).
	pub algorithm: Option<i64>,
	/// The leaf certificate's validity, in Unix milliseconds, instead of around the document time.
	pub leaf_validity_ms: Option<(u64, u64)>,
	/// The second intermediate signed by a key that is not its parent's.
	pub broken_link: bool,
	/// The last intermediate issued without CA rights (an end-entity certificate).
	pub intermediate_not_ca: bool,
	/// A field changed after the signature was made.
	pub alter_after_signing: Option<Alteration>,
}

/// An enclave stand-in that produces Nitro-format attestation documents with chosen PCRs.
#[derive(Debug)]
pub struct DevEnclave {
	ca: DevCa,
	module_id: String,
	pcrs: BTreeMap<u8, Vec<u8>>,
	timestamp_ms: Option<u64>,
	faults: DevFaults,
	leaves: AtomicU64,
}

/// 16 PCRs of 48 bytes as a real (non-debug) enclave reports them: PCR0..2 and PCR8 from
/// `image`, the others zero, as AWS leaves unused PCRs.
pub fn pcrs_for_image(image: &[u8]) -> BTreeMap<u8, Vec<u8>> {
	use sha2::{Digest, Sha384};
	(0u8..16)
		.map(|i| {
			let value = if matches!(i, 0..=2 | 8) {
				Sha384::new().chain_update([i]).chain_update(image).finalize().to_vec()
			} else {
				vec![0u8; 48]
			};
			(i, value)
		})
		.collect()
}

impl DevEnclave {
	/// An enclave signing with `ca`, reporting `pcrs`.
	pub fn new(ca: DevCa, pcrs: BTreeMap<u8, Vec<u8>>) -> Self {
		Self {
			ca,
			module_id: "i-0veritasdev00000-enc0000000000000000".into(),
			pcrs,
			timestamp_ms: None,
			faults: DevFaults::default(),
			leaves: AtomicU64::new(0),
		}
	}

	/// Documents carry this time (Unix milliseconds) instead of the system clock's.
	pub fn at(mut self, timestamp_ms: u64) -> Self {
		self.timestamp_ms = Some(timestamp_ms);
		self
	}

	/// Documents break the rules in `faults`.
	pub fn with_faults(mut self, faults: DevFaults) -> Self {
		self.faults = faults;
		self
	}

	/// The CA that signs.
	pub fn ca(&self) -> &DevCa {
		&self.ca
	}

	/// The PCRs reported.
	pub fn pcrs(&self) -> &BTreeMap<u8, Vec<u8>> {
		&self.pcrs
	}

	/// The time given to [`DevEnclave::at`], if any: documents carry it instead of the clock's.
	pub fn fixed_time_ms(&self) -> Option<u64> {
		self.timestamp_ms
	}

	/// The chain below the root, with the faults applied: the cabundle's intermediates and the
	/// authority that signs the leaf.
	fn intermediates(&self) -> Result<Vec<Authority>, AttestError> {
		let mut chain = self.ca.intermediates.clone();
		if (self.faults.broken_link || self.faults.intermediate_not_ca) && chain.len() < 3 {
			return Err(AttestError::Failed("chain faults need three intermediates".into()));
		}
		let window = |a: &Authority| -> Result<_, AttestError> {
			let cert = <x509_cert::Certificate as x509_cert::der::Decode>::from_der(&a.der)
				.map_err(|e| AttestError::Failed(format!("dev CA certificate: {e}")))?;
			Ok(cert.tbs_certificate.validity)
		};
		if self.faults.broken_link {
			let impostor = derive_key(self.ca.seed(), b"impostor");
			let parent = chain[0].name.clone();
			let c = &mut chain[1];
			let kind = CertKind::Ca { path_len: 1 };
			c.der = certify(kind, 90, window(c)?, c.name.clone(), parent, &c.key, &impostor)?;
		}
		if self.faults.intermediate_not_ca {
			let parent = chain[1].clone();
			let c = &mut chain[2];
			c.der = certify(
				CertKind::Leaf,
				91,
				window(c)?,
				c.name.clone(),
				parent.name,
				&c.key,
				&parent.key,
			)?;
		}
		Ok(chain)
	}

	/// The CBOR payload for `request` at `timestamp`, with `leaf_der` and `cabundle`.
	fn payload(
		&self,
		request: &AttestationRequest,
		pcrs: &BTreeMap<u8, Vec<u8>>,
		timestamp: u64,
		leaf_der: &[u8],
		cabundle: &[&[u8]],
	) -> Vec<u8> {
		type Enc<'w> = Encoder<&'w mut Vec<u8>>;
		fn opt<'a, 'w>(
			e: &'a mut Enc<'w>,
			v: &Option<Vec<u8>>,
		) -> Result<&'a mut Enc<'w>, minicbor::encode::Error<core::convert::Infallible>> {
			match v {
				Some(b) => e.bytes(b),
				None => e.null(),
			}
		}
		let mut out = Vec::new();
		let mut e = Encoder::new(&mut out);
		let r = (|| {
			e.map(9)?.str("module_id")?.str(&self.module_id)?;
			e.str("digest")?.str("SHA384")?;
			e.str("timestamp")?.u64(timestamp)?;
			e.str("pcrs")?.map(pcrs.len() as u64)?;
			for (i, v) in pcrs {
				e.u8(*i)?.bytes(v)?;
			}
			e.str("certificate")?.bytes(leaf_der)?;
			e.str("cabundle")?.array(cabundle.len() as u64)?;
			for c in cabundle {
				e.bytes(c)?;
			}
			opt(e.str("public_key")?, &request.public_key)?;
			opt(e.str("user_data")?, &request.user_data)?;
			opt(e.str("nonce")?, &request.nonce)?;
			Ok::<_, minicbor::encode::Error<core::convert::Infallible>>(())
		})();
		r.expect("CBOR encoding into a Vec cannot fail");
		out
	}
}

impl DevEnclave {
	/// An attestation document binding `request`, made at `now` (Unix milliseconds) unless
	/// [`DevEnclave::at`] fixed the time.
	pub fn attest_at(
		&self,
		request: &AttestationRequest,
		now: u64,
	) -> Result<Vec<u8>, AttestError> {
		request.check()?;
		let now = self.timestamp_ms.unwrap_or(now);
		let chain = self.intermediates()?;
		let issuer = chain.last().ok_or_else(|| AttestError::Failed("no intermediate".into()))?;
		let n = self.leaves.fetch_add(1, Ordering::Relaxed);
		let leaf_key = derive_key(self.ca.seed(), format!("leaf {now} {n}").as_bytes());
		let (nb, na) = self
			.faults
			.leaf_validity_ms
			.unwrap_or_else(|| (now.saturating_sub(60_000), now + LEAF_LIFETIME_MS));
		let leaf_der = certify(
			CertKind::Leaf,
			1000 + n as u32,
			validity(nb, na)?,
			name(&self.module_id)?,
			issuer.name.clone(),
			&leaf_key,
			&issuer.key,
		)?;
		let mut cabundle: Vec<&[u8]> = vec![&self.ca.root.der];
		cabundle.extend(chain.iter().map(|a| a.der.as_slice()));

		let payload = self.payload(request, &self.pcrs, now, &leaf_der, &cabundle);
		let protected = cose::protected_header(self.faults.algorithm.unwrap_or(cose::ES384));
		let document = cose::sign1(&leaf_key, &protected, &payload);
		let Some(alteration) = self.faults.alter_after_signing else {
			return Ok(document);
		};
		// Same signature, another payload.
		let signature = &document[document.len() - 96..];
		let mut pcrs = self.pcrs.clone();
		let mut altered = request.clone();
		let flip = |v: &mut Vec<u8>| match v.first_mut() {
			Some(b) => *b ^= 1,
			None => v.push(1),
		};
		match alteration {
			Alteration::Pcr(i) => flip(pcrs.entry(i).or_default()),
			Alteration::UserData => flip(altered.user_data.get_or_insert_with(Vec::new)),
			Alteration::Nonce => flip(altered.nonce.get_or_insert_with(Vec::new)),
		}
		let payload = self.payload(&altered, &pcrs, now, &leaf_der, &cabundle);
		Ok(cose::assemble(&protected, &payload, signature))
	}
}
