//! Why a call or a client failed: [`Error`], [`BuildError`], and the body
//! snippet errors keep.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How much of an undecodable body an error keeps.
const SNIPPET_LIMIT: usize = 512;

/// Why a call failed. `E` is the body type the spec documents for error statuses.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the spec documents, and this body.
    Api {
        /// The documented error status.
        status: StatusCode,
        /// Its body, decoded.
        body: E,
    },
    /// `429 Too Many Requests`.
    RateLimited {
        /// The `Retry-After` header, when the server sent one.
        retry_after: Option<Duration>,
        /// The body, when it decoded as the documented type.
        body: Option<E>,
    },
    /// A status the spec does not document for this operation.
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The start of the body.
        body: BodySnippet,
    },
    /// The body does not match the type the spec documents for its status:
    /// where and why, with the whole answer.
    Decode(Box<DecodeError>),
    /// The request could not be built (a header value with a newline, a path
    /// parameter `..`); nothing was sent.
    InvalidRequest(String),
    /// The body is larger than the client's limit; it was not read further.
    BodyTooLarge {
        /// The status of the answer.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A redirect the client did not follow, because it leads to another
    /// origin (see [`redirect_policy`](crate::redirect_policy)).
    Redirect {
        /// The 3xx status.
        status: StatusCode,
        /// Where it points (its `Location` header).
        location: Option<String>,
    },
    /// The call took longer than [`Retry::deadline`](crate::Retry::deadline),
    /// retries included.
    Timeout {
        /// The deadline that passed.
        deadline: Duration,
    },
    /// Connecting, sending or receiving failed, or the request timed out.
    Transport(reqwest::Error),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::BodyTooLarge { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            Error::Decode(e) => Some(e.status),
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
            Error::Decode(e) => fmt::Display::fmt(e, f),
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
            Error::Decode(e) => Some(&e.source),
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

/// A body that does not match the type the spec documents for its status.
/// It keeps the whole answer, so that a program can log it or make what it
/// can of it (a `PUT` that failed to decode may still have taken effect).
pub struct DecodeError {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) path: String,
    pub(crate) source: serde_json::Error,
    /// Which item of a streamed answer this is (`line 3`, `event 2`).
    pub(crate) item: Option<String>,
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
        source: serde_json::Error,
    ) -> Self {
        let path = crate::json_path::path_of_error(&body, &source);
        DecodeError {
            status,
            headers,
            body,
            path,
            source,
            item: None,
        }
    }

    /// The status whose body did not decode.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Which item of a streamed answer did not decode (`line 3` of JSON
    /// Lines, `event 2` of Server-Sent Events, `record 1` of a JSON text
    /// sequence); `None` for an answer read whole. [`body`](Self::body) is
    /// then that item's text.
    pub fn item(&self) -> Option<&str> {
        self.item.as_deref()
    }

    /// The whole body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The whole body, owned.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// Where in the body decoding failed, as a path of member names and
    /// item indexes (`users.3847595.created_at`, `results[2]`); empty when
    /// the body as a whole is the problem.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Why it did not decode (with the line and column).
    pub fn source(&self) -> &serde_json::Error {
        &self.source
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.item {
            Some(item) => write!(f, "cannot decode {item} of the {} response: ", self.status)?,
            None => write!(f, "cannot decode the {} response: ", self.status)?,
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}; body: {}", self.source, BodySnippet::of(&self.body))
    }
}

/// The headers' names, with values only for those that cannot carry a
/// credential: an error may end up in a log.
impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let name = name.as_str();
                let secret = ["cookie", "auth", "token", "key", "secret", "session"]
                    .iter()
                    .any(|word| name.contains(word));
                let value = match value.to_str() {
                    Ok(value) if !secret => value,
                    _ => "<redacted>",
                };
                (name, value)
            })
            .collect();
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("path", &self.path)
            .field("item", &self.item)
            .field("source", &self.source)
            .field("headers", &headers)
            .field("body", &BodySnippet::of(&self.body))
            .finish()
    }
}

/// The start of a body, kept for errors: at most 512 bytes, cut on a character
/// boundary.
#[derive(Clone, PartialEq, Eq)]
pub struct BodySnippet {
    /// The text (invalid UTF-8 replaced).
    pub text: String,
    /// Whether the body was longer than `text`.
    pub truncated: bool,
}

impl BodySnippet {
    pub(crate) fn of(bytes: &[u8]) -> Self {
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
pub(crate) fn redact_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}<redacted>{}", &url[..start], &url[start + at..]).into(),
        None => url.into(),
    }
}

/// Why a request got no answer to match on; becomes an [`Error`] of any body type.
pub(crate) enum Failure {
    InvalidRequest(String),
    BodyTooLarge {
        status: StatusCode,
        limit: usize,
    },
    Timeout(Duration),
    Transport(reqwest::Error),
    Decode(Box<DecodeError>),
    RateLimited {
        retry_after: Option<Duration>,
    },
    Redirect {
        status: StatusCode,
        location: Option<String>,
    },
    UnexpectedStatus {
        status: StatusCode,
        body: BodySnippet,
    },
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::InvalidRequest(why) => Error::InvalidRequest(why),
            Failure::BodyTooLarge { status, limit } => Error::BodyTooLarge { status, limit },
            Failure::Timeout(deadline) => Error::Timeout { deadline },
            Failure::Transport(e) => Error::Transport(e),
            Failure::Decode(e) => Error::Decode(e),
            Failure::RateLimited { retry_after } => Error::RateLimited {
                retry_after,
                body: None,
            },
            Failure::Redirect { status, location } => Error::Redirect { status, location },
            Failure::UnexpectedStatus { status, body } => Error::UnexpectedStatus { status, body },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_redacted_wherever_the_url_stands() {
        for (url, shown) in [
            (
                "https://u:p@host/api?x=@",
                "https://<redacted>@host/api?x=@",
            ),
            ("http://token@host", "http://<redacted>@host"),
            ("https://host/a@b", "https://host/a@b"),
            ("not a url u:p@x", "<redacted>@x"),
            ("https://host", "https://host"),
        ] {
            assert_eq!(redact_userinfo(url), shown, "{url}");
        }
        let error = BuildError::InvalidBaseUrl("ftp://u:secret@host".into());
        assert_eq!(
            error.to_string(),
            "invalid base URL \"ftp://<redacted>@host\": expected http:// or https://"
        );
        assert!(!format!("{error:?}").contains("secret"));
    }

    #[test]
    fn a_snippet_keeps_at_most_512_bytes_cut_on_a_character() {
        let short = BodySnippet::of(b"{\"a\": 1}");
        assert_eq!(
            (short.text.as_str(), short.truncated),
            ("{\"a\": 1}", false)
        );
        let long = "é".repeat(400);
        let snippet = BodySnippet::of(long.as_bytes());
        assert_eq!((snippet.text, snippet.truncated), ("é".repeat(256), true));
        let exact = "x".repeat(512);
        assert!(!BodySnippet::of(exact.as_bytes()).truncated);
        // Invalid UTF-8 is replaced, and the text still fits.
        let snippet = BodySnippet::of(&[0xff; 600]);
        assert!(snippet.text.len() <= 512 && snippet.truncated);
    }

    #[test]
    fn messages_say_what_failed() {
        let error: Error<()> = Error::Timeout {
            deadline: Duration::from_millis(1500),
        };
        assert_eq!(
            error.to_string(),
            "the call took longer than its deadline of 1.5s"
        );
        let error: Error<()> = Error::Redirect {
            status: StatusCode::FOUND,
            location: Some("https://cdn.example/x".into()),
        };
        assert_eq!(
            error.to_string(),
            "redirect 302 Found to another origin not followed: https://cdn.example/x"
        );
        assert_eq!(error.status(), Some(StatusCode::FOUND));
    }
}
