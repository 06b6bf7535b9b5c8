//! An inference node's side of receipts, for the end-to-end tests and the load benchmark: dense
//! segments run with `veritas-prover`'s exact integer semantics, committed, signed by a
//! registered enclave key or proved with Groth16, and submitted through `veritas-client`.

use anyhow::{anyhow, Context, Result};
use codec::Encode;
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use subxt_signer::sr25519::Keypair;
use veritas_attester::{pcrs_for_image, AttestationRequest, Attester, DevCa, DevEnclave};
use veritas_chain::{
	self as chain,
	onchain::{self, Receipt},
	pallets, ChainError, Client, EncodedArgs, EncodedCall, Finalized,
};
use veritas_primitives::{
	enclave_signing_message, salt::Salt, Evidence, SegmentStatement, Subject,
};
use veritas_prover::{prove, Dense, Salts, SegmentKeys, ZkSegment};
use veritas_verifier_groth16::Proof;

/// One segment of a model: its layer, and the Groth16 keys if it is proved (otherwise the
/// enclave signs it).
#[derive(Clone, Debug)]
pub struct Segment {
	/// The layer and its shapes.
	pub dense: ZkSegment,
	/// The proving keys of a ZK segment.
	pub zk: Option<SegmentKeys>,
}

/// A registered model as the node runs it.
#[derive(Clone, Debug)]
pub struct Model {
	/// Its id on chain.
	pub id: u32,
	/// Its registered file hash.
	pub file_hash: [u8; 32],
	/// Its registered manifest's content digest.
	pub digest: [u8; 32],
	/// Its segments.
	pub segments: Vec<Segment>,
}

impl Model {
	/// Model `id` as the chain registered it (at the latest finalized block), run as `segments`.
	pub async fn registered(client: &Client, id: u32, segments: Vec<Segment>) -> Result<Self> {
		let at = onchain::finalized(client).await?;
		let info = onchain::model(&at, id)
			.await?
			.with_context(|| format!("model {id} is not registered"))?;
		let (file_hash, digest) = (info.manifest.file_hash, info.manifest.digest());
		Ok(Self { id, file_hash, digest, segments })
	}
}

/// A dense segment `inputs → outputs` with shapes `[inputs]`, `[outputs]`.
pub fn dense(inputs: usize, outputs: usize, weights: Vec<i32>, bias: Vec<i32>) -> ZkSegment {
	let layer = Dense::new(inputs, outputs, weights, bias).expect("a well-formed layer");
	ZkSegment::new(veritas_prover::Segment::dense(layer), vec![inputs as u32], vec![outputs as u32])
		.expect("fitting shapes")
}

/// The three layers of the hybrid test model: 4 → 4, 4 → 3, 3 → 2.
pub fn hybrid_layers() -> [ZkSegment; 3] {
	[
		dense(4, 4, vec![1, 0, 0, 2, 0, 1, -1, 0, 3, 0, 1, 0, 0, -2, 0, 1], vec![1, 2, 3, 4]),
		dense(4, 3, vec![2, -1, 0, 1, 0, 3, 1, -2, 1, 1, 1, 1], vec![-5, 0, 5]),
		dense(3, 2, vec![1, 2, 3, -3, -2, -1], vec![7, -7]),
	]
}

/// A dev node on the tests' block time, started and finalizing, its RPC and a subxt client of it.
pub async fn dev_chain(base_path: std::path::PathBuf) -> Result<(crate::Node, crate::Rpc, Client)> {
	dev_chain_with_block_time(base_path, Some(crate::DEV_BLOCK_TIME_MS)).await
}

/// [`dev_chain`] with `--dev-block-time block_time_ms`, or the production block time (`None`).
pub async fn dev_chain_with_block_time(
	base_path: std::path::PathBuf,
	block_time_ms: Option<u64>,
) -> Result<(crate::Node, crate::Rpc, Client)> {
	let node = crate::Node::start_dev_with_block_time(base_path, block_time_ms)?;
	let startup = std::time::Duration::from_secs(180);
	let rpc = node.rpc(startup).await?;
	crate::wait_finalized_at_least(&node, &rpc, 2, startup).await?;
	let client = chain::connect(&node.ws_url()).await?;
	Ok((node, rpc, client))
}

/// Unix time in milliseconds (the inference node's clock).
pub use veritas_service::worker::now_ms;

/// Signs `call` of `pallet` with `who` and waits until it is finalized.
pub async fn signed(
	client: &Client,
	who: &Keypair,
	pallet: &'static str,
	call: &'static str,
	args: Vec<u8>,
) -> Result<Finalized, ChainError> {
	let call = EncodedCall { pallet, call, args: EncodedArgs(args) };
	chain::submit_finalized(client, who, &call).await
}

/// `Sudo.sudo(pallet.call(args))` signed by the sudo key `who`: governance's calls on a dev
/// chain. Fails unless the inner call succeeded (`Sudid { sudo_result: Ok }`).
pub async fn sudo(
	client: &Client,
	who: &Keypair,
	pallet: &'static str,
	call: &'static str,
	args: Vec<u8>,
) -> Result<Finalized> {
	let inner =
		chain::encode_call(client, &EncodedCall { pallet, call, args: EncodedArgs(args) }).await?;
	let landed = signed(client, who, "Sudo", "sudo", inner).await?;
	let result = chain::event_fields(&landed.events, "Sudo", "Sudid")?.context("Sudo.Sudid")?;
	anyhow::ensure!(result.first() == Some(&0), "Sudo: {pallet}.{call} failed: {result:?}");
	Ok(landed)
}

/// `who`'s free balance at the finalized head (`System.Account`: four u32 counters, then the
/// account data, whose first field is `free`).
pub async fn free_balance(client: &Client, who: &[u8; 32]) -> Result<u128> {
	let at = veritas_chain::onchain::finalized(client).await?;
	let info: Option<(u32, u32, u32, u32, u128)> =
		veritas_chain::onchain::fetch_sdk(&at, "System", "Account", Some(who)).await?;
	Ok(info.map_or(0, |(_, _, _, _, free)| free))
}

/// The first field of event `pallet.name` of `landed`, as a u32 (an id).
pub fn event_u32(landed: &Finalized, pallet: &str, name: &str) -> Result<u32> {
	let fields = chain::event_fields(&landed.events, pallet, name)?.context("the event")?;
	Ok(u32::from_le_bytes(fields.get(..4).context("a u32")?.try_into()?))
}

/// The PCR `i` a DevEnclave running `image` reports.
pub fn pcr(image: &[u8], i: u8) -> [u8; 48] {
	pcrs_for_image(image)[&i].clone().try_into().expect("48-byte PCRs")
}

/// `owner` registers the measurement of `image`; returns its id, as the chain's event gives it
/// (checked against the id the node computes from the same image).
pub async fn register_measurement(
	client: &Client,
	owner: &Keypair,
	image: &[u8],
) -> Result<[u8; 32]> {
	let p = |i| pcr(image, i);
	let args = (b"veritas".to_vec(), 1u32, p(0), p(1), p(2), Some(p(8)), false).encode();
	let landed = signed(client, owner, "EnclaveRegistry", "register_measurement", args).await?;
	let fields = chain::event_fields(&landed.events, "EnclaveRegistry", "MeasurementRegistered")?
		.context("the MeasurementRegistered event")?;
	let id: [u8; 32] = fields.get(..32).context("a 32-byte id")?.try_into()?;
	anyhow::ensure!(
		id == veritas_attester::dev_image_measurement_id(image),
		"the chain's measurement id is not the image's"
	);
	Ok(id)
}

/// A DevEnclave running `image` registers `enclave`'s key for `operator` under `measurement`,
/// with `nonce` (a recent block hash).
pub async fn register_enclave(
	client: &Client,
	operator: &Keypair,
	image: &[u8],
	measurement: [u8; 32],
	enclave: &ed25519_zebra::SigningKey,
	nonce: [u8; 32],
) -> Result<()> {
	let genesis = chain::genesis(client);
	let key: [u8; 32] = ed25519_zebra::VerificationKey::from(enclave).into();
	let request = AttestationRequest {
		public_key: Some(key.to_vec()),
		user_data: Some(pallet_enclave_registry::user_data_for(&genesis, &operator.public_key().0)),
		nonce: Some(nonce.to_vec()),
	};
	let document =
		DevEnclave::new(DevCa::standard()?, pcrs_for_image(image)).at(now_ms()).attest(&request)?;
	let args = (measurement, document).encode();
	signed(client, operator, "EnclaveRegistry", "register_enclave", args).await?;
	Ok(())
}

/// `owner` registers a Groth16 key; returns its id.
pub async fn register_vk(client: &Client, owner: &Keypair, keys: &SegmentKeys) -> Result<[u8; 32]> {
	signed(client, owner, "Groth16Verifier", "register_vk", keys.vk.encode()).await?;
	Ok(veritas_verifier_groth16::vk_id(&keys.vk))
}

/// A bonded inference node with a registered enclave key.
#[derive(Clone)]
pub struct InferenceNode {
	/// The chain.
	pub client: Client,
	/// The node operator's account.
	pub signer: Keypair,
	/// The enclave key.
	pub enclave: ed25519_zebra::SigningKey,
	/// The chain's genesis hash.
	pub genesis: [u8; 32],
}

impl InferenceNode {
	/// The honest receipt of `model` on `input` for `subject`: each segment run, committed, and
	/// signed by the enclave or proved.
	pub fn receipt(
		&self,
		model: &Model,
		subject: Subject,
		input: &[i32],
		fee: u128,
	) -> Result<Receipt> {
		let first = model.segments.first().context("a model without segments")?;
		let c_0 = first.dense.commit_input(input, &Salt::NONE).map_err(|e| anyhow!("{e:?}"))?;
		let mut x = input.to_vec();
		let (mut c_in, mut c_out, mut evidence) = (c_0, Vec::new(), Vec::new());
		for (i, segment) in model.segments.iter().enumerate() {
			// Each segment's input commitment is the previous one's output commitment.
			let (y, c) = segment.dense.run(&x, &Salt::NONE).map_err(|e| anyhow!("{e:?}"))?;
			let statement = SegmentStatement {
				genesis: self.genesis,
				subject,
				node: self.signer.public_key().0,
				fee,
				model: model.id,
				file_hash: model.file_hash,
				model_digest: model.digest,
				segment: i as u8,
				c_in,
				c_out: c,
			};
			evidence.push(match &segment.zk {
				Some(keys) => {
					let mut rng = ChaCha20Rng::from_seed(statement.attestation_user_data());
					let proof = prove(keys, &segment.dense, &statement, &x, &Salts::NONE, &mut rng)
						.map_err(|e| anyhow!("{e:?}"))?;
					Evidence::Zk { proof }
				},
				None => self.tee(&statement),
			});
			c_out.push(c);
			c_in = c;
			x = y;
		}
		Ok(Receipt { subject, model: model.id, c_0, c_out, output: x, evidence, fee })
	}

	/// The enclave's signature of `statement`.
	pub fn tee(&self, statement: &SegmentStatement) -> Evidence<Vec<u8>, Proof> {
		let message = enclave_signing_message(&statement.signing_payload());
		Evidence::Tee {
			key: ed25519_zebra::VerificationKey::from(&self.enclave).into(),
			signature: self.enclave.sign(&message).into(),
		}
	}

	/// `submit_receipt(receipt)`, until finalized.
	pub async fn submit(&self, receipt: &Receipt) -> Result<Finalized, ChainError> {
		signed(&self.client, &self.signer, pallets::RECEIPTS, "submit_receipt", receipt.encode())
			.await
	}
}

/// What `veritas request` asks for.
#[derive(Clone, Copy, Debug)]
pub struct CliRequest<'a> {
	/// The model id.
	pub model: u32,
	/// The input values (published on chain).
	pub input: &'a [i32],
	/// The policy, e.g. `tee,zk,tee`.
	pub policy: &'a str,
	/// The most Alice pays.
	pub max_fee: u128,
	/// Blocks the request stays open.
	pub ttl: u32,
	/// `--allow`: the only nodes that may answer (SS58 or `0x`, comma-separated).
	pub allow: Option<&'a str>,
}

/// `veritas request` signed by //Alice (its input written to a file in `dir`); the request id.
pub fn cli_request(dir: &std::path::Path, url: &str, r: CliRequest<'_>) -> Result<u64> {
	let file = dir.join(format!("input-{}-{}.json", r.model, r.policy));
	std::fs::write(&file, serde_json::to_vec(r.input)?)?;
	let (model, max_fee, ttl) = (r.model.to_string(), r.max_fee.to_string(), r.ttl.to_string());
	let mut args = vec![
		"--url",
		url,
		"--suri",
		"//Alice",
		"request",
		"--model",
		&model,
		"--input",
		file.to_str().context("a UTF-8 path")?,
		"--policy",
		r.policy,
		"--max-fee",
		&max_fee,
		"--ttl",
		&ttl,
	];
	if let Some(allow) = r.allow {
		args.extend(["--allow", allow]);
	}
	let (code, out, err) = crate::run_cli(&args)?;
	anyhow::ensure!(code == Some(0), "veritas request: {err}");
	Ok(out.split_whitespace().next().context("a request id")?.parse()?)
}
