//! Calls whose arguments are already SCALE-encoded with the runtime's own types, and batches of
//! them.

use codec::Encode;
use scale_encode::{EncodeAsFields, FieldIter, TypeResolver};
use subxt::transactions::Payload;

use crate::{pallets, ChainError, Client};

/// Call arguments already SCALE-encoded, in order, with the runtime's own types (the verifier
/// crates' canonical types are the runtime's call argument types).
#[derive(Clone, Debug)]
pub struct EncodedArgs(pub Vec<u8>);

impl EncodeAsFields for EncodedArgs {
	fn encode_as_fields_to<R: TypeResolver>(
		&self,
		_fields: &mut dyn FieldIter<'_, R::TypeId>,
		_types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		out.extend_from_slice(&self.0);
		Ok(())
	}
}

/// A call by pallet and call name, with [`EncodedArgs`].
#[derive(Clone, Debug)]
pub struct EncodedCall {
	/// The pallet's name in the metadata, e.g. `Groth16Verifier` ([`crate::pallets`]).
	pub pallet: &'static str,
	/// The call's name, e.g. `register_vk`.
	pub call: &'static str,
	/// The arguments.
	pub args: EncodedArgs,
}

impl EncodedCall {
	/// `Pallet.call`, as messages name it.
	pub fn name(&self) -> String {
		format!("{}.{}", self.pallet, self.call)
	}
}

impl Payload for EncodedCall {
	type CallData = EncodedArgs;

	fn pallet_name(&self) -> &str {
		self.pallet
	}

	fn call_name(&self) -> &str {
		self.call
	}

	fn call_data(&self) -> &EncodedArgs {
		&self.args
	}
}

/// The SCALE encoding of `call` as a runtime call: its pallet's and call's indices in the
/// chain's metadata, then its arguments (what `Utility.batch_all` takes).
pub async fn encode_call(client: &Client, call: &EncodedCall) -> Result<Vec<u8>, ChainError> {
	let at = client
		.at_current_block()
		.await
		.map_err(|e| ChainError::unreachable(format!("cannot read the chain: {e}")))?;
	let metadata = at.metadata();
	let pallet = metadata.pallet_by_name(call.pallet).ok_or_else(|| {
		ChainError::unreachable(format!("the chain has no pallet {}", call.pallet))
	})?;
	let variant = pallet
		.call_variant_by_name(call.call)
		.ok_or_else(|| ChainError::unreachable(format!("the chain has no call {}", call.name())))?;
	let mut out = vec![pallet.call_index(), variant.index];
	out.extend_from_slice(&call.args.0);
	Ok(out)
}

/// `Utility.batch_all(calls)`: every call in one transaction, all or nothing.
pub async fn batch_all(client: &Client, calls: &[EncodedCall]) -> Result<EncodedCall, ChainError> {
	let mut args = codec::Compact(calls.len() as u32).encode();
	for call in calls {
		args.extend(encode_call(client, call).await?);
	}
	Ok(EncodedCall { pallet: pallets::UTILITY, call: "batch_all", args: EncodedArgs(args) })
}
