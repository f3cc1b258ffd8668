//! `generated/` must be exactly what the generator makes of `spec/` (the
//! vendor document with our overlay), so a stale copy can never land. Fix
//! with `cargo run -p oxgen -- generate`.

use std::path::Path;

use oxgen::output::{self, Failure, SpecDir};

#[test]
fn generated_matches_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = SpecDir::discover(&root.join("spec")).unwrap();
    let generated = match output::generate(&found.input("spec"), false, &[]) {
        Ok(generated) => generated,
        Err(Failure::Io(message)) => panic!("{message}"),
        Err(Failure::Spec(diagnostics)) => panic!("{diagnostics}"),
    };
    assert!(
        generated.summary.warnings.is_empty(),
        "{:?}",
        generated.summary.warnings
    );
    let changes = output::sync_dir(&root.join("generated"), &generated.files, true).unwrap();
    assert!(
        changes.is_empty(),
        "generated/ is stale (differs: {:?}, no longer produced: {:?}); run `cargo run -p oxgen -- generate`",
        changes.written,
        changes.removed
    );
}
