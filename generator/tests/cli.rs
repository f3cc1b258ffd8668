//! The `oxgen generate` command: writes only what changed, removes what it no
//! longer emits, and `--check` names stale files with a non-zero exit.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

const SPEC: &str = include_str!("specs/kantata-openapi31.yaml");

/// A fresh directory under the target dir's tmp, holding `spec/kantata.yaml`.
fn project(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("spec")).unwrap();
    fs::write(dir.join("spec/kantata.yaml"), SPEC).unwrap();
    dir
}

fn oxgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oxgen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn modified(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn generate_writes_then_leaves_unchanged_files_alone() {
    let dir = project("cli-generate");
    let first = oxgen(&dir, &["generate"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let stdout = text(&first.stdout);
    assert!(
        stdout.starts_with(
            "spec/kantata.yaml: 1 operations, 20 types, 0 fallbacks to serde_json::Value\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("wrote generated/types.rs"), "{stdout}");
    let types = dir.join("generated/types.rs");
    let before = modified(&types);

    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = oxgen(&dir, &["generate"]);
    assert!(second.status.success());
    assert!(
        text(&second.stdout).ends_with("generated is up to date\n"),
        "{}",
        text(&second.stdout)
    );
    assert_eq!(
        modified(&types),
        before,
        "an unchanged file is not rewritten"
    );
    let leftovers: Vec<_> = fs::read_dir(dir.join("generated"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_names_stale_and_extra_files_and_fails() {
    let dir = project("cli-check");
    assert!(oxgen(&dir, &["generate"]).status.success());
    let clean = oxgen(&dir, &["generate", "--check"]);
    assert!(clean.status.success(), "{}", text(&clean.stderr));

    fs::write(dir.join("generated/client.rs"), "// edited by hand\n").unwrap();
    fs::write(dir.join("generated/old.rs"), "// no longer emitted\n").unwrap();
    fs::write(dir.join("generated/notes.txt"), "not ours\n").unwrap();
    let stale = oxgen(&dir, &["generate", "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = text(&stale.stderr);
    assert!(
        stderr.contains("stale: generated/client.rs differs from what spec/kantata.yaml produces"),
        "{stderr}"
    );
    assert!(
        stderr.contains("stale: generated/old.rs is no longer produced"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("generated/client.rs")).unwrap(),
        "// edited by hand\n",
        "--check changes nothing"
    );

    let fixed = oxgen(&dir, &["generate"]);
    assert!(fixed.status.success());
    let stdout = text(&fixed.stdout);
    assert!(
        stdout.contains("wrote generated/client.rs") && stdout.contains("removed generated/old.rs"),
        "{stdout}"
    );
    assert!(!dir.join("generated/old.rs").exists());
    assert!(
        dir.join("generated/notes.txt").exists(),
        "only .rs files are the generator's"
    );
    assert!(oxgen(&dir, &["generate", "--check"]).status.success());
}

#[test]
fn spec_errors_exit_1_and_write_nothing() {
    let dir = project("cli-errors");
    fs::write(
        dir.join("spec/kantata.yaml"),
        SPEC.replace(
            "#/components/schemas/UserEnvelope",
            "#/components/schemas/Envelope",
        ),
    )
    .unwrap();
    let out = oxgen(&dir, &["generate"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: spec/kantata.yaml:45:17: `#/components/schemas/Envelope` does not name an entry of #/components/schemas (at #/paths/~1users~1{id}/put/responses/200/content/application~1json/schema/$ref)\n"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("1 problem(s) in spec/kantata.yaml; nothing written\n"),
        "{stderr}"
    );
    assert!(!dir.join("generated").exists());
}

#[test]
fn usage_errors_exit_2() {
    let dir = project("cli-usage");
    assert_eq!(oxgen(&dir, &["generate", "--bogus"]).status.code(), Some(2));
    assert_eq!(oxgen(&dir, &[]).status.code(), Some(2));
    assert_eq!(
        oxgen(&dir, &["generate", "--spec", "missing.yaml"])
            .status
            .code(),
        Some(2)
    );
    // A file that is neither spec nor overlay (say, the target of a `$ref`)
    // does not count; a second spec does.
    fs::write(dir.join("spec/schemas.json"), "{}").unwrap();
    assert_eq!(oxgen(&dir, &["generate"]).status.code(), Some(0));
    fs::write(dir.join("spec/second.json"), r#"{"openapi": "3.0.3"}"#).unwrap();
    let ambiguous = oxgen(&dir, &["generate"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    assert_eq!(
        text(&ambiguous.stderr),
        "error: several specs in spec: spec/kantata.yaml, spec/second.json; keep one; pass the spec as an argument\n"
    );
}

/// Runs cargo in a generated crate: the workspace's lock file pins the
/// dependency versions, and one shared target dir keeps them built once.
fn cargo_in(crate_dir: &Path, args: &[&str]) -> Output {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    fs::copy(workspace.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", workspace.join("target/corpus-check"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap()
}

/// Generates `spec` as the crate `name` in `dir/name`.
fn generate_crate(dir: &Path, spec: &Path, name: &str) -> Output {
    oxgen(
        dir,
        &[
            "generate",
            spec.to_str().unwrap(),
            "--crate",
            name,
            "--out",
            name,
        ],
    )
}

/// `--crate NAME` writes a standalone crate that `cargo check` accepts as is.
#[test]
fn crate_mode_writes_a_crate_that_checks() {
    let dir = project("cli-crate");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/oai-petstore.yaml");
    let out = generate_crate(&dir, &spec, "petstore");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("oai-petstore.yaml: 3 operations, 3 types, 0 fallbacks"),
        "{}",
        text(&out.stdout)
    );
    for file in [
        "Cargo.toml",
        "src/client.rs",
        "src/lib.rs",
        "src/runtime.rs",
        "src/types.rs",
    ] {
        assert!(dir.join("petstore").join(file).is_file(), "{file}");
    }
    let manifest = fs::read_to_string(dir.join("petstore/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"petstore\"") && manifest.contains("[workspace]"),
        "{manifest}"
    );
    let check = cargo_in(&dir.join("petstore"), &["check", "--quiet"]);
    assert!(check.status.success(), "{}", text(&check.stderr));

    let bad = generate_crate(&dir, &spec, "9lives");
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("`9lives` is not a valid crate name"));
}

/// The hostile spec (keywords, std names, collisions, code in descriptions)
/// generates a crate in which no spec text runs as a doctest.
#[test]
fn hostile_spec_runs_no_doctests() {
    let dir = project("cli-hostile");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/hostile.yaml");
    let out = generate_crate(&dir, &spec, "hostile");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc = cargo_in(&dir.join("hostile"), &["test", "--doc"]);
    let stdout = text(&doc.stdout);
    assert!(doc.status.success(), "{}{}", stdout, text(&doc.stderr));
    assert!(stdout.contains("running 0 tests"), "{stdout}");
    assert!(!stdout.contains("running 1 test"), "{stdout}");
}

/// `--only` keeps the named operations (method name, operationId or tag) and
/// the types they reach; the crate still checks, and the type names are the
/// ones the whole document gives.
#[test]
fn only_generates_the_selected_operations() {
    let dir = project("cli-only");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/github-api.github.com.json");
    let out = oxgen(
        &dir,
        &[
            "generate",
            spec.to_str().unwrap(),
            "--only",
            "repos/get,issues/list-for-repo",
            "--only",
            "meta",
            "--crate",
            "github-few",
            "--out",
            "github-few",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let operations: usize = stdout
        .split(": ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    // Two by operationId, and every operation tagged `meta`.
    assert!((4..20).contains(&operations), "{stdout}");
    let client = fs::read_to_string(dir.join("github-few/src/client.rs")).unwrap();
    assert!(client.contains("pub fn repos_get("));
    assert!(client.contains("pub fn issues_list_for_repo("));
    assert!(client.contains("pub fn meta_get("));
    assert!(!client.contains("pub fn pulls_list("));
    let types = fs::read_to_string(dir.join("github-few/src/types.rs")).unwrap();
    assert!(types.contains("pub struct FullRepository {"));
    assert!(!types.contains("pub struct PullRequest {"));
    let check = cargo_in(&dir.join("github-few"), &["check", "--quiet"]);
    assert!(check.status.success(), "{}", text(&check.stderr));

    let typo = oxgen(
        &dir,
        &[
            "generate",
            spec.to_str().unwrap(),
            "--only",
            "repos/gte",
            "--out",
            "x",
        ],
    );
    assert_eq!(typo.status.code(), Some(1));
    assert!(
        text(&typo.stderr).contains("--only: no operation or tag is named `repos/gte`"),
        "{}",
        text(&typo.stderr)
    );
}
