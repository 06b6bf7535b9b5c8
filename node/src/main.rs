//! `veritas-node`: the Veritas chain node.
//!
//! A full Substrate node for the Veritas runtime: Aura block production (6 s slots), GRANDPA
//! finality, RocksDB storage under `--base-path`, and the libp2p network backend by default
//! (`--network-backend litep2p` still selects the other one).

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
