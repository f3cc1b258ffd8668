//! Where in a JSON text decoding failed, as a path (`users.42.created_at`,
//! `data[3].name`): the text is scanned again up to the error's position,
//! only after a failure, so that decoding that succeeds pays nothing.

/// The path of the value `error` was raised in, in `json`; empty for the
/// whole text (or for an error without a position).
pub(crate) fn path_of_error(json: &[u8], error: &serde_json::Error) -> String {
    if error.line() == 0 {
        return String::new();
    }
    path_at(json, offset(json, error.line(), error.column()))
}

/// The byte offset of (1-based) `line` and the `column` bytes read on it.
fn offset(json: &[u8], line: usize, column: usize) -> usize {
    let start = match line {
        0 | 1 => 0,
        line => json
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(json.len(), |(i, _)| i + 1),
    };
    (start + column).min(json.len())
}

/// An object or array the scan is inside.
enum Frame {
    Object {
        /// The member being read, from its name to the comma after it.
        key: Option<String>,
        /// Whether a string here is a member's name.
        expecting_key: bool,
    },
    Array {
        index: usize,
        /// Whether the item at `index` has begun.
        started: bool,
    },
}

/// The path of the value being read after the first `end` bytes of `json`:
/// the member or item each enclosing object or array is at.
fn path_at(json: &[u8], end: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let value_starts = |stack: &mut Vec<Frame>| {
        if let Some(Frame::Array { started, .. }) = stack.last_mut() {
            *started = true;
        }
    };
    let mut i = 0;
    while i < end {
        match json[i] {
            b'{' => {
                value_starts(&mut stack);
                stack.push(Frame::Object {
                    key: None,
                    expecting_key: true,
                });
            }
            b'[' => {
                value_starts(&mut stack);
                stack.push(Frame::Array {
                    index: 0,
                    started: false,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, expecting_key }) => {
                    // Between members: the object itself.
                    *key = None;
                    *expecting_key = true;
                }
                Some(Frame::Array { index, .. }) => *index += 1,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
            }
            b'"' => {
                let start = i;
                i = string_end(json, i + 1);
                match stack.last_mut() {
                    Some(Frame::Object {
                        key,
                        expecting_key: true,
                    }) => *key = Some(unquote(&json[start..i])),
                    _ => value_starts(&mut stack),
                }
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => value_starts(&mut stack),
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array {
                index,
                started: true,
            } => path.push_str(&format!("[{index}]")),
            _ => break,
        }
    }
    path
}

/// The offset just past the string whose contents start at `i`.
fn string_end(json: &[u8], mut i: usize) -> usize {
    while i < json.len() {
        match json[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    json.len()
}

/// A member name as the text spells it, escapes resolved.
fn unquote(quoted: &[u8]) -> String {
    serde_json::from_slice(quoted).unwrap_or_else(|_| {
        let inner = quoted.strip_prefix(b"\"").unwrap_or(quoted);
        String::from_utf8_lossy(inner.strip_suffix(b"\"").unwrap_or(inner)).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)] // Only decoded.
    struct User {
        id: String,
        created_at: u32,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Envelope {
        results: Vec<u32>,
        users: BTreeMap<String, User>,
    }

    fn path_of<T: for<'de> Deserialize<'de> + std::fmt::Debug>(json: &str) -> String {
        let error = serde_json::from_str::<T>(json).unwrap_err();
        path_of_error(json.as_bytes(), &error)
    }

    #[test]
    fn the_path_names_the_member_or_item_that_failed() {
        let text = r#"{"results": [1, 2], "users": {"7": {"id": "7", "created_at": 1},
            "3847595": {"id": "3847595", "created_at": "yesterday"}}}"#;
        assert_eq!(path_of::<Envelope>(text), "users.3847595.created_at");
        assert_eq!(
            path_of::<Envelope>(r#"{"results": [1, "x"], "users": {}}"#),
            "results[1]"
        );
        assert_eq!(
            path_of::<Envelope>(r#"{"users": {"a\"b": {"id": 7, "created_at": 1}}}"#),
            "users.a\"b.id"
        );
    }

    #[test]
    fn a_missing_member_names_the_object_that_lacks_it() {
        let text = r#"{"results": [], "users": {"7": {"id": "7"}}}"#;
        assert_eq!(path_of::<Envelope>(text), "users.7");
        assert_eq!(path_of::<Envelope>(r#"{"results": []}"#), "");
    }

    #[test]
    fn positions_on_later_lines_count_from_their_line() {
        let text = "{\n  \"results\": [],\n  \"users\": {\n    \"9\": {\"id\": \"9\", \"created_at\": -1}\n  }\n}";
        assert_eq!(path_of::<Envelope>(text), "users.9.created_at");
    }

    #[test]
    fn broken_text_gives_the_path_where_it_broke() {
        assert_eq!(path_of::<Envelope>(r#"{"results": [1, 2"#), "results[1]");
        assert_eq!(path_of::<Envelope>(r#"{"results": [], "#), "");
        assert_eq!(
            path_of::<Envelope>(r#"{"users": {"1": {"id": "1", "#),
            "users.1"
        );
        assert_eq!(
            path_of::<Envelope>(r#"[1]"#),
            "[0]",
            "serde reads a struct from a list too"
        );
        assert_eq!(path_of::<Envelope>(r#""x""#), "");
        assert_eq!(path_of::<Envelope>(""), "");
    }
}
