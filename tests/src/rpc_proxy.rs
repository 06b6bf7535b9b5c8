//! A lying RPC endpoint: a WebSocket proxy in front of a node that forwards every JSON-RPC
//! message both ways and, in what the node answers, replaces one storage value by another.
//!
//! A client that trusts its RPC endpoint reads whatever the proxy says; the tests use it to
//! show what the chain's checks keep true when an inference node is lied to (H2: a node told
//! that model 0 is another model's content cannot get evidence of that content settled as
//! model 0). The value is replaced as the hex string JSON-RPC carries it, so every way of
//! reading it (`state_getStorage`, `state_queryStorageAt`, `chainHead_v1_storage` events)
//! gets the lie.

use std::sync::{
	atomic::{AtomicUsize, Ordering},
	Arc, Mutex,
};

use anyhow::{Context, Result};
use futures_util::{SinkExt, StreamExt};
use tokio::{
	net::{TcpListener, TcpStream},
	task::JoinHandle,
};
use tokio_tungstenite::tungstenite::Message;

/// A running proxy; it stops when dropped.
pub struct LyingProxy {
	url: String,
	lie: Arc<Lie>,
	task: JoinHandle<()>,
}

impl LyingProxy {
	/// Listens on a free loopback port and relays every connection to `upstream` (a `ws://`
	/// URL), unchanged until [`LyingProxy::lie`] is called.
	pub async fn start(upstream: &str) -> Result<Self> {
		let listener = TcpListener::bind("127.0.0.1:0").await?;
		let url = format!("ws://{}", listener.local_addr()?);
		let lie = Arc::new(Lie {
			upstream: upstream.to_string(),
			values: Mutex::new(None),
			told: AtomicUsize::new(0),
		});
		let shared = Arc::clone(&lie);
		let task = tokio::spawn(async move {
			while let Ok((stream, _)) = listener.accept().await {
				let lie = Arc::clone(&shared);
				tokio::spawn(async move {
					if let Err(e) = relay(stream, &lie).await {
						eprintln!("lying proxy: a connection ended: {e:#}");
					}
				});
			}
		});
		Ok(Self { url, lie, task })
	}

	/// From now on, answers `replacement` wherever the node answers `value`.
	pub fn lie(&self, value: &[u8], replacement: &[u8]) {
		let values =
			(format!("0x{}", hex::encode(value)), format!("0x{}", hex::encode(replacement)));
		*self.lie.values.lock().unwrap_or_else(|p| p.into_inner()) = Some(values);
	}

	/// Its `ws://` URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// How many answers it changed so far.
	pub fn lies(&self) -> usize {
		self.lie.told.load(Ordering::SeqCst)
	}
}

impl Drop for LyingProxy {
	fn drop(&mut self) {
		self.task.abort();
	}
}

/// Where to relay, what to replace (hex as JSON-RPC carries it), and how often it did.
struct Lie {
	upstream: String,
	values: Mutex<Option<(String, String)>>,
	told: AtomicUsize,
}

impl Lie {
	/// `text` with the lie told, if it carries the value.
	fn tell(&self, text: &str) -> Option<String> {
		let values = self.values.lock().unwrap_or_else(|p| p.into_inner());
		let (value, replacement) = values.as_ref()?;
		text.contains(value.as_str()).then(|| {
			self.told.fetch_add(1, Ordering::SeqCst);
			text.replace(value.as_str(), replacement)
		})
	}
}

/// Relays one client connection until either side closes it.
async fn relay(stream: TcpStream, lie: &Lie) -> Result<()> {
	let client = tokio_tungstenite::accept_async(stream).await.context("client handshake")?;
	let (node, _) =
		tokio_tungstenite::connect_async(&lie.upstream).await.context("connecting upstream")?;
	let (mut to_client, mut from_client) = client.split();
	let (mut to_node, mut from_node) = node.split();
	let up = async {
		while let Some(message) = from_client.next().await {
			to_node.send(message?).await?;
		}
		anyhow::Ok(())
	};
	let down = async {
		while let Some(message) = from_node.next().await {
			let message = match message? {
				Message::Text(text) => match lie.tell(text.as_str()) {
					Some(lied) => Message::text(lied),
					None => Message::Text(text),
				},
				other => other,
			};
			to_client.send(message).await?;
		}
		anyhow::Ok(())
	};
	tokio::select! {
		r = up => r,
		r = down => r,
	}
}
