//! Generates the client of `spec.yaml` into `OUT_DIR`, as the kantata crate does.

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=spec.yaml");
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("oxgen");
    let text = std::fs::read_to_string(root.join("spec.yaml")).unwrap();
    match oxgen::generate("spec.yaml", &text) {
        Ok(generated) => {
            oxgen::output::sync_dir(&out, &generated.files, false).unwrap();
        }
        Err(diagnostics) => {
            for diagnostic in diagnostics.iter() {
                println!("cargo::error={diagnostic}");
            }
        }
    }
}
