//! Every call and every error of the models pallet, on the mock runtime.

use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use frame_system::RawOrigin;
use veritas_primitives::{EvidenceKind, EvidenceSet};

use crate::{mock::*, *};

fn set(kinds: &[EvidenceKind]) -> EvidenceSet {
	EvidenceSet::of(kinds)
}

fn tee() -> SegmentSpec {
	SegmentSpec { accepts: set(&[EvidenceKind::Tee]), vk: None, measurement: Some(MEASUREMENT) }
}

fn zk() -> SegmentSpec {
	SegmentSpec { accepts: set(&[EvidenceKind::Zk]), vk: Some(VK), measurement: None }
}

fn shape(dims: &[u32]) -> Shape {
	BoundedVec::truncate_from(dims.to_vec())
}

/// A three-segment hybrid model: TEE → ZK → TEE.
fn manifest(name: &str) -> ManifestOf<Test> {
	ModelManifest {
		name: BoundedVec::truncate_from(name.as_bytes().to_vec()),
		file_hash: [9; 32],
		scale: 256,
		input_shape: shape(&[1, 64]),
		output_shape: shape(&[1, 10]),
		segments: BoundedVec::truncate_from(vec![tee(), zk(), tee()]),
		development: false,
	}
}

fn register(who: u64, m: ManifestOf<Test>) -> sp_runtime::DispatchResult {
	ModelsPallet::register_model(RuntimeOrigin::signed(who), Box::new(m))
}

fn held(who: u64) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::ModelsPallet(HoldReason::ModelDeposit), &who)
}

fn check_state() {
	ModelsPallet::do_try_state().unwrap();
}

mod register_model {
	use super::*;

	#[test]
	fn stores_a_hybrid_model_holds_its_deposit_and_references_its_key_and_measurement() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			let m = ModelsPallet::model(0).unwrap();
			assert_eq!(
				(m.owner, m.version, m.previous, m.status),
				(ALICE, 1, None, ModelStatus::Active)
			);
			assert_eq!(m.manifest, manifest("digits"));
			assert_eq!(m.deposit, MODEL_DEPOSIT + 3 * SEGMENT_DEPOSIT);
			assert_eq!(held(ALICE), MODEL_DEPOSIT + 3 * SEGMENT_DEPOSIT);
			assert_eq!(Vks::references(&VK), 1);
			// Both TEE segments name the measurement: its owner can no longer revoke it (M1).
			assert_eq!(Measurements::references(&MEASUREMENT), 2);
			assert_eq!(NextModelId::<Test>::get(), 1);
			System::assert_last_event(
				Event::ModelRegistered {
					id: 0,
					owner: ALICE,
					name: BoundedVec::truncate_from(b"digits".to_vec()),
					version: 1,
				}
				.into(),
			);
			check_state();
		});
	}

	#[test]
	fn publishes_the_next_version_of_the_owners_name() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			let mut v2 = manifest("digits");
			v2.file_hash = [10; 32];
			assert_ok!(register(ALICE, v2));
			let m = ModelsPallet::model(1).unwrap();
			assert_eq!((m.version, m.previous), (2, Some(0)));
			assert_eq!(
				Names::<Test>::get(&m.manifest.name),
				Some(NameInfo { owner: ALICE, latest: 1, latest_version: 2, stored: 2 })
			);
			// The first version stays active until deprecated.
			assert!(ModelsPallet::active_model(0).is_ok());
			assert_eq!(Vks::references(&VK), 2);
			check_state();
		});
	}

	#[test]
	fn refuses_a_name_owned_by_another_account() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			assert_noop!(register(BOB, manifest("digits")), Error::<Test>::NameTaken);
			assert_ok!(register(BOB, manifest("bob's digits")));
			check_state();
		});
	}

	#[test]
	fn accepts_every_kind_on_one_segment_with_a_key_and_a_measurement() {
		new_test_ext().execute_with(|| {
			let mut m = manifest("any");
			m.segments = BoundedVec::truncate_from(vec![SegmentSpec {
				accepts: EvidenceSet(0x0f),
				vk: Some(VK),
				measurement: Some(MEASUREMENT),
			}]);
			assert_ok!(register(ALICE, m));
			check_state();
		});
	}

	#[test]
	fn accepts_a_trust_only_model_without_keys_or_measurements() {
		new_test_ext().execute_with(|| {
			let mut m = manifest("trusted");
			m.segments = BoundedVec::truncate_from(vec![SegmentSpec {
				accepts: set(&[EvidenceKind::None]),
				vk: None,
				measurement: None,
			}]);
			assert_ok!(register(ALICE, m));
		});
	}

	/// `edit` applied to the hybrid manifest must fail with `error`, changing nothing.
	fn refuses(edit: impl FnOnce(&mut ManifestOf<Test>), error: Error<Test>) {
		new_test_ext().execute_with(|| {
			let mut m = manifest("digits");
			edit(&mut m);
			assert_noop!(register(ALICE, m), error);
			assert_eq!(Vks::references(&VK), 0);
		});
	}

	#[test]
	fn refuses_an_empty_or_non_utf8_name() {
		refuses(|m| m.name = BoundedVec::new(), Error::<Test>::BadName);
		refuses(|m| m.name = BoundedVec::truncate_from(vec![0xff, 0xfe]), Error::<Test>::BadName);
	}

	#[test]
	fn refuses_a_zero_scale() {
		refuses(|m| m.scale = 0, Error::<Test>::BadScale);
	}

	#[test]
	fn refuses_bad_shapes() {
		refuses(|m| m.input_shape = shape(&[1, 0]), Error::<Test>::BadShape);
		refuses(|m| m.output_shape = shape(&[MAX_TENSOR_LEN + 1]), Error::<Test>::BadShape);
		refuses(|m| m.input_shape = shape(&[64, 64]), Error::<Test>::BadShape);
	}

	#[test]
	fn refuses_a_manifest_without_segments() {
		refuses(|m| m.segments = BoundedVec::new(), Error::<Test>::NoSegments);
	}

	#[test]
	fn refuses_empty_or_unknown_evidence_sets() {
		refuses(|m| m.segments[0].accepts = EvidenceSet(0), Error::<Test>::BadEvidenceSet);
		refuses(|m| m.segments[0].accepts = EvidenceSet(0x12), Error::<Test>::BadEvidenceSet);
	}

	#[test]
	fn refuses_a_zk_segment_without_a_key_and_a_key_without_zk() {
		refuses(|m| m.segments[1].vk = None, Error::<Test>::VkMismatch);
		refuses(|m| m.segments[0].vk = Some(VK), Error::<Test>::VkMismatch);
	}

	#[test]
	fn refuses_an_unknown_key_or_one_with_other_inputs() {
		refuses(|m| m.segments[1].vk = Some([0x01; 32]), Error::<Test>::UnknownVk);
		refuses(|m| m.segments[1].vk = Some(VK_TWO_INPUTS), Error::<Test>::WrongVkInputs);
	}

	#[test]
	fn refuses_a_tee_segment_without_a_measurement_and_a_measurement_without_tee() {
		refuses(|m| m.segments[0].measurement = None, Error::<Test>::MeasurementMismatch);
		refuses(
			|m| m.segments[1].measurement = Some(MEASUREMENT),
			Error::<Test>::MeasurementMismatch,
		);
		refuses(
			|m| {
				m.segments[0].accepts = set(&[EvidenceKind::TeeAttested]);
				m.segments[0].measurement = None;
			},
			Error::<Test>::MeasurementMismatch,
		);
	}

	#[test]
	fn refuses_an_unknown_or_revoked_measurement() {
		refuses(|m| m.segments[2].measurement = Some([99; 32]), Error::<Test>::InactiveMeasurement);
		new_test_ext().execute_with(|| {
			Measurements::set_active(MEASUREMENT, false);
			assert_noop!(register(ALICE, manifest("digits")), Error::<Test>::InactiveMeasurement);
		});
	}

	#[test]
	fn refuses_a_caller_who_cannot_pay_the_deposit() {
		new_test_ext().execute_with(|| {
			assert!(Balances::balance(&POOR) < MODEL_DEPOSIT);
			assert!(register(POOR, manifest("digits")).is_err());
			assert_eq!(ModelsPallet::model(0), None);
			assert_eq!(NextModelId::<Test>::get(), 0);
			check_state();
		});
	}

	#[test]
	fn refuses_an_unsigned_origin() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				ModelsPallet::register_model(RawOrigin::None.into(), Box::new(manifest("digits"))),
				sp_runtime::DispatchError::BadOrigin
			);
		});
	}
}

mod deprecate_model {
	use super::*;

	#[test]
	fn by_the_owner_stops_new_use_and_keeps_the_deposit_until_removal() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			assert_ok!(ModelsPallet::deprecate_model(RuntimeOrigin::signed(ALICE), 0));
			let deposit = MODEL_DEPOSIT + 3 * SEGMENT_DEPOSIT;
			assert_eq!(held(ALICE), deposit, "the record stays, and so does its deposit (M4)");
			let m = ModelsPallet::model(0).unwrap();
			assert_eq!((m.status, m.deposit), (ModelStatus::Deprecated, deposit));
			assert!(matches!(ModelsPallet::active_model(0), Err(Error::<Test>::ModelDeprecated)));
			// The record and its key reference stay: results remain re-verifiable.
			assert_eq!(Vks::references(&VK), 1);
			System::assert_last_event(Event::ModelDeprecated { id: 0 }.into());
			check_state();
		});
	}

	#[test]
	fn by_governance_works_on_any_model() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			assert_ok!(ModelsPallet::deprecate_model(RawOrigin::Root.into(), 0));
			assert_eq!(ModelsPallet::model(0).unwrap().status, ModelStatus::Deprecated);
			check_state();
		});
	}

	#[test]
	fn refuses_another_account_twice_and_unknown_ids() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			assert_noop!(
				ModelsPallet::deprecate_model(RuntimeOrigin::signed(BOB), 0),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				ModelsPallet::deprecate_model(RuntimeOrigin::signed(ALICE), 1),
				Error::<Test>::UnknownModel
			);
			assert_ok!(ModelsPallet::deprecate_model(RuntimeOrigin::signed(ALICE), 0));
			assert_noop!(
				ModelsPallet::deprecate_model(RuntimeOrigin::signed(ALICE), 0),
				Error::<Test>::ModelDeprecated
			);
			assert!(matches!(ModelsPallet::active_model(7), Err(Error::<Test>::UnknownModel)));
			check_state();
		});
	}

	#[test]
	fn leaves_later_versions_active() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			assert_ok!(register(ALICE, manifest("digits")));
			assert_ok!(ModelsPallet::deprecate_model(RuntimeOrigin::signed(ALICE), 0));
			assert!(ModelsPallet::active_model(1).is_ok());
			assert_eq!(held(ALICE), 2 * (MODEL_DEPOSIT + 3 * SEGMENT_DEPOSIT));
			check_state();
		});
	}
}

/// M4 of the security review: a deprecated model's record and deposit stay until the model is
/// removed, which needs it unused; removal releases its references and frees a name without
/// versions.
mod remove_model {
	use super::*;

	fn deprecated(who: u64, name: &str) -> ModelId {
		let id = NextModelId::<Test>::get();
		assert_ok!(register(who, manifest(name)));
		assert_ok!(ModelsPallet::deprecate_model(RuntimeOrigin::signed(who), id));
		id
	}

	#[test]
	fn m4_a_deprecated_unused_model_is_removable() {
		new_test_ext().execute_with(|| {
			let free = Balances::balance(&ALICE);
			let id = deprecated(ALICE, "digits");
			assert_eq!((Vks::references(&VK), Measurements::references(&MEASUREMENT)), (1, 2));
			assert_ok!(ModelsPallet::remove_model(RuntimeOrigin::signed(ALICE), id));
			System::assert_last_event(Event::ModelRemoved { id }.into());
			assert_eq!(ModelsPallet::model(id), None);
			assert_eq!(held(ALICE), 0);
			assert_eq!(Balances::balance(&ALICE), free);
			assert_eq!((Vks::references(&VK), Measurements::references(&MEASUREMENT)), (0, 0));
			// The name had no other version: it is free again, for anyone.
			assert_eq!(Names::<Test>::iter().count(), 0);
			assert_ok!(register(BOB, manifest("digits")));
			assert_eq!(ModelsPallet::model(id + 1).unwrap().version, 1);
			check_state();
		});
	}

	#[test]
	fn m4_an_active_or_used_model_is_not_removable() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			assert_noop!(
				ModelsPallet::remove_model(RuntimeOrigin::signed(ALICE), 0),
				Error::<Test>::NotDeprecated
			);
			assert_ok!(ModelsPallet::deprecate_model(RuntimeOrigin::signed(ALICE), 0));
			Usage::set(0, true);
			assert_noop!(
				ModelsPallet::remove_model(RuntimeOrigin::signed(ALICE), 0),
				Error::<Test>::ModelInUse
			);
			assert_noop!(
				ModelsPallet::remove_model(RuntimeOrigin::signed(BOB), 0),
				Error::<Test>::NotOwner
			);
			Usage::set(0, false);
			// Governance may remove any deprecated, unused model.
			assert_ok!(ModelsPallet::remove_model(RawOrigin::Root.into(), 0));
			assert_noop!(
				ModelsPallet::remove_model(RawOrigin::Root.into(), 0),
				Error::<Test>::UnknownModel
			);
			check_state();
		});
	}

	#[test]
	fn m4_the_next_version_follows_a_removed_latest() {
		new_test_ext().execute_with(|| {
			assert_ok!(register(ALICE, manifest("digits")));
			let v2 = deprecated(ALICE, "digits");
			assert_ok!(ModelsPallet::remove_model(RuntimeOrigin::signed(ALICE), v2));
			// Version 1 is still stored: the name stays Alice's, and numbering goes on.
			assert_noop!(register(BOB, manifest("digits")), Error::<Test>::NameTaken);
			assert_ok!(register(ALICE, manifest("digits")));
			let v3 = ModelsPallet::model(v2 + 1).unwrap();
			assert_eq!((v3.version, v3.previous), (3, Some(v2)));
			check_state();
		});
	}
}

/// L1 of the security review: a model naming another account's key pays that key's deposit
/// too, so that the key's storage stays paid for when its owner unregisters it (it lives on,
/// orphaned, while the model names it); the model's own owner's key costs nothing more.
mod foreign_keys {
	use super::*;

	#[test]
	fn l1_another_accounts_model_pays_for_the_key_it_names() {
		new_test_ext().execute_with(|| {
			let own = MODEL_DEPOSIT + 3 * SEGMENT_DEPOSIT;
			// VK is Alice's: Bob's model pays for it, once however many segments name it.
			assert_ok!(register(BOB, manifest("bobs")));
			assert_eq!(held(BOB), own + VK_DEPOSIT);
			assert_eq!(ModelsPallet::model(0).unwrap().deposit, own + VK_DEPOSIT);
			// Alice's own model names her own key: no more than the model's deposit.
			assert_ok!(register(ALICE, manifest("alices")));
			assert_eq!(held(ALICE), own);
			// An orphan (unregistered by its owner) is no one's: a new model pays for it.
			Vks::register_owned(VK, 3, None);
			assert_ok!(register(ALICE, manifest("alices")));
			assert_eq!(held(ALICE), 2 * own + VK_DEPOSIT);
			// Removal gives the whole deposit back.
			assert_ok!(ModelsPallet::deprecate_model(RuntimeOrigin::signed(BOB), 0));
			assert_ok!(ModelsPallet::remove_model(RuntimeOrigin::signed(BOB), 0));
			assert_eq!(held(BOB), 0);
			check_state();
		});
	}
}
