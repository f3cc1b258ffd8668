// Round trips of the spec's examples through the generated types: the end of
// every `examples.rs` that `--examples` writes, and nothing a client ships.
// (In the generator it is compiled for its tests only.)

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Round trips of the spec's examples through the generated types, for the
/// `examples` tests (`oxgen generate --examples`). The rule: an example
/// passes when decoding and encoding it again gives the same JSON, where an
/// object member set to `null` counts as absent, numbers compare by value,
/// RFC 3339 timestamps by the instant they name (`Z` is `+00:00`, `.000` is
/// no fraction) and UUIDs whatever their case and hyphens: what the
/// generated types keep.
/// An example that does not decode, or that has properties its schema does not
/// declare, is skipped with the reason: the spec contradicts itself there.
#[derive(Default)]
pub struct Examples {
    tried: usize,
    passed: usize,
    skipped: Vec<String>,
    failed: Vec<String>,
}

impl Examples {
    pub fn check<T: DeserializeOwned + Serialize>(&mut self, pointer: &str, json: &str) {
        self.tried += 1;
        let original: Value = match serde_json::from_str(json) {
            Ok(value) => value,
            Err(e) => return self.skipped.push(format!("{pointer}: not JSON: {e}")),
        };
        let decoded: T = match serde_json::from_value(original.clone()) {
            Ok(decoded) => decoded,
            Err(e) => {
                return self
                    .skipped
                    .push(format!("{pointer}: contradicts its schema: {e}"));
            }
        };
        let again = match serde_json::to_value(&decoded) {
            Ok(again) => normalize(&again),
            Err(e) => {
                return self
                    .failed
                    .push(format!("{pointer}: does not encode again: {e}"));
            }
        };
        let original = normalize(&original);
        if original == again {
            self.passed += 1;
        } else if prune(&original, &again) == again {
            let mut dropped = Vec::new();
            dropped_members(&original, &again, "", &mut dropped);
            self.skipped.push(format!(
                "{pointer}: has members its schema does not declare: {}",
                dropped.join(", ")
            ));
        } else {
            self.failed
                .push(format!("{pointer}: {original} came back as {again}"));
        }
    }

    /// An example that cannot be tried, and why.
    pub fn skip(&mut self, pointer: &str, why: &str) {
        self.tried += 1;
        self.skipped.push(format!("{pointer}: {why}"));
    }

    /// Prints the counts and the reasons; fails on any example that changed.
    pub fn finish(self, document: &str) {
        println!(
            "examples of {document}: {} tried, {} passed, {} skipped, {} failed",
            self.tried,
            self.passed,
            self.skipped.len(),
            self.failed.len()
        );
        for skipped in &self.skipped {
            println!("  skipped {skipped}");
        }
        assert!(
            self.failed.is_empty(),
            "examples that changed:\n{}",
            self.failed.join("\n")
        );
    }
}

/// Drops `null` object members; numbers by their exact value; timestamps as
/// instants and UUIDs in one spelling.
fn normalize(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Number(n) => Value::String(format!("number {}", exact(n))),
        Value::String(text) => match (instant(text), uuid(text)) {
            (Some((seconds, nanos)), _) => Value::String(format!("instant {seconds}.{nanos:09}")),
            (None, Some(hex)) => Value::String(format!("uuid {hex}")),
            (None, None) => value.clone(),
        },
        other => other.clone(),
    }
}

/// A number's exact value in one spelling: `5`, `5.0` and `5e0` are `5`,
/// while `9007199254740993` stays apart from the nearest `f64`, so a value a
/// float cannot hold fails the round trip.
fn exact(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.fract() == 0.0 && f.abs() < 1e38 {
        // Integral floats convert to `i128` exactly.
        (f as i128).to_string()
    } else {
        format!("{f:e}")
    }
}

/// The members of `original` that `again` lacks, as JSON pointers with list
/// positions left out (`/items/name`), each once, in document order.
fn dropped_members(original: &Value, again: &Value, prefix: &str, out: &mut Vec<String>) {
    match (original, again) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                let path = format!("{prefix}/{escaped}");
                match b.get(key) {
                    Some(kept) => dropped_members(value, kept, &path, out),
                    None if !out.contains(&path) => out.push(path),
                    None => {}
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (value, kept) in a.iter().zip(b) {
                dropped_members(value, kept, prefix, out);
            }
        }
        _ => {}
    }
}

/// An RFC 3339 date-time as seconds since the epoch and nanoseconds.
fn instant(text: &str) -> Option<(i64, u32)> {
    let bytes = text.as_bytes();
    let number = |from: usize, to: usize| -> Option<i64> {
        let digits = text.get(from..to)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if bytes.len() < 20
        || separators.iter().any(|&(at, c)| bytes[at] != c)
        || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let seconds_of_day = number(11, 13)? * 3600 + number(14, 16)? * 60 + number(17, 19)?;
    let mut rest = &text[19..];
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        nanos = format!("{:0<9}", &fraction[..digits.min(9)]).parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let minutes =
                number(text.len() - 5, text.len() - 3)? * 60 + number(text.len() - 2, text.len())?;
            if *sign == b'-' {
                -minutes * 60
            } else {
                minutes * 60
            }
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some((days * 86_400 + seconds_of_day - offset, nanos))
}

/// A UUID (hyphenated, or not) as 32 lower-case hex digits.
fn uuid(text: &str) -> Option<String> {
    let hyphenated = text.len() == 36
        && [8, 13, 18, 23]
            .iter()
            .all(|&at| text.as_bytes()[at] == b'-');
    let hex: String = if hyphenated {
        text.replace('-', "")
    } else {
        text.to_owned()
    };
    (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_lowercase())
}

/// `original` without the object members `again` does not have.
fn prune(original: &Value, again: &Value) -> Value {
    match (original, again) {
        (Value::Object(a), Value::Object(b)) => Value::Object(
            a.iter()
                .filter_map(|(k, v)| b.get(k).map(|w| (k.clone(), prune(v, w))))
                .collect(),
        ),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            Value::Array(a.iter().zip(b).map(|(v, w)| prune(v, w)).collect())
        }
        _ => original.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Serialize)]
    struct Pet {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        tag: Option<String>,
    }

    #[test]
    fn an_example_passes_is_skipped_or_fails_by_what_comes_back() {
        let mut examples = Examples::default();
        examples.check::<Pet>("#/ok", r#"{"name": "a", "tag": null}"#);
        examples.check::<Pet>("#/wrong", r#"{"name": 1}"#);
        examples.check::<Pet>("#/extra", r#"{"name": "a", "extra": 1}"#);
        examples.skip("#/skipped", "why");
        assert_eq!((examples.tried, examples.passed), (4, 1));
        assert_eq!(examples.skipped.len(), 3);
        assert_eq!(
            examples.skipped[1],
            "#/extra: has members its schema does not declare: /extra"
        );
        assert!(examples.failed.is_empty());
        examples.finish("test");
    }

    #[test]
    fn dropped_members_are_named_by_pointer_each_once() {
        let original = serde_json::json!({
            "a": 1, "list": [{"x": 1, "y/z": 2}, {"x": 1, "y/z": 3}], "kept": {"deep": 1}
        });
        let again = serde_json::json!({"list": [{"x": 1}, {"x": 1}], "kept": {}});
        let mut dropped = Vec::new();
        dropped_members(&original, &again, "", &mut dropped);
        assert_eq!(dropped, ["/a", "/kept/deep", "/list/y~1z"]);
    }

    #[derive(serde::Deserialize, Serialize)]
    struct Measure {
        value: f64,
    }

    #[test]
    fn numbers_compare_by_exact_value() {
        let mut examples = Examples::default();
        examples.check::<Measure>("#/integral", r#"{"value": 5}"#);
        examples.check::<Measure>("#/fraction", r#"{"value": 0.1}"#);
        // Above 2^53 an `f64` rounds: the value that comes back differs.
        examples.check::<Measure>("#/rounded", r#"{"value": 9007199254740993}"#);
        assert_eq!(examples.passed, 2);
        assert_eq!(examples.failed.len(), 1);
        assert!(
            examples.failed[0].starts_with("#/rounded: "),
            "{:?}",
            examples.failed
        );
        assert_ne!(
            exact(&9_007_199_254_740_993_u64.into()),
            exact(&serde_json::Number::from_f64(9_007_199_254_740_992.0).unwrap())
        );
        assert_eq!(
            exact(&5.into()),
            exact(&serde_json::Number::from_f64(5.0).unwrap())
        );
    }

    #[test]
    fn timestamps_compare_by_instant_and_uuids_by_value() {
        for (a, b) in [
            ("2021-01-01T00:00:00Z", "2021-01-01T00:00:00+00:00"),
            ("2021-01-01T01:30:00.000+01:30", "2021-01-01T00:00:00Z"),
            ("1969-12-31T23:59:59.5-00:00", "1969-12-31T23:59:59.500Z"),
            ("2024-02-29T12:00:00z", "2024-02-29T12:00:00Z"),
            (
                "550E8400-E29B-41D4-A716-446655440000",
                "550e8400e29b41d4a716446655440000",
            ),
        ] {
            assert_eq!(
                normalize(&Value::from(a)),
                normalize(&Value::from(b)),
                "{a} {b}"
            );
        }
        for (a, b) in [
            ("2021-01-01T00:00:00Z", "2021-01-01T00:00:01Z"),
            ("2021-01-01T00:00:00.1Z", "2021-01-01T00:00:00.01Z"),
            ("2021-03-01T00:00:00Z", "2021-02-28T00:00:00Z"),
            ("2021-01-01", "2021-01-02"),
        ] {
            assert_ne!(
                normalize(&Value::from(a)),
                normalize(&Value::from(b)),
                "{a} {b}"
            );
        }
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(instant("2000-03-01T00:00:00Z"), Some((951_868_800, 0)));
        assert_eq!(instant("not a date at all!!"), None);
    }
}
