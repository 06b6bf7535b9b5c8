//! `veritas`: the Veritas command line. See the crate documentation of `veritas_client`.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use veritas_client::{
	chain_cmd,
	files::{self, hex0x, Format},
	groth16_cmd,
	measurement_cmd::{self, Measurement},
	model_cmd, nitro_cmd, node_cmd, output_cmd,
	request_cmd::{self, Request},
	result_cmd::{self, ResultRef},
	results_cmd, Exit,
};
use veritas_primitives::OutputMode;

/// Verify Groth16 proofs and Nitro attestations offline, and use the Veritas chain.
#[derive(Debug, Parser)]
#[command(name = "veritas", version, about)]
struct Cli {
	/// The node's WebSocket RPC endpoint (chain commands).
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// The secret URI that signs extrinsics, e.g. `//Alice` (chain commands).
	#[arg(long, global = true)]
	suri: Option<String>,
	#[command(subcommand)]
	command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Groth16 keys and proofs, offline.
	#[command(subcommand)]
	Groth16(Groth16Command),
	/// AWS Nitro attestation documents, offline.
	#[command(subcommand)]
	Nitro(NitroCommand),
	/// Verifying keys on the chain.
	#[command(subcommand)]
	Vk(VkCommand),
	/// Proofs verified on the chain.
	#[command(subcommand)]
	Proof(ProofCommand),
	/// Enclave image measurements on the chain.
	#[command(subcommand)]
	Measurement(MeasurementCommand),
	/// Model manifests on the chain.
	#[command(subcommand)]
	Model(ModelCommand),
	/// An inference node operator's bond.
	#[command(subcommand)]
	Node(NodeCommand),
	/// Requests an inference (its fee escrowed until a verified receipt or the deadline); prints
	/// the request id.
	Request {
		/// The model id.
		#[arg(long)]
		model: u32,
		/// The input: a JSON array of the quantized i32 values, published on chain (unless
		/// `--send-input-to`).
		#[arg(long, conflicts_with_all = ["c0", "features"], required_unless_present_any = ["c0", "features"])]
		input: Option<PathBuf>,
		/// The input in the model's own units: a JSON array of numbers, quantized at the model's
		/// scale (read from the chain) as the node quantizes features; then as `--input`.
		#[arg(long, conflicts_with = "c0")]
		features: Option<PathBuf>,
		/// Keep the input off chain: request with its commitment only, then send the input to
		/// this inference node (`http://host:port`), which checks it against the commitment.
		#[arg(long, conflicts_with = "c0")]
		send_input_to: Option<String>,
		/// A file holding the inference node's API key (for `--send-input-to`).
		#[arg(long, requires = "send_input_to")]
		api_key_file: Option<PathBuf>,
		/// The salt of the input's commitment (for `--send-input-to`): `random` (the default: a
		/// fresh 248-bit salt, printed, so that nobody can find a low-entropy input by trying
		/// every candidate against `c_0`), `none`, or `0x` and 64 hex digits.
		#[arg(long, requires = "send_input_to", default_value = "random")]
		salt: String,
		/// Keep the output off chain too (with `--send-input-to`, salted): the receipt carries
		/// only the output's salted commitment; `veritas output` fetches the output from the
		/// node that answered and checks it.
		#[arg(long, requires = "send_input_to")]
		committed_output: bool,
		/// Only the input's commitment (`0x` hex); the input stays off chain.
		#[arg(long)]
		c0: Option<String>,
		/// The evidence kind of each segment, comma-separated: none, tee, tee_attested, zk.
		#[arg(long)]
		policy: String,
		/// The most to pay, in the chain's smallest unit.
		#[arg(long)]
		max_fee: u128,
		/// How many blocks the request stays open.
		#[arg(long, default_value_t = 100)]
		ttl: u32,
		/// The only nodes that may answer, comma-separated (SS58 or `0x` hex); required when
		/// the policy has a `none` segment, which rests on the answering node's word alone.
		#[arg(long)]
		allow: Option<String>,
		/// Wait for the verified result, then re-verify and print it as `veritas result ID
		/// --verify` does (exit 1 if the deadline passes unanswered).
		#[arg(long)]
		wait: bool,
	},
	/// Prints the output of a request that keeps it off chain (`request --committed-output`),
	/// fetched from the inference node that answered it and checked against the verified
	/// result's commitment `c_n` (exit 1 if it does not commit to it).
	Output {
		/// The request id.
		id: u64,
		/// The inference node that answered (`http://host:port`).
		#[arg(long)]
		from: String,
		/// The salt `veritas request` printed.
		#[arg(long)]
		salt: String,
		/// A file holding the inference node's API key.
		#[arg(long)]
		api_key_file: Option<PathBuf>,
	},
	/// Prints a verified result (by request id or `0x` receipt id) read at the latest finalized
	/// block; `--verify` re-runs every check locally.
	Result {
		/// A request id, or a `0x` receipt id.
		id: String,
		/// Re-verify the receipt locally: exit 0 valid, 1 a check failed.
		#[arg(long)]
		verify: bool,
		/// Print JSON.
		#[arg(long)]
		json: bool,
	},
	/// Prints a model's latest verified results, oldest first.
	Results {
		/// The model id.
		#[arg(long)]
		model: u32,
		/// Re-verify each locally: exit 1 at the first that fails.
		#[arg(long)]
		verify: bool,
		/// Print a JSON array.
		#[arg(long)]
		json: bool,
	},
}

#[derive(Debug, Subcommand)]
enum MeasurementCommand {
	/// Registers an enclave image's measurement (its deposit held from `--suri`); prints the
	/// measurement id (the digest of its PCRs) that manifests and `veritas-inference
	/// --measurement` name. PCRs registered already print their id and change nothing.
	Register {
		/// Its name, e.g. the image's (at most 64 bytes).
		#[arg(long)]
		name: String,
		/// Its version.
		#[arg(long, default_value_t = 1)]
		version: u32,
		/// The JSON that `nitro-cli build-enclave` or `nitro-cli describe-eif` prints.
		#[arg(long, conflicts_with = "dev_image", required_unless_present = "dev_image")]
		pcrs: Option<PathBuf>,
		/// The text a development enclave runs (`veritas-inference --enclave-image`).
		#[arg(long)]
		dev_image: Option<String>,
		/// A debug-mode enclave's measurement (all-zero PCRs; dev chains only).
		#[arg(long)]
		debug: bool,
	},
}

#[derive(Debug, Subcommand)]
enum NodeCommand {
	/// Bonds `--bond` more from `--suri` (registering it as an inference node the first time;
	/// the chain's minimum bond applies to the total).
	Register {
		/// The amount, in the chain's smallest unit.
		#[arg(long)]
		bond: u128,
	},
	/// Starts unbonding (still slashable until the unbonding period ends); run again after it
	/// to release the bond.
	Unregister,
}

#[derive(Debug, Subcommand)]
enum ModelCommand {
	/// Registers a model manifest (JSON; see `veritas_chain::manifest`); prints the model id.
	Register {
		/// The manifest.
		#[arg(long)]
		manifest: PathBuf,
	},
}

#[derive(Debug, Subcommand)]
enum Groth16Command {
	/// Prints the id the chain gives a verifying key (SHA-256 of its canonical encoding).
	VkId {
		/// The verifying key.
		#[arg(long)]
		vk: PathBuf,
		/// The key's encoding.
		#[arg(long, value_enum, default_value_t)]
		format: Format,
	},
	/// Verifies a proof: exit 0 valid, 1 invalid, 2 malformed.
	Verify {
		/// The verifying key.
		#[arg(long)]
		vk: PathBuf,
		/// The proof.
		#[arg(long)]
		proof: PathBuf,
		/// The public inputs, a JSON array of decimal strings (snarkjs' `public.json`).
		#[arg(long)]
		inputs: PathBuf,
		/// The encoding of the key and the proof.
		#[arg(long, value_enum, default_value_t)]
		format: Format,
	},
}

#[derive(Debug, Subcommand)]
enum NitroCommand {
	/// Verifies an attestation document: exit 0 valid, 1 invalid, 2 malformed.
	Verify {
		/// The document: CBOR bytes, or their hex or base64 text.
		#[arg(long)]
		doc: PathBuf,
		/// A trusted root certificate (PEM); repeatable. Default: the AWS Nitro root G1.
		#[arg(long)]
		root: Vec<PathBuf>,
		/// The verification time in Unix milliseconds. Default: the document's timestamp.
		#[arg(long)]
		at: Option<u64>,
		/// Print the verified claims as JSON.
		#[arg(long)]
		json: bool,
	},
}

#[derive(Debug, Subcommand)]
enum VkCommand {
	/// Registers a Groth16 verifying key (holding its deposit); prints its id.
	Register {
		/// The verifying key.
		#[arg(long)]
		vk: PathBuf,
		/// The key's encoding.
		#[arg(long, value_enum, default_value_t)]
		format: Format,
	},
}

#[derive(Debug, Subcommand)]
enum ProofCommand {
	/// Submits a Groth16 proof for verification under a registered key; prints the statement.
	Submit {
		/// The id of the registered key (`0x` hex).
		#[arg(long)]
		vk_id: String,
		/// The proof.
		#[arg(long)]
		proof: PathBuf,
		/// The public inputs, a JSON array of decimal strings.
		#[arg(long)]
		inputs: PathBuf,
		/// The proof's encoding.
		#[arg(long, value_enum, default_value_t)]
		format: Format,
	},
}

/// The API key in `file`, if one is given (trimmed).
fn read_api_key(file: Option<&std::path::Path>) -> Result<Option<String>, Exit> {
	file.map(|f| files::read(f).map(|k| String::from_utf8_lossy(&k).trim().to_string())).transpose()
}

fn suri(cli: &Cli) -> Result<&str, Exit> {
	cli.suri.as_deref().ok_or_else(|| Exit::malformed("this command needs --suri"))
}

async fn run(cli: &Cli) -> Result<(), Exit> {
	match &cli.command {
		Command::Groth16(Groth16Command::VkId { vk, format }) => {
			println!("{}", groth16_cmd::vk_id_of(vk, *format)?);
		},
		Command::Groth16(Groth16Command::Verify { vk, proof, inputs, format }) => {
			let id = groth16_cmd::verify_files(vk, proof, inputs, *format)?;
			println!("valid: proof verified under key {id}");
		},
		Command::Nitro(NitroCommand::Verify { doc, root, at, json }) => {
			let claims = nitro_cmd::verify_document(doc, root, *at)?;
			let out = nitro_cmd::claims_json(&claims);
			if *json {
				println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
			} else {
				println!(
					"valid: {} signed at {} ms, chain to root {}",
					claims.module_id,
					claims.timestamp_ms,
					out["root_fingerprint"].as_str().unwrap_or_default()
				);
			}
		},
		Command::Vk(VkCommand::Register { vk, format }) => {
			let landed = chain_cmd::register_vk(&cli.url, suri(cli)?, vk, *format).await?;
			println!("{}", hex0x(&landed.id));
		},
		Command::Measurement(MeasurementCommand::Register {
			name,
			version,
			pcrs,
			dev_image,
			debug,
		}) => {
			let pcrs = match (pcrs, dev_image) {
				(Some(path), _) => measurement_cmd::read_pcrs(path)?,
				(None, Some(image)) => measurement_cmd::dev_image_pcrs(image.as_bytes()),
				(None, None) => return Err(Exit::malformed("--pcrs or --dev-image")),
			};
			let measurement =
				Measurement { name: name.clone(), version: *version, pcrs, debug: *debug };
			let landed = measurement_cmd::register(&cli.url, suri(cli)?, &measurement).await?;
			match landed.block_hash {
				Some(block) => {
					println!("{} (finalized block {})", hex0x(&landed.id), hex0x(&block))
				},
				None => println!("{} (registered already)", hex0x(&landed.id)),
			}
		},
		Command::Node(command) => {
			let bonded = match command {
				NodeCommand::Register { bond } => {
					node_cmd::register(&cli.url, suri(cli)?, *bond).await?
				},
				NodeCommand::Unregister => node_cmd::unregister(&cli.url, suri(cli)?).await?,
			};
			println!("{} (finalized block {})", bonded.event, hex0x(&bonded.block_hash));
		},
		Command::Model(ModelCommand::Register { manifest }) => {
			let landed = model_cmd::register(&cli.url, suri(cli)?, manifest).await?;
			println!(
				"{} (version {}, finalized block {})",
				landed.id,
				landed.version,
				hex0x(&landed.block_hash)
			);
		},
		Command::Request {
			model,
			input,
			features,
			send_input_to,
			api_key_file,
			salt,
			committed_output,
			c0,
			policy,
			max_fee,
			ttl,
			allow,
			wait,
		} => {
			let input = match (input, features) {
				(Some(path), _) => Some(request_cmd::read_input(path)?),
				(None, Some(path)) => {
					let features = request_cmd::read_features(path)?;
					let (scale, shape) = request_cmd::model_input(&cli.url, *model).await?;
					Some(request_cmd::quantize_features(&features, scale, &shape)?)
				},
				(None, None) => None,
			};
			let api_key = read_api_key(api_key_file.as_deref())?;
			let mut c_0 = c0.as_deref().map(request_cmd::parse_commitment).transpose()?;
			let mut on_chain = input.clone();
			let salt = request_cmd::parse_salt(salt)?;
			let output = if *committed_output {
				if salt.is_none() {
					return Err(Exit::malformed(
						"--committed-output needs a salt: the node gives the output to whoever \
						 knows it",
					));
				}
				OutputMode::Committed
			} else {
				OutputMode::Published
			};
			if let (Some(_), Some(values)) = (send_input_to, &input) {
				c_0 = Some(request_cmd::commitment_of(&cli.url, *model, values, &salt).await?);
				on_chain = None;
			}
			let request = Request {
				model: *model,
				input: on_chain,
				c_0,
				output,
				policy: request_cmd::parse_policy(policy)?,
				max_fee: *max_fee,
				ttl: *ttl,
				allowed_nodes: allow.as_deref().map(request_cmd::parse_allowed).transpose()?,
			};
			let landed = request_cmd::submit(&cli.url, suri(cli)?, &request).await?;
			println!(
				"{} (c_0 {}, deadline block {}, finalized block {})",
				landed.id,
				hex0x(&landed.c_0.0),
				landed.deadline,
				hex0x(&landed.block_hash)
			);
			if let (Some(node), Some(values)) = (send_input_to, &input) {
				let job = request_cmd::send_input(node, api_key, landed.id, values, &salt).await?;
				if !salt.is_none() {
					// The requester's secret: what opens c_0 (keep it to show the input later).
					println!("salt {}", hex0x(&salt.0));
				}
				println!("input sent to {node}: job {job}");
			}
			if *wait {
				request_cmd::wait_answered(&cli.url, landed.id, landed.deadline).await?;
				let (at, fetched) =
					result_cmd::fetch(&cli.url, ResultRef::Request(landed.id)).await?;
				let checks = result_cmd::verify_result(&at, &fetched).await?;
				print!("{}", result_cmd::to_text(&fetched, Some(&checks)));
			}
		},
		Command::Output { id, from, salt, api_key_file } => {
			let salt = veritas_api::parse_salt(salt)
				.map_err(|e| Exit::malformed(format!("--salt: {e}")))?;
			let api_key = read_api_key(api_key_file.as_deref())?;
			let output = output_cmd::fetch_output(&cli.url, from, api_key, *id, &salt).await?;
			println!("{}", serde_json::Value::from(output));
		},
		Command::Result { id, verify, json } => {
			let (at, fetched) = result_cmd::fetch(&cli.url, ResultRef::parse(id)?).await?;
			let checks =
				if *verify { Some(result_cmd::verify_result(&at, &fetched).await?) } else { None };
			if *json {
				let out = result_cmd::to_json(&fetched, checks.as_ref());
				println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
			} else {
				print!("{}", result_cmd::to_text(&fetched, checks.as_ref()));
			}
		},
		Command::Results { model, verify, json } => {
			let results = results_cmd::latest(&cli.url, *model, *verify).await?;
			if *json {
				let out = results_cmd::to_json(&results);
				println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
			} else {
				print!("{}", results_cmd::to_text(*model, &results));
			}
		},
		Command::Proof(ProofCommand::Submit { vk_id, proof, inputs, format }) => {
			let landed =
				chain_cmd::submit_proof(&cli.url, suri(cli)?, vk_id, proof, inputs, *format)
					.await?;
			println!(
				"verified: statement {} under key {} in finalized block {}",
				hex0x(&landed.id),
				hex0x(&landed.vk_id),
				hex0x(&landed.block_hash)
			);
		},
	}
	Ok(())
}

fn main() -> ExitCode {
	// Usage errors exit with 2, as clap does.
	let cli = Cli::parse();
	let runtime = match tokio::runtime::Runtime::new() {
		Ok(rt) => rt,
		Err(e) => {
			eprintln!("error: cannot start the async runtime: {e}");
			return ExitCode::from(3);
		},
	};
	match runtime.block_on(run(&cli)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(exit) => {
			eprintln!("error: {exit}");
			ExitCode::from(exit.code)
		},
	}
}
