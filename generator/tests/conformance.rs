//! Every operation of real APIs, called with sample arguments made from its
//! schemas (every optional one set) against Stoplight Prism, an independent
//! OpenAPI mock server: once validating each request (`--errors`), once
//! answering with random data from the response schemas (`-d`). Counts per
//! document how many requests it accepts and how many answers decode, and
//! writes them, with every call that fell short, to
//! `target/conformance-report.md` (`docs/conformance.md` holds the figures
//! and why each shortfall is not the client's).
//!
//! Needs Prism: `OXGEN_PRISM` names its executable (`.ci/run` installs a
//! pinned one). Without it the test says so and passes, unless
//! `OXGEN_REQUIRE_PRISM` is set, as CI sets it.

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::json_schema::{Reading, load, unescape, validate_as, walk};

/// The documents called, from `../shared/corpus`.
const DOCUMENTS: &[&str] = &[
    "oai-petstore.yaml",
    "oai-petstore-expanded.yaml",
    "twilio_lookups_v2.json",
    "progenitor-nexus.json",
    "slack_web_openapi_v2.json",
    "discord-openapi.json",
    "github-api.github.com.json",
];

/// The runner: calls every operation of one document's client against a
/// URL and prints each call as a line of JSON (`{arms}`: a match arm per
/// document).
const RUNNER: &str = r#"//! Calls every operation of one document's client against a URL.

macro_rules! calls {
    ($module:ident, $url:expr) => {{
        use oxgen_conformance::$module::conformance::{self, Outcome};
        let client = conformance::client($url).expect("a client");
        conformance::every_operation(&client)
            .await
            .into_iter()
            .map(|call| {
                let (outcome, status, body) = match call.outcome {
                    Outcome::NotDecoded { status, error, body } => {
                        (format!("NotDecoded({error:?})"), Some(status), Some(body))
                    }
                    other => (format!("{other:?}"), None, None),
                };
                serde_json::json!({
                    "operation": call.operation,
                    "pointer": call.pointer,
                    "outcome": outcome,
                    "status": status,
                    "body": body,
                })
                .to_string()
            })
            .collect::<Vec<String>>()
    }};
}

async fn calls(module: &str, url: &str) -> Vec<String> {
    match module {
{arms}        other => panic!("no module {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for line in runtime.block_on(calls(&args[1], &args[2])) {
        println!("{line}");
    }
}
"#;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Prism serving `document` on a free port of 127.0.0.1, until dropped.
struct Prism(Child);

impl Prism {
    /// Prism's log (what it received, and whether each request passed its
    /// validation) goes to `log`.
    fn start(prism: &str, document: &Path, random: bool, log: &Path) -> (Prism, String) {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new(prism);
        command
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            // Random answers, from one seed: the same every run.
            .args(if random {
                &["--dynamic", "--seed", "oxgen"][..]
            } else {
                &["--errors"][..]
            })
            .arg(document)
            .stdout(fs::File::create(log).unwrap())
            .stderr(Stdio::null());
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {prism}: {e}"));
        let mut server = Prism(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.0.try_wait() {
                panic!(
                    "Prism exited ({status}) before serving {}",
                    document.display()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "Prism did not serve {} within five minutes",
                document.display()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        (server, format!("http://127.0.0.1:{port}"))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One call, as the runner prints it (a JSON object per line).
#[derive(serde::Deserialize)]
struct Call {
    operation: String,
    /// The operation's JSON pointer in the document.
    pointer: String,
    outcome: String,
    /// For an answer that did not decode: its status and whole body.
    status: Option<u16>,
    body: Option<String>,
}

impl Call {
    fn answered(&self) -> bool {
        self.outcome.starts_with("Answered(")
    }

    fn not_decoded(&self) -> bool {
        self.outcome.starts_with("NotDecoded(")
    }

    /// Prism refuses a request it finds invalid with 422 (or, for missing
    /// credentials, 401).
    fn refused(&self) -> bool {
        self.outcome.starts_with("Status(422") || self.outcome.starts_with("Status(401")
    }

    fn made(&self) -> bool {
        !self.outcome.starts_with("NoSample(")
    }

    /// The error Prism answered with on its own behalf (`VIOLATIONS`: the
    /// answer it would give breaks the document's own schema;
    /// `NO_PATH_MATCHED_ERROR`, ...), which is no answer of the API's.
    fn prism_error(&self) -> Option<&str> {
        let (_, rest) = self.outcome.split_once("stoplight.io/prism/errors#")?;
        rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
    }
}

fn run(binary: &Path, module: &str, url: &str) -> Vec<Call> {
    let output = Command::new(binary).args([module, url]).output().unwrap();
    assert!(
        output.status.success(),
        "the runner failed for {module}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The document as Prism is given it. Prism resolves every `$ref` member,
/// even one that is data inside an example (GitHub's SCIM users have a `$ref`
/// member holding their URL), and fails when it cannot fetch it: such members
/// are left out of a copy of the document, which is served instead.
fn served_to_prism(path: &Path) -> PathBuf {
    fn strip(value: &mut Value, in_example: bool) -> usize {
        match value {
            Value::Object(map) => {
                let mut removed = 0;
                if in_example
                    && map
                        .get("$ref")
                        .and_then(Value::as_str)
                        .is_some_and(|r| r.starts_with("http"))
                {
                    map.remove("$ref");
                    removed += 1;
                }
                for (key, member) in map.iter_mut() {
                    removed += strip(member, in_example || key == "example" || key == "examples");
                }
                removed
            }
            Value::Array(items) => items.iter_mut().map(|v| strip(v, in_example)).sum(),
            _ => 0,
        }
    }
    let mut document = load(path);
    if strip(&mut document, false) == 0 {
        return path.to_owned();
    }
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "prism-{}.json",
        support::module_name(&path.file_name().unwrap().to_string_lossy())
    ));
    fs::write(&copy, serde_json::to_string(&document).unwrap()).unwrap();
    copy
}

/// One request as Prism's log tells it.
#[derive(Clone)]
struct Received {
    method: String,
    /// Without the query.
    path: String,
    /// What Prism found wrong with the request.
    violations: Vec<String>,
    /// The status Prism answered with (`"302"`), empty when the log does not
    /// say.
    answered: String,
    /// Whether the client sent it following a redirect.
    after_redirect: bool,
}

impl Received {
    /// Every request of a log, in order: a request begins at `[HTTP SERVER]
    /// <method> <path> ... Request received`; `[VALIDATOR] ✖ error` lines
    /// before Prism answers are what it found wrong with it.
    fn all(log: &str) -> Vec<Received> {
        let mut all: Vec<Received> = Vec::new();
        for line in log.lines() {
            if let Some((_, rest)) = line.split_once("[HTTP SERVER] ")
                && line.ends_with("Request received")
            {
                let mut words = rest.split_whitespace();
                let method = words.next().unwrap_or_default().to_uppercase();
                let target = words.next().unwrap_or_default();
                all.push(Received {
                    method,
                    path: target.split('?').next().unwrap_or_default().to_owned(),
                    violations: Vec::new(),
                    answered: String::new(),
                    after_redirect: false,
                });
            } else if let Some(request) = all.last_mut() {
                if let Some((_, status)) = line.split_once("> Responding with \"") {
                    request.answered = status.trim_end_matches('"').to_owned();
                } else if request.answered.is_empty()
                    && line.contains("[VALIDATOR]")
                    && let Some((_, message)) = line.split_once("error ")
                {
                    request.violations.push(message.trim().to_owned());
                }
            }
        }
        all
    }

    fn refused(&self) -> bool {
        !self.violations.is_empty()
    }

    /// Whether this request is of the operation at `pointer`
    /// (`#/paths/~1users~1{id}/get`): its method, and the end of its path
    /// segment by segment, a template's `{name}` standing for any one.
    fn is_of(&self, pointer: &str) -> bool {
        let segments: Vec<String> = pointer.split('/').skip(2).map(unescape).collect();
        let [template, method] = segments.as_slice() else {
            return false;
        };
        let wanted: Vec<&str> = template.split('/').collect();
        let got: Vec<&str> = self.path.split('/').collect();
        // The server's own path (Slack's `/api`) comes first.
        method.eq_ignore_ascii_case(&self.method)
            && got.len() >= wanted.len()
            && wanted
                .iter()
                .zip(&got[got.len() - wanted.len()..])
                .all(|(w, g)| w == g || (w.starts_with('{') && w.ends_with('}') && !g.is_empty()))
    }
}

/// Why an answer that did not decode is not the client's fault, judged by an
/// independent JSON Schema validator; `Err` when it is.
fn judge(document: &Value, call: &Call) -> Result<String, String> {
    let status = call.status.ok_or("no status")?;
    let body = call.body.as_deref().unwrap_or_default();
    let Some(schema) = response_schema(document, &call.pointer, status) else {
        return Err(format!("no schema for its {status} answer"));
    };
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return Err(format!("its {status} answer is not JSON"));
    };
    let first = |errors: Vec<String>| errors.into_iter().next().map(|e| clip(&e, 160));
    let oxgen = validate_as(document, &schema, &value, Reading::Oxgen)?;
    let json_schema = validate_as(document, &schema, &value, Reading::JsonSchema)?;
    match (first(json_schema), first(oxgen)) {
        (Some(error), _) => Ok(format!("the answer breaks its schema, {schema}: {error}")),
        (None, Some(error)) => Ok(format!(
            "a list under `items` with no `type`, which JSON Schema reads as constraining \
             nothing here and oxgen as one of its schemas, {schema}: {error}"
        )),
        (None, None) => Err(format!("the answer fits its schema ({schema})")),
    }
}

/// Where the schema of an operation's answer with `status` is: the status's
/// own response, its range (`4XX`) or `default`, and in OpenAPI 3 its JSON
/// media type.
fn response_schema(document: &Value, operation: &str, status: u16) -> Option<String> {
    let mut segments: Vec<String> = operation
        .strip_prefix("#/")?
        .split('/')
        .map(unescape)
        .collect();
    segments.push("responses".into());
    let (responses, _) = walk(document, &segments)?;
    let key = [
        status.to_string(),
        format!("{}XX", status / 100),
        format!("{}xx", status / 100),
        "default".into(),
    ]
    .into_iter()
    .find(|key| responses.get(key).is_some())?;
    segments.push(key);
    let (response, _) = walk(document, &segments)?;
    if let Some(content) = response.get("content").and_then(Value::as_object) {
        let media = content
            .keys()
            .find(|m| m.contains("json"))
            .or_else(|| content.keys().next())?;
        segments.extend(["content".into(), media.clone()]);
    }
    segments.push("schema".into());
    walk(document, &segments).map(|(_, at)| at)
}

fn clip(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

#[test]
fn every_operation_is_accepted_and_its_answers_decoded_by_prism() {
    let Some(prism) = std::env::var("OXGEN_PRISM").ok().filter(|p| !p.is_empty()) else {
        assert!(
            std::env::var_os("OXGEN_REQUIRE_PRISM").is_none(),
            "OXGEN_REQUIRE_PRISM is set but OXGEN_PRISM names no Prism executable"
        );
        eprintln!("skipped: OXGEN_PRISM names no Prism executable (see .ci/run)");
        return;
    };
    let Some(corpus) =
        support::corpus("every_operation_is_accepted_and_its_answers_decoded_by_prism")
    else {
        return;
    };

    // One crate: a module per document, and a runner that calls one
    // document's operations against a URL.
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance-crate");
    let _ = fs::remove_dir_all(crate_dir.join("src"));
    fs::create_dir_all(crate_dir.join("src/bin")).unwrap();
    let mut uses = oxgen::Summary::default();
    let mut arms = String::new();
    let mut operations = BTreeMap::new();
    for document in DOCUMENTS {
        let path = corpus.join(document);
        let text = fs::read_to_string(&path).unwrap();
        let generated = oxgen::generate_with_options(
            document,
            &text,
            &oxgen::FileLoader::new(path.parent().unwrap()),
            &oxgen::Options {
                conformance: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|d| panic!("{document}: {d}"));
        let module = support::module_name(document);
        support::write_module(&crate_dir, &module, &generated.files);
        uses.uses_chrono |= generated.summary.uses_chrono;
        uses.uses_uuid |= generated.summary.uses_uuid;
        operations.insert(*document, generated.summary.operations);
        writeln!(arms, "        \"{module}\" => calls!({module}, url),").unwrap();
    }
    let lib: String = DOCUMENTS
        .iter()
        .map(|d| {
            format!(
                "#[allow(clippy::all)]\npub mod {};\n",
                support::module_name(d)
            )
        })
        .collect();
    fs::write(crate_dir.join("src/lib.rs"), lib).unwrap();
    let runner = RUNNER.replace("{arms}", &arms);
    fs::write(crate_dir.join("src/bin/call.rs"), runner).unwrap();
    let runtime = workspace().join("runtime");
    let manifest = oxgen::crate_manifest("oxgen-conformance", runtime.to_str(), &uses)
        .unwrap()
        .replacen(
            "[dependencies]\n",
            "[dependencies]\ntokio = { version = \"1\", features = [\"rt\"] }\n",
            1,
        );
    fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap();
    fs::copy(workspace().join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    let target = workspace().join("target/corpus-check");
    let built = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--bin", "call"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "the conformance crate does not build:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let binary = target.join("debug/call");

    let mut table = String::from(
        "| document | operations | called | accepted | decoded (examples) | decoded (random) |\n|---|---:|---:|---:|---:|---:|\n",
    );
    // Every call that fell short, with why it is not the client's fault;
    // those that are, apart.
    let mut classified = String::new();
    let mut ours = Vec::new();
    for document in DOCUMENTS {
        let path = corpus.join(document);
        let module = support::module_name(document);
        let log = |run: &str| {
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{module}-{run}.log"))
        };
        let served = served_to_prism(&path);
        let (server, url) = Prism::start(&prism, &served, false, &log("validating"));
        let validated = run(&binary, &module, &url);
        drop(server);
        let (server, url) = Prism::start(&prism, &served, true, &log("random"));
        let random = run(&binary, &module, &url);
        drop(server);
        // Whether Prism accepted a request is read from its log: an error
        // answer says it only when Prism's own error example fits its schema.
        let refusals = |run: &str, calls: &[Call]| {
            let log = fs::read_to_string(log(run)).unwrap();
            let mut refused: BTreeMap<String, Vec<Received>> = BTreeMap::new();
            let received = Received::all(&log);
            for (i, request) in received.iter().enumerate().filter(|(_, r)| r.refused()) {
                // A redirect's request belongs to the call that was redirected.
                let mut first = i;
                while first > 0 && received[first - 1].answered.starts_with('3') {
                    first -= 1;
                }
                let operation = calls
                    .iter()
                    .find(|c| received[first].is_of(&c.pointer))
                    .map_or("(no operation)", |c| c.operation.as_str());
                let mut request = request.clone();
                request.after_redirect = first < i;
                refused
                    .entry(operation.to_owned())
                    .or_default()
                    .push(request);
            }
            refused
        };
        let refused_validating = refusals("validating", &validated);
        let refused_random = refusals("random", &random);
        let made = validated.iter().filter(|c| c.made()).count();
        let accepted = validated
            .iter()
            .filter(|c| c.made() && !c.refused() && !refused_validating.contains_key(&c.operation))
            .count();
        for (operation, requests) in &refused_validating {
            for request in requests {
                ours.push(format!(
                    "{document}, validating: `{operation}`: Prism refused {} {}: {}",
                    request.method,
                    request.path,
                    request.violations.join("; ")
                ));
            }
        }
        for (operation, requests) in &refused_random {
            for request in requests.iter().filter(|r| !r.after_redirect) {
                if !refused_validating.contains_key(operation) {
                    ours.push(format!(
                        "{document}, random: `{operation}`: Prism refused {} {}: {}",
                        request.method,
                        request.path,
                        request.violations.join("; ")
                    ));
                }
            }
        }
        // Of the answers that are the API's (not Prism's own errors), how
        // many decoded.
        let decoded = |calls: &[Call]| {
            let answered = calls.iter().filter(|c| c.answered()).count();
            let undecoded = calls
                .iter()
                .filter(|c| c.not_decoded() && c.prism_error().is_none())
                .count();
            format!("{answered}/{}", answered + undecoded)
        };
        writeln!(
            table,
            "| {document} | {} | {made} | {accepted} | {} | {} |",
            operations[document],
            decoded(&validated),
            decoded(&random)
        )
        .unwrap();
        let schemas = load(&path);
        for (run, calls) in [("validating", &validated), ("random", &random)] {
            for call in calls.iter().filter(|c| !c.answered()) {
                let place = format!(
                    "{document}, {run}: `{}` (`{}`)",
                    call.operation, call.pointer
                );
                let class = match call.prism_error() {
                    Some(code) => Ok(format!("Prism's own error, {code}")),
                    // The random run answers with the first status whose
                    // schema Prism can fake, an error status included.
                    // Prism's random `Location` leads to a path it refuses.
                    None if run == "random"
                        && call.refused()
                        && refused_random
                            .get(&call.operation)
                            .is_some_and(|r| r.iter().all(|r| r.after_redirect)) =>
                    {
                        Ok(
                            "Prism's redirect to a random `Location` leads to a request it refuses"
                                .to_owned(),
                        )
                    }
                    None if call.not_decoded() => judge(&schemas, call),
                    // Prism answers a redirect with the placeholder
                    // `Location: string`, which leads back to the same
                    // operation: a loop the client ends after ten redirects.
                    None if call.outcome.starts_with("Failed(")
                        && call.outcome.contains("too many redirects") =>
                    {
                        Ok(
                            "Prism's redirect to its placeholder `Location: string` leads back \
                            to this operation, again and again; the client stops after ten"
                                .to_owned(),
                        )
                    }
                    None => Err(clip(&call.outcome, 300)),
                };
                match class {
                    Ok(class) => writeln!(classified, "- {place}: {class}").unwrap(),
                    Err(why) => {
                        ours.push(format!("{place}: {why}\n    {}", clip(&call.outcome, 600)))
                    }
                }
            }
        }
    }
    let report = format!("{table}\n{classified}\n{}", ours.join("\n"));
    fs::write(workspace().join("target/conformance-report.md"), &report).unwrap();
    println!("{table}");

    // The figures and the classified shortfalls are pinned in
    // docs/conformance.md: a change either way is seen
    // (`OXGEN_UPDATE_CONFORMANCE=1` writes the new ones there).
    let doc_path = workspace().join("docs/conformance.md");
    let mut doc = fs::read_to_string(&doc_path).unwrap();
    let update = std::env::var_os("OXGEN_UPDATE_CONFORMANCE").is_some();
    let mut moved = Vec::new();
    for (start, end, now) in [
        ("| document | operations |", "\n\n", &table),
        (SHORTFALLS_START, SHORTFALLS_END, &classified),
    ] {
        let from = doc
            .find(start)
            .unwrap_or_else(|| panic!("docs/conformance.md has no `{start}`"));
        let from = if start == SHORTFALLS_START {
            from + start.len()
        } else {
            from
        };
        let to = doc[from..].find(end).map_or(doc.len(), |e| from + e);
        if doc[from..to].trim() != now.trim() {
            moved.push(format!(
                "was:\n{}\nnow:\n{}",
                doc[from..to].trim(),
                now.trim()
            ));
            let separator = if start == SHORTFALLS_START { "\n" } else { "" };
            doc = format!(
                "{}{separator}{}{separator}{}",
                &doc[..from],
                now.trim(),
                &doc[to..]
            );
        }
    }
    if update {
        fs::write(&doc_path, &doc).unwrap();
    }
    assert!(
        ours.is_empty(),
        "{} calls fell short through the client's fault (target/conformance-report.md):\n{}",
        ours.len(),
        ours.join("\n")
    );
    assert!(
        update || moved.is_empty(),
        "the figures or shortfalls moved from docs/conformance.md; if that is intended, run \
         with OXGEN_UPDATE_CONFORMANCE=1\n{}",
        moved.join("\n")
    );
}

/// Where docs/conformance.md lists every call that fell short.
const SHORTFALLS_START: &str =
    "<!-- every shortfall, written by generator/tests/conformance.rs -->";
const SHORTFALLS_END: &str = "<!-- end of the shortfalls -->";
