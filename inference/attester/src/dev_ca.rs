//! A development certificate authority of the same shape as AWS Nitro's: a self-signed P-384
//! root, three intermediates (AWS: regional, zonal, instance), and a leaf per document.
//!
//! Keys are derived from a seed, so a CA (and its root fingerprint, which dev chain specs trust)
//! is reproducible. Only dev/local chains may trust it.

use core::{str::FromStr, time::Duration};

use p384::ecdsa::{DerSignature, SigningKey};
use sha2::{Digest, Sha384};
use x509_cert::{
	builder::{Builder, CertificateBuilder, Profile},
	der::{asn1::UtcTime, Encode},
	name::Name,
	serial_number::SerialNumber,
	spki::SubjectPublicKeyInfoOwned,
	time::{Time, Validity},
};

use crate::AttestError;

/// A certificate with the key that signs below it.
#[derive(Clone)]
pub(crate) struct Authority {
	pub(crate) name: Name,
	pub(crate) key: SigningKey,
	pub(crate) der: Vec<u8>,
}

/// The dev CA: a root and three intermediates, valid over a window given at creation.
#[derive(Clone)]
pub struct DevCa {
	seed: [u8; 32],
	pub(crate) root: Authority,
	pub(crate) intermediates: Vec<Authority>,
}

impl core::fmt::Debug for DevCa {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("DevCa").field("root_der_len", &self.root.der.len()).finish_non_exhaustive()
	}
}

/// A P-384 signing key derived from `seed` and `label` (SHA-384, retried until it is a valid
/// scalar).
pub(crate) fn derive_key(seed: &[u8; 32], label: &[u8]) -> SigningKey {
	(0u32..)
		.find_map(|i| {
			let d =
				Sha384::new().chain_update(seed).chain_update(label).chain_update(i.to_le_bytes());
			SigningKey::from_slice(&d.finalize()).ok()
		})
		.expect("a valid scalar is found within a few tries")
}

/// A validity window from Unix milliseconds.
pub(crate) fn validity(not_before_ms: u64, not_after_ms: u64) -> Result<Validity, AttestError> {
	let time = |ms: u64| {
		UtcTime::from_unix_duration(Duration::from_millis(ms))
			.map(Time::UtcTime)
			.map_err(|e| AttestError::Failed(format!("certificate time: {e}")))
	};
	Ok(Validity { not_before: time(not_before_ms)?, not_after: time(not_after_ms)? })
}

fn name(cn: &str) -> Result<Name, AttestError> {
	Name::from_str(&format!("CN={cn},O=Veritas,OU=dev enclave,C=US"))
		.map_err(|e| AttestError::Failed(format!("certificate name: {e}")))
}

/// Builds and signs one certificate of `key`'s public key under `profile`, signed by `signer`.
pub(crate) fn certify(
	profile: Profile,
	serial: u32,
	validity: Validity,
	subject: Name,
	key: &SigningKey,
	signer: &SigningKey,
) -> Result<Vec<u8>, AttestError> {
	let fail = |what: &str, e: &dyn core::fmt::Display| AttestError::Failed(format!("{what}: {e}"));
	let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key())
		.map_err(|e| fail("public key", &e))?;
	let serial = SerialNumber::new(&serial.to_be_bytes()[..]).map_err(|e| fail("serial", &e))?;
	let builder = CertificateBuilder::new(profile, serial, validity, subject, spki, signer)
		.map_err(|e| fail("certificate", &e))?;
	let cert = builder.build::<DerSignature>().map_err(|e| fail("signing", &e))?;
	cert.to_der().map_err(|e| fail("DER", &e))
}

impl DevCa {
	/// A CA from `seed`, its root and intermediates valid from `not_before_ms` to
	/// `not_after_ms` (Unix milliseconds).
	pub fn new(seed: [u8; 32], not_before_ms: u64, not_after_ms: u64) -> Result<Self, AttestError> {
		let window = validity(not_before_ms, not_after_ms)?;
		let root_key = derive_key(&seed, b"root");
		let root_name = name("Veritas Dev Nitro Root")?;
		let root_der = certify(Profile::Root, 1, window, root_name.clone(), &root_key, &root_key)?;
		let mut issuer = Authority { name: root_name, key: root_key, der: root_der };
		let root = issuer.clone();
		let mut intermediates = Vec::new();
		for (i, cn) in
			["Veritas Dev Regional CA", "Veritas Dev Zonal CA", "Veritas Dev Instance CA"]
				.into_iter()
				.enumerate()
		{
			let key = derive_key(&seed, cn.as_bytes());
			let subject = name(cn)?;
			let profile = Profile::SubCA {
				issuer: issuer.name.clone(),
				path_len_constraint: Some(2 - i as u8),
			};
			let der = certify(profile, 2 + i as u32, window, subject.clone(), &key, &issuer.key)?;
			issuer = Authority { name: subject, key, der };
			intermediates.push(issuer.clone());
		}
		Ok(Self { seed, root, intermediates })
	}

	/// The DER of the root certificate (what `veritas nitro verify --root` takes as PEM).
	pub fn root_der(&self) -> &[u8] {
		&self.root.der
	}

	/// The SHA-256 fingerprint of the root's DER: what a chain spec registers as a trusted root.
	pub fn root_fingerprint(&self) -> [u8; 32] {
		use sha2::Sha256;
		Sha256::digest(&self.root.der).into()
	}

	/// The seed the keys derive from.
	pub(crate) fn seed(&self) -> &[u8; 32] {
		&self.seed
	}
}
