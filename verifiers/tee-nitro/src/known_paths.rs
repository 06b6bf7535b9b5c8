//! Certificate paths verified before, so that a document whose chain is known costs its leaf
//! certificate's and its COSE signatures only.
//!
//! A **path** is a prefix `cabundle[0..=j]` of a document's bundle: a root and the CAs below it,
//! down to `cabundle[j]`. Its id ([`path_id`]) hashes the fingerprints of exactly those
//! certificates. Once every signature of a path has been verified, verifying it again proves
//! nothing new: a signature over given bytes does not depend on the time or on the certificate's
//! place. So a caller that remembers verified paths ([`KnownPaths`]) lets the verifier skip those
//! signatures, and only those: every certificate is still parsed, linked by name, checked for its
//! algorithms, its extensions at its place in this document's path and its validity at this
//! document's time, and the root must be trusted now.

use alloc::vec::Vec;

use sha2::{Digest as _, Sha256};

use crate::roots::{fingerprint, Fingerprint};

/// The id of a known path.
pub type PathId = [u8; 32];

/// Domain of [`path_id`].
pub const PATH_DOMAIN: &[u8] = b"veritas/nitro-path/v1";

/// `SHA-256(PATH_DOMAIN ‖ fingerprint(c_0) ‖ … ‖ fingerprint(c_j))` of the certificates `path`,
/// root first.
pub fn path_id(path: &[&[u8]]) -> PathId {
	let fingerprints: Vec<Fingerprint> = path.iter().map(|der| fingerprint(der)).collect();
	id_of(&fingerprints)
}

fn id_of(fingerprints: &[Fingerprint]) -> PathId {
	let mut h = Sha256::new();
	h.update(PATH_DOMAIN);
	for fp in fingerprints {
		h.update(fp);
	}
	h.finalize().into()
}

/// The ids of every path of `fingerprints` (a bundle's, root first) that has a CA below the
/// root: `[path_id(cabundle[..=1]), …, path_id(cabundle[..=n-1])]`, from the fingerprints
/// computed once.
pub(crate) fn path_ids(fingerprints: &[Fingerprint]) -> Vec<PathId> {
	(1..fingerprints.len()).map(|j| id_of(&fingerprints[..=j])).collect()
}

/// Paths whose every signature the caller verified before (e.g. a bounded cache the chain
/// keeps, filled by earlier verifications' [`NewPath`]s).
pub trait KnownPaths {
	/// Whether every signature of the path `id` was verified.
	fn is_known(&self, id: &PathId) -> bool;
}

/// No path is known: every signature is verified.
impl KnownPaths for () {
	fn is_known(&self, _id: &PathId) -> bool {
		false
	}
}

/// A path whose signatures a verification checked and the caller did not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewPath {
	/// Its id.
	pub id: PathId,
	/// The earliest `notAfter` of its certificates (Unix milliseconds): after that no document
	/// can use it, and a cache may forget it.
	pub until_ms: u64,
}

/// What a verification did with the document's certificate path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathReport {
	/// How many certificate signatures it did not verify, their path being known.
	pub signatures_skipped: usize,
	/// The paths it verified that were not known, shortest first.
	pub new_paths: Vec<NewPath>,
}

#[cfg(test)]
mod tests {
	//! Point 10 of the security issue: a known path skips exactly its signatures, on real AWS
	//! documents, and lifts no other check.

	use alloc::{collections::BTreeSet, vec::Vec};
	use core::cell::Cell;

	use veritas_crypto_host::{P384Engine, P384Error, RustCrypto};

	use super::*;
	use crate::{
		parse, test_vectors::*, verify_with, verify_with_known, CertRole, NitroError, AWS_ROOTS,
	};

	std::thread_local! {
		static VERIFICATIONS: Cell<usize> = const { Cell::new(0) };
	}

	/// RustCrypto, counting its signature verifications.
	struct Counting;

	impl P384Engine for Counting {
		fn verify_prehash(
			public_key: &[u8],
			prehash: &[u8; 48],
			signature: &[u8; 96],
		) -> Result<bool, P384Error> {
			VERIFICATIONS.with(|v| v.set(v.get() + 1));
			RustCrypto::verify_prehash(public_key, prehash, signature)
		}
	}

	struct Known(BTreeSet<PathId>);

	impl KnownPaths for Known {
		fn is_known(&self, id: &PathId) -> bool {
			self.0.contains(id)
		}
	}

	/// Verifies `bytes` at `at_ms` with `known`; the result and the signatures checked.
	fn counted(bytes: &[u8], at_ms: u64, known: &Known) -> (Result<PathReport, NitroError>, usize) {
		VERIFICATIONS.with(|v| v.set(0));
		let result = verify_with_known::<Counting, _>(bytes, AWS_ROOTS, at_ms, known);
		(result.map(|(_, report)| report), VERIFICATIONS.with(Cell::get))
	}

	fn all_paths_of(bytes: &[u8], at_ms: u64) -> Known {
		let (report, _) = counted(bytes, at_ms, &Known(BTreeSet::new()));
		Known(report.unwrap().new_paths.iter().map(|p| p.id).collect())
	}

	#[test]
	fn point10_a_known_path_checks_only_the_leaf_and_cose_signatures() {
		let base = base();
		let at = base.timestamp_ms();
		let n = parse(base.bytes).unwrap().document.cabundle.len();
		assert_eq!(n, 4, "AWS's chain shape: root, regional, zonal, instance CA");
		// Unknown: every certificate signature and the COSE one.
		let (report, checked) = counted(base.bytes, at, &Known(BTreeSet::new()));
		let report = report.unwrap();
		assert_eq!((checked, report.signatures_skipped), (n + 1, 0));
		// Every path below the root is new, shortest first, and named by its certificates.
		let bundle = parse(base.bytes).unwrap().document.cabundle;
		let ids: Vec<PathId> = report.new_paths.iter().map(|p| p.id).collect();
		let expected: Vec<PathId> = (1..n).map(|j| path_id(&bundle[..=j])).collect();
		assert_eq!(ids, expected);
		assert!(report.new_paths.iter().all(|p| p.until_ms >= at));
		// Known: the leaf certificate's signature and the COSE signature only, same claims.
		let known = all_paths_of(base.bytes, at);
		let (report, checked) = counted(base.bytes, at, &known);
		let report = report.unwrap();
		assert_eq!((checked, report.signatures_skipped, report.new_paths.len()), (2, n - 1, 0));
		assert_eq!(
			verify_with_known::<RustCrypto, _>(base.bytes, AWS_ROOTS, at, &known).unwrap().0,
			verify_with::<RustCrypto>(base.bytes, AWS_ROOTS, at).unwrap()
		);
		// A shorter known path (root, regional, zonal) skips its two signatures, and the path
		// one certificate longer is reported new.
		let shorter = Known([path_id(&bundle[..=2])].into());
		let (report, checked) = counted(base.bytes, at, &shorter);
		let report = report.unwrap();
		assert_eq!((checked, report.signatures_skipped), (3, 2));
		assert_eq!(report.new_paths.iter().map(|p| p.id).collect::<Vec<_>>(), [ids[2]]);
	}

	#[test]
	fn point10_a_known_path_lifts_no_other_check() {
		let base = base();
		let at = base.timestamp_ms();
		let known = all_paths_of(base.bytes, at);
		let bundle = parse(base.bytes).unwrap().document.cabundle;
		// The leaf's own signature is still checked.
		let leaf = parse(base.bytes).unwrap().document.certificate;
		let flipped = flip(base.bytes, offset_in(base.bytes, leaf) + leaf.len() - 1);
		assert_eq!(counted(&flipped, at, &known).0, Err(NitroError::ChainBroken(CertRole::Leaf)));
		// A changed intermediate is another path: verified, and refused.
		let at_ca = offset_in(base.bytes, bundle[2]) + bundle[2].len() - 1;
		assert_eq!(
			counted(&flip(base.bytes, at_ca), at, &known).0,
			Err(NitroError::ChainBroken(CertRole::Intermediate(2)))
		);
		// Validity at the document's time and the trusted roots are checked as before.
		assert_eq!(
			counted(base.bytes, at + 400 * TWO_DAYS_MS, &known).0.map(|_| ()),
			verify_with::<RustCrypto>(base.bytes, AWS_ROOTS, at + 400 * TWO_DAYS_MS).map(|_| ())
		);
		assert!(counted(base.bytes, at + 400 * TWO_DAYS_MS, &known).0.is_err());
		assert_eq!(
			verify_with_known::<RustCrypto, _>(base.bytes, &[[7; 32]], at, &known).map(|_| ()),
			Err(NitroError::UntrustedRoot)
		);
	}
}
