//! Every Rust name the generator emits comes from here: case conversion
//! (heck's word rules, for ASCII), ASCII-only identifiers, keywords made raw
//! (or suffixed where Rust has no raw form), and a per-scope allocator that
//! resolves collisions with a deterministic numeric suffix.

use std::collections::BTreeSet;

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
/// The sign of a leading number is a word, so that GitHub's `+1` and `-1`
/// reactions are `plus_1` and `minus_1` rather than `_1` and `_1_2`.
fn asciify(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut rest = name.chars();
    let sign = match name.as_bytes() {
        [b'+', digit, ..] if digit.is_ascii_digit() => Some("plus "),
        [b'-', digit, ..] if digit.is_ascii_digit() => Some("minus "),
        _ => None,
    };
    if let Some(sign) = sign {
        out.push_str(sign);
        rest.next();
    }
    for c in rest {
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

/// The words of an ASCII name, split as heck splits them: at anything but a
/// letter or digit, where a lowercase letter meets an uppercase one
/// (`user|Id`), and before the last capital of a run followed by a lowercase
/// letter (`HTTP|Server`). heck does the same for any text but formats each
/// character on its own; names are converted tens of thousands of times for
/// a large document, and `asciify` has made them ASCII already.
fn words(name: &str) -> Vec<&str> {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        None,
        Lower,
        Upper,
    }
    let mut words = Vec::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = word.as_bytes();
        let (mut start, mut case) = (0, Case::None);
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                words.push(&word[start..]);
                break;
            };
            let case_with_c = if c.is_ascii_lowercase() {
                Case::Lower
            } else if c.is_ascii_uppercase() {
                Case::Upper
            } else {
                case
            };
            if case_with_c == Case::Lower && next.is_ascii_uppercase() {
                words.push(&word[start..=i]);
                (start, case) = (i + 1, Case::None);
            } else if case == Case::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                words.push(&word[start..i]);
                (start, case) = (i, Case::None);
            } else {
                case = case_with_c;
            }
        }
    }
    words
}

/// `snake_case` of an ASCII name.
fn to_snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, word) in words(name).into_iter().enumerate() {
        if i > 0 {
            out.push('_');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// `UpperCamelCase` of an ASCII name.
fn to_upper_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in words(name) {
        let mut chars = word.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.extend(chars.map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// A `snake_case` name for a field, parameter, method or module.
/// `fallback` stands in when nothing of `name` survives.
pub fn snake(name: &str, fallback: &str) -> String {
    let mut s = to_snake_case(&asciify(name));
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
    let mut s = to_upper_camel_case(&asciify(name));
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
    /// An empty scope.
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

    /// The case conversion is heck's, for every ASCII name: compared on
    /// names built from the characters that decide word boundaries.
    #[test]
    fn case_conversion_matches_heck() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        const ALPHABET: &[u8] = b"aAbB0 9_zZ.yY-";
        let mut state = 0x2545_f491_u32;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        for _ in 0..50_000 {
            let len = next() % 10;
            let name: String = (0..len)
                .map(|_| char::from(ALPHABET[next() as usize % ALPHABET.len()]))
                .collect();
            let ascii = asciify(&name);
            assert_eq!(to_snake_case(&ascii), ascii.to_snake_case(), "{name:?}");
            assert_eq!(
                to_upper_camel_case(&ascii),
                ascii.to_upper_camel_case(),
                "{name:?}"
            );
        }
        for name in [
            "getHTTPResponse",
            "HTTPServer",
            "userID2Name",
            "ABC",
            "a1B2c3",
            "x-rate",
        ] {
            assert_eq!(to_snake_case(name), name.to_snake_case());
            assert_eq!(to_upper_camel_case(name), name.to_upper_camel_case());
        }
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
        assert_eq!(snake("+1", "f"), "plus_1");
        assert_eq!(snake("-1", "f"), "minus_1");
        assert_eq!(camel("-1", "V", "V"), "Minus1");
        assert_eq!(camel("-0.5", "V", "V"), "Minus05");
        assert_eq!(snake("-created", "f"), "created");
        assert_eq!(snake("a-1", "f"), "a_1");
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
        assert_eq!(scope.take("request".into()), "request2");
    }
}
