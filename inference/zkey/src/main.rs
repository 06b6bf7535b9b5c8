//! `veritas-zkey`: brings a snarkjs ceremony's key back into a model directory.
//!
//! ```text
//! veritas-zkey import --model DIR --segment I ZKEY
//! ```
//!
//! reads the `.zkey` `scripts/zkey-ceremony.sh` made on segment `I`'s circuit
//! (`veritas-inference r1cs --model DIR --segment I`), checks that it is that segment's key,
//! converts it for arkworks' prover and writes it to `DIR/keys/segment-I.pk`, where the inference
//! node finds it; it prints the key's id, which the manifest names
//! (`veritas-inference manifest` then names it by itself).
//!
//! Exit codes: 0 done, 1 the zkey is not this segment's or is damaged, 2 usage or a model
//! directory that cannot be read.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use veritas_chain::{read_manifest, Exit};
use veritas_service::served::{key_path, zk_segment, MANIFEST_FILE};

/// Keys from a snarkjs ceremony, for the Veritas inference node.
#[derive(Debug, Parser)]
#[command(name = "veritas-zkey", version)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Checks a ceremony's zkey against a model segment and writes it as that segment's key file.
	Import {
		/// The model directory (its `manifest.json` gives the quantization scale).
		#[arg(long)]
		model: PathBuf,
		/// The segment the ceremony was run for.
		#[arg(long)]
		segment: usize,
		/// The ceremony's `.zkey`.
		zkey: PathBuf,
	},
}

fn import(model: PathBuf, index: usize, zkey: PathBuf) -> Result<(), Exit> {
	let manifest = read_manifest(&model.join(MANIFEST_FILE))?;
	let segment =
		zk_segment(&model, manifest.scale, index).map_err(|e| Exit::malformed(e.to_string()))?;
	let bytes = std::fs::read(&zkey)
		.map_err(|e| Exit::malformed(format!("cannot read {}: {e}", zkey.display())))?;
	let keys = veritas_zkey::import(&bytes, &segment)
		.map_err(|e| Exit::invalid(format!("{}: {e}", zkey.display())))?;
	let out = key_path(&model, index);
	let write = |what: &dyn std::fmt::Display| {
		Exit::malformed(format!("cannot write {}: {what}", out.display()))
	};
	if let Some(dir) = out.parent() {
		std::fs::create_dir_all(dir).map_err(|e| write(&e))?;
	}
	let mut file = Vec::new();
	keys.write_proving_key(&mut file).map_err(|e| write(&format!("{e:?}")))?;
	std::fs::write(&out, file).map_err(|e| write(&e))?;
	println!(
		"segment {index}: key 0x{} written to {}",
		hex::encode(veritas_verifier_groth16::vk_id(&keys.vk)),
		out.display()
	);
	Ok(())
}

fn main() -> ExitCode {
	let result = match Cli::parse().command {
		Command::Import { model, segment, zkey } => import(model, segment, zkey),
	};
	match result {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e}");
			ExitCode::from(e.code)
		},
	}
}
