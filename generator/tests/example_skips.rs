//! Every example the corpus test skips must deserve it. `docs/corpus-skips.txt`
//! pins the skips of the example round trips (`generator/tests/corpus.rs`
//! checks that a run skips exactly those); this test asks an independent JSON
//! Schema validator (the `jsonschema` crate) about each one:
//!
//! - an example that did not decode must break its own schema;
//! - an example that came back without some members must break its schema,
//!   or those members must be declared nowhere at their place in it.
//!
//! Otherwise the generated types lost or refused data the schema allows: a
//! bug of ours, not the spec's.
//!
//! The validator reads the document as `support::json_schema` translates it.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::Value;
use support::json_schema::{follow, load, unescape, validate, walk};

const SKIPS: &str = "docs/corpus-skips.txt";
const UNDECLARED: &str = "has members its schema does not declare: ";
const CONTRADICTS: &str = "contradicts its schema: ";

#[test]
fn every_skipped_example_breaks_its_schema_or_has_only_undeclared_members() {
    let corpus = support::corpus("every_skipped_example_breaks_its_schema");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let pinned = fs::read_to_string(workspace.join(SKIPS)).unwrap();
    let mut documents: Vec<(String, Value)> = Vec::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in pinned
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let skip =
            Skip::parse(line).unwrap_or_else(|| panic!("unreadable line of {SKIPS}: {line}"));
        let path = match skip.document.strip_prefix("own/") {
            Some(own) => workspace.join("generator/tests/specs").join(own),
            None => match &corpus {
                Some(corpus) => corpus.join(skip.document),
                None => continue,
            },
        };
        if !documents.iter().any(|(name, _)| name == skip.document) {
            documents.push((skip.document.to_owned(), load(&path)));
        }
        let document = &documents
            .iter()
            .find(|(name, _)| name == skip.document)
            .unwrap()
            .1;
        checked += 1;
        if let Err(why) = skip.justified(document) {
            failures.push(format!("{line}\n    {why}"));
        }
    }
    println!("{checked} skipped examples checked against their schemas");
    assert!(
        failures.is_empty(),
        "{} skipped examples do not break their schemas (the generated types are wrong):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

struct Skip<'a> {
    document: &'a str,
    pointer: &'a str,
    reason: &'a str,
}

impl<'a> Skip<'a> {
    /// `document: pointer: reason`; the pointer may itself hold `: `.
    fn parse(line: &'a str) -> Option<Self> {
        let (document, rest) = line.split_once(": ")?;
        let at = [CONTRADICTS, UNDECLARED]
            .iter()
            .filter_map(|reason| rest.find(&format!(": {reason}")))
            .min()?;
        Some(Skip {
            document,
            pointer: &rest[..at],
            reason: &rest[at + 2..],
        })
    }

    fn justified(&self, document: &Value) -> Result<(), String> {
        let place = ExamplePlace::find(document, self.pointer)?;
        let errors = validate(document, &place.schema_pointer, &place.example)?;
        if !errors.is_empty() {
            return Ok(());
        }
        if self.reason.starts_with(CONTRADICTS) {
            return Err(format!(
                "valid by its schema ({}), yet it did not decode",
                place.schema_pointer
            ));
        }
        let members = self.reason.strip_prefix(UNDECLARED).unwrap_or_default();
        let mut declared = Vec::new();
        for member in members.split(", ") {
            let segments: Vec<String> = member.split('/').skip(1).map(unescape).collect();
            let (name, parents) = segments.split_last().ok_or("no member named")?;
            let names = declared_at(document, &place.schema_pointer, parents);
            if names.contains(name.as_str()) {
                declared.push(member);
            }
        }
        if declared.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "valid by its schema ({}), which declares {}, yet they were dropped",
                place.schema_pointer,
                declared.join(", ")
            ))
        }
    }
}

/// Where an example and its schema are in the document.
struct ExamplePlace {
    example: Value,
    /// Where the schema is, after following references.
    schema_pointer: String,
}

impl ExamplePlace {
    /// Examples stand in three places: a media type's `example` or
    /// `examples/<name>` (the schema beside them); a schema's `example` or
    /// `examples/<i>` (that schema). A Swagger 2.0 response's `examples` are
    /// named as the OpenAPI 3 media type they become (`content/<type>/example`).
    fn find(document: &Value, pointer: &str) -> Result<Self, String> {
        let segments: Vec<String> = pointer
            .strip_prefix("#/")
            .ok_or("not a local pointer")?
            .split('/')
            .map(unescape)
            .collect();
        let swagger2 = document.get("swagger").is_some();
        let n = segments.len();
        let found =
            |within: &[String]| walk(document, within).ok_or(format!("{pointer}: not found"));
        let in_media = n >= 3 && segments[n - 3] == "content" && segments[n - 1] == "example";
        let in_media_examples =
            n >= 4 && segments[n - 4] == "content" && segments[n - 2] == "examples";
        if in_media || in_media_examples {
            let media_at = n - if in_media { 1 } else { 2 };
            let media_type = &segments[media_at - 1];
            if swagger2 {
                let (response, at) = found(&segments[..media_at - 2])?;
                let example = response
                    .get("examples")
                    .and_then(|e| e.get(media_type))
                    .ok_or(format!("{pointer}: no Swagger 2.0 example"))?
                    .clone();
                return Ok(ExamplePlace {
                    example,
                    schema_pointer: format!("{at}/schema"),
                });
            }
            let (media, at) = found(&segments[..media_at])?;
            let example = if in_media {
                media.get("example").cloned()
            } else {
                let (example, _) = found(&segments)?;
                example.get("value").cloned()
            };
            return Ok(ExamplePlace {
                example: example.ok_or(format!("{pointer}: no example value"))?,
                schema_pointer: format!("{at}/schema"),
            });
        }
        let schema_end = match segments.as_slice() {
            [.., last] if last == "example" => n - 1,
            [.., examples, _] if examples == "examples" => n - 2,
            _ => return Err(format!("{pointer}: not a place for an example")),
        };
        let (example, _) = found(&segments)?;
        let (_, at) = found(&segments[..schema_end])?;
        Ok(ExamplePlace {
            example: example.clone(),
            schema_pointer: at,
        })
    }
}

/// The property names that the schema at `pointer` declares for the object
/// reached through `parents` (member names; list positions do not count), by
/// any alternative.
fn declared_at(document: &Value, pointer: &str, parents: &[String]) -> BTreeSet<String> {
    let start = document.pointer(pointer.strip_prefix('#').unwrap_or(pointer));
    let mut here: Vec<&Value> = start.into_iter().collect();
    for name in parents {
        let mut next = Vec::new();
        for schema in expand(document, here) {
            for child in [
                schema.get("properties").and_then(|p| p.get(name)),
                schema.get("additionalProperties"),
            ]
            .into_iter()
            .flatten()
            {
                next.push(child);
            }
            if let Some(Value::Object(patterns)) = schema.get("patternProperties") {
                next.extend(patterns.values());
            }
        }
        here = next;
    }
    expand(document, here)
        .into_iter()
        .filter_map(|schema| schema.get("properties").and_then(Value::as_object))
        .flat_map(|properties| properties.keys().cloned())
        .collect()
}

/// `schemas` and every schema they stand for: references followed, the
/// members of `allOf`/`anyOf`/`oneOf`, and the items of lists (positions are
/// not in the members' paths).
fn expand<'d>(document: &'d Value, schemas: Vec<&'d Value>) -> Vec<&'d Value> {
    let mut seen: Vec<*const Value> = Vec::new();
    let mut out = Vec::new();
    let mut stack = schemas;
    while let Some(schema) = stack.pop() {
        let Some((schema, _)) = follow(document, schema, String::new()) else {
            continue;
        };
        if seen.contains(&(schema as *const Value)) {
            continue;
        }
        seen.push(schema);
        out.push(schema);
        for keyword in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(Value::Array(members)) = schema.get(keyword) {
                stack.extend(members);
            }
        }
        match schema.get("items") {
            Some(Value::Array(members)) => stack.extend(members),
            Some(items @ Value::Object(_)) => stack.push(items),
            _ => {}
        }
    }
    out
}

/// The checks themselves, on a small document: a skip is refused when the
/// example fits its schema, accepted when it does not or when what was
/// dropped is declared nowhere at its place.
#[test]
fn a_skip_is_accepted_only_when_the_schema_agrees() {
    let document = serde_json::json!({
        "openapi": "3.0.3",
        "paths": {"/rules/{id}": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Rule"},
            "examples": {
                "fits": {"value": {"id": 1, "reviewers": [{"name": "a"}]}},
                "wrong": {"value": {"id": "one"}}
            }
        }}}}}}},
        "components": {"schemas": {
            "Rule": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "note": {"type": "string", "nullable": true},
                    "reviewers": {"type": "array", "items": {"$ref": "#/components/schemas/Reviewer"}}
                },
                "example": {"id": 2, "note": null, "extra": true}
            },
            "Reviewer": {"type": "object", "properties": {"name": {"type": "string"}}}
        }}
    });
    let media = "#/paths/~1rules~1{id}/get/responses/200/content/application~1json";
    let check = |pointer: &str, reason: &str| {
        let line = format!("doc.json: {pointer}: {reason}");
        let skip = Skip::parse(&line).unwrap();
        assert_eq!(skip.pointer, pointer);
        skip.justified(&document)
    };
    // Did not decode, yet fits: the generated type is wrong.
    let refused = check(
        &format!("{media}/examples/fits"),
        "contradicts its schema: x",
    );
    assert!(refused.unwrap_err().contains("valid by its schema"));
    // Does not fit (`id` is no integer): the spec's fault.
    check(
        &format!("{media}/examples/wrong"),
        "contradicts its schema: x",
    )
    .unwrap();
    // A member the schema declares (`reviewers`, `reviewers[].name`) was lost.
    let lost = check(
        &format!("{media}/examples/fits"),
        "has members its schema does not declare: /reviewers/name",
    );
    assert!(lost.unwrap_err().contains("/reviewers/name"));
    // `extra` is declared nowhere, and `note: null` fits (`nullable`).
    check(
        "#/components/schemas/Rule/example",
        "has members its schema does not declare: /extra",
    )
    .unwrap();
    assert!(
        check(
            "#/components/schemas/Rule/example",
            "has members its schema does not declare: /note",
        )
        .is_err()
    );
}

/// Swagger 2.0 examples are found under the response, their schema beside.
#[test]
fn swagger_2_response_examples_are_found_by_their_converted_pointer() {
    let document = serde_json::json!({
        "swagger": "2.0",
        "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/responses/Ok"}}}}},
        "responses": {"Ok": {
            "schema": {"type": "object", "additionalProperties": false, "properties": {"ok": {"type": "boolean"}}},
            "examples": {"application/json": {"ok": true, "more": 1}}
        }}
    });
    let place = ExamplePlace::find(
        &document,
        "#/paths/~1a/get/responses/200/content/application~1json/example",
    )
    .unwrap();
    assert_eq!(place.schema_pointer, "#/responses/Ok/schema");
    assert_eq!(place.example, serde_json::json!({"ok": true, "more": 1}));
    let errors = validate(&document, &place.schema_pointer, &place.example).unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
}
