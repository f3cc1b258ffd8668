//! The generated client at run time, against hand-written code for the same
//! job: decoding a 1 MB Kantata envelope, and calling a server on 127.0.0.1.
//! `cargo bench --bench runtime` prints medians; BENCHMARKS.md records them.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// The envelope as a careful person would write it by hand for this job.
#[derive(Deserialize)]
#[allow(dead_code)]
struct HandEnvelope {
    count: Option<i64>,
    meta: Option<HandMeta>,
    results: Vec<HandRef>,
    #[serde(default)]
    users: HashMap<String, HandUser>,
    #[serde(default)]
    roles: HashMap<String, HandRole>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandMeta {
    count: Option<i64>,
    page_count: Option<i64>,
    page_number: Option<i64>,
    page_size: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandRef {
    key: String,
    id: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandUser {
    id: String,
    full_name: Option<String>,
    email_address: Option<String>,
    headline: Option<String>,
    photo_path: Option<String>,
    manager_id: Option<String>,
    role_id: Option<String>,
    skill_ids: Option<Vec<String>>,
    bio: Option<String>,
    city: Option<String>,
    country: Option<String>,
    website: Option<String>,
    last_site_activity: Option<chrono::DateTime<chrono::FixedOffset>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandRole {
    id: String,
    name: Option<String>,
}

/// An envelope of about 1 MB: users with every common field, some `null`.
fn envelope(users: usize) -> String {
    let mut results = Vec::new();
    let mut entries = Vec::new();
    for i in 0..users {
        results.push(format!(r#"{{"key": "users", "id": "{i}"}}"#));
        entries.push(format!(
            r#""{i}": {{"id": "{i}", "full_name": "User Number {i}", "email_address": "user{i}@example.com",
            "headline": {headline}, "photo_path": "https://example.com/photos/{i}.png",
            "manager_id": "{manager}", "role_id": "7", "skill_ids": ["1", "2", "3"],
            "bio": "Writes software and reviews generated diffs.", "city": "Lisbon", "country": null,
            "website": "https://example.com/~{i}", "last_site_activity": "2026-11-{day:02}T09:15:{second:02}-05:00"}}"#,
            headline = if i % 3 == 0 { "null".to_owned() } else { format!("\"Engineer {i}\"") },
            manager = i / 10,
            day = 1 + i % 30,
            second = i % 60,
        ));
    }
    format!(
        r#"{{"count": {users}, "meta": {{"count": {users}, "page_count": 1, "page_number": 1, "page_size": {users}}},
        "results": [{}], "users": {{{}}}, "roles": {{"7": {{"id": "7", "name": "Engineer"}}}}}}"#,
        results.join(","),
        entries.join(",")
    )
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

/// A keep-alive HTTP/1.1 server answering every request with `body`.
fn serve(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut stream = stream;
                loop {
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let line = line.trim_end();
                        if line.is_empty() {
                            break;
                        }
                        if let Some(value) =
                            line.to_ascii_lowercase().strip_prefix("content-length:")
                        {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut discard = vec![0; length];
                    if reader.read_exact(&mut discard).is_err() {
                        return;
                    }
                    // One write: a head and a body sent apart would wait on
                    // delayed ACKs (Nagle), 40 ms a request.
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

/// A server answering every request with a one-user envelope, and the two
/// clients of it.
struct Clients {
    url: String,
    runtime: tokio::runtime::Runtime,
    client: kantata::Client,
    bare: reqwest::Client,
    params: kantata::GetUserParams,
}

fn clients() -> Clients {
    let url = serve(envelope(1));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = kantata::Client::with_base_url(&url, "token").unwrap();
    Clients {
        url,
        runtime,
        client,
        bare: reqwest::Client::new(),
        params: kantata::GetUserParams::default(),
    }
}

impl Clients {
    /// One request of the generated client: build, send, read, decode.
    async fn generated(&self) {
        std::hint::black_box(self.client.get_user("1", &self.params).await.unwrap());
    }

    /// The same work with reqwest alone: bearer token, `Accept`, body, decode.
    async fn bare(&self) {
        let response = self
            .bare
            .get(format!("{}/users/1", self.url))
            .bearer_auth("token")
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        let bytes = response.bytes().await.unwrap();
        std::hint::black_box(
            serde_json::from_slice::<kantata::types::UserEnvelope>(&bytes).unwrap(),
        );
    }
}

fn main() {
    // `RUNTIME_BENCH_ONLY=generated` (or `bare`) makes `RUNTIME_BENCH_REQUESTS`
    // requests of that client alone and nothing else, for counting
    // instructions under callgrind (`bench/request-instructions.sh`).
    if let Ok(side) = std::env::var("RUNTIME_BENCH_ONLY") {
        let requests: usize = std::env::var("RUNTIME_BENCH_REQUESTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        return requests_alone(&side, requests);
    }
    let json = envelope(2600);
    println!(
        "decode: a {} KB envelope of 2600 users, median of 31 runs",
        json.len() / 1024
    );
    // Alternated, so that neither side runs on a colder allocator or cache.
    let (mut generated, mut hand) = (Vec::new(), Vec::new());
    for _ in 0..31 {
        generated.push(time(1, || {
            serde_json::from_str::<kantata::types::UserEnvelope>(&json).unwrap()
        }));
        hand.push(time(1, || {
            serde_json::from_str::<HandEnvelope>(&json).unwrap()
        }));
    }
    let (generated, hand) = (median(generated), median(hand));
    println!(
        "  generated types:   {:>8.2} ms",
        generated.as_secs_f64() * 1e3
    );
    println!("  hand-written:      {:>8.2} ms", hand.as_secs_f64() * 1e3);
    println!(
        "  ratio:             {:>8.2}x",
        generated.as_secs_f64() / hand.as_secs_f64()
    );

    let clients = clients();
    let requests = 20_000;
    clients.runtime.block_on(async {
        // Warm both connection pools.
        clients.generated().await;
        clients.bare().await;
        // Request by request, alternating which goes first: the loopback's
        // round trip varies more between minutes than the difference being
        // measured, and a difference of neighbours cancels that drift.
        let (mut generated, mut direct, mut differences) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..requests {
            let mut pair = [Duration::ZERO; 2];
            for side in [i % 2, 1 - i % 2] {
                let start = Instant::now();
                if side == 0 {
                    clients.generated().await;
                } else {
                    clients.bare().await;
                }
                pair[side] = start.elapsed();
            }
            generated.push(pair[0]);
            direct.push(pair[1]);
            differences.push(pair[0].as_secs_f64() - pair[1].as_secs_f64());
        }
        differences.sort_by(f64::total_cmp);
        let quartile = |q: usize| differences[differences.len() * q / 4] * 1e6;
        let (generated, direct) = (median(generated), median(direct));
        println!(
            "request: GET /users/1 on 127.0.0.1, keep-alive, {requests} pairs alternating, medians"
        );
        println!(
            "  generated client:  {:>8.1} us",
            generated.as_secs_f64() * 1e6
        );
        println!(
            "  bare reqwest:      {:>8.1} us",
            direct.as_secs_f64() * 1e6
        );
        println!(
            "  difference:        {:>8.1} us (of each pair; quartiles {:.1} to {:.1} us)",
            quartile(2),
            quartile(1),
            quartile(3)
        );
    });
}

fn requests_alone(side: &str, requests: usize) {
    let clients = clients();
    clients.runtime.block_on(async {
        for _ in 0..requests {
            match side {
                "generated" => clients.generated().await,
                "bare" => clients.bare().await,
                other => panic!("RUNTIME_BENCH_ONLY is `generated` or `bare`, not `{other}`"),
            }
        }
    });
}
