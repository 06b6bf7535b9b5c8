//! Benchmarks, with documents made by the DevEnclave inside the runtime (the real Nitro format,
//! signed by a dev CA with as many intermediates as the case needs), bound to the benchmark's
//! chain state (genesis hash, a recent block hash, the caller, chain time).

use alloc::vec;
use codec::Decode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;
use veritas_verifier_tee_nitro::dev::{pcrs_for_image, AttestationRequest, DevCa, DevEnclave};

use crate::*;

/// The document time of the benchmarks: 2026-01-01T00:00:00Z.
const T0: u64 = 1_767_225_600_000;
const DAY: u64 = 24 * 3600 * 1000;
const IMAGE: &[u8] = b"veritas benchmark enclave";

/// The ed25519 key of seed `[42; 32]`, and its enclave signature (`signing_message`) over
/// `STATEMENT`: a fixed vector, checked by the unit tests and by the benchmark itself.
pub(crate) const SIGNING_KEY: EnclaveKey = [
	0x19, 0x7f, 0x6b, 0x23, 0xe1, 0x6c, 0x85, 0x32, 0xc6, 0xab, 0xc8, 0x38, 0xfa, 0xcd, 0x5e, 0xa7,
	0x89, 0xbe, 0x0c, 0x76, 0xb2, 0x92, 0x03, 0x34, 0x03, 0x9b, 0xfa, 0x8b, 0x3d, 0x36, 0x8d, 0x61,
];
/// As long as the longest payload an enclave key signs: `SEGMENT_DOMAIN` and the largest
/// `SegmentStatement` (checked by the unit tests), so that the measured ed25519 verification
/// hashes as many bytes as the receipts' worst case.
pub(crate) const STATEMENT: &[u8] = &[0x5b; 272];
pub(crate) const SIGNATURE: [u8; 64] = [
	0x8c, 0xba, 0x18, 0xb0, 0x58, 0x06, 0x7c, 0xf4, 0x5b, 0xe6, 0xd5, 0x63, 0x10, 0xc0, 0xea, 0xb7,
	0x99, 0xcb, 0x28, 0x55, 0x4f, 0x2e, 0x76, 0x01, 0xbd, 0xcc, 0x57, 0x68, 0xfd, 0x0c, 0xd4, 0xc2,
	0xf2, 0x54, 0x2f, 0xee, 0xb9, 0x52, 0xfb, 0x4a, 0x8b, 0x80, 0x29, 0x65, 0x63, 0xe5, 0x3e, 0xf4,
	0xb3, 0xfd, 0xda, 0x94, 0xae, 0xda, 0xfc, 0x80, 0x76, 0x0c, 0x20, 0x38, 0x44, 0xa1, 0xdb, 0x04,
];

fn hash<T: frame_system::Config>(byte: u8) -> T::Hash {
	T::Hash::decode(&mut &[byte; 32][..]).expect("32-byte hashes")
}

fn pcr(i: u8) -> Pcr {
	let mut out = [0u8; 48];
	out.copy_from_slice(&pcrs_for_image(IMAGE)[&i]);
	out
}

/// A block hash distinct for each block number `n`.
fn block_hash<T: frame_system::Config>(n: u32) -> T::Hash {
	let mut bytes = [0x22u8; 32];
	bytes[..4].copy_from_slice(&n.to_le_bytes());
	T::Hash::decode(&mut &bytes[..]).expect("32-byte hashes")
}

/// Chain state for a registration at time `T0`, `NonceWindow + 10` blocks in, every block hash
/// of the nonce window known; returns the nonce to use: the hash of the oldest block of the
/// window, so that finding it reads every one of them (the worst case, L3).
fn chain_state<T: Config>() -> [u8; 32] {
	frame_system::BlockHash::<T>::insert(
		frame_system::pallet_prelude::BlockNumberFor::<T>::from(0u32),
		hash::<T>(0x11),
	);
	let window = T::NonceWindow::get();
	let now = window + 10;
	for n in now - window..now {
		frame_system::BlockHash::<T>::insert(
			frame_system::pallet_prelude::BlockNumberFor::<T>::from(n),
			block_hash::<T>(n),
		);
	}
	frame_system::Pallet::<T>::set_block_number(now.into());
	T::BenchmarkHelper::set_time_ms(T0);
	let mut nonce = [0u8; 32];
	nonce.copy_from_slice(block_hash::<T>(now - window).as_ref());
	nonce
}

/// A governance measurement of `IMAGE`.
fn measurement<T: Config>() -> MeasurementId {
	let id = veritas_primitives::measurement_id(&pcr(0), &pcr(1), &pcr(2), Some(&pcr(8)));
	Measurements::<T>::insert(
		id,
		MeasurementInfo {
			owner: None,
			name: BoundedVec::truncate_from(b"bench".to_vec()),
			version: 1,
			pcr0: pcr(0),
			pcr1: pcr(1),
			pcr2: pcr(2),
			pcr8: Some(pcr(8)),
			debug: false,
			revoked: false,
			deposit: Default::default(),
			refs: 0,
		},
	);
	id
}

/// The most roots, the dev CA's last (so that looking it up walks the whole list).
fn fill_roots<T: Config>(last: Option<Fingerprint>) {
	let n = T::MaxRoots::get() as usize;
	let mut roots: vec::Vec<Fingerprint> = (0..n).map(|i| [i as u8 + 1; 32]).collect();
	if let Some(root) = last {
		roots[n - 1] = root;
	}
	TrustedRoots::<T>::put(BoundedVec::truncate_from(roots));
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let amount = T::MeasurementDeposit::get()
		.saturating_add(T::KeyDeposit::get())
		.saturating_mul(10u32.into());
	T::Currency::set_balance(&who, amount.saturating_add(T::Currency::minimum_balance()));
	who
}

/// A DevEnclave document for `operator` with `c` certificates in its `cabundle`, made at
/// `T0 - 1 s` under a fresh dev CA, bound to the chain state of `chain_state`; and the CA's root.
fn document<T: Config>(
	c: u32,
	operator: &T::AccountId,
	nonce: [u8; 32],
) -> Result<(vec::Vec<u8>, Fingerprint), BenchmarkError> {
	let ca = DevCa::with_intermediates([3; 32], T0 - DAY, T0 + DAY, c as usize - 1)
		.map_err(|_| BenchmarkError::Stop("dev CA"))?;
	let root = ca.root_fingerprint();
	let mut genesis = [0u8; 32];
	genesis.copy_from_slice(
		frame_system::BlockHash::<T>::get(frame_system::pallet_prelude::BlockNumberFor::<T>::from(
			0u32,
		))
		.as_ref(),
	);
	let request = AttestationRequest {
		public_key: Some(vec![0xed; 32]),
		user_data: Some(user_data_for(&genesis, operator)),
		nonce: Some(nonce.to_vec()),
	};
	let document = DevEnclave::new(ca, pcrs_for_image(IMAGE))
		.attest_at(&request, T0 - 1_000)
		.map_err(|_| BenchmarkError::Stop("dev enclave"))?;
	Ok((document, root))
}

/// Everything a `register_enclave` of a document with `c` certificates in its `cabundle` needs:
/// a funded operator, the chain state, a measurement, its CA's root trusted last of the most
/// roots; returns the operator, the measurement and the document.
fn registration<T: Config>(
	c: u32,
) -> Result<(T::AccountId, MeasurementId, DocumentOf), BenchmarkError> {
	let operator = funded::<T>("operator");
	let nonce = chain_state::<T>();
	let m = measurement::<T>();
	let (document, root) = document::<T>(c, &operator, nonce)?;
	fill_roots::<T>(Some(root));
	assert_eq!(checks::chain_len(&document), c);
	let document = document.try_into().map_err(|_| BenchmarkError::Stop("document too large"))?;
	Ok((operator, m, document))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_root() {
		let mut roots: vec::Vec<Fingerprint> =
			(1..T::MaxRoots::get()).map(|i| [i as u8; 32]).collect();
		roots.sort();
		TrustedRoots::<T>::put(BoundedVec::truncate_from(roots));

		#[extrinsic_call]
		_(RawOrigin::Root, [0xaa; 32]);

		assert!(TrustedRoots::<T>::get().contains(&[0xaa; 32]));
	}

	#[benchmark]
	fn remove_root() {
		fill_roots::<T>(Some([0xaa; 32]));

		#[extrinsic_call]
		_(RawOrigin::Root, [0xaa; 32]);

		assert!(!TrustedRoots::<T>::get().contains(&[0xaa; 32]));
	}

	#[benchmark]
	fn register_measurement() {
		let caller = funded::<T>("owner");
		let name = BoundedVec::truncate_from(vec![b'm'; T::MaxNameLen::get() as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), name, 1, pcr(0), pcr(1), pcr(2), Some(pcr(8)), false);

		let id = veritas_primitives::measurement_id(&pcr(0), &pcr(1), &pcr(2), Some(&pcr(8)));
		assert!(Measurements::<T>::contains_key(id));
	}

	#[benchmark]
	fn revoke_measurement() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("owner");
		let name = BoundedVec::truncate_from(b"m".to_vec());
		Pallet::<T>::register_measurement(
			RawOrigin::Signed(caller.clone()).into(),
			name,
			1,
			pcr(0),
			pcr(1),
			pcr(2),
			None,
			false,
		)
		.map_err(|_| BenchmarkError::Stop("cannot register the measurement"))?;
		let id = veritas_primitives::measurement_id(&pcr(0), &pcr(1), &pcr(2), None);

		// The owner withdraws it (the record removed, the deposit released); governance's
		// revocation does the same reads and hold release, and writes the record instead.
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(!Measurements::<T>::contains_key(id));
		Ok(())
	}

	/// `c`: the certificates in the document's `cabundle` (the root and `c - 1` intermediates).
	#[benchmark]
	fn register_enclave(
		c: Linear<2, { veritas_verifier_tee_nitro::limits::MAX_CABUNDLE_LEN as u32 }>,
	) -> Result<(), BenchmarkError> {
		let (operator, m, document) = registration::<T>(c)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), m, document);

		assert!(Enclaves::<T>::contains_key([0xed; 32]));
		// The paths it verified are remembered (the writes of the uncached case).
		assert_eq!(VerifiedPaths::<T>::count(), (c - 1).min(T::MaxVerifiedPaths::get()));
		Ok(())
	}

	/// `register_enclave` of a document whose whole bundle is a path a registration verified
	/// before (point 10): the leaf certificate's and the COSE signatures only.
	#[benchmark]
	fn register_enclave_cached(
		c: Linear<2, { veritas_verifier_tee_nitro::limits::MAX_CABUNDLE_LEN as u32 }>,
	) -> Result<(), BenchmarkError> {
		let (operator, m, document) = registration::<T>(c)?;
		let bundle = veritas_verifier_tee_nitro::parse(&document)
			.map_err(|_| BenchmarkError::Stop("the document parses"))?
			.document
			.cabundle;
		for j in 1..bundle.len() {
			VerifiedPaths::<T>::insert(
				veritas_verifier_tee_nitro::path_id(&bundle[..=j]),
				u64::MAX,
			);
		}

		#[extrinsic_call]
		register_enclave(RawOrigin::Signed(operator), m, document);

		assert!(Enclaves::<T>::contains_key([0xed; 32]));
		Ok(())
	}

	/// Not a call: `on_idle` looking at `n` remembered certificate paths, every one expired (a
	/// read and a removal each).
	#[benchmark]
	fn prune_expired_paths(n: Linear<0, { MAX_PRUNED_PER_BLOCK }>) {
		T::BenchmarkHelper::set_time_ms(T0);
		for i in 0..n {
			let mut id = [0x9a; 32];
			id[..4].copy_from_slice(&i.to_le_bytes());
			VerifiedPaths::<T>::insert(id, T0 - 1);
		}
		let looked;

		#[block]
		{
			looked = Pallet::<T>::prune_expired_paths(n);
		}

		assert_eq!((looked, VerifiedPaths::<T>::count()), (n, 0));
	}

	/// An expired key's record removed after its grace, its deposit released.
	#[benchmark]
	fn remove_enclave() -> Result<(), BenchmarkError> {
		let operator = funded::<T>("operator");
		let deposit = T::KeyDeposit::get();
		T::Currency::hold(&HoldReason::KeyDeposit.into(), &operator, deposit)?;
		Enclaves::<T>::insert(
			SIGNING_KEY,
			EnclaveInfo {
				operator: operator.clone(),
				measurement: [7; 32],
				root: [0xee; 32],
				attested_at_ms: T0,
				expires_at_ms: T0 + DAY,
				revoked: false,
				deposit,
			},
		);
		T::BenchmarkHelper::set_time_ms(T0 + DAY + T::KeyGraceMs::get());
		let caller = funded::<T>("anyone");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), SIGNING_KEY);

		assert!(!Enclaves::<T>::contains_key(SIGNING_KEY));
		assert_eq!(
			T::Currency::balance_on_hold(&HoldReason::KeyDeposit.into(), &operator),
			0u32.into()
		);
		Ok(())
	}

	/// Not a call: the weight other pallets charge per enclave signature they check with
	/// `verify_enclave_signature` (the key's record, its measurement, the roots and chain time
	/// read; the root found last of `MaxRoots`; one ed25519 verification).
	#[benchmark]
	fn verify_enclave_signature() -> Result<(), BenchmarkError> {
		let operator = funded::<T>("operator");
		chain_state::<T>();
		let m = measurement::<T>();
		let root = [0xee; 32];
		fill_roots::<T>(Some(root));
		Enclaves::<T>::insert(
			SIGNING_KEY,
			EnclaveInfo {
				operator,
				measurement: m,
				root,
				attested_at_ms: T0,
				expires_at_ms: T0 + DAY,
				revoked: false,
				deposit: Default::default(),
			},
		);
		let result;

		#[block]
		{
			result = Pallet::<T>::verify_enclave_signature(&SIGNING_KEY, m, STATEMENT, &SIGNATURE);
		}

		assert!(result.is_ok());
		Ok(())
	}

	/// Not a call: the weight other pallets charge per further signature of a key whose
	/// validity they checked earlier in the same call (one ed25519 verification, no reads).
	#[benchmark]
	fn check_enclave_signature() -> Result<(), BenchmarkError> {
		let result;

		#[block]
		{
			result = Pallet::<T>::is_signature_of(&SIGNING_KEY, STATEMENT, &SIGNATURE);
		}

		assert!(result);
		Ok(())
	}

	/// Reference only, not a call's weight: the document verification of `register_enclave`
	/// alone (COSE, chain, signatures), with the node's P-384 host functions.
	#[benchmark]
	fn verify_document_with_host_functions(
		c: Linear<2, { veritas_verifier_tee_nitro::limits::MAX_CABUNDLE_LEN as u32 }>,
	) -> Result<(), BenchmarkError> {
		let operator = funded::<T>("operator");
		let nonce = chain_state::<T>();
		let (document, root) = document::<T>(c, &operator, nonce)?;
		let result;

		#[block]
		{
			result = veritas_verifier_tee_nitro::verify_with::<veritas_crypto_host::Host>(
				&document,
				&[root],
				T0,
			);
		}

		assert!(result.is_ok());
		Ok(())
	}

	/// Reference only, not a call's weight: the same verification with RustCrypto's P-384 in the
	/// runtime itself (no host functions).
	#[benchmark]
	fn verify_document_without_host_functions(
		c: Linear<2, { veritas_verifier_tee_nitro::limits::MAX_CABUNDLE_LEN as u32 }>,
	) -> Result<(), BenchmarkError> {
		let operator = funded::<T>("operator");
		let nonce = chain_state::<T>();
		let (document, root) = document::<T>(c, &operator, nonce)?;
		let result;

		#[block]
		{
			result = veritas_verifier_tee_nitro::verify(&document, &[root], T0);
		}

		assert!(result.is_ok());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(vec![], false), crate::mock::Test);
}
