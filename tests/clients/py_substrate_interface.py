"""Checks that py-substrate-interface works unchanged against a Veritas dev chain.

    python py_substrate_interface.py ws://127.0.0.1:9944

Reads the chain properties, sends balances.transfer_keep_alive from //Alice to //Bob, waits for
finalization and checks the Balances.Transfer event and Bob's new balance. Exits non-zero with a
message on any failure. Uses only the client's default options.
"""

import sys

from substrateinterface import Keypair, SubstrateInterface

NAME = "py-substrate-interface"
AMOUNT = 1_234_000_000_000  # 1.234 VRT


class CheckFailed(Exception):
    pass


def assert_eq(what, actual, expected):
    if actual != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {actual!r}")


def free_balance(substrate, address, block_hash=None):
    info = substrate.query("System", "Account", [address], block_hash=block_hash)
    return int(info.value["data"]["free"])


def main(url):
    substrate = SubstrateInterface(url=url)
    try:
        props = substrate.properties
        assert_eq("tokenSymbol", props.get("tokenSymbol"), "VRT")
        assert_eq("tokenDecimals", props.get("tokenDecimals"), 12)
        assert_eq("ss58Format", props.get("ss58Format"), 42)
        assert_eq("substrate.token_symbol", substrate.token_symbol, "VRT")
        assert_eq("substrate.token_decimals", substrate.token_decimals, 12)
        assert_eq("substrate.ss58_format", substrate.ss58_format, 42)

        alice = Keypair.create_from_uri("//Alice", ss58_format=42)
        bob = Keypair.create_from_uri("//Bob", ss58_format=42)

        bob_before = free_balance(substrate, bob.ss58_address)

        call = substrate.compose_call(
            call_module="Balances",
            call_function="transfer_keep_alive",
            call_params={"dest": bob.ss58_address, "value": AMOUNT},
        )
        extrinsic = substrate.create_signed_extrinsic(call=call, keypair=alice)
        receipt = substrate.submit_extrinsic(extrinsic, wait_for_finalization=True)

        if not receipt.is_success:
            raise CheckFailed(f"transfer failed: {receipt.error_message}")

        transfers = [
            e.value
            for e in receipt.triggered_events
            if e.value["module_id"] == "Balances" and e.value["event_id"] == "Transfer"
        ]
        if not transfers:
            names = [f"{e.value['module_id']}.{e.value['event_id']}" for e in receipt.triggered_events]
            raise CheckFailed(f"no Balances.Transfer event; events: {', '.join(names)}")
        attrs = transfers[0]["attributes"]
        assert_eq("Transfer.from", attrs["from"], alice.ss58_address)
        assert_eq("Transfer.to", attrs["to"], bob.ss58_address)
        assert_eq("Transfer.amount", int(attrs["amount"]), AMOUNT)

        bob_after = free_balance(substrate, bob.ss58_address, block_hash=receipt.block_hash)
        if bob_after - bob_before != AMOUNT:
            raise CheckFailed(
                f"Bob's free balance went from {bob_before} to {bob_after}, expected an increase of {AMOUNT}"
            )
        print(f"{NAME}: transfer_keep_alive finalized in {receipt.block_hash}; Bob {bob_before} -> {bob_after}")
    finally:
        substrate.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: py_substrate_interface.py WS_URL", file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1])
    except Exception as e:  # any failure, the client's own errors included, is a failed check
        print(f"{NAME}: FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
