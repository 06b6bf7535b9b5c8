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

/// What a chain spec's genesis is built from: a runtime preset, or a preset's JSON as patched here.
enum Genesis<'a> {
	/// The runtime's preset of this name.
	Preset(&'a str),
	/// A full genesis patch.
	Patch(serde_json::Value),
}

/// A chain spec named `name` (id `id`) whose genesis comes from `genesis`.
fn from_genesis(
	name: &str,
	id: &str,
	chain_type: ChainType,
	genesis: Genesis<'_>,
) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| "the runtime's WASM binary was not built".to_string())?;
	let builder = ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_properties(properties());
	Ok(match genesis {
		Genesis::Preset(preset) => builder.with_genesis_config_preset_name(preset),
		Genesis::Patch(patch) => builder.with_genesis_config_patch(patch),
	}
	.build())
}

/// `--dev`: one validator (Alice) that produces and finalizes blocks alone, every six seconds,
/// or every `block_time_ms` (written into the genesis as `blockTime.slotDurationMs`).
pub(crate) fn development_chain_spec(block_time_ms: Option<u64>) -> Result<ChainSpec, String> {
	let preset = sp_genesis_builder::DEV_RUNTIME_PRESET;
	let genesis = match block_time_ms {
		None => Genesis::Preset(preset),
		Some(ms) => {
			let wasm =
				WASM_BINARY.ok_or_else(|| "the runtime's WASM binary was not built".to_string())?;
			let mut patch = sc_chain_spec::GenesisConfigBuilderRuntimeCaller::<()>::new(wasm)
				.get_named_preset(Some(&preset.to_string()))?;
			patch["blockTime"] = serde_json::json!({ "slotDurationMs": ms });
			Genesis::Patch(patch)
		},
	};
	from_genesis("Veritas Development", "veritas_dev", ChainType::Development, genesis)
}

/// `--chain local`: four validators (Alice, Bob, Charlie, Dave) on one machine.
pub(crate) fn local_chain_spec() -> Result<ChainSpec, String> {
	from_genesis(
		"Veritas Local Testnet",
		"veritas_local",
		ChainType::Local,
		Genesis::Preset(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
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
