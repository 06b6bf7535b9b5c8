//! The work loop in process, against an in-memory chain ([`fake_chain`]) and in virtual time
//! (`tokio::time::pause`): what it does when the chain refuses a receipt, never finalizes a
//! transaction, or cannot be reached; and [`veritas_service::run`] whole, HTTP API included.
//! Minutes of backoff and timeouts pass in milliseconds; the end-to-end tests run the same loop
//! against a real node.

mod fake_chain;

use std::{path::PathBuf, sync::Arc, time::Duration};

use fake_chain::FakeChain;
use tokio::{sync::watch, time::Instant};
use veritas_engine::TestSet;
use veritas_primitives::{EvidenceKind, Subject};
use veritas_service::{
	Config, Deadlines, JobQueue, JobState, Prices, ServedModel, Service, DEV_SETUP_SEED,
};

fn model_dir(name: &str) -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models").join(name)
}

/// digits-mlp as served, and a few of its held-out inputs at its scale.
fn digits() -> (ServedModel, Vec<Vec<i32>>) {
	let dir = model_dir("digits-mlp");
	let served = ServedModel::load(&dir, &DEV_SETUP_SEED).unwrap();
	let set = TestSet::load(&dir.join("test-set.json")).unwrap();
	let inputs = set.inputs[..4].iter().map(|x| served.quantize_input(x).unwrap()).collect();
	(served, inputs)
}

fn config(max_attempts: u32) -> Config {
	Config {
		signer: veritas_chain::signer("//Alice").unwrap(),
		measurement: None,
		poll: Duration::from_millis(500),
		max_batch: 32,
		max_attempts,
		progress: false,
		renewal_margin: Duration::from_secs(3600),
		prices: Prices::default(),
		deadlines: Deadlines { min_blocks_left: 5, zk_blocks_per_segment: 2 },
	}
}

/// A started service on `chain` serving digits-mlp (registered on chain, with `requests` open
/// on its inputs, every segment `none`), and its running work loop.
struct Running {
	service: Arc<Service<veritas_service::Enclave>>,
	stop: watch::Sender<bool>,
	task: tokio::task::JoinHandle<()>,
	_data: tempfile::TempDir,
}

async fn start(chain: &FakeChain, requests: usize, max_attempts: u32) -> Running {
	let (served, inputs) = digits();
	{
		let mut ledger = chain.ledger();
		ledger.register_model(served.manifest.clone());
		let none = vec![EvidenceKind::None; served.segments.len()];
		for input in inputs.into_iter().take(requests) {
			ledger.open_request(0, input, none.clone());
		}
	}
	launch(chain, served, tempfile::tempdir().unwrap(), max_attempts).await
}

/// Starts a service serving `served` on `chain` with its queue in `data` (new, or one a stopped
/// service left), and its work loop.
async fn launch(
	chain: &FakeChain,
	served: ServedModel,
	data: tempfile::TempDir,
	max_attempts: u32,
) -> Running {
	let queue = JobQueue::open(&data.path().join("jobs")).unwrap();
	let service = Service::start(
		Arc::new(chain.clone()),
		config(max_attempts),
		queue,
		vec![served],
		None::<veritas_service::Enclave>,
	)
	.await
	.unwrap();
	let (stop, stopped) = watch::channel(false);
	let task = tokio::spawn(Arc::clone(&service).run(stopped));
	Running { service, stop, task, _data: data }
}

impl Running {
	/// The state of the job answering request `id`.
	fn state(&self, id: u64) -> Option<JobState> {
		let queue = self.service.queue();
		let job = queue.by_subject(&Subject::Request(id)).unwrap()?;
		Some(queue.get(job).unwrap().unwrap().state)
	}

	/// Waits (virtual time) until request `id`'s job is in a state `wanted` accepts (`what`, for
	/// the failure message), at most `limit`.
	async fn until(
		&self,
		id: u64,
		what: &str,
		wanted: impl Fn(&JobState) -> bool,
		limit: Duration,
	) -> JobState {
		let deadline = Instant::now() + limit;
		loop {
			if let Some(state) = self.state(id).filter(&wanted) {
				return state;
			}
			assert!(Instant::now() < deadline, "request {id} not {what} within {limit:?}");
			tokio::time::sleep(Duration::from_millis(100)).await;
		}
	}

	/// Waits (virtual time) until request `id`'s job is final, at most `limit`.
	async fn until_final(&self, id: u64, limit: Duration) -> JobState {
		self.until(id, "final", JobState::is_final, limit).await
	}

	async fn stop(self) {
		self.stop.send(true).unwrap();
		tokio::time::timeout(Duration::from_secs(60), self.task)
			.await
			.expect("the work loop stops")
			.unwrap();
	}
}

#[tokio::test(start_paused = true)]
async fn requests_are_answered_once_in_one_batch_and_keys_registered_at_start() {
	let chain = FakeChain::default();
	let running = start(&chain, 3, 8).await;
	// Start registered every ZK segment's verifying key the chain lacked.
	let keys = running.service.models()[0].keys.iter().flatten().count();
	assert!(keys > 0);
	assert_eq!(chain.ledger().vks.len(), keys);
	for id in 0..3 {
		let state = running.until_final(id, Duration::from_secs(60)).await;
		assert!(matches!(state, JobState::Finalized { .. }), "request {id}: {state:?}");
	}
	let ledger = chain.ledger().clone();
	running.stop().await;
	assert!(ledger.requests.is_empty());
	assert_eq!(ledger.answered.len(), 3);
	// Each answer is the model's output on the request's input, from this node.
	let (served, inputs) = digits();
	let alice = veritas_chain::signer("//Alice").unwrap().public_key().0;
	for (id, input) in inputs.iter().take(3).enumerate() {
		let result = &ledger.results[&ledger.answered[&(id as u64)]];
		assert_eq!(result.node, alice);
		assert_eq!(result.receipt.output, served.run(input).unwrap());
	}
	// Ready together, submitted together: one transaction of three receipts, nothing twice.
	let all: Vec<Subject> = (0..3).map(Subject::Request).collect();
	assert_eq!(ledger.submissions.len(), 1, "{:?}", ledger.submissions);
	assert_eq!(ledger.submissions_of(&all).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_refused_receipt_is_split_out_retried_with_backoff_then_given_up() {
	let chain = FakeChain::default();
	chain.ledger().refused.insert(1);
	let running = start(&chain, 3, 3).await;
	for id in [0, 2] {
		let state = running.until_final(id, Duration::from_secs(60)).await;
		assert!(matches!(state, JobState::Finalized { .. }), "request {id}: {state:?}");
	}
	let state = running.until_final(1, Duration::from_secs(120)).await;
	let JobState::Failed { reason } = state else { panic!("request 1: {state:?}") };
	assert!(reason.contains("gave up after 3 attempts"), "{reason}");
	assert!(reason.contains("InvalidProof"), "{reason}");
	let ledger = chain.ledger().clone();
	running.stop().await;
	// Halving put the refused receipt alone; alone, it was tried three times, the retries
	// 2 s and then 4 s apart at least (1 s · 2^attempts), and never landed.
	let alone = ledger.submissions_of(&[Subject::Request(1)]);
	assert_eq!(alone.len(), 3, "{:?}", ledger.submissions);
	assert!(alone[1] - alone[0] >= Duration::from_secs(2), "{:?}", alone[1] - alone[0]);
	assert!(alone[2] - alone[1] >= Duration::from_secs(4), "{:?}", alone[2] - alone[1]);
	assert!(!ledger.answered.contains_key(&1));
	assert!(ledger.requests.contains_key(&1), "the request stays open for another node");
	assert_eq!(ledger.answered.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_transaction_never_finalized_times_out_and_is_submitted_again() {
	let chain = FakeChain::default();
	chain.ledger().hold_finality = 1;
	let running = start(&chain, 1, 8).await;
	let state = running.until_final(0, Duration::from_secs(600)).await;
	assert!(matches!(state, JobState::Finalized { .. }), "{state:?}");
	let ledger = chain.ledger().clone();
	running.stop().await;
	// The first transaction was never finalized: after the finality timeout (120 s) the job
	// was looked up on chain, found unanswered, and submitted again, once.
	let tries = ledger.submissions_of(&[Subject::Request(0)]);
	assert_eq!(tries.len(), 2, "{:?}", ledger.submissions);
	assert!(tries[1] - tries[0] >= Duration::from_secs(120), "{:?}", tries[1] - tries[0]);
	assert_eq!(ledger.answered.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_lost_chain_is_reconnected_and_work_resumes() {
	let chain = FakeChain::default();
	let running = start(&chain, 1, 8).await;
	running.until_final(0, Duration::from_secs(60)).await;
	// The chain goes away for five minutes, and the connection with it; a request opened
	// meanwhile is answered once it is back, through a new connection.
	{
		let mut ledger = chain.ledger();
		ledger.unreachable = true;
		ledger.disconnected = true;
	}
	tokio::time::sleep(Duration::from_secs(300)).await;
	assert_eq!(chain.ledger().reconnects, 0, "nothing reconnects to a chain that is down");
	{
		let mut ledger = chain.ledger();
		ledger.unreachable = false;
		let (served, inputs) = digits();
		ledger.open_request(0, inputs[3].clone(), vec![EvidenceKind::None; served.segments.len()]);
	}
	let state = running.until_final(1, Duration::from_secs(60)).await;
	assert!(matches!(state, JobState::Finalized { .. }), "{state:?}");
	let ledger = chain.ledger().clone();
	running.stop().await;
	assert!(ledger.reconnects >= 1, "reconnected after the outage");
	assert_eq!(ledger.answered.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn stopping_finishes_the_step_in_progress_and_a_restart_resumes_without_a_second_receipt() {
	let chain = FakeChain::default();
	// The first submission hangs; the node stops while it waits.
	chain.ledger().hold_finality = 1;
	let running = start(&chain, 1, 8).await;
	let submitted = |s: &JobState| matches!(s, JobState::Submitted { .. });
	running.until(0, "submitted", submitted, Duration::from_secs(60)).await;
	let Running { service, stop, task, _data } = running;
	stop.send(true).unwrap();
	// The submitter finishes its step (the finality timeout) before the loop returns.
	tokio::time::timeout(Duration::from_secs(600), task).await.expect("stops").unwrap();
	let state = service.queue().get(0).unwrap().unwrap().state;
	assert!(!state.is_final(), "{state:?}");
	// Meanwhile the held transaction landed after all (the pool kept it).
	let receipt = match &state {
		JobState::Submitted { receipt, .. } => receipt.clone(),
		other => panic!("{other:?}"),
	};
	{
		let receipt =
			<veritas_chain::onchain::Receipt as codec::Decode>::decode(&mut &receipt[..]).unwrap();
		let alice = veritas_chain::signer("//Alice").unwrap().public_key().0;
		let mut ledger = chain.ledger();
		let id = veritas_service::worker::id_of(&fake_chain::GENESIS, &receipt);
		ledger.requests.remove(&0);
		ledger.answered.insert(0, id);
		ledger.results.insert(
			id,
			veritas_chain::onchain::VerifiedResult {
				receipt,
				node: alice,
				trust: vec![],
				verified_at: 1,
				deposit: 0,
			},
		);
	}
	// A restart on the same queue finds the receipt on chain: finalized, not submitted again.
	drop(service);
	let running = launch(&chain, digits().0, _data, 8).await;
	let state = running.until_final(0, Duration::from_secs(60)).await;
	assert!(matches!(state, JobState::Finalized { .. }), "{state:?}");
	let submissions = chain.ledger().submissions.len();
	running.stop().await;
	assert_eq!(submissions, 1, "one transaction in all");
}

/// `method` `path` on the node at `address` with `body`: the status and the JSON answer.
async fn http(
	address: std::net::SocketAddr,
	method: &'static str,
	path: &str,
	body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
	let url = format!("http://{address}{path}");
	tokio::task::spawn_blocking(move || {
		let agent: ureq::Agent = ureq::Agent::config_builder()
			.http_status_as_error(false)
			.timeout_global(Some(Duration::from_secs(30)))
			.build()
			.into();
		let mut response = match (method, body) {
			("POST", Some(body)) => agent
				.post(&url)
				.header("content-type", "application/json")
				.send(body.to_string().as_bytes())
				.unwrap(),
			_ => agent.get(&url).call().unwrap(),
		};
		let status = response.status().as_u16();
		let text = response.body_mut().read_to_string().unwrap();
		(status, serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
	})
	.await
	.unwrap()
}

/// The whole node through `veritas_service::run` (real time, real TCP): the HTTP API lists the
/// model it found on chain, takes a direct receipt, reports it verified, refuses a bad request,
/// and the node stops when told to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_serves_the_api_and_answers_a_direct_receipt_then_stops() {
	let chain = FakeChain::default();
	let (served, inputs) = digits();
	chain.ledger().register_model(served.manifest.clone());
	let segments = served.segments.len();
	let data = tempfile::tempdir().unwrap();
	let mut service = config(8);
	service.poll = Duration::from_millis(20);
	let node = veritas_service::NodeConfig {
		service,
		queue: JobQueue::open(&data.path().join("jobs")).unwrap(),
		models: vec![served],
		enclave: None,
		http: veritas_service::HttpConfig {
			api_key: None,
			per_second: std::num::NonZeroU32::new(100).unwrap(),
			burst: std::num::NonZeroU32::new(100).unwrap(),
			text: None,
			upstream: None,
			cors: veritas_service::Cors::parse(&["http://127.0.0.1:8090"]).unwrap(),
		},
	};
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap();
	let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
	let node = tokio::spawn(veritas_service::run(node, listener, Arc::new(chain.clone()), async {
		let _ = stopped.await;
	}));

	let started = std::time::Instant::now();
	loop {
		let (status, models) = http(address, "GET", "/v1/models", None).await;
		assert_eq!(status, 200);
		if models["models"].as_array().is_some_and(|m| m.len() == 1) {
			assert_eq!(models["models"][0]["name"], "digits-mlp");
			break;
		}
		assert!(started.elapsed() < Duration::from_secs(30), "the model was never found");
		tokio::time::sleep(Duration::from_millis(20)).await;
	}
	let policy = vec!["none"; segments];
	let body = serde_json::json!({ "model": 0, "input": inputs[1], "policy": policy });
	let (status, accepted) = http(address, "POST", "/v1/infer", Some(body)).await;
	assert_eq!(status, 202, "{accepted}");
	let job = accepted["job"].as_u64().unwrap();
	let bad = serde_json::json!({ "model": 0, "input": [1, 2, 3], "policy": policy });
	let (status, refused) = http(address, "POST", "/v1/infer", Some(bad)).await;
	assert!((400..500).contains(&status), "{status} {refused}");
	assert!(refused["error"].is_string(), "{refused}");
	let receipt = loop {
		let (status, receipt) = http(address, "GET", &format!("/v1/receipts/{job}"), None).await;
		assert_eq!(status, 200);
		if receipt["state"] == "finalized" {
			break receipt;
		}
		assert_ne!(receipt["state"], "failed", "{receipt}");
		assert!(started.elapsed() < Duration::from_secs(60), "never finalized: {receipt}");
		tokio::time::sleep(Duration::from_millis(20)).await;
	};
	// CORS: the configured origin's pages may read the answers and send their bodies; another
	// origin gets no permission.
	let explorer = "http://127.0.0.1:8090";
	let get = raw_http(address, "GET /v1/models", explorer, "").await;
	assert!(get.starts_with("HTTP/1.1 200"), "{get}");
	assert!(get.contains(&format!("access-control-allow-origin: {explorer}\r\n")), "{get}");
	let preflight = "access-control-request-method: POST\r\naccess-control-request-headers: \
		content-type\r\n";
	let options = raw_http(address, "OPTIONS /v1/infer", explorer, preflight).await;
	assert!(options.starts_with("HTTP/1.1 200"), "{options}");
	assert!(options.contains("access-control-allow-methods: GET,POST\r\n"), "{options}");
	let other = raw_http(address, "GET /v1/models", "http://elsewhere.example", "").await;
	assert!(!other.contains("access-control-allow-origin"), "{other}");
	stop.send(()).unwrap();
	tokio::time::timeout(Duration::from_secs(30), node).await.expect("stops").unwrap().unwrap();
	// What the API reported is what the chain holds: one direct receipt, from this node.
	let ledger = chain.ledger().clone();
	assert_eq!(ledger.results.len(), 1);
	let (id, result) = ledger.results.iter().next().unwrap();
	assert_eq!(receipt["receipt_id"], format!("0x{}", hex::encode(id)));
	assert!(matches!(result.receipt.subject, Subject::Direct { .. }));
	assert_eq!(receipt["output"], serde_json::json!(result.receipt.output));
	// Stopped: the port is closed.
	assert!(std::net::TcpStream::connect(address).is_err());
}

/// `request_line` (`METHOD PATH`) sent to `address` from a page of `origin`, with `headers`
/// (`name: value\r\n` each): the whole answer, head and body, as text (lower-case header names,
/// as hyper writes them).
async fn raw_http(
	address: std::net::SocketAddr,
	request_line: &str,
	origin: &str,
	headers: &str,
) -> String {
	use tokio::io::{AsyncReadExt, AsyncWriteExt};
	let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
	let request = format!(
		"{request_line} HTTP/1.1\r\nhost: {address}\r\norigin: {origin}\r\n{headers}connection: close\r\n\r\n"
	);
	stream.write_all(request.as_bytes()).await.unwrap();
	let mut answer = String::new();
	stream.read_to_string(&mut answer).await.unwrap();
	answer
}
