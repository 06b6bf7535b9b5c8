//! The inference node's job queue, kept in RocksDB so that a job the node accepted survives a
//! crash or `SIGKILL` and a restart resumes it.
//!
//! Every write is one atomic, synced `WriteBatch`: once [`JobQueue::accept`] or
//! [`JobQueue::set_state`] returns, the change is on disk. A subject (an on-chain request, or a
//! direct receipt's node nonce) is accepted at most once, so a request seen again after a restart
//! never becomes a second job, and a job's state only moves forward: once it is
//! [`JobState::Finalized`] or [`JobState::Failed`] it never changes again.
//!
//! Layout: `j ‖ id (u64 BE)` → SCALE([`Job`]); `u ‖ id (u64 BE)` → () for every job that is not
//! over (so that [`JobQueue::unfinished`], polled by both service loops, reads only live jobs
//! however long the node has run); `s ‖ SCALE(subject)` → id; `n` → the next id;
//! `c ‖ name` → a cursor (u64) of the chain follower; `v` → the layout version. A database of an
//! older layout (no `u` index) is indexed once when opened.

use std::{path::Path, sync::Mutex};

use codec::{Decode, DecodeAll, Encode};
use rocksdb::{Options, WriteBatch, WriteOptions, DB};
use veritas_primitives::{salt::Salt, EvidenceKind, OutputMode, Subject};

/// A job's number in the queue (the order of acceptance).
pub type JobId = u64;

/// Where a job is.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum JobState {
	/// Accepted: nothing computed yet.
	Accepted,
	/// The receipt is made (its SCALE encoding), ready to be submitted.
	Ready {
		/// The encoded receipt.
		receipt: Vec<u8>,
	},
	/// Submitted in the extrinsic `tx`; waiting for it to be finalized.
	Submitted {
		/// The encoded receipt.
		receipt: Vec<u8>,
		/// The extrinsic's hash.
		tx: [u8; 32],
	},
	/// The receipt is verified on chain: `block` is a finalized block whose state holds it.
	Finalized {
		/// The encoded receipt (empty if the chain had the result before this node made it).
		receipt: Vec<u8>,
		/// The block's hash.
		block: [u8; 32],
	},
	/// Given up, for the reason given.
	Failed {
		/// Why.
		reason: String,
	},
}

impl JobState {
	/// Whether the job is over (its state never changes again).
	pub fn is_final(&self) -> bool {
		matches!(self, Self::Finalized { .. } | Self::Failed { .. })
	}
}

/// A job: an inference to run and answer with a receipt.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Job {
	/// The model's id on chain.
	pub model: u32,
	/// What the receipt answers.
	pub subject: Subject,
	/// The input, in fixed point.
	pub input: Vec<i32>,
	/// The evidence kind of each segment.
	pub policy: Vec<EvidenceKind>,
	/// Where it is.
	pub state: JobState,
	/// How many times a step of it failed and was retried.
	pub attempts: u32,
	/// The salt of the input's commitment and of every intermediate one ([`Salt::NONE`]: none),
	/// told by the requester. Secret: never logged.
	pub salt: Salt,
	/// Whether the receipt publishes the output or only commits to it (salted): then the
	/// stored receipt keeps the output for the requester, and the chain gets it without.
	pub output: OutputMode,
}

/// A job as layouts 0 and 1 stored it: without a salt.
#[derive(Encode, Decode)]
struct JobV1 {
	model: u32,
	subject: Subject,
	input: Vec<i32>,
	policy: Vec<EvidenceKind>,
	state: JobState,
	attempts: u32,
}

impl From<JobV1> for Job {
	fn from(j: JobV1) -> Self {
		let JobV1 { model, subject, input, policy, state, attempts } = j;
		let (salt, output) = (Salt::NONE, OutputMode::Published);
		Self { model, subject, input, policy, state, attempts, salt, output }
	}
}

/// Why the queue refused or failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueError {
	/// RocksDB failed (opening, reading or writing).
	Db(String),
	/// A stored record does not decode (the database was altered or is damaged).
	Corrupt {
		/// The record's key.
		key: Vec<u8>,
	},
	/// The subject is a job already.
	Duplicate(JobId),
	/// No such job.
	UnknownJob(JobId),
	/// The job is over; its state no longer changes.
	Finished(JobId),
}

impl core::fmt::Display for QueueError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::Db(e) => write!(f, "job queue database: {e}"),
			Self::Corrupt { key } => write!(f, "job queue record {key:02x?} does not decode"),
			Self::Duplicate(id) => write!(f, "already job {id}"),
			Self::UnknownJob(id) => write!(f, "no job {id}"),
			Self::Finished(id) => write!(f, "job {id} is over"),
		}
	}
}

impl std::error::Error for QueueError {}

fn db(e: rocksdb::Error) -> QueueError {
	QueueError::Db(e.to_string())
}

const JOB: u8 = b'j';
const SUBJECT: u8 = b's';
const NEXT: &[u8] = b"n";
const CURSOR: u8 = b'c';
const UNFINISHED: u8 = b'u';
const VERSION: &[u8] = b"v";
/// The layout version this code writes (1: with the `u` index; 2: jobs with a salt and an
/// output mode).
const LAYOUT: u32 = 2;

fn cursor_key(name: &str) -> Vec<u8> {
	let mut key = vec![CURSOR];
	key.extend_from_slice(name.as_bytes());
	key
}

fn job_key(id: JobId) -> Vec<u8> {
	let mut key = vec![JOB];
	key.extend_from_slice(&id.to_be_bytes());
	key
}

fn unfinished_key(id: JobId) -> Vec<u8> {
	let mut key = vec![UNFINISHED];
	key.extend_from_slice(&id.to_be_bytes());
	key
}

/// The id in a `prefix ‖ id (u64 BE)` key.
fn id_of_key(key: &[u8]) -> Result<JobId, QueueError> {
	<[u8; 8]>::try_from(&key[1..])
		.map(u64::from_be_bytes)
		.map_err(|_| QueueError::Corrupt { key: key.to_vec() })
}

fn subject_key(subject: &Subject) -> Vec<u8> {
	let mut key = vec![SUBJECT];
	subject.encode_to(&mut key);
	key
}

/// The durable job queue.
pub struct JobQueue {
	db: DB,
	/// Serializes the read-modify-write of acceptance and state changes.
	lock: Mutex<()>,
}

impl core::fmt::Debug for JobQueue {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("JobQueue").field("path", &self.db.path()).finish()
	}
}

impl JobQueue {
	/// Opens (or creates) the queue in the directory `path`.
	pub fn open(path: &Path) -> Result<Self, QueueError> {
		let mut options = Options::default();
		options.create_if_missing(true);
		let queue = Self { db: DB::open(&options, path).map_err(db)?, lock: Mutex::new(()) };
		queue.upgrade()?;
		Ok(queue)
	}

	/// Brings a database of an older layout to [`LAYOUT`]: indexes its unfinished jobs (before
	/// 1) and rewrites its jobs with an empty salt (before 2).
	fn upgrade(&self) -> Result<(), QueueError> {
		let version = match self.db.get(VERSION).map_err(db)? {
			Some(bytes) => Self::decode::<u32>(VERSION, &bytes)?,
			None => 0,
		};
		if version >= LAYOUT {
			return Ok(());
		}
		let mut batch = WriteBatch::default();
		for item in self.db.prefix_iterator([JOB]) {
			let (key, value) = item.map_err(db)?;
			if key.first() != Some(&JOB) {
				break;
			}
			let job: Job = Self::decode::<JobV1>(&key, &value)?.into();
			if version < 1 && !job.state.is_final() {
				batch.put(unfinished_key(id_of_key(&key)?), []);
			}
			batch.put(&key, job.encode());
		}
		batch.put(VERSION, LAYOUT.encode());
		self.write(batch)
	}

	fn write(&self, batch: WriteBatch) -> Result<(), QueueError> {
		let mut options = WriteOptions::default();
		options.set_sync(true);
		self.db.write_opt(batch, &options).map_err(db)
	}

	fn decode<T: Decode>(key: &[u8], bytes: &[u8]) -> Result<T, QueueError> {
		T::decode_all(&mut &bytes[..]).map_err(|_| QueueError::Corrupt { key: key.to_vec() })
	}

	fn guard(&self) -> std::sync::MutexGuard<'_, ()> {
		// The guarded data is (); a panic elsewhere cannot leave it inconsistent.
		self.lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// Accepts a job for `subject`, in state [`JobState::Accepted`]; on disk when this returns.
	/// `opening` is how its receipt commits: the salt of its commitments (the requester's, for a
	/// salted `c_0`) and whether the output is published.
	pub fn accept(
		&self,
		model: u32,
		subject: Subject,
		input: Vec<i32>,
		policy: Vec<EvidenceKind>,
		opening: (Salt, OutputMode),
	) -> Result<JobId, QueueError> {
		self.accept_with(model, |_| subject, input, policy, opening)
	}

	/// Accepts a direct receipt's job for the node `node`: its subject is
	/// `Subject::Direct { node, nonce }` with the job's id as the nonce (ids are never reused, so
	/// neither are nonces while the database lives).
	pub fn accept_direct(
		&self,
		node: [u8; 32],
		model: u32,
		input: Vec<i32>,
		policy: Vec<EvidenceKind>,
	) -> Result<JobId, QueueError> {
		let plain = (Salt::NONE, OutputMode::Published);
		self.accept_with(model, |id| Subject::Direct { node, nonce: id }, input, policy, plain)
	}

	fn accept_with(
		&self,
		model: u32,
		subject: impl FnOnce(JobId) -> Subject,
		input: Vec<i32>,
		policy: Vec<EvidenceKind>,
		(salt, output): (Salt, OutputMode),
	) -> Result<JobId, QueueError> {
		let _guard = self.guard();
		let id = match self.db.get(NEXT).map_err(db)? {
			Some(bytes) => Self::decode::<u64>(NEXT, &bytes)?,
			None => 0,
		};
		let subject = subject(id);
		if let Some(id) = self.by_subject(&subject)? {
			return Err(QueueError::Duplicate(id));
		}
		let state = JobState::Accepted;
		let job = Job { model, subject, input, policy, state, attempts: 0, salt, output };
		let mut batch = WriteBatch::default();
		batch.put(job_key(id), job.encode());
		batch.put(unfinished_key(id), []);
		batch.put(subject_key(&job.subject), id.encode());
		batch.put(NEXT, (id + 1).encode());
		self.write(batch)?;
		Ok(id)
	}

	/// The cursor `name` (e.g. the next request id to look at), 0 if never set.
	pub fn cursor(&self, name: &str) -> Result<u64, QueueError> {
		let key = cursor_key(name);
		Ok(self.db.get(&key).map_err(db)?.map(|b| Self::decode(&key, &b)).transpose()?.unwrap_or(0))
	}

	/// Sets the cursor `name`; on disk when this returns.
	pub fn set_cursor(&self, name: &str, value: u64) -> Result<(), QueueError> {
		let mut batch = WriteBatch::default();
		batch.put(cursor_key(name), value.encode());
		self.write(batch)
	}

	/// The job `id`.
	pub fn get(&self, id: JobId) -> Result<Option<Job>, QueueError> {
		let key = job_key(id);
		self.db.get(&key).map_err(db)?.map(|b| Self::decode(&key, &b)).transpose()
	}

	/// The job of `subject`, if it was accepted.
	pub fn by_subject(&self, subject: &Subject) -> Result<Option<JobId>, QueueError> {
		let key = subject_key(subject);
		self.db.get(&key).map_err(db)?.map(|b| Self::decode(&key, &b)).transpose()
	}

	fn update(&self, id: JobId, change: impl FnOnce(&mut Job)) -> Result<Job, QueueError> {
		let _guard = self.guard();
		let mut job = self.get(id)?.ok_or(QueueError::UnknownJob(id))?;
		if job.state.is_final() {
			return Err(QueueError::Finished(id));
		}
		change(&mut job);
		let mut batch = WriteBatch::default();
		batch.put(job_key(id), job.encode());
		if job.state.is_final() {
			batch.delete(unfinished_key(id));
		}
		self.write(batch)?;
		Ok(job)
	}

	/// Moves job `id` to `state`; on disk when this returns. Refused once the job is over.
	pub fn set_state(&self, id: JobId, state: JobState) -> Result<Job, QueueError> {
		self.update(id, |job| job.state = state)
	}

	/// Counts one more failed attempt of job `id`; returns the count.
	pub fn record_attempt(&self, id: JobId) -> Result<u32, QueueError> {
		Ok(self.update(id, |job| job.attempts = job.attempts.saturating_add(1))?.attempts)
	}

	/// Every job that is not over, in the order they were accepted (read through the index of
	/// unfinished jobs: the cost does not grow with the jobs that are over).
	pub fn unfinished(&self) -> Result<Vec<(JobId, Job)>, QueueError> {
		self.unfinished_ids()?
			.into_iter()
			.map(|id| {
				let job =
					self.get(id)?.ok_or_else(|| QueueError::Corrupt { key: unfinished_key(id) })?;
				Ok((id, job))
			})
			.collect()
	}

	/// The ids in the index of unfinished jobs.
	fn unfinished_ids(&self) -> Result<Vec<JobId>, QueueError> {
		let mut ids = Vec::new();
		for item in self.db.prefix_iterator([UNFINISHED]) {
			let (key, _) = item.map_err(db)?;
			if key.first() != Some(&UNFINISHED) {
				break;
			}
			ids.push(id_of_key(&key)?);
		}
		Ok(ids)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn request(id: u64) -> Subject {
		Subject::Request(id)
	}

	fn accept(q: &JobQueue, subject: Subject) -> Result<JobId, QueueError> {
		let plain = (Salt::NONE, OutputMode::Published);
		q.accept(7, subject, vec![1, -2, 3], vec![EvidenceKind::Tee, EvidenceKind::Zk], plain)
	}

	#[test]
	fn accepted_jobs_and_their_states_survive_reopening() {
		let dir = tempfile::tempdir().unwrap();
		let (a, b) = {
			let q = JobQueue::open(dir.path()).unwrap();
			let a = accept(&q, request(10)).unwrap();
			let b = accept(&q, Subject::Direct { node: [3; 32], nonce: 1 }).unwrap();
			q.set_state(a, JobState::Ready { receipt: vec![9, 9] }).unwrap();
			assert_eq!(q.record_attempt(a).unwrap(), 1);
			(a, b)
		};
		assert_eq!((a, b), (0, 1));
		let q = JobQueue::open(dir.path()).unwrap();
		let unfinished = q.unfinished().unwrap();
		assert_eq!(unfinished.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![0, 1]);
		let job = q.get(a).unwrap().unwrap();
		assert_eq!(job.state, JobState::Ready { receipt: vec![9, 9] });
		assert_eq!((job.model, job.input.clone(), job.attempts), (7, vec![1, -2, 3], 1));
		assert_eq!(q.by_subject(&request(10)).unwrap(), Some(a));
		// Ids continue after a restart.
		assert_eq!(accept(&q, request(11)).unwrap(), 2);
	}

	#[test]
	fn direct_jobs_take_their_id_as_nonce_and_cursors_persist() {
		let dir = tempfile::tempdir().unwrap();
		{
			let q = JobQueue::open(dir.path()).unwrap();
			assert_eq!(accept(&q, request(4)).unwrap(), 0);
			let id = q.accept_direct([5; 32], 7, vec![1], vec![EvidenceKind::Tee]).unwrap();
			assert_eq!(id, 1);
			let job = q.get(id).unwrap().unwrap();
			assert_eq!(job.subject, Subject::Direct { node: [5; 32], nonce: 1 });
			assert_eq!(q.cursor("requests").unwrap(), 0);
			q.set_cursor("requests", 12).unwrap();
		}
		let q = JobQueue::open(dir.path()).unwrap();
		assert_eq!(q.cursor("requests").unwrap(), 12);
		assert_eq!(q.cursor("models").unwrap(), 0);
		assert_eq!(q.accept_direct([5; 32], 7, vec![1], vec![]).unwrap(), 2);
	}

	#[test]
	fn a_subject_is_accepted_once_and_a_finished_job_never_changes() {
		let dir = tempfile::tempdir().unwrap();
		let q = JobQueue::open(dir.path()).unwrap();
		let id = accept(&q, request(5)).unwrap();
		assert_eq!(accept(&q, request(5)), Err(QueueError::Duplicate(id)));
		q.set_state(id, JobState::Finalized { receipt: vec![2], block: [1; 32] }).unwrap();
		assert_eq!(accept(&q, request(5)), Err(QueueError::Duplicate(id)));
		assert_eq!(q.set_state(id, JobState::Accepted), Err(QueueError::Finished(id)));
		assert_eq!(q.record_attempt(id), Err(QueueError::Finished(id)));
		assert_eq!(q.set_state(99, JobState::Accepted), Err(QueueError::UnknownJob(99)));
		assert!(q.unfinished().unwrap().is_empty());
		assert_eq!(
			q.get(id).unwrap().unwrap().state,
			JobState::Finalized { receipt: vec![2], block: [1; 32] }
		);
	}

	#[test]
	fn a_damaged_record_is_a_typed_error_not_a_panic() {
		let dir = tempfile::tempdir().unwrap();
		let q = JobQueue::open(dir.path()).unwrap();
		let id = accept(&q, request(1)).unwrap();
		q.db.put(job_key(id), [0xff, 0x00]).unwrap();
		assert_eq!(q.get(id), Err(QueueError::Corrupt { key: job_key(id) }));
		assert_eq!(q.unfinished(), Err(QueueError::Corrupt { key: job_key(id) }));
		q.db.put(NEXT, [1]).unwrap();
		assert_eq!(accept(&q, request(2)), Err(QueueError::Corrupt { key: NEXT.to_vec() }));
		let file = tempfile::NamedTempFile::new().unwrap();
		assert!(matches!(JobQueue::open(file.path()), Err(QueueError::Db(_))));
	}

	#[test]
	fn a_job_keeps_its_salt_and_output_mode_across_reopening() {
		let dir = tempfile::tempdir().unwrap();
		let salt = Salt::from_random([9; 31]);
		let id = {
			let q = JobQueue::open(dir.path()).unwrap();
			q.accept(7, request(3), vec![1], vec![EvidenceKind::Zk], (salt, OutputMode::Committed))
				.unwrap()
		};
		let q = JobQueue::open(dir.path()).unwrap();
		let job = q.get(id).unwrap().unwrap();
		assert_eq!((job.salt, job.output), (salt, OutputMode::Committed));
		assert_eq!(format!("{:?}", q.get(id).unwrap().unwrap()).matches("Salt(..)").count(), 1);
	}

	#[test]
	fn only_unfinished_jobs_are_indexed_and_an_unindexed_database_is_indexed_on_open() {
		let dir = tempfile::tempdir().unwrap();
		{
			let q = JobQueue::open(dir.path()).unwrap();
			for r in 0..5 {
				accept(&q, request(r)).unwrap();
			}
			q.set_state(1, JobState::Failed { reason: "no".into() }).unwrap();
			q.set_state(3, JobState::Finalized { receipt: vec![], block: [0; 32] }).unwrap();
			assert_eq!(q.unfinished_ids().unwrap(), vec![0, 2, 4]);
			// What the first layout wrote: jobs without a salt, no index and no version.
			for id in 0..5 {
				let Job { model, subject, input, policy, state, attempts, .. } =
					q.get(id).unwrap().unwrap();
				let old = JobV1 { model, subject, input, policy, state, attempts };
				q.db.put(job_key(id), old.encode()).unwrap();
			}
			for id in [0, 2, 4] {
				q.db.delete(unfinished_key(id)).unwrap();
			}
			q.db.delete(VERSION).unwrap();
			assert!(q.unfinished_ids().unwrap().is_empty());
		}
		let q = JobQueue::open(dir.path()).unwrap();
		let ids: Vec<JobId> = q.unfinished().unwrap().into_iter().map(|(id, _)| id).collect();
		assert_eq!(ids, vec![0, 2, 4]);
		assert_eq!(q.db.get(VERSION).unwrap(), Some(LAYOUT.encode()));
		// Every job reads back, unsalted, and stays finished or not.
		for id in 0..5 {
			let job = q.get(id).unwrap().unwrap();
			assert_eq!((job.salt, job.output), (Salt::NONE, OutputMode::Published));
			assert_eq!(job.state.is_final(), id == 1 || id == 3);
		}
	}

	#[test]
	fn concurrent_acceptance_gives_every_job_its_own_id() {
		let dir = tempfile::tempdir().unwrap();
		let q = std::sync::Arc::new(JobQueue::open(dir.path()).unwrap());
		let threads: Vec<_> = (0..4u64)
			.map(|t| {
				let q = q.clone();
				std::thread::spawn(move || {
					(0..25u64)
						.map(|i| accept(&q, request(t * 100 + i)).unwrap())
						.collect::<Vec<_>>()
				})
			})
			.collect();
		let mut ids: Vec<JobId> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
		ids.sort();
		assert_eq!(ids, (0..100).collect::<Vec<_>>());
		assert_eq!(q.unfinished().unwrap().len(), 100);
	}
}
