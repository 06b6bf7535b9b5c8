#!/usr/bin/env bash
# A Groth16 key ceremony, with snarkjs, on one Veritas segment's circuit: production keys instead
# of the development seed's (which anyone can use to forge proofs).
#
#   scripts/zkey-ceremony.sh R1CS OUT_DIR [PTAU]
#   scripts/zkey-ceremony.sh --local-ptau POWER     (only makes the cached local 2^POWER one)
#
# R1CS is a segment's circuit as `veritas-inference r1cs --model DIR --segment I --out FILE`
# writes it. The script runs `snarkjs groth16 setup` on it, one `zkey contribute` (more parties
# add theirs with the same command before the beacon), a `zkey beacon`, then `zkey verify`
# against the R1CS and the powers of tau, and writes OUT_DIR/segment.zkey and
# OUT_DIR/verification_key.json. `veritas-zkey import --model DIR --segment I OUT_DIR/segment.zkey`
# then writes the model directory's `keys/segment-I.pk`, which the node proves with.
#
# PTAU is the powers-of-tau file, at least 2^p >= constraints + 4. For production use a public
# multi-party one (e.g. the Hermez/Polygon `powersOfTau28_hez_final_*.ptau`); without PTAU the
# script makes a local one with a single contribution: development and tests only.
# Entropy comes from /dev/urandom; VERITAS_CEREMONY_ENTROPY fixes it (tests).
# VERITAS_PTAU_CACHE (a directory; scripts/env.sh sets it for the tests) keeps each local powers
# of tau it makes, as pot-POWER.ptau, and reuses it: preparing one for phase 2 takes minutes
# (2 min for 2^13 on 2 cores). Only the local, development powers of tau are cached. One process
# makes a given power at a time (flock on pot-POWER.lock); the others wait for it and reuse it:
# `--local-ptau POWER` makes it ahead of the ceremonies (scripts/test.sh does, in the background
# while the end-to-end tests wait on blocks).
#
# Needs node >= 18 and npm: snarkjs is the pinned one of scripts/groth16-fixtures (npm ci from the
# npm registry when its package-lock.json changed).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || {
	sed -n '4,7p' "$0" >&2
	exit 2
}
if [ "$1" = --local-ptau ]; then
	ptau_only="$2"
	[[ "$ptau_only" =~ ^[0-9]+$ ]] && ((ptau_only >= 8 && ptau_only <= 20)) || {
		echo "zkey-ceremony: --local-ptau takes a power between 8 and 20" >&2
		exit 2
	}
	[ -n "${VERITAS_PTAU_CACHE:-}" ] || {
		echo "zkey-ceremony: --local-ptau needs VERITAS_PTAU_CACHE" >&2
		exit 2
	}
else
	ptau_only=""
	r1cs="$(realpath "$1")"
	mkdir -p "$2"
	out="$(realpath "$2")"
	ptau="${3:+$(realpath "$3")}"
fi

tools=scripts/groth16-fixtures
die() {
	echo "zkey-ceremony: ERROR: $*" >&2
	exit 1
}
command -v node >/dev/null || die "node is required (>= 18)"
command -v npm >/dev/null || die "npm is required"
stamp="$tools/node_modules/.veritas-lock.sha256"
lock_sum="$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)"
# One npm ci at a time (ceremonies may run side by side).
(
	flock 8
	if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
		(cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
		echo "$lock_sum" >"$stamp"
	fi
) 8>"$tools/.npm-ci.lock"
snarkjs_bin="$PWD/$tools/node_modules/.bin/snarkjs"
# snarkjs logs in colour and exits 0 after some errors: fail on an [ERROR] line too.
snarkjs() {
	local rc=0 text
	text="$("$snarkjs_bin" "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g')" || rc=$?
	if ((rc == 0)) && grep -q '\[ERROR\]' <<<"$text"; then rc=1; fi
	((rc == 0)) || {
		printf '%s\n' "$text" >&2
		die "snarkjs $1 $2 failed"
	}
	printf '%s\n' "$text"
}
entropy() { echo "${VERITAS_CEREMONY_ENTROPY:-$(head -c 32 /dev/urandom | sha256sum | cut -d' ' -f1)}-$1"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A local (development) powers of tau 2^$1 with one contribution, prepared for phase 2, at $2.
make_local_ptau() {
	snarkjs powersoftau new bn128 "$1" "$work/pot0.ptau" >/dev/null
	snarkjs powersoftau contribute "$work/pot0.ptau" "$work/pot1.ptau" --name=local -e="$(entropy tau)" >/dev/null
	snarkjs powersoftau prepare phase2 "$work/pot1.ptau" "$2" >/dev/null
}

# The cached local powers of tau 2^$1, made under a lock if no other process made it yet; prints
# its path.
cached_local_ptau() {
	local cached="$VERITAS_PTAU_CACHE/pot-$1.ptau"
	mkdir -p "$VERITAS_PTAU_CACHE"
	(
		flock 9
		if [ ! -f "$cached" ]; then
			echo "zkey-ceremony: a local powers of tau 2^$1 (development only), kept in $VERITAS_PTAU_CACHE" >&2
			make_local_ptau "$1" "$work/pot.ptau"
			mv "$work/pot.ptau" "$cached.$$" && mv "$cached.$$" "$cached"
		fi
	) 9>"$VERITAS_PTAU_CACHE/pot-$1.lock"
	echo "$cached"
}

if [ -n "$ptau_only" ]; then
	cached_local_ptau "$ptau_only"
	exit 0
fi

constraints="$(snarkjs r1cs info "$r1cs" | sed -n 's/.*# of Constraints: *\([0-9]*\).*/\1/p')"
[ -n "$constraints" ] || die "$r1cs: not an R1CS file snarkjs reads"
if [ -z "$ptau" ]; then
	power=8
	while (((1 << power) < constraints + 4)); do power=$((power + 1)); done
	echo "zkey-ceremony: $constraints constraints; a local powers of tau 2^$power (development only)"
	if [ -n "${VERITAS_PTAU_CACHE:-}" ]; then
		ptau="$(cached_local_ptau "$power")"
	else
		make_local_ptau "$power" "$work/pot.ptau"
		ptau="$work/pot.ptau"
	fi
fi
snarkjs groth16 setup "$r1cs" "$ptau" "$work/s0.zkey" >/dev/null
snarkjs zkey contribute "$work/s0.zkey" "$work/s1.zkey" --name=first -e="$(entropy first)" >/dev/null
snarkjs zkey beacon "$work/s1.zkey" "$out/segment.zkey" "$(entropy beacon | sha256sum | cut -d' ' -f1)" 10 -n=beacon >/dev/null
snarkjs zkey verify "$r1cs" "$ptau" "$out/segment.zkey" | grep -q 'ZKey Ok!' || die "zkey verify failed"
snarkjs zkey export verificationkey "$out/segment.zkey" "$out/verification_key.json" >/dev/null
echo "zkey-ceremony: $out/segment.zkey verified against $(basename "$r1cs") and the powers of tau"
