//! When a request is sent again, and how long to wait first.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::DEFAULT_DEADLINE;

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
/// still running when it passes is abandoned with [`Error::Timeout`](crate::Error::Timeout).
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

/// Sends `request` through `http`, and again while `retry` allows. A body
/// that cannot be replayed (a multipart stream) is sent once.
pub(crate) async fn retrying(
    http: &reqwest::Client,
    mut request: Box<reqwest::Request>,
    retry: Retry,
) -> Result<reqwest::Response, reqwest::Error> {
    let retries = if retry.applies_to(request.method()) {
        retry.max_retries
    } else {
        0
    };
    let started = tokio::time::Instant::now();
    let mut attempt = 0;
    loop {
        let spare = if attempt < retries {
            replayable(&request).map(Box::new)
        } else {
            None
        };
        let result = http.execute(*request).await;
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
        request = spare;
        attempt += 1;
    }
}

/// A copy of `request` to send again, or `None` when its body is a stream,
/// which cannot be replayed.
///
/// Without a body or per-request timeout (this crate sets none), the copy
/// is made field by field: `reqwest`'s `try_clone` also copies per-request
/// settings, allocating for them each time, and a copy is made for every
/// call that may be retried, before its first attempt.
fn replayable(request: &reqwest::Request) -> Option<reqwest::Request> {
    if request.body().is_some() || request.timeout().is_some() {
        return request.try_clone();
    }
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    Some(copy)
}

/// `Retry-After`, as seconds or as an HTTP date (a date in the past is no wait).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_an_http_date() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        let later = std::time::SystemTime::now() + Duration::from_secs(120);
        let asked = retry_after(&headers(&httpdate::fmt_http_date(later))).unwrap();
        assert!(asked > Duration::from_secs(110) && asked <= Duration::from_secs(120));
        let past = std::time::SystemTime::now() - Duration::from_secs(120);
        assert_eq!(
            retry_after(&headers(&httpdate::fmt_http_date(past))),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn a_wait_the_server_asks_for_gets_jitter_and_a_ceiling() {
        let retry = Retry {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            ..Retry::default()
        };
        let waits: Vec<Duration> = (0..50)
            .map(|_| retry.delay(0, Some(Duration::ZERO)).unwrap())
            .collect();
        assert!(waits.iter().all(|w| *w <= Duration::from_millis(100)));
        // Not all the same: clients told `0` do not come back together.
        assert!(waits.iter().any(|w| *w != waits[0]));
        let asked = retry.delay(0, Some(Duration::from_secs(3))).unwrap();
        assert!(asked >= Duration::from_secs(3) && asked <= Duration::from_millis(3100));
        assert_eq!(retry.delay(0, Some(Duration::from_secs(11))), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_ceiling() {
        let retry = Retry {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            ..Retry::default()
        };
        for _ in 0..50 {
            assert!(retry.delay(0, None).unwrap() <= Duration::from_millis(100));
            assert!(retry.delay(1, None).unwrap() <= Duration::from_millis(200));
            assert!(retry.delay(9, None).unwrap() <= Duration::from_millis(300));
        }
    }

    #[test]
    fn only_idempotent_methods_are_retried_unless_told() {
        let retry = Retry::default();
        assert!(retry.applies_to(&Method::GET) && retry.applies_to(&Method::PUT));
        assert!(!retry.applies_to(&Method::POST) && !retry.applies_to(&Method::PATCH));
        let all = Retry {
            all_methods: true,
            ..Retry::default()
        };
        assert!(all.applies_to(&Method::POST));
        assert!(!Retry::none().applies_to(&Method::GET));
    }

    #[test]
    fn the_copy_sent_again_is_the_request_itself() {
        let http = reqwest::Client::new();
        let mut secret = reqwest::header::HeaderValue::from_static("Bearer t");
        secret.set_sensitive(true);
        let request = http
            .put("https://api.example/v1/users/7?include=role")
            .header(reqwest::header::AUTHORIZATION, secret)
            .header("x-two", "a")
            .header("x-two", "b")
            .version(reqwest::Version::HTTP_2)
            .build()
            .unwrap();
        let copy = replayable(&request).unwrap();
        assert_eq!(copy.method(), Method::PUT);
        assert_eq!(copy.url(), request.url());
        assert_eq!(copy.headers(), request.headers());
        assert!(copy.headers()[reqwest::header::AUTHORIZATION].is_sensitive());
        assert_eq!(copy.version(), reqwest::Version::HTTP_2);
        assert!(copy.body().is_none() && copy.timeout().is_none());

        let with_body = http
            .post("https://api.example/v1/users")
            .body("{}")
            .timeout(Duration::from_secs(9))
            .build()
            .unwrap();
        let copy = replayable(&with_body).unwrap();
        assert_eq!(
            copy.body().and_then(reqwest::Body::as_bytes),
            Some(&b"{}"[..])
        );
        assert_eq!(copy.timeout(), Some(&Duration::from_secs(9)));

        let streamed = http
            .post("https://api.example/v1/files")
            .multipart(reqwest::multipart::Form::new().text("name", "x"))
            .build()
            .unwrap();
        assert!(replayable(&streamed).is_none(), "a stream is sent once");
    }
}
