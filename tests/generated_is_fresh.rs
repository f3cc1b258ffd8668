//! `generated/` must be exactly what the generator makes of `spec/`, so a
//! stale copy can never land. Fix with `cargo run -p oxgen -- generate`.

use std::path::Path;

#[test]
fn generated_matches_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("spec/kantata.yaml")).unwrap();
    let generated = oxgen::generate("spec/kantata.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    let changes = oxgen::output::sync_dir(&root.join("generated"), &generated.files, true).unwrap();
    assert!(
        changes.is_empty(),
        "generated/ is stale (differs: {:?}, no longer produced: {:?}); run `cargo run -p oxgen -- generate`",
        changes.written,
        changes.removed
    );
}
