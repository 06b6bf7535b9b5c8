//! # Settlement pallet
//!
//! The money of inference: bonds of inference nodes, escrowed request fees, payouts, refunds and
//! slashing. Every balance it manages is a hold on the owner's account (`HoldReason`), so money
//! never sits in a pallet account and total issuance only changes when a slashed bond is burned.
//!
//! Calls:
//! - `register_node(bond)`: an inference node bonds at least `MinBond` (a registered node may
//!   call it again to add to its bond). Emits `NodeRegistered`.
//! - `unregister_node()`: the first call starts unbonding (the node can no longer answer
//!   requests) until `UnbondingPeriod` blocks have passed; the call after that releases the bond
//!   and forgets the node. A misbehaving node cannot escape a slash by leaving: its bond stays
//!   held while it unbonds.
//!
//! Rust API for `pallet-inference-receipts`: [`Pallet::escrow`] (hold a request's fee),
//! [`Pallet::pay`] (the fee to the node that answered, the rest back to the payer),
//! [`Pallet::refund`] (the whole fee back), [`Pallet::slash`] (a proven equivocation: the whole
//! bond is taken, `ReporterReward` of it goes to the reporter, the rest is burned),
//! [`Pallet::hold_deposit`] and [`Pallet::release_deposit`] (a storage deposit: of a verified
//! result, from its node, until the result is pruned; of an equivocation report's commitment,
//! from its reporter, until it is revealed or withdrawn).
//!
//! `try_state` checks that every node's held bond equals its recorded bond and every payer's
//! held escrow equals its recorded escrow.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{Saturating, Zero},
		Perbill,
	};

	use super::*;

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;

	/// A registered inference node.
	#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
	pub struct NodeInfo<Balance, BlockNumber> {
		/// The bond held from the node.
		pub bond: Balance,
		/// Set once the node asked to leave: the block from which its bond can be released.
		pub unbonding_until: Option<BlockNumber>,
	}

	/// A stored node.
	pub type NodeOf<T> = NodeInfo<BalanceOf<T>, BlockNumberFor<T>>;

	/// The storage layout's version: 1 since genesis (no migrations yet).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency of bonds and fees.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// The smallest bond a node may post.
		#[pallet::constant]
		type MinBond: Get<BalanceOf<Self>>;
		/// How many blocks a leaving node stays bonded (and slashable).
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;
		/// The part of a slashed bond the reporter receives; the rest is burned.
		#[pallet::constant]
		type ReporterReward: Get<Perbill>;
		/// Benchmarked weights.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An inference node's bond.
		NodeBond,
		/// Fees escrowed for open inference requests, with the requests' storage deposits.
		RequestEscrow,
		/// The storage deposits of verified results, held from the nodes that submitted them
		/// until the results are pruned.
		ResultDeposit,
		/// The storage deposits of equivocation reports' commitments, held from their reporters
		/// until the reports are revealed or the commitments withdrawn.
		ReportDeposit,
	}

	/// Registered inference nodes.
	#[pallet::storage]
	pub type Nodes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, NodeOf<T>>;

	/// Each payer's escrowed fees (the sum of its open requests' fees).
	#[pallet::storage]
	pub type Escrowed<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A node registered or added to its bond.
		NodeRegistered {
			/// The node.
			node: T::AccountId,
			/// Its whole bond now.
			bond: BalanceOf<T>,
		},
		/// A node started unbonding.
		NodeUnbonding {
			/// The node.
			node: T::AccountId,
			/// From which block its bond can be released.
			until: BlockNumberFor<T>,
		},
		/// A node left; its bond was released.
		NodeUnregistered {
			/// The node.
			node: T::AccountId,
			/// The released bond.
			bond: BalanceOf<T>,
		},
		/// An answered request's fee was paid.
		FeePaid {
			/// Who paid.
			payer: T::AccountId,
			/// The node paid.
			node: T::AccountId,
			/// The fee.
			fee: BalanceOf<T>,
			/// What went back to the payer (the escrow above the fee).
			refunded: BalanceOf<T>,
		},
		/// An unanswered request's fee went back to its payer.
		FeeRefunded {
			/// The payer.
			payer: T::AccountId,
			/// The amount.
			amount: BalanceOf<T>,
		},
		/// A node's bond was slashed for a proven equivocation.
		NodeSlashed {
			/// The node.
			node: T::AccountId,
			/// Who proved it.
			reporter: T::AccountId,
			/// The whole bond taken.
			slashed: BalanceOf<T>,
			/// The reporter's part (the rest was burned).
			reward: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The bond (or the bond after a top-up) is below `MinBond`.
		BondTooLow,
		/// The account is not a registered node.
		NotRegistered,
		/// The node is unbonding and cannot add to its bond or answer requests.
		Unbonding,
		/// The unbonding period has not passed yet.
		StillUnbonding,
		/// More is asked of the payer's escrow than it holds.
		InsufficientEscrow,
		/// The fee is above the escrowed amount.
		FeeAboveEscrow,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as an inference node with `bond` held, or adds `bond` to its
		/// bond.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_node())]
		pub fn register_node(origin: OriginFor<T>, bond: BalanceOf<T>) -> DispatchResult {
			let node = ensure_signed(origin)?;
			let total = match Nodes::<T>::get(&node) {
				Some(info) => {
					ensure!(info.unbonding_until.is_none(), Error::<T>::Unbonding);
					info.bond.saturating_add(bond)
				},
				None => bond,
			};
			ensure!(total >= T::MinBond::get(), Error::<T>::BondTooLow);
			T::Currency::hold(&HoldReason::NodeBond.into(), &node, bond)?;
			Nodes::<T>::insert(&node, NodeInfo { bond: total, unbonding_until: None });
			Self::deposit_event(Event::NodeRegistered { node, bond: total });
			Ok(())
		}

		/// Starts unbonding (first call) or, once `UnbondingPeriod` has passed, releases the
		/// bond and forgets the node.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unregister_node())]
		pub fn unregister_node(origin: OriginFor<T>) -> DispatchResult {
			let node = ensure_signed(origin)?;
			let mut info = Nodes::<T>::get(&node).ok_or(Error::<T>::NotRegistered)?;
			let now = frame_system::Pallet::<T>::block_number();
			match info.unbonding_until {
				None => {
					let until = now.saturating_add(T::UnbondingPeriod::get());
					info.unbonding_until = Some(until);
					Nodes::<T>::insert(&node, info);
					Self::deposit_event(Event::NodeUnbonding { node, until });
				},
				Some(until) => {
					ensure!(now >= until, Error::<T>::StillUnbonding);
					T::Currency::release(
						&HoldReason::NodeBond.into(),
						&node,
						info.bond,
						Precision::Exact,
					)?;
					Nodes::<T>::remove(&node);
					Self::deposit_event(Event::NodeUnregistered { node, bond: info.bond });
				},
			}
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			if let Err(e) =
				check_constants(!T::MinBond::get().is_zero(), !T::UnbondingPeriod::get().is_zero())
			{
				panic!("pallet-settlement: {e}");
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	/// What the pallet's constants must satisfy, checked by `integrity_test`: a positive bond
	/// (a node with nothing at stake could not be slashed) and a positive unbonding period (a
	/// leaving node stays slashable for a while).
	pub fn check_constants(
		min_bond_positive: bool,
		unbonding_positive: bool,
	) -> Result<(), &'static str> {
		if !min_bond_positive {
			return Err("MinBond must be positive");
		}
		if !unbonding_positive {
			return Err("UnbondingPeriod must be positive");
		}
		Ok(())
	}

	impl<T: Config> Pallet<T> {
		/// Whether `who` is a registered node that is not unbonding.
		pub fn is_active_node(who: &T::AccountId) -> bool {
			Nodes::<T>::get(who).is_some_and(|n| n.unbonding_until.is_none())
		}

		/// Holds `amount` from `payer` for a request.
		pub fn escrow(payer: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			T::Currency::hold(&HoldReason::RequestEscrow.into(), payer, amount)?;
			Escrowed::<T>::mutate(payer, |e| *e = e.saturating_add(amount));
			Ok(())
		}

		/// Settles an answered request whose fee `escrowed` was held from `payer`: `fee` goes to
		/// `node` (free to spend), the rest back to `payer`.
		pub fn pay(
			payer: &T::AccountId,
			node: &T::AccountId,
			fee: BalanceOf<T>,
			escrowed: BalanceOf<T>,
		) -> DispatchResult {
			ensure!(fee <= escrowed, Error::<T>::FeeAboveEscrow);
			Self::take_escrow(payer, escrowed)?;
			let reason = HoldReason::RequestEscrow.into();
			T::Currency::transfer_on_hold(
				&reason,
				payer,
				node,
				fee,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
			let refunded = escrowed.saturating_sub(fee);
			T::Currency::release(&reason, payer, refunded, Precision::Exact)?;
			Self::deposit_event(Event::FeePaid {
				payer: payer.clone(),
				node: node.clone(),
				fee,
				refunded,
			});
			Ok(())
		}

		/// Gives an unanswered request's escrow back to its payer.
		pub fn refund(payer: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			Self::take_escrow(payer, amount)?;
			T::Currency::release(
				&HoldReason::RequestEscrow.into(),
				payer,
				amount,
				Precision::Exact,
			)?;
			Self::deposit_event(Event::FeeRefunded { payer: payer.clone(), amount });
			Ok(())
		}

		/// Slashes `node`'s whole bond for a proven equivocation: `ReporterReward` of it to
		/// `reporter`, the rest burned; the node is forgotten. A node reporting itself (racing
		/// an honest report to keep the reward) earns nothing: all of its bond is burned.
		/// Returns the slashed amount.
		pub fn slash(
			node: &T::AccountId,
			reporter: &T::AccountId,
		) -> Result<BalanceOf<T>, DispatchError> {
			let info = Nodes::<T>::take(node).ok_or(Error::<T>::NotRegistered)?;
			let reason = HoldReason::NodeBond.into();
			let reward = if reporter == node {
				BalanceOf::<T>::default()
			} else {
				T::ReporterReward::get() * info.bond
			};
			if reward != BalanceOf::<T>::default() {
				T::Currency::transfer_on_hold(
					&reason,
					node,
					reporter,
					reward,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				)?;
			}
			T::Currency::burn_held(
				&reason,
				node,
				info.bond.saturating_sub(reward),
				Precision::Exact,
				Fortitude::Force,
			)?;
			Self::deposit_event(Event::NodeSlashed {
				node: node.clone(),
				reporter: reporter.clone(),
				slashed: info.bond,
				reward,
			});
			Ok(info.bond)
		}

		/// Holds `amount` from `who` as a storage deposit (`reason`: `ResultDeposit` or
		/// `ReportDeposit`).
		pub fn hold_deposit(
			reason: HoldReason,
			who: &T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			if amount.is_zero() {
				return Ok(());
			}
			T::Currency::hold(&reason.into(), who, amount)
		}

		/// Releases `amount` of `who`'s storage deposits held for `reason` (their record went).
		/// Releases what is held if that is less: a record never fails to go.
		pub fn release_deposit(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
			if amount.is_zero() {
				return;
			}
			// `BestEffort` releases at most what is held, so this cannot fail.
			let _ = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
		}

		fn take_escrow(payer: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			Escrowed::<T>::try_mutate_exists(payer, |e| {
				let held = e.unwrap_or_default();
				ensure!(held >= amount, Error::<T>::InsufficientEscrow);
				let left = held.saturating_sub(amount);
				*e = if left == Default::default() { None } else { Some(left) };
				Ok(())
			})
		}

		/// Every node's held bond equals its recorded bond (and is at least `MinBond`), every
		/// payer's held escrow equals its recorded escrow.
		#[cfg(any(feature = "try-runtime", feature = "std"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use frame_support::traits::fungible::InspectHold;
			for (node, info) in Nodes::<T>::iter() {
				let held = T::Currency::balance_on_hold(&HoldReason::NodeBond.into(), &node);
				ensure!(held == info.bond, "a node's held bond differs from its recorded bond");
				ensure!(info.bond >= T::MinBond::get(), "a node's bond is below MinBond");
			}
			for (payer, amount) in Escrowed::<T>::iter() {
				let held = T::Currency::balance_on_hold(&HoldReason::RequestEscrow.into(), &payer);
				ensure!(held == amount, "a payer's held escrow differs from its recorded escrow");
			}
			Ok(())
		}
	}
}
