//! Every document of `../shared/corpus` (OpenAPI 3.0, 3.1, Swagger 2.0; JSON and
//! YAML) must generate, and the generated code must compile without warnings.
//!
//! All documents go into one crate, a module each, checked by one `cargo check`
//! (one dependency build, two cores busy). The test fails listing every document
//! that does not generate or compile; none is skipped. Per-document figures go
//! to `target/corpus-report.md`, and must match `docs/corpus.md` (operations,
//! types, fallbacks, examples): `OXGEN_UPDATE_CORPUS=1` rewrites it.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The corpus (when it is there), and this repository's own hard cases
/// (`tests/specs`).
fn corpus_documents(corpus: Option<&Path>) -> Vec<PathBuf> {
    let mut documents = Vec::new();
    if let Some(corpus) = corpus {
        documents = documents_under(corpus);
        assert!(
            documents.len() >= 41,
            "expected the 41 corpus documents, found {}",
            documents.len()
        );
    }
    documents.extend(documents_under(&workspace().join("generator/tests/specs")));
    documents
}

fn documents_under(root: &Path) -> Vec<PathBuf> {
    let root = root.to_path_buf();
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let entries =
            fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) && is_description(&path)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Whether a file is an API description rather than a part that one
/// refers to (`specs/multifile/shared/parameters.yml`).
fn is_description(path: &Path) -> bool {
    let text = fs::read_to_string(path).unwrap_or_default();
    text.contains("openapi") || text.contains("swagger")
}

struct Row {
    name: String,
    operations: usize,
    types: usize,
    fallbacks: usize,
    millis: f64,
    lines: usize,
}

/// The number of the first blank line that has doc lines right before and after it.
fn blank_line_in_doc_comment(text: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
    lines
        .windows(3)
        .position(|w| w[0].starts_with("///") && w[1].is_empty() && w[2].starts_with("///"))
        .map(|i| i + 2)
}

#[test]
fn every_corpus_document_generates_a_crate_that_compiles() {
    let corpus = support::corpus("every_corpus_document_generates_a_crate_that_compiles");
    let corpus_root = corpus.clone().unwrap_or_default();
    let documents = corpus_documents(corpus.as_deref());
    let own_root = workspace().join("generator/tests/specs");
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-crate");
    let _ = fs::remove_dir_all(crate_dir.join("src"));
    fs::create_dir_all(crate_dir.join("src")).unwrap();

    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut rows = Vec::new();
    let mut modules = BTreeMap::new();
    // What the crate around every document's module depends on.
    let mut uses = oxgen::Summary::default();
    for path in &documents {
        // Corpus documents by their corpus path; our own by `own/<file>`.
        let name = match path.strip_prefix(&corpus_root) {
            Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
            Err(_) => format!(
                "own/{}",
                path.strip_prefix(&own_root).unwrap().to_string_lossy()
            ),
        };
        let text = fs::read_to_string(path).unwrap();
        let started = Instant::now();
        let generated = oxgen::generate_with_options(
            &name,
            &text,
            &oxgen::FileLoader::new(path.parent().unwrap()),
            &oxgen::Options {
                examples: true,
                mock: true,
                ..Default::default()
            },
        );
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let generated = match generated {
            Ok(generated) => generated,
            Err(diagnostics) => {
                failures.insert(name, format!("does not generate:\n{diagnostics}"));
                continue;
            }
        };
        let module = support::module_name(&name);
        for (file, content) in support::write_module(&crate_dir, &module, &generated.files) {
            // rustc accepts a doc comment split by a blank line; clippy and
            // readers do not.
            if let Some(line) = blank_line_in_doc_comment(content) {
                failures.insert(
                    name.clone(),
                    format!("{file}:{line}: a blank line splits a doc comment"),
                );
            }
        }
        uses.uses_chrono |= generated.summary.uses_chrono;
        uses.uses_uuid |= generated.summary.uses_uuid;
        uses.mock |= generated.summary.mock;
        rows.push(Row {
            name: name.clone(),
            operations: generated.summary.operations,
            types: generated.summary.types,
            fallbacks: generated.summary.fallbacks.len(),
            millis,
            lines: generated.files.values().map(|c| c.lines().count()).sum(),
        });
        modules.insert(module, name);
    }

    let lib: String = modules.keys().map(|m| format!("pub mod {m};\n")).collect();
    fs::write(crate_dir.join("src/lib.rs"), lib).unwrap();
    let runtime = workspace().join("runtime");
    let manifest = oxgen::crate_manifest("oxgen-corpus", runtime.to_str(), &uses).unwrap();
    fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap();
    // The workspace's lock file pins the same dependency versions.
    fs::copy(workspace().join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();

    let started = Instant::now();
    let output = Command::new(env!("CARGO"))
        // Build (with -D warnings) and run the example round trips, one
        // document at a time so that each one's report stays together. Only
        // the test harness: building the library beside it would compile the
        // whole crate twice at once (for doctests, which generated code has
        // none of), doubling the time and the memory (over 20 GB).
        // With the `mock` module: it compiles with the rest.
        .args([
            "test",
            "--lib",
            "--features",
            "mock",
            "--quiet",
            "--message-format=short",
            "--",
            "--nocapture",
            "--test-threads=1",
        ])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", workspace().join("target/corpus-check"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo test");
    let check_secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut compile_errors: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for line in stderr
        .lines()
        .filter(|l| l.contains(": error") || l.contains(": warning"))
    {
        let module = line
            .strip_prefix("src/")
            .and_then(|rest| rest.split('/').next());
        let document = module
            .and_then(|m| modules.get(m))
            .cloned()
            .unwrap_or_else(|| "(crate)".into());
        compile_errors.entry(document).or_default().push(line);
    }
    if !output.status.success() && compile_errors.is_empty() {
        compile_errors.insert("(crate)".into(), stderr.lines().take(20).collect());
    }
    for (document, lines) in &compile_errors {
        let shown: Vec<&str> = lines.iter().take(8).copied().collect();
        failures.insert(
            document.clone(),
            format!(
                "does not compile ({} problems):\n  {}",
                lines.len(),
                shown.join("\n  ")
            ),
        );
    }

    // Example round trips: counts per document, and documents whose examples
    // changed on the way through the generated types.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut example_counts: BTreeMap<String, String> = BTreeMap::new();
    for line in stdout.lines() {
        // The quiet runner prints a `.` per test in front of the report line.
        let report = line
            .find("examples of ")
            .map(|at| &line[at + "examples of ".len()..]);
        if let Some((document, counts)) = report.and_then(|l| l.split_once(": ")) {
            example_counts.insert(document.to_owned(), counts.to_owned());
        }
    }
    let failing_tests = stdout.split("\nfailures:\n").nth(2).unwrap_or("");
    for test in failing_tests
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("doc_"))
    {
        let module = test.split("::").next().unwrap_or_default();
        let document = modules
            .get(module)
            .cloned()
            .unwrap_or_else(|| module.to_owned());
        let why = stdout
            .split(&format!("---- {test} stdout ----"))
            .nth(1)
            .map(|rest| {
                rest.lines()
                    .skip_while(|l| !l.contains("examples that changed"))
                    .take(6)
                    .collect::<Vec<_>>()
                    .join("\n  ")
            })
            .unwrap_or_default();
        failures.insert(
            document,
            format!("examples changed on a round trip:\n  {why}"),
        );
    }
    fs::write(
        workspace().join("target/corpus-examples.txt"),
        stdout.as_bytes(),
    )
    .unwrap();
    compare_skips(&stdout, &modules, corpus.is_some(), &mut failures);

    let mut report = String::from(
        "| document | operations | types | fallbacks | generation (ms) | lines | examples | result |\n\
         |---|---:|---:|---:|---:|---:|---|---|\n",
    );
    for row in &rows {
        let result = if failures.contains_key(&row.name) {
            "FAILS"
        } else {
            "compiles, examples pass"
        };
        let examples = example_counts.get(&row.name).map_or("-", String::as_str);
        writeln!(
            report,
            "| {} | {} | {} | {} | {:.1} | {} | {examples} | {result} |",
            row.name, row.operations, row.types, row.fallbacks, row.millis, row.lines
        )
        .unwrap();
    }
    writeln!(
        report,
        "\n`cargo test` (build with -D warnings, run the example round trips) of all {} modules: {check_secs:.1} s",
        rows.len()
    )
    .unwrap();
    fs::write(workspace().join("target/corpus-report.md"), &report).unwrap();
    println!("{report}");
    compare_with_baseline(&report, corpus.is_some(), &mut failures);

    let summary: Vec<String> = failures
        .iter()
        .map(|(doc, why)| format!("{doc}: {why}"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} documents fail:\n\n{}",
        failures.len(),
        documents.len(),
        summary.join("\n\n")
    );
}

/// The table of `docs/corpus.md`, the figures of the last accepted run.
const BASELINE: &str = "docs/corpus.md";

/// The figures a change must not move unnoticed, per document: operations,
/// types, fallbacks, the example counts and the result (not the times or
/// line counts, which move with any change).
fn figures(table: &str) -> BTreeMap<String, Vec<String>> {
    table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| document"))
        .filter_map(|line| {
            let cells: Vec<String> = line
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_owned())
                .collect();
            let [name, operations, types, fallbacks, _, _, examples, result] = &cells[..] else {
                return None;
            };
            Some((
                name.clone(),
                vec![
                    format!("{operations} operations"),
                    format!("{types} types"),
                    format!("{fallbacks} fallbacks"),
                    format!("examples {examples}"),
                    result.clone(),
                ],
            ))
        })
        .collect()
}

/// Compares this run's figures with `docs/corpus.md`: a document whose
/// figures moved (fewer examples passing, more fallbacks, a type less) fails,
/// so that a change of behaviour is seen and the table updated on purpose.
/// With `OXGEN_UPDATE_CORPUS` set, the table is rewritten instead. Without the
/// shared corpus only our own documents run, and only they are compared.
fn compare_with_baseline(report: &str, whole: bool, failures: &mut BTreeMap<String, String>) {
    // Added after any failure the document already has, never in its place.
    let mut fail = |name: &str, why: String| {
        let entry = failures.entry(name.to_owned()).or_default();
        if !entry.is_empty() {
            entry.push_str("\n  ");
        }
        entry.push_str(&why);
    };
    let path = workspace().join(BASELINE);
    let text = fs::read_to_string(&path).unwrap();
    let start = text
        .find("| document")
        .expect("docs/corpus.md holds the table");
    if std::env::var_os("OXGEN_UPDATE_CORPUS").is_some() {
        fs::write(&path, format!("{}{report}", &text[..start])).unwrap();
        return;
    }
    let (old, new) = (figures(&text[start..]), figures(report));
    let hint =
        "if that is intended, run the test with OXGEN_UPDATE_CORPUS=1 and commit docs/corpus.md";
    for (name, figures) in &new {
        match old.get(name) {
            None => fail(name, format!("is not in {BASELINE}; {hint}")),
            Some(before) if before != figures => {
                let moved: Vec<String> = before
                    .iter()
                    .zip(figures)
                    .filter(|(b, n)| b != n)
                    .map(|(b, n)| format!("{n} (was {b})"))
                    .collect();
                fail(
                    name,
                    format!(
                        "figures moved from {BASELINE}: {}; {hint}",
                        moved.join(", ")
                    ),
                );
            }
            Some(_) => {}
        }
    }
    if whole {
        for name in old.keys().filter(|name| !new.contains_key(*name)) {
            fail(name, format!("is in {BASELINE} but was not run; {hint}"));
        }
    }
}

/// The examples the round trips skip, pinned one by one (each is a document
/// whose example contradicts its own schema; a new one may be our bug).
const SKIPS: &str = "docs/corpus-skips.txt";

/// Compares the skipped examples (`document: skipped pointer: reason`) with
/// `docs/corpus-skips.txt`; `OXGEN_UPDATE_CORPUS` rewrites that file. Without
/// the shared corpus, only our own documents' skips are compared.
fn compare_skips(
    stdout: &str,
    modules: &BTreeMap<String, String>,
    whole: bool,
    failures: &mut BTreeMap<String, String>,
) {
    let documents: std::collections::BTreeSet<&str> =
        modules.values().map(String::as_str).collect();
    let mut skips = Vec::new();
    let mut document = None;
    for line in stdout.lines() {
        if let Some(at) = line.find("examples of ") {
            let rest = &line[at + "examples of ".len()..];
            // The example checker's own tests report as `test`: not a document.
            document = rest
                .split_once(": ")
                .map(|(name, _)| name)
                .filter(|name| documents.contains(name));
        } else if let (Some(document), Some(skip)) = (document, line.strip_prefix("  skipped ")) {
            skips.push(format!("{document}: {skip}"));
        }
    }
    skips.sort();
    let path = workspace().join(SKIPS);
    let header = "# Examples the corpus test skips: the document's example contradicts its own\n\
                  # schema. Checked by generator/tests/corpus.rs (a run skips these) and\n\
                  # generator/tests/example_skips.rs (each one deserved); OXGEN_UPDATE_CORPUS=1\n\
                  # rewrites it.\n";
    if std::env::var_os("OXGEN_UPDATE_CORPUS").is_some() {
        fs::write(&path, format!("{header}{}\n", skips.join("\n"))).unwrap();
        return;
    }
    let pinned: Vec<String> = fs::read_to_string(&path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter(|l| whole || documents.iter().any(|d| l.starts_with(&format!("{d}: "))))
        .map(str::to_owned)
        .collect();
    let new: Vec<&String> = skips.iter().filter(|s| !pinned.contains(s)).collect();
    let gone: Vec<&String> = pinned.iter().filter(|s| !skips.contains(s)).collect();
    if !new.is_empty() || !gone.is_empty() {
        let shown = |list: &[&String]| {
            list.iter()
                .map(|s| format!("\n    {s}"))
                .collect::<String>()
        };
        failures.insert(
            format!("({SKIPS})"),
            format!(
                "skipped examples differ from {SKIPS}; if that is intended, rerun with OXGEN_UPDATE_CORPUS=1\n  newly skipped:{}\n  no longer skipped:{}",
                shown(&new),
                shown(&gone)
            ),
        );
    }
}
