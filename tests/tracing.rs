//! With the `tracing` feature, each request runs in a span naming its
//! operation and method; nothing recorded carries the token or the URL.
//! Run with `cargo test --features tracing --test tracing`.
#![cfg(feature = "tracing")]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kantata::{Client, GetUsersParams, Retry};
use support::{Canned, Server};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const TOKEN: &str = "secret-token-123";

/// Records every span and event as text: name, then `field=value` pairs.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = Line(format!("span {}", span.metadata().name()));
        span.record(&mut line);
        let mut lines = self.lines.lock().unwrap();
        lines.push(line.0);
        Id::from_u64(lines.len() as u64)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = Line("record".into());
        values.record(&mut line);
        self.lines.lock().unwrap().push(line.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line("event".into());
        event.record(&mut line);
        self.lines.lock().unwrap().push(line.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[test]
fn each_request_has_a_span_without_secrets() {
    let recorder = Recorder::default();
    let server = Server::start(vec![
        Canned::json(503, r#"{"errors": []}"#),
        Canned::json(200, r#"{"results": []}"#),
    ]);
    let client = Client::with_base_url(&server.url(), TOKEN)
        .unwrap()
        .with_retry(Retry {
            max_retries: 1,
            initial_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            all_methods: false,
            ..Retry::default()
        });
    let params = GetUsersParams {
        search: Some("needle".into()),
        ..Default::default()
    };
    tracing::subscriber::with_default(recorder.clone(), || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(client.get_users(&params)).unwrap();
    });
    server.finish();
    let lines = recorder.lines.lock().unwrap().clone();
    assert!(
        lines
            .iter()
            .any(|l| l == "span request operation=\"get_users\" method=GET"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("event message=retrying attempt=0 status=503 delay_ms=")),
        "{lines:#?}"
    );
    for line in &lines {
        assert!(!line.contains(TOKEN), "{line}");
        assert!(!line.contains("needle"), "the query stays out: {line}");
    }
}
