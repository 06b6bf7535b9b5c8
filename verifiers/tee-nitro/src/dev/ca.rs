//! A development certificate authority of the same shape as AWS Nitro's: a self-signed P-384
//! root, three intermediates (AWS: regional, zonal, instance), and a leaf per document.
//!
//! Keys are derived from a seed, so a CA (and its root fingerprint, which dev chain specs trust)
//! is reproducible. Only dev/local chains may trust it.

use alloc::{format, vec, vec::Vec};
use core::{str::FromStr, time::Duration};

use p384::ecdsa::{signature::Signer, Signature, SigningKey};
use sha2::{Digest, Sha384};
use x509_cert::{
	certificate::{Certificate, TbsCertificate, Version},
	der::{
		asn1::{BitString, OctetString, UtcTime},
		oid::{
			db::rfc5912::{ECDSA_WITH_SHA_384, ID_EC_PUBLIC_KEY, SECP_384_R_1},
			AssociatedOid,
		},
		Any, Encode,
	},
	ext::{
		pkix::{BasicConstraints, KeyUsage, KeyUsages},
		Extension,
	},
	name::Name,
	serial_number::SerialNumber,
	spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned},
	time::{Time, Validity},
};

use super::AttestError;

/// What a certificate may do, as its basicConstraints and keyUsage say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CertKind {
	/// A CA that may sign `path_len` more CAs below it.
	Ca { path_len: u8 },
	/// An end entity: signs documents, not certificates.
	Leaf,
}

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

/// `CN=<cn>,O=Veritas,OU=dev enclave,C=US`.
pub(crate) fn name(cn: &str) -> Result<Name, AttestError> {
	Name::from_str(&format!("CN={cn},O=Veritas,OU=dev enclave,C=US"))
		.map_err(|e| AttestError::Failed(format!("certificate name: {e}")))
}

fn fail(what: &str, e: impl core::fmt::Display) -> AttestError {
	AttestError::Failed(format!("{what}: {e}"))
}

fn extension<T: AssociatedOid + Encode>(
	value: &T,
	critical: bool,
) -> Result<Extension, AttestError> {
	let der = value.to_der().map_err(|e| fail("extension", e))?;
	Ok(Extension {
		extn_id: T::OID,
		critical,
		extn_value: OctetString::new(der).map_err(|e| fail("extension", e))?,
	})
}

/// Builds one X.509 v3 certificate of `key`'s public key, of `kind`, issued by `issuer` and
/// signed (ECDSA P-384 with SHA-384) by `signer`.
pub(crate) fn certify(
	kind: CertKind,
	serial: u32,
	validity: Validity,
	subject: Name,
	issuer: Name,
	key: &SigningKey,
	signer: &SigningKey,
) -> Result<Vec<u8>, AttestError> {
	let point = key.verifying_key().to_encoded_point(false);
	let spki = SubjectPublicKeyInfoOwned {
		algorithm: AlgorithmIdentifierOwned {
			oid: ID_EC_PUBLIC_KEY,
			parameters: Some(Any::from(&SECP_384_R_1)),
		},
		subject_public_key: BitString::from_bytes(point.as_bytes()).map_err(|e| fail("key", e))?,
	};
	let (constraints, usage) = match kind {
		CertKind::Ca { path_len } => (
			BasicConstraints { ca: true, path_len_constraint: Some(path_len) },
			KeyUsages::KeyCertSign | KeyUsages::CRLSign,
		),
		CertKind::Leaf => (
			BasicConstraints { ca: false, path_len_constraint: None },
			KeyUsages::DigitalSignature.into(),
		),
	};
	let algorithm = AlgorithmIdentifierOwned { oid: ECDSA_WITH_SHA_384, parameters: None };
	let tbs = TbsCertificate {
		version: Version::V3,
		serial_number: SerialNumber::new(&serial.to_be_bytes()[..])
			.map_err(|e| fail("serial", e))?,
		signature: algorithm.clone(),
		issuer,
		validity,
		subject,
		subject_public_key_info: spki,
		issuer_unique_id: None,
		subject_unique_id: None,
		extensions: Some(vec![extension(&constraints, true)?, extension(&KeyUsage(usage), true)?]),
	};
	let tbs_der = tbs.to_der().map_err(|e| fail("certificate", e))?;
	let signature: Signature = signer.sign(&tbs_der);
	let cert = Certificate {
		tbs_certificate: tbs,
		signature_algorithm: algorithm,
		signature: BitString::from_bytes(signature.to_der().as_bytes())
			.map_err(|e| fail("signature", e))?,
	};
	cert.to_der().map_err(|e| fail("DER", e))
}

/// The seed of the standard dev CA, [`DevCa::standard`].
pub const STANDARD_SEED: [u8; 32] = *b"veritas/dev-nitro-ca/v1 (public)";
/// The standard dev CA's validity: 2024-01-01T00:00:00Z to 2049-12-31T23:59:59Z (the last time
/// an X.509 UTCTime can hold).
pub const STANDARD_VALIDITY_MS: (u64, u64) = (1_704_067_200_000, 2_524_607_999_000);

impl DevCa {
	/// The dev CA every dev and local chain spec trusts: its keys derive from a public seed, so
	/// its root fingerprint is a constant (and anyone can sign dev documents: never trust it on a
	/// real chain).
	pub fn standard() -> Result<Self, AttestError> {
		Self::new(STANDARD_SEED, STANDARD_VALIDITY_MS.0, STANDARD_VALIDITY_MS.1)
	}

	/// A CA from `seed`, its root and three intermediates (AWS's shape) valid from
	/// `not_before_ms` to `not_after_ms` (Unix milliseconds).
	pub fn new(seed: [u8; 32], not_before_ms: u64, not_after_ms: u64) -> Result<Self, AttestError> {
		Self::with_intermediates(seed, not_before_ms, not_after_ms, 3)
	}

	/// A CA with `count` intermediates (at least one) between the root and the leaves: a longer
	/// chain costs a verifier more (benchmarks use up to the verifier's limit).
	pub fn with_intermediates(
		seed: [u8; 32],
		not_before_ms: u64,
		not_after_ms: u64,
		count: usize,
	) -> Result<Self, AttestError> {
		let count = count.max(1);
		let window = validity(not_before_ms, not_after_ms)?;
		let root_key = derive_key(&seed, b"root");
		let root_name = name("Veritas Dev Nitro Root")?;
		let root_der = certify(
			CertKind::Ca { path_len: count as u8 },
			1,
			window,
			root_name.clone(),
			root_name.clone(),
			&root_key,
			&root_key,
		)?;
		let mut issuer = Authority { name: root_name, key: root_key, der: root_der };
		let root = issuer.clone();
		let mut intermediates = Vec::new();
		for i in 0..count {
			let cn = format!("Veritas Dev Intermediate CA {}", i + 1);
			let key = derive_key(&seed, cn.as_bytes());
			let subject = name(&cn)?;
			let kind = CertKind::Ca { path_len: (count - 1 - i) as u8 };
			let der = certify(
				kind,
				2 + i as u32,
				window,
				subject.clone(),
				issuer.name.clone(),
				&key,
				&issuer.key,
			)?;
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
