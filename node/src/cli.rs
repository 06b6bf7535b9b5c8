//! The command line: the standard Substrate run command and subcommands, with libp2p as the
//! default network backend.

use clap::{parser::ValueSource, CommandFactory, FromArgMatches};
use sc_cli::{NetworkBackendType, SubstrateCli};

/// The subcommands of `veritas-node`.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum Subcommand {
	/// Key management utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (deprecated upstream: prefer `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a chain.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Runtime benchmarks (`benchmark pallet` needs a node built with `runtime-benchmarks`).
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}

/// The parsed command line of `veritas-node`.
#[derive(Debug, clap::Parser)]
pub(crate) struct Cli {
	/// A subcommand; none runs the node.
	#[command(subcommand)]
	pub(crate) subcommand: Option<Subcommand>,

	/// The node's run options.
	#[clap(flatten)]
	pub(crate) run: sc_cli::RunCmd,
}

impl Cli {
	/// Parses the process arguments (printing usage and exiting with code 2 on error) and makes
	/// libp2p the network backend unless `--network-backend` was given.
	pub(crate) fn parse_args() -> Self {
		Self::parse_from_iter(std::env::args_os())
	}

	/// [`Self::parse_args`] over any argument list.
	pub(crate) fn parse_from_iter<I>(args: I) -> Self
	where
		I: IntoIterator,
		I::Item: Into<std::ffi::OsString> + Clone,
	{
		let command = <Self as SubstrateCli>::setup_command(<Self as CommandFactory>::command());
		let matches = command.try_get_matches_from(args).unwrap_or_else(|e| e.exit());
		let mut cli = Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
		if matches.value_source("network_backend") != Some(ValueSource::CommandLine) {
			cli.run.network_params.network_backend = NetworkBackendType::Libp2p;
		}
		cli
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn libp2p_is_the_default_network_backend() {
		let cli = Cli::parse_from_iter(["veritas-node", "--dev"]);
		assert!(matches!(cli.run.network_params.network_backend, NetworkBackendType::Libp2p));
	}

	#[test]
	fn an_explicit_network_backend_is_honoured() {
		let cli = Cli::parse_from_iter(["veritas-node", "--dev", "--network-backend", "litep2p"]);
		assert!(matches!(cli.run.network_params.network_backend, NetworkBackendType::Litep2p));
	}
}
