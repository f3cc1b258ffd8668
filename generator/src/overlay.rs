//! OpenAPI Overlay 1.0: ordered edits (`actions`) of a spec, each selecting
//! nodes with a JSONPath `target` and merging an `update` into them or
//! removing them. An action whose target matches nothing is an error, so a
//! vendor spec that moves things cannot silently drop a fix.
//!
//! Merging follows the specification: an object update is merged into each
//! selected object recursively (objects merge, other values replace); for a
//! selected array the update is appended as one entry. Inside a recursive
//! merge, an array value is appended to an existing array (so `required: [id]`
//! adds `id`).

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::jsonpath::{self, Location, Step};
use crate::locate::locate;

/// A parsed overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    file: String,
    text: String,
    actions: Vec<Action>,
}

#[derive(Debug, Clone)]
struct Action {
    target_text: String,
    target: jsonpath::Path,
    update: Option<Value>,
    remove: bool,
}

impl Overlay {
    /// Parses an overlay; `file` names it in diagnostics.
    pub fn parse(file: &str, text: &str) -> Result<Overlay, Diagnostics> {
        let raw = crate::parse::raw(file, text)?;
        let mut problems = Problems::new(file, text);
        let root = Pointer::root();
        match raw.get("overlay") {
            Some(Value::String(version)) if version.starts_with("1.") => {}
            Some(other) => problems.add(
                &root.join("overlay"),
                format!("overlay version {other} is not supported; expected 1.0.x"),
            ),
            None => problems.add(&root, "not an overlay: it has no `overlay` field"),
        }
        let mut actions = Vec::new();
        match raw.get("actions") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(action) = action(item, &root.join("actions").join(i), &mut problems)
                    {
                        actions.push(action);
                    }
                }
            }
            _ => problems.add(
                &root.join("actions"),
                "an overlay needs a list of `actions`",
            ),
        }
        problems.finish()?;
        Ok(Overlay {
            file: file.to_owned(),
            text: text.to_owned(),
            actions,
        })
    }

    /// The file name this overlay was parsed with.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Applies every action, in order, to `doc`. Every action that fails is
    /// reported; the ones after it still run.
    pub fn apply(&self, doc: &mut Value) -> Result<(), Diagnostics> {
        let mut problems = Problems::new(&self.file, &self.text);
        for (i, action) in self.actions.iter().enumerate() {
            let at = Pointer::root().join("actions").join(i);
            let mut locations = action.target.select(doc);
            if locations.is_empty() {
                problems.add(
                    &at.join("target"),
                    format!(
                        "target `{}` matches nothing in the spec; the spec may have changed under this overlay",
                        action.target_text
                    ),
                );
                continue;
            }
            if action.remove {
                if locations.iter().any(Vec::is_empty) {
                    problems.add(&at.join("target"), "cannot remove the whole document");
                    continue;
                }
                // Later array entries first, so earlier indexes stay valid.
                locations.sort();
                for location in locations.iter().rev() {
                    remove(doc, location);
                }
                continue;
            }
            let Some(update) = &action.update else {
                continue;
            };
            for location in &locations {
                let Some(node) = node_mut(doc, location) else {
                    continue;
                };
                match (node, update) {
                    (Value::Array(items), update) => items.push(update.clone()),
                    (Value::Object(map), Value::Object(update)) => merge(map, update),
                    (node, _) => {
                        problems.add(
                            &at.join("update"),
                            format!(
                                "target `{}` selects {} ({}), which an update cannot merge into; update its parent instead",
                                action.target_text,
                                jsonpath::pointer(location),
                                kind(node)
                            ),
                        );
                    }
                }
            }
        }
        problems.finish()
    }
}

fn action(item: &Value, at: &Pointer, problems: &mut Problems) -> Option<Action> {
    let Some(target_text) = item.get("target").and_then(Value::as_str) else {
        problems.add(at, "an action needs a `target` (a JSONPath string)");
        return None;
    };
    let target = match jsonpath::Path::parse(target_text) {
        Ok(target) => target,
        Err(message) => {
            problems.add(
                &at.join("target"),
                format!("bad JSONPath `{target_text}`: {message}"),
            );
            return None;
        }
    };
    let remove = match item.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            problems.add(&at.join("remove"), "`remove` must be true or false");
            return None;
        }
    };
    let update = item.get("update").cloned();
    if !remove && update.is_none() {
        problems.add(at, "an action needs an `update` or `remove: true`");
        return None;
    }
    if remove && update.is_some() {
        problems.add(
            at,
            "an action cannot both `update` and `remove`; split it in two",
        );
        return None;
    }
    Some(Action {
        target_text: target_text.to_owned(),
        target,
        update,
        remove,
    })
}

fn merge(into: &mut serde_json::Map<String, Value>, update: &serde_json::Map<String, Value>) {
    for (key, value) in update {
        match (into.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => merge(existing, value),
            (Some(Value::Array(existing)), Value::Array(value)) => {
                existing.extend(value.iter().cloned())
            }
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

fn node_mut<'v>(doc: &'v mut Value, location: &Location) -> Option<&'v mut Value> {
    let mut node = doc;
    for step in location {
        node = match step {
            Step::Key(key) => node.as_object_mut()?.get_mut(key)?,
            Step::Index(i) => node.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(node)
}

fn remove(doc: &mut Value, location: &Location) {
    let Some((last, parent)) = location.split_last() else {
        return;
    };
    match (node_mut(doc, &parent.to_vec()), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.remove(key);
        }
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Problems in one overlay file, located in its text.
struct Problems<'a> {
    file: &'a str,
    text: &'a str,
    found: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        Problems {
            file,
            text,
            found: Vec::new(),
        }
    }

    fn add(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.found.push(Diagnostic {
            file: self.file.to_owned(),
            line: locate(self.text, pointer),
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    fn finish(self) -> Result<(), Diagnostics> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(self.found))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Overlay {
        Overlay::parse("fix.overlay.yaml", text).unwrap()
    }

    #[test]
    fn update_merges_objects_and_appends_to_arrays() {
        let mut doc = json!({
            "definitions": {"User": {"required": ["name"], "properties": {"name": {"type": "string"}}}},
            "tags": ["a"]
        });
        overlay(
            "overlay: 1.0.0\nactions:\n\
             - target: $.definitions.User\n  update:\n    required: [id]\n    properties:\n      id: {type: string}\n      name: {x-nullable: true}\n\
             - target: $.tags\n  update: b\n",
        )
        .apply(&mut doc)
        .unwrap();
        assert_eq!(
            doc,
            json!({
                "definitions": {"User": {"required": ["name", "id"], "properties": {
                    "name": {"type": "string", "x-nullable": true}, "id": {"type": "string"}}}},
                "tags": ["a", "b"]
            })
        );
    }

    #[test]
    fn remove_takes_every_match_out() {
        let mut doc = json!({"ps": [{"n": "a"}, {"n": "b"}, {"n": "a"}], "x": {"y": 1, "z": 2}});
        overlay(
            "overlay: 1.0.0\nactions:\n- target: $.ps[?@.n == 'a']\n  remove: true\n- target: $.x.y\n  remove: true\n",
        )
        .apply(&mut doc)
        .unwrap();
        assert_eq!(doc, json!({"ps": [{"n": "b"}], "x": {"z": 2}}));
    }

    #[test]
    fn a_target_that_matches_nothing_is_an_error_at_its_line() {
        let mut doc = json!({"definitions": {}});
        let text = "overlay: 1.0.0\nactions:\n  - target: $.definitions.User\n    update: {required: [id]}\n  - target: $.definitions\n    update: {}\n  - target: $.definitions.Role\n    remove: true\n";
        let errors = overlay(text).apply(&mut doc).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "fix.overlay.yaml:3:5: target `$.definitions.User` matches nothing in the spec; the spec may have changed under this overlay (at #/actions/0/target)",
                "fix.overlay.yaml:7:5: target `$.definitions.Role` matches nothing in the spec; the spec may have changed under this overlay (at #/actions/2/target)",
            ]
        );
    }

    #[test]
    fn malformed_overlays_are_reported_together() {
        let text = "overlay: 2.0.0\nactions:\n  - update: {}\n  - target: $.a[?length(@) > 1]\n    update: {}\n  - target: $.a\n  - target: $.a\n    remove: yes please\n";
        let errors = Overlay::parse("o.yaml", text).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "o.yaml:1:1: overlay version \"2.0.0\" is not supported; expected 1.0.x (at #/overlay)",
                "o.yaml:3:3: an action needs a `target` (a JSONPath string) (at #/actions/0)",
                "o.yaml:4:5: bad JSONPath `$.a[?length(@) > 1]`: at character 6: function extensions are not supported; expected `@`, `$` or a literal, found `l` (at #/actions/1/target)",
                "o.yaml:6:3: an action needs an `update` or `remove: true` (at #/actions/2)",
                "o.yaml:8:5: `remove` must be true or false (at #/actions/3/remove)",
            ]
        );
    }

    #[test]
    fn an_update_of_a_scalar_is_refused() {
        let mut doc = json!({"info": {"title": "x"}});
        let text = "overlay: 1.0.0\nactions:\n  - target: $.info.title\n    update: {a: 1}\n";
        let errors = overlay(text).apply(&mut doc).unwrap_err();
        assert_eq!(
            errors.0[0].message,
            "target `$.info.title` selects #/info/title (a string), which an update cannot merge into; update its parent instead"
        );
    }
}
