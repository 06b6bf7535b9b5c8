#!/usr/bin/env bash
# A four-validator Veritas network (Alice, Bob, Charlie, Dave) on 127.0.0.1.
#
#   scripts/devnet.sh [start]   build if needed, start the four validators, wait for a finalized
#                               block, print the endpoints
#   scripts/devnet.sh stop      stop them (SIGTERM, then SIGKILL after 30 s); nothing outlives it
#   scripts/devnet.sh status    show which validators run and their finalized block
#
# Each validator has its own base path (RocksDB, keystore) under $VERITAS_DEVNET_DIR
# (default .devnet/ in the repository) and its own ports: p2p 30333+i, JSON-RPC 9944+i,
# Prometheus 9615+i (bases overridable with VERITAS_DEVNET_P2P_PORT, VERITAS_DEVNET_RPC_PORT,
# VERITAS_DEVNET_PROMETHEUS_PORT). A second `start` reuses the base paths, so the chain
# continues; delete the directory for a new chain. VERITAS_DEVNET_SLOT_MS sets Aura's slot of a
# new chain (the `local` spec with `blockTime.slotDurationMs` in its genesis; default 6000, the
# production slot).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

DIR="${VERITAS_DEVNET_DIR:-$PWD/.devnet}"
NAMES=(alice bob charlie dave)
P2P="${VERITAS_DEVNET_P2P_PORT:-30333}"
RPC="${VERITAS_DEVNET_RPC_PORT:-9944}"
PROM="${VERITAS_DEVNET_PROMETHEUS_PORT:-9615}"

rpc() { # rpc PORT METHOD [PARAMS_JSON]
	curl -s --max-time 2 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":${3:-[]}}" \
		"http://127.0.0.1:$1"
}

finalized_number() { # finalized_number PORT → decimal, or nothing
	local head header
	head=$(rpc "$1" chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
	[ -n "$head" ] || return 0
	header=$(rpc "$1" chain_getHeader "[\"$head\"]")
	printf '%d\n' "$(sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p' <<<"$header")"
}

running() { # running NAME → true if its process is alive
	local pidfile="$DIR/$1.pid"
	[ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

start() {
	scripts/setup.sh
	[ -x "$VERITAS_NODE_BIN" ] || build_all
	mkdir -p "$DIR"
	local boot=() i
	for i in "${!NAMES[@]}"; do
		local key="$DIR/${NAMES[$i]}.node-key"
		[ -f "$key" ] || printf '%064x' $((i + 1)) >"$key"
		boot+=("/ip4/127.0.0.1/tcp/$((P2P + i))/p2p/$("$VERITAS_NODE_BIN" key inspect-node-key --file "$key")")
	done
	local chain=local
	if [ -n "${VERITAS_DEVNET_SLOT_MS:-}" ]; then
		chain="$DIR/local-spec.json"
		[ -f "$chain" ] || "$VERITAS_NODE_BIN" build-spec --chain local 2>/dev/null |
			python3 -c 'import json, sys
spec = json.load(sys.stdin)
spec["genesis"]["runtimeGenesis"]["patch"]["blockTime"] = {"slotDurationMs": int(sys.argv[1])}
json.dump(spec, sys.stdout)' "$VERITAS_DEVNET_SLOT_MS" >"$chain"
	fi
	for i in "${!NAMES[@]}"; do
		local name="${NAMES[$i]}" args=()
		if running "$name"; then echo "devnet: $name already running"; continue; fi
		for j in "${!boot[@]}"; do [ "$j" = "$i" ] || args+=(--bootnodes "${boot[$j]}"); done
		# setsid: each validator leads its own process group, so `stop` reaches all it spawns.
		setsid "$VERITAS_NODE_BIN" --chain "$chain" "--$name" \
			--base-path "$DIR/$name" --node-key-file "$DIR/$name.node-key" \
			--listen-addr "/ip4/127.0.0.1/tcp/$((P2P + i))" \
			--rpc-port $((RPC + i)) --prometheus-port $((PROM + i)) \
			--no-mdns --no-telemetry "${args[@]}" \
			>>"$DIR/$name.log" 2>&1 </dev/null &
		echo $! >"$DIR/$name.pid"
	done
	echo "devnet: waiting for a finalized block..."
	local deadline=$((SECONDS + 300)) n
	while true; do
		n=$(finalized_number "$RPC" || true)
		if [ -n "$n" ] && [ "$n" -ge 1 ]; then break; fi
		if [ $SECONDS -ge $deadline ]; then
			echo "devnet: no finalized block after 300 s; logs in $DIR/*.log" >&2
			exit 1
		fi
		sleep 2
	done
	echo "devnet: finalized block #$n"
	for i in "${!NAMES[@]}"; do
		printf '  %-8s ws://127.0.0.1:%d  metrics http://127.0.0.1:%d/metrics  p2p %s  log %s\n' \
			"${NAMES[$i]}" $((RPC + i)) $((PROM + i)) "${boot[$i]}" "$DIR/${NAMES[$i]}.log"
	done
}

stop() {
	local name pid deadline
	for name in "${NAMES[@]}"; do
		running "$name" && kill -TERM -- "-$(cat "$DIR/$name.pid")" 2>/dev/null || true
	done
	deadline=$((SECONDS + 30))
	for name in "${NAMES[@]}"; do
		[ -f "$DIR/$name.pid" ] || continue
		pid=$(cat "$DIR/$name.pid")
		while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
		kill -KILL -- "-$pid" 2>/dev/null || true
		rm -f "$DIR/$name.pid"
	done
	echo "devnet: stopped"
}

status() {
	local i
	for i in "${!NAMES[@]}"; do
		if running "${NAMES[$i]}"; then
			echo "${NAMES[$i]}: running, finalized #$(finalized_number $((RPC + i)) || echo '?')"
		else
			echo "${NAMES[$i]}: stopped"
		fi
	done
}

case "${1:-start}" in
	start) start ;;
	stop) stop ;;
	status) status ;;
	*) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
