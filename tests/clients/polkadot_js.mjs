// Checks that @polkadot/api works unchanged against a Veritas dev chain.
//   node polkadot_js.mjs ws://127.0.0.1:9944
// Reads the chain properties, sends balances.transferKeepAlive from //Alice to //Bob, waits for
// finalization and checks the Balances.Transfer event and Bob's new balance. Exits non-zero with
// a message on any failure. Uses only the client's default options.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const NAME = 'polkadot-js';
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

async function main() {
  const url = process.argv[2];
  if (!url) fail('usage: node polkadot_js.mjs WS_URL');

  await cryptoWaitReady();
  const provider = new WsProvider(url, false);
  await provider.connect();
  const api = await ApiPromise.create({ provider, throwOnConnect: true });
  try {
    // Chain properties, as the client reads them.
    const props = await api.rpc.system.properties();
    assertEq('tokenSymbol', props.tokenSymbol.unwrapOrDefault()[0]?.toString(), 'VRT');
    assertEq('tokenDecimals', props.tokenDecimals.unwrapOrDefault()[0]?.toNumber(), 12);
    assertEq('ss58Format', props.ss58Format.unwrapOrDefault().toNumber(), 42);
    assertEq('api.registry.chainSS58', api.registry.chainSS58, 42);
    assertEq('api.registry.chainTokens', api.registry.chainTokens[0], 'VRT');
    assertEq('api.registry.chainDecimals', api.registry.chainDecimals[0], 12);

    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');

    const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();

    const tx = api.tx.balances.transferKeepAlive(bob.address, AMOUNT);
    const result = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`transfer not finalized within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      let unsub = () => {};
      tx.signAndSend(alice, (res) => {
        const { status, dispatchError } = res;
        if (status.isInvalid || status.isDropped || status.isUsurped || status.isFinalityTimeout) {
          clearTimeout(timer);
          unsub();
          reject(new Error(`transaction status ${status.type}`));
        } else if (status.isFinalized) {
          clearTimeout(timer);
          unsub();
          if (dispatchError) {
            let text = dispatchError.toString();
            if (dispatchError.isModule) {
              const m = api.registry.findMetaError(dispatchError.asModule);
              text = `${m.section}.${m.name}: ${m.docs.join(' ')}`;
            }
            reject(new Error(`transfer failed: ${text}`));
          } else {
            resolve(res);
          }
        }
      })
        .then((u) => { unsub = u; })
        .catch((e) => { clearTimeout(timer); reject(new Error(`signAndSend rejected: ${e.message}`)); });
    });

    const finalizedHash = result.status.asFinalized;
    const ok = result.events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event));
    if (!ok) fail('no System.ExtrinsicSuccess event for the transfer');
    const transfer = result.events.find(({ event }) => api.events.balances.Transfer.is(event));
    if (!transfer) fail(`no Balances.Transfer event; events: ${result.events.map(({ event }) => `${event.section}.${event.method}`).join(', ')}`);
    const [from, to, amount] = transfer.event.data;
    assertEq('Transfer.from', from.toString(), alice.address);
    assertEq('Transfer.to', to.toString(), bob.address);
    assertEq('Transfer.amount', amount.toBigInt(), AMOUNT);

    const apiAt = await api.at(finalizedHash);
    const bobAfter = (await apiAt.query.system.account(bob.address)).data.free.toBigInt();
    if (bobAfter - bobBefore !== AMOUNT) {
      fail(`Bob's free balance went from ${bobBefore} to ${bobAfter}, expected an increase of ${AMOUNT}`);
    }
    console.log(`${NAME}: transferKeepAlive finalized in ${finalizedHash.toHex()}; Bob ${bobBefore} -> ${bobAfter}`);
  } finally {
    await api.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`${NAME}: FAILED: ${e && e.message ? e.message : e}`);
    process.exit(1);
  },
);
