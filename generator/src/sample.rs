//! Values a schema accepts, made from the schema itself (its raw JSON, so
//! that validation keywords the generated types do not need are read only
//! here): what the conformance harness sends for every argument of every
//! operation, every optional member set, for an independent validator to
//! check.

use serde_json::{Map, Number, Value, json};

/// How deep (in schemas followed: members, items and references) a value
/// nests before optional members are left out (recursive schemas), and
/// before it is given up.
const OPTIONAL_DEPTH: usize = 6;
const MAX_DEPTH: usize = 16;

/// Makes sample values from the schemas of one document.
pub struct Sampler<'a> {
    document: &'a Value,
}

impl<'a> Sampler<'a> {
    /// A sampler of the schemas of `document` (OpenAPI 3 JSON), whose
    /// local references it follows.
    pub fn new(document: &'a Value) -> Self {
        Sampler { document }
    }

    /// A value `schema` accepts in a request (read-only members left out);
    /// `None` when none can be made (a reference that names nothing, a
    /// schema no value matches).
    pub fn sample(&self, schema: &Value) -> Option<Value> {
        self.value(schema, 0)
    }

    fn value(&self, schema: &Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let schema = match schema {
            Value::Bool(true) => return Some(json!("sample")),
            Value::Bool(false) => return None,
            Value::Object(schema) => schema,
            _ => return None,
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let target = reference
                .strip_prefix('#')
                .and_then(|pointer| self.document.pointer(pointer))?;
            return self.value(target, depth + 1);
        }
        if let Some(value) = schema.get("const") {
            return Some(value.clone());
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values.iter().find(|v| !v.is_null()).cloned();
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            return self.all_of(schema, members, depth);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(alternatives) = schema.get(keyword).and_then(Value::as_array) {
                return self.one_of(schema, alternatives, depth);
            }
        }
        match kind(schema) {
            // Binary content, as the bytes the generated types hold.
            "string" if schema.get("format").and_then(Value::as_str) == Some("binary") => {
                Some(json!([115, 97, 109, 112, 108, 101]))
            }
            "string" => Some(Value::String(string(schema))),
            "integer" => Some(Value::Number(integer(schema).into())),
            "number" => Some(number(schema)),
            "boolean" => Some(Value::Bool(true)),
            "array" => self.array(schema, depth),
            "null" => Some(Value::Null),
            _ => self.object(schema, depth),
        }
    }

    fn object(&self, schema: &Map<String, Value>, depth: usize) -> Option<Value> {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let needed = required.contains(&name.as_str());
                if !needed && (depth >= OPTIONAL_DEPTH || self.read_only(property)) {
                    continue;
                }
                match self.value(property, depth + 1) {
                    Some(value) => {
                        out.insert(name.clone(), value);
                    }
                    None if needed => return None,
                    None => {}
                }
            }
        }
        if out.is_empty()
            && let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object())
            && let Some(value) = self.value(values, depth + 1)
        {
            out.insert("key".to_owned(), value);
        }
        Some(Value::Object(out))
    }

    fn array(&self, schema: &Map<String, Value>, depth: usize) -> Option<Value> {
        let min = count(schema.get("minItems")).unwrap_or(1).max(1);
        let max = count(schema.get("maxItems")).unwrap_or(u64::MAX);
        let n = min.min(max);
        if let Some(prefix) = schema.get("prefixItems").and_then(Value::as_array) {
            return prefix
                .iter()
                .map(|item| self.value(item, depth + 1))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array);
        }
        let items = schema.get("items").unwrap_or(&Value::Bool(true));
        let item = self.value(items, depth + 1)?;
        let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
        let values = (0..n)
            .map(|i| match (&item, unique && i > 0) {
                // Distinct, and no longer than the first.
                (Value::String(text), true) => {
                    let mut text: Vec<char> = text.chars().collect();
                    let digit = char::from_digit((i % 10) as u32, 10).unwrap_or('0');
                    match text.last_mut() {
                        Some(last) => *last = digit,
                        None => text.push(digit),
                    }
                    Value::String(text.into_iter().collect())
                }
                (Value::Number(number), true) => {
                    Value::Number((number.as_i64().unwrap_or(0) + i as i64).into())
                }
                _ => item.clone(),
            })
            .collect();
        Some(Value::Array(values))
    }

    fn all_of(
        &self,
        schema: &Map<String, Value>,
        members: &[Value],
        depth: usize,
    ) -> Option<Value> {
        let mut merged = Map::new();
        let mut other = None;
        let own: Map<String, Value> = schema
            .iter()
            .filter(|(k, _)| *k != "allOf")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let own = Value::Object(own);
        for member in members.iter().chain(std::iter::once(&own)) {
            match self.value(member, depth + 1)? {
                Value::Object(map) => merged.extend(map),
                value => other = other.or(Some(value)),
            }
        }
        match other {
            Some(value) if merged.is_empty() => Some(value),
            _ => Some(Value::Object(merged)),
        }
    }

    fn one_of(
        &self,
        schema: &Map<String, Value>,
        alternatives: &[Value],
        depth: usize,
    ) -> Option<Value> {
        // A number is also text where parameters are (`1` fits both `integer`
        // and `string` in a path), and an integer is a number: under `oneOf`
        // it would fit two alternatives, so another's value is taken when
        // there is one.
        let textual = alternatives
            .iter()
            .filter(|a| matches!(self.kind_of(a), "string" | "number" | "integer"))
            .count()
            > 1;
        let mut candidates = alternatives
            .iter()
            .filter_map(|a| Some((a, self.value(a, depth + 1)?)));
        let first = candidates.next()?;
        let (alternative, value) = match (&first.1, textual) {
            (Value::Number(_), true) => candidates.find(|(_, v)| !v.is_number()).unwrap_or(first),
            _ => first,
        };
        // The schema's own members apply beside the alternative's (GitHub:
        // `properties`, then `anyOf` of which ones are required).
        let own: Map<String, Value> = schema
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "oneOf" | "anyOf" | "discriminator"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut value = match (value, own.contains_key("properties")) {
            (Value::Object(chosen), true) => match self.object(&own, depth) {
                Some(Value::Object(mut merged)) => {
                    merged.extend(chosen);
                    Value::Object(merged)
                }
                _ => Value::Object(chosen),
            },
            (value, _) => value,
        };
        // The discriminator's value for the alternative chosen.
        if let (Some(discriminator), Value::Object(map)) = (schema.get("discriminator"), &mut value)
            && let Some(property) = discriminator.get("propertyName").and_then(Value::as_str)
        {
            let target = alternative.get("$ref").and_then(Value::as_str);
            let mapped = discriminator
                .get("mapping")
                .and_then(Value::as_object)
                .and_then(|mapping| {
                    mapping
                        .iter()
                        .find(|(_, to)| to.as_str() == target)
                        .map(|(name, _)| name.clone())
                });
            let named = target.and_then(|t| t.rsplit('/').next()).map(str::to_owned);
            if let Some(tag) = mapped.or(named) {
                map.insert(property.to_owned(), Value::String(tag));
            }
        }
        Some(value)
    }

    /// `schema`, or what its local reference names (`None` when that is
    /// nothing).
    fn followed<'s>(&'s self, schema: &'s Value) -> Option<&'s Value> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference
                .strip_prefix('#')
                .and_then(|p| self.document.pointer(p)),
            None => Some(schema),
        }
    }

    /// The type `schema` names, following a reference.
    fn kind_of<'s>(&'s self, schema: &'s Value) -> &'s str {
        self.followed(schema)
            .and_then(Value::as_object)
            .map_or("", kind)
    }

    fn read_only(&self, schema: &Value) -> bool {
        self.followed(schema)
            .is_some_and(|s| s.get("readOnly") == Some(&Value::Bool(true)))
    }
}

/// The type a schema names first (a 3.1 list of types: its first that is
/// not `null`), or what its keywords imply.
fn kind(schema: &Map<String, Value>) -> &str {
    match schema.get("type") {
        Some(Value::String(kind)) => kind,
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        _ if schema.contains_key("items") => "array",
        _ if schema.contains_key("properties") => "object",
        _ => "",
    }
}

fn count(value: Option<&Value>) -> Option<u64> {
    value.and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f as u64)))
}

fn bound(value: Option<&Value>) -> Option<f64> {
    value.and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()))
}

/// 1, or the bound nearest to it when the schema's bounds leave 1 out (a
/// lowest bound of the widest range would give a number beyond what JSON
/// parsers read exactly), rounded up to a multiple the schema asks for.
fn integer(schema: &Map<String, Value>) -> i64 {
    let exclusive = |keyword: &str| schema.get(keyword).and_then(Value::as_f64);
    let flag = |keyword: &str| schema.get(keyword) == Some(&Value::Bool(true));
    let mut low =
        bound(schema.get("minimum")).map(|m| if flag("exclusiveMinimum") { m + 1.0 } else { m });
    if let Some(m) = exclusive("exclusiveMinimum") {
        low = Some(low.map_or(m + 1.0, |l| l.max(m + 1.0)));
    }
    let mut high =
        bound(schema.get("maximum")).map(|m| if flag("exclusiveMaximum") { m - 1.0 } else { m });
    if let Some(m) = exclusive("exclusiveMaximum") {
        high = Some(high.map_or(m - 1.0, |h| h.min(m - 1.0)));
    }
    let mut value = match (low, high) {
        (Some(low), _) if low > 1.0 => low.ceil(),
        (_, Some(high)) if high < 1.0 => high.floor(),
        _ => 1.0,
    };
    if let Some(step) = bound(schema.get("multipleOf")).filter(|s| *s >= 1.0) {
        value = (value / step).ceil() * step;
    }
    value as i64
}

fn number(schema: &Map<String, Value>) -> Value {
    let value = integer(schema);
    Value::Number(Number::from(value))
}

/// A string the schema allows: by its format, its pattern or its example,
/// within its lengths.
fn string(schema: &Map<String, Value>) -> String {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let by_format = match format {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "uuid" => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "email" => Some("user@example.com"),
        "uri" | "url" | "uri-reference" | "iri" => Some("https://example.com/sample"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("c2FtcGxl"),
        "duration" => Some("P1D"),
        _ => None,
    };
    if let Some(text) = by_format {
        return text.to_owned();
    }
    let example = schema
        .get("example")
        .or_else(|| schema.get("examples").and_then(|e| e.get(0)))
        .and_then(Value::as_str);
    let pattern = schema.get("pattern").and_then(Value::as_str);
    let min = count(schema.get("minLength")).unwrap_or(0) as usize;
    let text = match (pattern, example) {
        (Some(_), Some(example)) => example.to_owned(),
        (Some(pattern), None) => (0..=min)
            .map_while(|extra| matching_with(pattern, extra))
            .find(|text| text.chars().count() >= min)
            .or_else(|| matching(pattern))
            .unwrap_or_else(|| "sample".to_owned()),
        (None, _) => "sample".to_owned(),
    };
    let max = count(schema.get("maxLength")).map_or(usize::MAX, |m| m as usize);
    let mut text = text;
    if pattern.is_none() {
        while text.chars().count() < min {
            text.push('a');
        }
        if text.chars().count() > max {
            text = text.chars().take(max).collect();
        }
    }
    text
}

/// A string `pattern` (a regular expression, unanchored unless it says
/// so) matches: the first alternative of each choice, the least number of
/// each repetition that is not zero. `None` for what it does not know
/// (lookaround, back references).
pub fn matching(pattern: &str) -> Option<String> {
    matching_with(pattern, 0)
}

/// [`matching`], with `extra` more of each repetition that has no upper
/// bound (`*`, `+`, `{n,}`) and up to `extra` more of one that has: longer
/// strings, for a pattern whose least match is shorter than a `minLength`.
fn matching_with(pattern: &str, extra: usize) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let text = sequence(&chars, &mut at, extra)?;
    (at == chars.len()).then_some(text)
}

/// A sequence up to `|`, `)` or the end; the alternatives after `|` are
/// skipped.
fn sequence(chars: &[char], at: &mut usize, extra: usize) -> Option<String> {
    let mut out = String::new();
    while *at < chars.len() {
        match chars[*at] {
            ')' => return Some(out),
            '|' => {
                skip_alternatives(chars, at)?;
                return Some(out);
            }
            '^' | '$' => *at += 1,
            _ => {
                let atom = atom(chars, at, extra)?;
                let times = quantifier(chars, at, extra)?;
                for _ in 0..times {
                    out.push_str(&atom);
                }
            }
        }
    }
    Some(out)
}

/// Skips from a `|` to the `)` that closes its group, or the end.
fn skip_alternatives(chars: &[char], at: &mut usize) -> Option<()> {
    let mut depth = 0usize;
    while *at < chars.len() {
        match chars[*at] {
            '\\' => *at += 1,
            '[' => {
                class(chars, at)?;
                continue;
            }
            '(' => depth += 1,
            ')' if depth == 0 => return Some(()),
            ')' => depth -= 1,
            _ => {}
        }
        *at += 1;
    }
    Some(())
}

fn atom(chars: &[char], at: &mut usize, extra: usize) -> Option<String> {
    let c = chars[*at];
    *at += 1;
    Some(match c {
        '(' => {
            if chars.get(*at) == Some(&'?') {
                // Only a non-capturing group is known.
                if chars.get(*at + 1) != Some(&':') {
                    return None;
                }
                *at += 2;
            }
            let inner = sequence(chars, at, extra)?;
            (chars.get(*at) == Some(&')')).then_some(())?;
            *at += 1;
            inner
        }
        '[' => {
            *at -= 1;
            class(chars, at)?.to_string()
        }
        '.' => "a".to_owned(),
        '\\' => {
            let escaped = *chars.get(*at)?;
            *at += 1;
            match escaped {
                'd' => "1".to_owned(),
                'w' => "a".to_owned(),
                's' => " ".to_owned(),
                'D' | 'W' | 'S' => "-".to_owned(),
                'b' | 'B' => String::new(),
                c if c.is_ascii_digit() => return None,
                c => c.to_string(),
            }
        }
        c => c.to_string(),
    })
}

/// A character class at `[`: its first member (for a negated class, a
/// letter or digit it does not name).
fn class(chars: &[char], at: &mut usize) -> Option<char> {
    *at += 1;
    let negated = chars.get(*at) == Some(&'^');
    if negated {
        *at += 1;
    }
    let mut members: Vec<(char, char)> = Vec::new();
    let mut first = true;
    while *at < chars.len() && (chars[*at] != ']' || first) {
        first = false;
        let mut c = chars[*at];
        *at += 1;
        if c == '\\' {
            let escaped = *chars.get(*at)?;
            *at += 1;
            match escaped {
                'd' => {
                    members.push(('0', '9'));
                    continue;
                }
                'w' => {
                    members.push(('a', 'z'));
                    continue;
                }
                's' => {
                    members.push((' ', ' '));
                    continue;
                }
                other => c = other,
            }
        }
        if chars.get(*at) == Some(&'-') && chars.get(*at + 1).is_some_and(|n| *n != ']') {
            let end = chars[*at + 1];
            *at += 2;
            members.push((c, end));
        } else {
            members.push((c, c));
        }
    }
    (chars.get(*at) == Some(&']')).then_some(())?;
    *at += 1;
    if negated {
        return "aA0_-"
            .chars()
            .find(|c| !members.iter().any(|(lo, hi)| lo <= c && c <= hi));
    }
    members.first().map(|(lo, _)| *lo)
}

/// How many times the atom before it repeats: the least the quantifier
/// allows, and `extra` more where it allows more.
fn quantifier(chars: &[char], at: &mut usize, extra: usize) -> Option<usize> {
    let times = match chars.get(*at) {
        Some('?') => {
            *at += 1;
            0
        }
        Some('*') => {
            *at += 1;
            extra
        }
        Some('+') => {
            *at += 1;
            1 + extra
        }
        Some('{') => {
            let close = chars[*at..].iter().position(|c| *c == '}')? + *at;
            let inside: String = chars[*at + 1..close].iter().collect();
            *at = close + 1;
            let mut bounds = inside.split(',');
            let low: usize = bounds.next()?.trim().parse().ok()?;
            match bounds.next().map(str::trim) {
                None => low,
                Some("") => low + extra,
                Some(high) => (low + extra).min(high.parse().ok()?),
            }
        }
        _ => 1,
    };
    // A lazy or possessive mark changes nothing here.
    if matches!(chars.get(*at), Some('?') | Some('+')) {
        *at += 1;
    }
    Some(times)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_give_strings_they_match() {
        for (pattern, expected) in [
            ("^[a-z]+$", "a"),
            ("^\\d{3}-\\d{4}$", "111-1111"),
            ("^(foo|bar)_[A-Z0-9]{2,5}$", "foo_AA"),
            ("^[^0-9]+\\.json$", "a.json"),
            ("^(?:v\\d+)?$", ""),
            ("ab?c*d+", "ad"),
            ("^[-_a-zA-Z0-9]+$", "-"),
        ] {
            assert_eq!(matching(pattern).as_deref(), Some(expected), "{pattern}");
        }
        assert_eq!(matching("^(?=x)x$"), None);
        assert_eq!(matching("(a)\\1"), None);
    }

    #[test]
    fn samples_keep_to_their_schemas() {
        let document = json!({"components": {"schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "minLength": 8},
                    "id": {"type": "integer", "readOnly": true},
                    "age": {"type": "integer", "minimum": 3, "maximum": 9, "multipleOf": 2},
                    "kind": {"type": "string", "enum": [null, "cat", "dog"]},
                    "tags": {"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "maxLength": 3}},
                    "born": {"type": ["string", "null"], "format": "date"},
                    "owner": {"$ref": "#/components/schemas/Pet"},
                },
            },
        }}});
        let sampler = Sampler::new(&document);
        let pet = sampler
            .sample(&json!({"$ref": "#/components/schemas/Pet"}))
            .unwrap();
        assert_eq!(pet["name"], "sampleaa");
        assert!(pet.get("id").is_none(), "read-only members are not sent");
        assert_eq!(pet["age"], 4);
        assert_eq!(pet["kind"], "cat");
        assert_eq!(pet["tags"], json!(["sam", "sa1"]));
        assert_eq!(pet["born"], "2024-01-02");
        // A recursive member nests a few levels, then only what is required.
        let mut depth = 0;
        let mut at = &pet;
        while let Some(owner) = at.get("owner") {
            depth += 1;
            at = owner;
        }
        assert_eq!(depth, 3);
    }

    #[test]
    fn unions_take_their_first_alternative_with_its_tag() {
        let document = json!({"components": {"schemas": {
            "Cat": {"type": "object", "properties": {"kind": {"type": "string"}, "meows": {"type": "boolean"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
        }}});
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
        });
        assert_eq!(
            Sampler::new(&document).sample(&schema),
            Some(json!({"kind": "cat", "meows": true}))
        );
        let all_of = json!({"allOf": [{"$ref": "#/components/schemas/Dog"}, {"properties": {"age": {"type": "integer"}}}]});
        assert_eq!(
            Sampler::new(&document).sample(&all_of),
            Some(json!({"kind": "sample", "age": 1}))
        );
    }

    /// What Prism refused in GitHub's requests, each made to fit.
    #[test]
    fn samples_fit_patterns_with_lengths_and_alternatives_beside_properties() {
        let document = json!({});
        let sampler = Sampler::new(&document);
        // A pattern's least match is shorter than the least length.
        let sha = json!({"type": "string", "pattern": "^[0-9a-fA-F]+$", "minLength": 40, "maxLength": 40});
        assert_eq!(sampler.sample(&sha), Some(json!("0".repeat(40))));
        assert_eq!(matching_with("^v\\d{1,3}x*$", 2).as_deref(), Some("v111xx"));
        // `1` in a path fits `integer` and `string` both: not one of them.
        let id = json!({"oneOf": [{"type": "integer"}, {"type": "string"}]});
        assert_eq!(sampler.sample(&id), Some(json!("sample")));
        // Which members are required is said by `anyOf` beside `properties`.
        let gist = json!({
            "type": "object",
            "properties": {"description": {"type": "string"}, "files": {"type": "object"}},
            "anyOf": [{"required": ["description"]}, {"required": ["files"]}],
        });
        assert_eq!(
            sampler.sample(&gist),
            Some(json!({"description": "sample", "files": {}}))
        );
        // An alternative's own value of a member wins over the shared one.
        let check = json!({
            "type": "object",
            "properties": {"status": {"enum": ["queued", "completed"]}, "conclusion": {"enum": ["success"]}},
            "anyOf": [{"properties": {"status": {"enum": ["completed"]}}, "required": ["conclusion"]}],
        });
        assert_eq!(
            sampler.sample(&check),
            Some(json!({"status": "completed", "conclusion": "success"}))
        );
    }
}
