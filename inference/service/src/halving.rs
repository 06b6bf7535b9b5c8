//! Receipts reach the chain in batches, and a batch is all or nothing: one receipt the chain
//! refuses (answered by another node meanwhile, expired, …) refuses the whole batch. A refused
//! batch is halved and each half sent again, until the refused receipt is alone: about
//! `2 log2(n)` more transactions instead of `n` one by one (each waiting for finality), and the
//! good receipts land in the halves (L4 of the security review).

use core::future::Future;

/// How one submission ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// Verified in a finalized block.
	Landed,
	/// Refused by the chain: one of its receipts is bad.
	Refused,
	/// Not decided (the chain could not be reached, finality took too long): its jobs are
	/// retried later as they are.
	Later,
}

/// Submits `items` in batches of at most `max_batch` with `submit`, halving each refused batch
/// (depth first, in order) until every item landed, was refused alone, or is left for later.
pub async fn submit_halving<'a, T, E, F, Fut>(
	items: &'a [T],
	max_batch: usize,
	mut submit: F,
) -> Result<(), E>
where
	F: FnMut(&'a [T]) -> Fut,
	Fut: Future<Output = Result<Outcome, E>>,
{
	let mut parts: Vec<&'a [T]> = items.chunks(max_batch.max(1)).rev().collect();
	while let Some(part) = parts.pop() {
		if submit(part).await? == Outcome::Refused && part.len() > 1 {
			let (first, second) = part.split_at(part.len() / 2);
			parts.push(second);
			parts.push(first);
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use std::cell::RefCell;

	use super::*;

	/// The batches sent when the chain refuses any batch holding one of `bad` (and leaves any
	/// batch holding one of `later` undecided).
	fn sent(n: u32, max_batch: usize, bad: &[u32], later: &[u32]) -> Vec<Vec<u32>> {
		let items: Vec<u32> = (0..n).collect();
		let sent = RefCell::new(Vec::new());
		let run = submit_halving(&items, max_batch, |part: &[u32]| {
			sent.borrow_mut().push(part.to_vec());
			let outcome = if part.iter().any(|i| later.contains(i)) {
				Outcome::Later
			} else if part.iter().any(|i| bad.contains(i)) {
				Outcome::Refused
			} else {
				Outcome::Landed
			};
			async move { Ok::<_, ()>(outcome) }
		});
		block_on(run).unwrap();
		sent.into_inner()
	}

	fn block_on<F: Future>(f: F) -> F::Output {
		tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
	}

	#[test]
	fn l4_a_refused_batch_is_halved_until_the_bad_receipt_is_alone() {
		let sent = sent(8, 8, &[5], &[]);
		let expected: Vec<Vec<u32>> = vec![
			(0..8).collect(),
			(0..4).collect(),
			(4..8).collect(),
			vec![4, 5],
			vec![4],
			vec![5],
			vec![6, 7],
		];
		assert_eq!(sent, expected);
		// Every good receipt landed once; one by one would have been 1 + 8 transactions.
		let landed: Vec<u32> = sent.iter().filter(|b| !b.contains(&5)).flatten().copied().collect();
		assert_eq!(landed, [0, 1, 2, 3, 4, 6, 7]);
	}

	#[test]
	fn l4_batches_follow_the_largest_size_and_undecided_ones_are_not_halved() {
		assert_eq!(sent(5, 2, &[], &[]), [vec![0, 1], vec![2, 3], vec![4]]);
		// A batch left for later stays whole: the chain did not say any receipt is bad.
		assert_eq!(sent(4, 4, &[], &[2]), [vec![0, 1, 2, 3]]);
		// Two bad receipts in one batch: each ends alone.
		assert_eq!(sent(0, 4, &[], &[]), Vec::<Vec<u32>>::new());
		let two_bad = sent(4, 4, &[0, 3], &[]);
		for alone in [0, 1, 2, 3] {
			assert!(two_bad.contains(&vec![alone]), "{two_bad:?}");
		}
	}
}
