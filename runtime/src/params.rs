//! Parameter styles (RFC 6570 expansions as OpenAPI names them) and
//! percent-encoding: paths, query strings, headers and cookies.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// With `allowReserved`, RFC 3986 reserved characters stay too, except those
/// that would end the query value (`&`, `=`, `#`) and `%`.
const RESERVED_ALLOWED: &AsciiSet = &COMPONENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';');

/// OpenAPI parameter styles (RFC 6570 expansions), with `explode`.
#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)] // `explode` says it all, as in the specification.
pub enum Style {
    /// `a,b` (paths and headers).
    Simple { explode: bool },
    /// `.a.b` (paths).
    Label { explode: bool },
    /// `;name=a,b` (paths).
    Matrix { explode: bool },
    /// `name=a,b`, or `name=a&name=b` exploded (query and cookies).
    Form { explode: bool },
    /// `name=a%20b` (query).
    SpaceDelimited { explode: bool },
    /// `name=a|b` (query).
    PipeDelimited { explode: bool },
    /// `name[key]=value` (query).
    DeepObject,
}

impl Style {
    pub(crate) fn explode(self) -> bool {
        match self {
            Style::Simple { explode }
            | Style::Label { explode }
            | Style::Matrix { explode }
            | Style::Form { explode }
            | Style::SpaceDelimited { explode }
            | Style::PipeDelimited { explode } => explode,
            Style::DeepObject => true,
        }
    }
}

/// A query string under construction. Names and values are percent-encoded
/// (RFC 3986: all but unreserved characters, unless `allowReserved`).
#[derive(Default)]
pub struct Query {
    pub(crate) text: String,
    pub(crate) problem: Option<String>,
}

impl Query {
    fn pair(&mut self, name: &str, value: &str, set: &'static AsciiSet) {
        if !self.text.is_empty() {
            self.text.push('&');
        }
        self.text.extend(utf8_percent_encode(name, COMPONENT));
        self.text.push('=');
        self.text.extend(utf8_percent_encode(value, set));
    }

    /// A query parameter. Absent (`null`) values and empty lists are left out,
    /// as RFC 6570 leaves out undefined values.
    pub fn push<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: Style) {
        self.push_value(name, to_value(value), style, COMPONENT);
    }

    /// An optional query parameter: `None` is left out without being
    /// serialized first.
    pub fn push_optional<T: Serialize>(&mut self, name: &str, value: &Option<T>, style: Style) {
        if let Some(value) = value {
            self.push(name, value, style);
        }
    }

    /// A list query parameter: an empty list is left out without being
    /// serialized first.
    pub fn push_list<T: Serialize>(&mut self, name: &str, items: &[T], style: Style) {
        if !items.is_empty() {
            self.push(name, items, style);
        }
    }

    /// A query parameter with `allowReserved`.
    pub fn push_reserved<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: Style) {
        self.push_value(name, to_value(value), style, RESERVED_ALLOWED);
    }

    // Not generic: compiled once, not once per parameter type.
    fn push_value(
        &mut self,
        name: &str,
        value: Result<Value, String>,
        style: Style,
        set: &'static AsciiSet,
    ) {
        let value = match value {
            Ok(value) => value,
            Err(e) => {
                self.problem.get_or_insert(e);
                return;
            }
        };
        let explode = style.explode();
        let encode = |s: &str| percent_encoded(s, set);
        match (&value, style) {
            (Value::Null, _) => {}
            (Value::Array(items), _) if items.is_empty() => {}
            (Value::Object(fields), _) if fields.is_empty() => {}
            (Value::Object(_), Style::DeepObject) => {
                // `name[key]=value`, brackets literal as in the specification.
                let mut prefix = String::new();
                prefix.extend(utf8_percent_encode(name, COMPONENT));
                self.deep(&mut prefix, &value, set);
            }
            (Value::Array(items), Style::Form { .. }) if explode => {
                for item in items {
                    self.pair(name, &scalar_text(item), set);
                }
            }
            (Value::Object(fields), Style::Form { .. }) if explode => {
                for (key, item) in fields {
                    if !item.is_null() {
                        self.pair(key, &scalar_text(item), set);
                    }
                }
            }
            (
                Value::Array(_) | Value::Object(_),
                Style::SpaceDelimited { .. } | Style::PipeDelimited { .. },
            ) if !explode => {
                let separator = if matches!(style, Style::SpaceDelimited { .. }) {
                    "%20"
                } else {
                    "|"
                };
                let items: Vec<String> = flat_items(&value).iter().map(|s| encode(s)).collect();
                self.start(name);
                self.text.push_str(&items.join(separator));
            }
            (Value::Array(items), _) => {
                // Exploded space/pipe-delimited lists repeat the name, as form does.
                if explode {
                    for item in items {
                        self.pair(name, &scalar_text(item), set);
                    }
                } else {
                    self.start(name);
                    let items: Vec<String> =
                        items.iter().map(|i| encode(&scalar_text(i))).collect();
                    self.text.push_str(&items.join(","));
                }
            }
            (Value::Object(_), _) => {
                self.start(name);
                let items: Vec<String> = flat_items(&value).iter().map(|s| encode(s)).collect();
                self.text.push_str(&items.join(","));
            }
            (scalar, _) => self.pair(name, &scalar_text(scalar), set),
        }
    }

    /// A member of a form body with no `encoding`: see [`Request::form`].
    pub(crate) fn form_member(&mut self, name: &str, value: &Value) {
        match value {
            Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                for item in items.iter().filter(|i| !i.is_null()) {
                    self.pair(name, &scalar_text(item), COMPONENT);
                }
            }
            Value::Array(_) | Value::Object(_) => {
                let mut prefix = String::new();
                prefix.extend(utf8_percent_encode(name, COMPONENT));
                self.deep(&mut prefix, value, COMPONENT);
            }
            Value::Null => {}
            scalar => self.pair(name, &scalar_text(scalar), COMPONENT),
        }
    }

    /// `prefix[key]=value` for each member of an object and `prefix[i]=value`
    /// for each item of a list, nested as deep as `value` goes; `prefix` is
    /// already encoded. `null`s are left out.
    fn deep(&mut self, prefix: &mut String, value: &Value, set: &'static AsciiSet) {
        let nested = |prefix: &mut String, key: &str, item: &Value, this: &mut Self| {
            let length = prefix.len();
            prefix.push('[');
            prefix.extend(utf8_percent_encode(key, COMPONENT));
            prefix.push(']');
            this.deep(prefix, item, set);
            prefix.truncate(length);
        };
        match value {
            Value::Null => {}
            Value::Object(fields) => {
                for (key, item) in fields {
                    nested(prefix, key, item, self);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    nested(prefix, &index.to_string(), item, self);
                }
            }
            scalar => {
                if !self.text.is_empty() {
                    self.text.push('&');
                }
                self.text.push_str(prefix);
                self.text.push('=');
                self.text
                    .extend(utf8_percent_encode(&scalar_text(scalar), set));
            }
        }
    }

    fn start(&mut self, name: &str) {
        if !self.text.is_empty() {
            self.text.push('&');
        }
        self.text.extend(utf8_percent_encode(name, COMPONENT));
        self.text.push('=');
    }
}

/// The `Cookie` header's pairs. Names and values are percent-encoded, so
/// that neither can end its pair (`;`) or start another.
#[derive(Default)]
pub(crate) struct Cookies {
    pub(crate) text: String,
}

impl Cookies {
    pub(crate) fn push<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, explode: bool) {
        if let Ok(value) = to_value(value) {
            self.push_value(name, &value, explode);
        }
    }

    pub(crate) fn push_value(&mut self, name: &str, value: &Value, explode: bool) {
        let encode = |text: &str| percent_encoded(text, COMPONENT);
        let mut pair = |name: &str, encoded: &str| {
            if !self.text.is_empty() {
                self.text.push_str("; ");
            }
            self.text.extend(utf8_percent_encode(name, COMPONENT));
            self.text.push('=');
            self.text.push_str(encoded);
        };
        match value {
            Value::Null => {}
            Value::Array(items) if explode => items
                .iter()
                .for_each(|i| pair(name, &encode(&scalar_text(i)))),
            Value::Object(fields) if explode => fields
                .iter()
                .for_each(|(k, v)| pair(k, &encode(&scalar_text(v)))),
            Value::Array(_) | Value::Object(_) => {
                let items: Vec<String> = flat_items(value).iter().map(|s| encode(s)).collect();
                pair(name, &items.join(","));
            }
            scalar => pair(name, &encode(&scalar_text(scalar))),
        }
    }
}

/// How a path or header expansion starts and separates its items.
pub(crate) trait Expansion {
    fn prefix(&self, _name: &str, _value: &Value) -> String {
        String::new()
    }
    fn separator(&self, _explode: bool) -> &'static str {
        ","
    }
    fn exploded_pair(&self, key: &str, value: &str) -> String {
        format!("{key}={value}")
    }
    fn encode(&self, text: &str) -> String {
        text.to_owned()
    }
}

/// Header values: not percent-encoded.
pub(crate) struct Plain;
impl Expansion for Plain {}

/// Path segments: percent-encoded, with the style's prefix.
struct PathStyle {
    style: Style,
}

impl Expansion for PathStyle {
    fn prefix(&self, name: &str, value: &Value) -> String {
        match self.style {
            Style::Label { .. } => ".".into(),
            Style::Matrix { explode: true } if value.is_object() => ";".into(),
            Style::Matrix { .. } => format!(";{}=", self.encode(name)),
            _ => String::new(),
        }
    }

    fn separator(&self, explode: bool) -> &'static str {
        match (self.style, explode) {
            (Style::Label { .. }, true) => ".",
            (Style::Matrix { .. }, true) => ";",
            _ => ",",
        }
    }

    fn exploded_pair(&self, key: &str, value: &str) -> String {
        format!("{}={value}", self.encode(key))
    }

    fn encode(&self, text: &str) -> String {
        percent_encoded(text, COMPONENT)
    }
}

/// `text` percent-encoded (through `Cow`, not `Display`: most values need
/// no encoding and are copied once).
fn percent_encoded(text: &str, set: &'static AsciiSet) -> String {
    Cow::from(utf8_percent_encode(text, set)).into_owned()
}

/// A request path under construction: a template whose `{name}`s are
/// replaced by the parameters' expansions, percent-encoded so that each stays
/// in its segment.
pub struct Path {
    template: &'static str,
    text: String,
    problem: Option<String>,
    /// A parameter expanded to `""`, `.` or `..`, so a segment may be one.
    check_segments: bool,
}

impl From<&'static str> for Path {
    fn from(template: &'static str) -> Self {
        Path::new(template)
    }
}

impl Path {
    /// A path from its template, with `{name}` where each parameter goes.
    pub fn new(template: &'static str) -> Self {
        Path {
            template,
            text: template.to_owned(),
            problem: None,
            check_segments: false,
        }
    }

    /// Puts the expansion of parameter `name` in place of `{name}`.
    pub fn param<T: Serialize>(self, name: &str, value: T, style: Style) -> Self {
        self.param_value(name, to_value(&value), style)
    }

    fn param_value(mut self, name: &str, value: Result<Value, String>, style: Style) -> Self {
        match value {
            Ok(value) => {
                let expansion = path_expansion(name, &value, style);
                // Only such an expansion can leave a segment empty or dotted.
                self.check_segments |= expansion.len() <= 2 && expansion.bytes().all(|b| b == b'.');
                // Each `{name}` in place, without building the placeholder.
                let mut from = 0;
                while let Some(at) = self.text[from..].find('{').map(|i| from + i) {
                    let end = at + 1 + name.len();
                    if self.text[at + 1..].starts_with(name) && self.text[end..].starts_with('}') {
                        self.text.replace_range(at..=end, &expansion);
                        from = at + expansion.len();
                    } else {
                        from = at + 1;
                    }
                }
            }
            Err(e) => {
                self.problem
                    .get_or_insert(format!("path parameter `{name}`: {e}"));
            }
        }
        self
    }

    /// The path, or why it cannot be sent: a segment that a parameter left
    /// empty, `.` or `..` would change which resource the request names (URL
    /// parsers remove dot segments, percent-encoded or not).
    pub(crate) fn finish(self) -> Result<String, String> {
        if let Some(problem) = self.problem {
            return Err(problem);
        }
        if !self.check_segments {
            return Ok(self.text);
        }
        // Expansions never hold `/`, so the segments line up with the template's.
        for (template, text) in self.template.split('/').zip(self.text.split('/')).skip(1) {
            if matches!(text, "" | "." | "..") && template.contains('{') {
                let names: Vec<&str> = template
                    .split('{')
                    .skip(1)
                    .filter_map(|part| part.split_once('}').map(|(name, _)| name))
                    .collect();
                return Err(format!(
                    "path parameter `{}` makes the segment {text:?} of {}: a segment cannot be empty, `.` or `..`",
                    names.join("`, `"),
                    self.template
                ));
            }
        }
        Ok(self.text)
    }
}

/// A path parameter's expansion.
pub(crate) fn path_expansion(name: &str, value: &Value, style: Style) -> String {
    let explode = style.explode();
    let expansion = PathStyle { style };
    // Exploded matrix lists repeat the name: `;name=a;name=b`.
    if let (Style::Matrix { explode: true }, Value::Array(items)) = (style, value) {
        return items
            .iter()
            .map(|i| format!(";{name}={}", expansion.encode(&scalar_text(i))))
            .collect();
    }
    let prefix = expansion.prefix(name, value);
    let expanded = expand(value, explode, &expansion);
    if prefix.is_empty() {
        expanded
    } else {
        prefix + &expanded
    }
}

pub(crate) fn expand(value: &Value, explode: bool, expansion: &dyn Expansion) -> String {
    match value {
        Value::Null => String::new(),
        Value::Array(items) => items
            .iter()
            .map(|i| expansion.encode(&scalar_text(i)))
            .collect::<Vec<_>>()
            .join(expansion.separator(explode)),
        Value::Object(fields) if explode => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| expansion.exploded_pair(k, &expansion.encode(&scalar_text(v))))
            .collect::<Vec<_>>()
            .join(expansion.separator(true)),
        Value::Object(_) => flat_items(value)
            .iter()
            .map(|s| expansion.encode(s))
            .collect::<Vec<_>>()
            .join(","),
        Value::String(text) => expansion.encode(text),
        scalar => expansion.encode(&scalar_text(scalar)),
    }
}

/// A list's items, or an object's keys and values in turn, as text.
fn flat_items(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(scalar_text).collect(),
        Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
            .collect(),
        scalar => vec![scalar_text(scalar)],
    }
}

/// A value as parameter text: strings bare, everything else as JSON.
pub(crate) fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(crate) fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, String> {
    // `serialize` itself, not `serde_json::to_value` and a closure: one
    // function compiled for each parameter type, not three.
    parameter_value(value.serialize(serde_json::value::Serializer))
}

fn parameter_value(value: Result<Value, serde_json::Error>) -> Result<Value, String> {
    match value {
        Ok(value) => Ok(value),
        Err(e) => Err(format!("cannot encode a parameter: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(build: impl FnOnce(&mut Query)) -> String {
        let mut query = Query::default();
        build(&mut query);
        assert_eq!(query.problem, None);
        query.text
    }

    #[test]
    fn a_path_parameter_fills_its_placeholder_encoded() {
        let path = Path::new("/files/{name}/v{version}")
            .param("name", "a/b c", Style::Simple { explode: false })
            .param("version", 2, Style::Simple { explode: false });
        assert_eq!(path.finish().unwrap(), "/files/a%2Fb%20c/v2");
    }

    #[test]
    fn a_placeholder_is_filled_wherever_it_stands_and_only_by_its_own_name() {
        let path = Path::new("/{id}/{idx}/{id}{}/{i")
            .param("id", "{idx}", Style::Simple { explode: false })
            .param("idx", 7, Style::Simple { explode: false });
        assert_eq!(path.finish().unwrap(), "/%7Bidx%7D/7/%7Bidx%7D{}/{i");
    }

    #[test]
    fn a_path_segment_a_parameter_leaves_empty_or_dotted_is_refused() {
        for (value, shown) in [("", "\"\""), (".", "\".\""), ("..", "\"..\"")] {
            let path = Path::new("/a/{id}/b").param("id", value, Style::Simple { explode: false });
            assert_eq!(
                path.finish().unwrap_err(),
                format!(
                    "path parameter `id` makes the segment {shown} of /a/{{id}}/b: \
                     a segment cannot be empty, `.` or `..`"
                )
            );
        }
        // Two parameters that make one segment `..` together are both named.
        let path = Path::new("/a/{x}{y}")
            .param("x", ".", Style::Simple { explode: false })
            .param("y", ".", Style::Simple { explode: false });
        assert!(
            path.finish()
                .unwrap_err()
                .starts_with("path parameter `x`, `y` makes")
        );
        // A label expansion of "." is `..`: refused too.
        let path = Path::new("/a/{x}").param("x", ".", Style::Label { explode: false });
        assert!(path.finish().is_err());
        // With the template's own text, too.
        let path = Path::new("/a/.{x}").param("x", "", Style::Simple { explode: false });
        assert!(path.finish().is_err());
        // Dots inside a segment are ordinary.
        let path = Path::new("/a/{x}").param("x", "..x", Style::Simple { explode: false });
        assert_eq!(path.finish().unwrap(), "/a/..x");
    }

    #[test]
    fn a_path_parameter_that_cannot_be_encoded_is_refused_by_name() {
        let map = std::collections::BTreeMap::from([((1, 2), "x")]);
        let path = Path::new("/a/{m}").param("m", &map, Style::Simple { explode: false });
        assert!(
            path.finish()
                .unwrap_err()
                .starts_with("path parameter `m`: cannot encode")
        );
    }

    #[test]
    fn form_members_nest_under_their_own_name() {
        let value = serde_json::json!({"a": {"b": [1, {"c": "x&y"}]}, "n": null});
        let text = query(|q| {
            for (name, value) in value.as_object().unwrap() {
                q.form_member(name, value);
            }
        });
        assert_eq!(text, "a[b][0]=1&a[b][1][c]=x%26y");
        let text = query(|q| q.form_member("tags", &serde_json::json!(["a", null, "b c"])));
        assert_eq!(text, "tags=a&tags=b%20c");
    }

    #[test]
    fn absent_values_and_empty_lists_are_left_out_as_push_leaves_them() {
        let form = Style::Form { explode: true };
        let absent: Option<u32> = None;
        let none: &[&str] = &[];
        let ours = query(|q| {
            q.push_optional("a", &absent, form);
            q.push_optional("b", &Some("x y"), form);
            q.push_list("c", none, form);
            q.push_list("d", &["1", "2"], form);
        });
        let pushed = query(|q| {
            q.push("a", &absent, form);
            q.push("b", &Some("x y"), form);
            q.push("c", none, form);
            q.push("d", &["1", "2"], form);
        });
        assert_eq!(ours, "b=x%20y&d=1&d=2");
        assert_eq!(ours, pushed);
    }

    #[test]
    fn deep_object_query_parameters_nest_too() {
        let value = serde_json::json!({"k": "v", "inner": {"x": 1}});
        let text = query(|q| q.push("filter", &value, Style::DeepObject));
        assert_eq!(text, "filter[inner][x]=1&filter[k]=v");
    }

    #[test]
    fn absent_values_and_empty_lists_leave_no_parameter() {
        let none: Option<String> = None;
        let text = query(|q| {
            q.push("a", &none, Style::Form { explode: true });
            q.push("b", &Vec::<String>::new(), Style::Form { explode: false });
            q.push("c", "x", Style::Form { explode: true });
        });
        assert_eq!(text, "c=x");
    }

    #[test]
    fn cookie_names_and_values_cannot_start_another_cookie() {
        let mut cookies = Cookies::default();
        let map = std::collections::BTreeMap::from([("a; b=1".to_owned(), "c; d=2".to_owned())]);
        cookies.push("prefs", &map, true);
        cookies.push("s", "x", true);
        assert_eq!(cookies.text, "a%3B%20b%3D1=c%3B%20d%3D2; s=x");
    }
}
