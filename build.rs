//! Regenerates the client from `spec/` into `OUT_DIR` on every spec change:
//! the one OpenAPI/Swagger document there, with the overlays beside it applied
//! in file-name order. `generated/` holds the same files for review; a test
//! keeps them equal.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=spec");
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("oxgen");
    let found = match oxgen::output::SpecDir::discover(&root.join("spec")) {
        Ok(found) => found,
        Err(message) => {
            println!("cargo::error={message}");
            return ExitCode::FAILURE;
        }
    };
    // Names relative to the project, so that output and messages are the same
    // on every machine.
    let name = |path: &Path| {
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        format!("spec/{file}")
    };
    let spec = name(&found.spec);
    let text = match std::fs::read_to_string(&found.spec) {
        Ok(text) => text,
        Err(e) => {
            println!("cargo::error=cannot read {spec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut problems = Vec::new();
    let mut overlays = Vec::new();
    for path in &found.overlays {
        match oxgen::output::read_overlay(path, &name(path)) {
            Ok(overlay) => overlays.push(overlay),
            Err(diagnostics) => problems.extend(diagnostics.0),
        }
    }
    let options = oxgen::Options {
        examples: false,
        overlays,
    };
    let loader = oxgen::FileLoader::new(&root.join("spec"));
    let generated = match problems.is_empty() {
        true => oxgen::generate_with_options(&spec, &text, &loader, &options),
        false => Err(oxgen::Diagnostics(problems)),
    };
    let generated = match generated {
        Ok(generated) => generated,
        Err(diagnostics) => {
            // One line per problem, pointing at the spec, instead of a panic backtrace.
            for diagnostic in diagnostics.iter() {
                println!("cargo::error={diagnostic}");
            }
            return ExitCode::FAILURE;
        }
    };
    for warning in &generated.warnings {
        println!("cargo::warning={warning}");
    }
    if let Err(e) = oxgen::output::sync_dir(&out, &generated.files, false) {
        println!("cargo::error=cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
