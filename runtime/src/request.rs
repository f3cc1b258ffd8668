//! A request being built and sent: parameters, credentials, retries, and
//! the whole answer read within the body limit.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use reqwest::header::{ACCEPT, COOKIE, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Failure};
use crate::params::{Cookies, Plain, Style, expand, to_value};
use crate::response::{Answer, RawResponse, Response};
use crate::retry::{Retry, retrying};

/// A request being built; a problem found while building surfaces on `send`.
pub struct Request {
    pub(crate) builder: reqwest::RequestBuilder,
    pub(crate) problem: Option<String>,
    pub(crate) cookies: Cookies,
    /// A credential travels in the query: errors must not show the URL.
    pub(crate) secret_in_url: bool,
    pub(crate) operation: &'static str,
    pub(crate) retry: Retry,
    pub(crate) max_body: usize,
    /// The `Accept` header.
    pub(crate) accept: &'static str,
}

impl Request {
    pub(crate) fn fail(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// The media types the answer may have, as the `Accept` header lists
    /// them; `application/json` unless set.
    pub fn accept(mut self, media_types: &'static str) -> Self {
        self.accept = media_types;
        self
    }

    /// A header parameter (`style: simple`).
    pub fn header<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
        style: Style,
    ) -> Self {
        self.header_value(name, to_value(value), style)
    }

    // Not generic: compiled once, not once per parameter type.
    fn header_value(
        mut self,
        name: &'static str,
        value: Result<Value, String>,
        style: Style,
    ) -> Self {
        match value {
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
    pub fn cookie<T: Serialize + ?Sized>(self, name: &str, value: &T, style: Style) -> Self {
        self.cookie_value(name, to_value(value), style)
    }

    fn cookie_value(mut self, name: &str, value: Result<Value, String>, style: Style) -> Self {
        match value {
            Ok(value) => self.cookies.push_value(name, &value, style.explode()),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Sends the request (again while the retry policy allows) and reads the
    /// answer's whole body, so that `answer` matches on the status with no
    /// `await`.
    pub fn send<T, E>(self, answer: fn(RawResponse) -> Answer<T, E>) -> ResponseFuture<T, E> {
        ResponseFuture {
            raw: Box::pin(send_raw(self.ready())),
            answer,
        }
    }

    /// The request with its `Accept` and `Cookie` headers, or why it cannot
    /// be sent.
    pub(crate) fn ready(self) -> Result<Ready, Failure> {
        if let Some(problem) = self.problem {
            return Err(Failure::InvalidRequest(problem));
        }
        let mut builder = match static_header_value(self.accept) {
            Ok(accept) => self.builder.header(ACCEPT, accept),
            Err(_) => {
                return Err(Failure::InvalidRequest(format!(
                    "`{}` is not a valid Accept header",
                    self.accept.escape_debug()
                )));
            }
        };
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
        let (http, request) = builder.build_split();
        let request = match request {
            Ok(request) => request,
            Err(e) => {
                let e = if self.secret_in_url {
                    e.without_url()
                } else {
                    e
                };
                return Err(Failure::Transport(e));
            }
        };
        Ok(Ready {
            http,
            request: Box::new(request),
            secret_in_url: self.secret_in_url,
            operation: self.operation,
            retry: self.retry,
            max_body: self.max_body,
        })
    }
}

/// Sends a request made ready when its method was called: built then, so
/// that the future holds only what sending needs.
async fn send_raw(ready: Result<Ready, Failure>) -> Result<RawResponse, Failure> {
    let ready = ready?;
    let strip = ready.strip();
    let (retry, max_body) = (ready.retry, ready.max_body);
    #[cfg(feature = "tracing")]
    let span = ready.span();
    let attempts = async move {
        let response = retrying(&ready.http, ready.request, retry)
            .await
            .map_err(strip)?;
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

/// `text` as a header value, not copied when it is printable ASCII (as
/// the media types generated code passes are).
fn static_header_value(
    text: &'static str,
) -> Result<HeaderValue, reqwest::header::InvalidHeaderValue> {
    if text
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        // `from_static` panics only on bytes this excludes.
        Ok(HeaderValue::from_static(text))
    } else {
        HeaderValue::try_from(text)
    }
}

/// A request ready to send.
pub(crate) struct Ready {
    pub(crate) http: reqwest::Client,
    /// Boxed, as the copy kept for a retry is: the futures that hold them
    /// stay small enough for the allocator's fast path.
    pub(crate) request: Box<reqwest::Request>,
    secret_in_url: bool,
    #[cfg_attr(not(feature = "tracing"), expect(dead_code))] // named in spans
    operation: &'static str,
    pub(crate) retry: Retry,
    pub(crate) max_body: usize,
}

impl Ready {
    /// How a transport error is kept: without the URL when a credential
    /// travels in it.
    pub(crate) fn strip(&self) -> impl Fn(reqwest::Error) -> Failure + Copy + Send + 'static {
        let secret_in_url = self.secret_in_url;
        move |e: reqwest::Error| Failure::Transport(if secret_in_url { e.without_url() } else { e })
    }

    /// The span of the call: the operation, never the URL (a credential may
    /// be in the query).
    #[cfg(feature = "tracing")]
    pub(crate) fn span(&self) -> tracing::Span {
        tracing::info_span!("request", operation = self.operation, method = %self.request.method())
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
    answer: fn(RawResponse) -> Answer<T, E>,
}

// One named type for all the methods, not an `impl Future` each: the
// compiler checks one future instead of one opaque type per method, and
// users can name it.
impl<T, E> Future for ResponseFuture<T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Unpinned at once, and a match rather than `Poll::map` and `?`:
        // `Pin`'s accessors and those functions would each be compiled again
        // for each pair of body types.
        let this = self.get_mut();
        match this.raw.as_mut().poll(cx) {
            Poll::Ready(Ok(raw)) => Poll::Ready((this.answer)(raw)),
            Poll::Ready(Err(failure)) => Poll::Ready(Err(Error::from(failure))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T, E> fmt::Debug for ResponseFuture<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

/// The whole body, up to `limit` bytes: a larger `Content-Length` is refused
/// before reading, and reading stops once the limit is passed.
pub(crate) async fn read(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<RawResponse, Failure> {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Each call boxes its future. glibc's per-thread cache serves blocks up
    /// to 1032 bytes; a larger block is allocated and freed through its
    /// bins, slower than the rest of the call's own work.
    pub(crate) fn assert_fits_the_allocators_fast_path(future_bytes: usize) {
        assert!(future_bytes <= 1024, "{future_bytes} bytes");
    }

    #[test]
    fn the_future_of_a_call_fits_the_allocators_fast_path() {
        let transport = crate::Transport::new("http://127.0.0.1:9").unwrap();
        let request = transport.request("op", reqwest::Method::GET, "/a", Default::default());
        assert_fits_the_allocators_fast_path(std::mem::size_of_val(&send_raw(request.ready())));
    }

    #[test]
    fn a_static_header_value_is_checked_as_any_other() {
        let value = static_header_value("application/json;\tq=0.9").unwrap();
        assert_eq!(value, "application/json;\tq=0.9");
        // Beyond ASCII: allowed in a header value, as `try_from` allows it.
        assert_eq!(
            static_header_value("text/plain; title=\"é\"")
                .unwrap()
                .as_bytes(),
            "text/plain; title=\"é\"".as_bytes()
        );
        assert!(static_header_value("application/json\r\nx-injected: 1").is_err());
        assert!(static_header_value("a\u{7f}").is_err());
    }
}
