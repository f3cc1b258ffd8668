//! The base URL, the HTTP client and the credentials every request of a
//! client carries, and the redirect policy that keeps them with their server.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::DEFAULT_MAX_BODY;
use crate::error::{BuildError, redact_userinfo};
use crate::params::{Cookies, Path, Query, Style};
use crate::request::Request;
use crate::retry::Retry;

/// The most redirects followed for one request.
const MAX_REDIRECTS: usize = 10;

/// Base URL, HTTP client and credentials; credentials never show in `Debug`.
#[derive(Clone)]
pub struct Transport {
    base_url: String,
    /// Where operations with a server of their own go instead: the server
    /// the spec names, and the URL used for it.
    servers: Vec<(String, String)>,
    http: reqwest::Client,
    credentials: Vec<Credential>,
    retry: Retry,
    max_body: usize,
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
        let servers: Vec<String> = self
            .servers
            .iter()
            .map(|(from, to)| format!("{} -> {}", redact_userinfo(from), redact_userinfo(to)))
            .collect();
        f.debug_struct("Transport")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("servers", &servers)
            .field("credentials", &credentials)
            .finish_non_exhaustive()
    }
}

/// The redirect policy of the clients this crate builds: a redirect is
/// followed only to the same origin (scheme, host and port) as the request,
/// at most ten times. A redirect to another origin is not followed: the
/// client adds credentials (headers, query keys, cookies) to every request,
/// and they must reach no other server, nor go over plain HTTP after HTTPS.
/// The 3xx answer is returned instead ([`Error::Redirect`](crate::Error::Redirect) unless the
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
    /// A transport with its own HTTP client: rustls, same-origin redirects
    /// only ([`redirect_policy`]), and no `Referer` (which would carry a
    /// query credential to the next server).
    ///
    /// No timeout of its own: a call ends within its [`Retry::deadline`],
    /// and a streamed answer is bounded per wait for more, not in total
    /// (`reqwest`'s total timeout would end a long stream).
    pub fn new(base_url: &str) -> Result<Self, BuildError> {
        let http = reqwest::Client::builder()
            .redirect(redirect_policy())
            .referer(false)
            .build()
            .map_err(BuildError::Http)?;
        Self::with_http(http, base_url)
    }

    /// A transport that sends through `http`, configured by the caller; its
    /// redirect policy is the caller's too (see [`redirect_policy`]).
    ///
    /// `user:password@` in the URL becomes a `Basic` credential, sent as
    /// the one `Authorization` header, and is not kept in the URL; a bearer
    /// token or basic credential set afterwards replaces it.
    pub fn with_http(http: reqwest::Client, base_url: &str) -> Result<Self, BuildError> {
        let (base_url, userinfo) = without_userinfo(&valid_base_url(base_url)?);
        let transport = Transport {
            base_url,
            servers: Vec::new(),
            http,
            credentials: Vec::new(),
            retry: Retry::default(),
            max_body: DEFAULT_MAX_BODY,
        };
        match userinfo {
            Some((user, password)) => transport.basic(&user, &password),
            None => Ok(transport),
        }
    }

    /// Sends the operations whose own server (an operation's or a path's
    /// `servers` in the spec) is `spec_url` to `url` instead.
    /// A URL with `user:password@` is refused: credentials are the client's,
    /// set once for every server.
    pub fn server(mut self, spec_url: &str, url: &str) -> Result<Self, BuildError> {
        let url = valid_base_url(url)?;
        if without_userinfo(&url).1.is_some() {
            return Err(BuildError::InvalidBaseUrl(url));
        }
        let spec_url = spec_url.trim_end_matches('/');
        self.servers.retain(|(from, _)| from != spec_url);
        self.servers.push((spec_url.to_owned(), url));
        Ok(self)
    }

    /// With another retry policy.
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// With another limit on response bodies, in bytes.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Result<Self, BuildError> {
        self.header_credential(AUTHORIZATION, &format!("Bearer {token}"))
    }

    /// `Authorization: Basic <base64(user:password)>`.
    pub fn basic(self, user: &str, password: &str) -> Result<Self, BuildError> {
        let encoded = STANDARD.encode(format!("{user}:{password}"));
        self.header_credential(AUTHORIZATION, &format!("Basic {encoded}"))
    }

    /// An API key in the header `name`, on every request.
    pub fn api_key_header(self, name: &str, key: &str) -> Result<Self, BuildError> {
        let name = HeaderName::try_from(name).map_err(|_| BuildError::InvalidToken)?;
        self.header_credential(name, key)
    }

    /// An API key in the query parameter `name`, on every request.
    pub fn api_key_query(mut self, name: &str, key: &str) -> Self {
        self.credentials
            .retain(|c| !matches!(c, Credential::Query(n, _) if n == name));
        self.credentials
            .push(Credential::Query(name.to_owned(), key.to_owned()));
        self
    }

    /// An API key in the cookie `name`, on every request.
    pub fn api_key_cookie(mut self, name: &str, key: &str) -> Self {
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

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a request of `operation` (its method's name) to `path` with
    /// `query`.
    pub fn request(
        &self,
        operation: &'static str,
        method: Method,
        path: impl Into<Path>,
        query: Query,
    ) -> Request {
        self.request_to(&self.base_url, operation, method, path, query)
    }

    /// A request of an operation with a server of its own, `server` as the
    /// spec names it (unless [`Transport::server`] maps it elsewhere).
    pub fn request_at(
        &self,
        server: &str,
        operation: &'static str,
        method: Method,
        path: impl Into<Path>,
        query: Query,
    ) -> Request {
        let server = server.trim_end_matches('/');
        let base = self
            .servers
            .iter()
            .find(|(from, _)| from == server)
            .map_or(server, |(_, to)| to.as_str());
        self.request_to(base, operation, method, path, query)
    }

    fn request_to(
        &self,
        base_url: &str,
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
        let mut url = String::with_capacity(base_url.len() + path.len() + 1 + query.text.len());
        url.push_str(base_url);
        url.push_str(&path);
        if !query.text.is_empty() {
            url.push('?');
            url.push_str(&query.text);
        }
        let mut builder = self.http.request(method, url);
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
            retry: self.retry,
            max_body: self.max_body,
            accept: "application/json",
        }
    }
}

/// `url` without its `user:password@`, and those two, percent-decoded.
fn without_userinfo(url: &str) -> (String, Option<(String, String)>) {
    let Ok(mut parsed) = reqwest::Url::parse(url) else {
        return (url.to_owned(), None);
    };
    if parsed.username().is_empty() && parsed.password().is_none() {
        return (url.to_owned(), None);
    }
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    };
    let userinfo = (
        decode(parsed.username()),
        decode(parsed.password().unwrap_or("")),
    );
    // Neither can fail on an http(s) URL with a host, which `url` is.
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    (
        parsed.as_str().trim_end_matches('/').to_owned(),
        Some(userinfo),
    )
}

/// `url` without a trailing slash, if it is an absolute `http(s)` URL with a host.
fn valid_base_url(url: &str) -> Result<String, BuildError> {
    let base = url.trim_end_matches('/');
    let valid = reqwest::Url::parse(base)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
    if valid {
        Ok(base.to_owned())
    } else {
        Err(BuildError::InvalidBaseUrl(url.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clients_own_http_client_has_no_total_timeout() {
        // reqwest's total timeout runs until the body ends, so it would end
        // a streamed answer that is still sending; calls have their deadline.
        let shown = |http: &reqwest::Client| format!("{http:?}");
        let timed = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(3))
            .build()
            .unwrap();
        assert!(shown(&timed).contains("TotalTimeout"), "{}", shown(&timed));
        let transport = Transport::new("https://api.example").unwrap();
        assert!(
            !shown(&transport.http).contains("Timeout"),
            "{}",
            shown(&transport.http)
        );
    }

    fn transport() -> Transport {
        Transport::new("https://api.example/v1/")
            .unwrap()
            .bearer("secret-token")
            .unwrap()
            .api_key_query("key", "secret-query")
            .api_key_cookie("sid", "secret-cookie")
    }

    #[test]
    fn only_absolute_http_urls_are_base_urls() {
        for bad in ["api.example", "ftp://api.example", "/v1", "https://"] {
            assert!(
                matches!(Transport::new(bad), Err(BuildError::InvalidBaseUrl(_))),
                "{bad}"
            );
        }
        assert_eq!(transport().base_url(), "https://api.example/v1");
    }

    #[test]
    fn operations_with_a_server_of_their_own_go_there_unless_mapped() {
        let target = |t: &Transport| {
            t.request_at(
                "https://uploads.example/v2/",
                "op",
                Method::GET,
                "/f",
                Query::default(),
            )
            .builder
            .build()
            .unwrap()
            .url()
            .to_string()
        };
        let t = transport();
        assert!(target(&t).starts_with("https://uploads.example/v2/f?"));
        let t = t
            .server("https://uploads.example/v2", "http://127.0.0.1:9/up/")
            .unwrap();
        assert!(target(&t).starts_with("http://127.0.0.1:9/up/f?"));
        assert!(matches!(
            transport().server("https://uploads.example/v2", "uploads"),
            Err(BuildError::InvalidBaseUrl(_))
        ));
    }

    #[test]
    fn debug_shows_no_secret() {
        let transport = Transport::new("https://u:pw@api.example/v1/")
            .unwrap()
            .bearer("secret-token")
            .unwrap()
            .api_key_query("key", "secret-query");
        let shown = format!("{transport:?}");
        for secret in ["secret", "pw", "u:"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        // The userinfo is a credential now, not part of the URL.
        assert!(
            shown.contains("base_url: \"https://api.example/v1\""),
            "{shown}"
        );
    }

    #[test]
    fn userinfo_in_the_base_url_is_one_authorization_header() {
        let authorization = |t: Transport| {
            let request = t.request("op", Method::GET, "/x", Query::default()).builder;
            let built = request.build().unwrap();
            let values: Vec<String> = built
                .headers()
                .get_all(AUTHORIZATION)
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .collect();
            (built.url().to_string(), values)
        };
        let basic = Transport::new("https://u:p%40ss@api.example/v1/").unwrap();
        assert_eq!(
            authorization(basic.clone()),
            (
                "https://api.example/v1/x".to_owned(),
                vec![format!("Basic {}", STANDARD.encode("u:p@ss"))]
            )
        );
        let bearer = basic.bearer("token").unwrap();
        assert_eq!(authorization(bearer).1, ["Bearer token"]);
        assert!(matches!(
            transport().server("https://a.example", "https://u:p@b.example"),
            Err(BuildError::InvalidBaseUrl(_))
        ));
    }

    #[test]
    fn a_credential_set_again_replaces_the_first() {
        let transport = transport()
            .bearer("second")
            .unwrap()
            .api_key_query("key", "q2");
        let request = transport
            .request("op", Method::GET, "/x", Query::default())
            .builder
            .build()
            .unwrap();
        assert_eq!(request.url().query(), Some("key=q2"));
        let auth: Vec<_> = request.headers().get_all(AUTHORIZATION).iter().collect();
        assert_eq!(auth.len(), 1);
        assert_eq!(auth[0].to_str().unwrap(), "Bearer second");
        assert!(transport.bearer("new\nline").is_err());
    }

    #[test]
    fn credentials_go_where_their_scheme_says() {
        let request = transport().request("op", Method::GET, "/users", Query::default());
        assert!(request.secret_in_url);
        assert_eq!(request.cookies.text, "sid=secret-cookie");
        let built = request.builder.build().unwrap();
        assert_eq!(built.url().path(), "/v1/users");
        assert_eq!(
            built.headers()[AUTHORIZATION].to_str().unwrap(),
            "Bearer secret-token"
        );
        assert!(built.headers()[AUTHORIZATION].is_sensitive());
    }

    #[tokio::test]
    async fn a_path_problem_fails_the_call_before_anything_is_sent() {
        let path = Path::new("/users/{id}").param("id", "..", Style::Simple { explode: false });
        let result = transport()
            .request("op", Method::GET, path, Query::default())
            .send(|raw| raw.json::<(), ()>())
            .await;
        match result {
            Err(crate::Error::InvalidRequest(why)) => assert!(why.contains("`id`"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
