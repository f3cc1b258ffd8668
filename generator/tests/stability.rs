//! A small spec change gives a small, local diff of the generated code: the
//! promise that makes `generated/` reviewable. Each edit below is applied to
//! the Kantata spec and the lines it changes are counted.

use std::collections::BTreeMap;

const SPEC: &str = include_str!("specs/kantata-openapi31.yaml");

fn generate(text: &str) -> BTreeMap<String, String> {
    oxgen::generate("spec/kantata.yaml", text)
        .unwrap_or_else(|d| panic!("{d}"))
        .files
}

/// Lines removed and added between two texts (longest common subsequence).
fn changed_lines(old: &str, new: &str) -> (usize, usize) {
    let added = added_lines(old, new).len();
    let common = new.lines().count() - added;
    (old.lines().count() - common, added)
}

/// The lines of `new` that are not in `old` (longest common subsequence),
/// trimmed.
fn added_lines(old: &str, new: &str) -> Vec<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut added) = (0, 0, Vec::new());
    while j < b.len() {
        if i < a.len() && a[i] == b[j] {
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            added.push(b[j].trim().to_owned());
            j += 1;
        }
    }
    added
}

/// `(file, removed, added)` for every file the edit touches.
fn diff(edited: &str) -> Vec<(String, usize, usize)> {
    let (before, after) = (generate(SPEC), generate(edited));
    let mut touched = Vec::new();
    for (name, new) in &after {
        let old = before.get(name).map(String::as_str).unwrap_or("");
        let (removed, added) = changed_lines(old, new);
        if removed + added > 0 {
            touched.push((name.clone(), removed, added));
        }
    }
    touched
}

fn edit(from: &str, to: &str) -> String {
    assert_eq!(
        SPEC.matches(from).count(),
        1,
        "the edit must apply once: {from}"
    );
    SPEC.replacen(from, to, 1)
}

#[test]
fn adding_an_optional_field_touches_only_that_field() {
    let edited = edit(
        "        name:\n          type: [string, 'null']\n          description: The name of the role.",
        "        name:\n          type: [string, 'null']\n          description: The name of the role.\n        \
         rank:\n          type: [integer, 'null']\n          description: The role's rank.",
    );
    assert_eq!(diff(&edited), [("types.rs".to_owned(), 0, 2)]);
    // The field with its doc comment, in one place: the struct is its
    // declaration (`oxgen_runtime::Object` writes the serde impls).
    let (before, after) = (&generate(SPEC)["types.rs"], &generate(&edited)["types.rs"]);
    assert_eq!(
        added_lines(before, after),
        ["/// The role's rank.", "pub rank: Option<i64>,"]
    );
    assert!(after.contains("    /// The role's rank.\n    pub rank: Option<i64>,\n"));
}

#[test]
fn adding_an_enum_value_touches_only_that_enum() {
    let edited = edit(
        "        - classification\n",
        "        - classification\n        - department\n",
    );
    // The variant with its wire name, in one place (`oxgen_runtime::StringEnum`
    // writes the conversions).
    assert_eq!(diff(&edited), [("types.rs".to_owned(), 0, 2)]);
    let (before, after) = (&generate(SPEC)["types.rs"], &generate(&edited)["types.rs"]);
    assert_eq!(
        added_lines(before, after),
        ["#[oxgen(rename = \"department\")]", "Department,"]
    );
}

#[test]
fn adding_an_operation_only_adds_lines() {
    let edited = edit(
        "components:\n",
        "  /users/me:\n    get:\n      operationId: Get Me\n      responses:\n        '200':\n          \
         description: The user of the token.\n          content:\n            application/json:\n              \
         schema:\n                $ref: '#/components/schemas/UserEnvelope'\ncomponents:\n",
    );
    let touched = diff(&edited);
    let files: Vec<_> = touched.iter().map(|(file, ..)| file.as_str()).collect();
    assert_eq!(files, ["client.rs"], "{touched:?}");
    assert_eq!(touched[0].1, 0, "nothing removed: {touched:?}");
    // The method (docs, `#[inline]`, signature, its `answer` function with
    // the dispatch, request) and a blank line.
    assert_eq!(touched[0].2, 15, "{touched:?}");
}

#[test]
fn reordering_keys_changes_nothing() {
    // Move `Meta` after `ResultRef`: same document, other key order.
    let meta_start = SPEC.find("    Meta:\n").unwrap();
    let meta_end = SPEC.find("    ResultRef:\n").unwrap();
    let errors_start = SPEC.find("    Errors:\n").unwrap();
    let meta = &SPEC[meta_start..meta_end];
    let result_ref = &SPEC[meta_end..errors_start];
    let moved = format!(
        "{}{result_ref}{meta}{}",
        &SPEC[..meta_start],
        &SPEC[errors_start..]
    );
    assert_eq!(diff(&moved), []);
}

#[test]
fn changing_a_description_touches_only_its_doc_lines() {
    let edited = edit(
        "        full_name:\n          type: [string, 'null']\n          description: The full name of the user.\n",
        "        full_name:\n          type: [string, 'null']\n          description: The user's full name.\n",
    );
    assert_eq!(diff(&edited), [("types.rs".to_owned(), 1, 1)]);
}

/// Inline schemas are named after where they stand, so an operation added
/// before them (in document and name order) leaves their names alone.
#[test]
fn inline_types_keep_their_names_when_unrelated_parts_change() {
    let spec = |extra: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{extra}  /pets:\n    get:\n      operationId: listPets\n      \
             responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              \
             schema:\n                type: array\n                items:\n                  type: object\n                  \
             properties:\n                    owner: {{type: object, properties: {{name: {{type: string}}}}}}\n"
        )
    };
    let extra = "  /animals:\n    get:\n      operationId: listAnimals\n      responses:\n        '200':\n          \
                 description: ok\n          content:\n            application/json:\n              schema:\n                \
                 type: array\n                items:\n                  type: object\n                  properties:\n                    \
                 owner: {type: object, properties: {name: {type: string}}}\n";
    let names = |text: &str| -> Vec<String> {
        let types = &generate(text)["types.rs"];
        types
            .lines()
            .filter_map(|l| l.strip_prefix("pub struct "))
            .map(|l| l.trim_end_matches(" {").to_owned())
            .collect()
    };
    let before = names(&spec(""));
    let after = names(&spec(extra));
    assert_eq!(
        before,
        ["ListPetsResponse200Item", "ListPetsResponse200ItemOwner"]
    );
    assert_eq!(
        after,
        [
            "ListAnimalsResponse200Item",
            "ListAnimalsResponse200ItemOwner",
            "ListPetsResponse200Item",
            "ListPetsResponse200ItemOwner"
        ]
    );
    let pets = |text: &str| {
        let types = generate(text)["types.rs"].clone();
        let start = types.find("pub struct ListPetsResponse200Item ").unwrap();
        types[start..].to_owned()
    };
    assert_eq!(pets(&spec("")), pets(&spec(extra)));
}
