//! `generated/` must be exactly what the generator makes of `spec/` (the
//! vendor document with our overlay), so a stale copy can never land. Fix
//! with `cargo run -p oxgen -- generate --mock`.

use std::path::Path;

#[test]
fn generated_matches_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = oxgen::Builder::new()
        .spec(root.join("spec"))
        .out_dir(root.join("generated"))
        // As build.rs generates them.
        .mock(true)
        .check(true)
        .cargo_output(false)
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.summary.warnings.is_empty(),
        "{:?}",
        report.summary.warnings
    );
    assert!(
        report.unchanged(),
        "generated/ is stale (differs: {:?}, no longer produced: {:?}); run `cargo run -p oxgen -- generate --mock`",
        report.written,
        report.removed
    );
}
