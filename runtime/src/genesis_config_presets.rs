//! Genesis presets: `development` (one validator, Alice) and `local_testnet` (four validators,
//! Alice, Bob, Charlie and Dave). The node's chain specs are built from these presets.

use crate::{currency::UNIT, AccountId, BalancesConfig, RuntimeGenesisConfig, SudoConfig};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each endowed development account holds at genesis: one million tokens.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// The validators of the four-validator local network, in authority order: each one's sr25519
/// (Aura) and ed25519 (GRANDPA) development key.
pub const LOCAL_TESTNET_VALIDATORS: [(Sr25519Keyring, Ed25519Keyring); 4] = [
	(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
	(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
	(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
	(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
];

/// SHA-256 of the DER of the standard dev CA's root certificate (`veritas_attester::DevCa::
/// standard()`, whose keys derive from a public seed): trusted by the dev and local presets only,
/// never by a production chain.
pub const DEV_NITRO_ROOT_FINGERPRINT: [u8; 32] =
	veritas_verifier_tee_nitro::DEV_CA_ROOT_FINGERPRINT;

/// A validator's consensus keys: sr25519 for Aura, ed25519 for GRANDPA.
fn authority_keys((aura, grandpa): (Sr25519Keyring, Ed25519Keyring)) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The genesis state of a chain with the given validators, endowed accounts and sudo key.
///
/// Every chain trusts the AWS Nitro root G1; `dev_enclaves` chains also trust the dev CA (marked
/// as a development root, I1) and accept dev-only debug measurements.
fn genesis(
	validators: Vec<(AuraId, GrandpaId)>,
	endowed: Vec<AccountId>,
	root: AccountId,
	dev_enclaves: bool,
) -> Value {
	let mut nitro_roots = vec![veritas_verifier_tee_nitro::AWS_NITRO_ROOT_G1_FINGERPRINT];
	if dev_enclaves {
		nitro_roots.push(DEV_NITRO_ROOT_FINGERPRINT);
	}
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: validators.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: validators
				.into_iter()
				.map(|(_, grandpa)| (grandpa, 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		enclave_registry: pallet_enclave_registry::GenesisConfig {
			roots: nitro_roots,
			allow_debug_measurements: dev_enclaves,
			development_roots: if dev_enclaves {
				vec![DEV_NITRO_ROOT_FINGERPRINT]
			} else {
				Vec::new()
			},
		},
	})
}

/// The well-known development accounts, endowed on dev and local chains.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// The `development` preset: Alice alone produces and finalizes blocks.
pub fn development_config_genesis() -> Value {
	genesis(
		vec![authority_keys(LOCAL_TESTNET_VALIDATORS[0])],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		true,
	)
}

/// The `local_testnet` preset: Alice, Bob, Charlie and Dave validate; any three finalize.
pub fn local_config_genesis() -> Value {
	genesis(
		LOCAL_TESTNET_VALIDATORS.iter().map(|k| authority_keys(*k)).collect(),
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		true,
	)
}

/// The JSON patch of a named preset, if the runtime has it.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
