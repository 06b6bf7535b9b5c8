//! `veritas results --model N [--verify] [--json]`: the latest verified results of a model, oldest
//! first, read at the latest finalized block (`InferenceReceipts.LatestResults`; results pruned
//! since they were listed are left out). `--verify` re-verifies each as `veritas result --verify`
//! does and stops at the first that fails (exit 1, naming it).

use serde_json::Value;
use veritas_chain::{self as chain, onchain};
use veritas_primitives::ModelId;

use crate::{
	exit::Exit,
	result_cmd::{self, Fetched, Verification},
};

/// The latest results of `model` at the latest finalized block, each with its re-verification
/// when `verify`.
pub async fn latest(
	url: &str,
	model: ModelId,
	verify: bool,
) -> Result<Vec<(Fetched, Option<Verification>)>, Exit> {
	let client = chain::connect(url).await?;
	let at = onchain::finalized(&client).await?;
	let info = onchain::model(&at, model)
		.await?
		.ok_or_else(|| Exit::invalid(format!("no model {model}")))?;
	let mut out = Vec::new();
	for id in onchain::latest_results(&at, model).await? {
		let Some(result) = onchain::result_by_id(&at, &id).await? else { continue };
		let fetched = Fetched {
			id,
			result,
			block_hash: onchain::block_hash(&at),
			genesis: chain::genesis(&client),
			scale: Some(info.manifest.scale),
		};
		let checks =
			if verify { Some(result_cmd::verify_result(&at, &fetched).await?) } else { None };
		out.push((fetched, checks));
	}
	Ok(out)
}

/// The results as a JSON array of `veritas result --json` objects.
pub fn to_json(results: &[(Fetched, Option<Verification>)]) -> Value {
	Value::Array(results.iter().map(|(f, v)| result_cmd::to_json(f, v.as_ref())).collect())
}

/// The results as text, one `veritas result` block each, or a line saying there are none.
pub fn to_text(model: ModelId, results: &[(Fetched, Option<Verification>)]) -> String {
	if results.is_empty() {
		return format!("no verified results of model {model}\n");
	}
	results.iter().map(|(f, v)| result_cmd::to_text(f, v.as_ref())).collect::<Vec<_>>().join("\n")
}
