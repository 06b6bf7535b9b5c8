//! The whole inference node in one call: [`run`] starts the service against a chain, serves the
//! HTTP API on a listener, and stops both gracefully when told to.

use std::{future::Future, net::SocketAddr, num::NonZeroU32, sync::Arc};

use tokio::{net::TcpListener, sync::watch};

use crate::{
	chain::Chain,
	chat::TextModel,
	http::{self, guard, Cors},
	queue::JobQueue,
	served::ServedModel,
	worker::{Config, Service, ServiceError},
	Enclave,
};

/// Who may use the HTTP API's routes that make the node work, and the chat backends.
pub struct HttpConfig {
	/// The API key those routes require (`Authorization: Bearer <key>`); `None`: open to whoever
	/// reaches the listener.
	pub api_key: Option<String>,
	/// Requests a second each client address may make to those routes.
	pub per_second: NonZeroU32,
	/// How many such requests a client address may make at once before the rate applies.
	pub burst: NonZeroU32,
	/// The built-in text model of `POST /v1/chat/completions`.
	pub text: Option<Arc<TextModel>>,
	/// An upstream OpenAI-compatible server (`http://host:port`) preferred to the built-in model.
	pub upstream: Option<String>,
	/// The web origins whose pages may call the API (CORS).
	pub cors: Cors,
}

/// Everything the node runs with: how it works, its job queue, its models, its enclave and its
/// HTTP API.
pub struct NodeConfig {
	/// How the work loop works.
	pub service: Config,
	/// The durable job queue.
	pub queue: JobQueue,
	/// The models served.
	pub models: Vec<ServedModel>,
	/// The enclave that makes TEE evidence (`None`: only ZK and `none` segments).
	pub enclave: Option<Enclave>,
	/// The HTTP API.
	pub http: HttpConfig,
}

/// Runs the inference node against `chain` until `shutdown` completes: starts the service
/// (registers the verifying keys the chain lacks), runs the work loop, and serves the HTTP API
/// on `listener`. On shutdown, the step in progress and the HTTP requests being answered finish
/// first. Fails only if the service cannot start.
pub async fn run(
	config: NodeConfig,
	listener: TcpListener,
	chain: Arc<dyn Chain>,
	shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServiceError> {
	let NodeConfig { service, queue, models, enclave, http } = config;
	let service = Service::start(chain, service, queue, models, enclave).await?;
	if let Ok(address) = listener.local_addr() {
		tracing::info!(%address, account = %hex::encode(service.account()), "serving");
	}
	let (stop, stopped) = watch::channel(false);
	let worker = tokio::spawn(Arc::clone(&service).run(stopped.clone()));
	let counted = Arc::clone(&service);
	let guard = Arc::new(guard::Guard::new(
		http.api_key,
		guard::per_second(http.per_second, http.burst),
		move |reason| counted.metrics().refused_http(reason),
	));
	let app =
		http::App { service, text: http.text, upstream: http.upstream, guard, cors: http.cors };
	let routes = http::router(app).into_make_service_with_connect_info::<SocketAddr>();
	let mut http_stopped = stopped;
	let server = axum::serve(listener, routes).with_graceful_shutdown(async move {
		let _ = http_stopped.wait_for(|s| *s).await;
	});
	let server = tokio::spawn(async move { server.await });
	shutdown.await;
	tracing::info!("stopping: finishing the step in progress");
	let _ = stop.send(true);
	if let Err(e) = worker.await {
		tracing::warn!(error = %e, "work loop task");
	}
	match server.await {
		Ok(Ok(())) => {},
		Ok(Err(e)) => tracing::warn!(error = %e, "HTTP server"),
		Err(e) => tracing::warn!(error = %e, "HTTP server task"),
	}
	tracing::info!("stopped");
	Ok(())
}
