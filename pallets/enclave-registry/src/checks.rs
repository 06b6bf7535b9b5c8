//! The checks of `register_enclave`, cheapest first: parse, time, nonce, `user_data`,
//! `public_key`, PCRs; then the COSE signature and the certificate chain to a trusted root at
//! the document's time. A document carried by a receipt segment goes through the same checks
//! except the nonce and the key ([`check_statement_document`]). Both skip the certificate
//! signatures of a path a registration verified before ([`VerifiedPaths`]).

use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{One, Saturating, Zero};
use veritas_verifier_tee_nitro::{
	check_measurement_with, parse, policy::Measurement, verify_with_known, ErrorClass, KnownPaths,
	NitroError, PathId, PathReport,
};

use crate::{
	pallet::{Config, Error, MeasurementOf, Pallet, TrustedRoots, VerifiedPaths},
	types::{user_data_for, EnclaveKey, Fingerprint},
};

/// The paths registrations verified, as the verifier asks for them.
struct Remembered<T>(core::marker::PhantomData<T>);

impl<T: Config> KnownPaths for Remembered<T> {
	fn is_known(&self, id: &PathId) -> bool {
		VerifiedPaths::<T>::contains_key(id)
	}
}

/// The number of certificates in a document's `cabundle`, what its verification cost depends on;
/// the verifier's maximum for a document that does not parse (it is refused early, but pays for
/// the worst case).
pub fn chain_len(document: &[u8]) -> u32 {
	match parse(document) {
		Ok(p) => p.document.cabundle.len() as u32,
		Err(_) => veritas_verifier_tee_nitro::limits::MAX_CABUNDLE_LEN as u32,
	}
}

/// What a document that passed every check registers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attested {
	/// The enclave's ed25519 key.
	pub key: EnclaveKey,
	/// The document's time (Unix milliseconds).
	pub timestamp_ms: u64,
	/// The trusted root its chain ends at.
	pub root: Fingerprint,
}

fn nitro_error<T: Config>(e: NitroError) -> Error<T> {
	match e {
		NitroError::PcrMissing(_) | NitroError::PcrMismatch(_) | NitroError::DebugEnclave => {
			Error::<T>::MeasurementMismatch
		},
		e if e.class() == ErrorClass::Malformed => Error::<T>::MalformedDocument,
		_ => Error::<T>::InvalidAttestation,
	}
}

/// Whether `nonce` is the hash of one of the last `NonceWindow` blocks (the parent block
/// included).
fn is_recent_block_hash<T: Config>(nonce: &[u8]) -> bool {
	let now = frame_system::Pallet::<T>::block_number();
	let mut n = now;
	for _ in 0..T::NonceWindow::get() {
		if n.is_zero() {
			break;
		}
		n = n.saturating_sub(One::one());
		if frame_system::BlockHash::<T>::get(n).as_ref() == nonce {
			return true;
		}
	}
	false
}

/// The genesis hash as 32 bytes.
fn genesis_hash<T: Config>() -> [u8; 32] {
	let hash = frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::zero());
	let mut out = [0u8; 32];
	let bytes = hash.as_ref();
	let n = bytes.len().min(32);
	out[..n].copy_from_slice(&bytes[..n]);
	out
}

/// Runs every check of a registration document for `operator` under the measurement `m`; also
/// says which certificate paths it verified.
pub fn check_document<T: Config>(
	document: &[u8],
	operator: &T::AccountId,
	m: &MeasurementOf<T>,
) -> Result<(Attested, PathReport), Error<T>> {
	let parsed = parse(document).map_err(nitro_error::<T>)?;
	let doc = &parsed.document;
	let ts = doc.timestamp_ms;
	check_time::<T>(ts)?;

	let nonce = doc.nonce.ok_or(Error::<T>::StaleNonce)?;
	ensure(is_recent_block_hash::<T>(nonce), Error::<T>::StaleNonce)?;

	let expected = user_data_for(&genesis_hash::<T>(), operator);
	ensure(doc.user_data == Some(&expected[..]), Error::<T>::WrongUserData)?;

	let key: EnclaveKey =
		doc.public_key.and_then(|k| k.try_into().ok()).ok_or(Error::<T>::BadPublicKey)?;

	let (root, paths) = verify_measured::<T>(document, ts, m)?;
	Ok((Attested { key, timestamp_ms: ts, root }, paths))
}

/// Runs the checks of a document a receipt segment carries: its time, its `user_data` (exactly
/// `user_data`, the segment statement's), its signature and chain, its PCRs against `m`. No nonce
/// or key: the statement in `user_data` names the request, which makes the document fresh.
pub fn check_statement_document<T: Config>(
	document: &[u8],
	user_data: &[u8],
	m: &MeasurementOf<T>,
) -> Result<(), Error<T>> {
	let parsed = parse(document).map_err(nitro_error::<T>)?;
	let doc = &parsed.document;
	check_time::<T>(doc.timestamp_ms)?;
	ensure(doc.user_data == Some(user_data), Error::<T>::WrongStatement)?;
	verify_measured::<T>(document, doc.timestamp_ms, m).map(|_| ())
}

/// A document time is at most `MaxDocumentAgeMs` behind chain time and at most
/// `MaxClockSkewMs` ahead of it.
fn check_time<T: Config>(ts: u64) -> Result<(), Error<T>> {
	let now = Pallet::<T>::now_ms();
	ensure(ts <= now.saturating_add(T::MaxClockSkewMs::get()), Error::<T>::DocumentFromTheFuture)?;
	ensure(now.saturating_sub(ts) <= T::MaxDocumentAgeMs::get(), Error::<T>::StaleDocument)
}

/// Verifies the document's signature and chain to a trusted root at its time `ts` (the
/// signatures of a remembered path skipped) and its PCRs against `m`; returns the root's
/// fingerprint and what the verification did with the path.
fn verify_measured<T: Config>(
	document: &[u8],
	ts: u64,
	m: &MeasurementOf<T>,
) -> Result<(Fingerprint, PathReport), Error<T>> {
	let roots = TrustedRoots::<T>::get();
	let known = Remembered::<T>(Default::default());
	let (claims, paths) =
		verify_with_known::<T::P384, _>(document, &roots, ts, &known).map_err(nitro_error::<T>)?;
	// A debug measurement (dev only) accepts zeroed PCRs; every PCR it names must be equal.
	let expected = Measurement { pcr0: m.pcr0, pcr1: m.pcr1, pcr2: m.pcr2, pcr8: m.pcr8 };
	check_measurement_with(&claims, &expected, m.debug).map_err(nitro_error::<T>)?;
	Ok((claims.root_fingerprint, paths))
}

fn ensure<E>(condition: bool, error: E) -> Result<(), E> {
	if condition {
		Ok(())
	} else {
		Err(error)
	}
}
