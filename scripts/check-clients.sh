#!/usr/bin/env bash
# Proves that off-the-shelf clients work unchanged against a Veritas dev chain: @polkadot/api,
# polkadot-api and py-substrate-interface each read the chain properties and send a finalized
# balance transfer from //Alice to //Bob (tests/clients/*). Does not build: it uses the node binary
# at $VERITAS_NODE_BIN (default from scripts/env.sh). Needs node (>= 20), npm, python3 (with venv)
# and curl; installs the pinned client packages into tests/clients/node_modules and
# tests/clients/.venv (both ignored by git).
# Prints "client NAME: ok" per client; exits non-zero if any client fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
clients_dir=tests/clients

for tool in node npm python3 curl; do
	command -v "$tool" >/dev/null || { echo "check-clients.sh: '$tool' is required" >&2; exit 1; }
done
[ -x "$VERITAS_NODE_BIN" ] || {
	echo "check-clients.sh: no node binary at $VERITAS_NODE_BIN (build it with scripts/test.sh or set VERITAS_NODE_BIN)" >&2
	exit 1
}

# A dev node on free loopback ports, with a throwaway database.
read -r rpc_port p2p_port prom_port < <(free_ports 3)
log=$(mktemp -t veritas-check-clients.XXXXXX.log)
node_pid=
stop_node() {
	if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
		kill "$node_pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.2; done
		kill -9 "$node_pid" 2>/dev/null || true
		wait "$node_pid" 2>/dev/null || true
	fi
	rm -f "$log"
}
trap stop_node EXIT

"$VERITAS_NODE_BIN" --dev --dev-block-time 1000 --tmp --no-mdns \
	--rpc-port "$rpc_port" --port "$p2p_port" --prometheus-port "$prom_port" >"$log" 2>&1 &
node_pid=$!
url="ws://127.0.0.1:$rpc_port"

# Client packages, exactly as locked, installed while the node starts.
echo "check-clients.sh: installing npm packages (npm ci)"
(cd "$clients_dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "check-clients.sh: installing Python requirements into $clients_dir/.venv"
[ -x "$clients_dir/.venv/bin/python" ] || python3 -m venv "$clients_dir/.venv"
"$clients_dir/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$clients_dir/requirements.txt"

echo "check-clients.sh: waiting for the node's RPC at $url"
ready=
for _ in $(seq 120); do
	kill -0 "$node_pid" 2>/dev/null || { echo "check-clients.sh: the node exited; its log:" >&2; tail -n 40 "$log" >&2; exit 1; }
	# Ready once the RPC answers and the chain has authored a block.
	if curl -sf -H 'content-type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader","params":[]}' \
		"http://127.0.0.1:$rpc_port" 2>/dev/null | grep -qv '"number":"0x0"'; then
		ready=1
		break
	fi
	sleep 1
done
[ -n "$ready" ] || { echo "check-clients.sh: the node's RPC did not come up; its log:" >&2; tail -n 40 "$log" >&2; exit 1; }

failed=0
run_client() {
	local name=$1
	shift
	if timeout 300 "$@" "$url"; then
		echo "client $name: ok"
	else
		echo "client $name: FAILED" >&2
		failed=1
	fi
}
run_client polkadot-js node "$clients_dir/polkadot_js.mjs"
run_client polkadot-api node "$clients_dir/polkadot_api.mjs"
run_client py-substrate-interface "$clients_dir/.venv/bin/python" "$clients_dir/py_substrate_interface.py"

if [ "$failed" != 0 ]; then
	echo "check-clients.sh: some clients failed; the node's last log lines:" >&2
	tail -n 20 "$log" >&2
	exit 1
fi
