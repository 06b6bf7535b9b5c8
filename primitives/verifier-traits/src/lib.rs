//! # The pluggable-verifier contract
//!
//! Every proof system Veritas accepts (Groth16 today, TEE attestations next) implements one trait,
//! [`Verifier`], in a pure `no_std` crate of its own. The instanceable `pallet-verifier-registry`
//! is generic over it: one pallet instance per proof system, with nothing system-specific in the
//! pallet.
//!
//! This crate holds the contract and nothing else:
//!
//! - [`Verifier`]: associated `Proof`/`Pubs`/`Vk` types, a domain-separation id
//!   ([`Verifier::CONTEXT`]), `verify`, `verify_batch` (and their `_validated` forms for keys
//!   validated at registration), `validate_vk`, `pubs_bytes`, `vk_hash`.
//! - [`VerifyError`]: the small error set every verifier maps its own errors to.
//! - [`statement_hash`]: the id of a verified statement, the same on chain and off chain.
//! - [`WeightInfo`]: the weights of the registry's calls for one verifier, from cheap facts only
//!   (key size, input count, batch size).
//! - [`OnProofVerified`]: the hook other pallets implement to learn of verified statements;
//!   implemented for tuples, so several pallets can subscribe.
//!
//! `()` implements [`WeightInfo`] (zero weights) and [`OnProofVerified`] (does nothing), for tests.
//!
//! ## Example
//!
//! A verifier that accepts a proof when it equals the key, for one 32-byte public input:
//!
//! ```
//! use std::borrow::Cow;
//! use veritas_verifier_traits::{Verifier, VerifyError, Weight};
//!
//! struct Echo;
//!
//! impl Verifier for Echo {
//!     const CONTEXT: &'static [u8] = b"example/echo";
//!     const MAX_INPUTS: u32 = 1;
//!     type Proof = [u8; 32];
//!     type Pubs = [u8; 32];
//!     type Vk = [u8; 32];
//!
//!     fn verify(vk: &[u8; 32], proof: &[u8; 32], _pubs: &[u8; 32]) -> Result<Option<Weight>, VerifyError> {
//!         if vk == proof { Ok(None) } else { Err(VerifyError::InvalidProof) }
//!     }
//!
//!     fn pubs_bytes(pubs: &[u8; 32]) -> Cow<'_, [u8]> {
//!         Cow::Borrowed(&pubs[..])
//!     }
//!
//!     fn pubs_count(_pubs: &[u8; 32]) -> u32 {
//!         1
//!     }
//! }
//!
//! assert_eq!(Echo::verify(&[1; 32], &[1; 32], &[0; 32]), Ok(None));
//! assert_eq!(Echo::verify(&[1; 32], &[2; 32], &[0; 32]), Err(VerifyError::InvalidProof));
//! // The batch default checks each item.
//! let batch = [([1; 32], [0; 32]), ([2; 32], [0; 32])];
//! assert_eq!(Echo::verify_batch(&[1; 32], &batch), Err(VerifyError::InvalidProof));
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
#![deny(missing_docs)]

extern crate alloc;

use alloc::borrow::Cow;
use codec::{Decode, DecodeWithMemTracking, Encode, EncodeLike, MaxEncodedLen};
use core::fmt::Debug;
use scale_info::TypeInfo;
use sp_runtime::traits::{Hash as _, Keccak256};

pub use sp_core::H256;
pub use sp_runtime::Weight;

/// What a verifier's `Proof`, `Pubs` and `Vk` must be: SCALE-encodable with a bounded size,
/// described in the metadata, usable as a call argument and in storage.
///
/// Implemented for every type with these properties; never implement it by hand.
pub trait Arg:
	Encode
	+ EncodeLike
	+ Decode
	+ DecodeWithMemTracking
	+ MaxEncodedLen
	+ TypeInfo
	+ Clone
	+ Debug
	+ PartialEq
	+ Eq
	+ Send
	+ Sync
	+ 'static
{
}

impl<T> Arg for T where
	T: Encode
		+ EncodeLike
		+ Decode
		+ DecodeWithMemTracking
		+ MaxEncodedLen
		+ TypeInfo
		+ Clone
		+ Debug
		+ PartialEq
		+ Eq
		+ Send
		+ Sync
		+ 'static
{
}

/// Why a verifier refused a key, a proof or its public inputs.
///
/// Deliberately small: a verifier maps its own, detailed errors to these, and the registry pallet
/// maps these to its `Error` variants.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum VerifyError {
	/// The public inputs are malformed, out of range, or not as many as the key expects.
	InvalidInput,
	/// The proof is malformed, or well formed but does not verify.
	InvalidProof,
	/// The verifying key is malformed or unsafe to use (for example degenerate).
	InvalidVk,
	/// The statement is well formed but refused by policy (for example a revoked measurement).
	Rejected,
	/// The verifier does not support this kind of key or proof (version, extension, protocol).
	Unsupported,
}

/// A proof system: how to check a proof of a statement under a verifying key.
///
/// Implementations are pure (no storage, no I/O) and must never panic on any input: every value
/// of `Proof`, `Pubs` and `Vk` may come straight from an extrinsic.
pub trait Verifier {
	/// Domain-separation id of this proof system, hashed into every statement
	/// ([`statement_hash`]), so equal inputs under two systems never give the same statement.
	const CONTEXT: &'static [u8];

	/// The most public inputs a statement may have under this verifier.
	const MAX_INPUTS: u32;

	/// Version of the verification rules, hashed into every statement: bump it when the meaning
	/// of "verified" changes, so statements proved under the old rules stay distinct.
	const VERSION: u32 = 1;

	/// A proof.
	type Proof: Arg;
	/// The public inputs of a statement.
	type Pubs: Arg;
	/// A verifying key.
	type Vk: Arg;

	/// Verifies `proof` of the statement `pubs` under `vk`.
	///
	/// `Ok(Some(w))` gives the actual weight of the verification when the verifier knows it to be
	/// below the benchmarked worst case, so the caller can refund the difference; `Ok(None)` means
	/// "as benchmarked".
	fn verify(
		vk: &Self::Vk,
		proof: &Self::Proof,
		pubs: &Self::Pubs,
	) -> Result<Option<Weight>, VerifyError>;

	/// Verifies every `(proof, pubs)` of `items` under `vk`; fails if any one fails.
	///
	/// The default checks the items one by one and adds up the known weights (`None` if any item
	/// reports none). Verifiers with a cheaper batch check (one pairing product, one final
	/// exponentiation) override it.
	fn verify_batch(
		vk: &Self::Vk,
		items: &[(Self::Proof, Self::Pubs)],
	) -> Result<Option<Weight>, VerifyError> {
		let mut total = Some(Weight::zero());
		for (proof, pubs) in items {
			let used = Self::verify(vk, proof, pubs)?;
			total = match (total, used) {
				(Some(t), Some(w)) => Some(t.saturating_add(w)),
				_ => None,
			};
		}
		Ok(total)
	}

	/// [`Verifier::verify`] under a key that already passed [`Verifier::validate_vk`]: the
	/// registry calls this with the keys it stores, which it validated when they were
	/// registered. A verifier may skip validating the key again; the default calls
	/// [`Verifier::verify`]. Never call it with a key that was not validated.
	fn verify_validated(
		vk: &Self::Vk,
		proof: &Self::Proof,
		pubs: &Self::Pubs,
	) -> Result<Option<Weight>, VerifyError> {
		Self::verify(vk, proof, pubs)
	}

	/// [`Verifier::verify_batch`] under a key that already passed [`Verifier::validate_vk`], as
	/// [`Verifier::verify_validated`]. The default calls [`Verifier::verify_batch`].
	fn verify_batch_validated(
		vk: &Self::Vk,
		items: &[(Self::Proof, Self::Pubs)],
	) -> Result<Option<Weight>, VerifyError> {
		Self::verify_batch(vk, items)
	}

	/// Validates `vk` fully (curve and subgroup membership, size limits, degenerate keys), once,
	/// when it is registered. The default accepts every key.
	fn validate_vk(_vk: &Self::Vk) -> Result<(), VerifyError> {
		Ok(())
	}

	/// The canonical bytes of `pubs`, hashed into the statement.
	fn pubs_bytes(pubs: &Self::Pubs) -> Cow<'_, [u8]>;

	/// The number of public inputs in `pubs`: a cheap fact the weights depend on.
	fn pubs_count(pubs: &Self::Pubs) -> u32;

	/// The id of `vk`. Defaults to Keccak-256 of its SCALE encoding; a verifier whose off-chain
	/// tools already name keys differently overrides it, so both agree.
	fn vk_hash(vk: &Self::Vk) -> H256 {
		Keccak256::hash(&vk.encode())
	}
}

/// The statement a verified proof establishes:
/// `keccak256(keccak256(CONTEXT) ‖ vk_hash ‖ VERSION (u32 LE) ‖ keccak256(pubs_bytes))`.
///
/// It names the proof system, the key and the public inputs, never the proof bytes: Groth16
/// proofs are malleable, so one statement has many valid proofs.
pub fn statement_hash<V: Verifier>(vk_hash: &H256, pubs: &V::Pubs) -> H256 {
	let mut data = [0u8; 32 + 32 + 4 + 32];
	data[..32].copy_from_slice(Keccak256::hash(V::CONTEXT).as_bytes());
	data[32..64].copy_from_slice(vk_hash.as_bytes());
	data[64..68].copy_from_slice(&V::VERSION.to_le_bytes());
	data[68..].copy_from_slice(Keccak256::hash(&V::pubs_bytes(pubs)).as_bytes());
	Keccak256::hash(&data)
}

/// The weights of the registry's calls and Rust API for the verifier `V`, computed from cheap
/// facts only (encoded key size, number of public inputs, batch size), never by verifying.
pub trait WeightInfo<V: Verifier> {
	/// `register_vk(vk)`: grows with the encoded size of the key (its validation is the cost).
	fn register_vk(vk: &V::Vk) -> Weight;
	/// `unregister_vk(vk_id)`.
	fn unregister_vk() -> Weight;
	/// `submit_proof(vk_id, proof, pubs)`: grows with the number of public inputs.
	fn submit_proof(proof: &V::Proof, pubs: &V::Pubs) -> Weight;
	/// Verifying a batch of `items` under one key: grows with the batch size (and, through the
	/// largest statement, with the number of public inputs).
	fn verify_batch(items: &[(V::Proof, V::Pubs)]) -> Weight;
}

/// Zero weights, for tests.
impl<V: Verifier> WeightInfo<V> for () {
	fn register_vk(_vk: &V::Vk) -> Weight {
		Weight::zero()
	}
	fn unregister_vk() -> Weight {
		Weight::zero()
	}
	fn submit_proof(_proof: &V::Proof, _pubs: &V::Pubs) -> Weight {
		Weight::zero()
	}
	fn verify_batch(_items: &[(V::Proof, V::Pubs)]) -> Weight {
		Weight::zero()
	}
}

/// Told of every statement verified through the registry's `submit_proof`.
///
/// Implemented for tuples (up to 16), so several pallets can subscribe; `()` does nothing.
pub trait OnProofVerified<AccountId> {
	/// `who` had a proof of `statement` verified under the key `vk_id`.
	fn on_proof_verified(who: &AccountId, vk_id: &H256, statement: &H256);

	/// The worst-case weight of [`Self::on_proof_verified`], charged up front by the caller.
	fn weight() -> Weight {
		Weight::zero()
	}
}

#[impl_trait_for_tuples::impl_for_tuples(16)]
impl<AccountId> OnProofVerified<AccountId> for Tuple {
	fn on_proof_verified(who: &AccountId, vk_id: &H256, statement: &H256) {
		for_tuples!( #( Tuple::on_proof_verified(who, vk_id, statement); )* );
	}

	fn weight() -> Weight {
		let mut total = Weight::zero();
		for_tuples!( #( total = total.saturating_add(Tuple::weight()); )* );
		total
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec::Vec;

	/// Accepts a proof equal to the key; the public inputs are any bytes.
	struct Echo;

	impl Verifier for Echo {
		const CONTEXT: &'static [u8] = b"test/echo";
		const MAX_INPUTS: u32 = 4;
		type Proof = u64;
		type Pubs = [u8; 4];
		type Vk = u64;

		fn verify(vk: &u64, proof: &u64, _pubs: &[u8; 4]) -> Result<Option<Weight>, VerifyError> {
			if vk == proof {
				Ok(Some(Weight::from_parts(10, 1)))
			} else {
				Err(VerifyError::InvalidProof)
			}
		}

		fn pubs_bytes(pubs: &[u8; 4]) -> Cow<'_, [u8]> {
			Cow::Borrowed(&pubs[..])
		}

		fn pubs_count(pubs: &[u8; 4]) -> u32 {
			pubs.len() as u32
		}
	}

	/// Same as [`Echo`] under another context and version.
	struct OtherEcho;

	impl Verifier for OtherEcho {
		const CONTEXT: &'static [u8] = b"test/other";
		const MAX_INPUTS: u32 = 4;
		const VERSION: u32 = 2;
		type Proof = u64;
		type Pubs = [u8; 4];
		type Vk = u64;

		fn verify(vk: &u64, proof: &u64, pubs: &[u8; 4]) -> Result<Option<Weight>, VerifyError> {
			Echo::verify(vk, proof, pubs).map(|_| None)
		}

		fn pubs_bytes(pubs: &[u8; 4]) -> Cow<'_, [u8]> {
			Cow::Borrowed(&pubs[..])
		}

		fn pubs_count(pubs: &[u8; 4]) -> u32 {
			pubs.len() as u32
		}
	}

	mod verify_batch_default {
		use super::*;

		#[test]
		fn adds_up_the_known_weights() {
			let items: Vec<(u64, [u8; 4])> = (0..3).map(|_| (7, [0; 4])).collect();
			assert_eq!(Echo::verify_batch(&7, &items), Ok(Some(Weight::from_parts(30, 3))));
		}

		#[test]
		fn reports_no_weight_when_an_item_reports_none() {
			assert_eq!(OtherEcho::verify_batch(&7, &[(7, [0; 4]), (7, [1; 4])]), Ok(None));
		}

		#[test]
		fn fails_when_any_item_fails() {
			let items = [(7, [0; 4]), (8, [0; 4]), (7, [0; 4])];
			assert_eq!(Echo::verify_batch(&7, &items), Err(VerifyError::InvalidProof));
		}

		#[test]
		fn accepts_an_empty_batch() {
			assert_eq!(Echo::verify_batch(&7, &[]), Ok(Some(Weight::zero())));
		}
	}

	mod defaults {
		use super::*;

		#[test]
		fn validate_vk_accepts_every_key() {
			assert_eq!(Echo::validate_vk(&0), Ok(()));
		}

		#[test]
		fn vk_hash_is_keccak_of_the_scale_encoding() {
			assert_eq!(Echo::vk_hash(&5), Keccak256::hash(&5u64.to_le_bytes()));
			assert_ne!(Echo::vk_hash(&5), Echo::vk_hash(&6));
		}
	}

	mod statement_hash {
		use super::*;

		#[test]
		fn follows_the_documented_layout() {
			let vk = H256::repeat_byte(9);
			let mut data = Vec::new();
			data.extend_from_slice(Keccak256::hash(b"test/echo").as_bytes());
			data.extend_from_slice(vk.as_bytes());
			data.extend_from_slice(&1u32.to_le_bytes());
			data.extend_from_slice(Keccak256::hash(&[1, 2, 3, 4]).as_bytes());
			assert_eq!(
				super::super::statement_hash::<Echo>(&vk, &[1, 2, 3, 4]),
				Keccak256::hash(&data)
			);
		}

		#[test]
		fn differs_by_key_inputs_context_and_version() {
			let h = super::super::statement_hash::<Echo>;
			let base = h(&H256::zero(), &[1, 2, 3, 4]);
			assert_ne!(base, h(&H256::repeat_byte(1), &[1, 2, 3, 4]));
			assert_ne!(base, h(&H256::zero(), &[1, 2, 3, 5]));
			assert_ne!(
				base,
				super::super::statement_hash::<OtherEcho>(&H256::zero(), &[1, 2, 3, 4])
			);
		}
	}

	mod hooks {
		use super::*;
		use core::cell::RefCell;

		std::thread_local! {
			static CALLS: RefCell<Vec<(&'static str, u64, H256)>> = const { RefCell::new(Vec::new()) };
		}

		struct First;
		struct Second;

		impl OnProofVerified<u64> for First {
			fn on_proof_verified(who: &u64, _vk_id: &H256, statement: &H256) {
				CALLS.with(|c| c.borrow_mut().push(("first", *who, *statement)));
			}
			fn weight() -> Weight {
				Weight::from_parts(1, 0)
			}
		}

		impl OnProofVerified<u64> for Second {
			fn on_proof_verified(who: &u64, _vk_id: &H256, statement: &H256) {
				CALLS.with(|c| c.borrow_mut().push(("second", *who, *statement)));
			}
			fn weight() -> Weight {
				Weight::from_parts(2, 5)
			}
		}

		#[test]
		fn a_tuple_calls_every_member_in_order_and_sums_weights() {
			let s = H256::repeat_byte(3);
			<(First, Second) as OnProofVerified<u64>>::on_proof_verified(&42, &H256::zero(), &s);
			assert_eq!(CALLS.with(|c| c.borrow().clone()), [("first", 42, s), ("second", 42, s)]);
			assert_eq!(
				<(First, Second) as OnProofVerified<u64>>::weight(),
				Weight::from_parts(3, 5)
			);
		}

		#[test]
		fn unit_does_nothing_and_weighs_nothing() {
			<() as OnProofVerified<u64>>::on_proof_verified(&1, &H256::zero(), &H256::zero());
			assert_eq!(<() as OnProofVerified<u64>>::weight(), Weight::zero());
		}

		#[test]
		fn unit_weight_info_is_zero() {
			assert_eq!(<() as WeightInfo<Echo>>::submit_proof(&1, &[0; 4]), Weight::zero());
			assert_eq!(<() as WeightInfo<Echo>>::register_vk(&1), Weight::zero());
		}
	}
}
