//! Helpers shared by the generator's test crates.

// Each test crate that includes this module uses a different part of it.
#![allow(dead_code)]

pub mod json_schema;

use std::io::Write;

/// `../shared/corpus`, the public documents the corpus tests read, when it
/// is there. A clone of this repository alone has no corpus: the tests that
/// need it say so and are skipped, unless `OXGEN_REQUIRE_CORPUS` is set (as
/// CI sets it), which makes its absence a failure.
pub fn corpus(test: &str) -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if root.is_dir() {
        return Some(root);
    }
    assert!(
        std::env::var_os("OXGEN_REQUIRE_CORPUS").is_none(),
        "{test}: OXGEN_REQUIRE_CORPUS is set, but {} is absent",
        root.display()
    );
    // Straight to stderr: the test harness hides what `eprintln!` says in a
    // test that passes, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipped: {} is absent (set OXGEN_REQUIRE_CORPUS=1 to require it)",
        root.display()
    );
    None
}

/// The Rust module a corpus document's client goes in, in the crates the
/// corpus and conformance tests build.
pub fn module_name(document: &str) -> String {
    let name: String = document
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    format!("doc_{name}")
}

/// Writes a generated client's files as the module `module` of the crate
/// in `crate_dir` (its `lib.rs` as `mod.rs`), and returns each file's name
/// there with its content.
pub fn write_module<'a>(
    crate_dir: &std::path::Path,
    module: &str,
    files: &'a std::collections::BTreeMap<String, String>,
) -> Vec<(&'a str, &'a str)> {
    let dir = crate_dir.join("src").join(module);
    std::fs::create_dir_all(&dir).unwrap();
    files
        .iter()
        .map(|(file, content)| {
            let file = if file == "lib.rs" {
                "mod.rs"
            } else {
                file.as_str()
            };
            std::fs::write(dir.join(file), content).unwrap();
            (file, content.as_str())
        })
        .collect()
}
