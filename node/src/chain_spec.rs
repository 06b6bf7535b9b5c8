//! The chain specifications the node knows by name, built from the runtime's genesis presets.

use sc_service::ChainType;
use veritas_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};

/// A chain specification of the Veritas runtime (no extensions).
pub(crate) type ChainSpec = sc_service::GenericChainSpec;

/// The properties every client reads to format balances and addresses.
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

/// A chain spec named `name` (id `id`) from the runtime preset `preset`.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| "the runtime's WASM binary was not built".to_string())?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `--dev`: one validator (Alice) that produces and finalizes blocks alone, every six seconds,
/// or every `block_time_ms` (written into the genesis as `blockTime.slotDurationMs`).
pub(crate) fn development_chain_spec(block_time_ms: Option<u64>) -> Result<ChainSpec, String> {
	let Some(ms) = block_time_ms else {
		return from_preset(
			"Veritas Development",
			"veritas_dev",
			ChainType::Development,
			sp_genesis_builder::DEV_RUNTIME_PRESET,
		);
	};
	let wasm = WASM_BINARY.ok_or_else(|| "the runtime's WASM binary was not built".to_string())?;
	let mut genesis = sc_chain_spec::GenesisConfigBuilderRuntimeCaller::<()>::new(wasm)
		.get_named_preset(Some(&sp_genesis_builder::DEV_RUNTIME_PRESET.to_string()))?;
	genesis["blockTime"] = serde_json::json!({ "slotDurationMs": ms });
	Ok(ChainSpec::builder(wasm, None)
		.with_name("Veritas Development")
		.with_id("veritas_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(genesis)
		.with_properties(properties())
		.build())
}

/// `--chain local`: four validators (Alice, Bob, Charlie, Dave) on one machine.
pub(crate) fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Veritas Local Testnet",
		"veritas_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// The chain spec for a `--chain` value: `dev`, `local`, or the path of a JSON chain spec;
/// `dev_block_time_ms` (`--dev-block-time`) applies to `dev` only.
pub(crate) fn load(
	id: &str,
	dev_block_time_ms: Option<u64>,
) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	if dev_block_time_ms.is_some() && !matches!(id, "dev" | "") {
		return Err(format!(
			"--dev-block-time applies to the development chain (--dev) only, not to {id}"
		));
	}
	Ok(match id {
		"dev" | "" => Box::new(development_chain_spec(dev_block_time_ms)?),
		"local" => Box::new(local_chain_spec()?),
		path => Box::new(
			ChainSpec::from_json_file(std::path::PathBuf::from(path))
				.map_err(|e| format!("invalid chain spec {path}: {e}"))?,
		),
	})
}
