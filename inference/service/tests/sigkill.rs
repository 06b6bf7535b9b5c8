//! A process accepting jobs is killed with SIGKILL at an arbitrary moment: every job it reported
//! accepted is in the queue after a restart, and the queue still works.
//!
//! The test re-runs its own binary as the child (`VERITAS_QUEUE_CHILD` set), which accepts jobs
//! in a loop and prints each id once `accept` has returned.

use std::{
	io::{BufRead, BufReader},
	process::{Command, Stdio},
};

use veritas_primitives::{salt::Salt, EvidenceKind, OutputMode, Subject};
use veritas_service::JobQueue;

const CHILD: &str = "VERITAS_QUEUE_CHILD";

fn child(path: &str) -> ! {
	let q = JobQueue::open(std::path::Path::new(path)).expect("the queue opens");
	let plain = (Salt::NONE, OutputMode::Published);
	for request in 0u64.. {
		let id = q
			.accept(
				1,
				Subject::Request(request),
				vec![request as i32; 64],
				vec![EvidenceKind::Zk],
				plain,
			)
			.expect("accepted");
		println!("accepted {id} {request}");
	}
	unreachable!()
}

#[test]
fn jobs_accepted_before_a_sigkill_are_all_there_after_a_restart() {
	if let Ok(path) = std::env::var(CHILD) {
		child(&path);
	}
	let dir = tempfile::tempdir().unwrap();
	let mut process = Command::new(std::env::current_exe().unwrap())
		.args([
			"--exact",
			"jobs_accepted_before_a_sigkill_are_all_there_after_a_restart",
			"--nocapture",
		])
		.env(CHILD, dir.path())
		.stdout(Stdio::piped())
		.spawn()
		.unwrap();
	let mut lines = BufReader::new(process.stdout.take().unwrap()).lines();
	let mut reported = Vec::new();
	while reported.len() < 200 {
		let line = lines.next().expect("the child reports").unwrap();
		if let Some(rest) = line.strip_prefix("accepted ") {
			let mut fields = rest.split(' ').map(|f| f.parse::<u64>().unwrap());
			reported.push((fields.next().unwrap(), fields.next().unwrap()));
		}
	}
	// SIGKILL (Child::kill sends SIGKILL on Unix): no destructor, no flush runs.
	process.kill().unwrap();
	process.wait().unwrap();

	let q = JobQueue::open(dir.path()).unwrap();
	let unfinished = q.unfinished().unwrap();
	assert!(unfinished.len() >= reported.len(), "{} < {}", unfinished.len(), reported.len());
	for (id, request) in &reported {
		let job = q.get(*id).unwrap().expect("a reported job is stored");
		assert_eq!(job.subject, Subject::Request(*request));
		assert_eq!(job.input, vec![*request as i32; 64]);
	}
	// Every stored job is whole, ids have no gaps, and the queue goes on after the last one.
	let ids: Vec<u64> = unfinished.iter().map(|(id, _)| *id).collect();
	assert_eq!(ids, (0..ids.len() as u64).collect::<Vec<_>>());
	let next = q
		.accept(1, Subject::Request(u64::MAX), vec![], vec![], (Salt::NONE, OutputMode::Published))
		.unwrap();
	assert_eq!(next, ids.len() as u64);
}
