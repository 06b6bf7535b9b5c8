//! # `veritas-service`: the inference node's service
//!
//! - [`queue`]: the durable job queue (RocksDB): a job accepted is never lost, a subject is never
//!   answered twice, and a restart resumes every unfinished job.
//! - [`served`]: the models the node serves (ONNX file + manifest → segments and the Groth16 keys
//!   the manifest names).
//! - [`segment`]: a served segment, run in fixed point (a layer the circuits cover) or by tract
//!   in `f32` (any graph; TEE and `none` evidence), its boundaries committed at the same scale.
//! - [`run()`]: the whole node in one call: the service against a [`Chain`], the HTTP API on a
//!   listener (module `http`: routes, API key and rate limit), a graceful stop.
//! - [`chain`]: the chain as the work loop uses it ([`Chain`]; [`SubxtChain`] is the real one).
//! - [`mod@answer`]: one inference answered with a receipt, each segment's evidence made as the
//!   policy asks.
//! - [`worker`]: the work loop against the chain (finalized requests → jobs → receipts →
//!   batched submissions, retries with backoff, the enclave key kept registered).
//! - [`halving`]: a refused batch of receipts halved until the refused one is alone.
//! - [`calibrate`]: the fixed-point scale a model is best served at, from held-out inputs.
//! - [`check`]: a model as the node would load it, per segment (operators, evidence it can
//!   have and why not ZK, circuit size) and the served model against the float one on data.
//! - [`chat`]: chat completions in TEE mode (the built-in text model; the exchange's
//!   attestation `user_data`).
//! - [`pricing`]: the node's price per evidence kind and the blocks an answer needs: which
//!   open requests are worth taking.
//! - [`metrics`]: the Prometheus metrics.
//!
//! The binary `veritas-inference` (`inference/inference-node`) is a command line in front of [`run()`].

pub mod answer;
pub mod calibrate;
pub mod chain;
pub mod chat;
pub mod check;
pub mod halving;
mod http;
pub mod metrics;
pub mod pricing;
pub mod queue;
pub mod run;
pub mod segment;
pub mod served;
pub mod worker;

pub use self::run::{run, HttpConfig, NodeConfig};
pub use answer::{answer, AnswerError, Binding, Opening};
pub use chain::{Chain, SubxtChain};
pub use http::{BadOrigin, Cors};
pub use metrics::Metrics;
pub use pricing::{Deadlines, Prices};
pub use queue::{Job, JobId, JobQueue, JobState, QueueError};
pub use segment::{SegmentError, ServedSegment};
pub use served::{ServeError, ServedModel, DEV_SETUP_SEED};
pub use worker::{Config, Service, ServiceError};

/// The enclave backend a node runs with (a DevEnclave, or the Nitro Secure Module).
pub type Enclave = Box<dyn veritas_attester::Attester + Send + Sync>;
