//! Model manifests on the dev chain, end to end through `veritas model register`: a hybrid
//! manifest (enclave, trust-only, enclave segments) is registered with its model file's hash; the
//! owner publishes version 2; another account cannot take the name; a segment naming a key whose
//! circuit does not have the three segment inputs is refused; a malformed manifest exits 2 with
//! nothing signed; deprecation ends the model's use.

use std::path::Path;

use anyhow::{Context, Result};
use codec::Encode;
use serde_json::json;
use veritas_chain::{self as chain, EncodedArgs, EncodedCall};
use veritas_tests::{fixture, receipts::dev_chain, run_cli};

fn write(dir: &Path, name: &str, value: &serde_json::Value) -> Result<String> {
	let path = dir.join(name);
	std::fs::write(&path, serde_json::to_vec_pretty(value)?)?;
	Ok(path.to_str().context("a UTF-8 path")?.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn manifests_register_version_and_deprecate_through_the_cli() -> Result<()> {
	let dir = tempfile::tempdir()?;
	let (mut node, rpc, client) = dev_chain(dir.path().join("dev")).await?;
	let url = node.ws_url();
	let alice = chain::signer("//Alice")?;

	// Alice's enclave measurement (EnclaveRegistry), which her TEE segments name.
	let pcr = |b: u8| [b; 48];
	let args = (b"digits".to_vec(), 1u32, pcr(1), pcr(2), pcr(3), None::<[u8; 48]>, false).encode();
	let call = EncodedCall {
		pallet: "EnclaveRegistry",
		call: "register_measurement",
		args: EncodedArgs(args),
	};
	let landed = chain::submit_finalized(&client, &alice, &call).await?;
	let fields = chain::event_fields(&landed.events, "EnclaveRegistry", "MeasurementRegistered")?
		.context("MeasurementRegistered")?;
	let measurement = format!("0x{}", hex::encode(&fields[..32]));

	// The model file whose hash the manifest registers.
	std::fs::write(dir.path().join("digits.onnx"), b"not really ONNX, but hashed all the same")?;
	let manifest = |segments: serde_json::Value| {
		json!({
			"name": "digits-mlp",
			"file": "digits.onnx",
			"scale": 256,
			"input_shape": [1, 64],
			"output_shape": [1, 10],
			"segments": segments,
		})
	};
	let hybrid = manifest(json!([
		{ "accepts": ["tee", "tee_attested"], "measurement": measurement },
		{ "accepts": ["none"] },
		{ "accepts": ["tee"], "measurement": measurement },
	]));
	let path = write(dir.path(), "digits.json", &hybrid)?;
	let register = |suri: &str, path: &str| {
		run_cli(&["--url", &url, "--suri", suri, "model", "register", "--manifest", path])
	};

	let (code, out, err) = register("//Alice", &path)?;
	assert_eq!(code, Some(0), "registered: {out}{err}");
	assert!(out.starts_with("0 (version 1,"), "model 0, version 1: {out}");

	// Version 2 of the same name, by its owner.
	let (code, out, err) = register("//Alice", &path)?;
	assert_eq!(code, Some(0), "{err}");
	assert!(out.starts_with("1 (version 2,"), "model 1, version 2: {out}");

	// Bob cannot publish under Alice's name.
	let (code, _, err) = register("//Bob", &path)?;
	assert_eq!(code, Some(1), "{err}");
	assert!(err.contains("Models::NameTaken"), "{err}");

	// A ZK segment whose key has two public inputs (the circom Poseidon fixture), not the
	// three every segment circuit exposes: refused.
	let vk = fixture("poseidon_commit/verification_key.json");
	let (code, vk_id, err) = run_cli(&[
		"--url",
		&url,
		"--suri",
		"//Bob",
		"vk",
		"register",
		"--vk",
		vk.to_str().unwrap(),
	])?;
	assert_eq!(code, Some(0), "{err}");
	let zk = manifest(json!([{ "accepts": ["zk"], "vk": vk_id.trim() }]));
	let mut zk_named = zk.clone();
	zk_named["name"] = json!("bob-zk");
	let (code, _, err) = register("//Bob", &write(dir.path(), "zk.json", &zk_named)?)?;
	assert_eq!(code, Some(1), "{err}");
	assert!(err.contains("Models::WrongVkInputs"), "{err}");

	// Malformed manifests: exit 2, nothing signed (Bob's nonce does not move).
	let nonce = || async {
		let out = rpc
			.call(
				"system_accountNextIndex",
				subxt_rpcs::rpc_params!["5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"],
			)
			.await?;
		out.as_u64().context("a nonce")
	};
	let before = nonce().await?;
	let mut bad_kind = hybrid.clone();
	bad_kind["segments"][1]["accepts"] = json!(["magic"]);
	let mut no_file = hybrid.clone();
	no_file["file"] = json!("missing.onnx");
	for (name, bad) in [("kind.json", bad_kind), ("file.json", no_file)] {
		let (code, _, err) = register("//Bob", &write(dir.path(), name, &bad)?)?;
		assert_eq!(code, Some(2), "{name}: {err}");
	}
	std::fs::write(dir.path().join("garbage.json"), b"{ not json")?;
	let (code, _, _) = register("//Bob", dir.path().join("garbage.json").to_str().unwrap())?;
	assert_eq!(code, Some(2));
	assert_eq!(nonce().await?, before, "nothing was signed");

	// Alice deprecates version 1: a second deprecation is refused (it is no longer active).
	let deprecate =
		EncodedCall { pallet: "Models", call: "deprecate_model", args: EncodedArgs(0u32.encode()) };
	let landed = chain::submit_finalized(&client, &alice, &deprecate).await?;
	assert!(chain::event_fields(&landed.events, "Models", "ModelDeprecated")?.is_some());
	let refused = chain::submit_finalized(&client, &alice, &deprecate)
		.await
		.err()
		.context("deprecating twice must fail")?;
	assert!(refused.is_pallet_error("Models::ModelDeprecated"), "{refused:?}");

	assert!(node.is_running(), "the node survived: {}", node.log_tail(30));
	node.kill();
	Ok(())
}
