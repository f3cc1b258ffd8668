//! Every Rust name the generator emits comes from here: case conversion with
//! heck, ASCII-only identifiers, keywords made raw (or suffixed where Rust has
//! no raw form), and a per-scope allocator that resolves collisions with a
//! deterministic numeric suffix.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024 (`gen` included).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replaces what cannot stand in an ASCII identifier: non-ASCII letters become
/// `u<hex>` words (so distinct names stay distinct), anything else a separator.
fn asciify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// A `snake_case` name for a field, parameter, method or module.
/// `fallback` stands in when nothing of `name` survives.
pub fn snake(name: &str, fallback: &str) -> String {
    let mut s = asciify(name).to_snake_case();
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    keyword_safe(s)
}

/// An `UpperCamelCase` name for a type or variant. A leading digit gets
/// `prefix` (`V1` for the enum value `1`).
pub fn camel(name: &str, fallback: &str, prefix: &str) -> String {
    let mut s = asciify(name).to_upper_camel_case();
    if s.is_empty() {
        s = fallback.to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, prefix);
    }
    keyword_safe(s)
}

fn keyword_safe(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// Names taken in one scope (a module's types, a struct's fields, a method's
/// locals). Collisions get `2`, `3`, ... in the order names are asked for, so
/// callers ask in a deterministic order.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Takes `candidate`, or the first free `candidate2`, `candidate3`, ...
    /// Raw identifiers compare by their bare name (`r#type` and `type` clash).
    pub fn take(&mut self, candidate: String) -> String {
        let bare = candidate.trim_start_matches("r#").to_owned();
        if self.taken.insert(bare.clone()) {
            return candidate;
        }
        // `Self_` + 2 reads as `Self2`; a keyword plus a digit is no keyword.
        let bare = bare.trim_end_matches('_');
        let separator = if bare.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{bare}{separator}{n}"))
            .find(|name| self.taken.insert(name.clone()))
            .expect("an unbounded range always yields a free name")
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name.trim_start_matches("r#"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_punctuation() {
        assert_eq!(snake("Update User", "op"), "update_user");
        assert_eq!(snake("optional_fields", "f"), "optional_fields");
        assert_eq!(snake("X-Rate-Limit", "f"), "x_rate_limit");
        assert_eq!(snake("getHTTPResponse", "f"), "get_http_response");
        assert_eq!(camel("user include", "T", "T"), "UserInclude");
        assert_eq!(camel("account_membership", "V", "V"), "AccountMembership");
        assert_eq!(camel("foo.bar/baz", "T", "T"), "FooBarBaz");
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake("type", "f"), "r#type");
        assert_eq!(snake("ref", "f"), "r#ref");
        assert_eq!(snake("gen", "f"), "r#gen");
        assert_eq!(snake("async", "f"), "r#async");
        assert_eq!(snake("self", "f"), "self_");
        assert_eq!(snake("super", "f"), "super_");
        assert_eq!(snake("crate", "f"), "crate_");
        assert_eq!(camel("self", "T", "T"), "Self_");
    }

    #[test]
    fn empty_digits_and_non_ascii() {
        assert_eq!(snake("", "field"), "field");
        assert_eq!(snake("!!!", "field"), "field");
        assert_eq!(snake("1st", "f"), "_1st");
        assert_eq!(snake("123", "f"), "_123");
        assert_eq!(camel("1", "V", "V"), "V1");
        assert_eq!(camel("", "Empty", "V"), "Empty");
        assert_eq!(snake("名前", "f"), "u540d_u524d");
        assert_eq!(snake("café", "f"), "caf_ue9");
        assert!(snake("naïve", "f").is_ascii());
    }

    #[test]
    fn scope_resolves_collisions_in_request_order() {
        let mut scope = Scope::new();
        assert_eq!(scope.take(snake("user-id", "f")), "user_id");
        assert_eq!(scope.take(snake("user_id", "f")), "user_id2");
        assert_eq!(scope.take(snake("userId", "f")), "user_id3");
        assert_eq!(scope.take("v1".into()), "v1");
        assert_eq!(scope.take("v1".into()), "v1_2");
        assert_eq!(scope.take("r#type".into()), "r#type");
        assert_eq!(scope.take("type".into()), "type2");
        assert_eq!(scope.take("Self_".into()), "Self_");
        assert_eq!(scope.take("Self_".into()), "Self2");
    }

    #[test]
    fn reserved_names_are_avoided() {
        let mut scope = Scope::with_reserved(&["url", "request"]);
        assert_eq!(scope.take("url".into()), "url2");
        assert!(scope.contains("request"));
    }
}
