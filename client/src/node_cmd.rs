//! `veritas node register` and `veritas node unregister`: an inference node operator's bond in
//! the settlement pallet (receipts are accepted only from bonded nodes; a proven equivocation
//! slashes the bond).

use codec::Encode;

use veritas_chain::{self as chain, pallets, EncodedArgs, EncodedCall};

use crate::Exit;

/// What a finalized bond change produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bonded {
	/// The event the chain emitted (`NodeRegistered`, `NodeUnbonding`, `NodeUnregistered`).
	pub event: &'static str,
	/// The finalized block the change is in.
	pub block_hash: [u8; 32],
}

/// The call that holds `bond` more from the signer (registering it as a node the first time).
pub fn register_call(bond: u128) -> EncodedCall {
	EncodedCall {
		pallet: pallets::SETTLEMENT,
		call: "register_node",
		args: EncodedArgs(bond.encode()),
	}
}

/// The call that starts unbonding, or releases the bond once the unbonding period is over.
pub fn unregister_call() -> EncodedCall {
	EncodedCall {
		pallet: pallets::SETTLEMENT,
		call: "unregister_node",
		args: EncodedArgs(Vec::new()),
	}
}

/// Signs `call` with `suri`, waits until it is finalized, and names the first of `events` the
/// chain emitted.
pub async fn submit(
	url: &str,
	suri: &str,
	call: &EncodedCall,
	events: &[&'static str],
) -> Result<Bonded, Exit> {
	let emitted = chain::submit_for_event(url, suri, call, events).await?;
	Ok(Bonded { event: emitted.event, block_hash: emitted.block_hash })
}

/// Bonds `bond` more (at least the chain's minimum in total).
pub async fn register(url: &str, suri: &str, bond: u128) -> Result<Bonded, Exit> {
	if bond == 0 {
		return Err(Exit::malformed("--bond: a positive amount"));
	}
	submit(url, suri, &register_call(bond), &["NodeRegistered"]).await
}

/// Starts unbonding, or releases the bond after the unbonding period.
pub async fn unregister(url: &str, suri: &str) -> Result<Bonded, Exit> {
	submit(url, suri, &unregister_call(), &["NodeUnbonding", "NodeUnregistered"]).await
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_calls_encode_the_pallets_arguments() {
		let call = register_call(5);
		assert_eq!((call.pallet, call.call), (pallets::SETTLEMENT, "register_node"));
		// `bond: Balance` is a plain (not compact) u128.
		assert_eq!(call.args.0, [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
		assert!(unregister_call().args.0.is_empty());
	}
}
