//! Stage 1: spec text -> typed OpenAPI model. JSON or YAML, told apart by content.

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::openapi::OpenApi;

/// A parsed document: the typed model, and whether it was Swagger 2.0 (read
/// as the OpenAPI 3.0 document it converts to).
pub struct Parsed {
    pub model: OpenApi,
    pub swagger: bool,
}

/// Parses one OpenAPI 3.0 or 3.1 or Swagger 2.0 document. `file` names it in diagnostics.
pub fn parse(file: &str, text: &str) -> Result<Parsed, Diagnostics> {
    let version: VersionProbe = read(file, text)?;
    match (&version.openapi, &version.swagger) {
        (Some(v), _) if v.starts_with("3.0") || v.starts_with("3.1") => {}
        (Some(v), _) => {
            return Err(one(
                file,
                "#/openapi",
                format!("OpenAPI version {v} is not supported; expected 3.0.x or 3.1.x"),
            ));
        }
        (None, Some(v)) if v == "2.0" => {
            return Ok(Parsed {
                model: swagger(file, text)?,
                swagger: true,
            });
        }
        (None, Some(v)) => {
            return Err(one(
                file,
                "#/swagger",
                format!(
                    "Swagger {v} is not supported; expected Swagger 2.0 or OpenAPI 3.0.x or 3.1.x"
                ),
            ));
        }
        (None, None) => {
            return Err(one(
                file,
                "#",
                "not an OpenAPI document: it has no `openapi` field",
            ));
        }
    }
    Ok(Parsed {
        model: read(file, text)?,
        swagger: false,
    })
}

/// Swagger 2.0 is converted to OpenAPI 3.0 as a JSON value first; problems in
/// the converted document are reported at the matching Swagger pointer (and
/// placed in the Swagger text by the caller).
///
/// The converted value is written out as JSON text and freed before the
/// typed model is read from that text. Read from the value itself, the model
/// was built while the value was freed piece by piece, spread over all the
/// memory the value had taken, and the IR after it: that memory stayed
/// resident.
fn swagger(file: &str, text: &str) -> Result<OpenApi, Diagnostics> {
    let converted = raw_openapi(file, text, true)?;
    let json = converted.to_string();
    drop(converted);
    if let Ok(model) = serde_json::from_str(&json) {
        return Ok(model);
    }
    // Read again with the path tracked, as `read` does, for the message.
    let mut de = serde_json::Deserializer::from_str(&json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let pointer = crate::swagger::pointer_in_swagger(&pointer_of(e.path()));
        one(file, &pointer, strip_location(&e.inner().to_string()))
    })
}

/// The main document as OpenAPI 3 JSON: Swagger 2.0 converted, as [`parse`]
/// reads it; for references that the typed model does not answer.
pub fn raw_openapi(
    file: &str,
    text: &str,
    swagger: bool,
) -> Result<serde_json::Value, Diagnostics> {
    let document = raw(file, text)?;
    Ok(if swagger {
        crate::swagger::to_openapi3(document)
    } else {
        document
    })
}

/// The document as a JSON value, whatever its format. YAML mapping keys that
/// are not strings (`200:`) become strings.
pub fn raw(file: &str, text: &str) -> Result<serde_json::Value, Diagnostics> {
    if text.trim_start().starts_with('{') {
        return read(file, text);
    }
    let yaml: serde_yaml::Value = read(file, text)?;
    Ok(yaml_to_json(yaml))
}

fn yaml_to_json(value: serde_yaml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    match value {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).unwrap_or(J::Null),
        Y::String(s) => J::String(s),
        Y::Sequence(items) => J::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => J::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

#[derive(serde::Deserialize)]
struct VersionProbe {
    #[serde(default)]
    openapi: Option<String>,
    #[serde(default)]
    swagger: Option<String>,
}

fn one(file: &str, pointer: &str, message: impl Into<String>) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        file: file.to_owned(),
        line: None,
        pointer: pointer.to_owned(),
        message: message.into(),
    }])
}

fn read<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostics> {
    // Tracking the path costs an allocation per member name; it is only
    // needed for the message, so a document is read again with it only when
    // reading failed (deserialization is deterministic: it fails the same way).
    let json = text.trim_start().starts_with('{');
    let untracked = if json {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    };
    if let Some(value) = untracked {
        return Ok(value);
    }
    let diagnostic = if json {
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize(&mut de) {
            Ok(value) => return Ok(value),
            Err(e) => Diagnostic {
                file: file.to_owned(),
                line: Some((e.inner().line(), e.inner().column())),
                pointer: pointer_of(e.path()),
                message: strip_location(&e.inner().to_string()),
            },
        }
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        match serde_path_to_error::deserialize(de) {
            Ok(value) => return Ok(value),
            Err(e) => Diagnostic {
                file: file.to_owned(),
                line: e.inner().location().map(|l| (l.line(), l.column())),
                pointer: pointer_of(e.path()),
                message: strip_yaml_path(&strip_location(&e.inner().to_string())),
            },
        }
    };
    Err(Diagnostics(vec![diagnostic]))
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => pointer.join("?"),
        };
    }
    pointer.to_string()
}

/// serde_json and serde_yaml append " at line L column C"; the diagnostic carries
/// the location itself.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// serde_yaml starts messages with its own dotted path (`paths./users.get: ...`);
/// the diagnostic carries the JSON pointer instead.
fn strip_yaml_path(message: &str) -> String {
    match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && (path.contains('.') || path.contains('[')) => {
            rest.to_owned()
        }
        _ => message.to_owned(),
    }
}
