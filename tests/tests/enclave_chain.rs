//! Nitro attestation on the dev chain, end to end: a DevEnclave (the real Nitro document format,
//! signed by the standard dev CA the dev chain spec trusts) registers its key with a fresh nonce;
//! the key is valid through the runtime API; the same document replayed is refused; after the
//! measurement is withdrawn the key is no longer valid and new documents under it are refused; a
//! real document from Nitro hardware verifies offline at its own time but is refused by the
//! chain as stale.

use std::{path::Path, time::Duration};

use anyhow::{Context, Result};
use codec::Encode;
use subxt_rpcs::rpc_params;
use veritas_attester::{pcrs_for_image, AttestationRequest, Attester, DevCa, DevEnclave};
use veritas_chain::{self as chain, EncodedArgs, EncodedCall};
use veritas_tests::{hex32, receipts::now_ms, run_cli, wait_finalized_at_least, Node, Rpc};

const STARTUP: Duration = Duration::from_secs(180);
const PALLET: &str = "EnclaveRegistry";
const IMAGE: &[u8] = b"veritas digits-mlp server 1.0";

fn pcr(i: u8) -> [u8; 48] {
	pcrs_for_image(IMAGE)[&i].clone().try_into().unwrap()
}

/// `EnclaveRegistryApi::is_key_valid(key, measurement)` through `state_call`.
async fn is_key_valid(rpc: &Rpc, key: [u8; 32], measurement: [u8; 32]) -> Result<bool> {
	let args = format!("0x{}", hex::encode((key, measurement).encode()));
	let out = rpc.call("state_call", rpc_params!["EnclaveRegistryApi_is_key_valid", args]).await?;
	let bytes = hex::decode(out.as_str().context("hex")?.trim_start_matches("0x"))?;
	Ok(bytes == [1])
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_enclave_registers_replay_and_revocation_refused_real_documents_stale() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let mut node = Node::start_dev(dir.path().join("dev"))?;
	let rpc = node.rpc(STARTUP).await?;
	wait_finalized_at_least(&node, &rpc, 2, STARTUP).await?;
	let client = chain::connect(&node.ws_url()).await?;
	let alice = chain::signer("//Alice")?;
	let alice_id: [u8; 32] = alice.public_key().0;
	let genesis = hex32(&rpc.call("chain_getBlockHash", rpc_params![0]).await?)?;
	let submit = |call: &'static str, args: Vec<u8>| {
		let client = client.clone();
		let alice = alice.clone();
		async move {
			let call = EncodedCall { pallet: PALLET, call, args: EncodedArgs(args) };
			chain::submit_finalized(&client, &alice, &call).await
		}
	};

	// Alice registers the measurement of her enclave image (holding its deposit).
	let args = (b"digits-mlp".to_vec(), 1u32, pcr(0), pcr(1), pcr(2), Some(pcr(8)), false);
	let landed = submit("register_measurement", args.encode()).await?;
	let fields = chain::event_fields(&landed.events, PALLET, "MeasurementRegistered")?
		.context("MeasurementRegistered")?;
	let measurement: [u8; 32] = fields[..32].try_into()?;
	// Its id is the digest of its PCRs: the chain and this test compute the same.
	let expected = veritas_primitives::measurement_id(&pcr(0), &pcr(1), &pcr(2), Some(&pcr(8)));
	assert_eq!(measurement, expected, "the measurement id is its PCRs' digest");

	// A DevEnclave attests its session key with a fresh nonce (the finalized head's hash).
	let enclave_key = [0x5e; 32];
	let document = |nonce: [u8; 32]| -> Result<Vec<u8>> {
		let request = AttestationRequest {
			public_key: Some(enclave_key.to_vec()),
			user_data: Some(pallet_enclave_registry::user_data_for(&genesis, &alice_id)),
			nonce: Some(nonce.to_vec()),
		};
		let enclave = DevEnclave::new(DevCa::standard()?, pcrs_for_image(IMAGE)).at(now_ms());
		Ok(enclave.attest(&request)?)
	};
	let nonce = hex32(&rpc.call("chain_getFinalizedHead", rpc_params![]).await?)?;
	let doc = document(nonce)?;
	let landed = submit("register_enclave", (measurement, doc.clone()).encode()).await?;
	let fields = chain::event_fields(&landed.events, PALLET, "EnclaveRegistered")?
		.context("EnclaveRegistered")?;
	assert_eq!(fields[..32], enclave_key, "the event names the enclave key");
	assert!(is_key_valid(&rpc, enclave_key, measurement).await?, "the key is valid");
	assert!(!is_key_valid(&rpc, enclave_key, [0; 32]).await?, "only for its measurement");

	// The same document again: refused.
	let refused = submit("register_enclave", (measurement, doc).encode())
		.await
		.err()
		.context("a replay must fail")?;
	assert!(refused.is_pallet_error("EnclaveRegistry::ReplayedDocument"), "{refused:?}");

	// Alice withdraws the measurement (no model names it): the key is refused at once, and so
	// is a fresh document.
	submit("revoke_measurement", measurement.encode()).await?;
	assert!(!is_key_valid(&rpc, enclave_key, measurement).await?, "gone with its measurement");
	let nonce = hex32(&rpc.call("chain_getFinalizedHead", rpc_params![]).await?)?;
	let refused = submit("register_enclave", (measurement, document(nonce)?).encode())
		.await
		.err()
		.context("a withdrawn measurement must refuse keys")?;
	assert!(refused.is_pallet_error("EnclaveRegistry::UnknownMeasurement"), "{refused:?}");

	// A real document from Nitro hardware: valid offline at its own time, stale for the chain.
	let real = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()))
		.join("../verifiers/tee-nitro/src/resources/docs/evervault__valid-attestation-doc-bytes.cbor.cose");
	let (code, claims, err) =
		run_cli(&["nitro", "verify", "--json", "--doc", real.to_str().unwrap()])?;
	assert_eq!(code, Some(0), "valid offline: {err}");
	// Its image's measurement, registered with `veritas measurement register --pcrs` from the
	// JSON nitro-cli prints for an image.
	let claims: serde_json::Value = serde_json::from_str(&claims)?;
	let pcr_hex = |i: &str| claims["pcrs"][i].as_str().map(str::to_owned).context("a PCR");
	let nitro_cli = serde_json::json!({ "Measurements": {
		"HashAlgorithm": "Sha384 { ... }",
		"PCR0": pcr_hex("0")?, "PCR1": pcr_hex("1")?, "PCR2": pcr_hex("2")?,
	}});
	let pcrs = tempfile::NamedTempFile::new()?;
	std::fs::write(pcrs.path(), nitro_cli.to_string())?;
	let url = node.ws_url();
	let register = |pcrs: &Path| {
		let args = ["--url", &url, "--suri", "//Alice", "measurement", "register"];
		let pcrs = pcrs.to_str().unwrap_or_default();
		run_cli(&[&args[..], &["--name", "evervault", "--pcrs", pcrs]].concat())
	};
	let malformed = tempfile::NamedTempFile::new()?;
	std::fs::write(malformed.path(), r#"{"PCR0": "00"}"#)?;
	let (code, _, err) = register(malformed.path())?;
	assert_eq!(code, Some(2), "a malformed measurements file: {err}");
	let (code, out, err) = register(pcrs.path())?;
	assert_eq!(code, Some(0), "{err}");
	let live_measurement =
		chain::manifest::parse_id(out.split_whitespace().next().context("an id")?)?;
	let pcr_bytes = |i: &str| -> Result<[u8; 48]> {
		hex::decode(pcr_hex(i)?.trim_start_matches("0x"))?
			.try_into()
			.map_err(|_| anyhow::anyhow!("48 bytes"))
	};
	let (p0, p1, p2) = (pcr_bytes("0")?, pcr_bytes("1")?, pcr_bytes("2")?);
	assert_eq!(live_measurement, veritas_primitives::measurement_id(&p0, &p1, &p2, None));
	assert!(out.contains("finalized block"), "registered now, not before: {out}");
	// The same PCRs again are the same measurement: nothing changes, the id is printed.
	let (code, again, err) = register(pcrs.path())?;
	assert_eq!(code, Some(0), "{err}");
	assert!(again.contains("registered already"), "{again}");
	assert!(again.starts_with(&format!("0x{}", hex::encode(live_measurement))), "{again}");
	let refused = submit("register_enclave", (live_measurement, std::fs::read(&real)?).encode())
		.await
		.err()
		.context("a years-old document must fail")?;
	assert!(refused.is_pallet_error("EnclaveRegistry::StaleDocument"), "{refused:?}");

	assert!(node.is_running(), "the node survived: {}", node.log_tail(30));
	node.kill();
	Ok(())
}
