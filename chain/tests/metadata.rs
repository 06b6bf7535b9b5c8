//! The metadata `veritas-chain`'s typed reads are generated from (`metadata/veritas.scale`, read
//! by `subxt`'s macro in `src/runtime.rs`) is this runtime's: its own pallets and runtime API,
//! stripped of the SDK's. When the runtime changes a type the clients read, this test fails until
//! the file is written again (`VERITAS_WRITE_METADATA=1 cargo test --locked --workspace --test
//! metadata`); the generated types then change, and the mirrors converted from them
//! (`src/onchain.rs`) stop compiling where they no longer match.

use std::path::PathBuf;

use codec::{Decode, Encode};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use subxt_utils_stripmetadata::StripMetadata;
use veritas_chain::runtime::{METADATA_VERSION, PALLETS, RUNTIME_APIS};

fn checked_in() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("metadata/veritas.scale")
}

/// The runtime's metadata at [`METADATA_VERSION`], stripped to [`PALLETS`] and [`RUNTIME_APIS`].
fn runtime_metadata() -> Vec<u8> {
	// Some constants are read from storage (`pallet-block-time`'s slot): the metadata is built
	// with state, as the node builds it.
	let opaque = sp_io::TestExternalities::default()
		.execute_with(|| veritas_runtime::Runtime::metadata_at_version(METADATA_VERSION))
		.expect("the runtime serves this metadata version");
	let mut prefixed = RuntimeMetadataPrefixed::decode(&mut &opaque[..]).expect("metadata");
	match &mut prefixed.1 {
		RuntimeMetadata::V16(metadata) => metadata
			.strip_metadata(|pallet| PALLETS.contains(&pallet), |api| RUNTIME_APIS.contains(&api)),
		other => panic!("metadata version {} instead of 16", other.version()),
	}
	prefixed.encode()
}

#[test]
fn the_checked_in_metadata_is_the_runtime_s() {
	let current = runtime_metadata();
	if std::env::var_os("VERITAS_WRITE_METADATA").is_some() {
		std::fs::write(checked_in(), &current).expect("write the metadata");
	}
	let file = std::fs::read(checked_in()).expect("chain/metadata/veritas.scale");
	assert!(
		file == current,
		"chain/metadata/veritas.scale is not this runtime's metadata ({} bytes, the runtime's {}): \
		 VERITAS_WRITE_METADATA=1 cargo test --locked --workspace --test metadata, then fix what \
		 no longer compiles in veritas-chain",
		file.len(),
		current.len()
	);
}

#[test]
fn the_metadata_keeps_the_pallets_and_api_the_clients_read_and_system_only() {
	let prefixed = RuntimeMetadataPrefixed::decode(&mut &runtime_metadata()[..]).unwrap();
	let RuntimeMetadata::V16(metadata) = prefixed.1 else { panic!("v16") };
	let mut pallets: Vec<&str> = metadata.pallets.iter().map(|p| p.name.as_str()).collect();
	// `System` too: the stripping keeps it (subxt reads its events and accounts).
	let mut want = [&PALLETS[..], &["System"]].concat();
	pallets.sort();
	want.sort();
	assert_eq!(pallets, want);
	let apis: Vec<&str> = metadata.apis.iter().map(|a| a.name.as_str()).collect();
	assert_eq!(apis, RUNTIME_APIS);
}
