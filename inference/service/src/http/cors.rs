//! Which web pages may call the API from a browser (CORS): none by default; the explorer's or a
//! dapp's origin when the operator names it (`--cors-origin`), or any (`*`). A browser then sends
//! `Origin`, and for a JSON `POST` first an `OPTIONS` preflight, which the layer answers.

use axum::http::{header, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The web origins whose pages may call the API from a browser (CORS): the explorer, a dapp.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Cors {
	/// No CORS headers: browsers keep other origins' pages from reading the answers.
	#[default]
	Off,
	/// Any origin (`*`): every page may read every answer (the routes that make the node work
	/// still need the API key if one is set).
	AnyOrigin,
	/// These origins only (`scheme://host[:port]`, as browsers send them).
	Origins(Vec<HeaderValue>),
}

/// Why a CORS origin was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadOrigin(pub String);

impl core::fmt::Display for BadOrigin {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "{:?} is not a web origin (`http(s)://host[:port]`, or `*`)", self.0)
	}
}

impl std::error::Error for BadOrigin {}

impl Cors {
	/// The CORS policy of `origins` (`--cors-origin`, repeatable): none is [`Cors::Off`], `*`
	/// alone is [`Cors::AnyOrigin`], else each must be `http://` or `https://` and a host, with
	/// an optional port, and no path.
	pub fn parse<S: AsRef<str>>(origins: &[S]) -> Result<Self, BadOrigin> {
		match origins {
			[] => return Ok(Self::Off),
			[one] if one.as_ref() == "*" => return Ok(Self::AnyOrigin),
			_ => {},
		}
		let origin = |text: &str| -> Result<HeaderValue, BadOrigin> {
			let bad = || BadOrigin(text.to_string());
			let rest = text
				.strip_prefix("http://")
				.or_else(|| text.strip_prefix("https://"))
				.ok_or_else(bad)?;
			let host_ok = !rest.is_empty()
				&& rest.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
			if !host_ok {
				return Err(bad());
			}
			HeaderValue::from_str(text).map_err(|_| bad())
		};
		origins.iter().map(|o| origin(o.as_ref())).collect::<Result<_, _>>().map(Self::Origins)
	}

	/// The layer that answers preflights and adds the headers; `None` when off.
	pub(super) fn layer(&self) -> Option<CorsLayer> {
		let origins = match self {
			Self::Off => return None,
			Self::AnyOrigin => AllowOrigin::any(),
			Self::Origins(list) => AllowOrigin::list(list.iter().cloned()),
		};
		Some(
			CorsLayer::new()
				.allow_origin(origins)
				.allow_methods([Method::GET, Method::POST])
				.allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION]),
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn origins_are_schemes_and_hosts_or_a_star() {
		assert_eq!(Cors::parse::<&str>(&[]), Ok(Cors::Off));
		assert_eq!(Cors::parse(&["*"]), Ok(Cors::AnyOrigin));
		let list = Cors::parse(&["http://127.0.0.1:8090", "https://explorer.example"]).unwrap();
		assert_eq!(
			list,
			Cors::Origins(vec![
				HeaderValue::from_static("http://127.0.0.1:8090"),
				HeaderValue::from_static("https://explorer.example"),
			])
		);
		for bad in ["127.0.0.1:8090", "ftp://x", "http://", "http://x/path", "http://a b", "*x"] {
			assert_eq!(Cors::parse(&[bad]), Err(BadOrigin(bad.into())), "{bad}");
		}
		// `*` means any origin only alone.
		assert!(Cors::parse(&["*", "http://a"]).is_err());
	}
}
