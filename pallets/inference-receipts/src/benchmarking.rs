//! Benchmarks: the worst case of each call. `submit_receipt` is measured with `None` evidence:
//! each evidence check is weighed by its verifier's own benchmark and added per segment
//! ([`Pallet::batch_weight`]). `report_equivocation` includes its two signature checks.
//!
//! The component ranges are the runtime's limits (16 segments, 4,096 values); a smaller test
//! runtime clamps them to its own.

use alloc::{boxed::Box, vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::Saturating;
use veritas_primitives::{
	commitment::commit_with, Commitment, EvidenceKind, EvidenceSet, ModelId, OutputMode, ReceiptId,
	RequestId, SegmentSpec,
};

use crate::*;

/// An account with enough of both pallets' currencies for deposits, bonds and fees.
fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let models = <T as pallet_models::Config>::ModelDeposit::get().saturating_mul(1_000u32.into());
	<T as pallet_models::Config>::Currency::set_balance(&who, models);
	let bonds = <T as pallet_settlement::Config>::MinBond::get().saturating_mul(1_000u32.into());
	<T as pallet_settlement::Config>::Currency::set_balance(&who, bonds);
	who
}

/// A bonded inference node.
fn node<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let node = funded::<T>("node");
	pallet_settlement::Pallet::<T>::register_node(
		RawOrigin::Signed(node.clone()).into(),
		<T as pallet_settlement::Config>::MinBond::get(),
	)
	.map_err(|_| BenchmarkError::Stop("bond the node"))?;
	Ok(node)
}

/// A model of `s` segments accepting `None` and `Tee` (each under a measurement of its own), with
/// input shape `[n]` and output shape `[o]`.
fn model<T: Config>(s: u32, n: u32, o: u32) -> Result<ModelId, BenchmarkError> {
	let owner = funded::<T>("owner");
	let segments: Vec<SegmentSpec> = (0..s)
		.map(|_| SegmentSpec {
			accepts: EvidenceSet::of(&[EvidenceKind::None, EvidenceKind::Tee]),
			vk: None,
			measurement: Some(<<T as pallet_models::Config>::BenchmarkHelper as pallet_models::BenchmarkHelper>::measurement()),
		})
		.collect();
	let manifest = pallet_models::ModelManifest {
		name: BoundedVec::truncate_from(b"bench".to_vec()),
		file_hash: [1; 32],
		scale: 256,
		input_shape: BoundedVec::truncate_from(vec![n]),
		output_shape: BoundedVec::truncate_from(vec![o]),
		segments: BoundedVec::truncate_from(segments),
		development: false,
	};
	let id = pallet_models::NextModelId::<T>::get();
	pallet_models::Pallet::<T>::register_model(RawOrigin::Signed(owner).into(), Box::new(manifest))
		.map_err(|_| BenchmarkError::Stop("register the model"))?;
	Ok(id)
}

/// The commitment whose scalar is the small number `i`.
fn small(i: u8) -> Commitment {
	let mut bytes = [0u8; 32];
	bytes[31] = i;
	Commitment(bytes)
}

fn policy<T: Config>(s: u32) -> BoundedVec<EvidenceKind, MaxSegmentsOf<T>> {
	BoundedVec::truncate_from(vec![EvidenceKind::None; s as usize])
}

fn max_fee<T: Config>() -> BalanceOf<T> {
	<T as pallet_settlement::Config>::MinBond::get()
}

/// The most nodes a request may name, `node` last (the longest search when it answers).
fn allowed<T: Config>(node: &T::AccountId) -> AllowedNodesOf<T> {
	let others = T::MaxAllowedNodes::get().saturating_sub(1);
	let mut nodes: Vec<T::AccountId> = (0..others).map(|i| account("other node", i, 0)).collect();
	nodes.push(node.clone());
	BoundedVec::truncate_from(nodes)
}

/// A request for `model` with a bare `c_0` that `node` (named last of the most allowed nodes)
/// may answer, open as long as allowed; returns its id and `c_0`.
fn request<T: Config>(
	model: ModelId,
	s: u32,
	node: &T::AccountId,
) -> Result<(RequestId, Commitment), BenchmarkError> {
	let dapp = funded::<T>("dapp");
	let c_0 =
		commit_with::<T::Poseidon, i32>(&[1], &[7]).map_err(|_| BenchmarkError::Stop("commit"))?;
	let id = NextRequestId::<T>::get();
	Pallet::<T>::request_inference(
		RawOrigin::Signed(dapp).into(),
		model,
		None,
		Some(c_0),
		OutputMode::Published,
		policy::<T>(s),
		max_fee::<T>(),
		T::MaxTtl::get(),
		Some(allowed::<T>(node)),
	)
	.map_err(|_| BenchmarkError::Stop("request"))?;
	Ok((id, c_0))
}

/// A bonded node, an open request of a model of `s` segments and `o` output values, and the
/// node's receipt answering it (evidence `None`), the model's latest-results ring full.
#[allow(clippy::type_complexity)]
fn receipt_answering<T: Config>(
	s: u32,
	o: u32,
) -> Result<(T::AccountId, RequestId, ReceiptOf<T>), BenchmarkError> {
	let model = model::<T>(s, 1, o)?;
	let node = node::<T>()?;
	let (id, c_0) = request::<T>(model, s, &node)?;
	let full: Vec<ReceiptId> = (0..T::MaxLatest::get()).map(|i| [i as u8; 32]).collect();
	LatestResults::<T>::insert(model, BoundedVec::truncate_from(full));
	let output: Vec<i32> = (0..o as i32).map(|v| 1_000 - v).collect();
	let c_n = commit_with::<T::Poseidon, i32>(&[o], &output)
		.map_err(|_| BenchmarkError::Stop("commit"))?;
	let mut c_out: Vec<Commitment> = (1..s).map(|i| small(i as u8)).collect();
	c_out.push(c_n);
	let receipt = Receipt {
		subject: veritas_primitives::Subject::Request(id),
		model,
		c_0,
		c_out: BoundedVec::truncate_from(c_out),
		output: BoundedVec::truncate_from(output),
		evidence: BoundedVec::truncate_from(vec![veritas_primitives::Evidence::None; s as usize]),
		fee: max_fee::<T>(),
	};
	Ok((node, id, receipt))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A request with `n` input values, which the runtime commits to (Poseidon), for a model of
	/// the most segments, each asking for `Tee` under a measurement of its own (all of them read:
	/// none may be revoked), naming the most allowed nodes.
	#[benchmark]
	fn request_inference(n: Linear<1, 4_096>) -> Result<(), BenchmarkError> {
		let n = n.min(MaxTensorLenOf::<T>::get());
		let s = MaxSegmentsOf::<T>::get();
		let model = model::<T>(s, n, 1)?;
		let dapp = funded::<T>("dapp");
		let input: Vec<i32> = (0..n as i32).map(|v| v - 2_000).collect();
		let input = BoundedVec::truncate_from(input);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(dapp),
			model,
			Some(input),
			None,
			OutputMode::Published,
			BoundedVec::truncate_from(vec![EvidenceKind::Tee; s as usize]),
			max_fee::<T>(),
			T::MaxTtl::get(),
			Some(allowed::<T>(&account("node", 0, 0))),
		);

		assert!(Requests::<T>::contains_key(0));
		Ok(())
	}

	/// A receipt of `s` segments (evidence `None`) and one output value answering a request:
	/// the chain checked, the output committed, the fee paid, the latest-results ring full.
	/// Segments and output values are measured apart (this and `submit_receipt_output`): with
	/// both varied in one benchmark, each segment's small cost was measured at the largest
	/// output (90 ms) and its slope was that run's noise.
	#[benchmark]
	fn submit_receipt(s: Linear<1, 16>) -> Result<(), BenchmarkError> {
		let (node, id, receipt) = receipt_answering::<T>(s.min(MaxSegmentsOf::<T>::get()), 1)?;

		#[extrinsic_call]
		submit_receipt(RawOrigin::Signed(node), Box::new(receipt));

		assert!(ResultOfRequest::<T>::contains_key(id));
		Ok(())
	}

	/// A receipt of one segment and `o` output values answering a request (as
	/// `submit_receipt`).
	#[benchmark]
	fn submit_receipt_output(o: Linear<1, 4_096>) -> Result<(), BenchmarkError> {
		let (node, id, receipt) = receipt_answering::<T>(1, o.min(MaxTensorLenOf::<T>::get()))?;

		#[extrinsic_call]
		submit_receipt(RawOrigin::Signed(node), Box::new(receipt));

		assert!(ResultOfRequest::<T>::contains_key(id));
		Ok(())
	}

	/// `b` direct receipts of one model (one segment, evidence `None`, one output value) in one
	/// `submit_receipts`, the model's latest-results ring full.
	#[benchmark]
	fn submit_direct_receipts(b: Linear<1, 64>) -> Result<(), BenchmarkError> {
		let b = b.min(T::MaxBatch::get());
		let model = model::<T>(1, 1, 1)?;
		let node = node::<T>()?;
		let full: Vec<ReceiptId> = (0..T::MaxLatest::get()).map(|i| [i as u8; 32]).collect();
		LatestResults::<T>::insert(model, BoundedVec::truncate_from(full));
		let output = vec![7i32];
		let c_n = commit_with::<T::Poseidon, i32>(&[1], &output)
			.map_err(|_| BenchmarkError::Stop("commit"))?;
		let receipts: Vec<ReceiptOf<T>> = (0..b)
			.map(|nonce| Receipt {
				subject: veritas_primitives::Subject::Direct {
					node: node.clone().into(),
					nonce: nonce.into(),
				},
				model,
				c_0: small(1),
				c_out: BoundedVec::truncate_from(vec![c_n]),
				output: BoundedVec::truncate_from(output.clone()),
				evidence: BoundedVec::truncate_from(vec![veritas_primitives::Evidence::None]),
				fee: BalanceOf::<T>::default(),
			})
			.collect();

		#[extrinsic_call]
		submit_receipts(RawOrigin::Signed(node), BoundedVec::truncate_from(receipts));

		assert_eq!(Results::<T>::iter().count() as u32, b);
		Ok(())
	}

	/// An expired request's escrow returned.
	#[benchmark]
	fn reclaim_expired() -> Result<(), BenchmarkError> {
		let s = MaxSegmentsOf::<T>::get();
		let model = model::<T>(s, 1, 1)?;
		let (id, _) = request::<T>(model, s, &account("node", 0, 0))?;
		let after = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::MaxTtl::get())
			.saturating_add(BlockNumberFor::<T>::from(1u32));
		frame_system::Pallet::<T>::set_block_number(after);
		let caller = funded::<T>("anyone");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(!Requests::<T>::contains_key(id));
		Ok(())
	}

	/// Two statements signed by one bonded node's enclave key, revealed by a reporter who
	/// committed to them a block before: both signatures checked, the commitment consumed and its
	/// deposit released, the key revoked, the bond slashed.
	#[benchmark]
	fn report_equivocation() -> Result<(), BenchmarkError> {
		let node = node::<T>()?;
		let key = <T as Config>::BenchmarkHelper::enclave_key(&node.clone().into());
		let first = veritas_primitives::SegmentStatement {
			genesis: Pallet::<T>::genesis(),
			subject: veritas_primitives::Subject::Request(0),
			node: node.clone().into(),
			fee: 0,
			model: 0,
			file_hash: [1; 32],
			model_digest: [2; 32],
			segment: 0,
			c_in: small(1),
			c_out: small(2),
		};
		let second = veritas_primitives::SegmentStatement {
			subject: veritas_primitives::Subject::Request(1),
			c_out: small(3),
			..first
		};
		let first_signature = <T as Config>::BenchmarkHelper::sign(&key, &first.signing_payload());
		let second_signature =
			<T as Config>::BenchmarkHelper::sign(&key, &second.signing_payload());
		let reporter = funded::<T>("reporter");
		let commitment = report_commitment(
			&reporter.clone().into(),
			&key,
			&first,
			&first_signature,
			&second,
			&second_signature,
		);
		Pallet::<T>::commit_report(RawOrigin::Signed(reporter.clone()).into(), commitment)
			.map_err(|_| BenchmarkError::Stop("commit to the report"))?;
		let next = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(next);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(reporter.clone()),
			key,
			first,
			first_signature,
			second,
			second_signature,
		);

		assert!(!pallet_settlement::Nodes::<T>::contains_key(&node));
		assert!(!ReportCommitments::<T>::contains_key(&reporter, commitment));
		Ok(())
	}

	/// A commitment to a report: its deposit held, the record stored.
	#[benchmark]
	fn commit_report() -> Result<(), BenchmarkError> {
		let reporter = funded::<T>("reporter");

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter.clone()), [7; 32]);

		assert!(ReportCommitments::<T>::contains_key(&reporter, [7; 32]));
		Ok(())
	}

	/// A withdrawn commitment: the record removed, its deposit released.
	#[benchmark]
	fn withdraw_report() -> Result<(), BenchmarkError> {
		let reporter = funded::<T>("reporter");
		Pallet::<T>::commit_report(RawOrigin::Signed(reporter.clone()).into(), [7; 32])
			.map_err(|_| BenchmarkError::Stop("commit"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter.clone()), [7; 32]);

		assert!(!ReportCommitments::<T>::contains_key(&reporter, [7; 32]));
		Ok(())
	}

	/// `on_idle`'s expiry of `r` requests of one deadline, each still open, from a requester of
	/// its own, of the largest input, policy and list of allowed nodes (stored directly: their
	/// Poseidon commitments are `request_inference`'s cost, not this one's).
	#[benchmark]
	fn expire_requests(r: Linear<1, 100>) -> Result<(), BenchmarkError> {
		let s = MaxSegmentsOf::<T>::get();
		let n = MaxTensorLenOf::<T>::get();
		let model = model::<T>(s, n, 1)?;
		for i in 0..r {
			let dapp: T::AccountId = account("dapp", i, 0);
			let funds = max_fee::<T>().saturating_mul(1_000u32.into());
			<T as pallet_settlement::Config>::Currency::set_balance(&dapp, funds);
			let mut request = Request {
				requester: dapp.clone(),
				model,
				c_0: small(1),
				input: Some(BoundedVec::truncate_from(vec![-7; n as usize])),
				output: OutputMode::Published,
				policy: BoundedVec::truncate_from(vec![EvidenceKind::Tee; s as usize]),
				max_fee: max_fee::<T>(),
				allowed_nodes: Some(allowed::<T>(&account("node", 0, 0))),
				deadline: BlockNumberFor::<T>::from(1u32),
				deposit: BalanceOf::<T>::default(),
			};
			request.deposit = Pallet::<T>::deposit_of(request.encoded_size());
			pallet_settlement::Pallet::<T>::escrow(
				&dapp,
				request.max_fee.saturating_add(request.deposit),
			)?;
			let id = NextRequestId::<T>::get();
			NextRequestId::<T>::put(id.saturating_add(1));
			Requests::<T>::insert(id, request);
			Expiring::<T>::insert(BlockNumberFor::<T>::from(1u32), id, ());
			Pallet::<T>::add_usage(model, 1);
		}
		ExpiryFrom::<T>::put(BlockNumberFor::<T>::from(1u32));
		frame_system::Pallet::<T>::set_block_number(BlockNumberFor::<T>::from(2u32));

		#[block]
		{
			assert_eq!(Pallet::<T>::expire_requests(r), r);
		}

		assert_eq!(Requests::<T>::iter().count(), 0);
		Ok(())
	}

	/// `on_idle`'s pruning of `p` results, each answering a request, from a node of its own, of
	/// the most segments each with the longest attestation document, and the largest output
	/// (stored directly, as a call stores them, in calls of the largest batch).
	#[benchmark]
	fn prune_results(p: Linear<1, 100>) -> Result<(), BenchmarkError> {
		let s = MaxSegmentsOf::<T>::get();
		let o = MaxTensorLenOf::<T>::get();
		let document = BoundedVec::truncate_from(vec![0xd0; T::MaxDocumentLen::get() as usize]);
		let verified_at = BlockNumberFor::<T>::from(1u32);
		let mut stored = Vec::new();
		for i in 0..p {
			let node: T::AccountId = account("pruned node", i, 0);
			let funds = max_fee::<T>().saturating_mul(1_000u32.into());
			<T as pallet_settlement::Config>::Currency::set_balance(&node, funds);
			let receipt = Receipt {
				subject: veritas_primitives::Subject::Request(i.into()),
				model: 0,
				c_0: small(1),
				c_out: BoundedVec::truncate_from(vec![small(2); s as usize]),
				output: BoundedVec::truncate_from(vec![9; o as usize]),
				evidence: BoundedVec::truncate_from(vec![
					veritas_primitives::Evidence::TeeAttested {
						document: document.clone()
					};
					s as usize
				]),
				fee: max_fee::<T>(),
			};
			let mut result = VerifiedResult {
				receipt,
				node: node.clone(),
				trust: BoundedVec::truncate_from(vec![Trust::NodeOnly; s as usize]),
				verified_at,
				deposit: BalanceOf::<T>::default(),
			};
			result.deposit = Pallet::<T>::deposit_of(result.encoded_size());
			pallet_settlement::Pallet::<T>::hold_deposit(
				pallet_settlement::HoldReason::ResultDeposit,
				&node,
				result.deposit,
			)?;
			let mut id = [0xee; 32];
			id[..4].copy_from_slice(&i.to_le_bytes());
			Results::<T>::insert(id, result);
			ResultOfRequest::<T>::insert(RequestId::from(i), id);
			Pallet::<T>::add_usage(0, 1);
			stored.push(id);
		}
		for call in stored.chunks(T::MaxBatch::get() as usize) {
			ResultsOfBlock::<T>::insert(
				verified_at,
				call[0],
				BoundedVec::truncate_from(call.to_vec()),
			);
		}
		PruneFrom::<T>::put(verified_at);
		frame_system::Pallet::<T>::set_block_number(
			verified_at.saturating_add(T::ResultRetention::get()),
		);

		#[block]
		{
			assert_eq!(Pallet::<T>::prune_results(p), p);
		}

		assert_eq!(Results::<T>::iter().count(), 0);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
