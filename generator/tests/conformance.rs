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

/// The documents called, from `../shared/corpus`.
const DOCUMENTS: &[&str] = &[
    "oai-petstore.yaml",
    "oai-petstore-expanded.yaml",
    "twilio_lookups_v2.json",
    "progenitor-nexus.json",
    "slack_web_openapi_v2.json",
    "discord-openapi.json",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Prism serving `document` on a free port of 127.0.0.1, until dropped.
struct Prism(Child);

impl Prism {
    fn start(prism: &str, document: &Path, random: bool) -> (Prism, String) {
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
            .stdout(Stdio::null())
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

/// One call's outcome, as the runner prints it (`op<TAB>outcome`).
struct Call {
    operation: String,
    outcome: String,
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
        .filter_map(|line| line.split_once('\t'))
        .map(|(operation, outcome)| Call {
            operation: operation.to_owned(),
            outcome: outcome.to_owned(),
        })
        .collect()
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
        let dir = crate_dir.join("src").join(&module);
        fs::create_dir_all(&dir).unwrap();
        for (file, content) in &generated.files {
            let file = if file == "lib.rs" {
                "mod.rs"
            } else {
                file.as_str()
            };
            fs::write(dir.join(file), content).unwrap();
        }
        uses.uses_chrono |= generated.summary.uses_chrono;
        uses.uses_uuid |= generated.summary.uses_uuid;
        operations.insert(*document, generated.summary.operations);
        writeln!(
            arms,
            "        \"{module}\" => {{\n            use oxgen_conformance::{module}::conformance;\n            let client = conformance::client(url).expect(\"a client\");\n            conformance::every_operation(&client).await.into_iter().map(|(op, outcome)| format!(\"{{op}}\\t{{outcome:?}}\")).collect()\n        }}"
        )
        .unwrap();
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
    let runner = format!(
        "//! Calls every operation of one document's client against a URL.\n\n\
         async fn calls(module: &str, url: &str) -> Vec<String> {{\n    match module {{\n{arms}        other => panic!(\"no module {{other}}\"),\n    }}\n}}\n\n\
         fn main() {{\n    let args: Vec<String> = std::env::args().collect();\n    \
         let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();\n    \
         for line in runtime.block_on(calls(&args[1], &args[2])) {{\n        println!(\"{{line}}\");\n    }}\n}}\n"
    );
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
    let mut shortfalls = String::new();
    for document in DOCUMENTS {
        let path = corpus.join(document);
        let module = support::module_name(document);
        let (server, url) = Prism::start(&prism, &path, false);
        let validated = run(&binary, &module, &url);
        drop(server);
        let (server, url) = Prism::start(&prism, &path, true);
        let random = run(&binary, &module, &url);
        drop(server);
        let made = validated.iter().filter(|c| c.made()).count();
        let accepted = validated
            .iter()
            .filter(|c| c.made() && !c.refused())
            .count();
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
        for (run, calls) in [("validating", &validated), ("random", &random)] {
            for call in calls
                .iter()
                .filter(|c| !c.made() || c.refused() || c.not_decoded())
            {
                let kind = match call.prism_error() {
                    Some(code) => format!("Prism {code}"),
                    None if call.refused() => "refused".to_owned(),
                    None if !call.made() => "no sample".to_owned(),
                    None => "not decoded".to_owned(),
                };
                writeln!(
                    shortfalls,
                    "- {document} ({run}, {kind}): `{}`: {}",
                    call.operation, call.outcome
                )
                .unwrap();
            }
        }
    }
    let report = format!("{table}\n{shortfalls}");
    fs::write(workspace().join("target/conformance-report.md"), &report).unwrap();
    println!("{table}");

    // The figures are pinned in docs/conformance.md: a change either way is
    // seen (`OXGEN_UPDATE_CONFORMANCE=1` writes the new table there).
    let doc_path = workspace().join("docs/conformance.md");
    let doc = fs::read_to_string(&doc_path).unwrap();
    let start = doc
        .find("| document | operations |")
        .expect("docs/conformance.md has the table");
    let end = doc[start..].find("\n\n").map_or(doc.len(), |e| start + e);
    if std::env::var_os("OXGEN_UPDATE_CONFORMANCE").is_some() {
        let updated = format!("{}{}{}", &doc[..start], table.trim_end(), &doc[end..]);
        fs::write(&doc_path, updated).unwrap();
    } else {
        assert_eq!(
            doc[start..end].trim_end(),
            table.trim_end(),
            "the figures moved from docs/conformance.md (target/conformance-report.md has \
             every call that fell short); if that is intended, run with \
             OXGEN_UPDATE_CONFORMANCE=1"
        );
    }
}
