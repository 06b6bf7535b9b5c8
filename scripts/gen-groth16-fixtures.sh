#!/usr/bin/env bash
# Regenerates verifiers/groth16/src/resources/circom/: real Groth16 (BN254) proofs made by circom + snarkjs,
# the tools dapps actually use, for the snarkjs-JSON path of veritas-verifier-groth16.
#
# For each circuit in scripts/groth16-fixtures/ (multiplier, many_inputs, poseidon_commit) it writes
# verifiers/groth16/src/resources/circom/<circuit>/{input,verification_key,proof,public,public_wrong}.json
# and rewrites verifiers/groth16/src/resources/circom/PROVENANCE.md. public_wrong.json is public.json with its
# last public input + 1: snarkjs must reject it.
#
# Needs node >= 18 and npm. Uses the npm registry only (npm ci of the pinned package-lock.json into
# scripts/groth16-fixtures/node_modules); the powers of tau are generated here, never downloaded.
# Build products (r1cs, wasm, ptau, zkey, witnesses) go to a temporary directory, removed at exit;
# KEEP_BUILD=1 keeps them in scripts/groth16-fixtures/build/ instead (gitignored).
# POWER (default 10) is the powers-of-tau size, 2^POWER constraints; every circuit here fits 2^10.
#
# The setup and the proofs are randomised: each run gives new keys and proofs for the same inputs.
# Fixtures are replaced only after every proof has been checked.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=scripts/groth16-fixtures
out=verifiers/groth16/src/resources/circom
circuits=(multiplier many_inputs poseidon_commit)
power="${POWER:-10}"
# Poseidon(1, 2) and Poseidon(1, 2, 3, 4) with circomlib's parameters, as published by circomlibjs,
# light-poseidon and others: checked, so a changed circomlib cannot silently change the commitment
# vectors (the first on a throwaway circuit, the second on poseidon_commit's public output).
poseidon_1_2=7853200120776062878684798364095072458815029376092732009249414926327459813530
poseidon_1_2_3_4=18821383157269793795438455681495246036402687001665670618754263018637548127333

log() { echo "gen-groth16-fixtures: $*"; }
die() {
	echo "gen-groth16-fixtures: ERROR: $*" >&2
	exit 1
}
strip_ansi() { sed 's/\x1b\[[0-9;]*m//g'; }

command -v node >/dev/null || die "node is required (>= 18)"
command -v npm >/dev/null || die "npm is required"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
	die "node >= 18 is required, found $(node --version)"

# 1. The pinned toolchain. npm ci only when package-lock.json changed since the last install.
stamp="$tools/node_modules/.veritas-lock.sha256"
lock_sum="$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
	log "installing the pinned npm packages (npm ci) into $tools/node_modules"
	(cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
	echo "$lock_sum" >"$stamp"
fi
circom="$PWD/$tools/node_modules/.bin/circom2"
snarkjs_bin="$PWD/$tools/node_modules/.bin/snarkjs"
helper="$PWD/$tools/fixture-inputs.js"
[[ -x "$circom" && -x "$snarkjs_bin" ]] || die "circom2/snarkjs missing from $tools/node_modules"
# snarkjs writes coloured logs even into pipes: sj prints them plain (stdout) and returns snarkjs's
# exit status. snarkjs (for every call that must pass) does the same, but also fails on an [ERROR]
# log line, because some commands exit 0 after one (snarkjs 0.7.6 `groth16 setup` with too small a
# ptau logs "circuit too big for this power of tau ceremony" and exits 0), and reports the failure on
# stderr (command name only: the arguments may hold entropy).
sj() {
	local rc=0 text
	text="$("$snarkjs_bin" "$@" 2>&1)" || rc=$?
	strip_ansi <<<"$text"
	return "$rc"
}
snarkjs() {
	local rc=0 text
	text="$(sj "$@")" || rc=$?
	if ((rc == 0)) && grep -q '^\[ERROR\]' <<<"$text"; then rc=1; fi
	printf '%s\n' "$text"
	((rc == 0)) || printf 'gen-groth16-fixtures: snarkjs %s %s failed (exit %d):\n%s\n' "$1" "$2" "$rc" "$text" >&2
	return "$rc"
}

pkg_version() { node -p "require('./$tools/node_modules/$1/package.json').version"; }
v_circom2="$(pkg_version circom2)"
v_snarkjs="$(pkg_version snarkjs)"
v_circomlib="$(pkg_version circomlib)"
v_compiler="$("$circom" --version | sed -n 's/^circom compiler //p')"
[[ -n "$v_compiler" ]] || die "circom2 did not report a compiler version"
log "node $(node --version), npm $(npm --version 2>/dev/null), circom2 $v_circom2 (circom $v_compiler), snarkjs $v_snarkjs, circomlib $v_circomlib"

if [[ "${KEEP_BUILD:-0}" == 1 ]]; then
	build="$PWD/$tools/build"
	rm -rf "$build"
	mkdir -p "$build"
else
	build="$(mktemp -d -t veritas-groth16-XXXXXX)"
	trap 'rm -rf "$build"' EXIT
fi
stage="$build/fixtures"
mkdir -p "$stage"
log "build directory: $build"

entropy() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
compile() { # compile NAME SOURCE_DIR
	"$circom" "$2/$1.circom" --r1cs --wasm --O2 --prime bn128 -l "$PWD/$tools/node_modules" \
		-o "$build" >"$build/$1.compile.log" 2>&1 || {
		cat "$build/$1.compile.log" >&2
		die "circom failed on $1.circom"
	}
}

# 2. Sanity check of circomlib's Poseidon against the published vector (witness only, no proof).
mkdir -p "$build/anchor"
cat >"$build/anchor/poseidon_anchor.circom" <<'EOF'
pragma circom 2.2.0;
include "circomlib/circuits/poseidon.circom";
template Anchor() {
	signal input in[2];
	signal output out <== Poseidon(2)(in);
}
component main = Anchor();
EOF
compile poseidon_anchor "$build/anchor"
echo '{"in": ["1", "2"]}' >"$build/anchor/input.json"
snarkjs wtns calculate "$build/poseidon_anchor_js/poseidon_anchor.wasm" "$build/anchor/input.json" \
	"$build/anchor/w.wtns" >/dev/null
snarkjs wtns export json "$build/anchor/w.wtns" "$build/anchor/w.json" >/dev/null
got="$(node "$helper" get "$build/anchor/w.json" 1)"
[[ "$got" == "$poseidon_1_2" ]] || die "circomlib Poseidon(1, 2) = $got, expected $poseidon_1_2"
log "circomlib Poseidon(1, 2) matches the published vector"

# 3. Phase 1: a local powers-of-tau ceremony on bn128 (one contribution), prepared for phase 2.
log "powers of tau: bn128, 2^$power"
snarkjs powersoftau new bn128 "$power" "$build/pot_0000.ptau" >/dev/null
snarkjs powersoftau contribute "$build/pot_0000.ptau" "$build/pot_0001.ptau" \
	--name="veritas fixtures phase 1" -e="$(entropy)" >/dev/null
snarkjs powersoftau prepare phase2 "$build/pot_0001.ptau" "$build/pot_final.ptau" >/dev/null
snarkjs powersoftau verify "$build/pot_final.ptau" >"$build/ptau.verify.log" ||
	die "powersoftau verify failed: $(cat "$build/ptau.verify.log")"
ptau="$build/pot_final.ptau"

declare -A info verify_ok verify_wrong
for c in "${circuits[@]}"; do
	log "$c: compile"
	compile "$c" "$tools"
	r1cs="$build/$c.r1cs"
	wasm="$build/${c}_js/$c.wasm"
	info[$c]="$(snarkjs r1cs info "$r1cs" | sed -n 's/^\[INFO\]  snarkJS: # of //p' | paste -sd';' | sed 's/;/; /g')"

	# 4. Phase 2: circuit-specific Groth16 setup, one contribution, checked against r1cs and ptau.
	log "$c: groth16 setup"
	snarkjs groth16 setup "$r1cs" "$ptau" "$build/${c}_0000.zkey" >/dev/null
	snarkjs zkey contribute "$build/${c}_0000.zkey" "$build/$c.zkey" \
		--name="veritas fixtures $c" -e="$(entropy)" >/dev/null
	snarkjs zkey verify "$r1cs" "$ptau" "$build/$c.zkey" >"$build/$c.zkey.verify.log" ||
		die "$c: zkey verify failed: $(cat "$build/$c.zkey.verify.log")"

	d="$stage/$c"
	mkdir -p "$d"
	snarkjs zkey export verificationkey "$build/$c.zkey" "$d/verification_key.json" >/dev/null

	# 5. Witness for the fixed inputs, proof, verification.
	log "$c: witness, prove, verify"
	node "$helper" input "$c" >"$d/input.json"
	snarkjs wtns calculate "$wasm" "$d/input.json" "$build/$c.wtns" >/dev/null
	snarkjs wtns check "$r1cs" "$build/$c.wtns" >"$build/$c.wtns.check.log" ||
		die "$c: witness does not satisfy the r1cs: $(cat "$build/$c.wtns.check.log")"
	snarkjs groth16 prove "$build/$c.zkey" "$build/$c.wtns" "$d/proof.json" "$d/public.json" >/dev/null
	node "$helper" wrong "$d/public.json" >"$d/public_wrong.json"

	if ! verify_ok[$c]="$(sj groth16 verify "$d/verification_key.json" "$d/public.json" "$d/proof.json")"; then
		die "$c: snarkjs rejects the valid proof: ${verify_ok[$c]}"
	fi
	grep -q 'snarkJS: OK!' <<<"${verify_ok[$c]}" || die "$c: unexpected verify output: ${verify_ok[$c]}"
	if verify_wrong[$c]="$(sj groth16 verify "$d/verification_key.json" "$d/public_wrong.json" "$d/proof.json")"; then
		die "$c: snarkjs ACCEPTS public_wrong.json"
	fi
	grep -q 'snarkJS: Invalid proof' <<<"${verify_wrong[$c]}" ||
		die "$c: public_wrong.json failed for another reason than an invalid proof: ${verify_wrong[$c]}"
	log "$c: valid proof accepted, public_wrong.json rejected"
done

poseidon_out="$(node "$helper" get "$stage/poseidon_commit/public.json" 0)"
poseidon_nonce="$(node "$helper" get "$stage/poseidon_commit/public.json" 1)"
[[ "$poseidon_out" == "$poseidon_1_2_3_4" ]] ||
	die "poseidon_commit: Poseidon(1, 2, 3, 4) = $poseidon_out, expected $poseidon_1_2_3_4"
log "poseidon_commit: Poseidon(1, 2, 3, 4) matches the published vector"

# 6. PROVENANCE.md, then the fixtures replace the old ones.
today="$(date -u +%F)"
{
	cat <<EOF
# circom + snarkjs Groth16 (BN254) fixtures: where they come from

Generated on $today (UTC) by \`scripts/gen-groth16-fixtures.sh\` (command: \`POWER=$power
scripts/gen-groth16-fixtures.sh\` from the repository root); this file is written by the script, do
not edit it by hand. Circuits: \`scripts/groth16-fixtures/*.circom\` (our own code).

| tool | version |
|---|---|
| node / npm | $(node --version) / $(npm --version 2>/dev/null) |
| npm \`circom2\` (circom compiled to WASM) | $v_circom2 (circom compiler $v_compiler), flags \`--r1cs --wasm --O2 --prime bn128\` |
| npm \`snarkjs\` | $v_snarkjs |
| npm \`circomlib\` | $v_circomlib |

Exact versions are pinned in \`scripts/groth16-fixtures/package.json\` and \`package-lock.json\`
(installed with \`npm ci\`, npm registry only).

How: a local powers-of-tau ceremony (\`snarkjs powersoftau new bn128 $power\`, one contribution
with random entropy, \`prepare phase2\`, \`powersoftau verify\`), then per circuit \`groth16 setup\`,
one \`zkey contribute\` with random entropy, \`zkey verify\`, \`zkey export verificationkey\`,
\`wtns calculate\` + \`wtns check\` on \`input.json\`, \`groth16 prove\`, and \`groth16 verify\`
on \`public.json\` (must say OK) and on \`public_wrong.json\` (must say Invalid proof). The
entropy was not recorded and the ptau/zkey files were deleted: the keys are test keys only.
Each run makes new keys and proofs (randomised setup and prover) for the same inputs.

Files per circuit: \`input.json\` (witness input: private and public values), \`verification_key.json\`,
\`proof.json\`, \`public.json\` (public signals: outputs first, then public inputs, in declaration
order), \`public_wrong.json\` (\`public.json\` with the LAST public input + 1 mod r).

Sanity checks: circomlib's \`Poseidon(2)\` on (1, 2) gives
\`$poseidon_1_2\` (throwaway circuit, witness only), and \`poseidon_commit\`'s output below equals the
published \`Poseidon(1, 2, 3, 4)\`; both are the circomlibjs / light-poseidon reference vectors.

EOF
	for c in "${circuits[@]}"; do
		echo "## \`$c\`"
		echo
		case "$c" in
		multiplier) echo "Statement: private a, b with a * b = c; public: [c]. Inputs: a = 3, b = 11, c = 33." ;;
		many_inputs)
			echo "Statement: x[i] = y[i]^2 for i = 0..63, x public (64 public inputs), y private."
			echo "Inputs: y[i] = 7^(i+1) mod r, x[i] = y[i]^2 mod r (x[45..63] wrap the field); the exact"
			echo "values are in \`input.json\`."
			;;
		poseidon_commit)
			echo "Statement: commitment = Poseidon(x[0], x[1], x[2], x[3]) (circomlib \`Poseidon(4)\`, BN254),"
			echo "x private, and a public \`nonce\`; public: [commitment, nonce]."
			echo "Inputs: x = (1, 2, 3, 4), nonce = $poseidon_nonce."
			echo
			echo "**Expected Poseidon output** (circomlib parameters, t = 5), from \`public.json\`:"
			echo
			echo "    Poseidon(1, 2, 3, 4) = $poseidon_out"
			;;
		esac
		echo
		echo "R1CS: ${info[$c]}."
		echo
		echo "- \`snarkjs groth16 verify verification_key.json public.json proof.json\`: $(grep -o 'snarkJS: .*' <<<"${verify_ok[$c]}" | tail -1) (exit 0)"
		echo "- \`snarkjs groth16 verify verification_key.json public_wrong.json proof.json\`: $(grep -o 'snarkJS: .*' <<<"${verify_wrong[$c]}" | tail -1) (exit 1)"
		echo
		echo "| file | bytes | sha256 |"
		echo "|---|---|---|"
		for f in input verification_key proof public public_wrong; do
			p="$stage/$c/$f.json"
			echo "| \`$f.json\` | $(stat -c %s "$p") | $(sha256sum "$p" | cut -d' ' -f1) |"
		done
		echo
	done
} >"$stage/PROVENANCE.md"

mkdir -p "$out"
for c in "${circuits[@]}"; do
	rm -rf "${out:?}/$c"
	cp -r "$stage/$c" "$out/$c"
done
cp "$stage/PROVENANCE.md" "$out/PROVENANCE.md"
if [[ "${KEEP_BUILD:-0}" == 1 ]]; then log "build products kept in $build"; fi

log "wrote:"
find "$out" -type f | sort | while read -r f; do printf '  %8d  %s\n' "$(stat -c %s "$f")" "$f"; done
log "total: $(find "$out" -type f -printf "%s\n" | awk "{ s += \$1 } END { print s }") bytes in $out"
