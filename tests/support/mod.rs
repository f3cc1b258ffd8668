//! A minimal HTTP/1.1 server on 127.0.0.1 for tests: it records each request
//! and answers with canned responses, one per connection, in order.

// Each test crate that includes this module uses a different part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::thread;

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names lowercased, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    /// Sent instead of a well-formed answer, byte for byte.
    pub raw: Option<Vec<u8>>,
    /// Sent after `raw`, each piece after a pause: an answer that streams.
    pub then: Vec<Vec<u8>>,
    /// Waited before answering.
    pub delay: std::time::Duration,
}

impl Canned {
    pub fn json(status: u16, body: &str) -> Self {
        Canned {
            status,
            headers: vec![("Content-Type", "application/json".into())],
            body: body.to_owned(),
            raw: None,
            then: Vec::new(),
            delay: std::time::Duration::ZERO,
        }
    }

    /// `pieces`, the first at once and each other after a short pause, so
    /// that the client reads them apart; the connection closes after them.
    pub fn streamed(pieces: &[&str]) -> Self {
        let (first, rest) = pieces.split_first().expect("at least one piece");
        Canned {
            then: rest.iter().map(|p| p.as_bytes().to_vec()).collect(),
            ..Canned::raw(first.as_bytes())
        }
    }

    /// Exactly these bytes, however malformed; empty closes the connection
    /// without an answer.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Self {
        Canned {
            raw: Some(bytes.into()),
            ..Canned::json(200, "")
        }
    }

    pub fn after(mut self, delay: std::time::Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Server {
    /// Serves `responses` in order, then stops accepting.
    pub fn start(responses: Vec<Canned>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
        let addr = listener.local_addr().expect("bound address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let handle = thread::spawn(move || {
            for canned in responses {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                let Some(request) = read_request(&mut reader) else {
                    return;
                };
                recorded.lock().unwrap().push(request);
                let mut stream = reader.into_inner();
                thread::sleep(canned.delay);
                if let Some(raw) = &canned.raw {
                    let _ = stream.write_all(raw);
                    let _ = stream.flush();
                    for piece in &canned.then {
                        thread::sleep(std::time::Duration::from_millis(20));
                        let _ = stream.write_all(piece);
                        let _ = stream.flush();
                    }
                    continue;
                }
                let mut head = format!("HTTP/1.1 {} Test\r\n", canned.status);
                for (name, value) in &canned.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!(
                    "Content-Length: {}\r\nConnection: close\r\n\r\n",
                    canned.body.len()
                ));
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(canned.body.as_bytes());
                let _ = stream.flush();
            }
        });
        Server {
            addr,
            requests,
            handle: Some(handle),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What was received so far, without waiting for the rest.
    pub fn received(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// Waits until every canned response went out; returns what was received.
    pub fn finish(mut self) -> Vec<Recorded> {
        if let Some(handle) = self.handle.take() {
            handle.join().expect("server thread");
        }
        self.requests.lock().unwrap().clone()
    }
}

fn read_request(reader: &mut impl BufRead) -> Option<Recorded> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}
