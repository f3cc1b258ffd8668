//! Finds the line and column of a JSON pointer in the spec's text, so that
//! problems found after parsing still point at the spec. Exact for JSON; for
//! YAML it follows block indentation and stops at flow collections (`{..}`,
//! `[..]`), giving the closest enclosing line.

use crate::diagnostics::Pointer;

/// 1-based line and column of the value `pointer` names in `text`.
pub fn locate(text: &str, pointer: &Pointer) -> Option<(usize, usize)> {
    let segments: Vec<String> = pointer.segments().collect();
    let offset = if text.trim_start().starts_with('{') {
        json(text.as_bytes(), &segments)?
    } else {
        yaml(text, &segments)?
    };
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    Some((line, column))
}

fn json(bytes: &[u8], segments: &[String]) -> Option<usize> {
    let mut at = skip_space(bytes, 0);
    for segment in segments {
        match bytes.get(at)? {
            b'{' => {
                at = skip_space(bytes, at + 1);
                loop {
                    if bytes.get(at) == Some(&b'}') {
                        return None;
                    }
                    let (key, after) = json_string(bytes, at)?;
                    at = skip_space(bytes, after);
                    at = skip_space(bytes, at + 1); // ':'
                    if key == *segment {
                        break;
                    }
                    at = skip_space(bytes, skip_value(bytes, at)?);
                    if bytes.get(at) == Some(&b',') {
                        at = skip_space(bytes, at + 1);
                    }
                }
            }
            b'[' => {
                let index: usize = segment.parse().ok()?;
                at = skip_space(bytes, at + 1);
                for _ in 0..index {
                    at = skip_space(bytes, skip_value(bytes, at)?);
                    if bytes.get(at) != Some(&b',') {
                        return None;
                    }
                    at = skip_space(bytes, at + 1);
                }
            }
            _ => return None,
        }
    }
    Some(at)
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// A JSON string starting at `at`: its (unescaped enough) text and the offset after it.
fn json_string(bytes: &[u8], at: usize) -> Option<(String, usize)> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut end = at + 1;
    while *bytes.get(end)? != b'"' {
        end += if bytes[end] == b'\\' { 2 } else { 1 };
    }
    let raw = std::str::from_utf8(&bytes[at..=end]).ok()?;
    let text = serde_json::from_str(raw).unwrap_or_else(|_| raw.trim_matches('"').to_owned());
    Some((text, end + 1))
}

fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => json_string(bytes, at).map(|(_, end)| end),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = json_string(bytes, i)?.1;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

fn yaml(text: &str, segments: &[String]) -> Option<usize> {
    // Lines as (offset, indent, text); `- key: v` is split into a `-` line and
    // a `key: v` line two columns deeper, so sequence items nest like maps.
    let mut lines: Vec<(usize, usize, &str)> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let mut indent = line.len() - trimmed.len();
        let mut rest = trimmed;
        if !(rest.is_empty() || rest.starts_with('#')) {
            while let Some(after) = rest
                .strip_prefix("- ")
                .or_else(|| (rest == "-").then_some(""))
            {
                lines.push((offset + indent, indent, "-"));
                let skipped = rest.len() - after.trim_start().len();
                indent += skipped;
                rest = after.trim_start();
                if rest.is_empty() {
                    break;
                }
            }
            if !rest.is_empty() {
                lines.push((offset + indent, indent, rest));
            }
        }
        offset += raw.len();
    }
    let (mut from, mut parent, mut found) = (0usize, None::<usize>, None::<usize>);
    for segment in segments {
        let block: Vec<usize> = (from..lines.len())
            .take_while(|&i| parent.is_none_or(|p| lines[i].1 > p))
            .collect();
        let Some(&first) = block.first() else { break };
        let level = lines[first].1;
        let at_level: Vec<usize> = block
            .iter()
            .copied()
            .filter(|&i| lines[i].1 == level)
            .collect();
        let is_sequence = at_level.iter().any(|&i| lines[i].2 == "-");
        // Status codes are map keys that look like indexes.
        let hit = match segment.parse::<usize>() {
            Ok(index) if is_sequence => at_level
                .iter()
                .copied()
                .filter(|&i| lines[i].2 == "-")
                .nth(index),
            _ => at_level.iter().copied().find(|&i| {
                let (key, _) = lines[i].2.split_once(':').unwrap_or(("", ""));
                key.trim().trim_matches(['"', '\'']) == segment
            }),
        };
        let Some(line) = hit else { break };
        found = Some(line);
        parent = Some(lines[line].1);
        from = line + 1;
    }
    found.map(|i| lines[i].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, pointer: &str) -> Option<(usize, usize)> {
        locate(text, &Pointer::from_fragment(pointer).unwrap())
    }

    #[test]
    fn json_pointers_are_found_exactly() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": \"x\"}]},\n  \"paths\": {\n    \"/u/{id}\": {\"get\": {}}\n  }\n}";
        assert_eq!(at(text, "#/a/b/1/c"), Some((2, 24)));
        assert_eq!(at(text, "#/paths/~1u~1{id}/get"), Some((4, 24)));
        assert_eq!(at(text, "#/missing"), None);
    }

    #[test]
    fn yaml_pointers_follow_indentation() {
        let text = "openapi: 3.1.0\npaths:\n  /users/{id}:\n    put:\n      parameters:\n        - name: id\n          in: path\n        - $ref: '#/x'\ncomponents:\n  schemas:\n    User:\n      required: [a]\n";
        assert_eq!(at(text, "#/paths/~1users~1{id}/put"), Some((4, 5)));
        assert_eq!(
            at(text, "#/paths/~1users~1{id}/put/parameters/1"),
            Some((8, 9))
        );
        assert_eq!(
            at(text, "#/components/schemas/User/required"),
            Some((12, 7))
        );
        let responses = "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n";
        assert_eq!(
            at(responses, "#/paths/~1a/get/responses/200/description"),
            Some((6, 11))
        );
        // Past what block structure tells: the closest enclosing line.
        assert_eq!(
            at(text, "#/components/schemas/User/required/0"),
            Some((12, 7))
        );
    }
}
