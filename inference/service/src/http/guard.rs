//! Who may ask the node for work over HTTP, and how often: the routes that make the node
//! compute (`POST /v1/infer`, whose direct receipts the operator pays for, and
//! `POST /v1/chat/completions`) need the operator's API key when one is set
//! (`Authorization: Bearer …`, compared in constant time), and each client address gets a
//! token bucket (`--infer-per-second`, `--infer-burst`; governor's GCRA). A refusal is a `401`
//! or a `429` with `{"error": …}` and does no work (M3 of the security review).

use std::{
	net::{IpAddr, SocketAddr},
	num::NonZeroU32,
	sync::Arc,
};

use axum::{
	extract::{ConnectInfo, Request, State},
	http::{header, StatusCode},
	middleware::Next,
	response::{IntoResponse, Response},
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use subtle::ConstantTimeEq;

/// The API key and the per-client rate limit.
pub(crate) struct Guard {
	api_key: Option<Vec<u8>>,
	limiter: DefaultKeyedRateLimiter<IpAddr>,
	refused: Box<dyn Fn(&'static str) + Send + Sync>,
}

impl Guard {
	/// A guard allowing each client address `quota` (e.g. [`per_second`]), that asks for
	/// `api_key` when given, and reports each refusal's reason (`unauthorized`, `rate_limited`)
	/// to `refused`.
	pub(crate) fn new(
		api_key: Option<String>,
		quota: Quota,
		refused: impl Fn(&'static str) + Send + Sync + 'static,
	) -> Self {
		Self {
			api_key: api_key.map(String::into_bytes),
			limiter: RateLimiter::keyed(quota),
			refused: Box::new(refused),
		}
	}

	fn authorized(&self, request: &Request) -> bool {
		let Some(key) = &self.api_key else { return true };
		let given = request
			.headers()
			.get(header::AUTHORIZATION)
			.and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
			.unwrap_or_default();
		// Equal lengths first is no leak: the key's length is not the secret.
		given.len() == key.len() && bool::from(given.ct_eq(key))
	}

	fn refuse(&self, status: StatusCode, reason: &'static str, message: &str) -> Response {
		(self.refused)(reason);
		let body = serde_json::json!({ "error": message }).to_string();
		(status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
	}
}

/// `rate` requests a second, in bursts of up to `burst`.
pub(crate) fn per_second(rate: NonZeroU32, burst: NonZeroU32) -> Quota {
	Quota::per_second(rate).allow_burst(burst)
}

/// The middleware: the API key first (an unauthorized client spends no one's budget), then the
/// client address's bucket.
pub(crate) async fn guard(
	State(guard): State<Arc<Guard>>,
	ConnectInfo(client): ConnectInfo<SocketAddr>,
	request: Request,
	next: Next,
) -> Response {
	if !guard.authorized(&request) {
		return guard.refuse(
			StatusCode::UNAUTHORIZED,
			"unauthorized",
			"this node needs its API key: Authorization: Bearer <key>",
		);
	}
	if guard.limiter.check_key(&client.ip()).is_err() {
		return guard.refuse(
			StatusCode::TOO_MANY_REQUESTS,
			"rate_limited",
			"too many requests from this address; try again later",
		);
	}
	next.run(request).await
}

#[cfg(test)]
mod tests {
	use std::sync::Mutex;

	use axum::{
		body::Body, extract::connect_info::MockConnectInfo, middleware, routing::post, Router,
	};
	use tower::ServiceExt;

	use super::*;

	/// A guarded route whose bucket holds `burst` requests and refills once an hour (so that
	/// no refill happens during a test, however slow the machine).
	fn app(key: Option<&str>, burst: u32, refusals: Arc<Mutex<Vec<&'static str>>>) -> Router {
		let hourly = Quota::with_period(std::time::Duration::from_secs(3600)).unwrap();
		let guard = Arc::new(Guard::new(
			key.map(String::from),
			hourly.allow_burst(NonZeroU32::new(burst).unwrap()),
			move |reason| refusals.lock().unwrap().push(reason),
		));
		Router::new()
			.route("/v1/infer", post(|| async { "queued" }))
			.route_layer(middleware::from_fn_with_state(guard, super::guard))
	}

	async fn post_from(app: &Router, ip: [u8; 4], bearer: Option<&str>) -> StatusCode {
		let mut request = axum::http::Request::post("/v1/infer");
		if let Some(token) = bearer {
			request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
		}
		let client = SocketAddr::from((ip, 4000));
		let app = app.clone().layer(MockConnectInfo(client));
		app.oneshot(request.body(Body::empty()).unwrap()).await.unwrap().status()
	}

	#[tokio::test]
	async fn m3_infer_needs_the_bearer_token() {
		let refusals = Arc::new(Mutex::new(Vec::new()));
		let app = app(Some("s3cret-key"), 100, Arc::clone(&refusals));
		let ip = [10, 0, 0, 1];
		assert_eq!(post_from(&app, ip, None).await, StatusCode::UNAUTHORIZED);
		assert_eq!(post_from(&app, ip, Some("wrong-key!")).await, StatusCode::UNAUTHORIZED);
		assert_eq!(post_from(&app, ip, Some("s3cret")).await, StatusCode::UNAUTHORIZED);
		assert_eq!(post_from(&app, ip, Some("s3cret-key")).await, StatusCode::OK);
		assert_eq!(*refusals.lock().unwrap(), vec!["unauthorized"; 3]);
		// Without a key the route is open (the default bind is 127.0.0.1).
		let open = self::app(None, 100, Arc::default());
		assert_eq!(post_from(&open, ip, None).await, StatusCode::OK);
	}

	#[tokio::test]
	async fn m3_infer_is_rate_limited_per_client() {
		let refusals = Arc::new(Mutex::new(Vec::new()));
		let app = app(None, 3, Arc::clone(&refusals));
		for _ in 0..3 {
			assert_eq!(post_from(&app, [10, 0, 0, 1], None).await, StatusCode::OK);
		}
		assert_eq!(post_from(&app, [10, 0, 0, 1], None).await, StatusCode::TOO_MANY_REQUESTS);
		// Another client has its own bucket.
		assert_eq!(post_from(&app, [10, 0, 0, 2], None).await, StatusCode::OK);
		assert_eq!(*refusals.lock().unwrap(), vec!["rate_limited"]);
	}
}
