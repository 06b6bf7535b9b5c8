//! Benchmark (not a test): what each evidence level costs an inference node, per shipped model,
//! measured in one run and printed as ratios against plain inference.
//!
//! For each model of `models/` and each of its first held-out inputs, round-robin (so that
//! machine noise hits every variant alike), the time of:
//! - `plain`: the float ONNX model run by tract: the baseline;
//! - `fixed`: the fixed-point executor (what the circuits prove);
//! - `receipt`: what any receipt needs, whatever its evidence: the fixed-point run and the
//!   commitments `c_0..c_n` (Poseidon);
//! - `tee`: a TEE receipt: the same plus one ed25519 signature per segment statement (what an
//!   enclave adds);
//! - `zk`: a Groth16 proof of every segment, the segments proved in parallel (`veritas-prover`'s
//!   `prove_all`; keys made beforehand, their setup time printed apart), with the keys in memory,
//!   and again the way `ezkl prove` is timed: proving keys read from disk, witness synthesized,
//!   proofs written to disk; one warm-up proof first, not counted.
//!
//! Medians are printed, with the ratios `tee / plain`, `tee / receipt` (the cost of the TEE
//! evidence itself) and `zk / plain`, the constraints of each
//! segment's circuit, and the proof and verifying-key sizes on chain (SCALE).
//!
//! Usage: `inference-bench [--inputs N] [--proofs M]` (defaults 200 and 7);
//! `scripts/bench-inference.sh` builds and runs it.

use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use codec::Encode;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use veritas_engine::{OnnxModel, QuantizedModel, TestSet};
use veritas_primitives::{commit, enclave_signing_message, Commitment, SegmentStatement, Subject};
use veritas_prover::{constraint_count, prove_all, setup, ProofJob, Salts, ZkSegment};

const MODELS: [&str; 4] = ["digits-mlp", "digits-mlp-large", "digits-cnn", "text-char-mlp"];
const BITS: u8 = 8;

fn median(mut v: Vec<Duration>) -> Duration {
	v.sort();
	v.get(v.len() / 2).copied().unwrap_or_default()
}

fn micros(d: Duration) -> f64 {
	d.as_secs_f64() * 1e6
}

struct Model {
	name: &'static str,
	onnx: OnnxModel,
	fixed: QuantizedModel,
	zk: Vec<ZkSegment>,
	set: TestSet,
}

fn load(name: &'static str) -> Result<Model> {
	let dir = std::path::PathBuf::from(
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("../models")
	.join(name);
	let onnx = OnnxModel::load(&dir.join("model.onnx")).map_err(|e| anyhow!("{name}: {e}"))?;
	let set = TestSet::load(&dir.join("test-set.json")).map_err(|e| anyhow!(e))?;
	let fixed = QuantizedModel::from_float(onnx.layers(), BITS).map_err(|e| anyhow!("{e:?}"))?;
	let zk = ZkSegment::of_model(&fixed).map_err(|e| anyhow!("{e:?}"))?;
	Ok(Model { name, onnx, fixed, zk, set })
}

/// The statements of one inference: segment i maps `c[i]` to `c[i + 1]`.
fn statements(commitments: &[Commitment]) -> Vec<SegmentStatement> {
	commitments
		.windows(2)
		.enumerate()
		.map(|(i, c)| SegmentStatement {
			genesis: [1; 32],
			subject: Subject::Request(i as u64),
			node: [2; 32],
			fee: 1,
			model: 1,
			file_hash: [3; 32],
			model_digest: [4; 32],
			segment: i as u8,
			c_in: c[0],
			c_out: c[1],
		})
		.collect()
}

/// One fixed-point inference: the quantized input, every segment's output, and the
/// commitments `c_0..c_n` of their boundaries.
struct Evaluation {
	input: Vec<i32>,
	outputs: Vec<Vec<i32>>,
	commitments: Vec<Commitment>,
}

/// What every receipt needs: the fixed-point run and the commitment of every boundary.
fn receipt(m: &Model, input: &[f32]) -> Result<Evaluation> {
	let x = m.fixed.quantize_input(input).map_err(|e| anyhow!("{e:?}"))?;
	let outputs = m.fixed.run_segments(&x).map_err(|e| anyhow!("{e:?}"))?;
	let mut commitments = vec![commit(&m.zk[0].input_shape, &x).map_err(|e| anyhow!("{e:?}"))?];
	for (z, y) in m.zk.iter().zip(&outputs) {
		commitments.push(commit(&z.output_shape, y).map_err(|e| anyhow!("{e:?}"))?);
	}
	Ok(Evaluation { input: x, outputs, commitments })
}

/// The enclave's work: a receipt's, plus a signature of every segment statement.
fn tee(m: &Model, key: &ed25519_zebra::SigningKey, input: &[f32]) -> Result<usize> {
	let commitments = receipt(m, input)?.commitments;
	let mut signed = 0;
	for s in statements(&commitments) {
		let signature = key.sign(&enclave_signing_message(&s.signing_payload()));
		signed += <[u8; 64]>::from(signature).len();
	}
	Ok(signed)
}

fn bench(m: &Model, inputs: usize, proofs: usize) -> Result<()> {
	let key = ed25519_zebra::SigningKey::from([7u8; 32]);
	let inputs = &m.set.inputs[..inputs.min(m.set.inputs.len())];
	let (mut plain, mut fixed, mut bare, mut enclave) =
		(Vec::new(), Vec::new(), Vec::new(), Vec::new());
	for input in inputs {
		let t = Instant::now();
		let out = m.onnx.run(input).map_err(|e| anyhow!("{e}"))?;
		plain.push(t.elapsed());
		std::hint::black_box(out);
		let t = Instant::now();
		let x = m.fixed.quantize_input(input).map_err(|e| anyhow!("{e:?}"))?;
		let out = m.fixed.run(&x).map_err(|e| anyhow!("{e:?}"))?;
		fixed.push(t.elapsed());
		std::hint::black_box(out);
		let t = Instant::now();
		std::hint::black_box(receipt(m, input)?);
		bare.push(t.elapsed());
		let t = Instant::now();
		std::hint::black_box(tee(m, &key, input)?);
		enclave.push(t.elapsed());
	}

	let t = Instant::now();
	let keys =
		m.zk.iter()
			.enumerate()
			.map(|(i, z)| setup(z, [i as u8; 32]).map_err(|e| anyhow!("{e:?}")))
			.collect::<Result<Vec<_>>>()?;
	let setup_time = t.elapsed();
	let mut rng = ChaCha20Rng::from_seed([9; 32]);
	// Each segment's proving key on disk, for the timing that matches `ezkl prove` (which reads
	// its proving key and SRS from files and writes its proof to one).
	let dir = tempfile::tempdir()?;
	let pk_paths: Vec<std::path::PathBuf> = keys
		.iter()
		.enumerate()
		.map(|(i, k)| {
			let path = dir.path().join(format!("pk-{i}.bin"));
			k.write_proving_key(std::io::BufWriter::new(std::fs::File::create(&path)?))
				.map_err(|e| anyhow!("{e:?}"))?;
			Ok(path)
		})
		.collect::<Result<_>>()?;
	let (mut zk, mut zk_disk) = (Vec::new(), Vec::new());
	let mut proof_bytes = 0;
	// A warm-up proof first (page cache, thread pool, allocator), then `proofs` timed ones, each
	// way: keys in memory; and keys read from disk, proofs written to disk, as EZKL is timed.
	for (n, input) in inputs.iter().cycle().take(proofs + 1).enumerate() {
		let Evaluation { input: x, outputs, commitments: c } = receipt(m, input)?;
		let mut segment_inputs = vec![x];
		segment_inputs.extend(outputs.iter().take(outputs.len() - 1).cloned());
		let prove = |keys: &[veritas_prover::SegmentKeys], rng: &mut ChaCha20Rng| {
			let jobs: Vec<ProofJob<'_>> =
				m.zk.iter()
					.zip(keys)
					.zip(statements(&c))
					.zip(segment_inputs.clone())
					.map(|(((segment, keys), statement), input)| ProofJob {
						keys,
						segment,
						statement,
						input,
						salts: Salts::NONE,
					})
					.collect();
			prove_all(&jobs, rng, false).map_err(|e| anyhow!("{e:?}"))
		};
		let t = Instant::now();
		let proofs_made = prove(&keys, &mut rng)?;
		let in_memory = t.elapsed();
		proof_bytes = proofs_made.first().map_or(0, |p| p.encode().len());
		let t = Instant::now();
		let from_disk = keys
			.iter()
			.zip(&pk_paths)
			.map(|(k, path)| {
				k.with_proving_key_from(std::io::BufReader::new(std::fs::File::open(path)?))
					.map_err(|e| anyhow!("{e:?}"))
			})
			.collect::<Result<Vec<_>>>()?;
		let proofs_made = prove(&from_disk, &mut rng)?;
		std::fs::write(dir.path().join("proofs.scale"), proofs_made.encode())?;
		let on_disk = t.elapsed();
		if n > 0 {
			zk.push(in_memory);
			zk_disk.push(on_disk);
		}
	}
	if zk.is_empty() {
		bail!("no proof made (--proofs 0?)");
	}

	let constraints =
		m.zk.iter()
			.map(|z| constraint_count(z).map_err(|e| anyhow!("{e:?}")))
			.collect::<Result<Vec<_>>>()?;
	let vk_bytes: Vec<usize> = keys.iter().map(|k| k.vk.encode().len()).collect();
	let (plain, fixed, bare, enclave, zk, zk_disk) =
		(median(plain), median(fixed), median(bare), median(enclave), median(zk), median(zk_disk));
	println!(
		"{:<17} {:>8.1} {:>8.1} {:>9.1} {:>8.1} {:>7.0}x {:>7.3}x {:>8.1} {:>9.0}x  constraints {:?}, proof {} B, vk {:?} B, setup {:.1} s",
		m.name,
		micros(plain),
		micros(fixed),
		micros(bare),
		micros(enclave),
		micros(enclave) / micros(plain),
		micros(enclave) / micros(bare),
		micros(zk) / 1e3,
		micros(zk) / micros(plain),
		constraints,
		proof_bytes,
		vk_bytes,
		setup_time.as_secs_f64(),
	);
	// For scripts/bench-inference.sh's comparison with EZKL: keys in memory, and the way EZKL is
	// timed (keys read from disk, witness, proof written to disk).
	println!(
		"veritas {} zk_s={:.4} zk_disk_s={:.4} proofs={proofs}",
		m.name,
		zk.as_secs_f64(),
		zk_disk.as_secs_f64()
	);
	Ok(())
}

fn flag(args: &[String], name: &str, default: usize) -> Result<usize> {
	match args.iter().position(|a| a == name) {
		None => Ok(default),
		Some(i) => args
			.get(i + 1)
			.and_then(|v| v.parse().ok())
			.with_context(|| format!("{name} takes a number")),
	}
}

fn main() -> Result<()> {
	let args: Vec<String> = std::env::args().skip(1).collect();
	if let Some(bad) =
		args.iter().step_by(2).find(|a| !matches!(a.as_str(), "--inputs" | "--proofs"))
	{
		bail!("unknown argument {bad}; usage: inference-bench [--inputs N] [--proofs M]");
	}
	let (inputs, proofs) = (flag(&args, "--inputs", 200)?, flag(&args, "--proofs", 7)?);
	println!(
		"medians over {inputs} held-out inputs ({proofs} for proofs); plain = tract f32, fixed = fixed-point executor,"
	);
	println!("receipt = fixed + commitments (any evidence level), tee = receipt + one ed25519 signature per segment,");
	println!("zk = Groth16 proofs of every segment");
	println!(
		"{:<17} {:>8} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>10}",
		"model",
		"plain µs",
		"fixed µs",
		"receipt µs",
		"tee µs",
		"tee/pl",
		"tee/rcpt",
		"zk ms",
		"zk/plain"
	);
	for name in MODELS {
		bench(&load(name)?, inputs, proofs)?;
	}
	Ok(())
}
