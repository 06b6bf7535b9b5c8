//! The inference node's HTTP API, as the CLI calls it: JSON bodies posted with the node's API key
//! (if it needs one), answered with a status and a JSON body.

use serde_json::Value;

use crate::Exit;

/// Posts `body` to `node` (`http://host:port`) at `path`, with `api_key` as the bearer token if
/// given; the status and the JSON answer (`Null` if it is not JSON). Exit 3 if the node cannot
/// be reached.
pub async fn post_json(
	node: &str,
	path: &str,
	api_key: Option<String>,
	body: &Value,
) -> Result<(u16, Value), Exit> {
	let url = format!("{}{path}", node.trim_end_matches('/'));
	let body = body.to_string();
	let sent = tokio::task::spawn_blocking(move || -> Result<(u16, String), String> {
		let agent: ureq::Agent = ureq::Agent::config_builder()
			.http_status_as_error(false)
			.timeout_global(Some(std::time::Duration::from_secs(60)))
			.build()
			.into();
		let mut request = agent.post(&url).header("content-type", "application/json");
		if let Some(key) = api_key {
			request = request.header("authorization", &format!("Bearer {key}"));
		}
		let mut response = request.send(body.as_bytes()).map_err(|e| format!("{url}: {e}"))?;
		let status = response.status().as_u16();
		let text = response.body_mut().read_to_string().map_err(|e| format!("{url}: {e}"))?;
		Ok((status, text))
	})
	.await
	.map_err(|e| Exit::unreachable(format!("calling the inference node: {e}")))?;
	let (status, text) = sent.map_err(Exit::unreachable)?;
	Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// The `error` an answer names, or the whole answer.
pub fn error_of(answer: &Value) -> String {
	answer["error"].as_str().map_or_else(|| answer.to_string(), str::to_string)
}
