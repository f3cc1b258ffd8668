//! Regenerates the client from `spec/` into `OUT_DIR` on every spec change.
//! `generated/` holds the same files for review; a test keeps them equal.

use std::path::PathBuf;
use std::process::ExitCode;

const SPEC: &str = "spec/kantata.yaml";

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=spec");
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("oxgen");
    let text = match std::fs::read_to_string(root.join(SPEC)) {
        Ok(text) => text,
        Err(e) => {
            println!("cargo::error=cannot read {SPEC}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let loader = oxgen::FileLoader::new(&root.join("spec"));
    let generated = match oxgen::generate_with(SPEC, &text, &loader) {
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
