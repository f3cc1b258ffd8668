//! Streamed answers through the generated client: Server-Sent Events beside
//! a JSON answer (two methods), JSON Lines (one), against a server on
//! 127.0.0.1 that writes its answer in pieces; and the typed mocks that
//! stream.

#[path = "../../support/mod.rs"]
mod support;

use futures_util::StreamExt;
use oxgen_wire_tests::mock::{MockServer, MockServerExt};
use oxgen_wire_tests::types::{Chunk, Prompt};
use oxgen_wire_tests::{Client, Error, Event};
use support::{Canned, Server};

const EVENTS: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";

fn prompt() -> Prompt {
    Prompt {
        prompt: "Say hi".into(),
        stream: Some(true),
    }
}

fn chunk(delta: &str) -> Chunk {
    Chunk {
        delta: delta.into(),
    }
}

#[tokio::test]
async fn events_arrive_typed_whatever_the_reads_cut() {
    let server = Server::start(vec![Canned::streamed(&[
        EVENTS,
        ": warming up\n\ndata: {\"delta\":",
        "\"Hel\"}\n\nid: 2\ndata: {\"delta\":\"lo\"}\r",
        "\n\r\ndata: [DONE]\n\n",
    ])]);
    let client = Client::with_base_url(&server.url()).unwrap();
    let response = client.complete_stream(&prompt()).await.unwrap();
    assert_eq!(response.status(), 200);
    let events: Vec<Event<Chunk>> = response
        .into_inner()
        .map(|event| event.unwrap())
        .collect()
        .await;
    let deltas: Vec<(&str, Option<&str>)> = events
        .iter()
        .map(|e| (e.data.delta.as_str(), e.id.as_deref()))
        .collect();
    assert_eq!(deltas, [("Hel", None), ("lo", Some("2"))]);
    assert!(events.iter().all(|e| e.event == "message"));

    let requests = server.finish();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].target, "/completions");
    assert_eq!(
        requests[0].header("accept"),
        Some("text/event-stream, application/json")
    );
    assert_eq!(
        requests[0].body,
        br#"{"prompt":"Say hi","stream":true}"#.to_vec()
    );
}

#[tokio::test]
async fn a_documented_error_comes_before_any_event() {
    let server = Server::start(vec![Canned::json(400, r#"{"message":"empty prompt"}"#)]);
    let client = Client::with_base_url(&server.url()).unwrap();
    match client.complete_stream(&prompt()).await {
        Err(Error::Api { status, body }) => {
            assert_eq!(status, 400);
            assert_eq!(body.message.as_deref(), Some("empty prompt"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_whole_answer_keeps_its_own_method() {
    let server = Server::start(vec![Canned::json(200, r#"{"text":"Hello"}"#)]);
    let client = Client::with_base_url(&server.url()).unwrap();
    let completion = client.complete(&prompt()).await.unwrap();
    assert_eq!(completion.text, "Hello");
    assert_eq!(
        server.finish()[0].header("accept"),
        Some("application/json")
    );
}

#[tokio::test]
async fn json_lines_go_on_past_a_line_that_does_not_decode() {
    let server = Server::start(vec![Canned::streamed(&[
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\nconnection: close\r\n\r\n",
        "{\"delta\":\"a\"}\n{\"delta\":",
        "7}\n{\"delta\":\"c\"}",
    ])]);
    let client = Client::with_base_url(&server.url()).unwrap();
    let lines: Vec<_> = client
        .log_lines()
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0].as_ref().unwrap(), &chunk("a"));
    match &lines[1] {
        Err(Error::Decode(error)) => assert_eq!(error.item(), Some("line 2")),
        other => panic!("{other:?}"),
    }
    assert_eq!(lines[2].as_ref().unwrap(), &chunk("c"));
    assert_eq!(
        server.finish()[0].header("accept"),
        Some("application/x-ndjson")
    );
}

#[tokio::test]
async fn the_typed_mocks_stream_what_they_are_given() {
    let server = MockServer::start_async().await;
    let chunks = [chunk("Hel"), chunk("lo")];
    let mock = server.complete(|when, then| {
        when.body(&prompt());
        then.ok_stream(&chunks);
    });
    let client = Client::with_base_url(&server.base_url()).unwrap();
    let events: Vec<Chunk> = client
        .complete_stream(&prompt())
        .await
        .unwrap()
        .into_inner()
        .map(|event| event.unwrap().data)
        .collect()
        .await;
    assert_eq!(events, chunks);
    mock.assert();

    let mock = server.log_lines(|_, then| {
        then.ok(&chunks);
    });
    let lines: Vec<Chunk> = client
        .log_lines()
        .await
        .unwrap()
        .into_inner()
        .map(|line| line.unwrap())
        .collect()
        .await;
    assert_eq!(lines, chunks);
    mock.assert();
}
