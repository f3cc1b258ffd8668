//! The README's "Using oxgen from build.rs": a crate made of exactly its
//! `build.rs`, `src/lib.rs` and `Cargo.toml` (with the published versions
//! pointed at this workspace) builds, and a broken spec fails the build with
//! located `cargo::error=` lines.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The code blocks of the README's section `heading`, in order.
fn readme_blocks(heading: &str) -> Vec<String> {
    let readme = fs::read_to_string(workspace().join("README.md")).unwrap();
    let mut lines = readme.lines().skip_while(|l| *l != heading);
    assert!(lines.next().is_some(), "README.md has no `{heading}`");
    let mut blocks = Vec::new();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            break; // the next section
        }
        if line.starts_with("```") && line.len() > 3 {
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            blocks.push(block.join("\n") + "\n");
        }
    }
    blocks
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        // Shared with the corpus test: the dependencies are built once.
        .env("CARGO_TARGET_DIR", workspace().join("target/corpus-check"))
        .output()
        .unwrap()
}

#[test]
fn the_readme_build_script_builds_a_client_and_reports_a_broken_spec() {
    let blocks = readme_blocks("### Using oxgen from build.rs");
    let [build_rs, lib_rs, manifest] = &blocks[..] else {
        panic!("expected build.rs, src/lib.rs and Cargo.toml, found {blocks:?}");
    };
    assert!(build_rs.starts_with("// build.rs\n") && lib_rs.starts_with("// src/lib.rs\n"));

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-script");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::create_dir_all(dir.join("spec")).unwrap();
    fs::write(dir.join("build.rs"), build_rs).unwrap();
    fs::write(dir.join("src/lib.rs"), lib_rs).unwrap();
    let spec = include_str!("specs/kantata-openapi31.yaml");
    fs::write(dir.join("spec/kantata.yaml"), spec).unwrap();
    // Nothing is published yet: the versions the README names, from here.
    let manifest = manifest
        .replace(
            r#"oxgen = { version = "0.1","#,
            &format!(r#"oxgen = {{ path = {:?},"#, workspace().join("generator")),
        )
        .replace(
            r#"oxgen-runtime = { version = "0.1","#,
            &format!(
                r#"oxgen-runtime = {{ path = {:?},"#,
                workspace().join("runtime")
            ),
        );
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"uses-oxgen\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [lib]\ndoctest = false\n\n{manifest}\n[workspace]\n"
        ),
    )
    .unwrap();
    fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let built = cargo(&dir, &["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "{stderr}");

    // A dangling reference is local to one schema: typed as any JSON, and a
    // located warning.
    let dangling = spec.replacen(
        "$ref: '#/components/schemas/UserEnvelope'",
        "$ref: '#/components/schemas/Nowhere'",
        1,
    );
    assert_ne!(dangling, spec, "the edit must apply");
    fs::write(dir.join("spec/kantata.yaml"), dangling).unwrap();
    let built = cargo(&dir, &["build"]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "spec/kantata.yaml:45:17: `#/components/schemas/Nowhere` does not name an entry of #/components/schemas; typed as any JSON (at #/paths/"
        ),
        "{stderr}"
    );

    // A document that cannot be read: the build fails, naming the file,
    // line and pointer.
    let broken = spec.replacen("$ref: '#/components/schemas/UserEnvelope'", "$ref: [", 1);
    fs::write(dir.join("spec/kantata.yaml"), broken).unwrap();
    let failed = cargo(&dir, &["build", "--quiet"]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(
        stderr.contains("error: spec/kantata.yaml:47:15: did not find expected ',' or ']'"),
        "{stderr}"
    );
}
