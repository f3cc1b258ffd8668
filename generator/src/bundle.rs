//! References where the typed model has none: a path item or an operation
//! given as a `$ref` (`get: {$ref: resources/account/account_get.yml}`), as
//! multi-file descriptions write them. They are inlined before the model is
//! read, as bundlers do; inside what comes from another file, references
//! other than to schemas (parameters, responses, bodies, headers, examples)
//! are inlined too, and references to schemas are rewritten to stand from the
//! main document, where lowering follows them with its own rules. Files come
//! through the [`Loader`], so the safety rules of external schemas hold.
//! A reference that cannot be followed is a located warning and its part is
//! left out.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Pointer};
use crate::lower::refs::Loader;
use crate::openapi::{METHODS, OpenApi};

/// How deep references may nest before the chain is taken for a cycle.
const MAX_DEPTH: usize = 32;

/// How many values inlining may write, beyond this many times the values
/// of the files it reads (and a floor for small documents): references that
/// are not cycles can still multiply (each part naming the next twice), and
/// a document is not allowed to expand without bound. Shared parts repeated
/// in every operation stay far below it.
const INLINED_PER_SOURCE_VALUE: usize = 8;
const INLINED_FLOOR: usize = 100_000;

/// Whether the model has a path item or operation given by reference, or a
/// parameter, body or response given by a reference that is not to a
/// component of the main document: only then is the document bundled.
pub fn needed(model: &OpenApi) -> bool {
    let elsewhere = |reference: &Option<String>| {
        reference
            .as_deref()
            .is_some_and(|r| !r.starts_with("#/components/"))
    };
    model.paths.values().any(|item| {
        item.reference.is_some()
            || item.parameters.iter().any(|p| elsewhere(&p.reference))
            || item.every_operation().any(|op| {
                op.reference.is_some()
                    || op.parameters.iter().any(|p| elsewhere(&p.reference))
                    || op
                        .request_body
                        .as_ref()
                        .is_some_and(|b| elsewhere(&b.reference))
                    || op.responses.values().any(|r| elsewhere(&r.reference))
            })
    })
}

/// Inlines path items and operations given by reference in `document`
/// (OpenAPI 3 JSON); returns what could not be followed (each left out).
pub fn bundle(file: &str, document: &mut Value, loader: &dyn Loader) -> Vec<Diagnostic> {
    let mut bundler = Bundler {
        file,
        loader,
        files: BTreeMap::new(),
        left_out: Vec::new(),
        expanding: Vec::new(),
        inlined_values: 0,
        source_values: values(document),
    };
    let main = document.clone();
    let here = Place::main();
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = Pointer::root().join("paths").join(path);
            let found = match item.get("$ref") {
                Some(_) => bundler.expand(item, &here, &main, &at, 0),
                None => Some(bundler.inline(std::mem::take(item), &here, &main, &at, 0)),
            };
            let Some(mut found) = found else {
                *item = Value::Object(Default::default());
                continue;
            };
            // Operations by reference to a component (inlining leaves those
            // references, which lowering follows elsewhere).
            if let Value::Object(operations) = &mut found {
                for (key, operation) in operations.iter_mut() {
                    if !METHODS.contains(&key.as_str()) || operation.get("$ref").is_none() {
                        continue;
                    }
                    let at = at.join(key);
                    *operation = bundler
                        .expand(operation, &here, &main, &at, 0)
                        .unwrap_or(Value::Null);
                }
                operations.retain(|_, operation| !operation.is_null());
            }
            *item = found;
        }
    }
    bundler.left_out
}

/// Which file a value comes from (its path beside the main document; empty
/// for the main document itself).
#[derive(Clone)]
struct Place {
    file: String,
}

impl Place {
    fn main() -> Self {
        Place {
            file: String::new(),
        }
    }

    /// The directory references in this file are relative to.
    fn dir(&self) -> &str {
        self.file.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

struct Bundler<'a> {
    file: &'a str,
    loader: &'a dyn Loader,
    /// Files read so far, as JSON.
    files: BTreeMap<String, Value>,
    left_out: Vec<Diagnostic>,
    /// The references being inlined, outermost first (`file#fragment`).
    expanding: Vec<String>,
    /// Values written by inlining so far, and in the files read (see
    /// [`INLINED_PER_SOURCE_VALUE`]).
    inlined_values: usize,
    source_values: usize,
}

impl Bundler<'_> {
    fn warn(&mut self, at: &Pointer, message: String) {
        self.left_out.push(Diagnostic {
            file: self.file.to_owned(),
            line: None,
            pointer: at.join("$ref").to_string(),
            message,
        });
    }

    /// `value`, or what its `$ref` names (repeatedly), and the file that
    /// came from.
    fn follow(
        &mut self,
        value: &Value,
        mut from: Place,
        main: &Value,
        at: &Pointer,
        depth: usize,
    ) -> Option<(Value, Place)> {
        let mut value = value.clone();
        for _ in depth..MAX_DEPTH {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Some((value, from));
            };
            let (target_file, fragment) = match reference.split_once('#') {
                Some((file, fragment)) => (file, fragment),
                None => (reference, ""),
            };
            let target = if target_file.is_empty() {
                from.clone()
            } else {
                match joined(from.dir(), target_file) {
                    Some(file) => Place { file },
                    None => {
                        let why =
                            format!("`{reference}` leads outside the spec's directory; left out");
                        self.warn(at, why);
                        return None;
                    }
                }
            };
            let found = match self.document(&target, main) {
                Ok(document) => document
                    .pointer(fragment)
                    .cloned()
                    .ok_or_else(|| format!("`{reference}` names nothing in its file; left out")),
                Err(why) => Err(format!("{why}; left out")),
            };
            match found {
                Ok(found) => {
                    value = found;
                    from = target;
                }
                Err(why) => {
                    self.warn(at, why);
                    return None;
                }
            }
        }
        self.warn(at, "references nest too deep (a cycle?); left out".into());
        None
    }

    /// The whole of the file at `place`.
    fn document<'m>(&'m mut self, place: &Place, main: &'m Value) -> Result<&'m Value, String> {
        if place.file.is_empty() {
            return Ok(main);
        }
        if !self.files.contains_key(&place.file) {
            let text = self.loader.load(&place.file)?;
            let value = crate::parse::raw(&place.file, &text)
                .map_err(|d| format!("`{}` does not read: {d}", place.file))?;
            self.source_values += values(&value);
            self.files.insert(place.file.clone(), value);
        }
        Ok(&self.files[&place.file])
    }

    /// What the reference `value` (from the file `from`) names, inlined in
    /// turn; `None`, with a warning, when it cannot be followed, when it is
    /// part of what it names (a cycle), or when inlining has written too much.
    fn expand(
        &mut self,
        value: &Value,
        from: &Place,
        main: &Value,
        at: &Pointer,
        depth: usize,
    ) -> Option<Value> {
        let reference = value
            .get("$ref")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = match file {
            "" => from.file.clone(),
            file => joined(from.dir(), file).unwrap_or_else(|| file.to_owned()),
        };
        let key = format!("{file}#{fragment}");
        // A place of the main document that refers to what contains it.
        let within = file.is_empty()
            && format!("#{}/", at.to_string().trim_start_matches('#'))
                .starts_with(&format!("#{fragment}/"));
        if within || self.expanding.contains(&key) {
            self.warn(
                at,
                format!("`{reference}` is part of what it names (a cycle); left out"),
            );
            return None;
        }
        let budget = INLINED_FLOOR + INLINED_PER_SOURCE_VALUE * self.source_values;
        if self.inlined_values > budget {
            self.warn(
                at,
                format!("`{reference}`: references expand to too much here; left out"),
            );
            return None;
        }
        let (found, inner) = self.follow(value, from.clone(), main, at, depth)?;
        self.expanding.push(key);
        let inlined = self.inline(found, &inner, main, at, depth + 1);
        self.expanding.pop();
        Some(inlined)
    }

    /// `value`, from the file `from`, made to stand in the main document:
    /// references other than to schemas inlined (in the main document, those
    /// not to its components), references to schemas rewritten to stand from
    /// the main document.
    fn inline(
        &mut self,
        value: Value,
        from: &Place,
        main: &Value,
        at: &Pointer,
        depth: usize,
    ) -> Value {
        self.inlined_values += 1;
        match value {
            Value::Object(map) => {
                let mut out = serde_json::Map::new();
                for (key, member) in map {
                    let at = at.join(&key);
                    let member = if key == "schema" || key == "schemas" {
                        rebased(member, from)
                    } else if key == "example" || key == "value" {
                        member // data, where `$ref` is a member like any other
                    } else if inlined(&member, from) {
                        match self.expand(&member, from, main, &at, depth) {
                            Some(found) => found,
                            None => continue,
                        }
                    } else {
                        self.inline(member, from, main, &at, depth)
                    };
                    out.insert(key, member);
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, item)| {
                        let at = at.join(i);
                        if inlined(&item, from) {
                            self.expand(&item, from, main, &at, depth)
                        } else {
                            Some(self.inline(item, from, main, &at, depth))
                        }
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

/// How many values `value` holds, itself included.
fn values(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(values).sum(),
        Value::Array(items) => items.iter().map(values).sum(),
        _ => 0,
    }
}

/// Whether `value`, from the file `from`, is a reference that [`Bundler::inline`]
/// replaces by what it names: any, in another file; in the main document, one
/// that is not to a component (lowering follows those itself).
fn inlined(value: &Value, from: &Place) -> bool {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => !from.file.is_empty() || !reference.starts_with("#/components/"),
        None => false,
    }
}

/// A schema from the file `from`, its references made to stand from the
/// main document (`#/x` in `a/b.yml` becomes `a/b.yml#/x`).
fn rebased(value: Value, from: &Place) -> Value {
    if from.file.is_empty() {
        return value;
    }
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, member)| match (key.as_str(), member) {
                    ("$ref", Value::String(reference)) => {
                        let (file, fragment) =
                            reference.split_once('#').unwrap_or((&reference, ""));
                        let file = if file.is_empty() {
                            Some(from.file.clone())
                        } else {
                            joined(from.dir(), file)
                        };
                        // Outside the directory: left for lowering to refuse.
                        let reference = match file {
                            Some(file) => format!("{file}#{fragment}"),
                            None => reference.clone(),
                        };
                        (key, Value::String(reference))
                    }
                    (_, member) => (key, rebased(member, from)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| rebased(v, from)).collect()),
        other => other,
    }
}

/// `relative` joined to `dir`, with `.` and `..` resolved; `None` when it
/// climbs above the main document's directory.
fn joined(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}
