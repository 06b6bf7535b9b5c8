//! # `veritas-service`: the inference node's service
//!
//! - [`queue`]: the durable job queue (RocksDB): a job accepted is never lost, a subject is never
//!   answered twice, and a restart resumes every unfinished job.
//!
//! The job loop, the HTTP API and the metrics build on it (see the repository README for what is
//! there today).

pub mod queue;

pub use queue::{Job, JobId, JobQueue, JobState, QueueError};
