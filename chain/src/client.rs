//! A connection to a node: subxt's client and the raw RPC under it, and the signing keys.

use std::str::FromStr;

use subxt::{
	rpcs::{rpc_params, RpcClient},
	utils::AccountId32,
	OnlineClient, PolkadotConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

use crate::ChainError;

/// A connected client: subxt's, plus the raw RPC connection under it for the node methods
/// subxt does not wrap (the transaction pool's next account nonce).
#[derive(Clone)]
pub struct Client {
	chain: OnlineClient<PolkadotConfig>,
	rpc: RpcClient,
}

impl core::ops::Deref for Client {
	type Target = OnlineClient<PolkadotConfig>;

	fn deref(&self) -> &Self::Target {
		&self.chain
	}
}

impl Client {
	/// The raw RPC connection, for methods subxt does not wrap.
	pub fn rpc(&self) -> &RpcClient {
		&self.rpc
	}
}

/// Connects to a node's WebSocket RPC endpoint (`ws://` allowed for local nodes).
pub async fn connect(url: &str) -> Result<Client, ChainError> {
	let cannot = |e: &dyn core::fmt::Display| {
		ChainError::unreachable(format!("cannot connect to {url}: {e}"))
	};
	let rpc = RpcClient::from_insecure_url(url).await.map_err(|e| cannot(&e))?;
	let chain = OnlineClient::from_rpc_client(rpc.clone()).await.map_err(|e| cannot(&e))?;
	Ok(Client { chain, rpc })
}

/// The nonce `account`'s next transaction takes: the node's `system_accountNextIndex`, which
/// counts the transactions already in its pool, so that two transactions signed in a row (by
/// two tasks of one process) do not take the same nonce.
pub async fn next_nonce(client: &Client, account: [u8; 32]) -> Result<u64, ChainError> {
	client
		.rpc
		.request("system_accountNextIndex", rpc_params![AccountId32(account)])
		.await
		.map_err(|e| ChainError::unreachable(format!("cannot read the account nonce: {e}")))
}

/// The sr25519 key of a secret URI (`//Alice`, a mnemonic, a `0x` seed, with derivations).
pub fn signer(suri: &str) -> Result<Keypair, ChainError> {
	let bad = |e: &dyn core::fmt::Display| ChainError::malformed(format!("--suri: {e}"));
	let uri = SecretUri::from_str(suri).map_err(|e| bad(&e))?;
	Keypair::from_uri(&uri).map_err(|e| bad(&e))
}

/// The chain's genesis hash.
pub fn genesis(client: &Client) -> [u8; 32] {
	client.genesis_hash().0
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_bad_secret_uri_is_malformed_and_a_dev_one_is_alice() {
		assert!(matches!(signer("not a uri //"), Err(ChainError::Malformed(_))));
		// //Alice's well-known sr25519 public key.
		let alice = signer("//Alice").unwrap().public_key().0;
		assert_eq!(
			hex::encode(alice),
			"d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
		);
	}
}
