//! A misbehaving server on 127.0.0.1: every fault becomes a typed error, none
//! panics, and the token shows up in no error, whatever its form.

mod support;

use std::time::Duration;

use kantata::types::{Errors, UserEnvelope};
use kantata::{Client, Error, GetMyUserDataParams, Response, Retry};
use support::{Canned, Server};

const TOKEN: &str = "secret-token-123";

fn client(server: &Server) -> Client {
    Client::with_base_url(&server.url(), TOKEN)
        .unwrap()
        .with_retry(Retry::none())
}

async fn me(client: &Client) -> Result<Response<UserEnvelope>, Error<Errors>> {
    client
        .get_my_user_data(&GetMyUserDataParams::default())
        .await
}

/// The error, after checking that neither its `Debug` nor its `Display` form
/// carries the token.
fn error(result: Result<Response<UserEnvelope>, Error<Errors>>) -> Error<Errors> {
    let error = result.expect_err("the fault must be an error");
    for shown in [format!("{error:?}"), error.to_string()] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
    error
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_body() {
    let server = Server::start(vec![Canned::json(200, r#"{"results": [{"key": "users", "#)]);
    match error(me(&client(&server)).await) {
        Error::Decode(e) => {
            assert_eq!(e.status(), 200);
            assert_eq!(e.body(), br#"{"results": [{"key": "users", "#);
            assert_eq!(e.path(), "results[0]");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wrong_types_are_a_decode_error() {
    let server = Server::start(vec![Canned::json(200, r#"{"results": "all of them"}"#)]);
    match error(me(&client(&server)).await) {
        Error::Decode(e) => {
            assert_eq!(e.status(), 200);
            assert_eq!(e.path(), "results");
            assert!(
                e.source().to_string().contains("invalid type: string"),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_content_type_is_a_decode_error() {
    let page = Canned {
        headers: vec![("Content-Type", "text/html".into())],
        ..Canned::json(200, "<html><body>Maintenance</body></html>")
    };
    let server = Server::start(vec![page]);
    match error(me(&client(&server)).await) {
        Error::Decode(e) => assert!(e.body().starts_with(b"<html>")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let server = Server::start(vec![Canned::raw(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"results\": [",
    )]);
    assert!(matches!(
        error(me(&client(&server)).await),
        Error::Transport(_)
    ));
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_transport_error() {
    let server = Server::start(vec![Canned::raw("")]);
    assert!(matches!(
        error(me(&client(&server)).await),
        Error::Transport(_)
    ));
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_length() {
    let big = format!(r#"{{"results": [], "padding": "{}"}}"#, "x".repeat(100_000));
    let server = Server::start(vec![Canned::json(200, &big)]);
    let client = client(&server).with_max_body_size(1024);
    match error(me(&client).await) {
        Error::BodyTooLarge { status, limit } => assert_eq!((status.as_u16(), limit), (200, 1024)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_cut_off_while_streaming() {
    // Chunked: no length up front, so the limit is found while reading.
    let chunk = format!("3e8\r\n{}\r\n", "x".repeat(1000));
    let raw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{}0\r\n\r\n",
        chunk.repeat(5)
    );
    let server = Server::start(vec![Canned::raw(raw)]);
    let client = client(&server).with_max_body_size(2500);
    match error(me(&client).await) {
        Error::BodyTooLarge { limit, .. } => assert_eq!(limit, 2500),
        other => panic!("{other:?}"),
    }
    // An error answer goes through the same limit.
    let server = Server::start(vec![Canned::json(401, &"x".repeat(5000))]);
    let client = self::client(&server).with_max_body_size(100);
    assert!(matches!(
        error(me(&client).await),
        Error::BodyTooLarge { .. }
    ));
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = Server::start(vec![
        Canned::json(200, r#"{"results": []}"#).after(Duration::from_secs(2)),
    ]);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let client = Client::from_parts(http, &server.url(), TOKEN)
        .unwrap()
        .with_retry(Retry::none());
    match error(me(&client).await) {
        Error::Transport(e) => assert!(e.is_timeout(), "{e}"),
        other => panic!("{other:?}"),
    }
}

/// A redirect to another origin is not followed: the token stays home, and
/// the caller gets the 3xx with its location.
#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    let elsewhere = Server::start(vec![Canned::json(200, r#"{"results": []}"#)]);
    let redirect = format!(
        "HTTP/1.1 302 Found\r\nLocation: {}/users/me\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        elsewhere.url()
    );
    let server = Server::start(vec![Canned::raw(redirect)]);
    match error(me(&client(&server)).await) {
        Error::Redirect { status, location } => {
            assert_eq!(status, 302);
            assert_eq!(location, Some(format!("{}/users/me", elsewhere.url())));
        }
        other => panic!("{other:?}"),
    }
    let asked = server.finish();
    assert_eq!(
        asked[0].header("authorization"),
        Some("Bearer secret-token-123")
    );
    assert!(elsewhere.received().is_empty());
}

#[test]
fn the_client_does_not_show_its_token() {
    let client = Client::new(TOKEN).unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}
