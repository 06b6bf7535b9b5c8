#!/usr/bin/env bash
# Installs what a fresh Debian machine with rustup lacks to build Veritas, and nothing else:
#   - the pinned toolchain of rust-toolchain.toml with its WASM targets and rust-src;
#   - Debian packages clang, libclang-dev (bindgen), protobuf-compiler (libp2p), lld (linker),
#     curl (scripts), libssl-dev + pkg-config (litep2p WebRTC), g++ + make (RocksDB, binaryen);
#     and, when absent, nodejs + npm and python3-venv for the client check.
# Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in clang libclang-dev protobuf-compiler lld curl libssl-dev pkg-config g++ make; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# The client compatibility check (scripts/check-clients.sh) runs Node.js and Python clients.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v python3 >/dev/null 2>&1 && python3 -c 'import venv, ensurepip' 2>/dev/null ||
	missing+=(python3 python3-venv)
if ((${#missing[@]})); then
	echo "setup: installing Debian packages: ${missing[*]}"
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v rustup >/dev/null 2>&1; then
	echo "setup: rustup is required (https://rustup.rs); it is not installed" >&2
	exit 1
fi
# Installs the toolchain named in rust-toolchain.toml (with its components and targets) if absent.
rustup toolchain install >/dev/null 2>&1 || rustup show active-toolchain >/dev/null
toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
installed_targets="$(rustup target list --installed --toolchain "$toolchain")"
for target in wasm32-unknown-unknown wasm32v1-none; do
	grep -qx "$target" <<<"$installed_targets" || rustup target add --toolchain "$toolchain" "$target"
done
rustup component list --installed --toolchain "$toolchain" | grep -q '^rust-src' ||
	rustup component add --toolchain "$toolchain" rust-src
