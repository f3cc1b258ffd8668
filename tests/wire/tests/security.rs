//! Where credentials and parameters may travel, against servers on 127.0.0.1:
//! no credential reaches another origin, no parameter leaves its place, and a
//! call ends by its deadline.

#[path = "../../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use oxgen_wire_tests::types::{Charge, ChargeItemsItem, Pet};
use oxgen_wire_tests::{BuildError, Client, Error, HeadersAndCookiesParams, Retry};
use support::{Canned, Recorded, Server};

const HEADER_KEY: &str = "header-key-123";
const QUERY_KEY: &str = "query-key-456";
const TOKEN: &str = "token-789";
const SESSION: &str = "session-abc";

/// A client of `server` with every kind of credential and no retries.
fn client(server: &Server) -> Client {
    Client::with_base_url(&server.url())
        .unwrap()
        .with_key_header(HEADER_KEY)
        .unwrap()
        .with_key_query(QUERY_KEY)
        .unwrap()
        .with_token(TOKEN)
        .unwrap()
        .with_session(SESSION)
        .unwrap()
        .with_retry(Retry::none())
}

fn no_content() -> Canned {
    Canned {
        headers: vec![],
        ..Canned::json(204, "")
    }
}

fn redirect_to(location: &str) -> Canned {
    Canned {
        headers: vec![("Location", location.to_owned())],
        ..Canned::json(302, "")
    }
}

/// Every credential, in whichever place it went.
fn assert_credentials(request: &Recorded) {
    assert_eq!(request.header("x-api-key"), Some(HEADER_KEY));
    assert_eq!(request.header("authorization"), Some("Bearer token-789"));
    assert_eq!(request.header("cookie"), Some("sid=session-abc"));
    assert!(
        request.target.contains("api_key=query-key-456"),
        "{}",
        request.target
    );
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_carries_nothing() {
    let elsewhere = Server::start(vec![no_content()]);
    let location = format!("{}/notes?x=1", elsewhere.url());
    let server = Server::start(vec![redirect_to(&location)]);
    let result = client(&server).get_file("a", &Default::default()).await;
    match result {
        Err(Error::Redirect {
            status,
            location: to,
        }) => {
            assert_eq!(status, 302);
            assert_eq!(to.as_deref(), Some(location.as_str()));
        }
        other => panic!("{other:?}"),
    }
    assert_credentials(&server.finish()[0]);
    // The other server was never asked.
    assert!(elsewhere.received().is_empty());
}

#[tokio::test]
async fn a_redirect_to_another_port_of_the_same_host_is_another_origin() {
    let elsewhere = Server::start(vec![no_content()]);
    let location = format!("http://127.0.0.1:{}/files/a", elsewhere.addr.port());
    let server = Server::start(vec![redirect_to(&location)]);
    let result = client(&server).get_file("a", &Default::default()).await;
    assert!(matches!(result, Err(Error::Redirect { .. })), "{result:?}");
    assert!(elsewhere.received().is_empty());
    // An upgrade to https is another origin too (and a downgrade to http,
    // which the same rule refuses).
    let server = Server::start(vec![redirect_to(&format!(
        "https://127.0.0.1:{}/files/a",
        elsewhere.addr.port()
    ))]);
    let result = client(&server).get_file("a", &Default::default()).await;
    assert!(matches!(result, Err(Error::Redirect { .. })), "{result:?}");
    server.finish();
}

#[tokio::test]
async fn a_redirect_on_the_same_origin_is_followed_with_credentials_and_no_referer() {
    let server = Server::start(vec![
        redirect_to("/files/b?q=moved"),
        Canned {
            headers: vec![("Content-Type", "application/octet-stream".into())],
            ..Canned::json(200, "bytes")
        },
    ]);
    let answer = client(&server)
        .get_file("a", &Default::default())
        .await
        .unwrap();
    assert_eq!(answer.into_inner(), b"bytes");
    let asked = server.finish();
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[1].target, "/files/b?q=moved");
    for request in &asked {
        assert_eq!(request.header("referer"), None, "{request:?}");
    }
    assert_eq!(asked[1].header("x-api-key"), Some(HEADER_KEY));
    assert_eq!(asked[1].header("authorization"), Some("Bearer token-789"));
}

#[tokio::test]
async fn too_many_same_origin_redirects_are_an_error() {
    let server = Server::start((0..11).map(|_| redirect_to("/files/a")).collect());
    let result = client(&server).get_file("a", &Default::default()).await;
    match result {
        Err(Error::Transport(e)) => assert!(e.is_redirect(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.finish().len(), 11);
}

#[tokio::test]
async fn dot_and_empty_path_segments_are_refused_before_sending() {
    let server = Server::start(vec![]);
    let client = client(&server);
    for (value, shown) in [("..", "\"..\""), (".", "\".\""), ("", "\"\"")] {
        let result = client.get_file(value, &Default::default()).await;
        match result {
            Err(Error::InvalidRequest(why)) => assert_eq!(
                why,
                format!(
                    "path parameter `name` makes the segment {shown} of /files/{{name}}: \
                     a segment cannot be empty, `.` or `..`"
                )
            ),
            other => panic!("{value:?}: {other:?}"),
        }
    }
    // A dot inside a segment is an ordinary character.
    let server = Server::start(vec![no_content()]);
    client_of(&server).put_file("..a", b"x").await.unwrap();
    assert_eq!(server.finish()[0].target, "/files/..a");
}

fn client_of(server: &Server) -> Client {
    Client::with_base_url(&server.url())
        .unwrap()
        .with_retry(Retry::none())
}

#[tokio::test]
async fn form_bodies_keep_nested_values_under_their_own_name() {
    let charge = Charge {
        amount: "100".into(),
        metadata: Some(BTreeMap::from([
            ("amount".to_owned(), "1".to_owned()),
            ("order id".to_owned(), "a&b".to_owned()),
        ])),
        tags: Some(vec!["x".into(), "y".into()]),
        items: Some(vec![ChargeItemsItem {
            price: Some("p_1".into()),
            quantity: Some(2),
        }]),
    };
    let server = Server::start(vec![no_content(), no_content()]);
    let client = client_of(&server);
    client.create_charge(&charge).await.unwrap();
    client.create_charge_encoded(&charge).await.unwrap();
    let asked = server.finish();
    // Without an `encoding`: objects as deepObject, lists repeating the name.
    assert_eq!(
        String::from_utf8_lossy(&asked[0].body),
        "amount=100&items[0][price]=p_1&items[0][quantity]=2\
         &metadata[amount]=1&metadata[order%20id]=a%26b&tags=x&tags=y"
    );
    // With one, as it says (`tags` pipe-delimited, `metadata` form unexploded).
    assert_eq!(
        String::from_utf8_lossy(&asked[1].body),
        "amount=100&items[0][price]=p_1&items[0][quantity]=2\
         &metadata=amount,1,order%20id,a%26b&tags=x|y"
    );
}

#[tokio::test]
async fn cookie_names_from_a_caller_map_cannot_add_a_cookie() {
    let params = HeadersAndCookiesParams {
        prefs: Some(BTreeMap::from([(
            "theme; admin=1; x".to_owned(),
            "dark".to_owned(),
        )])),
        ..Default::default()
    };
    let server = Server::start(vec![no_content()]);
    client_of(&server)
        .headers_and_cookies(&params)
        .await
        .unwrap();
    assert_eq!(
        server.finish()[0].header("cookie"),
        Some("theme%3B%20admin%3D1%3B%20x=dark")
    );
}

#[tokio::test]
async fn the_deadline_bounds_a_call_with_its_retries() {
    // A server slower than the deadline: the attempt is abandoned.
    let server = Server::start(vec![no_content().after(Duration::from_secs(3))]);
    let client = client_of(&server).with_retry(Retry {
        deadline: Duration::from_millis(300),
        ..Retry::default()
    });
    let started = Instant::now();
    let result = client.put_file("a", b"x").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    match result {
        Err(Error::Timeout { deadline }) => assert_eq!(deadline, Duration::from_millis(300)),
        other => panic!("{other:?}"),
    }
    // A wait that would end past the deadline is not started: the 503 is the answer.
    let unavailable = Canned::json(503, "").with_header("Retry-After", "5");
    let server = Server::start(vec![unavailable]);
    let client = client_of(&server).with_retry(Retry {
        max_delay: Duration::from_secs(10),
        deadline: Duration::from_secs(2),
        ..Retry::default()
    });
    let started = Instant::now();
    let result = client.put_file("a", b"x").await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let when = std::time::SystemTime::now() + Duration::from_secs(2);
    let date = httpdate::fmt_http_date(when);
    let server = Server::start(vec![
        Canned::json(503, "").with_header("Retry-After", &date),
        no_content(),
    ]);
    let client = client_of(&server).with_retry(Retry {
        max_retries: 1,
        initial_delay: Duration::from_millis(1),
        ..Retry::default()
    });
    let started = Instant::now();
    client.put_file("a", b"x").await.unwrap();
    // HTTP dates have whole seconds: at least one of the two is waited.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.finish().len(), 2);
}

#[tokio::test]
async fn retry_after_zero_still_spreads_the_retries() {
    let retries = 8;
    let mut answers: Vec<Canned> = (0..retries)
        .map(|_| Canned::json(503, "").with_header("Retry-After", "0"))
        .collect();
    answers.push(no_content());
    let server = Server::start(answers);
    let client = client_of(&server).with_retry(Retry {
        max_retries: retries,
        initial_delay: Duration::from_millis(300),
        ..Retry::default()
    });
    let started = Instant::now();
    client.put_file("a", b"x").await.unwrap();
    // Eight waits of up to 300 ms each: all eight under 100 ms together has a
    // chance of about one in 10^8.
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.finish().len(), 9);
}

/// `user:password@` in the base URL is a `Basic` credential: one
/// `Authorization` header, and a URL that no longer holds the secret.
#[tokio::test]
async fn a_base_url_with_a_password_is_shown_without_it() {
    let client = Client::with_base_url("http://user:hunter2@127.0.0.1:1/api").unwrap();
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("user:"),
        "{shown}"
    );
    assert!(shown.contains("\"http://127.0.0.1:1/api\""), "{shown}");
    assert_eq!(client.base_url(), "http://127.0.0.1:1/api");

    let server = Server::start(vec![Canned::json(200, r#"{"name": "a"}"#)]);
    let url = server.url().replace("http://", "http://user:hunter2@");
    let client = Client::with_base_url(&url)
        .unwrap()
        .with_retry(Retry::none());
    let pet = Pet {
        name: "a".into(),
        tag: None,
    };
    client.update_pet("a", &pet).await.unwrap();
    let request = server.finish().remove(0);
    let authorization: Vec<&str> = request
        .headers
        .iter()
        .filter(|(name, _)| name == "authorization")
        .map(|(_, value)| value.as_str())
        .collect();
    // base64("user:hunter2")
    assert_eq!(authorization, ["Basic dXNlcjpodW50ZXIy"]);
    let error = Client::with_base_url("ftp://user:hunter2@example.com").unwrap_err();
    assert!(matches!(error, BuildError::InvalidBaseUrl(_)));
    for shown in [format!("{error:?}"), error.to_string()] {
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}

#[tokio::test]
async fn duplicate_members_are_refused_as_serde_derive_refuses_them() {
    for body in [
        r#"{"name": "a", "name": "b"}"#,
        r#"{"name": "a", "tag": null, "tag": "x"}"#,
    ] {
        let server = Server::start(vec![Canned::json(200, body)]);
        let pet = Pet {
            name: "a".into(),
            tag: None,
        };
        let result = client_of(&server).update_pet("a", &pet).await;
        match result {
            Err(Error::Decode(e)) => {
                assert!(
                    e.source().to_string().starts_with("duplicate field `"),
                    "{e}"
                );
                let message = e.source().to_string();
                let field = message.split('`').nth(1).unwrap();
                assert_eq!(e.path(), field, "the path names the member given twice");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_error_keeps_the_start_of_a_large_body_only() {
    // 300 three-byte characters: the cut at 512 bytes falls inside one.
    let body = "€".repeat(300) + &"x".repeat(1 << 20);
    let server = Server::start(vec![Canned::json(418, &body)]);
    match client_of(&server).put_file("a", b"x").await {
        Err(Error::UnexpectedStatus { body: snippet, .. }) => {
            assert_eq!(snippet.text, "€".repeat(170));
            assert!(snippet.truncated);
        }
        other => panic!("{other:?}"),
    }
}

/// Each credential alone, byte for byte where its scheme puts it, and only
/// there.
#[tokio::test]
async fn each_credential_scheme_travels_exactly_where_it_says() {
    type Configure = fn(Client) -> Client;
    /// The header a credential goes in, if any: name and value.
    type Header = Option<(&'static str, &'static str)>;
    let cases: [(&str, Configure, &str, Header); 5] = [
        (
            "apiKey in header",
            |c| c.with_key_header(HEADER_KEY).unwrap(),
            "/files/a",
            Some(("x-api-key", HEADER_KEY)),
        ),
        (
            "apiKey in query",
            |c| c.with_key_query(QUERY_KEY).unwrap(),
            "/files/a?api_key=query-key-456",
            None,
        ),
        (
            "apiKey in cookie",
            |c| c.with_session(SESSION).unwrap(),
            "/files/a",
            Some(("cookie", "sid=session-abc")),
        ),
        (
            "http bearer",
            |c| c.with_token(TOKEN).unwrap(),
            "/files/a",
            Some(("authorization", "Bearer token-789")),
        ),
        (
            "http basic",
            |c| c.with_basic("user", "p@ss:word").unwrap(),
            "/files/a",
            // base64("user:p@ss:word"): only the first colon separates.
            Some(("authorization", "Basic dXNlcjpwQHNzOndvcmQ=")),
        ),
    ];
    for (scheme, configure, target, header) in cases {
        let server = Server::start(vec![Canned::json(200, "x")]);
        let client = configure(Client::with_base_url(&server.url()).unwrap());
        client
            .get_file("a", &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{scheme}: {e}"));
        let request = server.finish().remove(0);
        assert_eq!(request.method, "GET", "{scheme}");
        assert_eq!(request.target, target, "{scheme}");
        let credentials: Vec<(&str, &str)> = request
            .headers
            .iter()
            .filter(|(name, _)| ["x-api-key", "cookie", "authorization"].contains(&name.as_str()))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        assert_eq!(credentials, Vec::from_iter(header), "{scheme}");
    }
}
