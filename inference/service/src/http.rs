//! The HTTP API (axum):
//!
//! - `GET /v1/models`: the registered models this node serves;
//! - `POST /v1/infer`: a direct receipt (the public audit log) of a model on an input, with a
//!   policy; answered `202` with the job id once the job is on disk;
//! - `POST /v1/requests/{id}/input`: the input of request `id`, which carries only its
//!   commitment `c_0` on chain, sent by its requester (`{"input": [i32…]}` or `{"features":
//!   [f32…]}`, and `"salt": "0x…"` if `c_0` is salted); checked against `c_0` and everything the
//!   node checks of a request, answered `202` with the job id;
//! - `POST /v1/requests/{id}/output`: the output of request `id`, whose receipt keeps it off
//!   chain, for whoever sends the request's salt (`{"salt": "0x…"}`): `{"output": [i32…],
//!   "output_real": [f64…], "c_n": "0x…", "finalized": bool}`, to check against `c_n` on chain;
//! - `GET /v1/receipts/{job}`: a job's state, its receipt id and output once made (not a
//!   committed output: the settled integers, and `output_real`, the same at the model's scale),
//!   the block once verified on chain;
//!
//! `features` are the input in the model's units, quantized by the node at its scale: a flat
//! array, or nested arrays in the input tensor's natural shape (an image `[c][h][w]`, its batch
//! dimension optional), checked against the manifest's input shape.
//! - `POST /v1/chat/completions`: OpenAI-compatible chat completions in TEE mode (see
//!   [`chat`]);
//! - `GET /metrics`: Prometheus text.
//!
//! Every bad request is a `4xx` with `{"error": "…"}` naming what is wrong, and queues nothing.
//! The routes that make the node work or hand out what a requester owns (`/v1/infer`,
//! `/v1/requests/{id}/input`, `/v1/requests/{id}/output`, `/v1/chat/completions`) go through
//! [`guard`]: the API key if the operator set one, and a rate limit per client address.

use std::sync::Arc;

use crate::{
	chat::{exchange_user_data, sha256, TextModel},
	served::ServedModel,
	worker::{id_of, InputRefusal, OutputRefusal},
	JobState, Service, ServiceError,
};
use axum::{
	body::Bytes,
	extract::{Path, State},
	http::{header, StatusCode},
	middleware,
	response::{IntoResponse, Response},
	routing::{get, post},
	Router,
};
use base64::Engine as _;
use codec::Decode;
use serde_json::{json, Value};
use veritas_api::{
	kind_name, parse_chat, parse_infer, parse_request_input, parse_request_output, Input,
	RequestError,
};
use veritas_chain::onchain::Receipt;
use veritas_primitives::OutputMode;

mod cors;
pub(crate) mod guard;

pub use cors::{BadOrigin, Cors};

/// The service behind the API.
pub(crate) type Shared = Arc<Service<crate::Enclave>>;

/// What the handlers share: the service and the chat backends.
#[derive(Clone)]
pub(crate) struct App {
	/// The service.
	pub(crate) service: Shared,
	/// The built-in text model for chat completions.
	pub(crate) text: Option<Arc<TextModel>>,
	/// An upstream OpenAI-compatible server (`http://host:port`), preferred when set.
	pub(crate) upstream: Option<String>,
	/// The API key and rate limit of the routes that make the node work.
	pub(crate) guard: Arc<guard::Guard>,
	/// The web origins whose pages may call the API (CORS); none: no CORS headers.
	pub(crate) cors: Cors,
}

/// The API's routes.
pub(crate) fn router(app: App) -> Router {
	let work = Router::new()
		.route("/v1/infer", post(infer))
		.route("/v1/requests/{id}/input", post(request_input))
		.route("/v1/requests/{id}/output", post(request_output))
		.route("/v1/chat/completions", post(chat))
		.route_layer(middleware::from_fn_with_state(Arc::clone(&app.guard), guard::guard));
	let cors = app.cors.layer();
	let routes = Router::new()
		.route("/v1/models", get(models))
		.route("/v1/receipts/{job}", get(receipt))
		.route("/metrics", get(metrics))
		.merge(work)
		.with_state(app);
	match cors {
		Some(cors) => routes.layer(cors),
		None => routes,
	}
}

/// A JSON response (serde_json; axum's `json` feature would change serde's features for the
/// whole workspace and rebuild the SDK).
fn json_response(status: StatusCode, body: &Value) -> Response {
	(status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
	json_response(status, &json!({ "error": message.into() }))
}

async fn models(State(App { service, .. }): State<App>) -> Response {
	let list: Vec<Value> = service
		.chain_models()
		.into_iter()
		.map(|(id, m)| {
			json!({
				"id": id,
				"name": m.name,
				"scale": m.manifest.scale,
				"input_shape": m.manifest.input_shape,
				"output_shape": m.manifest.output_shape,
				"segments": m.manifest.segments.iter().map(|s| {
					s.accepts.kinds().map(kind_name).collect::<Vec<_>>()
				}).collect::<Vec<_>>(),
			})
		})
		.collect();
	json_response(StatusCode::OK, &json!({ "models": list }))
}

async fn infer(State(App { service, .. }): State<App>, body: Bytes) -> Response {
	let request = match parse_infer(&body) {
		Ok(request) => request,
		Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
	};
	let Some(served) = service.served(request.model) else {
		return error(
			StatusCode::NOT_FOUND,
			format!("this node serves no model {}", request.model),
		);
	};
	let input = match fixed_input(served, request.input) {
		Ok(input) => input,
		Err(response) => return response,
	};
	let policy = request.policy;
	match service.accept_direct(request.model, input, policy) {
		Ok(job) => json_response(StatusCode::ACCEPTED, &json!({ "job": job })),
		Err(ServiceError::Answer(e)) => error(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
		Err(ServiceError::UnknownModel(id)) => {
			error(StatusCode::NOT_FOUND, format!("this node serves no model {id}"))
		},
		Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
	}
}

/// The fixed-point values of `input` for `served` (float features quantized at its scale).
fn fixed_input(served: &ServedModel, input: Input) -> Result<Vec<i32>, Response> {
	match input {
		Input::Fixed(input) => Ok(input),
		Input::Features(features) => served
			.features_input(&features)
			.map_err(|e| error(StatusCode::UNPROCESSABLE_ENTITY, format!("features: {e}"))),
	}
}

/// The request id of a `/v1/requests/{id}/…` path and its body parsed by `parse`, or the `400`
/// answer naming what is wrong.
fn request_and_body<T>(
	id: &str,
	body: &[u8],
	parse: impl FnOnce(&[u8]) -> Result<T, RequestError>,
) -> Result<(u64, T), Response> {
	let Ok(id) = id.parse::<u64>() else {
		return Err(error(StatusCode::BAD_REQUEST, format!("{id:?} is not a request id")));
	};
	parse(body).map(|t| (id, t)).map_err(|e| error(StatusCode::BAD_REQUEST, e.to_string()))
}

async fn request_input(
	State(App { service, .. }): State<App>,
	Path(id): Path<String>,
	body: Bytes,
) -> Response {
	let (id, input) = match request_and_body(&id, &body, parse_request_input) {
		Ok(parsed) => parsed,
		Err(refused) => return refused,
	};
	match service.accept_request_input(id, input).await {
		Ok(job) => json_response(StatusCode::ACCEPTED, &json!({ "job": job })),
		Err(ServiceError::InputRefused(r)) => {
			let status = match &r {
				InputRefusal::UnknownRequest(_) | InputRefusal::NotServed(_) => {
					StatusCode::NOT_FOUND
				},
				InputRefusal::InputOnChain(_) | InputRefusal::AlreadyAccepted(_) => {
					StatusCode::CONFLICT
				},
				InputRefusal::NotTaken { reason: "not_allowed", .. } => StatusCode::FORBIDDEN,
				InputRefusal::NotTaken { .. }
				| InputRefusal::SaltRequired(_)
				| InputRefusal::CommitmentMismatch { .. }
				| InputRefusal::Features(_) => StatusCode::UNPROCESSABLE_ENTITY,
			};
			error(status, r.to_string())
		},
		Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
	}
}

async fn request_output(
	State(App { service, .. }): State<App>,
	Path(id): Path<String>,
	body: Bytes,
) -> Response {
	let (id, salt) = match request_and_body(&id, &body, parse_request_output) {
		Ok(parsed) => parsed,
		Err(refused) => return refused,
	};
	match service.committed_output(id, &salt) {
		Ok(out) => json_response(
			StatusCode::OK,
			&json!({
				"output": out.output,
				"output_real": out.output_real,
				"c_n": format!("0x{}", hex::encode(out.c_n.0)),
				"finalized": out.finalized,
			}),
		),
		Err(ServiceError::OutputRefused(r)) => {
			let status = match &r {
				OutputRefusal::UnknownRequest(_) => StatusCode::NOT_FOUND,
				OutputRefusal::WrongSalt(_) => StatusCode::FORBIDDEN,
				OutputRefusal::Published(_) | OutputRefusal::NotReady { .. } => {
					StatusCode::CONFLICT
				},
			};
			error(status, r.to_string())
		},
		Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
	}
}

/// A receipt's id and output: the settled integers, and the same as real numbers at the scale of
/// `model` (when the node serves it).
fn receipt_fields(service: &Shared, model: u32, encoded: &[u8]) -> Value {
	match Receipt::decode(&mut &encoded[..]) {
		Ok(r) => json!({
			"receipt_id": format!("0x{}", hex::encode(id_of(&service.genesis(), &r))),
			"output_real": service.served(model).map(|m| m.dequantize(&r.output)),
			"output": r.output,
		}),
		Err(_) => json!({}),
	}
}

async fn receipt(State(App { service, .. }): State<App>, Path(job): Path<String>) -> Response {
	let Ok(id) = job.parse::<u64>() else {
		return error(StatusCode::BAD_REQUEST, format!("{job:?} is not a job id"));
	};
	let job = match service.queue().get(id) {
		Ok(Some(job)) => job,
		Ok(None) => return error(StatusCode::NOT_FOUND, format!("no job {id}")),
		Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
	};
	let mut out = json!({
		"job": id,
		"model": job.model,
		"attempts": job.attempts,
		"policy": job.policy.iter().map(|k| kind_name(*k)).collect::<Vec<_>>(),
	});
	let (state, extra) = match &job.state {
		JobState::Accepted => ("accepted", json!({})),
		JobState::Ready { receipt } => ("ready", receipt_fields(&service, job.model, receipt)),
		JobState::Submitted { receipt, tx } => {
			let mut v = receipt_fields(&service, job.model, receipt);
			v["tx"] = json!(format!("0x{}", hex::encode(tx)));
			("submitted", v)
		},
		JobState::Finalized { receipt, block } => {
			let mut v = receipt_fields(&service, job.model, receipt);
			v["block"] = json!(format!("0x{}", hex::encode(block)));
			("finalized", v)
		},
		JobState::Failed { reason } => ("failed", json!({ "reason": reason })),
	};
	out["state"] = json!(state);
	if let (Some(o), Some(e)) = (out.as_object_mut(), extra.as_object()) {
		o.extend(e.clone());
		// A committed output is the requester's: only `/v1/requests/{id}/output` gives it.
		if job.output == OutputMode::Committed && o.remove("output").is_some() {
			o.remove("output_real");
			o.insert("output".into(), json!("committed"));
		}
	}
	json_response(StatusCode::OK, &out)
}

async fn metrics(State(App { service, .. }): State<App>) -> Response {
	(
		[(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
		service.metrics().render(),
	)
		.into_response()
}

/// Forwards `body` to the upstream server's `/v1/chat/completions`; its JSON answer.
async fn ask_upstream(upstream: &str, body: Bytes) -> Result<Value, Response> {
	let url = format!("{}/v1/chat/completions", upstream.trim_end_matches('/'));
	let answer = tokio::task::spawn_blocking(move || -> Result<(u16, String), String> {
		let agent: ureq::Agent = ureq::Agent::config_builder()
			.http_status_as_error(false)
			.timeout_global(Some(std::time::Duration::from_secs(120)))
			.build()
			.into();
		let mut response = agent
			.post(&url)
			.header("content-type", "application/json")
			.send(&body[..])
			.map_err(|e| format!("{url}: {e}"))?;
		let status = response.status().as_u16();
		let text = response.body_mut().read_to_string().map_err(|e| format!("{url}: {e}"))?;
		Ok((status, text))
	})
	.await;
	let bad_gateway = |m: String| error(StatusCode::BAD_GATEWAY, m);
	let (status, text) = answer
		.map_err(|e| bad_gateway(format!("upstream: {e}")))?
		.map_err(|e| bad_gateway(format!("upstream: {e}")))?;
	if status != 200 {
		return Err(bad_gateway(format!("upstream answered {status}: {text}")));
	}
	serde_json::from_str(&text).map_err(|e| bad_gateway(format!("upstream's answer: {e}")))
}

/// `POST /v1/chat/completions` (OpenAI's request and response shapes, no streaming): the
/// completion comes from the upstream server when one is configured, else from the built-in
/// text model; either way the enclave attests the exchange, in the extra field `veritas`.
async fn chat(State(app): State<App>, body: Bytes) -> Response {
	let request = match parse_chat(&body) {
		Ok(request) => request,
		Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
	};
	let (prompt, limit) = (&request.prompt, request.max_tokens);
	if app.service.enclave_key().is_none() {
		return error(
			StatusCode::SERVICE_UNAVAILABLE,
			"chat completions are served in TEE mode only, and the enclave key is not registered",
		);
	}
	let mut response = if let Some(upstream) = &app.upstream {
		match ask_upstream(upstream, body.clone()).await {
			Ok(answer) => answer,
			Err(response) => return response,
		}
	} else if let Some(text) = &app.text {
		let completion = match text.complete(prompt, limit) {
			Ok(c) => c,
			Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
		};
		let created = crate::worker::now_ms() / 1000;
		json!({
			"id": format!("chatcmpl-{}", hex::encode(&sha256(&body)[..12])),
			"object": "chat.completion",
			"created": created,
			"model": request.model.as_deref().unwrap_or("text-char-mlp"),
			"choices": [{
				"index": 0,
				"message": { "role": "assistant", "content": completion },
				"finish_reason": "length",
			}],
			"usage": {
				"prompt_tokens": prompt.chars().count(),
				"completion_tokens": limit,
				"total_tokens": prompt.chars().count() + limit,
			},
		})
	} else {
		return error(StatusCode::SERVICE_UNAVAILABLE, "no chat model or upstream configured");
	};
	let Some(content) = response["choices"][0]["message"]["content"].as_str() else {
		return error(StatusCode::BAD_GATEWAY, "the completion has no choices[0].message.content");
	};
	let (request_sha256, completion_sha256) = (sha256(&body), sha256(content.as_bytes()));
	let user_data = exchange_user_data(&request_sha256, &completion_sha256);
	let (document, key) = match app.service.attest(&user_data) {
		Some(Ok(attested)) => attested,
		Some(Err(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
		None => return error(StatusCode::SERVICE_UNAVAILABLE, "no enclave"),
	};
	response["veritas"] = json!({
		"attestation": base64::engine::general_purpose::STANDARD.encode(document),
		"enclave_key": format!("0x{}", hex::encode(key)),
		"request_sha256": format!("0x{}", hex::encode(request_sha256)),
		"completion_sha256": format!("0x{}", hex::encode(completion_sha256)),
	});
	json_response(StatusCode::OK, &response)
}
