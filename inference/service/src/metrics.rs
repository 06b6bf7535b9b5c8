//! The node's Prometheus metrics (prometheus-client), served as text on `GET /metrics`.

use prometheus_client::{
	encoding::text::encode,
	metrics::{
		counter::Counter,
		family::Family,
		gauge::Gauge,
		histogram::{exponential_buckets, Histogram},
	},
	registry::Registry,
};

/// Every metric the node updates.
#[derive(Debug)]
pub struct Metrics {
	registry: Registry,
	/// Jobs accepted (requests seen on chain and direct inferences).
	pub jobs_accepted: Counter,
	/// Receipts found verified on chain.
	pub receipts_finalized: Counter,
	/// Jobs given up.
	pub jobs_failed: Counter,
	/// Submissions that failed and will be retried.
	pub submit_retries: Counter,
	/// Jobs not finished.
	pub jobs_unfinished: Gauge,
	/// Seconds to make a receipt (running, committing, attesting and proving).
	pub answer_seconds: Histogram,
	/// Open requests not taken, by reason (`below_price`, `deadline`, `not_allowed`,
	/// `input_off_chain`, `policy`).
	pub requests_skipped: Family<Vec<(String, String)>, Counter>,
	/// Receipts whose attestation documents grew stale before they landed, made again.
	pub evidence_remade: Counter,
	/// HTTP requests for work refused before any work, by reason (`unauthorized`,
	/// `rate_limited`).
	pub http_refused: Family<Vec<(String, String)>, Counter>,
}

impl Default for Metrics {
	fn default() -> Self {
		let mut registry = Registry::with_prefix("veritas_inference");
		let m = Self {
			jobs_accepted: Counter::default(),
			receipts_finalized: Counter::default(),
			jobs_failed: Counter::default(),
			submit_retries: Counter::default(),
			jobs_unfinished: Gauge::default(),
			answer_seconds: Histogram::new(exponential_buckets(0.001, 2.0, 16)),
			requests_skipped: Family::default(),
			http_refused: Family::default(),
			evidence_remade: Counter::default(),
			registry: Registry::default(),
		};
		registry.register("jobs_accepted", "Jobs accepted", m.jobs_accepted.clone());
		registry.register(
			"receipts_finalized",
			"Receipts verified in a finalized block",
			m.receipts_finalized.clone(),
		);
		registry.register("jobs_failed", "Jobs given up", m.jobs_failed.clone());
		registry.register(
			"submit_retries",
			"Failed submissions to be retried",
			m.submit_retries.clone(),
		);
		registry.register("jobs_unfinished", "Jobs not finished", m.jobs_unfinished.clone());
		registry.register("answer_seconds", "Seconds to make a receipt", m.answer_seconds.clone());
		registry.register(
			"requests_skipped",
			"Open requests not taken, by reason",
			m.requests_skipped.clone(),
		);
		registry.register(
			"evidence_remade",
			"Receipts whose stale attestation documents were made again",
			m.evidence_remade.clone(),
		);
		registry.register(
			"http_refused",
			"HTTP requests for work refused, by reason",
			m.http_refused.clone(),
		);
		Self { registry, ..m }
	}
}

impl Metrics {
	/// Counts an open request not taken for `reason`.
	pub fn skipped(&self, reason: &str) {
		self.requests_skipped.get_or_create(&vec![("reason".into(), reason.into())]).inc();
	}

	/// Counts an HTTP request for work refused for `reason`.
	pub fn refused_http(&self, reason: &str) {
		self.http_refused.get_or_create(&vec![("reason".into(), reason.into())]).inc();
	}

	/// The metrics in the Prometheus text format.
	pub fn render(&self) -> String {
		let mut out = String::new();
		// Writing to a String cannot fail.
		let _ = encode(&mut out, &self.registry);
		out
	}
}
