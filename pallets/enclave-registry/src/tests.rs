//! The registry on the mock runtime, with documents from the DevEnclave (the real Nitro format,
//! signed by a dev CA) and real AWS documents.

use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use sp_core::{ed25519, Pair, H256};
use veritas_verifier_tee_nitro::dev::{pcrs_for_image, AttestationRequest, DevCa, DevEnclave};

use veritas_verifier_tee_nitro::PathId;

use crate::{mock::*, *};

/// 2026-01-01T00:00:00Z.
const T0: u64 = 1_767_225_600_000;

fn ca() -> DevCa {
	DevCa::new([9; 32], T0 - 30 * DAY_MS, T0 + 365 * DAY_MS).unwrap()
}

fn enclave_pair() -> ed25519::Pair {
	ed25519::Pair::from_seed(&[42; 32])
}

fn key() -> EnclaveKey {
	enclave_pair().public().0
}

/// Moves to block `n` at time `ms`, with a hash recorded for every earlier block.
fn go_to(n: u64, ms: u64) {
	for b in System::block_number()..n {
		frame_system::BlockHash::<Test>::insert(b, H256::repeat_byte(b as u8 + 100));
	}
	System::set_block_number(n);
	pallet_timestamp::Now::<Test>::put(ms);
}

fn genesis() -> [u8; 32] {
	frame_system::BlockHash::<Test>::get(0).0
}

fn hash_of(block: u64) -> Vec<u8> {
	frame_system::BlockHash::<Test>::get(block).0.to_vec()
}

/// A document from an enclave running `image`, at `ms`, for `operator`, with `nonce`.
fn document(image: &[u8], ms: u64, operator: u64, nonce: Vec<u8>) -> DocumentOf {
	let request = AttestationRequest {
		public_key: Some(key().to_vec()),
		user_data: Some(user_data_for(&genesis(), &operator)),
		nonce: Some(nonce),
	};
	let doc = DevEnclave::new(ca(), pcrs_for_image(image)).attest_at(&request, ms).unwrap();
	doc.try_into().unwrap()
}

fn pcr(image: &[u8], i: u8) -> Pcr {
	pcrs_for_image(image)[&i].clone().try_into().unwrap()
}

/// Registers the measurement of `image` by governance; returns its id.
fn measure(image: &[u8]) -> MeasurementId {
	let id = veritas_primitives::measurement_id(
		&pcr(image, 0),
		&pcr(image, 1),
		&pcr(image, 2),
		Some(&pcr(image, 8)),
	);
	assert_ok!(EnclaveRegistry::register_measurement(
		RuntimeOrigin::root(),
		BoundedVec::truncate_from(b"digits-mlp".to_vec()),
		1,
		pcr(image, 0),
		pcr(image, 1),
		pcr(image, 2),
		Some(pcr(image, 8)),
		false,
	));
	id
}

fn with_dev_chain(test: impl FnOnce()) {
	new_test_ext(vec![ca().root_fingerprint()], true).execute_with(|| {
		go_to(20, T0);
		test()
	});
}

const IMAGE: &[u8] = b"model server v1";

/// Asserts that `result` is the error `expected`.
fn fails<R>(result: Result<R, Error<Test>>, expected: Error<Test>) {
	let got = result.map(|_| ()).map_err(sp_runtime::DispatchError::from);
	assert_eq!(got, Err(expected.into()));
}

mod register_enclave {
	use super::*;

	#[test]
	fn registers_a_key_with_a_fresh_nonce_and_its_signatures_verify() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let doc = document(IMAGE, T0 - 1_000, ALICE, hash_of(19));
			assert_ok!(EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc));
			System::assert_last_event(
				Event::EnclaveRegistered {
					key: key(),
					operator: ALICE,
					measurement: m,
					expires_at_ms: T0 - 1_000 + DAY_MS,
				}
				.into(),
			);
			assert!(EnclaveRegistry::is_key_valid(&key(), m));
			assert!(!EnclaveRegistry::is_key_valid(&key(), measure(b"another image")));
			let payload = b"receipt: model 1, segment 0, c_in, c_out";
			let sig = enclave_pair().sign(&signing_message(payload)).0;
			assert_ok!(EnclaveRegistry::verify_enclave_signature(&key(), m, payload, &sig));
			assert!(matches!(
				EnclaveRegistry::verify_enclave_signature(&key(), m, b"another payload", &sig),
				Err(Error::<Test>::BadEnclaveSignature)
			));
			// A signature over the raw payload (no domain) is not an enclave signature.
			let raw = enclave_pair().sign(payload).0;
			assert!(EnclaveRegistry::verify_enclave_signature(&key(), m, payload, &raw).is_err());
		});
	}

	#[test]
	fn refuses_the_same_document_again_and_renews_with_a_later_one() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let doc = document(IMAGE, T0 - 1_000, ALICE, hash_of(19));
			assert_ok!(EnclaveRegistry::register_enclave(
				RuntimeOrigin::signed(ALICE),
				m,
				doc.clone()
			));
			assert_noop!(
				EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc),
				Error::<Test>::ReplayedDocument
			);
			go_to(30, T0 + 60_000);
			let later = document(IMAGE, T0 + 59_000, ALICE, hash_of(29));
			assert_ok!(EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, later));
			assert_eq!(Enclaves::<Test>::get(key()).unwrap().expires_at_ms, T0 + 59_000 + DAY_MS);
		});
	}

	#[test]
	fn refuses_an_old_nonce_a_stale_or_future_document_and_another_operator() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let signed = RuntimeOrigin::signed;
			// The nonce of a block outside the window, or no block's hash at all.
			let old = document(IMAGE, T0, ALICE, hash_of(20 - NONCE_WINDOW as u64 - 1));
			assert_noop!(
				EnclaveRegistry::register_enclave(signed(ALICE), m, old),
				Error::<Test>::StaleNonce
			);
			let made_up = document(IMAGE, T0, ALICE, vec![7; 32]);
			assert_noop!(
				EnclaveRegistry::register_enclave(signed(ALICE), m, made_up),
				Error::<Test>::StaleNonce
			);
			// Five minutes and one second old; 31 seconds ahead.
			let stale = document(IMAGE, T0 - 301_000, ALICE, hash_of(19));
			assert_noop!(
				EnclaveRegistry::register_enclave(signed(ALICE), m, stale),
				Error::<Test>::StaleDocument
			);
			let future = document(IMAGE, T0 + 31_000, ALICE, hash_of(19));
			assert_noop!(
				EnclaveRegistry::register_enclave(signed(ALICE), m, future),
				Error::<Test>::DocumentFromTheFuture
			);
			// Alice's document submitted by Bob.
			let alices = document(IMAGE, T0, ALICE, hash_of(19));
			assert_noop!(
				EnclaveRegistry::register_enclave(signed(BOB), m, alices),
				Error::<Test>::WrongUserData
			);
		});
	}

	#[test]
	fn refuses_other_pcrs_a_revoked_measurement_and_an_untrusted_root() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let other = document(b"another image", T0, ALICE, hash_of(19));
			assert_noop!(
				EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, other),
				Error::<Test>::MeasurementMismatch
			);
			assert_ok!(EnclaveRegistry::remove_root(
				RuntimeOrigin::root(),
				ca().root_fingerprint()
			));
			let doc = document(IMAGE, T0, ALICE, hash_of(19));
			assert_noop!(
				EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc.clone()),
				Error::<Test>::InvalidAttestation
			);
			assert_ok!(EnclaveRegistry::add_root(RuntimeOrigin::root(), ca().root_fingerprint()));
			assert_ok!(EnclaveRegistry::revoke_measurement(RuntimeOrigin::root(), m));
			assert_noop!(
				EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc),
				Error::<Test>::MeasurementRevoked
			);
		});
	}

	#[test]
	fn refuses_malformed_and_tampered_documents_storing_nothing() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let garbage: DocumentOf = vec![0xff; 100].try_into().unwrap();
			assert_noop!(
				EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, garbage),
				Error::<Test>::MalformedDocument
			);
			let mut doc = document(IMAGE, T0, ALICE, hash_of(19)).into_inner();
			let last = doc.len() - 1;
			doc[last] ^= 1;
			assert_noop!(
				EnclaveRegistry::register_enclave(
					RuntimeOrigin::signed(ALICE),
					m,
					doc.try_into().unwrap()
				),
				Error::<Test>::InvalidAttestation
			);
			assert_eq!(Enclaves::<Test>::iter().count(), 0);
		});
	}

	#[test]
	fn refuses_real_aws_documents_because_they_are_stale() {
		// Real documents from Nitro hardware (verifiers/tee-nitro/src/resources, PROVENANCE.md),
		// under the AWS root: they verify at their own time but are years older than the chain.
		new_test_ext(veritas_verifier_tee_nitro::AWS_ROOTS.to_vec(), false).execute_with(|| {
			go_to(20, T0);
			let m = measure(IMAGE);
			for raw in [
				&include_bytes!("../../../verifiers/tee-nitro/src/resources/docs/evervault__valid-attestation-doc-bytes.cbor.cose")[..],
				&include_bytes!("../../../verifiers/tee-nitro/src/resources/docs/marlin-oyster-monorepo__aws.bin.cose")[..],
			] {
				let parsed = veritas_verifier_tee_nitro::parse(raw).unwrap();
				let at = parsed.document.timestamp_ms;
				assert!(veritas_verifier_tee_nitro::verify(raw, veritas_verifier_tee_nitro::AWS_ROOTS, at).is_ok());
				assert_noop!(
					EnclaveRegistry::register_enclave(
						RuntimeOrigin::signed(ALICE),
						m,
						raw.to_vec().try_into().unwrap()
					),
					Error::<Test>::StaleDocument
				);
			}
		});
	}
}

/// Point 10: certificate paths a registration verified are remembered, so that the next document
/// with the same bundle pays for its leaf and COSE signatures only.
mod verified_paths {
	use frame_support::traits::Hooks;

	use super::*;

	fn bundle_paths(doc: &[u8]) -> Vec<PathId> {
		let bundle = veritas_verifier_tee_nitro::parse(doc).unwrap().document.cabundle;
		(1..bundle.len()).map(|j| veritas_verifier_tee_nitro::path_id(&bundle[..=j])).collect()
	}

	#[test]
	fn point10_a_registration_remembers_its_path_and_the_next_one_pays_the_cached_weight() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let doc = document(IMAGE, T0 - 1_000, ALICE, hash_of(19));
			let paths = bundle_paths(&doc);
			assert!(!paths.is_empty());
			let first = EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc);
			// Unknown: the declared (uncached) weight, and the paths remembered.
			assert_eq!(first.unwrap().actual_weight, None);
			assert!(paths.iter().all(VerifiedPaths::<Test>::contains_key));
			// The renewal's bundle is known: refunded to the cached weight, nothing new stored.
			go_to(30, T0 + 60_000);
			let later = document(IMAGE, T0 + 59_000, ALICE, hash_of(29));
			let second = EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, later);
			assert!(second.unwrap().actual_weight.is_some());
			assert_eq!(VerifiedPaths::<Test>::count() as usize, paths.len());
		});
	}

	#[test]
	fn point10_a_known_path_does_not_outlive_its_root() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let doc = document(IMAGE, T0 - 1_000, ALICE, hash_of(19));
			assert_ok!(EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc));
			assert_ok!(EnclaveRegistry::remove_root(
				RuntimeOrigin::root(),
				ca().root_fingerprint()
			));
			go_to(30, T0 + 60_000);
			let later = document(IMAGE, T0 + 59_000, ALICE, hash_of(29));
			assert_noop!(
				EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, later),
				Error::<Test>::InvalidAttestation
			);
		});
	}

	#[test]
	fn point10_the_cache_is_bounded_and_on_idle_forgets_expired_paths() {
		with_dev_chain(|| {
			let max =
				<<Test as Config>::MaxVerifiedPaths as frame_support::traits::Get<u32>>::get();
			let idle = |n| {
				<EnclaveRegistry as Hooks<u64>>::on_idle(n, frame_support::weights::Weight::MAX)
			};
			// Below half full, on_idle does nothing.
			VerifiedPaths::<Test>::insert([1; 32], 0);
			idle(20);
			assert!(VerifiedPaths::<Test>::contains_key([1; 32]));
			// Full: a registration remembers nothing more.
			for i in 2..=max as u8 {
				VerifiedPaths::<Test>::insert([i; 32], if i % 2 == 0 { u64::MAX } else { 0 });
			}
			let m = measure(IMAGE);
			let doc = document(IMAGE, T0 - 1_000, ALICE, hash_of(19));
			let paths = bundle_paths(&doc);
			assert_ok!(EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc));
			assert_eq!(VerifiedPaths::<Test>::count(), max);
			assert!(!paths.iter().any(VerifiedPaths::<Test>::contains_key));
			// on_idle forgets the expired ones (until 0), keeps the others.
			idle(21);
			idle(22);
			let left: Vec<PathId> = VerifiedPaths::<Test>::iter_keys().collect();
			assert!(left.iter().all(|id| id[0] % 2 == 0), "{left:?}");
			assert_eq!(left.len() as u32, max / 2);
		});
	}
}

mod key_validity {
	use super::*;

	pub(super) fn registered() -> MeasurementId {
		let m = measure(IMAGE);
		let doc = document(IMAGE, T0, ALICE, hash_of(19));
		assert_ok!(EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc));
		assert!(EnclaveRegistry::is_key_valid(&key(), m));
		m
	}

	#[test]
	fn ends_when_the_measurement_is_revoked() {
		with_dev_chain(|| {
			let m = registered();
			assert_ok!(EnclaveRegistry::revoke_measurement(RuntimeOrigin::root(), m));
			assert!(!EnclaveRegistry::is_key_valid(&key(), m));
			let sig = enclave_pair().sign(&signing_message(b"x")).0;
			assert!(matches!(
				EnclaveRegistry::verify_enclave_signature(&key(), m, b"x", &sig),
				Err(Error::<Test>::InvalidEnclaveKey)
			));
		});
	}

	#[test]
	fn ends_when_the_root_is_removed() {
		with_dev_chain(|| {
			let m = registered();
			assert_ok!(EnclaveRegistry::remove_root(
				RuntimeOrigin::root(),
				ca().root_fingerprint()
			));
			assert!(!EnclaveRegistry::is_key_valid(&key(), m));
		});
	}

	#[test]
	fn ends_at_expiry() {
		with_dev_chain(|| {
			let m = registered();
			pallet_timestamp::Now::<Test>::put(T0 + DAY_MS - 1);
			assert!(EnclaveRegistry::is_key_valid(&key(), m));
			pallet_timestamp::Now::<Test>::put(T0 + DAY_MS);
			assert!(!EnclaveRegistry::is_key_valid(&key(), m));
		});
	}
}

mod revoked_keys {
	use super::*;

	#[test]
	fn are_invalid_for_good_and_never_registered_again() {
		with_dev_chain(|| {
			let m = key_validity::registered();
			assert_eq!(EnclaveRegistry::key_record(&key()).ok(), Some((ALICE, false)));
			assert_ok!(EnclaveRegistry::revoke_key(&key()));
			System::assert_last_event(Event::EnclaveRevoked { key: key() }.into());
			assert!(!EnclaveRegistry::is_key_valid(&key(), m));
			// Revoked, it still names its operator (who answers for what it signed before).
			assert_eq!(EnclaveRegistry::key_record(&key()).ok(), Some((ALICE, true)));
			fails(EnclaveRegistry::revoke_key(&key()), Error::<Test>::EnclaveKeyRevoked);
			// A later, valid document for the same key does not bring it back.
			go_to(21, T0 + 1_000);
			let doc = document(IMAGE, T0 + 500, ALICE, hash_of(20));
			assert_noop!(
				EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc),
				Error::<Test>::EnclaveKeyRevoked
			);
		});
	}

	#[cfg(feature = "runtime-benchmarks")]
	#[test]
	fn the_benchmark_signature_vector_is_the_seed_42_key_over_its_statement() {
		use crate::benchmarking::{SIGNATURE, SIGNING_KEY, STATEMENT};
		assert_eq!(SIGNING_KEY, key());
		assert_eq!(SIGNATURE, enclave_pair().sign(&signing_message(STATEMENT)).0);
		use codec::MaxEncodedLen;
		use veritas_primitives::{statement::SEGMENT_DOMAIN, SegmentStatement};
		assert_eq!(STATEMENT.len(), SEGMENT_DOMAIN.len() + SegmentStatement::max_encoded_len());
	}

	#[test]
	fn of_unknown_keys_are_refused() {
		with_dev_chain(|| {
			fails(EnclaveRegistry::revoke_key(&[7; 32]), Error::<Test>::InvalidEnclaveKey);
			fails(EnclaveRegistry::key_record(&[7; 32]), Error::<Test>::InvalidEnclaveKey);
		});
	}

	#[test]
	fn still_name_their_operator_and_signatures_after_expiry() {
		with_dev_chain(|| {
			let m = key_validity::registered();
			pallet_timestamp::Now::<Test>::put(T0 + 2 * DAY_MS);
			assert!(!EnclaveRegistry::is_key_valid(&key(), m));
			assert_eq!(EnclaveRegistry::key_record(&key()).ok(), Some((ALICE, false)));
			let sig = enclave_pair().sign(&signing_message(b"statement")).0;
			assert!(EnclaveRegistry::is_signature_of(&key(), b"statement", &sig));
			assert!(!EnclaveRegistry::is_signature_of(&key(), b"another", &sig));
			assert!(!EnclaveRegistry::is_signature_of(&[7; 32], b"statement", &sig));
		});
	}
}

/// M4 of the security review: an enclave key's record pays a deposit until it goes; an expired
/// key's record may go once its grace has passed, a revoked key's stays.
mod key_records {
	use super::*;

	fn key_deposit(who: u64) -> Balance {
		Balances::balance_on_hold(&RuntimeHoldReason::EnclaveRegistry(HoldReason::KeyDeposit), &who)
	}

	#[test]
	fn m4_a_key_holds_its_deposit_once_and_a_renewal_takes_no_more() {
		with_dev_chain(|| {
			let m = key_validity::registered();
			assert_eq!(key_deposit(ALICE), KEY_DEPOSIT);
			assert_eq!(Enclaves::<Test>::get(key()).unwrap().deposit, KEY_DEPOSIT);
			go_to(21, T0 + 1_000);
			let doc = document(IMAGE, T0 + 500, ALICE, hash_of(20));
			assert_ok!(EnclaveRegistry::register_enclave(RuntimeOrigin::signed(ALICE), m, doc));
			assert_eq!(key_deposit(ALICE), KEY_DEPOSIT);
			EnclaveRegistry::do_try_state().unwrap();
		});
	}

	#[test]
	fn m4_expired_keys_can_be_removed_after_the_grace() {
		with_dev_chain(|| {
			let m = key_validity::registered();
			assert_noop!(
				EnclaveRegistry::remove_enclave(RuntimeOrigin::signed(BOB), key()),
				Error::<Test>::KeyNotExpired
			);
			// Expired, but what it signed may still be reported during the grace.
			pallet_timestamp::Now::<Test>::put(T0 + DAY_MS + KEY_GRACE_MS - 1);
			assert!(!EnclaveRegistry::is_key_valid(&key(), m));
			assert_noop!(
				EnclaveRegistry::remove_enclave(RuntimeOrigin::signed(BOB), key()),
				Error::<Test>::KeyNotExpired
			);
			pallet_timestamp::Now::<Test>::put(T0 + DAY_MS + KEY_GRACE_MS);
			let free = Balances::balance(&ALICE);
			assert_ok!(EnclaveRegistry::remove_enclave(RuntimeOrigin::signed(BOB), key()));
			System::assert_last_event(Event::EnclaveRemoved { key: key() }.into());
			assert!(!Enclaves::<Test>::contains_key(key()));
			assert_eq!(key_deposit(ALICE), 0);
			assert_eq!(Balances::balance(&ALICE), free + KEY_DEPOSIT);
			fails(EnclaveRegistry::key_record(&key()), Error::<Test>::InvalidEnclaveKey);
			assert_noop!(
				EnclaveRegistry::remove_enclave(RuntimeOrigin::signed(BOB), key()),
				Error::<Test>::InvalidEnclaveKey
			);
			EnclaveRegistry::do_try_state().unwrap();
		});
	}

	#[test]
	fn m4_a_revoked_keys_record_and_deposit_stay() {
		with_dev_chain(|| {
			key_validity::registered();
			assert_ok!(EnclaveRegistry::revoke_key(&key()));
			pallet_timestamp::Now::<Test>::put(T0 + 10 * DAY_MS);
			assert_noop!(
				EnclaveRegistry::remove_enclave(RuntimeOrigin::signed(BOB), key()),
				Error::<Test>::EnclaveKeyRevoked
			);
			assert_eq!(key_deposit(ALICE), KEY_DEPOSIT);
			EnclaveRegistry::do_try_state().unwrap();
		});
	}
}

mod statement_documents {
	use super::*;

	const STATEMENT: [u8; 32] = [0x5a; 32];

	/// A document from an enclave running `image`, at `ms`, attesting `user_data` (no nonce, no
	/// key).
	fn attested(image: &[u8], ms: u64, user_data: &[u8]) -> Vec<u8> {
		let request = AttestationRequest {
			public_key: None,
			user_data: Some(user_data.to_vec()),
			nonce: None,
		};
		DevEnclave::new(ca(), pcrs_for_image(image)).attest_at(&request, ms).unwrap()
	}

	#[test]
	fn verify_for_their_statement_and_measurement_only() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let doc = attested(IMAGE, T0 - 1_000, &STATEMENT);
			assert_ok!(EnclaveRegistry::verify_attested(&doc, m, &STATEMENT));
			fails(
				EnclaveRegistry::verify_attested(&doc, m, &[0x5b; 32]),
				Error::<Test>::WrongStatement,
			);
			let other = measure(b"another image");
			fails(
				EnclaveRegistry::verify_attested(&doc, other, &STATEMENT),
				Error::<Test>::MeasurementMismatch,
			);
			fails(
				EnclaveRegistry::verify_attested(&doc, [99; 32], &STATEMENT),
				Error::<Test>::UnknownMeasurement,
			);
		});
	}

	#[test]
	fn are_refused_when_stale_from_the_future_revoked_untrusted_or_malformed() {
		with_dev_chain(|| {
			let m = measure(IMAGE);
			let stale = attested(IMAGE, T0 - 5 * 60 * 1000 - 1, &STATEMENT);
			fails(
				EnclaveRegistry::verify_attested(&stale, m, &STATEMENT),
				Error::<Test>::StaleDocument,
			);
			let future = attested(IMAGE, T0 + 31_000, &STATEMENT);
			fails(
				EnclaveRegistry::verify_attested(&future, m, &STATEMENT),
				Error::<Test>::DocumentFromTheFuture,
			);
			let doc = attested(IMAGE, T0, &STATEMENT);
			let mut tampered = doc.clone();
			let last = tampered.len() - 1;
			tampered[last] ^= 1;
			fails(
				EnclaveRegistry::verify_attested(&tampered, m, &STATEMENT),
				Error::<Test>::InvalidAttestation,
			);
			fails(
				EnclaveRegistry::verify_attested(&doc[..40], m, &STATEMENT),
				Error::<Test>::MalformedDocument,
			);
			assert_ok!(EnclaveRegistry::remove_root(
				RuntimeOrigin::root(),
				ca().root_fingerprint()
			));
			fails(
				EnclaveRegistry::verify_attested(&doc, m, &STATEMENT),
				Error::<Test>::InvalidAttestation,
			);
			assert_ok!(EnclaveRegistry::add_root(RuntimeOrigin::root(), ca().root_fingerprint()));
			assert_ok!(EnclaveRegistry::verify_attested(&doc, m, &STATEMENT));
			assert_ok!(EnclaveRegistry::revoke_measurement(RuntimeOrigin::root(), m));
			fails(
				EnclaveRegistry::verify_attested(&doc, m, &STATEMENT),
				Error::<Test>::MeasurementRevoked,
			);
		});
	}
}

mod measurements {
	use super::*;

	fn register(
		origin: RuntimeOrigin,
		pcrs: [Pcr; 3],
		debug: bool,
	) -> frame_support::dispatch::DispatchResult {
		EnclaveRegistry::register_measurement(
			origin,
			BoundedVec::truncate_from(b"m".to_vec()),
			1,
			pcrs[0],
			pcrs[1],
			pcrs[2],
			None,
			debug,
		)
	}

	fn id_of(pcrs: [Pcr; 3]) -> MeasurementId {
		veritas_primitives::measurement_id(&pcrs[0], &pcrs[1], &pcrs[2], None)
	}

	#[test]
	fn by_an_account_hold_a_deposit_released_on_withdrawal_by_the_owner_only() {
		with_dev_chain(|| {
			let pcrs = [pcr(IMAGE, 0), pcr(IMAGE, 1), pcr(IMAGE, 2)];
			let id = id_of(pcrs);
			assert_ok!(register(RuntimeOrigin::signed(ALICE), pcrs, false));
			let reason = RuntimeHoldReason::EnclaveRegistry(HoldReason::MeasurementDeposit);
			assert_eq!(Balances::balance_on_hold(&reason, &ALICE), DEPOSIT);
			assert_noop!(
				EnclaveRegistry::revoke_measurement(RuntimeOrigin::signed(BOB), id),
				Error::<Test>::NotOwner
			);
			assert_ok!(EnclaveRegistry::revoke_measurement(RuntimeOrigin::signed(ALICE), id));
			assert_eq!(Balances::balance_on_hold(&reason, &ALICE), 0);
			// Withdrawn, not revoked: the record is gone, and the PCRs may be registered again.
			assert!(!Measurements::<Test>::contains_key(id));
			assert_noop!(
				EnclaveRegistry::revoke_measurement(RuntimeOrigin::root(), id),
				Error::<Test>::UnknownMeasurement
			);
			assert_ok!(register(RuntimeOrigin::signed(BOB), pcrs, false));
		});
	}

	#[test]
	fn m1_the_same_pcrs_are_one_measurement_whoever_registers_them_first() {
		with_dev_chain(|| {
			let pcrs = [pcr(IMAGE, 0), pcr(IMAGE, 1), pcr(IMAGE, 2)];
			// Eve registers the image's PCRs first: the id is theirs, not a number she took.
			assert_ok!(register(RuntimeOrigin::signed(EVE), pcrs, false));
			assert!(Measurements::<Test>::get(id_of(pcrs)).is_some_and(|m| m.pcr0 == pcrs[0]));
			// Nobody registers them twice, and another image's PCRs get another id.
			assert_noop!(
				register(RuntimeOrigin::signed(ALICE), pcrs, false),
				Error::<Test>::MeasurementExists
			);
			assert_noop!(
				register(RuntimeOrigin::root(), pcrs, false),
				Error::<Test>::MeasurementExists
			);
			let other = [pcr(b"eve's image", 0), pcr(b"eve's image", 1), pcr(b"eve's image", 2)];
			assert_ok!(register(RuntimeOrigin::signed(EVE), other, false));
			assert_ne!(id_of(other), id_of(pcrs));
		});
	}

	#[test]
	fn m1_the_owner_cannot_revoke_a_referenced_measurement() {
		with_dev_chain(|| {
			let pcrs = [pcr(IMAGE, 0), pcr(IMAGE, 1), pcr(IMAGE, 2)];
			let id = id_of(pcrs);
			assert_ok!(register(RuntimeOrigin::signed(EVE), pcrs, false));
			assert_ok!(EnclaveRegistry::acquire_measurement(&id));
			let reason = RuntimeHoldReason::EnclaveRegistry(HoldReason::MeasurementDeposit);
			assert_noop!(
				EnclaveRegistry::revoke_measurement(RuntimeOrigin::signed(EVE), id),
				Error::<Test>::MeasurementInUse
			);
			assert_eq!(Balances::balance_on_hold(&reason, &EVE), DEPOSIT);
			assert!(EnclaveRegistry::is_measurement_active(&id));
		});
	}

	#[test]
	fn m1_governance_revokes_a_referenced_measurement_for_good() {
		with_dev_chain(|| {
			let pcrs = [pcr(IMAGE, 0), pcr(IMAGE, 1), pcr(IMAGE, 2)];
			let id = id_of(pcrs);
			assert_ok!(register(RuntimeOrigin::signed(EVE), pcrs, false));
			assert_ok!(EnclaveRegistry::acquire_measurement(&id));
			assert_ok!(EnclaveRegistry::revoke_measurement(RuntimeOrigin::root(), id));
			// The owner's deposit comes back; the tombstone stays, so the PCRs stay revoked.
			let reason = RuntimeHoldReason::EnclaveRegistry(HoldReason::MeasurementDeposit);
			assert_eq!(Balances::balance_on_hold(&reason, &EVE), 0);
			assert!(!EnclaveRegistry::is_measurement_active(&id));
			assert_noop!(
				register(RuntimeOrigin::signed(ALICE), pcrs, false),
				Error::<Test>::MeasurementExists
			);
			fails(EnclaveRegistry::acquire_measurement(&id), Error::<Test>::MeasurementRevoked);
			assert_noop!(
				EnclaveRegistry::revoke_measurement(RuntimeOrigin::root(), id),
				Error::<Test>::MeasurementRevoked
			);
		});
	}

	#[test]
	fn with_debug_pcrs_only_as_dev_only_debug_ones_where_allowed() {
		let zero = [[0u8; 48]; 3];
		with_dev_chain(|| {
			assert_noop!(register(RuntimeOrigin::root(), zero, false), Error::<Test>::DebugPcrs);
			assert_ok!(register(RuntimeOrigin::root(), zero, true));
			let debug = id_of(zero);
			// A debug enclave's document registers under the debug measurement.
			let request = AttestationRequest {
				public_key: Some(key().to_vec()),
				user_data: Some(user_data_for(&genesis(), &ALICE)),
				nonce: Some(hash_of(19)),
			};
			let zeros = (0u8..16).map(|i| (i, vec![0u8; 48])).collect();
			let doc = DevEnclave::new(ca(), zeros).attest_at(&request, T0).unwrap();
			assert_ok!(EnclaveRegistry::register_enclave(
				RuntimeOrigin::signed(ALICE),
				debug,
				doc.clone().try_into().unwrap()
			));
			// The same debug document is refused under a real measurement.
			let m = measure(IMAGE);
			go_to(21, T0 + 1);
			assert_noop!(
				EnclaveRegistry::register_enclave(
					RuntimeOrigin::signed(ALICE),
					m,
					doc.try_into().unwrap()
				),
				Error::<Test>::MeasurementMismatch
			);
		});
		new_test_ext(vec![], false).execute_with(|| {
			assert_noop!(
				register(RuntimeOrigin::root(), zero, true),
				Error::<Test>::DebugNotAllowed
			);
		});
	}

	#[test]
	fn and_roots_are_managed_by_governance_only() {
		with_dev_chain(|| {
			assert!(EnclaveRegistry::add_root(RuntimeOrigin::signed(ALICE), [1; 32]).is_err());
			assert_ok!(EnclaveRegistry::add_root(RuntimeOrigin::root(), [1; 32]));
			assert_noop!(
				EnclaveRegistry::add_root(RuntimeOrigin::root(), [1; 32]),
				Error::<Test>::RootAlreadyTrusted
			);
			assert_ok!(EnclaveRegistry::remove_root(RuntimeOrigin::root(), [1; 32]));
			assert_noop!(
				EnclaveRegistry::remove_root(RuntimeOrigin::root(), [1; 32]),
				Error::<Test>::UnknownRoot
			);
		});
	}
}

mod constants {
	use frame_support::traits::Hooks;

	use super::*;

	#[test]
	fn the_integrity_test_holds_for_the_mock() {
		new_test_ext(vec![], false).execute_with(|| {
			<Pallet<Test> as Hooks<frame_system::pallet_prelude::BlockNumberFor<Test>>>::integrity_test();
		});
	}

	#[test]
	fn constants_that_would_break_the_registry_are_refused() {
		const DAY: u64 = 86_400_000;
		const FIVE_MIN: u64 = 300_000;
		assert_eq!(check_constants(16, 50, DAY, FIVE_MIN, 64), Ok(()));
		let roots = Err("MaxRoots must be between 1 and the verifier's MAX_TRUSTED_ROOTS");
		assert_eq!(check_constants(0, 50, DAY, FIVE_MIN, 64), roots);
		assert_eq!(check_constants(17, 50, DAY, FIVE_MIN, 64), roots);
		assert_eq!(
			check_constants(16, 0, DAY, FIVE_MIN, 64),
			Err("NonceWindow must be at least one block")
		);
		assert_eq!(check_constants(16, 50, DAY, 0, 64), Err("MaxDocumentAgeMs must be positive"));
		assert_eq!(
			check_constants(16, 50, FIVE_MIN, FIVE_MIN, 64),
			Err("KeyLifetimeMs must exceed MaxDocumentAgeMs")
		);
		assert_eq!(check_constants(16, 50, DAY, FIVE_MIN, 0), Err("MaxNameLen must be at least 1"));
	}
}
