//! Streamed answers against a server on 127.0.0.1 that writes its answer
//! in pieces, with pauses, as a real streaming API does.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use futures_util::StreamExt;
use oxgen_runtime::{Error, Event, Framing, Query, RawResponse, Retry, Transport};
use reqwest::Method;

#[derive(Debug, PartialEq, oxgen_runtime::Object)]
struct Chunk {
    n: u32,
}

#[derive(Debug, PartialEq, oxgen_runtime::Object)]
struct Problem {
    message: String,
}

enum Step {
    Write(&'static str),
    Pause(Duration),
}

/// A server that answers one request with `head` and then `steps`, and
/// closes; its base URL.
fn serve(head: &'static str, steps: Vec<Step>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut byte = [0; 1];
        while !request.ends_with(b"\r\n\r\n") && socket.read(&mut byte).unwrap() == 1 {
            request.push(byte[0]);
        }
        socket.write_all(head.as_bytes()).unwrap();
        for step in steps {
            match step {
                Step::Write(text) => {
                    socket.write_all(text.as_bytes()).unwrap();
                    socket.flush().unwrap();
                }
                Step::Pause(pause) => std::thread::sleep(pause),
            }
        }
    });
    url
}

const EVENTS: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
const LINES: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/jsonl\r\nconnection: close\r\n\r\n";

fn transport(url: &str, deadline: Duration, max_body: usize) -> Transport {
    Transport::new(url)
        .unwrap()
        .retry(Retry {
            max_retries: 0,
            deadline,
            ..Retry::default()
        })
        .max_body(max_body)
}

fn problem(response: RawResponse) -> Error<Problem> {
    match response.status() {
        400 => response.api_error(),
        _ => response.unexpected(),
    }
}

fn ok(status: u16) -> bool {
    status == 200
}

#[tokio::test]
async fn events_arrive_typed_as_they_come_split_anywhere() {
    let pause = || Step::Pause(Duration::from_millis(30));
    let url = serve(
        EVENTS,
        vec![
            Step::Write(": connected\n\nretry: 3000\nid: a"),
            pause(),
            Step::Write("1\nevent: delta\ndata: {\"n\":\ndata: 1}\n"),
            pause(),
            Step::Write("\n:keep-alive\n\ndata: {\"n\":2}\r"),
            pause(),
            Step::Write("\n\r\ndata: {\"n\":3}\n"),
        ],
    );
    let response = transport(&url, Duration::from_secs(5), 1 << 20)
        .request("events", Method::GET, "/events", Query::default())
        .accept("text/event-stream")
        .send_events::<Chunk, Problem>(ok, problem)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let events: Vec<Event<Chunk>> = response
        .into_inner()
        .map(|event| event.unwrap())
        .collect()
        .await;
    let retry = Some(Duration::from_millis(3000));
    assert_eq!(
        events,
        [
            Event {
                event: "delta".into(),
                id: Some("a1".into()),
                retry,
                data: Chunk { n: 1 }
            },
            Event {
                event: "message".into(),
                id: Some("a1".into()),
                retry,
                data: Chunk { n: 2 }
            },
            // `{"n":3}` never got its blank line: not dispatched.
        ]
    );
}

#[tokio::test]
async fn a_stream_that_stalls_ends_with_a_timeout_after_what_arrived() {
    let url = serve(
        EVENTS,
        vec![
            Step::Write("data: {\"n\":1}\n\n"),
            Step::Pause(Duration::from_secs(3)),
            Step::Write("data: {\"n\":2}\n\n"),
        ],
    );
    let deadline = Duration::from_millis(300);
    let mut events = transport(&url, deadline, 1 << 20)
        .request("events", Method::GET, "/events", Query::default())
        .send_events::<Chunk, Problem>(ok, problem)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(events.next().await.unwrap().unwrap().data, Chunk { n: 1 });
    match events.next().await {
        Some(Err(Error::Timeout { deadline: waited })) => assert_eq!(waited, deadline),
        other => panic!("{other:?}"),
    }
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_error_status_is_the_documented_error_not_a_stream() {
    let url = serve(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n",
        vec![Step::Write("{\"message\":\"nope\"}  ")],
    );
    let error = transport(&url, Duration::from_secs(5), 1 << 20)
        .request("events", Method::GET, "/events", Query::default())
        .send_events::<Chunk, Problem>(ok, problem)
        .await
        .unwrap_err();
    match error {
        Error::Api { status, body } => {
            assert_eq!(status, 400);
            assert_eq!(body.message, "nope");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_body_limit_holds_per_event_not_for_the_whole_stream() {
    let url = serve(
        EVENTS,
        vec![
            Step::Write("data: {\"n\":1}\n\n"),
            Step::Write("data: {\"n\":2}\n\n"),
            Step::Write("data: {\"n\":3}\n\n"),
            Step::Write("data: {\"n\": 4000000000000000000000000000000}\n\n"),
        ],
    );
    // Each small event fits, the three together do not, the last does not.
    let items: Vec<_> = transport(&url, Duration::from_secs(5), 24)
        .request("events", Method::GET, "/events", Query::default())
        .send_events::<Chunk, Problem>(ok, problem)
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[..3].iter().all(Result::is_ok), "{items:?}");
    assert!(
        matches!(items[3], Err(Error::BodyTooLarge { limit: 24, .. })),
        "{items:?}"
    );
}

#[tokio::test]
async fn json_lines_name_a_malformed_line_and_go_on() {
    let url = serve(
        LINES,
        vec![
            Step::Write("{\"n\":1}\n{\"n\":"),
            Step::Pause(Duration::from_millis(30)),
            Step::Write("2}\n{\"n\": \"three\"}\n\n{\"n\":4}"),
        ],
    );
    let items: Vec<Result<Chunk, Error<Problem>>> =
        transport(&url, Duration::from_secs(5), 1 << 20)
            .request("lines", Method::GET, "/lines", Query::default())
            .send_json_seq::<Chunk, Problem>(Framing::JsonLines, ok, problem)
            .await
            .unwrap()
            .into_inner()
            .collect()
            .await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap(), &Chunk { n: 1 });
    assert_eq!(items[1].as_ref().unwrap(), &Chunk { n: 2 });
    match &items[2] {
        Err(Error::Decode(error)) => {
            assert_eq!(error.item(), Some("line 3"));
            assert_eq!(error.body(), b"{\"n\": \"three\"}");
            assert!(
                error
                    .to_string()
                    .starts_with("cannot decode line 3 of the 200 OK response: n: invalid type"),
                "{error}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A last line without a newline is a value too.
    assert_eq!(items[3].as_ref().unwrap(), &Chunk { n: 4 });
}
