//! Support code shared by every operation: request building, parameter
//! encoding, response decoding and the error type. Emitted verbatim by oxgen.

#![allow(dead_code)]

use std::fmt;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// How long a request may take before it fails with a timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);

/// How much of an undecodable body an error keeps.
const SNIPPET_LIMIT: usize = 512;

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A successful answer: the decoded body, with the status and headers it came with.
/// Dereferences to the body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn into_inner(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// Why a call failed. `E` is the body type the spec documents for error statuses.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the spec documents, and this body.
    Api { status: StatusCode, body: E },
    /// `429 Too Many Requests`. `retry_after` is the `Retry-After` header in
    /// seconds, when the server sent one; `body` is decoded when it could be.
    RateLimited {
        retry_after: Option<Duration>,
        body: Option<E>,
    },
    /// A status the spec does not document for this operation.
    UnexpectedStatus {
        status: StatusCode,
        body: BodySnippet,
    },
    /// The body does not match the type the spec documents for its status.
    Decode {
        status: StatusCode,
        body: BodySnippet,
        source: serde_json::Error,
    },
    /// The request could not be built (e.g. a header value with a newline).
    InvalidRequest(String),
    /// Connecting, sending or receiving failed, or the request timed out.
    Transport(reqwest::Error),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, body } => write!(f, "API error {status}: {body:?}"),
            Error::RateLimited {
                retry_after: Some(after),
                ..
            } => {
                write!(f, "rate limited; retry after {}s", after.as_secs())
            }
            Error::RateLimited {
                retry_after: None, ..
            } => write!(f, "rate limited"),
            Error::UnexpectedStatus { status, body } => {
                write!(f, "unexpected status {status}: {body}")
            }
            Error::Decode {
                status,
                body,
                source,
            } => {
                write!(f, "cannot decode the {status} response ({source}): {body}")
            }
            Error::InvalidRequest(why) => write!(f, "invalid request: {why}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(e: reqwest::Error) -> Self {
        Error::Transport(e)
    }
}

/// The start of a body, kept for errors: at most 512 bytes, cut on a character
/// boundary.
#[derive(Clone, PartialEq, Eq)]
pub struct BodySnippet {
    pub text: String,
    /// Whether the body was longer than `text`.
    pub truncated: bool,
}

impl BodySnippet {
    fn of(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes);
        let mut end = text.len().min(SNIPPET_LIMIT);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        BodySnippet {
            text: text[..end].to_owned(),
            truncated: end < text.len(),
        }
    }
}

impl fmt::Display for BodySnippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.text)?;
        if self.truncated {
            f.write_str(" (truncated)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for BodySnippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute http(s) URL.
    InvalidBaseUrl(String),
    /// The token cannot stand in an HTTP header (e.g. it contains a newline).
    InvalidToken,
    /// The HTTP client could not be initialised.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl(url) => {
                write!(f, "invalid base URL {url:?}: expected http:// or https://")
            }
            BuildError::InvalidToken => {
                f.write_str("the token contains characters not allowed in an HTTP header")
            }
            BuildError::Http(e) => write!(f, "cannot initialise the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Base URL, HTTP client and credentials; the token never shows in `Debug`.
#[derive(Clone)]
pub(crate) struct Transport {
    base_url: String,
    http: reqwest::Client,
    authorization: Option<HeaderValue>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport with its own HTTP client (rustls, 180 s timeout).
    pub(crate) fn new(base_url: &str, bearer: Option<&str>) -> Result<Self, BuildError> {
        let http = reqwest::Client::builder()
            .timeout(DEFAULT_TIMEOUT)
            .build()
            .map_err(BuildError::Http)?;
        Self::with_http(http, base_url, bearer)
    }

    pub(crate) fn with_http(
        http: reqwest::Client,
        base_url: &str,
        bearer: Option<&str>,
    ) -> Result<Self, BuildError> {
        let base = base_url.trim_end_matches('/');
        let valid = reqwest::Url::parse(base)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
        if !valid {
            return Err(BuildError::InvalidBaseUrl(base_url.to_owned()));
        }
        let authorization = match bearer {
            Some(token) => {
                let mut value = HeaderValue::try_from(format!("Bearer {token}"))
                    .map_err(|_| BuildError::InvalidToken)?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        Ok(Transport {
            base_url: base.to_owned(),
            http,
            authorization,
        })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a request to `path` (already percent-encoded) with `query`.
    pub(crate) fn request(&self, method: Method, path: &str, query: Query) -> Request {
        let mut url = format!("{}{path}", self.base_url);
        if !query.0.is_empty() {
            url.push('?');
            url.push_str(&query.0);
        }
        let mut builder = self
            .http
            .request(method, url)
            .header(ACCEPT, "application/json");
        if let Some(authorization) = &self.authorization {
            builder = builder.header(AUTHORIZATION, authorization.clone());
        }
        Request {
            builder,
            problem: None,
        }
    }
}

/// A request being built; a problem found while building surfaces on `send`.
pub(crate) struct Request {
    builder: reqwest::RequestBuilder,
    problem: Option<String>,
}

impl Request {
    pub(crate) fn json<B: Serialize + ?Sized>(
        mut self,
        content_type: &'static str,
        body: &B,
    ) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.builder = self.builder.header(CONTENT_TYPE, content_type).body(bytes),
            Err(e) => self.problem = Some(format!("cannot encode the body: {e}")),
        }
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: &dyn fmt::Display) -> Self {
        match HeaderValue::try_from(value.to_string()) {
            Ok(value) => self.builder = self.builder.header(name, value),
            Err(_) => {
                self.problem = Some(format!(
                    "the value of header {name} is not a valid header value"
                ))
            }
        }
        self
    }

    pub(crate) async fn send<E>(self) -> Result<RawResponse, Error<E>> {
        if let Some(problem) = self.problem {
            return Err(Error::InvalidRequest(problem));
        }
        let response = self.builder.send().await?;
        Ok(RawResponse(response))
    }
}

/// An answer whose status has not been matched yet.
pub(crate) struct RawResponse(reqwest::Response);

impl RawResponse {
    pub(crate) fn status(&self) -> u16 {
        self.0.status().as_u16()
    }

    /// Decodes a documented success body.
    pub(crate) async fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let status = self.0.status();
        let headers = self.0.headers().clone();
        let bytes = self.0.bytes().await?;
        match serde_json::from_slice(&bytes) {
            Ok(body) => Ok(Response {
                status,
                headers,
                body,
            }),
            Err(source) => Err(Error::Decode {
                status,
                body: BodySnippet::of(&bytes),
                source,
            }),
        }
    }

    /// A documented success without a body (the body, if any, is ignored).
    pub(crate) async fn empty<T: Default, E>(self) -> Result<Response<T>, Error<E>> {
        let status = self.0.status();
        let headers = self.0.headers().clone();
        self.0.bytes().await?;
        Ok(Response {
            status,
            headers,
            body: T::default(),
        })
    }

    /// A documented error status without a body.
    pub(crate) async fn api_error_empty<E: Default>(self) -> Error<E> {
        let status = self.0.status();
        match self.0.bytes().await {
            Ok(_) => Error::Api {
                status,
                body: E::default(),
            },
            Err(e) => Error::Transport(e),
        }
    }

    /// Decodes a documented error body.
    pub(crate) async fn api_error<E: DeserializeOwned>(self) -> Error<E> {
        let status = self.0.status();
        let bytes = match self.0.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => return Error::Transport(e),
        };
        match serde_json::from_slice(&bytes) {
            Ok(body) => Error::Api { status, body },
            Err(source) => Error::Decode {
                status,
                body: BodySnippet::of(&bytes),
                source,
            },
        }
    }

    /// A 429, documented or not; its body is decoded if it can be.
    pub(crate) async fn rate_limited<E: DeserializeOwned>(self) -> Error<E> {
        let retry_after = self
            .0
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = self
            .0
            .bytes()
            .await
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        Error::RateLimited { retry_after, body }
    }

    /// A status the operation does not document (429 is still told apart).
    pub(crate) async fn unexpected<E: DeserializeOwned>(self) -> Error<E> {
        if self.0.status() == StatusCode::TOO_MANY_REQUESTS {
            return self.rate_limited().await;
        }
        let status = self.0.status();
        match self.0.bytes().await {
            Ok(bytes) => Error::UnexpectedStatus {
                status,
                body: BodySnippet::of(&bytes),
            },
            Err(e) => Error::Transport(e),
        }
    }
}

/// A query string under construction; names and values are percent-encoded
/// (RFC 3986: all but unreserved characters).
#[derive(Default)]
pub(crate) struct Query(String);

impl Query {
    fn start(&mut self, name: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0.extend(utf8_percent_encode(name, COMPONENT));
        self.0.push('=');
    }

    /// `name=value`.
    pub(crate) fn push(&mut self, name: &str, value: &dyn fmt::Display) {
        self.start(name);
        self.0
            .extend(utf8_percent_encode(&value.to_string(), COMPONENT));
    }

    /// A `style: form` list: `name=a,b` (`explode: false`) or `name=a&name=b`.
    /// An empty list is left out, as RFC 6570 leaves out empty lists.
    pub(crate) fn push_list<T: fmt::Display>(&mut self, name: &str, values: &[T], explode: bool) {
        if values.is_empty() {
            return;
        }
        if explode {
            for value in values {
                self.push(name, value);
            }
            return;
        }
        self.start(name);
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            self.0
                .extend(utf8_percent_encode(&value.to_string(), COMPONENT));
        }
    }
}

/// A path parameter's value, percent-encoded so it stays one segment.
pub(crate) fn encode_path(value: impl fmt::Display) -> String {
    utf8_percent_encode(&value.to_string(), COMPONENT).to_string()
}
