//! The pallets whose benchmarks the node's `benchmark pallet` command runs.

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_verifier_registry, Groth16Verifier]
	[pallet_enclave_registry, EnclaveRegistry]
	[pallet_models, Models]
	[pallet_settlement, Settlement]
	[pallet_inference_receipts, InferenceReceipts]
);
