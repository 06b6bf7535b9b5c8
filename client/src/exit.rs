//! How a command ends: the exit convention shared by the Veritas command-line tools
//! ([`veritas_chain::exit`]).

pub use veritas_chain::exit::Exit;
