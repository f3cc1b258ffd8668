//! Prints a completion's events as they arrive: a server on 127.0.0.1
//! writes one every 200 ms, and each line shows when it was read.
//!
//! `cargo run -p oxgen-wire-tests --example events`

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use oxgen_wire_tests::Client;
use oxgen_wire_tests::types::Prompt;

/// Answers one request with `text/event-stream`: a word per event, then the
/// end marker.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("a connection");
        let mut request = [0; 4096];
        let _ = socket.read(&mut request);
        let mut send = |text: &str| {
            socket.write_all(text.as_bytes()).expect("the client reads");
            socket.flush().expect("the client reads");
        };
        send("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n");
        for (i, word) in ["Streams", "arrive", "one", "event", "at", "a", "time."]
            .iter()
            .enumerate()
        {
            std::thread::sleep(Duration::from_millis(200));
            send(&format!("id: {i}\ndata: {{\"delta\": \"{word} \"}}\n\n"));
        }
        send("data: [DONE]\n\n");
    });
    url
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::with_base_url(&serve())?;
    let prompt = Prompt {
        prompt: "Say how streams arrive".into(),
        stream: Some(true),
    };
    let started = Instant::now();
    let mut events = client.complete_stream(&prompt).await?.into_inner();
    while let Some(event) = events.next().await {
        let event = event?;
        println!(
            "{:>5} ms  {} #{}: {:?}",
            started.elapsed().as_millis(),
            event.event,
            event.id.as_deref().unwrap_or("-"),
            event.data.delta
        );
    }
    Ok(())
}
