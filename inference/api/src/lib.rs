//! # `veritas-api`: what clients send the inference node
//!
//! The bodies of `POST /v1/infer`, `POST /v1/requests/{id}/input`,
//! `POST /v1/requests/{id}/output` and `POST /v1/chat/completions`, parsed from JSON and checked (types, ranges, unknown fields,
//! bounds) before the node queues or computes anything, and the
//! names of the evidence kinds (`none`, `tee`, `tee_attested`, `zk`; defined once in
//! `veritas-primitives`). Every refusal is a [`RequestError`] naming the field; nothing here
//! panics on any input (fuzz target in `fuzz/`). [`units`]: float features to the fixed-point
//! integers a model reads, and back, by the one rule the node and every client apply;
//! [`tensor`]: features as a flat array or as nested arrays in the input's natural shape.

use serde_json::{Map, Value};

pub mod tensor;
pub mod units;
pub use tensor::JsonTensor;
use veritas_primitives::{salt::Salt, EvidenceKind};

/// The most input values of one inference request.
pub const MAX_INPUT: usize = 4096;
/// The most segments a policy names.
pub const MAX_POLICY: usize = 16;
/// The most characters one chat completion generates.
pub const MAX_COMPLETION: usize = 512;
/// The completion length when the request gives none.
pub const DEFAULT_COMPLETION: usize = 32;

/// The evidence kind named `none`, `tee`, `tee_attested` or `zk` (the one list of names is
/// [`EvidenceKind::name`], in `veritas-primitives`).
pub fn kind_named(name: &str) -> Option<EvidenceKind> {
	EvidenceKind::from_name(name)
}

/// The name of an evidence kind ([`EvidenceKind::name`]).
pub fn kind_name(kind: EvidenceKind) -> &'static str {
	kind.name()
}

/// Why a request body was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
	/// The body is not a JSON object.
	Json(String),
	/// A field is missing, unknown, of the wrong type or out of range.
	Field(String),
}

impl core::fmt::Display for RequestError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Json(e) => write!(f, "the body is not a JSON object: {e}"),
			Self::Field(e) => f.write_str(e),
		}
	}
}

impl std::error::Error for RequestError {}

fn field(message: impl Into<String>) -> RequestError {
	RequestError::Field(message.into())
}

fn object(body: &[u8]) -> Result<Map<String, Value>, RequestError> {
	match serde_json::from_slice(body) {
		Ok(Value::Object(map)) => Ok(map),
		Ok(_) => Err(RequestError::Json("a JSON object expected".into())),
		Err(e) => Err(RequestError::Json(e.to_string())),
	}
}

fn only_fields(map: &Map<String, Value>, allowed: &[&str]) -> Result<(), RequestError> {
	match map.keys().find(|k| !allowed.contains(&k.as_str())) {
		Some(k) => Err(field(format!("unknown field `{k}` (expected {})", allowed.join(", ")))),
		None => Ok(()),
	}
}

fn array<'a>(v: &'a Value, name: &str, max: usize) -> Result<&'a Vec<Value>, RequestError> {
	let items = v.as_array().ok_or_else(|| field(format!("`{name}` must be an array")))?;
	if items.len() > max {
		return Err(field(format!("`{name}` holds {} items, at most {max}", items.len())));
	}
	Ok(items)
}

/// The input of an inference.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
	/// Fixed-point values, as on chain.
	Fixed(Vec<i32>),
	/// Float features, quantized by the node at the model's scale: a flat array, or nested
	/// arrays in the input tensor's natural shape ([`tensor`]).
	Features(JsonTensor<f32>),
}

/// The `input` (i32 values) or `features` (finite floats) of a body: exactly one of them.
fn input_of(map: &Map<String, Value>) -> Result<Input, RequestError> {
	Ok(match (map.get("input"), map.get("features")) {
		(Some(values), None) => Input::Fixed(
			array(values, "input", MAX_INPUT)?
				.iter()
				.map(|x| {
					x.as_i64()
						.and_then(|x| i32::try_from(x).ok())
						.ok_or_else(|| field(format!("`input` holds {x}, not an i32")))
				})
				.collect::<Result<_, _>>()?,
		),
		(None, Some(values)) => Input::Features(
			tensor::tensor_from_json(values, MAX_INPUT, "a finite number", |x| {
				x.as_f64().map(|x| x as f32).filter(|x| x.is_finite())
			})
			.map_err(|e| field(format!("`features`: {e}")))?,
		),
		_ => return Err(field("give exactly one of `input` and `features`")),
	})
}

/// `POST /v1/infer`: `{"model": ID, "input": [i32…] | "features": [f32…], "policy": [KIND…]}`.
#[derive(Clone, Debug, PartialEq)]
pub struct InferRequest {
	/// The model's id on chain.
	pub model: u32,
	/// The input.
	pub input: Input,
	/// The evidence kind of each segment.
	pub policy: Vec<EvidenceKind>,
}

/// Parses and checks a `POST /v1/infer` body.
pub fn parse_infer(body: &[u8]) -> Result<InferRequest, RequestError> {
	let map = object(body)?;
	only_fields(&map, &["model", "input", "features", "policy"])?;
	let model = map
		.get("model")
		.and_then(Value::as_u64)
		.and_then(|m| u32::try_from(m).ok())
		.ok_or_else(|| field("`model` must be a model id (u32)"))?;
	let input = input_of(&map)?;
	let policy = array(map.get("policy").unwrap_or(&Value::Null), "policy", MAX_POLICY)?
		.iter()
		.map(|k| {
			k.as_str().and_then(kind_named).ok_or_else(|| {
				field(format!(
					"unknown evidence kind {k} in `policy` (none, tee, tee_attested, zk)"
				))
			})
		})
		.collect::<Result<_, _>>()?;
	Ok(InferRequest { model, input, policy })
}

/// `POST /v1/requests/{id}/input`: the input of a request that carries only its commitment
/// `c_0` on chain, sent to the node by its requester, and the salt of `c_0` if the requester
/// salted it.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestInput {
	/// The input.
	pub input: Input,
	/// The salt of the request's commitments ([`Salt::NONE`] if it has none).
	pub salt: Salt,
}

/// Parses and checks a `POST /v1/requests/{id}/input` body:
/// `{"input": [i32…] | "features": [f32…], "salt": "0x…"}`, the salt (optional) as 64 hex digits
/// of a number below the BN254 scalar field's order.
pub fn parse_request_input(body: &[u8]) -> Result<RequestInput, RequestError> {
	let map = object(body)?;
	only_fields(&map, &["input", "features", "salt"])?;
	let salt = match map.get("salt") {
		None | Some(Value::Null) => Salt::NONE,
		Some(Value::String(text)) => parse_salt(text)?,
		Some(_) => return Err(field("`salt` must be a string of 64 hex digits")),
	};
	Ok(RequestInput { input: input_of(&map)?, salt })
}

/// Parses and checks a `POST /v1/requests/{id}/output` body: `{"salt": "0x…"}`, the salt of the
/// request's commitments (required, not zero: a committed output is given only to whoever
/// knows it).
pub fn parse_request_output(body: &[u8]) -> Result<Salt, RequestError> {
	let map = object(body)?;
	only_fields(&map, &["salt"])?;
	let salt = match map.get("salt") {
		Some(Value::String(text)) => parse_salt(text)?,
		_ => return Err(field("`salt` must be a string of 64 hex digits")),
	};
	if salt.is_none() {
		return Err(field("`salt` must not be zero"));
	}
	Ok(salt)
}

/// A salt written as `0x` and 64 hex digits (big-endian), below the BN254 scalar field's order.
pub fn parse_salt(text: &str) -> Result<Salt, RequestError> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	let mut bytes = [0u8; 32];
	hex::decode_to_slice(digits, &mut bytes)
		.map_err(|_| field("`salt` must be 64 hex digits (32 bytes, optionally 0x-prefixed)"))?;
	let salt = Salt(bytes);
	salt.to_field().map_err(|_| field("`salt` is not below the BN254 scalar field's order"))?;
	Ok(salt)
}

/// `POST /v1/chat/completions` (OpenAI's shape, without streaming): what the node uses of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatRequest {
	/// The model named, if any.
	pub model: Option<String>,
	/// The last user message.
	pub prompt: String,
	/// How many characters to generate (`max_tokens` or `max_completion_tokens`).
	pub max_tokens: usize,
}

/// Parses and checks a chat completion body. Fields of OpenAI's API that the node does not use
/// (`temperature`, `user`, …) are accepted and ignored, as OpenAI-compatible servers do;
/// `stream: true` is refused.
pub fn parse_chat(body: &[u8]) -> Result<ChatRequest, RequestError> {
	let map = object(body)?;
	if map.get("stream").is_some_and(|s| s != &Value::Bool(false) && !s.is_null()) {
		return Err(field("`stream`ing is not supported"));
	}
	let model = match map.get("model") {
		None | Some(Value::Null) => None,
		Some(Value::String(m)) => Some(m.clone()),
		Some(_) => return Err(field("`model` must be a string")),
	};
	let messages = array(map.get("messages").unwrap_or(&Value::Null), "messages", 1024)?;
	if messages.is_empty() {
		return Err(field("`messages` must not be empty"));
	}
	let mut prompt = None;
	for (i, m) in messages.iter().enumerate() {
		let content = m["content"]
			.as_str()
			.ok_or_else(|| field(format!("messages[{i}].content must be a string")))?;
		let role = m["role"]
			.as_str()
			.ok_or_else(|| field(format!("messages[{i}].role must be a string")))?;
		if role == "user" {
			prompt = Some(content.to_owned());
		}
	}
	let prompt = prompt.ok_or_else(|| field("no message with role `user` in `messages`"))?;
	let limit = map.get("max_tokens").or_else(|| map.get("max_completion_tokens"));
	let max_tokens = match limit {
		None | Some(Value::Null) => DEFAULT_COMPLETION,
		Some(v) => v
			.as_u64()
			.and_then(|n| usize::try_from(n).ok())
			.filter(|n| (1..=MAX_COMPLETION).contains(n))
			.ok_or_else(|| {
				field(format!("`max_tokens` must be an integer in 1..={MAX_COMPLETION}"))
			})?,
	};
	Ok(ChatRequest { model, prompt, max_tokens })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn kinds_round_trip_by_name() {
		for kind in EvidenceKind::ALL {
			assert_eq!(kind_named(kind_name(kind)), Some(kind));
		}
		assert_eq!(kind_named("ZK"), None);
		assert_eq!(kind_named(""), None);
	}

	#[test]
	fn good_inference_requests() {
		let r =
			parse_infer(br#"{"model": 3, "input": [1, -2, 2147483647], "policy": ["tee", "zk"]}"#)
				.unwrap();
		assert_eq!(r.model, 3);
		assert_eq!(r.input, Input::Fixed(vec![1, -2, i32::MAX]));
		assert_eq!(r.policy, vec![EvidenceKind::Tee, EvidenceKind::Zk]);
		let r = parse_infer(br#"{"model": 0, "features": [0.5, 16], "policy": []}"#).unwrap();
		assert_eq!(
			r.input,
			Input::Features(JsonTensor { shape: vec![2], values: vec![0.5, 16.0] })
		);
		// An image in its natural shape: read row-major, its shape kept for the node to check.
		let r =
			parse_infer(br#"{"model": 0, "features": [[[1, 2], [3, 4]]], "policy": []}"#).unwrap();
		let image = JsonTensor { shape: vec![1, 2, 2], values: vec![1.0, 2.0, 3.0, 4.0] };
		assert_eq!(r.input, Input::Features(image));
	}

	#[test]
	fn bad_inference_requests_name_what_is_wrong() {
		let huge = format!(
			r#"{{"model": 1, "input": [{}], "policy": []}}"#,
			vec!["0"; MAX_INPUT + 1].join(",")
		);
		let cases: &[(&[u8], &str)] = &[
			(b"", "not a JSON object"),
			(b"not json", "not a JSON object"),
			(b"[1, 2]", "not a JSON object"),
			(b"{\"model\": 1, \"input\": [1], \"policy\": [\"tee\"]", "not a JSON object"),
			(br#"{"input": [1], "policy": ["tee"]}"#, "`model`"),
			(br#"{"model": -1, "input": [1], "policy": ["tee"]}"#, "`model`"),
			(br#"{"model": 4294967296, "input": [1], "policy": ["tee"]}"#, "`model`"),
			(br#"{"model": "1", "input": [1], "policy": ["tee"]}"#, "`model`"),
			(br#"{"model": 1, "policy": ["tee"]}"#, "exactly one"),
			(br#"{"model": 1, "input": [1], "features": [1], "policy": ["tee"]}"#, "exactly one"),
			(br#"{"model": 1, "input": [2147483648], "policy": ["tee"]}"#, "not an i32"),
			(br#"{"model": 1, "input": [1.5], "policy": ["tee"]}"#, "not an i32"),
			(br#"{"model": 1, "input": "1", "policy": ["tee"]}"#, "must be an array"),
			(br#"{"model": 1, "features": ["x"], "policy": ["tee"]}"#, "finite"),
			(br#"{"model": 1, "features": [1e39], "policy": ["tee"]}"#, "finite"),
			(br#"{"model": 1, "features": [[1, 2], [3]], "policy": ["tee"]}"#, "ragged"),
			(br#"{"model": 1, "input": [1]}"#, "`policy`"),
			(br#"{"model": 1, "input": [1], "policy": ["fast"]}"#, "unknown evidence kind"),
			(br#"{"model": 1, "input": [1], "policy": [1]}"#, "unknown evidence kind"),
			(br#"{"model": 1, "input": [1], "policy": ["tee"], "fee": 3}"#, "unknown field `fee`"),
			(huge.as_bytes(), "at most 4096"),
		];
		for (body, expected) in cases {
			let e = parse_infer(body).expect_err(&String::from_utf8_lossy(body));
			assert!(e.to_string().contains(expected), "{}: {e}", String::from_utf8_lossy(body));
		}
	}

	#[test]
	fn request_inputs_sent_off_chain() {
		let fixed = |values: Vec<i32>, salt| RequestInput { input: Input::Fixed(values), salt };
		assert_eq!(
			parse_request_input(br#"{"input": [1, -2]}"#),
			Ok(fixed(vec![1, -2], Salt::NONE))
		);
		assert_eq!(
			parse_request_input(br#"{"features": [0.25]}"#),
			Ok(RequestInput {
				input: Input::Features(JsonTensor { shape: vec![1], values: vec![0.25] }),
				salt: Salt::NONE
			})
		);
		let salt = format!("0x00{}", "ab".repeat(31));
		assert_eq!(
			parse_request_input(format!(r#"{{"input": [7], "salt": "{salt}"}}"#).as_bytes()),
			Ok(fixed(vec![7], Salt::from_random([0xab; 31])))
		);
		let huge = format!(r#"{{"input": [{}]}}"#, vec!["0"; MAX_INPUT + 1].join(","));
		let cases: &[(&[u8], &str)] = &[
			(b"", "not a JSON object"),
			(b"[1]", "not a JSON object"),
			(br#"{}"#, "exactly one"),
			(br#"{"input": [1], "features": [1]}"#, "exactly one"),
			(br#"{"input": [2147483648]}"#, "not an i32"),
			(br#"{"input": [null]}"#, "not an i32"),
			(br#"{"features": [1e39]}"#, "finite"),
			(br#"{"input": [1], "model": 3}"#, "unknown field `model`"),
			(br#"{"input": [1], "salt": "0x01"}"#, "64 hex digits"),
			(br#"{"input": [1], "salt": 1}"#, "must be a string"),
			(br#"{"salt": "0x0000000000000000000000000000000000000000000000000000000000000001"}"#, "exactly one"),
			(
				br#"{"input": [1], "salt": "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}"#,
				"not below",
			),
			(
				br#"{"input": [1], "salt": "0x00zz000000000000000000000000000000000000000000000000000000000000"}"#,
				"64 hex digits",
			),
			(huge.as_bytes(), "at most 4096"),
		];
		for (body, expected) in cases {
			let e = parse_request_input(body).expect_err(&String::from_utf8_lossy(body));
			assert!(e.to_string().contains(expected), "{}: {e}", String::from_utf8_lossy(body));
		}
	}

	#[test]
	fn output_requests_need_a_non_zero_salt() {
		let salt = format!("0x00{}", "cd".repeat(31));
		assert_eq!(
			parse_request_output(format!(r#"{{"salt": "{salt}"}}"#).as_bytes()),
			Ok(Salt::from_random([0xcd; 31]))
		);
		let zero = format!(r#"{{"salt": "0x{}"}}"#, "00".repeat(32));
		let cases: &[(&[u8], &str)] = &[
			(b"", "not a JSON object"),
			(br#"{}"#, "must be a string"),
			(br#"{"salt": null}"#, "must be a string"),
			(br#"{"salt": "0x01"}"#, "64 hex digits"),
			(zero.as_bytes(), "must not be zero"),
			(br#"{"salt": "0x01", "output": 1}"#, "unknown field `output`"),
		];
		for (body, expected) in cases {
			let e = parse_request_output(body).expect_err(&String::from_utf8_lossy(body));
			assert!(e.to_string().contains(expected), "{}: {e}", String::from_utf8_lossy(body));
		}
	}

	#[test]
	fn chat_requests() {
		let r = parse_chat(
			br#"{"model": "m", "messages": [{"role": "system", "content": "be brief"},
			{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"},
			{"role": "user", "content": "more"}], "temperature": 0.2, "max_completion_tokens": 9}"#,
		)
		.unwrap();
		assert_eq!(
			r,
			ChatRequest { model: Some("m".into()), prompt: "more".into(), max_tokens: 9 }
		);
		let r = parse_chat(br#"{"messages": [{"role": "user", "content": ""}], "stream": false}"#)
			.unwrap();
		assert_eq!((r.model, r.max_tokens), (None, DEFAULT_COMPLETION));
		let cases: &[(&[u8], &str)] = &[
			(b"", "not a JSON object"),
			(b"{", "not a JSON object"),
			(br#"{"messages": [{"role": "user", "content": "x"}], "stream": true}"#, "stream"),
			(br#"{"messages": []}"#, "must not be empty"),
			(br#"{}"#, "`messages` must be an array"),
			(br#"{"messages": [{"role": "user", "content": 3}]}"#, "content"),
			(br#"{"messages": [{"content": "x"}]}"#, "role"),
			(br#"{"messages": [{"role": "system", "content": "x"}]}"#, "role `user`"),
			(br#"{"messages": [{"role": "user", "content": "x"}], "max_tokens": 0}"#, "max_tokens"),
			(
				br#"{"messages": [{"role": "user", "content": "x"}], "max_tokens": 513}"#,
				"max_tokens",
			),
			(
				br#"{"messages": [{"role": "user", "content": "x"}], "max_tokens": "9"}"#,
				"max_tokens",
			),
			(br#"{"model": 7, "messages": [{"role": "user", "content": "x"}]}"#, "`model`"),
		];
		for (body, expected) in cases {
			let e = parse_chat(body).expect_err(&String::from_utf8_lossy(body));
			assert!(e.to_string().contains(expected), "{}: {e}", String::from_utf8_lossy(body));
		}
	}
}
