//! Reading a document that does not read whole. A fault local to one part is
//! not allowed to refuse the rest: the part is repaired where the intent is
//! unambiguous (a number where a string is meant, a `null` list, a single
//! server not in a list, a response that refers to a request body of the
//! same shape) and left out otherwise (that operation, that path, that
//! component), each with a located warning. Only a document that still does
//! not read is refused.
//!
//! Used only after the strict read failed, so well-formed documents pay
//! nothing for it.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::openapi::{Components, METHODS, OpenApi, Operation, PathItem};

/// What was changed to read a document.
#[derive(Default)]
pub struct Repairs {
    /// Parts read as their evident intent.
    pub repaired: Vec<Diagnostic>,
    /// Parts that could not be read and were left out.
    pub left_out: Vec<Diagnostic>,
    /// Members the specification does not define where they stand, which
    /// reading ignored (see `members`).
    pub ignored: Vec<Diagnostic>,
}

/// Where repairs are said: the document's name, how a pointer of the
/// converted document is shown (Swagger 2.0's own), and what was said.
struct Sink<'a> {
    file: &'a str,
    pointer_of: &'a dyn Fn(&str) -> String,
    repairs: Repairs,
}

impl Sink<'_> {
    fn diagnostic(&self, at: &str, message: String) -> Diagnostic {
        Diagnostic {
            file: self.file.to_owned(),
            line: None,
            pointer: (self.pointer_of)(at),
            message,
        }
    }

    fn repaired(&mut self, at: &Pointer, message: impl Into<String>) {
        let diagnostic = self.diagnostic(&at.to_string(), message.into());
        self.repairs.repaired.push(diagnostic);
    }

    /// `inner`: a pointer within the part at `at` (`#` for the part itself).
    fn left_out(&mut self, at: &Pointer, inner: &str, message: impl Into<String>) {
        let at = format!("{at}{}", inner.trim_start_matches('#'));
        let diagnostic = self.diagnostic(&at, message.into());
        self.repairs.left_out.push(diagnostic);
    }
}

/// Repairs `document` (OpenAPI 3 JSON) in place; `pointer_of` shows a
/// pointer of it as the user's document has it.
pub fn repair(file: &str, document: &mut Value, pointer_of: &dyn Fn(&str) -> String) -> Repairs {
    let mut sink = Sink {
        file,
        pointer_of,
        repairs: Repairs::default(),
    };
    let Value::Object(root) = document else {
        return sink.repairs;
    };
    let at = Pointer::root();

    // `info`: a number or boolean where text is meant (YAML reads `version: 1`
    // as a number).
    if let Some(Value::Object(info)) = root.get_mut("info") {
        for key in ["title", "version", "description"] {
            if let Some(value @ (Value::Number(_) | Value::Bool(_))) = info.get_mut(key) {
                let text = value.to_string();
                sink.repaired(
                    &at.join("info").join(key),
                    format!("a {} where text is meant; read as \"{text}\"", kind(value)),
                );
                *value = Value::String(text);
            }
        }
    }
    servers(root, &at, &mut sink);
    security(root, &at, &mut sink);

    let request_bodies = root
        .get("components")
        .and_then(|c| c.get("requestBodies"))
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        let mut gone = Vec::new();
        for (path, item) in paths.iter_mut() {
            let at = at.join("paths").join(path);
            let Value::Object(item) = item else {
                sink.left_out(&at, "#", "a path item must be a map; path left out");
                gone.push(path.clone());
                continue;
            };
            servers(item, &at, &mut sink);
            let mut methods_gone = Vec::new();
            for (method, operation) in item.iter_mut() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let at = at.join(method);
                if let Value::Object(operation) = operation {
                    servers(operation, &at, &mut sink);
                    security(operation, &at, &mut sink);
                    responses_of_request_bodies(operation, &request_bodies, &at, &mut sink);
                }
                if let Err((inner, why)) = reads::<Operation>(operation) {
                    sink.left_out(&at, &inner, format!("{why}; operation left out"));
                    methods_gone.push(method.clone());
                }
            }
            for method in methods_gone {
                item.remove(&method);
            }
            if let Err((inner, why)) = reads::<PathItem>(&Value::Object(item.clone())) {
                sink.left_out(&at, &inner, format!("{why}; path left out"));
                gone.push(path.clone());
            }
        }
        for path in gone {
            paths.remove(&path);
        }
    }

    if let Some(Value::Object(components)) = root.get_mut("components") {
        let mut gone = Vec::new();
        for (section, entries) in components.iter() {
            let Value::Object(entries) = entries else {
                continue;
            };
            for (name, entry) in entries {
                let alone = serde_json::json!({ section: { name: entry } });
                if let Err((inner, why)) = reads::<Components>(&alone) {
                    // A schema others refer to stays, as any value: the
                    // references to it still resolve.
                    let what = match section.as_str() {
                        "schemas" => "schema read as any JSON",
                        _ => "component left out",
                    };
                    sink.left_out(&at.join("components"), &inner, format!("{why}; {what}"));
                    gone.push((section.clone(), name.clone()));
                }
            }
        }
        for (section, name) in gone {
            if let Some(Value::Object(entries)) = components.get_mut(&section) {
                if section == "schemas" {
                    entries.insert(name, Value::Object(Map::new()));
                } else {
                    entries.remove(&name);
                }
            }
        }
    }
    sink.repairs
}

/// What [`leave_out_faulty`] left out: the first fault of each part, said
/// as leaving it out, and the other faults of those parts.
pub struct LeftOut {
    pub parts: Vec<Diagnostic>,
    pub other_faults: Vec<Diagnostic>,
}

/// Leaves out of `model` the operations (or, for a fault of the path item
/// itself, the paths) where the lowering found `errors`, so that the rest
/// can be lowered again. `None` when some error is not local to one
/// operation or path: the document is refused with them.
pub fn leave_out_faulty(model: &mut OpenApi, errors: &Diagnostics) -> Option<LeftOut> {
    let mut parts: BTreeMap<(String, Option<&'static str>), Vec<&Diagnostic>> = BTreeMap::new();
    for error in &errors.0 {
        let segments: Vec<String> = Pointer::from_fragment(&error.pointer)?.segments().collect();
        let [section, path, rest @ ..] = segments.as_slice() else {
            return None;
        };
        if section != "paths" || !model.paths.contains_key(path) {
            return None;
        }
        let method = rest
            .first()
            .and_then(|m| METHODS.into_iter().find(|method| method == m));
        parts.entry((path.clone(), method)).or_default().push(error);
    }
    let mut left_out = LeftOut {
        parts: Vec::new(),
        other_faults: Vec::new(),
    };
    for ((path, method), faults) in parts {
        let part = match method {
            Some(method) => {
                if let Some(item) = model.paths.get_mut(&path) {
                    item.remove(method);
                }
                "operation"
            }
            None => {
                model.paths.remove(&path);
                "path"
            }
        };
        let (first, others) = faults.split_first()?;
        left_out.parts.push(Diagnostic {
            message: format!("{}; {part} left out", first.message),
            ..(*first).clone()
        });
        left_out
            .other_faults
            .extend(others.iter().map(|&fault| fault.clone()));
    }
    Some(left_out)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "map",
    }
}

/// Whether `value` reads as a `T`; else the pointer inside it and why not.
fn reads<T: DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => Ok(()),
        Err(e) => Err((crate::parse::pointer_of(e.path()), e.inner().to_string())),
    }
}

/// `servers` of the document, a path or an operation: one server not in a
/// list, or a URL alone, is read as a list of it; an entry without a URL is
/// left out.
fn servers(object: &mut Map<String, Value>, at: &Pointer, sink: &mut Sink) {
    let Some(servers) = object.get_mut("servers") else {
        return;
    };
    let at = at.join("servers");
    match servers {
        Value::Array(_) => {}
        Value::Object(_) => {
            sink.repaired(
                &at,
                "one server where a list is meant; read as a list of it",
            );
            *servers = Value::Array(vec![servers.take()]);
        }
        Value::String(url) => {
            sink.repaired(
                &at,
                "a URL where a list of servers is meant; read as one server",
            );
            *servers = serde_json::json!([{ "url": url }]);
        }
        other => {
            let why = format!(
                "a {} where a list of servers is meant; left out",
                kind(other)
            );
            sink.left_out(&at, "#", why);
            object.remove("servers");
            return;
        }
    }
    if let Value::Array(list) = servers {
        let mut i = 0;
        list.retain(|server| {
            let usable = server.get("url").is_some_and(Value::is_string);
            if !usable {
                sink.left_out(&at.join(i), "#", "a server without a `url`; left out");
            }
            i += 1;
            usable
        });
    }
}

/// `security` requirements naming a scheme with `null` scopes (meant: none).
fn security(object: &mut Map<String, Value>, at: &Pointer, sink: &mut Sink) {
    let Some(Value::Array(requirements)) = object.get_mut("security") else {
        return;
    };
    for (i, requirement) in requirements.iter_mut().enumerate() {
        let Value::Object(schemes) = requirement else {
            continue;
        };
        for (scheme, scopes) in schemes.iter_mut() {
            if scopes.is_null() {
                sink.repaired(
                    &at.join("security").join(i).join(scheme),
                    "`null` where a list of scopes is meant; read as no scopes",
                );
                *scopes = Value::Array(Vec::new());
            }
        }
    }
}

/// A response given as a `$ref` to `#/components/requestBodies/...`: the
/// same shape (`description`, `content`), read as a response of it.
fn responses_of_request_bodies(
    operation: &mut Map<String, Value>,
    request_bodies: &Value,
    at: &Pointer,
    sink: &mut Sink,
) {
    let Some(Value::Object(responses)) = operation.get_mut("responses") else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        let Some(reference) = response.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let Some(name) = reference.strip_prefix("#/components/requestBodies/") else {
            continue;
        };
        let Some(Value::Object(body)) = request_bodies.get(name) else {
            continue;
        };
        let mut read = Map::new();
        read.insert(
            "description".into(),
            body.get("description")
                .cloned()
                .unwrap_or_else(|| "".into()),
        );
        if let Some(content) = body.get("content") {
            read.insert("content".into(), content.clone());
        }
        sink.repaired(
            &at.join("responses").join(status).join("$ref"),
            format!("a response refers to a request body (`{reference}`); read as a response with its content"),
        );
        *response = Value::Object(read);
    }
}
