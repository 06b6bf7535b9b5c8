//! Runtime-level tests: genesis presets, the transaction extensions clients must sign, and the
//! chain constants clients read.

use crate::{
	genesis_config_presets::{get_preset, preset_names, ENDOWMENT},
	Runtime, RuntimeGenesisConfig, System,
};
use frame_support::traits::Get;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;
use sp_runtime::BuildStorage;

/// Builds the genesis storage of a named preset, as the node does from a chain spec.
fn preset_state(name: &str) -> sp_io::TestExternalities {
	let patch = get_preset(&PresetId::from(name)).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_merge(&mut config, serde_json::from_slice(&patch).unwrap());
	let config: RuntimeGenesisConfig = serde_json::from_value(config).expect("patched config");
	config.build_storage().expect("genesis builds").into()
}

fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
			for (k, v) in p {
				json_merge(b.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(b, p) => *b = p,
	}
}

#[test]
fn the_runtime_offers_the_development_and_local_testnet_presets() {
	let names = preset_names();
	assert!(names.contains(&PresetId::from(DEV_RUNTIME_PRESET)));
	assert!(names.contains(&PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)));
	assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
}

#[test]
fn development_genesis_has_one_validator_and_endowed_accounts() {
	preset_state(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(System::account(&alice).data.free, ENDOWMENT);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice));
	});
}

#[test]
fn local_testnet_genesis_has_four_validators() {
	preset_state(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		assert_eq!(aura.len(), 4);
		let expected: Vec<_> = crate::genesis_config_presets::LOCAL_TESTNET_VALIDATORS
			.iter()
			.map(|(s, _)| s.public())
			.collect();
		let got: Vec<_> = aura.iter().map(|a| sp_core::sr25519::Public::from(a.clone())).collect();
		assert_eq!(got, expected);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
	});
}

#[test]
fn signed_transactions_use_only_standard_extensions_including_the_metadata_hash() {
	// The slot-duration constants are read from storage (pallet_block_time): metadata is built
	// with state, as the node builds it.
	let metadata = sp_io::TestExternalities::default()
		.execute_with(|| Runtime::metadata_at_version(15))
		.expect("metadata v15");
	let frame_metadata::RuntimeMetadataPrefixed(_, frame_metadata::RuntimeMetadata::V15(md)) =
		codec::Decode::decode(&mut &metadata[..]).expect("metadata decodes")
	else {
		panic!("expected metadata v15")
	};
	let names: Vec<_> =
		md.extrinsic.signed_extensions.iter().map(|e| e.identifier.clone()).collect();
	assert_eq!(
		names,
		[
			"AuthorizeCall",
			"CheckNonZeroSender",
			"CheckSpecVersion",
			"CheckTxVersion",
			"CheckGenesis",
			"CheckMortality",
			"CheckNonce",
			"CheckWeight",
			"ChargeTransactionPayment",
			"CheckMetadataHash",
			"WeightReclaim",
		]
	);
}

/// L2: a node cannot unbond before every statement its enclave key may have signed can be
/// reported: the unbonding period covers the key's lifetime and then a discovery window of the
/// longest a request stays open.
#[test]
fn l2_the_bond_stays_slashable_through_the_key_lifetime_and_a_discovery_window() {
	let block_ms = crate::time::MILLI_SECS_PER_BLOCK;
	let unbonding = <Runtime as pallet_settlement::Config>::UnbondingPeriod::get();
	let ttl = <Runtime as pallet_inference_receipts::Config>::MaxTtl::get();
	let key_lifetime_ms = <Runtime as pallet_enclave_registry::Config>::KeyLifetimeMs::get();
	let unbonding_ms = u64::from(unbonding) * block_ms;
	assert!(unbonding_ms >= key_lifetime_ms + u64::from(ttl) * block_ms, "{unbonding_ms} ms");
}

/// M4: an expired enclave key's record may be removed only after the grace in which what it
/// signed can still be reported: at least as long as a request stays open.
#[test]
fn m4_an_expired_key_stays_reportable_for_the_longest_request() {
	let block_ms = crate::time::MILLI_SECS_PER_BLOCK;
	let ttl = <Runtime as pallet_inference_receipts::Config>::MaxTtl::get();
	let grace_ms = <Runtime as pallet_enclave_registry::Config>::KeyGraceMs::get();
	assert!(grace_ms >= u64::from(ttl) * block_ms, "{grace_ms} ms");
}

#[test]
fn blocks_are_six_seconds_and_addresses_use_prefix_42() {
	assert_eq!(crate::time::MILLI_SECS_PER_BLOCK, 6000);
	// The slot duration is read from storage (a genesis may set it): the default, on empty state.
	sp_io::TestExternalities::default().execute_with(|| {
		assert_eq!(pallet_aura::Pallet::<Runtime>::slot_duration(), 6000);
	});
	assert_eq!(<crate::configs::SS58Prefix as Get<u16>>::get(), 42);
	assert_eq!(crate::VERSION.spec_name, "veritas");
}

/// I1: the dev and local presets trust the development CA, and mark it on chain as a development
/// root (clients warn about evidence resting on it); the AWS root is not marked.
#[test]
fn dev_and_local_chains_trust_the_aws_root_and_the_standard_dev_ca_marked_as_development() {
	let dev_ca = veritas_attester::DevCa::standard().expect("the standard dev CA");
	assert_eq!(
		crate::genesis_config_presets::DEV_NITRO_ROOT_FINGERPRINT,
		dev_ca.root_fingerprint()
	);
	for preset in [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET] {
		preset_state(preset).execute_with(|| {
			let roots = pallet_enclave_registry::TrustedRoots::<Runtime>::get();
			assert!(roots.contains(&veritas_verifier_tee_nitro::AWS_NITRO_ROOT_G1_FINGERPRINT));
			assert!(roots.contains(&dev_ca.root_fingerprint()));
			assert!(pallet_enclave_registry::DebugMeasurementsAllowed::<Runtime>::get());
			let development = pallet_enclave_registry::DevelopmentRoots::<Runtime>::get();
			assert_eq!(development.to_vec(), vec![dev_ca.root_fingerprint()]);
		});
	}
}

#[test]
fn a_genesis_block_time_sets_aura_s_slot_and_the_timestamp_s_minimum_period() {
	let patch = get_preset(&PresetId::from(DEV_RUNTIME_PRESET)).expect("preset exists");
	let mut patch: serde_json::Value = serde_json::from_slice(&patch).unwrap();
	// What `veritas-node --dev --dev-block-time 1000` adds to the development preset.
	patch["blockTime"] = serde_json::json!({ "slotDurationMs": 1000 });
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).expect("patched config");
	sp_io::TestExternalities::from(config.build_storage().expect("genesis builds")).execute_with(
		|| {
			assert_eq!(pallet_aura::Pallet::<Runtime>::slot_duration(), 1000);
			assert_eq!(
				<Runtime as pallet_timestamp::Config>::MinimumPeriod::get(),
				500,
				"timestamps may advance by half a slot"
			);
		},
	);
	// The presets themselves keep the production block time.
	preset_state(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Pallet::<Runtime>::slot_duration(), 6000);
	});
}

#[test]
fn every_veritas_pallet_declares_a_storage_version_and_the_genesis_writes_it() {
	use frame_support::traits::{GetStorageVersion, StorageVersion};
	// A pallet that declares none has version 0, as one that declares 0: the five below declare 1.
	fn check<P: GetStorageVersion<InCodeStorageVersion = StorageVersion>>(name: &str, least: u16) {
		assert!(P::in_code_storage_version() >= StorageVersion::new(least), "{name} declares none");
		assert_eq!(P::on_chain_storage_version(), P::in_code_storage_version(), "{name}");
	}
	preset_state(DEV_RUNTIME_PRESET).execute_with(|| {
		check::<crate::Groth16Verifier>("Groth16Verifier", 1);
		check::<crate::EnclaveRegistry>("EnclaveRegistry", 2);
		check::<crate::Models>("Models", 1);
		check::<crate::Settlement>("Settlement", 1);
		check::<crate::InferenceReceipts>("InferenceReceipts", 1);
		check::<crate::BlockTime>("BlockTime", 0);
	});
}

/// The review's M1 scenario on the real runtime: Eve registers an image's PCRs first, Alice's
/// model names them, and Eve can neither switch the model off nor recover her deposit while it
/// does; governance can, and then requests needing the measurement are refused up front.
#[test]
fn m1_a_squatter_cannot_switch_off_a_model_and_revoked_measurements_refuse_requests() {
	use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
	use veritas_primitives::{EvidenceKind, EvidenceSet, SegmentSpec};

	use crate::{Balances, EnclaveRegistry, InferenceReceipts, Models, RuntimeHoldReason};
	type Origin = crate::RuntimeOrigin;

	preset_state(DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let eve = Sr25519Keyring::Eve.to_account_id();
		let alice = Sr25519Keyring::Alice.to_account_id();
		let (pcr0, pcr1, pcr2) = ([1u8; 48], [2u8; 48], [3u8; 48]);
		assert_ok!(EnclaveRegistry::register_measurement(
			Origin::signed(eve.clone()),
			BoundedVec::truncate_from(b"first".to_vec()),
			1,
			pcr0,
			pcr1,
			pcr2,
			None,
			false,
		));
		// The id is the PCRs' digest, so the manifest names the image, whoever registered it.
		let id = veritas_primitives::measurement_id(&pcr0, &pcr1, &pcr2, None);
		let manifest = pallet_models::ModelManifest {
			name: BoundedVec::truncate_from(b"pinned".to_vec()),
			file_hash: [1; 32],
			scale: 256,
			input_shape: BoundedVec::truncate_from(vec![2]),
			output_shape: BoundedVec::truncate_from(vec![1]),
			segments: BoundedVec::truncate_from(vec![SegmentSpec {
				accepts: EvidenceSet::of(&[EvidenceKind::Tee]),
				vk: None,
				measurement: Some(id),
			}]),
			development: false,
		};
		assert_ok!(Models::register_model(Origin::signed(alice.clone()), Box::new(manifest)));
		let reason = RuntimeHoldReason::EnclaveRegistry(
			pallet_enclave_registry::HoldReason::MeasurementDeposit,
		);
		let held = Balances::balance_on_hold(&reason, &eve);
		assert!(held > 0);
		assert_noop!(
			EnclaveRegistry::revoke_measurement(Origin::signed(eve.clone()), id),
			pallet_enclave_registry::Error::<Runtime>::MeasurementInUse
		);
		assert_eq!(Balances::balance_on_hold(&reason, &eve), held);

		let request = || {
			InferenceReceipts::request_inference(
				Origin::signed(alice.clone()),
				0,
				Some(BoundedVec::truncate_from(vec![3, 4])),
				None,
				veritas_primitives::OutputMode::Published,
				BoundedVec::truncate_from(vec![EvidenceKind::Tee]),
				1_000,
				10,
				None,
			)
		};
		assert_ok!(request());
		assert_ok!(EnclaveRegistry::revoke_measurement(Origin::root(), id));
		assert_noop!(request(), pallet_inference_receipts::Error::<Runtime>::MeasurementRevoked);
	});
}
