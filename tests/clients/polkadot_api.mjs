// Checks that polkadot-api (PAPI) works unchanged against a Veritas dev chain.
//   node polkadot_api.mjs ws://127.0.0.1:9944
// Uses the client's untyped API (no generated descriptors, so no codegen step): reads the chain
// properties, sends Balances.transfer_keep_alive from //Alice to //Bob, waits for finalization and
// checks the Balances.Transfer event and Bob's new balance. Exits non-zero with a message on any
// failure. Uses the client's default options, except its public `websocketClass` option, given
// the `ws` package's WebSocket because Node before 22 has no global WebSocket.
import { createClient, Enum } from 'polkadot-api';
import { getWsProvider, WsEvent } from 'polkadot-api/ws';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { WebSocket } from 'ws';

const NAME = 'polkadot-api';
const AMOUNT = 1_234_000_000_000n; // 1.234 VRT
const TIMEOUT_MS = 120_000;

function fail(msg) {
  throw new Error(msg);
}

function show(v) {
  return typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
}

function assertEq(what, actual, expected) {
  if (actual !== expected) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const url = process.argv[2];
  if (!url) fail('usage: node polkadot_api.mjs WS_URL');

  await cryptoWaitReady();
  // The provider reconnects forever; fail at once if the first connection attempt fails.
  let connectFailed;
  const connectFailure = new Promise((_, reject) => { connectFailed = reject; });
  connectFailure.catch(() => {});
  let connected = false;
  const onStatusChanged = (status) => {
    if (status.type === WsEvent.CONNECTED) connected = true;
    else if (!connected && (status.type === WsEvent.ERROR || status.type === WsEvent.CLOSE)) {
      connectFailed(new Error(`cannot connect to ${url}: ${status.event?.message ?? status.event?.error?.message ?? 'connection error'}`));
    }
  };
  const client = createClient(getWsProvider(url, { websocketClass: WebSocket, onStatusChanged }));
  try {
    // Chain properties, as the client reads them (chainSpec_v1_properties).
    const spec = await withTimeout(Promise.race([client.getChainSpecData(), connectFailure]), 'getChainSpecData');
    assertEq('tokenSymbol', spec.properties?.tokenSymbol, 'VRT');
    assertEq('tokenDecimals', spec.properties?.tokenDecimals, 12);
    assertEq('ss58Format', spec.properties?.ss58Format, 42);

    const api = client.getUnsafeApi();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const signer = getPolkadotSigner(alice.publicKey, 'Sr25519', (input) => alice.sign(input));

    const bobBefore = (await api.query.System.Account.getValue(bob.address, { at: 'finalized' })).data.free;

    const tx = api.tx.Balances.transfer_keep_alive({ dest: Enum('Id', bob.address), value: AMOUNT });
    const result = await withTimeout(tx.signAndSubmit(signer), 'signAndSubmit (finalization)');

    if (!result.ok) fail(`transfer failed: ${JSON.stringify(result.dispatchError, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    const transfer = result.events.find((e) => e.type === 'Balances' && e.value.type === 'Transfer');
    if (!transfer) fail(`no Balances.Transfer event; events: ${result.events.map((e) => `${e.type}.${e.value.type}`).join(', ')}`);
    const { from, to, amount } = transfer.value.value;
    assertEq('Transfer.from', from, alice.address);
    assertEq('Transfer.to', to, bob.address);
    assertEq('Transfer.amount', amount, AMOUNT);

    const bobAfter = (await api.query.System.Account.getValue(bob.address, { at: result.block.hash })).data.free;
    if (bobAfter - bobBefore !== AMOUNT) {
      fail(`Bob's free balance went from ${bobBefore} to ${bobAfter}, expected an increase of ${AMOUNT}`);
    }
    console.log(`${NAME}: transfer_keep_alive finalized in ${result.block.hash} (#${result.block.number}); Bob ${bobBefore} -> ${bobAfter}`);
  } finally {
    client.destroy();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`${NAME}: FAILED: ${e && e.message ? e.message : e}`);
    process.exit(1);
  },
);
