//! What the node asks for its work, and which requests are worth taking: a price per segment
//! for each evidence kind (per model if the operator says so), and how many blocks a request
//! must have left for the node to answer it before its deadline.
//!
//! A request whose `max_fee` is below the price of its policy, or whose deadline is too close
//! for its proofs, is skipped: answering it would cost the node more (transaction fees, proving
//! time) than it pays, and honest requests would queue behind it (M3 of the security review).

use std::collections::BTreeMap;

use veritas_api::kind_named;
use veritas_primitives::EvidenceKind;

/// One thousandth of the chain's unit (VRT), in its smallest unit.
pub const MILLI_UNIT: u128 = 1_000_000_000;

/// The default price of one segment, by evidence kind (`EvidenceKind::ALL` order): `none` 0,
/// `tee` 0.1 mVRT, `tee_attested` 1 mVRT, `zk` 5 mVRT (a ZK segment costs the node about
/// 4 mVRT of transaction fees on the runtime's weights, and seconds of proving).
pub const DEFAULT_PRICES: [u128; 4] = [0, MILLI_UNIT / 10, MILLI_UNIT, 5 * MILLI_UNIT];

/// Why a price flag was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceError(pub String);

impl core::fmt::Display for PriceError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(&self.0)
	}
}

impl std::error::Error for PriceError {}

/// The price of a segment by evidence kind, by default and per model name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prices {
	default: [u128; 4],
	per_model: BTreeMap<String, [u128; 4]>,
}

impl Default for Prices {
	fn default() -> Self {
		Self { default: DEFAULT_PRICES, per_model: BTreeMap::new() }
	}
}

/// `kind`'s place in a price table (`EvidenceKind::ALL` order).
fn index(kind: EvidenceKind) -> usize {
	EvidenceKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl Prices {
	/// The defaults changed by `--price` flags, applied in order: `KIND=AMOUNT` sets the price
	/// of a segment of that kind for every model, `MODEL:KIND=AMOUNT` for the model of that
	/// name only (its other kinds keep the defaults as they stand after every flag). Amounts
	/// are in the chain's smallest unit.
	pub fn parse<S: AsRef<str>>(flags: &[S]) -> Result<Self, PriceError> {
		let mut prices = Self::default();
		let mut per_model: Vec<(String, usize, u128)> = Vec::new();
		for flag in flags {
			let flag = flag.as_ref();
			let bad = |why: &str| PriceError(format!("--price {flag:?}: {why}"));
			let (target, amount) =
				flag.split_once('=').ok_or_else(|| bad("expected [MODEL:]KIND=AMOUNT"))?;
			let amount: u128 = amount
				.trim()
				.parse()
				.map_err(|_| bad("the amount is not a whole number of the smallest unit"))?;
			let (model, kind) = match target.rsplit_once(':') {
				Some((model, kind)) if !model.is_empty() => (Some(model), kind),
				Some(_) => return Err(bad("an empty model name")),
				None => (None, target),
			};
			let kind = kind_named(kind.trim())
				.ok_or_else(|| bad("unknown evidence kind (none, tee, tee_attested, zk)"))?;
			match model {
				Some(model) => per_model.push((model.to_string(), index(kind), amount)),
				None => prices.default[index(kind)] = amount,
			}
		}
		for (model, i, amount) in per_model {
			prices.per_model.entry(model).or_insert(prices.default)[i] = amount;
		}
		Ok(prices)
	}

	/// What an answer under `policy` of the model named `model` costs: the sum of its
	/// segments' prices.
	pub fn price(&self, model: &str, policy: &[EvidenceKind]) -> u128 {
		let prices = self.per_model.get(model).unwrap_or(&self.default);
		policy.iter().fold(0u128, |sum, kind| sum.saturating_add(prices[index(*kind)]))
	}
}

/// How close to its deadline a request may be and still be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadlines {
	/// Blocks every answer needs left (submission, inclusion, finality).
	pub min_blocks_left: u32,
	/// Further blocks per ZK segment (proving).
	pub zk_blocks_per_segment: u32,
}

impl Default for Deadlines {
	fn default() -> Self {
		Self { min_blocks_left: 5, zk_blocks_per_segment: 2 }
	}
}

impl Deadlines {
	/// The blocks an answer under `policy` needs before the request's deadline.
	pub fn blocks_needed(&self, policy: &[EvidenceKind]) -> u64 {
		let zk = policy.iter().filter(|k| **k == EvidenceKind::Zk).count() as u64;
		u64::from(self.min_blocks_left)
			.saturating_add(zk.saturating_mul(u64::from(self.zk_blocks_per_segment)))
	}

	/// Whether a request with `deadline`, seen at block `now`, leaves time for `policy`.
	pub fn leaves_time(&self, now: u64, deadline: u64, policy: &[EvidenceKind]) -> bool {
		deadline.saturating_sub(now) >= self.blocks_needed(policy)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use EvidenceKind::{None as No, Tee, TeeAttested, Zk};

	#[test]
	fn m3_prices_parse_and_sum_per_segment() {
		let defaults = Prices::default();
		assert_eq!(defaults.price("any", &[Tee, Zk]), MILLI_UNIT / 10 + 5 * MILLI_UNIT);
		assert_eq!(defaults.price("any", &[No, No]), 0);
		let p =
			Prices::parse(&["zk=7", "digits-cnn:zk=100", "tee=2", "digits-cnn:none=1"]).unwrap();
		assert_eq!(p.price("digits-mlp", &[Zk, Zk]), 14);
		assert_eq!(p.price("digits-mlp", &[Tee, TeeAttested]), 2 + MILLI_UNIT);
		assert_eq!(p.price("digits-cnn", &[Zk, No]), 101);
		// The model's other kinds follow the defaults as every flag left them.
		assert_eq!(p.price("digits-cnn", &[Tee]), 2);
		// A model name may hold a colon: the kind follows the last one.
		let p = Prices::parse(&["org:model:zk=3"]).unwrap();
		assert_eq!(p.price("org:model", &[Zk]), 3);
		assert_eq!(p.price("u128", &[Zk; 2]), 2 * DEFAULT_PRICES[3]);
		let huge = Prices::parse(&[format!("zk={}", u128::MAX)]).unwrap();
		assert_eq!(huge.price("m", &[Zk, Zk]), u128::MAX, "saturates");
	}

	#[test]
	fn m3_bad_price_flags_are_refused() {
		for bad in ["zk", "zk=", "zk=-1", "zk=1.5", "fast=1", ":zk=1", "m:=1", "m:fast=2", "=3"] {
			let e = Prices::parse(&[bad]).unwrap_err();
			assert!(e.0.contains(bad), "{bad}: {e}");
		}
	}

	#[test]
	fn m3_zk_segments_need_more_blocks() {
		let d = Deadlines::default();
		assert_eq!(d.blocks_needed(&[Tee, Tee]), 5);
		assert_eq!(d.blocks_needed(&[Zk, Tee, Zk]), 9);
		assert!(d.leaves_time(100, 105, &[Tee]));
		assert!(!d.leaves_time(100, 104, &[Tee]));
		assert!(!d.leaves_time(100, 108, &[Zk, Zk]));
		assert!(d.leaves_time(100, 109, &[Zk, Zk]));
		assert!(!d.leaves_time(110, 109, &[]), "a passed deadline");
	}
}
