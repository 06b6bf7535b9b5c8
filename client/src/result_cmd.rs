//! `veritas result ID [--verify] [--json]`: a verified result read at the latest finalized block,
//! by request id (a number, through the `InferenceReceiptsApi` runtime API) or by receipt id
//! (`0x` hex, from storage).
//!
//! `--verify` trusts no validator: it re-runs, on this machine, with the same verifier crates the
//! runtime runs, every check the chain made of the receipt:
//! - the receipt id is the hash of its statement, and the output commits to the last `c_out`
//!   under the model's output shape (Poseidon, `veritas-primitives`); a receipt without output
//!   values answered a request that keeps its output off chain (the chain accepts an empty output
//!   for no other: every shape holds at least one value), and its `c_n` is checked by
//!   `veritas output` against the output the node gives the salt's holder;
//! - each segment's evidence, against its own statement (chain, subject, the node that submitted
//!   it and its fee, the model by id and by content: the registered file hash and manifest
//!   digest, segment, `c_in`, `c_out`), so evidence made for another node, fee or model content
//!   fails here as it fails on chain; the model's file hash and digest are printed:
//!   - `Tee`: the ed25519 signature by the enclave key, and the key's record on chain (its
//!     measurement, its operator the node). The key itself was registered by the chain from a
//!     Nitro attestation document, which the chain does not keep: that one step rests on the
//!     validators;
//!   - `TeeAttested`: the whole Nitro document (COSE signature, certificate chain to a root the
//!     chain trusts, at the document's time), its `user_data` (the statement) and its PCRs (the
//!     measurement on chain);
//!   - `Zk`: the Groth16 proof of `[c_in, c_out, binding]` under the key stored on chain;
//!   - `None`: nothing to check; the segment rests on the node.
//!
//! Evidence that verifies but rests on development trust anchors (the development CA, whose keys
//! come from a public seed; a debug measurement) is named in `warning:` lines (`"warnings"` in
//! JSON): it proves nothing outside a development chain. The exit code stays 0. Groth16 keys from
//! the public development setup seed are not recognised yet.
//!
//! Exit codes: 0 found (and verified), 1 not found or a check failed (named), 2 a malformed id,
//! 3 the chain could not be read.

use serde_json::{json, Value};
use veritas_primitives::{
	commit, enclave_signing_message, receipt_id, Commitment, Evidence, ReceiptId, SegmentSpec,
	SegmentStatement,
};
use veritas_verifier_groth16::{prepare, verify, PublicInputs, Scalar};
use veritas_verifier_tee_nitro::{check_measurement_with, parse, policy::Measurement};

use veritas_chain::{
	self as chain,
	onchain::{
		self, AtBlock, EnclaveInfo, MeasurementInfo, ModelInfo, RequestStatus, VerifiedResult,
		VkEntry,
	},
};

use crate::{
	files::{hex0x, parse_id},
	Exit,
};

/// Which result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultRef {
	/// The result that answered this request.
	Request(u64),
	/// The result stored under this receipt id.
	Receipt(ReceiptId),
}

impl ResultRef {
	/// A decimal request id or a `0x` receipt id.
	pub fn parse(text: &str) -> Result<Self, Exit> {
		if text.starts_with("0x") {
			return parse_id(text).map(Self::Receipt);
		}
		text.parse().map(Self::Request).map_err(|_| {
			Exit::malformed(format!("{text:?} is neither a request id nor a 0x receipt id"))
		})
	}
}

/// A result as read at one finalized block.
#[derive(Clone, Debug)]
pub struct Fetched {
	/// The receipt id.
	pub id: ReceiptId,
	/// The result.
	pub result: VerifiedResult,
	/// The finalized block it was read at.
	pub block_hash: [u8; 32],
	/// The chain's genesis hash.
	pub genesis: [u8; 32],
	/// The model's quantization scale (its manifest's), if the model is still registered: an
	/// output value `v` is the real number `v / scale`.
	pub scale: Option<u32>,
}

/// `output`'s fixed-point values as the real numbers they stand for at `scale` (what the
/// model's float output was, to the quantization's precision).
pub fn dequantized(output: &[i32], scale: u32) -> Vec<f64> {
	output.iter().map(|v| veritas_api::units::dequantize(*v, scale)).collect()
}

/// A result's re-verification: the model content its evidence was checked against, and each
/// segment's check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
	/// The model's registered name.
	pub model_name: String,
	/// The registered model file's SHA-256.
	pub file_hash: [u8; 32],
	/// The registered manifest's content digest (`veritas_primitives::model_digest`).
	pub model_digest: [u8; 32],
	/// Each segment's check.
	pub segments: Vec<SegmentCheck>,
	/// What the checks passed on but a reader should know: evidence resting on development
	/// trust anchors (the development CA, whose keys come from a public seed; a debug
	/// measurement, whose PCRs may be zero), which prove nothing outside a development chain.
	pub warnings: Vec<String>,
}

/// One segment's re-verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentCheck {
	/// The segment index.
	pub segment: usize,
	/// `none`, `tee`, `tee_attested` or `zk`.
	pub kind: &'static str,
	/// What it rests on, for a human.
	pub trusts: String,
}

/// The attestation root a TEE segment rests on, named: AWS's, or another root the chain's
/// governance trusts (e.g. the development CA of a dev chain), which is not AWS.
fn root_named(fingerprint: &[u8; 32]) -> String {
	if *fingerprint == veritas_verifier_tee_nitro::AWS_NITRO_ROOT_G1_FINGERPRINT {
		format!("AWS Nitro root G1 {}", hex0x(fingerprint))
	} else {
		format!("root {} (trusted by this chain; not AWS's)", hex0x(fingerprint))
	}
}

/// Reads the result `which` at the latest finalized block; the connection stays open in `at`.
pub async fn fetch(url: &str, which: ResultRef) -> Result<(AtBlock, Fetched), Exit> {
	let client = chain::connect(url).await?;
	let at = onchain::finalized(&client).await?;
	let (id, result) = match which {
		ResultRef::Request(id) => match onchain::request_status(&at, id).await? {
			RequestStatus::Answered(receipt, result) => (receipt, result),
			RequestStatus::Open { deadline } => {
				return Err(Exit::invalid(format!(
					"request {id} is open until block {deadline}: no verified result yet"
				)))
			},
			RequestStatus::Pruned => {
				return Err(Exit::invalid(format!(
					"request {id} holds no result any more: it expired unanswered, or its \
					 result was pruned after the chain's retention period (its ReceiptVerified \
					 event stays readable at an archive node)"
				)))
			},
			RequestStatus::Unknown => return Err(Exit::invalid(format!("no request {id}"))),
		},
		ResultRef::Receipt(id) => match onchain::result_by_id(&at, &id).await? {
			Some(result) => (id, result),
			None => {
				return Err(Exit::invalid(format!(
					"no verified result {} (never verified, or pruned after the retention period)",
					hex0x(&id)
				)))
			},
		},
	};
	let scale = onchain::model(&at, result.receipt.model).await?.map(|m| m.manifest.scale);
	let fetched = Fetched {
		id,
		result,
		block_hash: onchain::block_hash(&at),
		genesis: chain::genesis(&client),
		scale,
	};
	Ok((at, fetched))
}

fn kind_name<D, P>(e: &Evidence<D, P>) -> &'static str {
	e.kind().name()
}

/// `value`, read from the storage item `item` at `key`, which must exist.
fn required<V>(value: Option<V>, item: &str, key: &[u8]) -> Result<V, Exit> {
	value.ok_or_else(|| Exit::invalid(format!("{item} has no entry {}", hex0x(key))))
}

/// Re-verifies `f` as the crate documentation says; the model content and each segment's
/// check, or the first failure (exit 1, naming it).
pub async fn verify_result(at: &AtBlock, f: &Fetched) -> Result<Verification, Exit> {
	let r = &f.result.receipt;
	let fail = |what: String| Exit::invalid(format!("result {}: {what}", hex0x(&f.id)));
	let model: ModelInfo =
		required(onchain::model(at, r.model).await?, "Models.Models", &r.model.to_le_bytes())?;
	let specs = &model.manifest.segments;
	if r.c_out.len() != specs.len() || r.evidence.len() != specs.len() {
		return Err(fail(format!(
			"{} segments in the receipt, {} in the model",
			r.c_out.len(),
			specs.len()
		)));
	}
	let mut commitments = vec![r.c_0];
	commitments.extend(r.c_out.iter().copied());
	if receipt_id(&f.genesis, &r.subject, r.model, &commitments) != f.id {
		return Err(fail("its id is not the hash of its statement".into()));
	}
	if !r.output.is_empty() {
		let output = commit(&model.manifest.output_shape, &r.output)
			.map_err(|e| fail(format!("the output does not fit the model's shape: {e:?}")))?;
		if Some(&output) != r.c_out.last() {
			return Err(fail("the output does not commit to the last c_out".into()));
		}
	}
	let mut checks = Vec::with_capacity(specs.len());
	let mut warnings = Vec::new();
	if model.manifest.development {
		warnings.push(format!(
			"development trust anchor: model {} is marked as made with development keys or images \
			 (the public setup seed, a development enclave image): anyone may make its evidence",
			r.model
		));
	}
	let model_digest = model.manifest.digest();
	let mut c_in = r.c_0;
	for (i, (spec, evidence)) in specs.iter().zip(&r.evidence).enumerate() {
		let statement = SegmentStatement {
			genesis: f.genesis,
			subject: r.subject,
			node: f.result.node,
			fee: r.fee,
			model: r.model,
			file_hash: model.manifest.file_hash,
			model_digest,
			segment: i as u8,
			c_in,
			c_out: r.c_out[i],
		};
		let (trusts, anchors) = check_segment(at, f, spec, evidence, &statement)
			.await
			.map_err(|e| fail(format!("segment {i} ({}): {}", kind_name(evidence), e.message)))?;
		warnings.extend(anchors.into_iter().map(|w| format!("segment {i}: {w}")));
		checks.push(SegmentCheck { segment: i, kind: kind_name(evidence), trusts });
		c_in = r.c_out[i];
	}
	Ok(Verification {
		model_name: String::from_utf8_lossy(&model.manifest.name).into_owned(),
		file_hash: model.manifest.file_hash,
		model_digest,
		segments: checks,
		warnings,
	})
}

/// The warning for evidence verified under the root `fingerprint`, if it is the development CA.
/// A warning when `fingerprint` is a development root: the standard development CA, or a root
/// the chain's genesis marked as one (`EnclaveRegistry.DevelopmentRoots`).
fn dev_root_warning(fingerprint: &[u8; 32], marked: &[[u8; 32]]) -> Option<String> {
	if *fingerprint == veritas_verifier_tee_nitro::DEV_CA_ROOT_FINGERPRINT {
		Some(
			"development trust anchor: the development CA, whose keys come from a public seed \
			 (anyone can make its attestation documents, with any PCRs)"
				.to_string(),
		)
	} else {
		marked.contains(fingerprint).then(|| {
			format!(
				"development trust anchor: root {} is marked for development by this chain's \
				 genesis",
				hex0x(fingerprint)
			)
		})
	}
}

/// The roots the chain's genesis marked as development ones.
async fn development_roots(at: &AtBlock) -> Result<Vec<[u8; 32]>, Exit> {
	Ok(onchain::development_roots(at).await?)
}

async fn check_segment(
	at: &AtBlock,
	f: &Fetched,
	spec: &SegmentSpec,
	evidence: &Evidence<Vec<u8>, veritas_verifier_groth16::Proof>,
	statement: &SegmentStatement,
) -> Result<(String, Vec<String>), Exit> {
	let measurement =
		|| spec.measurement.ok_or_else(|| Exit::invalid("no measurement in the model"));
	match evidence {
		Evidence::None => Ok(("the node alone".into(), Vec::new())),
		Evidence::Tee { key, signature } => {
			let vk = ed25519_zebra::VerificationKey::try_from(*key)
				.map_err(|e| Exit::invalid(format!("enclave key {}: {e}", hex0x(key))))?;
			let message = enclave_signing_message(&statement.signing_payload());
			vk.verify(&ed25519_zebra::Signature::from(*signature), &message)
				.map_err(|e| Exit::invalid(format!("enclave signature: {e}")))?;
			let m = measurement()?;
			let mh = hex0x(&m);
			let info: EnclaveInfo =
				required(onchain::enclave(at, *key).await?, "EnclaveRegistry.Enclaves", key)?;
			if info.measurement != m || info.operator != f.result.node {
				return Err(Exit::invalid(format!(
					"enclave key {} is registered for measurement {} by {}",
					hex0x(key),
					hex0x(&info.measurement),
					hex0x(&info.operator)
				)));
			}
			let marked = development_roots(at).await?;
			let warnings = dev_root_warning(&info.root, &marked).into_iter().collect();
			Ok((
				format!(
				"{} and measurement {mh}, through enclave key {} (registered by the chain from an \
				 attestation document, which the chain does not keep{})",
				root_named(&info.root),
				hex0x(key),
				if info.revoked { "; revoked since for equivocation" } else { "" }
			),
				warnings,
			))
		},
		Evidence::TeeAttested { document } => {
			let m = measurement()?;
			let mh = hex0x(&m);
			let roots = onchain::trusted_roots(at).await?;
			let time = parse(document)
				.map_err(|e| Exit::invalid(format!("attestation document: {e}")))?
				.document
				.timestamp_ms;
			let claims = veritas_verifier_tee_nitro::verify(document, &roots, time)
				.map_err(|e| Exit::invalid(format!("attestation document: {e}")))?;
			if claims.user_data.as_deref() != Some(&statement.attestation_user_data()[..]) {
				return Err(Exit::invalid("the document attests another statement"));
			}
			let info: MeasurementInfo =
				required(onchain::measurement(at, m).await?, "EnclaveRegistry.Measurements", &m)?;
			let expected =
				Measurement { pcr0: info.pcr0, pcr1: info.pcr1, pcr2: info.pcr2, pcr8: info.pcr8 };
			// The chain's own rule (a debug measurement accepts zeroed PCRs, PCR8 compared
			// when pinned).
			check_measurement_with(&claims, &expected, info.debug)
				.map_err(|e| Exit::invalid(format!("measurement {mh}: {e}")))?;
			let mut warnings: Vec<String> =
				dev_root_warning(&claims.root_fingerprint, &development_roots(at).await?)
					.into_iter()
					.collect();
			if info.debug {
				warnings.push(format!(
					"development trust anchor: measurement {mh} is a debug one (an enclave whose \
					 PCRs are zero, whose memory the host can read, matches it)"
				));
			}
			Ok((
				format!(
					"{} and measurement {mh} (PCR0 {}), document verified here",
					root_named(&claims.root_fingerprint),
					hex0x(&info.pcr0[..8])
				),
				warnings,
			))
		},
		Evidence::Zk { proof } => {
			let vk_id = spec.vk.ok_or_else(|| Exit::invalid("no verifying key in the model"))?;
			let entry: VkEntry =
				required(onchain::vk(at, vk_id).await?, "Groth16Verifier.Vks", &vk_id)?;
			let pvk = prepare(&entry.vk)
				.map_err(|e| Exit::invalid(format!("stored key {}: {e:?}", hex0x(&vk_id))))?;
			let scalars = statement
				.zk_public_inputs_le()
				.map_err(|_| Exit::invalid("a commitment is not a BN254 scalar"))?
				.iter()
				.map(|b| Scalar(*b))
				.collect();
			let inputs = PublicInputs::from_scalars(scalars)
				.map_err(|e| Exit::invalid(format!("public inputs: {e:?}")))?;
			verify(&pvk, proof, &inputs).map_err(|e| {
				Exit::invalid(format!("Groth16 proof under {}: {e:?}", hex0x(&vk_id)))
			})?;
			Ok((
				format!(
					"the circuit of Groth16 key {} and its trusted setup, proof verified here",
					hex0x(&vk_id)
				),
				Vec::new(),
			))
		},
	}
}

fn commitment_hex(c: &Commitment) -> String {
	hex0x(&c.0)
}

/// The result as JSON (with the re-verification, if done).
pub fn to_json(f: &Fetched, verified: Option<&Verification>) -> Value {
	let checks = verified.map(|v| &v.segments[..]);
	let r = &f.result.receipt;
	let subject = match r.subject {
		veritas_primitives::Subject::Request(id) => json!({ "request": id }),
		veritas_primitives::Subject::Direct { node, nonce } => {
			json!({ "direct": { "node": hex0x(&node), "nonce": nonce } })
		},
	};
	let segments: Vec<Value> = r
		.evidence
		.iter()
		.zip(&f.result.trust)
		.enumerate()
		.map(|(i, (e, t))| {
			let mut v = json!({
				"segment": i,
				"evidence": kind_name(e),
				"c_out": commitment_hex(&r.c_out[i]),
				"trust": match t {
					onchain::Trust::NodeOnly => json!("node"),
					onchain::Trust::Enclave { measurement } => {
						json!({ "enclave": hex0x(measurement) })
					},
					onchain::Trust::Circuit { vk } => json!({ "circuit": hex0x(vk) }),
				},
			});
			if let Some(c) = checks.and_then(|c| c.get(i)) {
				v["verified_locally"] = json!(c.trusts);
			}
			v
		})
		.collect();
	let mut out = json!({
		"id": hex0x(&f.id),
		"subject": subject,
		"model": r.model,
		"node": hex0x(&f.result.node),
		"fee": r.fee.to_string(),
		"verified_at": f.result.verified_at,
		"read_at": hex0x(&f.block_hash),
		"c_0": commitment_hex(&r.c_0),
		"output": if r.output.is_empty() { json!("committed") } else { json!(r.output) },
		"scale": f.scale,
		"output_real": match f.scale {
			Some(scale) if !r.output.is_empty() => json!(dequantized(&r.output, scale)),
			_ => Value::Null,
		},
		"segments": segments,
		"verdict": if checks.is_some() { "valid" } else { "not re-verified" },
	});
	if let Some(v) = verified {
		out["model_hash"] = json!({
			"name": v.model_name,
			"file_sha256": hex0x(&v.file_hash),
			"digest": hex0x(&v.model_digest),
		});
		out["warnings"] = json!(v.warnings);
	}
	out
}

/// What a segment rests on, as the chain recorded it.
fn trust_text(trust: Option<&onchain::Trust>) -> String {
	match trust {
		Some(onchain::Trust::NodeOnly) => "the node alone".into(),
		Some(onchain::Trust::Enclave { measurement }) => {
			format!("a Nitro root this chain trusts and measurement {}", hex0x(measurement))
		},
		Some(onchain::Trust::Circuit { vk }) => {
			format!("the circuit of Groth16 key {} and its setup", hex0x(vk))
		},
		None => "nothing recorded".into(),
	}
}

/// The result for a human.
pub fn to_text(f: &Fetched, verified: Option<&Verification>) -> String {
	let checks = verified.map(|v| &v.segments[..]);
	let r = &f.result.receipt;
	let mut out = format!(
		"result {} (model {}, node {}, fee {}), verified in block {}; output {}\n",
		hex0x(&f.id),
		r.model,
		hex0x(&f.result.node),
		r.fee,
		f.result.verified_at,
		if r.output.is_empty() {
			"kept off chain (committed: `veritas output`)".to_string()
		} else {
			format!("{:?}", r.output)
		}
	);
	if let (Some(scale), false) = (f.scale, r.output.is_empty()) {
		out.push_str(&format!(
			"output as real numbers (scale {scale}): {:?}\n",
			dequantized(&r.output, scale)
		));
	}
	if let Some(v) = verified {
		out.push_str(&format!(
			"model {} \"{}\": file sha256 {} digest {}\n",
			r.model,
			v.model_name,
			hex0x(&v.file_hash),
			hex0x(&v.model_digest)
		));
	}
	for (i, e) in r.evidence.iter().enumerate() {
		let trusts = checks.and_then(|c| c.get(i)).map(|c| c.trusts.clone()).unwrap_or_else(|| {
			format!("{} (as recorded by the chain)", trust_text(f.result.trust.get(i)))
		});
		out.push_str(&format!("segment {i} ({}): {trusts}\n", kind_name(e)));
	}
	for warning in verified.map(|v| &v.warnings[..]).unwrap_or_default() {
		out.push_str(&format!("warning: {warning}\n"));
	}
	match checks {
		Some(_) => out.push_str(&format!(
			"valid: every check re-run locally at finalized block {}\n",
			hex0x(&f.block_hash)
		)),
		None => out.push_str("not re-verified (use --verify)\n"),
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn outputs_read_as_real_numbers_at_the_model_s_scale() {
		assert_eq!(dequantized(&[256, -128, 0, 3], 256), [1.0, -0.5, 0.0, 3.0 / 256.0]);
		// A scale of 0 (which no registered model has) divides by 1, not by zero.
		assert_eq!(dequantized(&[5], 0), [5.0]);
	}

	#[test]
	fn ids_are_request_numbers_or_receipt_hashes() {
		assert_eq!(ResultRef::parse("42").unwrap(), ResultRef::Request(42));
		let hex = format!("0x{}", "ab".repeat(32));
		assert_eq!(ResultRef::parse(&hex).unwrap(), ResultRef::Receipt([0xab; 32]));
		for bad in ["-1", "0x12", "abc", ""] {
			assert_eq!(ResultRef::parse(bad).unwrap_err().code, 2, "{bad}");
		}
	}

	#[test]
	fn only_aws_root_is_named_aws() {
		let aws = veritas_verifier_tee_nitro::AWS_NITRO_ROOT_G1_FINGERPRINT;
		assert!(root_named(&aws).starts_with("AWS Nitro root G1 0x"));
		let other = root_named(&[7; 32]);
		assert!(!other.starts_with("AWS") && other.contains("not AWS's"), "{other}");
	}
}
