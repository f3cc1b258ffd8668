//! A document read as JSON Schema, for an independent judgement (the
//! `jsonschema` crate) of whether a value fits the schema at a pointer.
//!
//! OpenAPI's own words are translated (`nullable`, `x-nullable`), and one
//! reading oxgen also makes and warns about is made: a list under `items` on a
//! schema with no `type` is `anyOf` (Slack's way of writing "one of these").

use std::fs;
use std::path::Path;

use serde_json::{Map, Value};

/// A document (JSON, or YAML by its extension) as a value.
pub fn load(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_yaml::from_str(&text).unwrap()
    }
}

/// The value at `segments`, following local `$ref`s on the way, and the
/// pointer where it really stands.
pub fn walk<'d>(document: &'d Value, segments: &[String]) -> Option<(&'d Value, String)> {
    let mut at = String::from("#");
    let mut node = document;
    for segment in segments {
        (node, at) = follow(document, node, at)?;
        node = match node {
            Value::Object(map) => map.get(segment)?,
            Value::Array(list) => list.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
        at = format!("{at}/{}", segment.replace('~', "~0").replace('/', "~1"));
    }
    follow(document, node, at)
}

/// `node`, or what its local `$ref` names (repeatedly).
pub fn follow<'d>(
    document: &'d Value,
    mut node: &'d Value,
    mut at: String,
) -> Option<(&'d Value, String)> {
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return Some((node, at));
        };
        let target = reference.strip_prefix("#/")?;
        node = document.pointer(&format!("/{target}"))?;
        at = reference.to_owned();
    }
    None
}

pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The validator's errors for `value` against the schema at `pointer`, read
/// with oxgen's reading of a list under `items` with no `type`.
pub fn validate(document: &Value, pointer: &str, value: &Value) -> Result<Vec<String>, String> {
    validate_as(document, pointer, value, Reading::Oxgen)
}

/// How a list under `items` on a schema with no `type` is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// As JSON Schema reads it: positions of an array, nothing else
    /// constrained.
    JsonSchema,
    /// As oxgen reads it: `anyOf` of its schemas.
    Oxgen,
}

/// The validator's errors for `value` against the schema at `pointer`.
pub fn validate_as(
    document: &Value,
    pointer: &str,
    value: &Value,
    reading: Reading,
) -> Result<Vec<String>, String> {
    let openapi_31 = document
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    let mut root = document.clone();
    as_json_schema(&mut root, openapi_31, reading);
    let Value::Object(map) = &mut root else {
        return Err("the document is not an object".into());
    };
    map.insert("$ref".into(), Value::String(uri_fragment(pointer)));
    let draft = if openapi_31 {
        jsonschema::Draft::Draft202012
    } else {
        jsonschema::Draft::Draft4
    };
    let validator = jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| format!("the validator cannot read {pointer}: {e}"))?;
    Ok(validator
        .iter_errors(value)
        .map(|e| {
            // A large value is named, not printed.
            let value = e.instance().to_string();
            let message = e.to_string();
            let message = match message.strip_prefix(&value) {
                Some(rest) if value.len() > 40 => format!("the value{rest}"),
                _ => message,
            };
            format!("at {}: {message}", e.instance_path())
        })
        .collect())
}

/// A JSON pointer as a URI fragment: what a URI cannot hold (GitHub's
/// `{org}`) percent-encoded.
pub fn uri_fragment(pointer: &str) -> String {
    let mut out = String::new();
    for c in pointer.chars() {
        if c.is_ascii_alphanumeric() || "#/-._~!$&'()*+,;=:@".contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// OpenAPI's schema words in JSON Schema's: `nullable`/`x-nullable` as a
/// `null` type, and (in oxgen's reading) a list under `items` with no `type`
/// as `anyOf`.
pub fn as_json_schema(value: &mut Value, openapi_31: bool, reading: Reading) {
    match value {
        Value::Object(map) => {
            if !openapi_31 {
                allow_null(map);
            }
            let positional = reading == Reading::Oxgen
                && map.get("items").is_some_and(Value::is_array)
                && !map.contains_key("type")
                && !map.contains_key("anyOf")
                && !map.contains_key("oneOf");
            if positional && let Some(items) = map.remove("items") {
                map.insert("anyOf".into(), items);
            }
            map.values_mut()
                .for_each(|v| as_json_schema(v, openapi_31, reading));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| as_json_schema(v, openapi_31, reading)),
        _ => {}
    }
}

pub fn allow_null(map: &mut Map<String, Value>) {
    let nullable = ["nullable", "x-nullable"]
        .iter()
        .any(|key| map.get(*key) == Some(&Value::Bool(true)));
    if !nullable {
        return;
    }
    if let Some(Value::String(kind)) = map.get("type") {
        let kind = kind.clone();
        map.insert("type".into(), serde_json::json!([kind, "null"]));
    }
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
}
