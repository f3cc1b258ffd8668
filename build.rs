//! Regenerates the client from `spec/` into `OUT_DIR` on every spec change:
//! the one OpenAPI/Swagger document there, with the overlays beside it applied
//! in file-name order. `generated/` holds the same files for review; a test
//! keeps them equal.

use std::path::PathBuf;
use std::process::ExitCode;

use oxgen::output::{self, DirSync, Failure, SpecDir};

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=spec");
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("oxgen");
    let mut sync = DirSync::new(&out, false);
    let generated = SpecDir::discover(&root.join("spec"))
        .map_err(Failure::Io)
        // Names relative to the project: the same output on every machine.
        .and_then(|found| output::generate_into(&found.input("spec"), false, &[], &mut sync, ""));
    let summary = match generated {
        Ok(summary) => summary,
        Err(Failure::Io(message)) => {
            println!("cargo::error={message}");
            return ExitCode::FAILURE;
        }
        Err(Failure::Spec(diagnostics)) => {
            // One line per problem, pointing at the spec, instead of a panic backtrace.
            for diagnostic in diagnostics.iter() {
                println!("cargo::error={diagnostic}");
            }
            return ExitCode::FAILURE;
        }
    };
    for warning in &summary.warnings {
        println!("cargo::warning={warning}");
    }
    if let Err(e) = sync.finish() {
        println!("cargo::error=cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
