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

	/// Runtime benchmarks: `benchmark pallet`, `storage`, `block`, `machine`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Runtime benchmarks: only in a node built with `--features runtime-benchmarks`
	/// (`scripts/run-benchmarks.sh` builds one); this build says so and exits.
	#[cfg(not(feature = "runtime-benchmarks"))]
	Benchmark {
		/// Whatever followed `benchmark`.
		#[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
		args: Vec<String>,
	},

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

	/// The block time of a development chain (`--dev`) in milliseconds: an even number from
	/// 100 to 60000, written into the chain's genesis (Aura's slot; GRANDPA still finalizes).
	/// Without it, the production block time (6000). Every command that opens the same database
	/// must be given the same value, since it changes the genesis.
	#[arg(long, global = true, value_name = "MS", value_parser = parse_block_time)]
	pub(crate) dev_block_time: Option<u64>,
}

/// What `veritas-node benchmark …` answers in a build without the benchmark machinery.
#[cfg(not(feature = "runtime-benchmarks"))]
pub(crate) const NO_BENCHMARKS: &str =
	"this veritas-node was built without `--features runtime-benchmarks`, so it has no \
	 `benchmark` subcommand: build one with `cargo build -p veritas-node --features \
	 runtime-benchmarks` (scripts/run-benchmarks.sh does, in its own target directory)";

/// Parses `--dev-block-time`: an even number of milliseconds the runtime accepts as a slot.
fn parse_block_time(value: &str) -> Result<u64, String> {
	let ms: u64 =
		value.parse().map_err(|e| format!("{value:?} is not a number of milliseconds: {e}"))?;
	if pallet_block_time::is_valid_slot_duration(ms) {
		Ok(ms)
	} else {
		Err(format!(
			"{ms} ms: the block time must be even and within {}..={} ms",
			pallet_block_time::MIN_SLOT_DURATION_MS,
			pallet_block_time::MAX_SLOT_DURATION_MS
		))
	}
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
	fn a_dev_block_time_is_parsed_and_checked() {
		let cli = Cli::parse_from_iter(["veritas-node", "--dev", "--dev-block-time", "1000"]);
		assert_eq!(cli.dev_block_time, Some(1000));
		assert_eq!(Cli::parse_from_iter(["veritas-node", "--dev"]).dev_block_time, None);
		assert!(parse_block_time("999").is_err(), "odd");
		assert!(parse_block_time("50").is_err(), "below the minimum");
		assert!(parse_block_time("1s").is_err(), "not a number");
	}

	#[test]
	fn an_explicit_network_backend_is_honoured() {
		let cli = Cli::parse_from_iter(["veritas-node", "--dev", "--network-backend", "litep2p"]);
		assert!(matches!(cli.run.network_params.network_backend, NetworkBackendType::Litep2p));
	}
}
