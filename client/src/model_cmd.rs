//! `veritas model register --manifest FILE`: a model manifest (JSON, the format of
//! [`veritas_chain::manifest`]) registered on chain.

use std::path::Path;

use codec::Encode;
use veritas_chain::{self as chain, pallets, read_manifest, EncodedArgs, EncodedCall};

use crate::Exit;

/// What `model register` produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
	/// The new model id.
	pub id: u32,
	/// Its version (1 for a new name).
	pub version: u32,
	/// The finalized block.
	pub block_hash: [u8; 32],
}

/// Registers the manifest at `path`; returns the model id once finalized.
pub async fn register(url: &str, suri: &str, path: &Path) -> Result<Registered, Exit> {
	let manifest = read_manifest(path)?;
	let call = EncodedCall {
		pallet: pallets::MODELS,
		call: "register_model",
		args: EncodedArgs(manifest.encode()),
	};
	let landed = chain::submit_for_event(url, suri, &call, &["ModelRegistered"]).await?;
	let fields = landed.fields;
	// ModelRegistered { id: u32, owner: AccountId32, name: Vec<u8>, version: u32 }.
	let u32_at = |at: Option<usize>| {
		at.and_then(|at| fields.get(at..at.checked_add(4)?))
			.and_then(|b| b.try_into().ok())
			.map(u32::from_le_bytes)
			.ok_or_else(|| Exit::unreachable("a ModelRegistered event too short"))
	};
	let id = u32_at(Some(0))?;
	let version = u32_at(fields.len().checked_sub(4))?;
	Ok(Registered { id, version, block_hash: landed.block_hash })
}
