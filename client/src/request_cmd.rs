//! `veritas request --model ID (--input FILE [--send-input-to URL [--api-key-file FILE]
//! [--salt random|none|HEX]] | --c0 HEX) --policy KINDS --max-fee N [--ttl BLOCKS]
//! [--allow ACCOUNT,…]`: an inference request, its fee escrowed until a verified receipt answers
//! it or the deadline passes.
//!
//! `--input` is a JSON array of the quantized input values (i32): they are published on chain
//! and the runtime commits to them; `--features` is the same input in the model's own units (a
//! JSON array of numbers), quantized here at the model's scale read from the chain
//! (`veritas_api::units`, the rule the node applies to `POST /v1/infer`'s `features`). With `--send-input-to`, the input stays off chain: the
//! request carries only its commitment `c_0` (computed here, at the model's input shape read
//! from the chain), and once the request is finalized the input goes to that inference node's
//! `POST /v1/requests/{id}/input` (with the node's API key if it needs one), which checks it
//! against `c_0`. That `c_0` is salted (`--salt`, by default a fresh random salt, printed): the
//! salt goes to the node with the input and nowhere else, so nobody can find an input with few
//! possible values by committing to every candidate; the node salts the receipt's intermediate
//! commitments too (the output, which the receipt publishes, is not hidden). `--c0` gives only the commitment (`0x` hex, 32 bytes): the input stays off
//! chain and the requester sends it to a node some other way. `--policy` names the
//! evidence kind of each segment, comma-separated (`tee,zk,tee`; kinds `none`, `tee`,
//! `tee_attested`, `zk`), within what the model accepts. `--max-fee` is in the chain's smallest
//! unit. `--allow` names the only nodes that may answer (SS58 addresses or `0x` hex account
//! ids); a policy with a `none` segment must name them, since such a segment rests on the
//! answering node's word alone. `--wait` then waits, block by finalized block, until a verified
//! receipt answers the request, and re-verifies and prints it as `veritas result ID --verify`
//! does (its output also as real numbers at the model's scale); exit 1 if the deadline passes
//! unanswered.

use std::path::Path;

use codec::{Decode, Encode};
use serde_json::Value;
use veritas_primitives::{salt::Salt, Commitment, EvidenceKind, OutputMode, RequestId};

use veritas_api::{kind_named, JsonTensor};
use veritas_chain::{
	self as chain, onchain, onchain::RequestStatus, pallets, EncodedArgs, EncodedCall,
};

use crate::{
	files::{self, parse_id},
	node_api, Exit,
};

/// What to request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
	/// The model version.
	pub model: u32,
	/// The input values, published on chain.
	pub input: Option<Vec<i32>>,
	/// The commitment to the input.
	pub c_0: Option<Commitment>,
	/// Whether the receipt publishes the output or only commits to it.
	pub output: OutputMode,
	/// The evidence kind of each segment.
	pub policy: Vec<EvidenceKind>,
	/// The most the requester pays.
	pub max_fee: u128,
	/// How many blocks the request stays open.
	pub ttl: u32,
	/// The only nodes allowed to answer, if any are named.
	pub allowed_nodes: Option<Vec<[u8; 32]>>,
}

impl Request {
	/// The `request_inference` arguments, SCALE-encoded in order.
	pub fn call_args(&self) -> Vec<u8> {
		(
			self.model,
			&self.input,
			self.c_0,
			self.output,
			&self.policy,
			self.max_fee,
			self.ttl,
			&self.allowed_nodes,
		)
			.encode()
	}
}

/// Parses `--allow`: comma-separated SS58 addresses or `0x` hex account ids, at least one.
pub fn parse_allowed(text: &str) -> Result<Vec<[u8; 32]>, Exit> {
	text.split(',')
		.map(|a| {
			let a = a.trim();
			if a.starts_with("0x") {
				parse_id(a)
			} else {
				a.parse::<subxt::utils::AccountId32>().map(|id| id.0).map_err(|e| {
					Exit::malformed(format!("--allow: {a:?} is not an account (SS58 or 0x): {e}"))
				})
			}
		})
		.collect()
}

/// Exit 2: the file at `path` holds `what`.
fn bad_file(path: &Path, what: &str) -> Exit {
	Exit::malformed(format!("{}: {what}", path.display()))
}

/// The JSON value of the file at `path`.
fn read_json(path: &Path) -> Result<Value, Exit> {
	serde_json::from_slice(&files::read(path)?)
		.map_err(|e| bad_file(path, &format!("not JSON: {e}")))
}

/// Reads a JSON array of i32 input values.
pub fn read_input(path: &Path) -> Result<Vec<i32>, Exit> {
	read_json(path)?
		.as_array()
		.ok_or_else(|| bad_file(path, "must be a JSON array of integers"))?
		.iter()
		.map(|x| {
			x.as_i64()
				.and_then(|x| i32::try_from(x).ok())
				.ok_or_else(|| bad_file(path, &format!("{x} is not an i32")))
		})
		.collect()
}

/// The most feature values read from a file (an input this large travels by its commitment,
/// `--c0`, and goes to the node off chain).
pub const MAX_FEATURES: usize = 1 << 24;

/// Reads a model's input in its own units (e.g. pixel intensities) from `path`, before it is
/// quantized ([`quantize_features`]): a JSON array of numbers, or nested arrays in the input
/// tensor's natural shape (`veritas_api::tensor`).
pub fn read_features(path: &Path) -> Result<JsonTensor<f64>, Exit> {
	veritas_api::tensor::tensor_from_json(
		&read_json(path)?,
		MAX_FEATURES,
		"a number",
		Value::as_f64,
	)
	.map_err(|e| bad_file(path, &e))
}

/// `features` checked against the model's input `shape` (a flat array of as many values, or
/// its natural shape with or without leading 1s) and quantized at `scale` (the model's, from its
/// manifest on chain) by the rule the node applies ([`veritas_api::units::quantize`]); exit 2
/// naming what does not fit.
pub fn quantize_features(
	features: &JsonTensor<f64>,
	scale: u32,
	shape: &[u32],
) -> Result<Vec<i32>, Exit> {
	if !veritas_api::tensor::fits(&features.shape, shape) {
		return Err(Exit::malformed(format!(
			"--features: a tensor of shape {:?} for a model taking {shape:?}",
			features.shape
		)));
	}
	veritas_api::units::quantize_all(&features.values, scale).map_err(|i| {
		Exit::malformed(format!(
			"--features: value {i} ({}) does not fit an i32 at the model's scale {scale}",
			features.values[i]
		))
	})
}

/// Model `model`'s quantization scale and input shape, from its manifest at the latest
/// finalized block.
pub async fn model_input(url: &str, model: u32) -> Result<(u32, Vec<u32>), Exit> {
	let client = chain::connect(url).await?;
	let at = onchain::finalized(&client).await?;
	let info = onchain::model(&at, model).await?;
	let manifest = info.ok_or_else(|| Exit::invalid(format!("no model {model}")))?.manifest;
	Ok((manifest.scale, manifest.input_shape))
}

/// Parses `tee,zk,tee`.
pub fn parse_policy(text: &str) -> Result<Vec<EvidenceKind>, Exit> {
	text.split(',')
		.map(|k| {
			kind_named(k.trim()).ok_or_else(|| {
				Exit::malformed(format!(
					"--policy: unknown evidence kind {k:?} (none, tee, tee_attested, zk)"
				))
			})
		})
		.collect()
}

/// Parses `--c0`.
pub fn parse_commitment(text: &str) -> Result<Commitment, Exit> {
	let c = Commitment(parse_id(text)?);
	c.to_field().map_err(|_| Exit::malformed(format!("--c0 {text}: not a BN254 scalar (≥ r)")))?;
	Ok(c)
}

/// Parses `--salt`: `random` (a fresh 248-bit salt from the OS), `none`, or `0x` and 64 hex
/// digits below the BN254 scalar field's order.
pub fn parse_salt(text: &str) -> Result<Salt, Exit> {
	match text {
		"none" => Ok(Salt::NONE),
		"random" => {
			let mut bytes = [0u8; 31];
			getrandom::getrandom(&mut bytes)
				.map_err(|e| Exit::unreachable(format!("--salt random: {e}")))?;
			Ok(Salt::from_random(bytes))
		},
		hex => veritas_api::parse_salt(hex)
			.map_err(|e| Exit::malformed(format!("--salt {hex}: {e} (or random, none)"))),
	}
}

/// What `request` produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requested {
	/// The request id.
	pub id: RequestId,
	/// The commitment to the input.
	pub c_0: Commitment,
	/// The last block a receipt is accepted.
	pub deadline: u32,
	/// The finalized block.
	pub block_hash: [u8; 32],
}

/// The fields of `InferenceRequested`.
#[derive(Decode)]
struct InferenceRequested {
	id: RequestId,
	_requester: [u8; 32],
	_model: u32,
	c_0: Commitment,
	deadline: u32,
}

/// Submits `request`, signed by `suri`; returns its id once finalized.
pub async fn submit(url: &str, suri: &str, request: &Request) -> Result<Requested, Exit> {
	let call = EncodedCall {
		pallet: pallets::RECEIPTS,
		call: "request_inference",
		args: EncodedArgs(request.call_args()),
	};
	let landed = chain::submit_for_event(url, suri, &call, &["InferenceRequested"]).await?;
	let event = InferenceRequested::decode(&mut &landed.fields[..])
		.map_err(|e| Exit::unreachable(format!("InferenceRequested does not decode: {e}")))?;
	Ok(Requested {
		id: event.id,
		c_0: event.c_0,
		deadline: event.deadline,
		block_hash: landed.block_hash,
	})
}

/// The commitment to `input` at model `model`'s input shape, salted with `salt`.
pub async fn commitment_of(
	url: &str,
	model: u32,
	input: &[i32],
	salt: &Salt,
) -> Result<Commitment, Exit> {
	let client = chain::connect(url).await?;
	let at = chain::onchain::finalized(&client).await?;
	let info = chain::onchain::model(&at, model).await?;
	let info = info.ok_or_else(|| Exit::invalid(format!("no model {model}")))?;
	veritas_primitives::commit_salted(&info.manifest.input_shape, input, salt).map_err(|e| {
		Exit::malformed(format!(
			"--input does not fit model {model}'s input shape {:?}: {e:?}",
			info.manifest.input_shape
		))
	})
}

/// Sends request `id`'s input and the salt of its `c_0` to the inference node at `node`
/// (`POST /v1/requests/{id}/input`, with `api_key` as its bearer token if given); returns the
/// node's job id.
pub async fn send_input(
	node: &str,
	api_key: Option<String>,
	id: RequestId,
	input: &[i32],
	salt: &Salt,
) -> Result<u64, Exit> {
	let mut body = serde_json::json!({ "input": input });
	if !salt.is_none() {
		body["salt"] = Value::String(format!("0x{}", hex::encode(salt.0)));
	}
	let path = format!("/v1/requests/{id}/input");
	let (status, answer) = node_api::post_json(node, &path, api_key, &body).await?;
	match (status, answer["job"].as_u64()) {
		(202, Some(job)) => Ok(job),
		_ => Err(Exit::invalid(format!(
			"the node refused request {id}'s input ({status}): {}",
			node_api::error_of(&answer)
		))),
	}
}

/// How often `--wait` reads the finalized chain again.
const WAIT_POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// Waits until request `id` is answered by a verified receipt in a finalized block; exit 1 when
/// its deadline (`deadline`, a block number) passes unanswered.
pub async fn wait_answered(url: &str, id: RequestId, deadline: u32) -> Result<(), Exit> {
	let client = chain::connect(url).await?;
	loop {
		let at = onchain::finalized(&client).await?;
		match onchain::request_status(&at, id).await? {
			RequestStatus::Answered(..) => return Ok(()),
			RequestStatus::Open { .. } if at.block_number() <= u64::from(deadline) => {},
			RequestStatus::Open { .. } | RequestStatus::Pruned => {
				return Err(Exit::invalid(format!(
					"request {id} expired unanswered (its deadline was block {deadline})"
				)))
			},
			RequestStatus::Unknown => return Err(Exit::invalid(format!("no request {id}"))),
		}
		tokio::time::sleep(WAIT_POLL).await;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn allowed_nodes_parse_from_ss58_or_hex_and_bad_ones_are_usage_errors() {
		let bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
		let bob_hex = "0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48";
		let parsed = parse_allowed(&format!("{bob}, {bob_hex}")).unwrap();
		assert_eq!(parsed[0], parsed[1]);
		assert_eq!(parsed[0][0], 0x8e);
		for bad in ["", "bob", "0x12", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694tz"] {
			let e = parse_allowed(bad).unwrap_err();
			assert_eq!(e.code, 2, "{bad:?}: {e:?}");
		}
	}

	#[test]
	fn features_fit_the_model_s_shape_flat_or_natural_and_quantize_at_its_scale() {
		let image = JsonTensor { shape: vec![2, 1, 2], values: vec![0.5, -1.0, 0.25, 2.0] };
		assert_eq!(quantize_features(&image, 4, &[1, 2, 1, 2]).unwrap(), [2, -4, 1, 8]);
		let flat = JsonTensor { shape: vec![4], values: image.values };
		assert_eq!(quantize_features(&flat, 4, &[1, 2, 1, 2]).unwrap(), [2, -4, 1, 8]);
		for (shape, model) in [(&[1, 2, 2][..], &[1, 2, 1, 2][..]), (&[4], &[1, 5])] {
			let t = JsonTensor { shape: shape.to_vec(), values: vec![0.0; 4] };
			let e = quantize_features(&t, 4, model).unwrap_err();
			assert!(e.code == 2 && e.message.contains("shape"), "{e:?}");
		}
		let huge = JsonTensor { shape: vec![1], values: vec![1e12] };
		assert_eq!(quantize_features(&huge, 256, &[1, 1]).unwrap_err().code, 2);
	}

	#[test]
	fn policies_parse_and_unknown_kinds_are_usage_errors() {
		assert_eq!(
			parse_policy("tee, zk,tee_attested,none").unwrap(),
			vec![
				EvidenceKind::Tee,
				EvidenceKind::Zk,
				EvidenceKind::TeeAttested,
				EvidenceKind::None
			]
		);
		assert_eq!(parse_policy("tee,snark").unwrap_err().code, 2);
		assert_eq!(parse_policy("").unwrap_err().code, 2);
	}

	#[test]
	fn salts_are_random_none_or_canonical_hex_and_others_are_usage_errors() {
		assert_eq!(parse_salt("none").unwrap(), Salt::NONE);
		let (a, b) = (parse_salt("random").unwrap(), parse_salt("random").unwrap());
		assert!(!a.is_none() && a != b, "fresh salts");
		assert_eq!(a.0[0], 0, "248 bits: always below r");
		let hex = format!("0x{}", "00".repeat(31) + "09");
		assert_eq!(parse_salt(&hex).unwrap().0[31], 9);
		for bad in ["", "0x09", "Random", &format!("0x{}", "ff".repeat(32))] {
			assert_eq!(parse_salt(bad).unwrap_err().code, 2, "{bad:?}");
		}
	}

	#[test]
	fn commitments_must_be_canonical_scalars() {
		assert!(parse_commitment(&format!("0x{}", "00".repeat(31) + "07")).is_ok());
		assert_eq!(parse_commitment(&format!("0x{}", "ff".repeat(32))).unwrap_err().code, 2);
		assert_eq!(parse_commitment("0x1234").unwrap_err().code, 2);
	}

	#[test]
	fn inputs_are_json_arrays_of_i32() {
		let dir = std::env::temp_dir().join(format!("veritas-input-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let file = |name: &str, text: &str| {
			let p = dir.join(name);
			std::fs::write(&p, text).unwrap();
			p
		};
		assert_eq!(
			read_input(&file("ok.json", "[1, -2, 2147483647]")).unwrap(),
			vec![1, -2, i32::MAX]
		);
		for (name, text) in
			[("big", "[2147483648]"), ("float", "[1.5]"), ("object", "{}"), ("text", "[\"1\"]")]
		{
			assert_eq!(read_input(&file(name, text)).unwrap_err().code, 2, "{name}");
		}
	}

	#[test]
	fn the_call_arguments_follow_the_runtime_s_order() {
		let r = Request {
			model: 7,
			input: None,
			c_0: Some(Commitment([0; 32])),
			output: OutputMode::Committed,
			policy: vec![EvidenceKind::Tee],
			max_fee: 5,
			ttl: 9,
			allowed_nodes: None,
		};
		let args = r.call_args();
		assert_eq!(&args[..4], &7u32.to_le_bytes());
		assert_eq!(args[4], 0, "no input");
		assert_eq!(args[5], 1, "Some(c_0)");
		assert_eq!(args[38], 1, "OutputMode::Committed");
		assert_eq!(args.len(), 4 + 1 + 33 + 1 + 2 + 16 + 4 + 1);
		assert_eq!(&args[args.len() - 5..args.len() - 1], &9u32.to_le_bytes());
		assert_eq!(args[args.len() - 1], 0, "no allowed nodes named");
		let named = Request { allowed_nodes: Some(vec![[3; 32]]), ..r }.call_args();
		assert_eq!(&named[args.len() - 1..args.len() + 2], &[1, 4, 3], "Some, one account");
		assert_eq!(named.len(), args.len() + 1 + 32);
	}
}
