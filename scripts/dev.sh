#!/usr/bin/env bash
# The first command: installs what is missing, builds, and runs Veritas on its embedded defaults:
# a development chain (one validator, Alice, fresh state) and Bob's inference node (bonded, with a
# development enclave, not AWS) serving the shipped models, registered on the chain by Alice.
#   chain JSON-RPC:     ws://127.0.0.1:9944     (Prometheus http://127.0.0.1:9615/metrics)
#   inference HTTP API: http://127.0.0.1:8088   (/v1/models, /v1/infer, /v1/chat/completions, /metrics)
#
#   scripts/dev.sh                         run both until Ctrl-C
#   scripts/dev.sh --smoke                 start both (on free ports), get one TEE+ZK receipt
#                                          verified, stop
#   scripts/dev.sh --chain-only [ARGS...]  only the chain (ARGS go to veritas-node)
# The chain makes a block every BLOCK_TIME_MS milliseconds (default 1000; Aura and GRANDPA as on
# a production chain, whose block time is 6000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
# `scripts/test.sh` has built everything already (and its documentation build holds the target
# directory meanwhile): VERITAS_BUILT=1 skips the build.
[ "${VERITAS_BUILT:-}" = 1 ] || build_all

if [ "${1:-}" = "--chain-only" ]; then
	shift
	exec "$VERITAS_NODE_BIN" --dev --dev-block-time "${BLOCK_TIME_MS:-1000}" "$@"
fi
smoke=false
[ "${1:-}" = "--smoke" ] && smoke=true

B="$VERITAS_PROFILE_DIR"
# The smoke run takes free ports, so that it never talks to another node already listening on
# the defaults (and a passing smoke run is this one's).
if $smoke; then
	read -r rpc_port p2p_port prom_port http_port < <(free_ports 4)
else
	rpc_port=9944 p2p_port=30333 prom_port=9615 http_port=8088
fi
WS=ws://127.0.0.1:$rpc_port
HTTP=http://127.0.0.1:$http_port
IMAGE=veritas-inference # the development enclave's image text (veritas-inference's default)
work="$(mktemp -d)"
chain=""
inference=""
stop() {
	for pid in $inference $chain; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap stop EXIT
veritas() { "$B/veritas" --url "$WS" "$@"; }
# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
	local seconds=$1
	shift
	for _ in $(seq "$seconds"); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 1
	done
	echo "dev.sh: timed out waiting for: $*" >&2
	return 1
}
rpc() {
	curl -sf -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":[]}" "http://127.0.0.1:$rpc_port"
}

echo "dev.sh: chain (logs: $work/chain.log)"
"$VERITAS_NODE_BIN" --dev --dev-block-time "${BLOCK_TIME_MS:-1000}" --base-path "$work/chain" \
	--rpc-port "$rpc_port" --port "$p2p_port" --prometheus-port "$prom_port" \
	>"$work/chain.log" 2>&1 &
chain=$!
wait_for 120 rpc chain_getFinalizedHead

# The development enclave's measurement (the shipped manifests name it by the digest of its
# PCRs) and Bob's bond, before his node starts (it registers its enclave key under the
# measurement, whose id it computes from the image).
veritas --suri //Alice measurement register --name veritas --dev-image "$IMAGE"
veritas --suri //Bob node register --bond 10000000000000

echo "dev.sh: inference node (logs: $work/inference.log)"
"$B/veritas-inference" --chain "$WS" --suri //Bob --models models \
	--data "$work/bob" --enclave dev --enclave-image "$IMAGE" \
	--chat-model models/text-char-mlp --http "127.0.0.1:$http_port" >"$work/inference.log" 2>&1 &
inference=$!
# Its HTTP API opens once its verifying keys are on chain; then the models can be registered.
wait_for 600 curl -sf "$HTTP/v1/models"
for model in digits-mlp digits-mlp-large text-char-mlp digits-cnn; do
	echo -n "dev.sh: model $model registered: id "
	veritas --suri //Alice model register --manifest "models/$model/manifest.json"
done
wait_for 120 bash -c "curl -sf $HTTP/v1/models | grep -q digits-cnn"

cat <<EOF
dev.sh: ready.
  chain            $WS
  inference node   $HTTP   (Bob; models 0 digits-mlp, 1 digits-mlp-large, 2 text-char-mlp, 3 digits-cnn)
  try:  curl -s $HTTP/v1/models
        curl -s $HTTP/v1/infer -d '{"model": 0, "features": [0,0,0.3,0.8,0.8,0.2,0,0, 0,0,0.6,0.9,0.7,0.9,0,0, 0,0,0.1,0.3,0,0.9,0.3,0, 0,0,0,0,0,1,0.3,0, 0,0,0,0,0.2,0.9,0,0, 0,0,0,0.1,0.8,0.4,0,0, 0,0,0.2,0.9,0.8,0.6,0.6,0.1, 0,0,0.4,0.9,0.9,0.9,0.7,0.1], "policy": ["tee", "zk"]}'
        curl -s $HTTP/v1/receipts/0
        $B/veritas --url $WS result 0x<receipt_id> --verify
        curl -s $HTTP/v1/chat/completions -d '{"messages":[{"role":"user","content":"beautiful is"}]}'
EOF

if ! $smoke; then
	wait "$inference"
	exit
fi

# Smoke: two direct receipts from the first test inputs, finalized on chain, then re-verified by the
# CLI with the verifier crates the runtime runs: digits-mlp with TEE for the first layer and ZK for
# the second, and digits-cnn (convolution and max pooling, then dense) with ZK for both.
features() { python3 -c "import json; print(json.dumps(json.load(open('models/$1/test-set.json'))['inputs'][0]))"; }
post() { curl -sf "$HTTP/v1/infer" -d "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["job"])'; }
job=$(post "{\"model\": 0, \"features\": $(features digits-mlp), \"policy\": [\"tee\", \"zk\"]}")
cnn_job=$(post "{\"model\": 3, \"features\": $(features digits-cnn), \"policy\": [\"zk\", \"zk\"]}")
verify() {
	wait_for 300 bash -c "curl -sf $HTTP/v1/receipts/$1 | grep -q '\"state\":\"finalized\"'"
	receipt=$(curl -sf "$HTTP/v1/receipts/$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["receipt_id"])')
	verdict=$(veritas result "$receipt" --verify)
	echo "$verdict"
	grep -q "proof verified here" <<<"$verdict"
}
verify "$cnn_job"
cnn_receipt=$receipt
# The CNN's settled output names the digit of its input.
veritas result "$cnn_receipt" --json | python3 -c '
import json, sys
out = json.load(sys.stdin)["output"]
label = json.load(open("models/digits-cnn/test-set.json"))["labels"][0]
assert out.index(max(out)) == label, (out, label)
print(f"dev.sh: digits-cnn says {label}, the label of its input")'
verify "$job"
# A development enclave's evidence rests on the development CA, and says so.
grep -q "not AWS's" <<<"$verdict"
grep -q "warning: segment 0: development trust anchor" <<<"$verdict"
echo "dev.sh: smoke passed (jobs $job and $cnn_job, receipts $receipt and $cnn_receipt)"
