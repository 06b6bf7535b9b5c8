//! `veritas output ID --from URL --salt 0x… [--api-key-file FILE]`: the output of request `ID`,
//! whose receipt keeps it off chain (`veritas request --committed-output`), fetched from the
//! inference node that answered it (`POST /v1/requests/{id}/output`) and checked against the
//! verified result's `c_n` at the latest finalized block: it is printed only if `c_n` is the
//! salted commitment to it at the model's output shape (exit 1 otherwise).

use serde_json::{json, Value};
use veritas_chain as chain;
use veritas_primitives::{commit_salted, salt::Salt, RequestId};

use crate::{
	files::hex0x,
	node_api,
	result_cmd::{self, ResultRef},
	Exit,
};

/// Request `id`'s committed output from the node at `node`, checked against the chain at `url`.
pub async fn fetch_output(
	url: &str,
	node: &str,
	api_key: Option<String>,
	id: RequestId,
	salt: &Salt,
) -> Result<Vec<i32>, Exit> {
	let (at, fetched) = result_cmd::fetch(url, ResultRef::Request(id)).await?;
	let receipt = &fetched.result.receipt;
	let c_n = *receipt.c_out.last().ok_or_else(|| Exit::invalid("a receipt without segments"))?;
	let info = chain::onchain::model(&at, receipt.model).await?;
	let shape = info.ok_or_else(|| Exit::invalid(format!("no model {}", receipt.model)))?;
	let shape = shape.manifest.output_shape;

	let body = json!({ "salt": hex0x(&salt.0) });
	let path = format!("/v1/requests/{id}/output");
	let (status, answer) = node_api::post_json(node, &path, api_key, &body).await?;
	if status != 200 {
		return Err(Exit::invalid(format!(
			"the node refused request {id}'s output ({status}): {}",
			node_api::error_of(&answer)
		)));
	}
	let output = values(&answer["output"])
		.ok_or_else(|| Exit::invalid(format!("the node's answer holds no output: {answer}")))?;
	let committed = commit_salted(&shape, &output, salt)
		.map_err(|e| Exit::invalid(format!("the node's output does not fit {shape:?}: {e:?}")))?;
	if committed != c_n {
		return Err(Exit::invalid(format!(
			"the node's output does not commit to request {id}'s c_n {} under this salt",
			hex0x(&c_n.0)
		)));
	}
	Ok(output)
}

/// A JSON array of i32 values.
fn values(v: &Value) -> Option<Vec<i32>> {
	v.as_array()?.iter().map(|x| x.as_i64().and_then(|x| i32::try_from(x).ok())).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn outputs_are_arrays_of_i32() {
		assert_eq!(values(&json!([1, -2, 2147483647])), Some(vec![1, -2, i32::MAX]));
		for bad in [json!(null), json!([1.5]), json!([2147483648i64]), json!({"a": 1})] {
			assert_eq!(values(&bad), None, "{bad}");
		}
	}
}
