//! Support code shared by every operation: request building, parameter
//! encoding, response decoding and the error type. Emitted verbatim by oxgen.

#![allow(dead_code, unexpected_cfgs, unused_imports, unused_macros)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::{Stream, StreamExt, stream};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER,
};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// How long a request may take before it fails with a timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);

/// How long a call may take in all, its retries and the waits between them
/// included, unless [`Retry::deadline`] says otherwise.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(300);

/// The most redirects followed for one request.
const MAX_REDIRECTS: usize = 10;

/// The largest response body read unless the client says otherwise.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// How much of an undecodable body an error keeps.
const SNIPPET_LIMIT: usize = 512;

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// With `allowReserved`, RFC 3986 reserved characters stay too, except those
/// that would end the query value (`&`, `=`, `#`) and `%`.
const RESERVED_ALLOWED: &AsciiSet = &COMPONENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';');

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

    /// The same answer with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
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
    /// The body is larger than the client's limit; it was not read further.
    BodyTooLarge { status: StatusCode, limit: usize },
    /// A redirect the client did not follow, because it leads to another
    /// origin (see [`redirect_policy`]): `location` is where it points.
    Redirect {
        status: StatusCode,
        location: Option<String>,
    },
    /// The call took longer than [`Retry::deadline`], retries included.
    Timeout { deadline: Duration },
    /// Connecting, sending or receiving failed, or the request timed out.
    Transport(reqwest::Error),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) | Error::Timeout { .. } => None,
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
            Error::BodyTooLarge { status, limit } => {
                write!(
                    f,
                    "the {status} response is larger than the limit of {limit} bytes"
                )
            }
            Error::Redirect { status, location } => match location {
                Some(location) => write!(
                    f,
                    "redirect {status} to another origin not followed: {location}"
                ),
                None => write!(f, "redirect {status} without a location"),
            },
            Error::Timeout { deadline } => write!(
                f,
                "the call took longer than its deadline of {}s",
                deadline.as_secs_f64()
            ),
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
        // Only the start is converted: a large body is not copied to keep 512 bytes.
        let mut cut = bytes.len().min(SNIPPET_LIMIT);
        while cut > 0 && cut < bytes.len() && bytes[cut] & 0xC0 == 0x80 {
            cut -= 1;
        }
        let text = String::from_utf8_lossy(&bytes[..cut]);
        let mut end = text.len().min(SNIPPET_LIMIT);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        BodySnippet {
            text: text[..end].to_owned(),
            truncated: end < text.len() || cut < bytes.len(),
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
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute http(s) URL.
    InvalidBaseUrl(String),
    /// A token or key cannot stand in an HTTP header (e.g. it contains a
    /// newline).
    InvalidToken,
    /// The HTTP client could not be initialised.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl(url) => {
                let url = redact_userinfo(url);
                write!(f, "invalid base URL {url:?}: expected http:// or https://")
            }
            BuildError::InvalidToken => {
                f.write_str("the token contains characters not allowed in an HTTP header")
            }
            BuildError::Http(e) => write!(f, "cannot initialise the HTTP client: {e}"),
        }
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl(url) => f
                .debug_tuple("InvalidBaseUrl")
                .field(&redact_userinfo(url))
                .finish(),
            BuildError::InvalidToken => f.write_str("InvalidToken"),
            BuildError::Http(e) => f.debug_tuple("Http").field(e).finish(),
        }
    }
}

impl std::error::Error for BuildError {}

/// `url` with any `user:password@` replaced, for `Debug` and error messages.
fn redact_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}<redacted>{}", &url[..start], &url[start + at..]).into(),
        None => url.into(),
    }
}

/// Base URL, HTTP client and credentials; credentials never show in `Debug`.
#[derive(Clone)]
pub(crate) struct Transport {
    base_url: String,
    http: reqwest::Client,
    credentials: Vec<Credential>,
    retry: Retry,
    max_body: usize,
}

/// When a request is sent again: after `429 Too Many Requests`, `503 Service
/// Unavailable` or a failed connection, for idempotent methods (GET, HEAD,
/// OPTIONS, PUT, DELETE) unless [`Retry::all_methods`] says otherwise.
///
/// The wait before retry `n` (from 0) is random between zero and
/// `initial_delay * 2^n`, capped at `max_delay` ("full jitter"), or what the
/// server's `Retry-After` asks for (seconds or an HTTP date) plus a random
/// part of `initial_delay`, so that clients told the same time do not all
/// come back at once. When `Retry-After` asks for more than `max_delay`, the
/// answer is returned instead of waiting.
///
/// `deadline` bounds the whole call: no wait runs past it, and an attempt
/// still running when it passes is abandoned with [`Error::Timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// The ceiling of the first wait; it doubles with each retry.
    pub initial_delay: Duration,
    /// The longest wait, whether chosen here or asked by `Retry-After`.
    pub max_delay: Duration,
    /// Also retry POST and PATCH, which may then take effect twice.
    pub all_methods: bool,
    /// How long a call may take in all, attempts and waits included
    /// ([`DEFAULT_DEADLINE`], five minutes, unless set).
    pub deadline: Duration,
}

impl Default for Retry {
    /// Three retries, from 500 ms up to 30 s, within five minutes.
    fn default() -> Self {
        Retry {
            max_retries: 3,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            all_methods: false,
            deadline: DEFAULT_DEADLINE,
        }
    }
}

impl Retry {
    /// No retries: every failure is returned at once.
    pub fn none() -> Self {
        Retry {
            max_retries: 0,
            ..Retry::default()
        }
    }

    fn applies_to(&self, method: &Method) -> bool {
        self.max_retries > 0
            && (self.all_methods
                || matches!(
                    *method,
                    Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
                ))
    }

    /// The wait before retry `attempt` (from 0), or `None` to give up.
    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if let Some(asked) = retry_after {
            return (asked <= self.max_delay).then(|| asked + jitter(self.initial_delay));
        }
        let ceiling = self
            .initial_delay
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_delay);
        Some(jitter(ceiling))
    }
}

/// A random duration from zero to `ceiling`.
fn jitter(ceiling: Duration) -> Duration {
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(random() % nanos.saturating_add(1))
}

/// A random number from the standard library's randomly keyed hasher: jitter
/// needs no more, and no dependency.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    hasher.finish()
}

/// A credential and where it goes. Values are secret.
#[derive(Clone)]
enum Credential {
    Header(HeaderName, HeaderValue),
    Query(String, String),
    Cookie(String, String),
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials: Vec<String> = self
            .credentials
            .iter()
            .map(|c| match c {
                Credential::Header(name, _) => format!("header {name}: <redacted>"),
                Credential::Query(name, _) => format!("query {name}: <redacted>"),
                Credential::Cookie(name, _) => format!("cookie {name}: <redacted>"),
            })
            .collect();
        f.debug_struct("Transport")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("credentials", &credentials)
            .finish_non_exhaustive()
    }
}

/// The redirect policy of the clients this crate builds: a redirect is
/// followed only to the same origin (scheme, host and port) as the request,
/// at most ten times. A redirect to another origin is not followed: the
/// client adds credentials (headers, query keys, cookies) to every request,
/// and they must reach no other server, nor go over plain HTTP after HTTPS.
/// The 3xx answer is returned instead ([`Error::Redirect`] unless the
/// operation documents that status), with its `Location` for the caller to
/// follow, without credentials, if it trusts it.
///
/// A client given to `from_parts` keeps its own policy; pass this one to
/// [`reqwest::ClientBuilder::redirect`] (and turn `referer` off) to get the
/// same protection.
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

impl Transport {
    /// A transport with its own HTTP client: rustls, a 180 s timeout per
    /// attempt, same-origin redirects only ([`redirect_policy`]), and no
    /// `Referer` (which would carry a query credential to the next server).
    pub(crate) fn new(base_url: &str) -> Result<Self, BuildError> {
        let http = reqwest::Client::builder()
            .timeout(DEFAULT_TIMEOUT)
            .redirect(redirect_policy())
            .referer(false)
            .build()
            .map_err(BuildError::Http)?;
        Self::with_http(http, base_url)
    }

    pub(crate) fn with_http(http: reqwest::Client, base_url: &str) -> Result<Self, BuildError> {
        let base = base_url.trim_end_matches('/');
        let valid = reqwest::Url::parse(base)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
        if !valid {
            return Err(BuildError::InvalidBaseUrl(base_url.to_owned()));
        }
        Ok(Transport {
            base_url: base.to_owned(),
            http,
            credentials: Vec::new(),
            retry: Retry::default(),
            max_body: DEFAULT_MAX_BODY,
        })
    }

    pub(crate) fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    pub(crate) fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// `Authorization: Bearer <token>`.
    pub(crate) fn bearer(self, token: &str) -> Result<Self, BuildError> {
        self.header_credential(AUTHORIZATION, &format!("Bearer {token}"))
    }

    /// `Authorization: Basic <base64(user:password)>`.
    pub(crate) fn basic(self, user: &str, password: &str) -> Result<Self, BuildError> {
        let encoded = base64(format!("{user}:{password}").as_bytes());
        self.header_credential(AUTHORIZATION, &format!("Basic {encoded}"))
    }

    pub(crate) fn api_key_header(self, name: &str, key: &str) -> Result<Self, BuildError> {
        let name = HeaderName::try_from(name).map_err(|_| BuildError::InvalidToken)?;
        self.header_credential(name, key)
    }

    pub(crate) fn api_key_query(mut self, name: &str, key: &str) -> Self {
        self.credentials
            .retain(|c| !matches!(c, Credential::Query(n, _) if n == name));
        self.credentials
            .push(Credential::Query(name.to_owned(), key.to_owned()));
        self
    }

    pub(crate) fn api_key_cookie(mut self, name: &str, key: &str) -> Self {
        self.credentials
            .retain(|c| !matches!(c, Credential::Cookie(n, _) if n == name));
        self.credentials
            .push(Credential::Cookie(name.to_owned(), key.to_owned()));
        self
    }

    fn header_credential(mut self, name: HeaderName, value: &str) -> Result<Self, BuildError> {
        let mut value = HeaderValue::try_from(value).map_err(|_| BuildError::InvalidToken)?;
        value.set_sensitive(true);
        self.credentials
            .retain(|c| !matches!(c, Credential::Header(n, _) if *n == name));
        self.credentials.push(Credential::Header(name, value));
        Ok(self)
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a request of `operation` (its method's name) to `path` with
    /// `query`.
    pub(crate) fn request(
        &self,
        operation: &'static str,
        method: Method,
        path: impl Into<Path>,
        mut query: Query,
    ) -> Request {
        let (path, path_problem) = match path.into().finish() {
            Ok(path) => (path, None),
            Err(problem) => (String::new(), Some(problem)),
        };
        let mut cookies = Cookies::default();
        let mut secret_in_url = false;
        for credential in &self.credentials {
            match credential {
                Credential::Query(name, value) => {
                    query.push(name, value, Style::Form { explode: true });
                    secret_in_url = true;
                }
                Credential::Cookie(name, value) => cookies.push(name, value, true),
                Credential::Header(..) => {}
            }
        }
        let mut url = format!("{}{path}", self.base_url);
        if !query.text.is_empty() {
            url.push('?');
            url.push_str(&query.text);
        }
        let mut builder = self
            .http
            .request(method.clone(), url)
            .header(ACCEPT, "application/json");
        for credential in &self.credentials {
            if let Credential::Header(name, value) = credential {
                builder = builder.header(name, value.clone());
            }
        }
        Request {
            builder,
            problem: path_problem.or(query.problem),
            cookies,
            secret_in_url,
            operation,
            method,
            retry: self.retry,
            max_body: self.max_body,
        }
    }
}

/// A request being built; a problem found while building surfaces on `send`.
pub(crate) struct Request {
    builder: reqwest::RequestBuilder,
    problem: Option<String>,
    cookies: Cookies,
    /// A credential travels in the query: errors must not show the URL.
    secret_in_url: bool,
    operation: &'static str,
    method: Method,
    retry: Retry,
    max_body: usize,
}

impl Request {
    fn fail(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    pub(crate) fn json<B: Serialize + ?Sized>(
        mut self,
        content_type: &'static str,
        body: &B,
    ) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.builder = self.builder.header(CONTENT_TYPE, content_type).body(bytes),
            Err(e) => self.fail(format!("cannot encode the body: {e}")),
        }
        self
    }

    /// `application/x-www-form-urlencoded`, each property encoded as the
    /// default `encoding` of OpenAPI has it: scalars as `name=value`, lists
    /// repeating the name, objects as `name[key]=value` (deepObject, nested
    /// as deep as they go: `name[key][0][inner]=value`, the convention of
    /// form APIs such as Stripe's). A nested object is never flattened into
    /// its parent's names.
    pub(crate) fn form<B: Serialize + ?Sized>(self, content_type: &'static str, body: &B) -> Self {
        self.form_with(content_type, body, &[])
    }

    /// A form body whose spec gives some properties an `encoding` (style and
    /// explode); the others are encoded as [`Request::form`] says.
    pub(crate) fn form_with<B: Serialize + ?Sized>(
        mut self,
        content_type: &'static str,
        body: &B,
        encoding: &[(&str, Style)],
    ) -> Self {
        match serde_json::to_value(body) {
            Ok(Value::Object(fields)) => {
                let mut query = Query::default();
                for (name, value) in &fields {
                    match encoding.iter().find(|(property, _)| property == name) {
                        Some((_, style)) => query.push(name, value, *style),
                        None => query.form_member(name, value),
                    }
                }
                self.builder = self
                    .builder
                    .header(CONTENT_TYPE, content_type)
                    .body(query.text);
            }
            Ok(_) => self.fail("a form body must be an object".into()),
            Err(e) => self.fail(format!("cannot encode the body: {e}")),
        }
        self
    }

    pub(crate) fn multipart(mut self, form: Multipart) -> Self {
        match form.problem {
            Some(problem) => self.fail(problem),
            None => self.builder = self.builder.multipart(form.form),
        }
        self
    }

    pub(crate) fn text(mut self, content_type: &'static str, body: &str) -> Self {
        self.builder = self
            .builder
            .header(CONTENT_TYPE, content_type)
            .body(body.to_owned());
        self
    }

    pub(crate) fn bytes(mut self, content_type: &'static str, body: &[u8]) -> Self {
        self.builder = self
            .builder
            .header(CONTENT_TYPE, content_type)
            .body(body.to_vec());
        self
    }

    /// A header parameter (`style: simple`).
    pub(crate) fn header<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        style: Style,
    ) -> Self {
        match to_value(value) {
            Ok(Value::Null) => {}
            Ok(value) => {
                let text = expand(&value, style.explode(), &Plain);
                match HeaderValue::try_from(text) {
                    Ok(value) => self.builder = self.builder.header(name, value),
                    Err(_) => self.fail(format!(
                        "the value of header {name} is not a valid header value"
                    )),
                }
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// A cookie parameter (`style: form`).
    pub(crate) fn cookie<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        style: Style,
    ) -> Self {
        match to_value(value) {
            Ok(value) => self.cookies.push(name, &value, style.explode()),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Sends the request (again while the retry policy allows) and reads the
    /// answer's whole body, so that `answer` matches on the status with no
    /// `await`.
    pub(crate) fn send<T, E>(
        self,
        answer: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    ) -> ResponseFuture<T, E> {
        ResponseFuture {
            raw: Box::pin(self.send_raw()),
            answer,
        }
    }

    async fn send_raw(self) -> Result<RawResponse, Failure> {
        if let Some(problem) = self.problem {
            return Err(Failure::InvalidRequest(problem));
        }
        let mut builder = self.builder;
        if !self.cookies.text.is_empty() {
            match HeaderValue::try_from(self.cookies.text) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    builder = builder.header(COOKIE, value);
                }
                Err(_) => {
                    return Err(Failure::InvalidRequest(
                        "a cookie value is not valid in a header".into(),
                    ));
                }
            }
        }
        let secret_in_url = self.secret_in_url;
        let strip =
            |e: reqwest::Error| Failure::Transport(if secret_in_url { e.without_url() } else { e });
        let (retry, max_body, method) = (self.retry, self.max_body, self.method);
        // The operation, never the URL: a credential may be in the query.
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!("request", operation = self.operation, method = %method);
        let attempts = async move {
            let response = retrying(builder, retry, &method).await.map_err(strip)?;
            read(response, max_body).await.map_err(|e| match e {
                Failure::Transport(e) => strip(e),
                other => other,
            })
        };
        #[cfg(feature = "tracing")]
        let attempts = tracing::Instrument::instrument(attempts, span);
        tokio::time::timeout(retry.deadline, attempts)
            .await
            .unwrap_or(Err(Failure::Timeout(retry.deadline)))
    }
}

/// What every operation's method returns: a future of `Result<Response<T>,
/// Error<E>>`, where `T` is the operation's successful answer and `E` its
/// error answer.
///
/// The request is built when the method is called and sent when this is
/// first polled. The future borrows neither the client nor the arguments, so
/// it can be stored or spawned; it is `Send` and `Unpin`.
#[must_use = "a request is sent only when its future is awaited"]
pub struct ResponseFuture<T, E> {
    raw: Pin<Box<dyn Future<Output = Result<RawResponse, Failure>> + Send>>,
    answer: fn(RawResponse) -> Result<Response<T>, Error<E>>,
}

// One named type for all the methods, not an `impl Future` each: the
// compiler checks one future instead of one opaque type per method (GitHub's
// 767 methods checked in 1.3 s less), and users can name it.
impl<T, E> Future for ResponseFuture<T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let answer = self.answer;
        self.raw.as_mut().poll(cx).map(|raw| answer(raw?))
    }
}

impl<T, E> fmt::Debug for ResponseFuture<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

/// Why a request got no answer to match on; becomes an [`Error`] of any body type.
pub(crate) enum Failure {
    InvalidRequest(String),
    BodyTooLarge { status: StatusCode, limit: usize },
    Timeout(Duration),
    Transport(reqwest::Error),
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::InvalidRequest(why) => Error::InvalidRequest(why),
            Failure::BodyTooLarge { status, limit } => Error::BodyTooLarge { status, limit },
            Failure::Timeout(deadline) => Error::Timeout { deadline },
            Failure::Transport(e) => Error::Transport(e),
        }
    }
}

/// The whole body, up to `limit` bytes: a larger `Content-Length` is refused
/// before reading, and reading stops once the limit is passed.
async fn read(mut response: reqwest::Response, limit: usize) -> Result<RawResponse, Failure> {
    let status = response.status();
    let too_large = Failure::BodyTooLarge { status, limit };
    let announced = response.content_length().unwrap_or(0);
    if usize::try_from(announced).map_or(true, |n| n > limit) {
        return Err(too_large);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Failure::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawResponse {
        status,
        headers: std::mem::take(response.headers_mut()),
        body,
    })
}

/// Sends `builder`, and again while `retry` allows. A body that cannot be
/// replayed (a multipart stream) is sent once.
async fn retrying(
    builder: reqwest::RequestBuilder,
    retry: Retry,
    method: &Method,
) -> Result<reqwest::Response, reqwest::Error> {
    let retries = if retry.applies_to(method) {
        retry.max_retries
    } else {
        0
    };
    let started = tokio::time::Instant::now();
    let mut builder = builder;
    let mut attempt = 0;
    loop {
        let spare = if attempt < retries {
            builder.try_clone()
        } else {
            None
        };
        let result = builder.send().await;
        let Some(spare) = spare else {
            return result;
        };
        let delay = match &result {
            Ok(response) if matches!(response.status().as_u16(), 429 | 503) => {
                retry.delay(attempt, retry_after(response.headers()))
            }
            Err(e) if e.is_connect() => retry.delay(attempt, None),
            _ => None,
        };
        // A wait that would end past the deadline is not started.
        let Some(delay) = delay.filter(|d| started.elapsed() + *d < retry.deadline) else {
            return result;
        };
        #[cfg(feature = "tracing")]
        tracing::debug!(
            attempt,
            status = result.as_ref().ok().map(|r| r.status().as_u16()),
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "retrying"
        );
        drop(result);
        tokio::time::sleep(delay).await;
        builder = spare;
        attempt += 1;
    }
}

/// An item of a paged list, with the page it came in: the page resolves the
/// item's associations. Dereferences to the item.
#[derive(Debug, Clone)]
pub struct Paged<T, P> {
    item: T,
    page: Arc<P>,
}

impl<T, P> Paged<T, P> {
    /// The response body the item came in, shared by the items of one page.
    pub fn page(&self) -> &P {
        &self.page
    }

    pub fn into_inner(self) -> T {
        self.item
    }
}

impl<T, P> std::ops::Deref for Paged<T, P> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.item
    }
}

/// Fetches page `start`, then the next while `page_count` says there are
/// more; ends after the first error.
pub(crate) fn pages<P, E, F, Fut>(
    start: u64,
    fetch: F,
    page_count: fn(&P) -> Option<u64>,
) -> impl Stream<Item = Result<Response<P>, Error<E>>>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Response<P>, Error<E>>>,
{
    let state = (Some(start), fetch);
    stream::unfold(state, move |(next, mut fetch)| async move {
        let number = next?;
        match fetch(number).await {
            Ok(page) => {
                let more = page_count(&page).is_some_and(|count| number < count);
                let next = if more { number.checked_add(1) } else { None };
                Some((Ok(page), (next, fetch)))
            }
            Err(e) => Some((Err(e), (None, fetch))),
        }
    })
}

/// The items of every page of `pages`, in order, each with its page.
pub(crate) fn items<T, P, E>(
    pages: impl Stream<Item = Result<Response<P>, Error<E>>>,
    items_of: fn(&P) -> Vec<T>,
) -> impl Stream<Item = Result<Paged<T, P>, Error<E>>> {
    pages.flat_map(move |page| {
        let items: Vec<Result<Paged<T, P>, Error<E>>> = match page {
            Ok(page) => {
                let page = Arc::new(page.into_inner());
                items_of(&page)
                    .into_iter()
                    .map(|item| {
                        Ok(Paged {
                            item,
                            page: Arc::clone(&page),
                        })
                    })
                    .collect()
            }
            Err(e) => vec![Err(e)],
        };
        stream::iter(items)
    })
}

/// A `multipart/form-data` body under construction.
#[derive(Default)]
pub(crate) struct Multipart {
    form: reqwest::multipart::Form,
    problem: Option<String>,
}

impl Multipart {
    /// A text part; lists become one part per item; absent values none.
    pub(crate) fn field<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match to_value(value) {
            Ok(Value::Null) => {}
            Ok(Value::Array(items)) => {
                for item in &items {
                    self.form = self.form.text(name.to_owned(), scalar_text(item));
                }
            }
            Ok(value) => self.form = self.form.text(name.to_owned(), scalar_text(&value)),
            Err(e) => self.problem = Some(e),
        }
        self
    }

    /// A file part.
    pub(crate) fn file(mut self, name: &str, bytes: &[u8]) -> Self {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
        self.form = self.form.part(name.to_owned(), part);
        self
    }

    /// Every property of an object body as a text part.
    pub(crate) fn fields<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match to_value(body) {
            Ok(Value::Object(fields)) => {
                for (name, value) in &fields {
                    self = self.field(name, value);
                }
            }
            Ok(_) => self.problem = Some("a multipart body must be an object".into()),
            Err(e) => self.problem = Some(e),
        }
        self
    }
}

/// An answer, read whole, whose status has not been matched yet.
pub(crate) struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RawResponse {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    fn answer<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
        }
    }

    /// Decodes a JSON body.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(self.answer(body)),
            Err(source) => Err(Error::Decode {
                status: self.status,
                body: BodySnippet::of(&self.body),
                source,
            }),
        }
    }

    /// Decodes a JSON body into one variant of `T`.
    pub(crate) fn json_as<B: DeserializeOwned, T, E>(
        self,
        wrap: impl FnOnce(B) -> T,
    ) -> Result<Response<T>, Error<E>> {
        self.json::<B, E>().map(|response| response.map(wrap))
    }

    /// A text body (invalid UTF-8 replaced).
    pub(crate) fn text<E>(self) -> Result<Response<String>, Error<E>> {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        Ok(self.answer(body))
    }

    /// A text body as one variant of `T`.
    pub(crate) fn text_as<T, E>(
        self,
        wrap: impl FnOnce(String) -> T,
    ) -> Result<Response<T>, Error<E>> {
        self.text().map(|response| response.map(wrap))
    }

    /// A binary body.
    pub(crate) fn bytes<E>(mut self) -> Result<Response<Vec<u8>>, Error<E>> {
        let body = std::mem::take(&mut self.body);
        Ok(self.answer(body))
    }

    /// A binary body as one variant of `T`.
    pub(crate) fn bytes_as<T, E>(
        self,
        wrap: impl FnOnce(Vec<u8>) -> T,
    ) -> Result<Response<T>, Error<E>> {
        self.bytes().map(|response| response.map(wrap))
    }

    /// A status documented without a body (a body, if any, is ignored).
    pub(crate) fn empty<T: Default, E>(self) -> Result<Response<T>, Error<E>> {
        self.empty_as(T::default())
    }

    /// A status documented without a body, answered as `body`.
    pub(crate) fn empty_as<T, E>(self, body: T) -> Result<Response<T>, Error<E>> {
        Ok(self.answer(body))
    }

    /// A documented error status with a JSON body.
    pub(crate) fn api_error<E: DeserializeOwned>(self) -> Error<E> {
        api_error(self.json(), |body| body)
    }

    /// A documented error status whose JSON body is one variant of `E`.
    pub(crate) fn api_error_as<B: DeserializeOwned, E>(
        self,
        wrap: impl FnOnce(B) -> E,
    ) -> Error<E> {
        api_error(self.json_as(wrap), |body| body)
    }

    /// A documented error status without a body.
    pub(crate) fn api_error_empty<E: Default>(self) -> Error<E> {
        api_error(self.empty(), |body| body)
    }

    /// A documented error status without a body, answered as `body`.
    pub(crate) fn api_error_empty_as<E>(self, body: E) -> Error<E> {
        api_error(self.empty_as(body), |body| body)
    }

    /// A documented 429 with a JSON body, decoded if it can be.
    pub(crate) fn rate_limited<E: DeserializeOwned>(self) -> Error<E> {
        self.rate_limited_as(|body: E| body)
    }

    /// A documented 429 whose JSON body is one variant of `E`.
    pub(crate) fn rate_limited_as<B: DeserializeOwned, E>(
        self,
        wrap: impl FnOnce(B) -> E,
    ) -> Error<E> {
        Error::RateLimited {
            retry_after: retry_after(&self.headers),
            body: serde_json::from_slice(&self.body).ok().map(wrap),
        }
    }

    /// A 429 whose body is not documented.
    pub(crate) fn rate_limited_untyped<E>(self) -> Error<E> {
        Error::RateLimited {
            retry_after: retry_after(&self.headers),
            body: None,
        }
    }

    /// A status the operation does not document (429 and redirects the
    /// client did not follow are still told apart).
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            return self.rate_limited_untyped();
        }
        if self.status.is_redirection() && self.status != StatusCode::NOT_MODIFIED {
            let location = self.headers.get(reqwest::header::LOCATION);
            return Error::Redirect {
                status: self.status,
                location: location.map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned()),
            };
        }
        Error::UnexpectedStatus {
            status: self.status,
            body: BodySnippet::of(&self.body),
        }
    }
}

/// `Retry-After`, as seconds or as an HTTP date (a date in the past is no wait).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The error of a documented error status whose body decoded as `B`.
pub(crate) fn api_error<B, E>(
    decoded: Result<Response<B>, Error<E>>,
    wrap: impl FnOnce(B) -> E,
) -> Error<E> {
    match decoded {
        Ok(response) => Error::Api {
            status: response.status,
            body: wrap(response.body),
        },
        Err(e) => e,
    }
}

/// OpenAPI parameter styles (RFC 6570 expansions), with `explode`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Simple { explode: bool },
    Label { explode: bool },
    Matrix { explode: bool },
    Form { explode: bool },
    SpaceDelimited { explode: bool },
    PipeDelimited { explode: bool },
    DeepObject,
}

impl Style {
    fn explode(self) -> bool {
        match self {
            Style::Simple { explode }
            | Style::Label { explode }
            | Style::Matrix { explode }
            | Style::Form { explode }
            | Style::SpaceDelimited { explode }
            | Style::PipeDelimited { explode } => explode,
            Style::DeepObject => true,
        }
    }
}

/// A query string under construction. Names and values are percent-encoded
/// (RFC 3986: all but unreserved characters, unless `allowReserved`).
#[derive(Default)]
pub(crate) struct Query {
    text: String,
    problem: Option<String>,
}

impl Query {
    fn pair(&mut self, name: &str, value: &str, set: &'static AsciiSet) {
        if !self.text.is_empty() {
            self.text.push('&');
        }
        self.text.extend(utf8_percent_encode(name, COMPONENT));
        self.text.push('=');
        self.text.extend(utf8_percent_encode(value, set));
    }

    /// A query parameter. Absent (`null`) values and empty lists are left out,
    /// as RFC 6570 leaves out undefined values.
    pub(crate) fn push<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: Style) {
        self.push_encoded(name, value, style, COMPONENT);
    }

    /// A query parameter with `allowReserved`.
    pub(crate) fn push_reserved<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
    ) {
        self.push_encoded(name, value, style, RESERVED_ALLOWED);
    }

    fn push_encoded<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        set: &'static AsciiSet,
    ) {
        let value = match to_value(value) {
            Ok(value) => value,
            Err(e) => {
                self.problem.get_or_insert(e);
                return;
            }
        };
        let explode = style.explode();
        let encode = |s: &str| utf8_percent_encode(s, set).to_string();
        match (&value, style) {
            (Value::Null, _) => {}
            (Value::Array(items), _) if items.is_empty() => {}
            (Value::Object(fields), _) if fields.is_empty() => {}
            (Value::Object(_), Style::DeepObject) => {
                // `name[key]=value`, brackets literal as in the specification.
                let mut prefix = String::new();
                prefix.extend(utf8_percent_encode(name, COMPONENT));
                self.deep(&mut prefix, &value, set);
            }
            (Value::Array(items), Style::Form { .. }) if explode => {
                for item in items {
                    self.pair(name, &scalar_text(item), set);
                }
            }
            (Value::Object(fields), Style::Form { .. }) if explode => {
                for (key, item) in fields {
                    if !item.is_null() {
                        self.pair(key, &scalar_text(item), set);
                    }
                }
            }
            (
                Value::Array(_) | Value::Object(_),
                Style::SpaceDelimited { .. } | Style::PipeDelimited { .. },
            ) if !explode => {
                let separator = if matches!(style, Style::SpaceDelimited { .. }) {
                    "%20"
                } else {
                    "|"
                };
                let items: Vec<String> = flat_items(&value).iter().map(|s| encode(s)).collect();
                self.start(name);
                self.text.push_str(&items.join(separator));
            }
            (Value::Array(items), _) => {
                // Exploded space/pipe-delimited lists repeat the name, as form does.
                if explode {
                    for item in items {
                        self.pair(name, &scalar_text(item), set);
                    }
                } else {
                    self.start(name);
                    let items: Vec<String> =
                        items.iter().map(|i| encode(&scalar_text(i))).collect();
                    self.text.push_str(&items.join(","));
                }
            }
            (Value::Object(_), _) => {
                self.start(name);
                let items: Vec<String> = flat_items(&value).iter().map(|s| encode(s)).collect();
                self.text.push_str(&items.join(","));
            }
            (scalar, _) => self.pair(name, &scalar_text(scalar), set),
        }
    }

    /// A member of a form body with no `encoding`: see [`Request::form`].
    fn form_member(&mut self, name: &str, value: &Value) {
        match value {
            Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                for item in items.iter().filter(|i| !i.is_null()) {
                    self.pair(name, &scalar_text(item), COMPONENT);
                }
            }
            Value::Array(_) | Value::Object(_) => {
                let mut prefix = String::new();
                prefix.extend(utf8_percent_encode(name, COMPONENT));
                self.deep(&mut prefix, value, COMPONENT);
            }
            Value::Null => {}
            scalar => self.pair(name, &scalar_text(scalar), COMPONENT),
        }
    }

    /// `prefix[key]=value` for each member of an object and `prefix[i]=value`
    /// for each item of a list, nested as deep as `value` goes; `prefix` is
    /// already encoded. `null`s are left out.
    fn deep(&mut self, prefix: &mut String, value: &Value, set: &'static AsciiSet) {
        let nested = |prefix: &mut String, key: &str, item: &Value, this: &mut Self| {
            let length = prefix.len();
            prefix.push('[');
            prefix.extend(utf8_percent_encode(key, COMPONENT));
            prefix.push(']');
            this.deep(prefix, item, set);
            prefix.truncate(length);
        };
        match value {
            Value::Null => {}
            Value::Object(fields) => {
                for (key, item) in fields {
                    nested(prefix, key, item, self);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    nested(prefix, &index.to_string(), item, self);
                }
            }
            scalar => {
                if !self.text.is_empty() {
                    self.text.push('&');
                }
                self.text.push_str(prefix);
                self.text.push('=');
                self.text
                    .extend(utf8_percent_encode(&scalar_text(scalar), set));
            }
        }
    }

    fn start(&mut self, name: &str) {
        if !self.text.is_empty() {
            self.text.push('&');
        }
        self.text.extend(utf8_percent_encode(name, COMPONENT));
        self.text.push('=');
    }
}

/// The `Cookie` header's pairs. Names and values are percent-encoded, so
/// that neither can end its pair (`;`) or start another.
#[derive(Default)]
struct Cookies {
    text: String,
}

impl Cookies {
    fn push<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, explode: bool) {
        let Ok(value) = to_value(value) else { return };
        let encode = |text: &str| utf8_percent_encode(text, COMPONENT).to_string();
        let mut pair = |name: &str, encoded: &str| {
            if !self.text.is_empty() {
                self.text.push_str("; ");
            }
            self.text.extend(utf8_percent_encode(name, COMPONENT));
            self.text.push('=');
            self.text.push_str(encoded);
        };
        match &value {
            Value::Null => {}
            Value::Array(items) if explode => items
                .iter()
                .for_each(|i| pair(name, &encode(&scalar_text(i)))),
            Value::Object(fields) if explode => fields
                .iter()
                .for_each(|(k, v)| pair(k, &encode(&scalar_text(v)))),
            Value::Array(_) | Value::Object(_) => {
                let items: Vec<String> = flat_items(&value).iter().map(|s| encode(s)).collect();
                pair(name, &items.join(","));
            }
            scalar => pair(name, &encode(&scalar_text(scalar))),
        }
    }
}

/// How a path or header expansion starts and separates its items.
trait Expansion {
    fn prefix(&self, _name: &str, _value: &Value) -> String {
        String::new()
    }
    fn separator(&self, _explode: bool) -> &'static str {
        ","
    }
    fn exploded_pair(&self, key: &str, value: &str) -> String {
        format!("{key}={value}")
    }
    fn encode(&self, text: &str) -> String {
        text.to_owned()
    }
}

/// Header values: not percent-encoded.
struct Plain;
impl Expansion for Plain {}

/// Path segments: percent-encoded, with the style's prefix.
struct PathStyle {
    style: Style,
}

impl Expansion for PathStyle {
    fn prefix(&self, name: &str, value: &Value) -> String {
        match self.style {
            Style::Label { .. } => ".".into(),
            Style::Matrix { explode: true } if value.is_object() => ";".into(),
            Style::Matrix { .. } => format!(";{}=", self.encode(name)),
            _ => String::new(),
        }
    }

    fn separator(&self, explode: bool) -> &'static str {
        match (self.style, explode) {
            (Style::Label { .. }, true) => ".",
            (Style::Matrix { .. }, true) => ";",
            _ => ",",
        }
    }

    fn exploded_pair(&self, key: &str, value: &str) -> String {
        format!("{}={value}", self.encode(key))
    }

    fn encode(&self, text: &str) -> String {
        utf8_percent_encode(text, COMPONENT).to_string()
    }
}

/// A request path under construction: a template whose `{name}`s are
/// replaced by the parameters' expansions, percent-encoded so that each stays
/// in its segment.
pub(crate) struct Path {
    template: &'static str,
    text: String,
    problem: Option<String>,
}

impl From<&'static str> for Path {
    fn from(template: &'static str) -> Self {
        Path::new(template)
    }
}

impl Path {
    pub(crate) fn new(template: &'static str) -> Self {
        Path {
            template,
            text: template.to_owned(),
            problem: None,
        }
    }

    /// Puts the expansion of parameter `name` in place of `{name}`.
    pub(crate) fn param<T: Serialize>(mut self, name: &str, value: T, style: Style) -> Self {
        match to_value(&value) {
            Ok(value) => {
                let placeholder = format!("{{{name}}}");
                self.text = self
                    .text
                    .replace(&placeholder, &path_expansion(name, &value, style));
            }
            Err(e) => {
                self.problem
                    .get_or_insert(format!("path parameter `{name}`: {e}"));
            }
        }
        self
    }

    /// The path, or why it cannot be sent: a segment that a parameter left
    /// empty, `.` or `..` would change which resource the request names (URL
    /// parsers remove dot segments, percent-encoded or not).
    fn finish(self) -> Result<String, String> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        // Expansions never hold `/`, so the segments line up with the template's.
        for (template, text) in self.template.split('/').zip(self.text.split('/')).skip(1) {
            if matches!(text, "" | "." | "..") && template.contains('{') {
                let names: Vec<&str> = template
                    .split('{')
                    .skip(1)
                    .filter_map(|part| part.split_once('}').map(|(name, _)| name))
                    .collect();
                return Err(format!(
                    "path parameter `{}` makes the segment {text:?} of {}: a segment cannot be empty, `.` or `..`",
                    names.join("`, `"),
                    self.template
                ));
            }
        }
        Ok(self.text)
    }
}

/// A path parameter's expansion.
fn path_expansion(name: &str, value: &Value, style: Style) -> String {
    let explode = style.explode();
    let expansion = PathStyle { style };
    // Exploded matrix lists repeat the name: `;name=a;name=b`.
    if let (Style::Matrix { explode: true }, Value::Array(items)) = (style, value) {
        return items
            .iter()
            .map(|i| format!(";{name}={}", expansion.encode(&scalar_text(i))))
            .collect();
    }
    format!(
        "{}{}",
        expansion.prefix(name, value),
        expand(value, explode, &expansion)
    )
}

fn expand(value: &Value, explode: bool, expansion: &dyn Expansion) -> String {
    match value {
        Value::Null => String::new(),
        Value::Array(items) => items
            .iter()
            .map(|i| expansion.encode(&scalar_text(i)))
            .collect::<Vec<_>>()
            .join(expansion.separator(explode)),
        Value::Object(fields) if explode => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| expansion.exploded_pair(k, &expansion.encode(&scalar_text(v))))
            .collect::<Vec<_>>()
            .join(expansion.separator(true)),
        Value::Object(_) => flat_items(value)
            .iter()
            .map(|s| expansion.encode(s))
            .collect::<Vec<_>>()
            .join(","),
        scalar => expansion.encode(&scalar_text(scalar)),
    }
}

/// A list's items, or an object's keys and values in turn, as text.
fn flat_items(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(scalar_text).collect(),
        Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
            .collect(),
        scalar => vec![scalar_text(scalar)],
    }
}

/// A value as parameter text: strings bare, everything else as JSON.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| format!("cannot encode a parameter: {e}"))
}

/// Standard base64 with padding, for HTTP basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes a JSON string through `From<&str>` (string enums, whose parsing
/// cannot fail: unknown values have their own variant). No allocation for
/// known values.
pub(crate) fn from_str_value<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct Visit<T>(std::marker::PhantomData<T>);

    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for Visit<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
    }

    deserializer.deserialize_str(Visit(std::marker::PhantomData))
}

/// `FromStr`, `Display`, `Serialize` and `Deserialize` of a generated string
/// enum, all through its `as_str` and `From<&str>`: one line per enum in the
/// types module rather than four impls that differ only in the name.
macro_rules! string_enum_impls {
    ($name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(<Self as ::std::convert::From<&str>>::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                super::runtime::from_str_value(deserializer)
            }
        }
    };
}

pub(crate) use string_enum_impls;

/// `Deserialize` of a generated struct, through its [`FromMap`] impl.
macro_rules! deserialize_from_map {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                super::runtime::from_map(deserializer)
            }
        }
    };
}

pub(crate) use deserialize_from_map;

/// `Serialize` of a generated struct: its members written into a JSON
/// object in order. An error is kept and returned by [`MapWriter::end`], so
/// that each member is a plain call (a `?` per member, a branch and an early
/// return each, doubled the compile time of GitHub's `Serialize` impls).
pub(crate) struct MapWriter<M: serde::ser::SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: serde::ser::SerializeMap> MapWriter<M> {
    pub(crate) fn new<S>(serializer: S) -> Result<Self, S::Error>
    where
        S: serde::Serializer<SerializeMap = M>,
    {
        let map = serializer.serialize_map(None)?;
        Ok(MapWriter { map, error: None })
    }

    /// A member. Nothing more is written after an error.
    pub(crate) fn entry<T: Serialize + ?Sized>(&mut self, wire: &str, value: &T) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.map.serialize_entry(wire, value) {
            self.error = Some(e);
        }
    }

    /// An optional member: left out when `None`. For a three-state field
    /// (`Option<Option<T>>`), `Some(None)` is sent as `null`.
    pub(crate) fn optional<T: Serialize>(&mut self, wire: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.entry(wire, value);
        }
    }

    /// Additional properties, after the declared members.
    pub(crate) fn entries<T: Serialize>(
        &mut self,
        entries: &std::collections::BTreeMap<String, T>,
    ) {
        for (key, value) in entries {
            self.entry(key, value);
        }
    }

    /// Closes the object, or returns the first error.
    pub(crate) fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// Decoding of a generated struct from a JSON object, member by member.
///
/// The generated structs implement this by hand rather than deriving
/// `Deserialize`: serde's derive also writes a sequence visitor and a field
/// visitor per struct, and took two fifths of a generated crate's compile
/// time (nexus: 2.3 of 5.5 s); this takes a third of what the derive did.
pub(crate) trait FromMap: Sized {
    /// For errors: "expected struct NAME".
    const NAME: &'static str;

    fn from_map<'de, A: serde::de::MapAccess<'de>>(
        map: MapReader<'de, A>,
    ) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of a [`FromMap`] type.
pub(crate) fn from_map<'de, T: FromMap, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct Visit<T>(std::marker::PhantomData<T>);

    impl<'de, T: FromMap> serde::de::Visitor<'de> for Visit<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "struct {}", T::NAME)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(MapReader {
                map,
                error: None,
                nulls: Vec::new(),
                input: std::marker::PhantomData,
            })
        }
    }

    deserializer.deserialize_map(Visit(std::marker::PhantomData))
}

/// A member name, borrowed from the input when it can be.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(name) => name,
            Key::Owned(name) => name,
        }
    }

    pub(crate) fn into_string(self) -> String {
        match self {
            Key::Borrowed(name) => name.to_owned(),
            Key::Owned(name) => name,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;

        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                name: &'de str,
            ) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(name))
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(name.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, name: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(name))
            }
        }

        deserializer.deserialize_str(Visit)
    }
}

/// serde's "missing field" error for the first required member, in
/// declaration order, that is not `present`.
pub(crate) fn missing<E: serde::de::Error>(members: &[(&'static str, bool)]) -> E {
    match members.iter().find(|(_, present)| !present) {
        Some((wire, _)) => E::missing_field(wire),
        // Not reached: callers pass the members of a struct that lacks one.
        None => E::custom("a required member is missing"),
    }
}

/// The members of a JSON object being decoded by a [`FromMap`] impl, one
/// after another. As with [`MapWriter`], an error is kept rather than
/// returned from each call: the keys then run out, and [`MapReader::end`]
/// returns it.
pub(crate) struct MapReader<'de, A: serde::de::MapAccess<'de>> {
    map: A,
    error: Option<A::Error>,
    /// The optional members seen as `null`, which leave no trace in their slot.
    nulls: Vec<&'static str>,
    input: std::marker::PhantomData<&'de ()>,
}

impl<'de, A: serde::de::MapAccess<'de>> MapReader<'de, A> {
    /// The next member's name; `None` at the end or after an error.
    pub(crate) fn next_key(&mut self) -> Option<Key<'de>> {
        if self.error.is_some() {
            return None;
        }
        self.map.next_key().unwrap_or_else(|e| {
            self.error = Some(e);
            None
        })
    }

    /// Decodes the current member's value into `slot`; a member given twice
    /// is an error, as serde's derive has it.
    pub(crate) fn put<T: serde::Deserialize<'de>>(
        &mut self,
        wire: &'static str,
        slot: &mut Option<T>,
    ) {
        if slot.is_some() {
            self.error = Some(serde::de::Error::duplicate_field(wire));
            return;
        }
        match self.map.next_value() {
            Ok(value) => *slot = Some(value),
            Err(e) => self.error = Some(e),
        }
    }

    /// Decodes the current member's value into an optional field's `slot`:
    /// `null` leaves it `None`, as absence does (but is remembered, so that a
    /// second member of that name is still an error).
    pub(crate) fn put_nullable<T: serde::Deserialize<'de>>(
        &mut self,
        wire: &'static str,
        slot: &mut Option<T>,
    ) {
        if slot.is_some() || self.nulls.iter().any(|seen| std::ptr::eq(*seen, wire)) {
            self.error = Some(serde::de::Error::duplicate_field(wire));
            return;
        }
        match self.map.next_value() {
            Ok(None) => self.nulls.push(wire),
            Ok(value) => *slot = value,
            Err(e) => self.error = Some(e),
        }
    }

    /// Decodes a member the struct does not declare into its additional
    /// properties.
    pub(crate) fn put_entry<T: serde::Deserialize<'de>>(
        &mut self,
        entries: &mut std::collections::BTreeMap<String, T>,
        key: Key<'de>,
    ) {
        match self.map.next_value() {
            Ok(value) => {
                entries.insert(key.into_string(), value);
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Skips the value of a member the struct does not declare.
    pub(crate) fn skip(&mut self) {
        if let Err(e) = self.map.next_value::<serde::de::IgnoredAny>() {
            self.error = Some(e);
        }
    }

    /// The first error, if any.
    pub(crate) fn end(self) -> Result<(), A::Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Round trips of the spec's examples through the generated types, for the
/// `examples` tests (`oxgen generate --examples`). The rule: an example
/// passes when decoding and encoding it again gives the same JSON, where an
/// object member set to `null` counts as absent and numbers compare by value.
/// An example that does not decode, or that has properties its schema does not
/// declare, is skipped with the reason: the spec contradicts itself there.
#[derive(Default)]
pub(crate) struct Examples {
    tried: usize,
    passed: usize,
    skipped: Vec<String>,
    failed: Vec<String>,
}

impl Examples {
    pub(crate) fn check<T: DeserializeOwned + Serialize>(&mut self, pointer: &str, json: &str) {
        self.tried += 1;
        let original: Value = match serde_json::from_str(json) {
            Ok(value) => value,
            Err(e) => return self.skipped.push(format!("{pointer}: not JSON: {e}")),
        };
        let decoded: T = match serde_json::from_value(original.clone()) {
            Ok(decoded) => decoded,
            Err(e) => {
                return self
                    .skipped
                    .push(format!("{pointer}: contradicts its schema: {e}"));
            }
        };
        let again = match serde_json::to_value(&decoded) {
            Ok(again) => normalize(&again),
            Err(e) => {
                return self
                    .failed
                    .push(format!("{pointer}: does not encode again: {e}"));
            }
        };
        let original = normalize(&original);
        if original == again {
            self.passed += 1;
        } else if prune(&original, &again) == again {
            self.skipped.push(format!(
                "{pointer}: has properties its schema does not declare"
            ));
        } else {
            self.failed
                .push(format!("{pointer}: {original} came back as {again}"));
        }
    }

    /// An example that cannot be tried, and why.
    pub(crate) fn skip(&mut self, pointer: &str, why: &str) {
        self.tried += 1;
        self.skipped.push(format!("{pointer}: {why}"));
    }

    /// Prints the counts and the reasons; fails on any example that changed.
    pub(crate) fn finish(self, document: &str) {
        println!(
            "examples of {document}: {} tried, {} passed, {} skipped, {} failed",
            self.tried,
            self.passed,
            self.skipped.len(),
            self.failed.len()
        );
        for skipped in &self.skipped {
            println!("  skipped {skipped}");
        }
        assert!(
            self.failed.is_empty(),
            "examples that changed:\n{}",
            self.failed.join("\n")
        );
    }
}

/// Drops `null` object members; numbers as `f64`.
fn normalize(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(value.clone(), Value::Number),
        other => other.clone(),
    }
}

/// `original` without the object members `again` does not have.
fn prune(original: &Value, again: &Value) -> Value {
    match (original, again) {
        (Value::Object(a), Value::Object(b)) => Value::Object(
            a.iter()
                .filter_map(|(k, v)| b.get(k).map(|w| (k.clone(), prune(v, w))))
                .collect(),
        ),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            Value::Array(a.iter().zip(b).map(|(v, w)| prune(v, w)).collect())
        }
        _ => original.clone(),
    }
}
