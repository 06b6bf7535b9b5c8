#!/usr/bin/env bash
# Cargo's RUSTC_WORKSPACE_WRAPPER (set by env.sh): how every crate of this workspace is compiled.
#
#   workspace-rustc.sh RUSTC ARGS...
#
# 1. clippy-driver compiles it (rustc with clippy's lints added): the lints cost seconds of the
#    crates they lint, where `cargo clippy` would check every dependency again in a build of its
#    own.
# 2. With VERITAS_DOC_GATE=1 (scripts/test.sh's build), rustdoc then documents it, with rustdoc's
#    warnings (broken intra-doc links, bad HTML, …) as errors — what `RUSTDOCFLAGS="-D warnings"
#    cargo doc --workspace --no-deps` checks — against the dependencies this very build made:
#    `cargo doc` would first check all ~900 dependencies in a mode of their own (8 minutes of a
#    cold CI run). Libraries and binaries are documented; tests (`--test`) and build scripts are
#    not, as with `cargo doc`. The flags are the compile's, less those that only make code
#    (`--emit`, `--out-dir`, `-C …`); the pages go to $CARGO_TARGET_DIR/doc-gate/CRATE-TYPE.
#    A rustdoc error fails the crate's compilation, so cargo reports it as one.
set -uo pipefail
rustc=$1
driver="$(dirname "$rustc")/clippy-driver"
[ -x "$driver" ] || driver=$rustc
"$driver" "$@" || exit $?
[ "${VERITAS_DOC_GATE:-}" = 1 ] || exit 0
shift

args=()
name="" kind="" source=""
while [ $# -gt 0 ]; do
	case "$1" in
	--test | --print* | -vV | -V | --version) exit 0 ;;
	--crate-name)
		name=$2
		args+=("$1" "$2")
		shift
		;;
	--crate-type)
		kind=$2
		args+=("$1" "$2")
		shift
		;;
	--emit=* | -C?*) ;;
	--out-dir | -C | --emit)
		shift
		;;
	--json=*) args+=("--json=diagnostic-rendered-ansi") ;;
	-L | --extern | --cfg | --check-cfg | --cap-lints | --target | -W | -A | -D | -F | --remap-path-prefix)
		args+=("$1" "$2")
		shift
		;;
	*.rs)
		source=$1
		args+=("$1")
		;;
	*) args+=("$1") ;;
	esac
	shift
done
case "$name" in "" | build_script_*) exit 0 ;; esac
[ -n "$source" ] || exit 0
out="${CARGO_TARGET_DIR:-target}/doc-gate/$name-${kind:-lib}"
exec "$(dirname "$rustc")/rustdoc" "${args[@]}" -o "$out" -D warnings
