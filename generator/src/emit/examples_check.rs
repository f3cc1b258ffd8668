// Round trips of the spec's examples through the generated types: the end of
// every `examples.rs` that `--examples` writes, and nothing a client ships.
// (In the generator it is compiled for its tests only.)

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Round trips of the spec's examples through the generated types, for the
/// `examples` tests (`oxgen generate --examples`). The rule: an example
/// passes when decoding and encoding it again gives the same JSON, where an
/// object member set to `null` counts as absent and numbers compare by value.
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
            self.skipped.push(format!(
                "{pointer}: has properties its schema does not declare"
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

/// Drops `null` object members; numbers as `f64`.
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
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(value.clone(), Value::Number),
        other => other.clone(),
    }
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
        assert!(examples.failed.is_empty());
        examples.finish("test");
    }
}
