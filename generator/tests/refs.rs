//! `$ref`s across files: followed beside the spec, refused outside it, and
//! cycles through files resolved.

use std::fs;
use std::path::{Path, PathBuf};

fn dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("spec/shared")).unwrap();
    dir
}

const MAIN: &str = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: list pets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: 'shared/pet.yaml#/Pet'}}
components:
  schemas:
    Owner:
      type: object
      properties:
        pets: {type: array, items: {$ref: './shared/pet.yaml#/Pet'}}
"#;

const PET: &str = r#"
Pet:
  type: object
  required: [name]
  properties:
    name: {type: string}
    kind: {$ref: '#/Kind'}
    owner: {$ref: '../api.yaml#/components/schemas/Owner'}
Kind: {type: string, enum: [cat, dog]}
"#;

#[test]
fn references_into_files_beside_the_spec_are_followed() {
    let dir = dir("refs-beside");
    fs::write(dir.join("spec/api.yaml"), MAIN).unwrap();
    fs::write(dir.join("spec/shared/pet.yaml"), PET).unwrap();
    let loader = oxgen::FileLoader::new(&dir.join("spec"));
    let generated =
        oxgen::generate_with_options("spec/api.yaml", MAIN, &loader, &oxgen::Options::default())
            .unwrap_or_else(|d| panic!("{d}"));
    let types = &generated.files["types.rs"];
    assert!(types.contains("pub struct Pet {"), "{types}");
    assert!(types.contains("pub enum Kind {"), "{types}");
    // Pet -> Owner -> Vec<Pet>: the cycle back into the spec resolves to the
    // spec's own Owner (no copy), and Vec needs no Box.
    assert!(types.contains("pub owner: Option<Owner>"), "{types}");
    assert!(!types.contains("Owner2"), "{types}");
    assert!(types.contains("pub pets: Option<Vec<Pet>>"), "{types}");
    assert_eq!(
        types.matches("pub struct Pet {").count(),
        1,
        "two spellings of one reference are one type"
    );
    assert!(generated.summary.fallbacks.is_empty());
}

#[test]
fn references_cannot_leave_the_spec_directory() {
    let dir = dir("refs-escape");
    fs::write(dir.join("secret.yaml"), "Secret: {type: string}").unwrap();
    let text = MAIN
        .replace("'./shared/pet.yaml#/Pet'", "'/etc/passwd#/x'")
        .replace("'shared/pet.yaml#/Pet'", "'../secret.yaml#/Secret'");
    let loader = oxgen::FileLoader::new(&dir.join("spec"));
    let generated =
        oxgen::generate_with_options("spec/api.yaml", &text, &loader, &oxgen::Options::default())
            .unwrap();
    let warnings = warnings(&generated);
    assert!(
        warnings.iter().any(|w| w.contains(
            "`../secret.yaml#/Secret` points outside the spec's directory; typed as any JSON"
        )),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`/etc/passwd#/x` points outside the spec's directory")),
        "{warnings:?}"
    );
    assert_eq!(
        generated.summary.fallbacks.len(),
        2,
        "each refused reference is a counted fallback"
    );
}

#[test]
fn without_a_loader_external_references_are_reported() {
    let generated = oxgen::generate("spec/api.yaml", MAIN).unwrap();
    let warnings = warnings(&generated);
    assert!(!warnings.is_empty());
    assert!(
        warnings
            .iter()
            .all(|w| w.contains("external references need a file loader")),
        "{warnings:?}"
    );
    assert!(!generated.summary.fallbacks.is_empty());
}

#[test]
fn a_document_without_paths_generates_types_only() {
    let text = r#"
openapi: 3.1.0
info: {title: hooks, version: "1"}
webhooks:
  newPet:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
"#;
    let generated = oxgen::generate("hooks.yaml", text).unwrap();
    assert_eq!(
        (generated.summary.operations, generated.summary.types),
        (0, 1)
    );
    assert!(generated.files["types.rs"].contains("pub struct Pet {"));
}

/// A symlink beside the spec that leads out of its directory, and a URL, are
/// refused like `..`: the generator reads nothing outside the spec's
/// directory and never opens a connection.
#[test]
fn symlinks_out_and_urls_are_refused() {
    let dir = dir("refs-symlink");
    fs::write(dir.join("secret.yaml"), "Secret: {type: string}").unwrap();
    std::os::unix::fs::symlink(dir.join("secret.yaml"), dir.join("spec/shared/pet.yaml")).unwrap();
    let text = MAIN.replace(
        "'./shared/pet.yaml#/Pet'",
        "'https://example.com/pet.yaml#/Pet'",
    );
    let loader = oxgen::FileLoader::new(&dir.join("spec"));
    let generated =
        oxgen::generate_with_options("spec/api.yaml", &text, &loader, &oxgen::Options::default())
            .unwrap();
    let warnings = warnings(&generated);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`shared/pet.yaml` leads outside the spec's directory")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("https://example.com/pet.yaml#/Pet")),
        "{warnings:?}"
    );
    assert_eq!(generated.summary.fallbacks.len(), 2, "{warnings:?}");
}

/// A Swagger 2.0 reference to something other than a whole definition is
/// resolved in the converted document, made when first needed.
#[test]
fn swagger_references_inside_definitions_resolve() {
    let text = r#"swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /users:
    get:
      operationId: listUsers
      responses:
        '200':
          description: ok
          schema: {$ref: '#/definitions/User/properties/address'}
definitions:
  User:
    type: object
    properties:
      address:
        type: object
        properties:
          city: {type: string}
"#;
    let generated = oxgen::generate("spec/api.yaml", text).unwrap();
    assert!(generated.summary.fallbacks.is_empty());
    assert!(generated.files["types.rs"].contains("pub city: Option<String>,"));
    assert!(generated.files["client.rs"].contains("ResponseFuture<types::"));
}

/// The run's warnings as they are printed.
fn warnings(generated: &oxgen::Generated) -> Vec<String> {
    let warnings = &generated.summary.warnings;
    warnings.iter().map(ToString::to_string).collect()
}

/// Operations and path items given by reference to other files, as large
/// multi-file descriptions publish them, and parameters and answers given by
/// reference to another file or to a place of the document other than its
/// components: inlined with what they refer to, so every operation keeps its
/// parameters and typed answers; a reference that cannot be followed leaves
/// its operation out, with a located warning.
#[test]
fn operations_and_path_items_by_reference_across_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/multifile");
    let text = std::fs::read_to_string(dir.join("api.yaml")).unwrap();
    let generated = oxgen::generate_with_options(
        "specs/multifile/api.yaml",
        &text,
        &oxgen::FileLoader::new(&dir),
        &oxgen::Options::default(),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let summary = &generated.summary;
    assert_eq!(
        (
            summary.operations,
            summary.types,
            summary.without_answers,
            summary.left_out
        ),
        (6, 4, 0, 1)
    );
    assert_eq!(
        warnings(&generated),
        [
            "specs/multifile/api.yaml:12:5: cannot read `resources/nowhere.yml`: No such file or directory (os error 2); left out (at #/paths/~1v2~1missing/get/$ref)"
        ]
    );
    let client = &generated.files["client.rs"];
    for signature in [
        "pub fn account_get(&self) -> ResponseFuture<types::Account, types::Error>",
        "pub fn droplet_delete(&self, id: i64) -> ResponseFuture<(), ()>",
        "pub fn still_here(&self) -> ResponseFuture<(), ()>",
        "pub fn volume_get(\n        &self,\n        id: i64,\n        params: &VolumeGetParams,\n    ) -> ResponseFuture<types::Account, types::Error>",
    ] {
        assert!(client.contains(signature), "{signature}\n{client}");
    }
    let types = &generated.files["types.rs"];
    assert!(types.contains("pub team: Option<Team>,"), "{types}");
}

/// References are inlined within bounds: one that names what contains it
/// (a cycle) is left out, and references that multiply (each part naming the
/// next twice) stop expanding once inlining has written too much.
#[test]
fn inlining_references_is_bounded() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /self:
    get: {$ref: '#'}
  /fine:
    get:
      operationId: fine
      responses: {'204': {description: ok}}
"#;
    let generated = oxgen::generate("spec/api.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        warnings(&generated),
        [
            "spec/api.yaml:6:5: `#` is part of what it names (a cycle); left out (at #/paths/~1self/get/$ref)"
        ]
    );
    assert_eq!(generated.summary.operations, 1);

    // Thirty levels of two references each: two to the thirtieth values.
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /laughs:\n    get:\n      operationId: laughs\n      parameters: [{$ref: '#/x-laughs/l0'}]\n      responses: {'204': {description: ok}}\nx-laughs:\n",
    );
    for level in 0..30 {
        let next = level + 1;
        text.push_str(&format!(
            "  l{level}: {{a: {{$ref: '#/x-laughs/l{next}'}}, b: {{$ref: '#/x-laughs/l{next}'}}}}\n"
        ));
    }
    text.push_str("  l30: {name: q, in: query}\n");
    let generated = oxgen::generate("spec/api.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    let shown = warnings(&generated);
    assert!(
        shown
            .iter()
            .any(|w| w.contains("references expand to too much here; left out")),
        "{shown:?}"
    );
}
