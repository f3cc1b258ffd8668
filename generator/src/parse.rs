//! Stage 1: spec text -> typed OpenAPI model. JSON or YAML, told apart by content.

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::openapi::OpenApi;
use crate::repair::Repairs;

/// A parsed document: the typed model, and whether it was Swagger 2.0 (read
/// as the OpenAPI 3.0 document it converts to).
pub struct Parsed {
    pub model: OpenApi,
    pub swagger: bool,
    /// What was repaired or left out to read a document that did not read
    /// whole (see `repair`).
    pub repairs: Repairs,
}

/// Parses one OpenAPI 3.0, 3.1 or 3.2 or Swagger 2.0 document. `file` names it in diagnostics.
pub fn parse(file: &str, text: &str) -> Result<Parsed, Diagnostics> {
    let version: VersionProbe = read(file, text)?;
    match (&version.openapi, &version.swagger) {
        (Some(v), _)
            if ["3.0", "3.1", "3.2"]
                .iter()
                .any(|minor| v.starts_with(minor)) => {}
        (Some(v), _) => {
            return Err(one(
                file,
                "#/openapi",
                format!("OpenAPI version {v} is not supported; expected 3.0.x, 3.1.x or 3.2.x"),
            ));
        }
        (None, Some(v)) if v == "2.0" => {
            let (model, repairs) = swagger(file, text)?;
            return Ok(Parsed {
                model,
                swagger: true,
                repairs,
            });
        }
        (None, Some(v)) => {
            return Err(one(
                file,
                "#/swagger",
                format!(
                    "Swagger {v} is not supported; expected Swagger 2.0 or OpenAPI 3.0.x, 3.1.x or 3.2.x"
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
    let same: &dyn Fn(&str) -> String = &|p| p.to_owned();
    let (model, repairs) = match read_model(file, text) {
        Ok((model, ignored)) => (
            model,
            Repairs {
                ignored,
                ..Repairs::default()
            },
        ),
        Err(strict) => {
            let mut document = raw(file, text)?;
            let mut repairs = crate::repair::repair(file, &mut document, same);
            match read_value(file, document, same) {
                Ok((model, ignored)) => {
                    repairs.ignored = ignored;
                    (model, repairs)
                }
                // Still unreadable: the first complaint, where the text has it.
                Err(_) => return Err(strict),
            }
        }
    };
    Ok(Parsed {
        model,
        swagger: false,
        repairs,
    })
}

/// The model of a document already read as OpenAPI 3 JSON (bundled, see
/// `bundle`), repaired where it does not read whole.
pub fn parse_value(
    file: &str,
    mut document: serde_json::Value,
    swagger: bool,
) -> Result<Parsed, Diagnostics> {
    let pointer_of: &dyn Fn(&str) -> String = match swagger {
        true => &crate::swagger::pointer_in_swagger,
        false => &|p| p.to_owned(),
    };
    if let Ok((model, ignored)) = model_of(document.clone(), file, pointer_of) {
        return Ok(Parsed {
            model,
            swagger,
            repairs: Repairs {
                ignored,
                ..Repairs::default()
            },
        });
    }
    let mut repairs = crate::repair::repair(file, &mut document, &|p| p.to_owned());
    let (model, ignored) = read_value(file, document, pointer_of)?;
    repairs.ignored = ignored;
    Ok(Parsed {
        model,
        swagger,
        repairs,
    })
}

/// The typed model of a JSON value, or the first problem (its pointer shown
/// by `pointer_of`).
fn read_value(
    file: &str,
    document: serde_json::Value,
    pointer_of: &dyn Fn(&str) -> String,
) -> Result<(OpenApi, Vec<Diagnostic>), Diagnostics> {
    let mut track = serde_path_to_error::Track::new();
    let mut ignored = Vec::new();
    let tracked = serde_path_to_error::Deserializer::new(document, &mut track);
    serde_ignored::deserialize(tracked, |path| {
        undefined(&mut ignored, file, pointer_of, &path)
    })
    .map(|model| (model, ignored))
    .map_err(|e| {
        one(
            file,
            &pointer_of(&self::pointer_of(&track.path())),
            strip_location(&e.to_string()),
        )
    })
}

/// The typed model of a JSON value, with the members it ignored that the
/// specification does not define there.
fn model_of(
    document: serde_json::Value,
    file: &str,
    pointer_of: &dyn Fn(&str) -> String,
) -> Result<(OpenApi, Vec<Diagnostic>), serde_json::Error> {
    let mut ignored = Vec::new();
    let model = serde_ignored::deserialize(document, |path| {
        undefined(&mut ignored, file, pointer_of, &path)
    })?;
    Ok((model, ignored))
}

/// [`model_of`] the text of a document; the first problem where the text
/// has it.
fn read_model(file: &str, text: &str) -> Result<(OpenApi, Vec<Diagnostic>), Diagnostics> {
    match model_of_text(file, text, &|p| p.to_owned()) {
        Some(read) => Ok(read),
        // Again, with the path tracked, for the message.
        None => read(file, text).map(|model| (model, Vec::new())),
    }
}

/// [`model_of`] the text of a document (JSON or YAML), if it reads.
fn model_of_text(
    file: &str,
    text: &str,
    pointer_of: &dyn Fn(&str) -> String,
) -> Option<(OpenApi, Vec<Diagnostic>)> {
    let mut ignored = Vec::new();
    let note = |path: serde_ignored::Path<'_>| undefined(&mut ignored, file, pointer_of, &path);
    let model = if text.trim_start().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_ignored::deserialize(&mut de, note)
            .ok()
            .filter(|_| de.end().is_ok())
    } else {
        serde_ignored::deserialize(serde_yaml::Deserializer::from_str(text), note).ok()
    }?;
    Some((model, ignored))
}

/// Notes a member that reading ignored if the specification does not define
/// it where it stands (see `members`).
fn undefined(
    ignored: &mut Vec<Diagnostic>,
    file: &str,
    pointer_of: &dyn Fn(&str) -> String,
    path: &serde_ignored::Path<'_>,
) {
    if let Some((pointer, message)) = crate::members::undefined(&crate::members::segments(path)) {
        ignored.push(Diagnostic {
            file: file.to_owned(),
            line: None,
            pointer: pointer_of(&pointer.to_string()),
            message,
        });
    }
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
fn swagger(file: &str, text: &str) -> Result<(OpenApi, Repairs), Diagnostics> {
    let document = raw(file, text)?;
    let pointers = crate::swagger::SwaggerPointers::of(&document);
    let converted = crate::swagger::to_openapi3(document);
    let json = converted.to_string();
    drop(converted);
    let in_swagger: &dyn Fn(&str) -> String = &|pointer| pointers.map(pointer);
    if let Some((model, ignored)) = model_of_text(file, &json, in_swagger) {
        return Ok((
            model,
            Repairs {
                ignored,
                ..Repairs::default()
            },
        ));
    }
    let mut document: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| one(file, "#", e.to_string()))?;
    drop(json);
    // Repairs speak of the converted document; `place` shows them at the
    // Swagger pointer, as it does the lowering's warnings.
    let mut repairs = crate::repair::repair(file, &mut document, &|p| p.to_owned());
    let (model, ignored) = read_value(file, document, in_swagger)?;
    repairs.ignored = ignored;
    Ok((model, repairs))
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

pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
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
