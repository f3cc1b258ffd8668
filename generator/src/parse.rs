//! Stage 1: spec text -> typed OpenAPI model. JSON or YAML, told apart by content.

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::openapi::OpenApi;

/// Parses one OpenAPI 3.0 or 3.1 document. `file` names it in diagnostics.
pub fn parse(file: &str, text: &str) -> Result<OpenApi, Diagnostics> {
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
        (None, Some(v)) => {
            return Err(one(
                file,
                "#/swagger",
                format!(
                    "Swagger {v} documents are not supported yet; expected OpenAPI 3.0.x or 3.1.x"
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
    read(file, text)
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
    let diagnostic = if text.trim_start().starts_with('{') {
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
