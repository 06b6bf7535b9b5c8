//! The X.509 certificate path of a document: `certificate → cabundle[n-1] → … → cabundle[0]`,
//! where `cabundle[0]` must be byte-identical to a trusted root (by SHA-256 fingerprint).
//!
//! Checks, cheapest first: the root is trusted; every certificate parses; each certificate's
//! issuer is the next one's subject; every algorithm is ECDSA P-384 with SHA-384; basicConstraints,
//! pathLen and keyUsage fit each certificate's place; every certificate (the root included) is
//! valid at the verification time; each certificate's signature verifies under the next one's key.
//! AuthorityKeyIdentifier/SubjectKeyIdentifier are not required (real AWS chains lack them), and
//! there is no revocation check (AWS publishes no CRL for Nitro).

use alloc::vec::Vec;

use p384::ecdsa::{Signature, VerifyingKey};
use sha2::{Digest, Sha384};
use veritas_crypto_host::P384Engine;
use x509_cert::{
	der::{
		asn1::ObjectIdentifier,
		oid::{db::rfc5912, AssociatedOid},
		Decode, Encode,
	},
	ext::pkix::{BasicConstraints, KeyUsage},
	spki::SubjectPublicKeyInfoOwned,
	Certificate,
};

use crate::{
	known_paths::{path_ids, KnownPaths, NewPath, PathReport},
	roots::{fingerprint, Fingerprint},
	CertRole, NitroError,
};

/// Extensions this verifier understands well enough to accept when marked critical.
const KNOWN_CRITICAL: [ObjectIdentifier; 2] = [BasicConstraints::OID, KeyUsage::OID];

/// What a verified chain yields.
#[derive(Clone, Debug)]
pub(crate) struct VerifiedChain {
	/// The leaf's P-384 key (SEC1, checked to be a point of the curve), which must sign the COSE
	/// document.
	pub(crate) leaf_key: Vec<u8>,
	/// SHA-256 of the leaf certificate's DER.
	pub(crate) leaf_fingerprint: Fingerprint,
	/// SHA-256 of the trusted root's DER (`cabundle[0]`).
	pub(crate) root_fingerprint: Fingerprint,
}

/// One certificate of the path, with its place in it.
struct PathCert {
	role: CertRole,
	cert: Certificate,
}

/// Verifies `leaf → cabundle (reversed) → cabundle[0] ∈ trusted_roots` at `at_ms` (Unix ms),
/// with the signature arithmetic done by `E`, skipping the signatures of the longest path
/// `cabundle[..=j]` that `known` knows (see [`crate::known_paths`]).
pub(crate) fn verify_chain<E: P384Engine, K: KnownPaths + ?Sized>(
	leaf: &[u8],
	cabundle: &[&[u8]],
	trusted_roots: &[Fingerprint],
	at_ms: u64,
	known: &K,
) -> Result<(VerifiedChain, PathReport), NitroError> {
	let root_der = cabundle.first().ok_or(NitroError::InvalidField("cabundle"))?;
	let root_fingerprint = fingerprint(root_der);
	if !trusted_roots.contains(&root_fingerprint) {
		return Err(NitroError::UntrustedRoot);
	}
	// The paths below the root, `ids[j - 1]` for `cabundle[..=j]`, and the longest one known.
	let fingerprints: Vec<Fingerprint> = cabundle.iter().map(|der| fingerprint(der)).collect();
	let ids = path_ids(&fingerprints);
	let known_len = ids.iter().rposition(|id| known.is_known(id)).map_or(0, |i| i + 1);

	// The path from the leaf up: [leaf, cabundle[n-1], …, cabundle[1], cabundle[0]].
	let mut path = Vec::with_capacity(cabundle.len() + 1);
	path.push(parse(leaf, CertRole::Leaf)?);
	for (i, der) in cabundle.iter().enumerate().rev() {
		let role = match u8::try_from(i) {
			Ok(0) => CertRole::Root,
			Ok(i) => CertRole::Intermediate(i),
			Err(_) => return Err(NitroError::FieldTooLarge("cabundle")),
		};
		path.push(parse(der, role)?);
	}

	for pair in path.windows(2) {
		let (child, parent) = (&pair[0], &pair[1]);
		if child.cert.tbs_certificate.issuer != parent.cert.tbs_certificate.subject {
			return Err(NitroError::ChainBroken(child.role));
		}
	}

	let mut keys = Vec::with_capacity(path.len());
	for c in &path {
		check_signature_algorithm(c)?;
		keys.push(p384_key(&c.cert.tbs_certificate.subject_public_key_info, c.role)?);
	}

	for (cas_below, c) in path.iter().enumerate() {
		// `cas_below` counts the CAs between this certificate and the leaf; for the leaf it is 0
		// and unused.
		check_extensions(c, cas_below.saturating_sub(1))?;
	}

	for c in &path {
		check_validity(c, at_ms)?;
	}

	// `path[i]` is `cabundle[n - i]`: the pairs whose child is `cabundle[known_len]` or above are
	// the known path's, already verified.
	let n = cabundle.len();
	let to_verify = n - known_len;
	for (pair, parent_key) in path.windows(2).zip(keys.iter().skip(1)).take(to_verify) {
		verify_cert_signature::<E>(&pair[0], parent_key)?;
	}

	let new_paths = (known_len + 1..n)
		.map(|j| NewPath { id: ids[j - 1], until_ms: earliest_not_after(&path[n - j..]) })
		.collect();
	let report = PathReport { signatures_skipped: known_len, new_paths };
	let leaf_key = keys.into_iter().next().ok_or(NitroError::CertificateParse(CertRole::Leaf))?;
	Ok((VerifiedChain { leaf_key, leaf_fingerprint: fingerprint(leaf), root_fingerprint }, report))
}

/// The earliest `notAfter` of `certs`, in Unix milliseconds.
fn earliest_not_after(certs: &[PathCert]) -> u64 {
	certs
		.iter()
		.map(|c| c.cert.tbs_certificate.validity.not_after.to_unix_duration().as_millis())
		.min()
		.map_or(0, |ms| u64::try_from(ms).unwrap_or(u64::MAX))
}

fn parse(der: &[u8], role: CertRole) -> Result<PathCert, NitroError> {
	let cert = Certificate::from_der(der).map_err(|_| NitroError::CertificateParse(role))?;
	Ok(PathCert { role, cert })
}

/// Requires ecdsa-with-SHA384 (no parameters) in both the outer and the signed algorithm field.
fn check_signature_algorithm(c: &PathCert) -> Result<(), NitroError> {
	let outer = &c.cert.signature_algorithm;
	if outer.oid != rfc5912::ECDSA_WITH_SHA_384 || outer.parameters.is_some() {
		return Err(NitroError::UnsupportedCertificateAlgorithm(c.role));
	}
	if c.cert.tbs_certificate.signature != *outer {
		return Err(NitroError::UnsupportedCertificateAlgorithm(c.role));
	}
	Ok(())
}

/// Checks an id-ecPublicKey / secp384r1 key and returns its SEC1 bytes.
fn p384_key(spki: &SubjectPublicKeyInfoOwned, role: CertRole) -> Result<Vec<u8>, NitroError> {
	let curve = spki.algorithm.parameters.as_ref().map(|p| p.decode_as::<ObjectIdentifier>());
	if spki.algorithm.oid != rfc5912::ID_EC_PUBLIC_KEY || curve != Some(Ok(rfc5912::SECP_384_R_1)) {
		return Err(NitroError::UnsupportedCertificateAlgorithm(role));
	}
	let point = spki.subject_public_key.as_bytes().ok_or(NitroError::InvalidPublicKey(role))?;
	// Decoding checks that the point is on the curve (cheap for the uncompressed points every
	// real certificate carries); the engine then gets the same bytes.
	VerifyingKey::from_sec1_bytes(point).map_err(|_| NitroError::InvalidPublicKey(role))?;
	Ok(point.to_vec())
}

/// basicConstraints, pathLen and keyUsage for the certificate's place in the path.
fn check_extensions(c: &PathCert, cas_below: usize) -> Result<(), NitroError> {
	let role = c.role;
	let mut seen: Vec<&ObjectIdentifier> = Vec::new();
	let mut basic = None;
	let mut usage = None;
	for ext in c.cert.tbs_certificate.extensions.as_deref().unwrap_or_default() {
		if seen.contains(&&ext.extn_id) {
			return Err(NitroError::BadExtension(role));
		}
		seen.push(&ext.extn_id);
		let value = ext.extn_value.as_bytes();
		if ext.extn_id == BasicConstraints::OID {
			let bc = BasicConstraints::from_der(value)
				.map_err(|_| NitroError::CertificateParse(role))?;
			basic = Some((bc, ext.critical));
		} else if ext.extn_id == KeyUsage::OID {
			usage =
				Some(KeyUsage::from_der(value).map_err(|_| NitroError::CertificateParse(role))?);
		} else if ext.critical && !KNOWN_CRITICAL.contains(&ext.extn_id) {
			return Err(NitroError::BadExtension(role));
		}
	}

	if role == CertRole::Leaf {
		if let Some((bc, _)) = basic {
			if bc.ca || bc.path_len_constraint.is_some() {
				return Err(NitroError::NotACa(role));
			}
		}
		if usage.is_some_and(|u| !u.digital_signature()) {
			return Err(NitroError::KeyUsage(role));
		}
	} else {
		let Some((bc, critical)) = basic else { return Err(NitroError::NotACa(role)) };
		if !bc.ca || !critical {
			return Err(NitroError::NotACa(role));
		}
		if bc.path_len_constraint.is_some_and(|max| usize::from(max) < cas_below) {
			return Err(NitroError::PathLenExceeded(role));
		}
		if usage.is_some_and(|u| !u.key_cert_sign()) {
			return Err(NitroError::KeyUsage(role));
		}
	}
	Ok(())
}

/// `notBefore ≤ at ≤ notAfter`, compared in milliseconds (X.509 times have whole seconds).
fn check_validity(c: &PathCert, at_ms: u64) -> Result<(), NitroError> {
	let validity = &c.cert.tbs_certificate.validity;
	let at = u128::from(at_ms);
	if at < validity.not_before.to_unix_duration().as_millis() {
		return Err(NitroError::CertificateNotYetValid(c.role));
	}
	if at > validity.not_after.to_unix_duration().as_millis() {
		return Err(NitroError::CertificateExpired(c.role));
	}
	Ok(())
}

/// Verifies `child`'s signature over its DER `tbsCertificate` with its issuer's key (SEC1).
fn verify_cert_signature<E: P384Engine>(
	child: &PathCert,
	parent_key: &[u8],
) -> Result<(), NitroError> {
	let broken = NitroError::ChainBroken(child.role);
	let tbs = child.cert.tbs_certificate.to_der().map_err(|_| broken)?;
	let signature = child.cert.signature.as_bytes().ok_or(broken)?;
	let signature = Signature::from_der(signature).map_err(|_| broken)?;
	let mut raw = [0u8; 96];
	raw.copy_from_slice(&signature.to_bytes());
	match E::verify_prehash(parent_key, &Sha384::digest(&tbs).into(), &raw) {
		Ok(true) => Ok(()),
		Ok(false) | Err(_) => Err(broken),
	}
}

#[cfg(test)]
mod tests {
	//! The extension rules, checked on real AWS certificates put in the wrong place of a path
	//! (no forged signature needed).

	use super::*;
	use crate::test_vectors::base;

	fn cert(der: &[u8], role: CertRole) -> PathCert {
		parse(der, role).unwrap()
	}

	fn chain_of_base() -> (Vec<u8>, Vec<Vec<u8>>) {
		let base = base();
		let p = crate::parse(base.bytes).unwrap();
		(p.document.certificate.to_vec(), p.document.cabundle.iter().map(|c| c.to_vec()).collect())
	}

	mod check_extensions {
		use super::*;

		#[test]
		fn accepts_each_real_certificate_in_its_own_place() {
			let (leaf, bundle) = chain_of_base();
			assert_eq!(check_extensions(&cert(&leaf, CertRole::Leaf), 0), Ok(()));
			assert_eq!(check_extensions(&cert(&bundle[3], CertRole::Intermediate(3)), 0), Ok(()));
			assert_eq!(check_extensions(&cert(&bundle[2], CertRole::Intermediate(2)), 1), Ok(()));
			assert_eq!(check_extensions(&cert(&bundle[1], CertRole::Intermediate(1)), 2), Ok(()));
			assert_eq!(check_extensions(&cert(&bundle[0], CertRole::Root), 3), Ok(()));
		}

		#[test]
		fn rejects_a_leaf_certificate_acting_as_a_ca() {
			let (leaf, _) = chain_of_base();
			let role = CertRole::Intermediate(1);
			assert_eq!(check_extensions(&cert(&leaf, role), 0), Err(NitroError::NotACa(role)));
		}

		#[test]
		fn rejects_a_ca_certificate_acting_as_the_leaf() {
			let (_, bundle) = chain_of_base();
			let role = CertRole::Leaf;
			assert_eq!(check_extensions(&cert(&bundle[3], role), 0), Err(NitroError::NotACa(role)));
		}

		#[test]
		fn rejects_a_ca_with_more_cas_below_than_its_path_length_allows() {
			let (_, bundle) = chain_of_base();
			// The instance CA has pathLen 0, the zonal 1, the regional 2.
			for (i, allowed) in [(3, 0), (2, 1), (1, 2)] {
				let role = CertRole::Intermediate(i);
				let c = cert(&bundle[usize::from(i)], role);
				assert_eq!(check_extensions(&c, allowed), Ok(()));
				assert_eq!(
					check_extensions(&c, allowed + 1),
					Err(NitroError::PathLenExceeded(role))
				);
			}
		}

		#[test]
		fn rejects_a_ca_without_key_cert_sign() {
			// The Marlin mock leaf has keyUsage without keyCertSign and no basicConstraints.
			let doc = crate::test_vectors::fixture("negative/marlin-oyster-monorepo__custom.bin");
			let leaf = crate::parse(doc).unwrap().document.certificate.to_vec();
			let role = CertRole::Intermediate(1);
			assert_eq!(check_extensions(&cert(&leaf, role), 0), Err(NitroError::NotACa(role)));
		}
	}

	mod check_signature_algorithm {
		use super::*;

		#[test]
		fn accepts_ecdsa_with_sha384_on_every_real_certificate() {
			let (leaf, bundle) = chain_of_base();
			assert_eq!(check_signature_algorithm(&cert(&leaf, CertRole::Leaf)), Ok(()));
			for c in &bundle {
				assert_eq!(check_signature_algorithm(&cert(c, CertRole::Root)), Ok(()));
			}
		}

		#[test]
		fn rejects_another_signature_algorithm() {
			let (leaf, _) = chain_of_base();
			let mut c = cert(&leaf, CertRole::Leaf);
			c.cert.signature_algorithm.oid = rfc5912::ECDSA_WITH_SHA_256;
			assert_eq!(
				check_signature_algorithm(&c),
				Err(NitroError::UnsupportedCertificateAlgorithm(CertRole::Leaf))
			);
		}
	}
}
