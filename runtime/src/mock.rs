//! What the generated `mock` modules are made of: matchers and answers on
//! an [`httpmock`] server that encode parameters and bodies with the very
//! functions the client sends them with, so that a mock matches exactly
//! what the client sends, byte for byte (feature `mock`).

use std::time::Duration;

pub use httpmock;
use httpmock::{Then, When};
use serde::Serialize;

use crate::body::{encode_form, encode_json};
use crate::params::{Plain, Query, Style, expand, path_expansion, to_value};

/// A regular expression matching `template` with each `{name}` replaced
/// by `fill(name)` (itself a regular expression) and the rest literal.
fn template_regex(template: &str, fill: &dyn Fn(&str) -> String) -> String {
    let mut regex = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        regex.push_str(&regex::escape(&rest[..open]));
        regex.push_str(&fill(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    regex.push_str(&regex::escape(rest));
    regex.push('$');
    regex
}

fn path_regex(regex: &str) -> regex::Regex {
    // Escaped literals and fixed fills: always a valid expression.
    regex::Regex::new(regex).unwrap_or_else(|e| unreachable!("{e}"))
}

/// Requests of `method` to a path of `template` (`/users/{id}`), whatever
/// its parameters hold (within their segment); [`PathMatch::param`]
/// narrows them. Point the client at the server's
/// [`base_url`](httpmock::MockServer::base_url).
pub fn operation(when: When, method: &str, template: &'static str) -> (When, PathMatch) {
    let path = PathMatch {
        template,
        values: Vec::new(),
    };
    // httpmock names only the methods of HTTP/1.1; others (`QUERY`) are
    // matched by their name as sent.
    let when = match method.parse::<httpmock::Method>() {
        Ok(known) => when.method(known),
        Err(_) => {
            let method = method.to_owned();
            when.is_true(move |request| request.method_str() == method)
        }
    };
    let when = when.path_matches(path.regex());
    (when, path)
}

/// The path parameters a mock was narrowed to so far: each narrowing
/// matches the path with all of them (a parameter next to another in one
/// segment is only told apart from it once both are known).
pub struct PathMatch {
    template: &'static str,
    values: Vec<(&'static str, String)>,
}

impl PathMatch {
    /// The path parameter `name` is `value`, expanded with `style` and
    /// percent-encoded as the client does.
    pub fn param<T: Serialize>(
        mut self,
        when: When,
        name: &'static str,
        value: T,
        style: Style,
    ) -> (When, Self) {
        let expansion = match to_value(&value) {
            Ok(value) => path_expansion(name, &value, style),
            Err(e) => not_sendable(&format!("path parameter `{name}`: {e}")),
        };
        self.values.retain(|(known, _)| *known != name);
        self.values.push((name, expansion));
        let when = when.path_matches(self.regex());
        (when, self)
    }

    fn regex(&self) -> regex::Regex {
        let regex = template_regex(self.template, &|param| match self
            .values
            .iter()
            .find(|(name, _)| *name == param)
        {
            Some((_, expansion)) => regex::escape(expansion),
            None => "[^/]*".to_owned(),
        });
        path_regex(&regex)
    }
}

/// The query string is `query`, as the client encodes it (a credential the
/// client adds after it, such as an API key in the query, may follow).
pub fn query(when: When, query: Query) -> When {
    if let Some(problem) = query.problem {
        not_sendable(&problem);
    }
    let expected = query.text;
    when.is_true(move |request| {
        let sent = request.uri_str().split_once('?').map_or("", |(_, q)| q);
        sent == expected
            || (!expected.is_empty()
                && sent
                    .strip_prefix(expected.as_str())
                    .is_some_and(|rest| rest.starts_with('&')))
    })
}

/// The header `name` is `value` as the client sends it; an absent value
/// (`None`) means the request has no such header.
pub fn header<T: Serialize + ?Sized>(when: When, name: &str, value: &T, style: Style) -> When {
    match to_value(value) {
        Ok(serde_json::Value::Null) => when.header_missing(name),
        Ok(value) => when.header(name, expand(&value, style.explode(), &Plain)),
        Err(e) => not_sendable(&e),
    }
}

/// A JSON body of media type `content_type`, byte for byte as the client
/// encodes `body`.
pub fn json_body<B: Serialize + ?Sized>(when: When, content_type: &str, body: &B) -> When {
    match encode_json(body) {
        Ok(bytes) => when
            .header("content-type", content_type)
            .body(bytes_text(&bytes)),
        Err(e) => not_sendable(&e),
    }
}

/// A form body, byte for byte as the client encodes `body` with the
/// properties' `encoding`.
pub fn form_body<B: Serialize + ?Sized>(
    when: When,
    content_type: &str,
    body: &B,
    encoding: &[(&str, Style)],
) -> When {
    match encode_form(body, encoding) {
        Ok(text) => when.header("content-type", content_type).body(text),
        Err(e) => not_sendable(&e),
    }
}

/// A text or binary body, as is.
pub fn raw_body(when: When, content_type: &str, body: &[u8]) -> When {
    when.header("content-type", content_type)
        .body(bytes_text(body))
}

/// httpmock compares bodies as text; JSON and the text the client sends
/// are UTF-8, and other bytes are compared through their lossy text.
fn bytes_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A mock of a value the client cannot send either: a mistake in the test.
fn not_sendable(why: &str) -> ! {
    panic!("the mock cannot match this value, which the client could not send: {why}")
}

/// Answers `status` with `body` as JSON of media type `content_type`.
pub fn json<B: Serialize + ?Sized>(then: Then, status: u16, content_type: &str, body: &B) -> Then {
    let then = then.status(status).header("content-type", content_type);
    match encode_json(body) {
        Ok(bytes) => then.body(bytes),
        // Types generated from a spec always encode; a map with non-string
        // keys would not, and then the answer says so.
        Err(e) => then.body(e),
    }
}

/// Answers `status` with `items` as Server-Sent Events, one `data` line
/// each.
pub fn events<T: Serialize>(then: Then, status: u16, content_type: &str, items: &[T]) -> Then {
    raw(
        then,
        status,
        content_type,
        &framed(items, b"data: ", b"\n\n"),
    )
}

/// Answers `status` with `items` as Server-Sent Events of text data, each
/// line of an item a `data` line.
pub fn text_events(then: Then, status: u16, content_type: &str, items: &[&str]) -> Then {
    let mut body = String::new();
    for item in items {
        for line in item.split('\n') {
            body.push_str("data: ");
            body.push_str(line);
            body.push('\n');
        }
        body.push('\n');
    }
    raw(then, status, content_type, body.as_bytes())
}

/// Answers `status` with `items` as a JSON sequence of `framing`.
pub fn json_seq<T: Serialize>(
    then: Then,
    status: u16,
    content_type: &str,
    framing: crate::Framing,
    items: &[T],
) -> Then {
    let body = match framing {
        crate::Framing::JsonLines => framed(items, b"", b"\n"),
        crate::Framing::JsonSeq => framed(items, b"\x1e", b"\n"),
    };
    raw(then, status, content_type, &body)
}

/// Each item's JSON between `before` and `after`.
fn framed<T: Serialize>(items: &[T], before: &[u8], after: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for item in items {
        body.extend_from_slice(before);
        match encode_json(item) {
            Ok(json) => body.extend_from_slice(&json),
            Err(e) => body.extend_from_slice(e.as_bytes()),
        }
        body.extend_from_slice(after);
    }
    body
}

/// Answers `status` with `body` as is.
pub fn raw(then: Then, status: u16, content_type: &str, body: &[u8]) -> Then {
    then.status(status)
        .header("content-type", content_type)
        .body(body)
}

/// Answers `status` without a body.
pub fn empty(then: Then, status: u16) -> Then {
    then.status(status)
}

/// `status`, which a method answering a range (`4XX`) takes: in the range
/// of `hundreds`, or the test is wrong.
pub fn status_in(status: u16, hundreds: u16) -> u16 {
    assert!(
        status / 100 == hundreds,
        "status {status} is not a {hundreds}XX status"
    );
    status
}

/// Adds `Retry-After`, in whole seconds.
pub fn retry_after(then: Then, after: Duration) -> Then {
    then.header("retry-after", after.as_secs().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_become_anchored_expressions_with_literal_text() {
        let any = |_: &str| "[^/]*".to_owned();
        assert_eq!(template_regex("/users/{id}", &any), "^/users/[^/]*$");
        assert_eq!(
            template_regex("/a.b/{x}{y}/c+d", &any),
            "^/a\\.b/[^/]*[^/]*/c\\+d$"
        );
        assert_eq!(template_regex("/plain", &any), "^/plain$");
    }

    #[test]
    fn path_parameters_are_matched_as_the_client_encodes_them() {
        let simple = Style::Simple { explode: false };
        let path = PathMatch {
            template: "/files/{name}/{a}{b}",
            values: vec![("name", path_expansion("name", &"a/b c".into(), simple))],
        };
        let regex = path.regex();
        assert!(regex.is_match("/files/a%2Fb%20c/x"));
        assert!(!regex.is_match("/files/a/b c/x"));
        // Two parameters in one segment: exact once both are known.
        let label = Style::Label { explode: false };
        let path = PathMatch {
            values: vec![
                ("a", path_expansion("a", &"x".into(), label)),
                ("b", path_expansion("b", &serde_json::json!([]), label)),
            ],
            ..path
        };
        let regex = path.regex();
        assert!(regex.is_match("/files/y/.x."));
        assert!(!regex.is_match("/files/y/.x.z"));
    }
}
