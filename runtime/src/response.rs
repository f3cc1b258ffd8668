//! Answers: the decoded [`Response`], and the [`RawResponse`] that
//! generated code matches on by status.

use std::convert::identity;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use serde::de::Error as _;

use crate::decode::{Decode, Invalid, Place, Slot, from_slice, slice_into};
use crate::error::{BodySnippet, DecodeError, Error, Failure};
use crate::retry::retry_after;

/// What an answer read whole becomes: the typed body of a success, or why
/// the call failed. A generated method's `answer` function returns it.
pub type Answer<T, E> = Result<Response<T>, Error<E>>;

/// A successful answer: the decoded body, with the status and headers it came with.
/// Dereferences to the body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: T,
}

impl<T> Response<T> {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
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

/// An answer, read whole, whose status has not been matched yet.
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    /// The status, as a number to match on.
    pub fn status(&self) -> u16 {
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
    pub fn json<T: Decode, E>(self) -> Result<Response<T>, Error<E>> {
        match self.decoded() {
            Ok(response) => Ok(response),
            Err(failure) => Err(Error::from(failure)),
        }
    }

    /// Decodes a JSON body into one variant of `T`.
    pub fn json_as<B: Decode, T, E>(self, wrap: fn(B) -> T) -> Result<Response<T>, Error<E>> {
        match self.decoded::<B>() {
            Ok(response) => Ok(response.map(wrap)),
            Err(failure) => Err(Error::from(failure)),
        }
    }

    // What each answer type compiles is kept to these few lines: the body is
    // read into the slot by `read_into`, which is not generic, and `json`
    // and `api_error` are written out rather than calling their `_as` forms
    // with `identity` (both would then be compiled for each type). The
    // helpers take `fn` pointers, not closures: a closure is a type of its
    // own, and each would compile them again for each call site.
    fn decoded<B: Decode>(self) -> Result<Response<B>, Failure> {
        let mut body = None;
        match self.read_into(&mut Place(&mut body)) {
            Ok(raw) => match body {
                Some(body) => Ok(raw.answer(body)),
                None => Err(raw.unfilled()),
            },
            Err(failure) => Err(failure),
        }
    }

    /// The answer back once its body is decoded into `slot`, or why it
    /// did not decode.
    fn read_into(self, slot: &mut dyn Slot) -> Result<RawResponse, Failure> {
        match slice_into(&self.body, slot) {
            Ok(()) => Ok(self),
            Err(source) => Err(self.undecodable(source)),
        }
    }

    // A decoder that returned without a value (never, for ours).
    fn unfilled(self) -> Failure {
        self.undecodable(serde_json::Error::custom(Invalid::kept()))
    }

    fn undecodable(self, source: serde_json::Error) -> Failure {
        Failure::Decode(Box::new(DecodeError::new(
            self.status,
            self.headers,
            self.body,
            source,
        )))
    }

    /// A text body (invalid UTF-8 replaced).
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        self.text_as(identity)
    }

    /// A text body as one variant of `T`.
    pub fn text_as<T, E>(self, wrap: fn(String) -> T) -> Result<Response<T>, Error<E>> {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        Ok(self.answer(wrap(body)))
    }

    /// A binary body.
    pub fn bytes<E>(self) -> Result<Response<Vec<u8>>, Error<E>> {
        self.bytes_as(identity)
    }

    /// A binary body as one variant of `T`.
    pub fn bytes_as<T, E>(mut self, wrap: fn(Vec<u8>) -> T) -> Result<Response<T>, Error<E>> {
        let body = std::mem::take(&mut self.body);
        Ok(self.answer(wrap(body)))
    }

    /// A status documented without a body (a body, if any, is ignored).
    pub fn empty<T: Default, E>(self) -> Result<Response<T>, Error<E>> {
        self.empty_as(T::default())
    }

    /// A status documented without a body, answered as `body`.
    pub fn empty_as<T, E>(self, body: T) -> Result<Response<T>, Error<E>> {
        Ok(self.answer(body))
    }

    /// A documented error status with a JSON body.
    pub fn api_error<E: Decode>(self) -> Error<E> {
        match self.decoded() {
            Ok(response) => Error::Api {
                status: response.status,
                body: response.body,
            },
            Err(failure) => Error::from(failure),
        }
    }

    /// A documented error status whose JSON body is one variant of `E`.
    pub fn api_error_as<B: Decode, E>(self, wrap: fn(B) -> E) -> Error<E> {
        match self.decoded::<B>() {
            Ok(response) => Error::Api {
                status: response.status,
                body: wrap(response.body),
            },
            Err(failure) => Error::from(failure),
        }
    }

    /// A documented error status without a body.
    pub fn api_error_empty<E: Default>(self) -> Error<E> {
        self.api_error_empty_as(E::default())
    }

    /// A documented error status without a body, answered as `body`.
    pub fn api_error_empty_as<E>(self, body: E) -> Error<E> {
        Error::Api {
            status: self.status,
            body,
        }
    }

    /// A documented 429 with a JSON body, decoded if it can be.
    pub fn rate_limited<E: Decode>(self) -> Error<E> {
        self.rate_limited_as(identity)
    }

    /// A documented 429 whose JSON body is one variant of `E`.
    pub fn rate_limited_as<B: Decode, E>(self, wrap: fn(B) -> E) -> Error<E> {
        Error::RateLimited {
            retry_after: retry_after(&self.headers),
            body: from_slice(&self.body).ok().map(wrap),
        }
    }

    /// A 429 whose body is not documented.
    pub fn rate_limited_untyped<E>(self) -> Error<E> {
        Error::from(self.rate_limited_failure())
    }

    fn rate_limited_failure(self) -> Failure {
        Failure::RateLimited {
            retry_after: retry_after(&self.headers),
        }
    }

    /// A status the operation does not document (429 and redirects the
    /// client did not follow are still told apart).
    pub fn unexpected<E>(self) -> Error<E> {
        Error::from(self.unexpected_failure())
    }

    // The generic helpers above and below turn a non-generic `Failure` into
    // `Error<E>`: only that conversion is compiled for each error type.
    fn unexpected_failure(self) -> Failure {
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            return self.rate_limited_failure();
        }
        if self.status.is_redirection() && self.status != StatusCode::NOT_MODIFIED {
            let location = self.headers.get(reqwest::header::LOCATION);
            return Failure::Redirect {
                status: self.status,
                location: location.map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned()),
            };
        }
        Failure::UnexpectedStatus {
            status: self.status,
            body: BodySnippet::of(&self.body),
        }
    }
}

/// The error of a documented error status whose body was read as `B`.
pub fn api_error<B, E>(decoded: Result<Response<B>, Error<E>>, wrap: fn(B) -> E) -> Error<E> {
    match decoded {
        Ok(response) => Error::Api {
            status: response.status,
            body: wrap(response.body),
        },
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, headers: &[(&'static str, &str)], body: &str) -> RawResponse {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().unwrap());
        }
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_body_that_does_not_decode_keeps_the_answer_and_says_where() {
        let body = format!("[1, \"x\", \"{}\"]", "y".repeat(600));
        let result: Result<Response<Vec<u32>>, Error<()>> = raw(
            200,
            &[("etag", "v1"), ("set-cookie", "session=s3cret")],
            &body,
        )
        .json();
        let error = match result {
            Err(Error::Decode(error)) => error,
            other => panic!("{other:?}"),
        };
        assert_eq!(error.status(), 200);
        assert_eq!(error.path(), "[1]");
        assert_eq!(error.headers()["etag"], "v1");
        assert_eq!(error.body(), body.as_bytes(), "the whole body");
        let message = error.to_string();
        assert!(
            message.starts_with(
                "cannot decode the 200 OK response: [1]: invalid type: string \"x\", \
                 expected u32 at line 1 column 7; body: \"[1, \\\"x\\\", \\\"yyy"
            ),
            "{message}"
        );
        assert!(message.ends_with("(truncated)"), "{message}");
        let debug = format!("{error:?}");
        assert!(
            debug.contains("\"v1\"") && !debug.contains("s3cret"),
            "{debug}"
        );
        assert_eq!(error.into_body(), body.into_bytes());
    }

    #[test]
    fn documented_errors_carry_their_typed_body() {
        let error: Error<Vec<String>> = raw(422, &[], "[\"bad\"]").api_error();
        assert!(
            matches!(error, Error::Api { status, ref body } if status == 422 && body == &["bad"])
        );
        let error: Error<Vec<String>> = raw(429, &[("retry-after", "3")], "oops").rate_limited();
        match error {
            Error::RateLimited { retry_after, body } => {
                assert_eq!(retry_after, Some(std::time::Duration::from_secs(3)));
                assert_eq!(body, None, "a body that does not decode is left out");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn undocumented_statuses_are_told_apart() {
        let error: Error<()> = raw(418, &[], "teapot").unexpected();
        assert!(matches!(error, Error::UnexpectedStatus { status, .. } if status == 418));
        let error: Error<()> = raw(429, &[], "").unexpected();
        assert!(matches!(error, Error::RateLimited { .. }));
        let error: Error<()> = raw(307, &[("location", "https://elsewhere/x")], "").unexpected();
        match error {
            Error::Redirect { status, location } => {
                assert_eq!(status, 307);
                assert_eq!(location.as_deref(), Some("https://elsewhere/x"));
            }
            other => panic!("{other:?}"),
        }
        // 304 is an answer, not a redirect to follow.
        let error: Error<()> = raw(304, &[], "").unexpected();
        assert!(matches!(error, Error::UnexpectedStatus { .. }));
    }

    #[test]
    fn a_response_keeps_its_status_and_headers_through_map() {
        let response: Response<u8> = raw(201, &[("etag", "x")], "7").json::<u8, ()>().unwrap();
        let response = response.map(u32::from);
        assert_eq!((response.status(), *response), (StatusCode::CREATED, 7));
        assert_eq!(response.headers()["etag"], "x");
    }
}
