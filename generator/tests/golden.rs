//! Golden output of small specs, one feature each (`tests/specs/*.yaml`):
//! what the generator writes for unions, nullable fields, credentials,
//! multipart and form bodies, every parameter style, paging and streamed
//! answers, pinned file
//! by file in `tests/golden/<spec>/`. The corpus
//! test compiles the same specs, so the golden files are code that builds.
//!
//! After a deliberate change: `EXPECTORATE=overwrite cargo test -p oxgen
//! --test golden`, then review the diff of `tests/golden/`.

use std::path::Path;

const SPECS: [&str; 7] = [
    "auth",
    "multipart",
    "nullable",
    "paging",
    "params",
    "streams",
    "unions",
];

#[test]
fn small_specs_generate_their_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for spec in SPECS {
        let name = format!("{spec}.yaml");
        let text = std::fs::read_to_string(root.join("specs").join(&name)).unwrap();
        // With the mocks, which are pinned too.
        let options = oxgen::Options {
            mock: true,
            ..Default::default()
        };
        let generated = oxgen::generate_with_options(&name, &text, &oxgen::NoFiles, &options)
            .unwrap_or_else(|d| panic!("{d}"));
        assert!(
            generated.summary.warnings.is_empty() && generated.summary.fallbacks.is_empty(),
            "{spec}: {:?} {:?}",
            generated.summary.warnings,
            generated.summary.fallbacks
        );
        for (file, content) in &generated.files {
            expectorate::assert_contents(root.join("golden").join(spec).join(file), content);
        }
    }
}
