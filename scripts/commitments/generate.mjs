// Computes the commitment vectors of primitives/primitives/resources/commitment_vectors.json with the
// circom circuit tensor_commit.circom (compiled by circom2, witness by snarkjs). Run through
// scripts/gen-commitment-vectors.sh, which installs the pinned toolchain.
//
//   node generate.mjs TOOLCHAIN_DIR OUT_JSON
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [toolchain, out] = process.argv.slice(2).map((p) => resolve(p));
const here = resolve(new URL(".", import.meta.url).pathname);
const bin = (name) => join(toolchain, "node_modules", ".bin", name);
const version = (pkg) => JSON.parse(readFileSync(join(toolchain, "node_modules", pkg, "package.json"))).version;

// A deterministic pseudo-random sequence (a 32-bit LCG), so reruns give the same file.
function lcg(seed) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s;
	};
}
function values(n, seed, lo, hi) {
	const next = lcg(seed);
	return Array.from({ length: n }, () => lo + (next() % (hi - lo + 1)));
}

const cases = [
	{ name: "one value, rank 1", shape: [1], values: [0] },
	{ name: "three small values", shape: [3], values: [1, 2, 3] },
	{ name: "negatives", shape: [2, 2], values: [-1, 1, -128, 127] },
	{ name: "digits output logits", shape: [1, 10], values: values(10, 1, -5000, 5000) },
	{ name: "digits input pixels", shape: [1, 64], values: values(64, 2, 0, 16) },
	{ name: "rank 3", shape: [2, 3, 4], values: values(24, 3, -300, 300) },
	{ name: "i32 extremes", shape: [4], values: [-2147483648, 2147483647, -1, 0] },
	{ name: "i64 extremes", shape: [2], values: ["-9223372036854775808", "9223372036854775807"] },
	{ name: "hidden layer", shape: [1, 128], values: values(128, 4, -32768, 32767) },
	// Salted commitments (SaltedTensorCommit): salt 0 is the plain commitment.
	{ name: "salted, salt 0", shape: [3], values: [1, 2, 3], salt: "0" },
	{ name: "salted, salt 1", shape: [3], values: [1, 2, 3], salt: "1" },
	{
		name: "salted one-hot text context",
		shape: [1, 96],
		values: Array.from({ length: 96 }, (_, i) => (i === 7 || i === 32 + 19 || i === 64 + 2 ? 256 : 0)),
		salt: "21888242871839275222246405745257275088548364400416034343698204186575808495616",
	},
	{
		name: "salted digits pixels, 248-bit salt",
		shape: [1, 64],
		values: values(64, 5, 0, 16),
		salt: "452312848583266388373324160190187140051835877600158453279131187530910662655",
	},
];

const work = mkdtempSync(join(tmpdir(), "veritas-commit-"));
try {
	const vectors = [];
	cases.forEach((c, i) => {
		const dir = join(work, String(i));
		execFileSync("mkdir", ["-p", dir]);
		const main = join(dir, "main.circom");
		const template = c.salt === undefined ? "TensorCommit" : "SaltedTensorCommit";
		writeFileSync(
			main,
			`pragma circom 2.2.0;\ninclude "tensor_commit.circom";\n` +
				`component main = ${template}(${c.shape.length}, ${c.values.length});\n`,
		);
		execFileSync(bin("circom2"), [main, "--wasm", "-l", here, "-l", join(toolchain, "node_modules"), "-o", dir], { stdio: "pipe" });
		const input = join(dir, "input.json");
		const signals = { shape: c.shape.map(String), values: c.values.map(String) };
		if (c.salt !== undefined) signals.salt = c.salt;
		writeFileSync(input, JSON.stringify(signals));
		const wtns = join(dir, "w.wtns");
		execFileSync(bin("snarkjs"), ["wtns", "calculate", join(dir, "main_js", "main.wasm"), input, wtns], { stdio: "pipe" });
		const wjson = join(dir, "w.json");
		execFileSync(bin("snarkjs"), ["wtns", "export", "json", wtns, wjson], { stdio: "pipe" });
		// Witness 0 is the constant 1; the single output signal comes next.
		const commitment = JSON.parse(readFileSync(wjson))[1];
		const vector = { name: c.name, shape: c.shape, values: c.values.map(String) };
		if (c.salt !== undefined) vector.salt = c.salt;
		vectors.push({ ...vector, commitment });
		console.log(`${c.name}: ${commitment}`);
	});
	const doc = {
		provenance:
			"Computed by scripts/gen-commitment-vectors.sh: the circom circuit scripts/commitments/tensor_commit.circom " +
			"(circomlib Poseidon(4)), compiled by circom2 and evaluated by snarkjs; none of the Veritas Rust code runs.",
		toolchain: { circom2: version("circom2"), circomlib: version("circomlib"), snarkjs: version("snarkjs") },
		vectors,
	};
	writeFileSync(out, JSON.stringify(doc, null, "\t") + "\n");
} finally {
	rmSync(work, { recursive: true, force: true });
}
