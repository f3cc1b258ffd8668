//! Encoding of generated types ([`MapWriter`], what `#[derive(Object)]`
//! writes calls), member names ([`Key`]) and the order in which an untagged
//! union's variants are tried ([`variant_order`]). Decoding is in `decode`.

use std::fmt;

use serde::Serialize;

/// `Serialize` of a generated struct: its members written into a JSON
/// object in order. An error is kept and returned by [`MapWriter::end`], so
/// that each member is a plain call: a `?` per member would give every
/// `Serialize` impl a branch and an early return per field, which is most of
/// what the compiler spends on them (see BENCHMARKS.md).
pub struct MapWriter<M: serde::ser::SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: serde::ser::SerializeMap> MapWriter<M> {
    /// Starts the object.
    pub fn new<S>(serializer: S) -> Result<Self, S::Error>
    where
        S: serde::Serializer<SerializeMap = M>,
    {
        let map = serializer.serialize_map(None)?;
        Ok(MapWriter { map, error: None })
    }

    /// A member. Nothing more is written after an error.
    pub fn entry<T: Serialize + ?Sized>(&mut self, wire: &str, value: &T) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.map.serialize_entry(wire, value) {
            self.error = Some(e);
        }
    }

    /// An optional member: left out when `None`. For a three-state field
    /// (`Option<Option<T>>`), `Some(None)` is sent as `null`.
    pub fn optional<T: Serialize>(&mut self, wire: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.entry(wire, value);
        }
    }

    /// Additional properties, after the declared members.
    pub fn entries<T: Serialize>(&mut self, entries: &std::collections::BTreeMap<String, T>) {
        for (key, value) in entries {
            self.entry(key, value);
        }
    }

    /// Closes the object, or returns the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// A member name, borrowed from the input when it can be.
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Unescaped, so copied.
    Owned(String),
}

impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(name) => name,
            Key::Owned(name) => name,
        }
    }

    /// The name, owned.
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(name) => name.to_owned(),
            Key::Owned(name) => name,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;

        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                name: &'de str,
            ) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(name))
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(name.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, name: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(name))
            }
        }

        deserializer.deserialize_str(Visit)
    }
}

/// The order in which to try the variants of an untagged union on `value`:
/// `members[i]` lists the members variant `i` declares (empty for a variant
/// that is not an object). For an object, the variants that declare more of
/// its members come first, since a variant drops the members it does not
/// declare; among equals, and for other values, the declared order (specific
/// shapes before catch-alls) holds.
pub fn variant_order(value: &serde_json::Value, members: &[&[&str]]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    if let serde_json::Value::Object(object) = value {
        let kept = |i: &usize| {
            object
                .keys()
                .filter(|key| members[*i].contains(&key.as_str()))
                .count()
        };
        order.sort_by_key(|i| std::cmp::Reverse(kept(i)));
    }
    order
}

#[cfg(test)]
mod tests {
    use super::variant_order;

    #[test]
    fn union_variants_that_keep_more_members_are_tried_first() {
        let members: &[&[&str]] = &[&["id", "type"], &["id", "reviewers", "type"], &[]];
        let value = serde_json::json!({"id": 1, "type": "r", "reviewers": []});
        assert_eq!(variant_order(&value, members), [1, 0, 2]);
        let value = serde_json::json!({"id": 1, "type": "w"});
        assert_eq!(variant_order(&value, members), [0, 1, 2]);
        assert_eq!(variant_order(&serde_json::json!("x"), members), [0, 1, 2]);
    }

    #[test]
    fn an_untagged_union_takes_the_variant_that_keeps_the_members() {
        #[derive(Debug, PartialEq, crate::Object)]
        struct Wait {
            id: i64,
        }
        #[derive(Debug, PartialEq, crate::Object)]
        struct Review {
            id: i64,
            reviewers: Vec<String>,
        }
        #[derive(Debug, PartialEq)]
        enum Rule {
            Wait(Wait),
            Review(Review),
        }
        impl crate::Decode for Rule {
            fn decode(value: crate::Json<'_, '_>) -> Result<Self, crate::Invalid> {
                crate::decode::untagged(value, "Rule", &[&["id"], &["id", "reviewers"]], |i, v| {
                    match i {
                        0 => crate::variant(v, Rule::Wait),
                        _ => crate::variant(v, Rule::Review),
                    }
                })
            }
        }
        let decode =
            |text: &str| crate::from_slice::<Rule>(text.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(decode(r#"{"id": 1}"#), Ok(Rule::Wait(Wait { id: 1 })));
        assert_eq!(
            decode(r#"{"id": 1, "reviewers": ["a"]}"#),
            Ok(Rule::Review(Review {
                id: 1,
                reviewers: vec!["a".into()]
            }))
        );
        assert_eq!(
            decode("[]"),
            Err("data did not match any variant of untagged enum Rule at line 1 column 2".into())
        );
    }

    /// A struct as oxgen writes it: `id` required, `note` optional.
    #[derive(Debug, PartialEq, crate::Object)]
    struct Item {
        id: String,
        note: Option<String>,
    }

    /// The same struct, derived: the reference for messages.
    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Derived {
        id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    /// The same struct, decoded in place.
    #[derive(Debug, PartialEq, Default, crate::Object)]
    #[oxgen(default)]
    struct InPlace {
        id: String,
        note: Option<String>,
    }

    fn both(text: &str) -> (Result<Item, String>, Result<Derived, String>) {
        let in_place: Result<InPlace, String> =
            serde_json::from_str(text).map_err(|e| e.to_string());
        let ours: Result<Item, String> = serde_json::from_str(text).map_err(|e| e.to_string());
        match (&ours, &in_place) {
            (Ok(ours), Ok(in_place)) => assert_eq!(
                (&ours.id, &ours.note),
                (&in_place.id, &in_place.note),
                "{text}"
            ),
            (ours, in_place) => assert_eq!(
                ours.as_ref().err().map(|e| e.replace("Item", "InPlace")),
                in_place.as_ref().err().cloned(),
                "{text}"
            ),
        }
        let from_slice = crate::from_slice::<Item>(text.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(from_slice, ours, "{text}");
        (ours, serde_json::from_str(text).map_err(|e| e.to_string()))
    }

    #[test]
    fn structs_decode_as_the_derive_does_errors_included() {
        for text in [
            r#"{"id": "a", "note": null, "other": [1, {"x": 2}]}"#,
            r#"{"note": "n"}"#,
            r#"{"id": 1}"#,
            r#"{"id": "a", "id": "b"}"#,
            r#"{"id": "a", "note": null, "note": "x"}"#,
            r#"{"id": "a""#,
            r#""a string""#,
            "null",
            "-3",
        ] {
            match both(text) {
                (Ok(ours), Ok(derived)) => {
                    assert_eq!((ours.id, ours.note), (derived.id, derived.note), "{text}")
                }
                (ours, derived) => assert_eq!(
                    ours.err(),
                    derived
                        .err()
                        .map(|e| e.replace("struct Derived", "struct Item")),
                    "{text}"
                ),
            }
        }
        // Unlike the derive, generated types take no sequence: servers send
        // objects. The value's kind is known once the parser has entered it.
        let (ours, _) = both(r#"["a", "n"]"#);
        assert_eq!(
            ours.unwrap_err(),
            "invalid type: sequence, expected struct Item at line 1 column 1"
        );
    }

    /// A type argument wrapped onto its own line, as generated code writes a
    /// long one, ends in a comma: the field is still optional.
    #[rustfmt::skip]
    #[derive(Debug, PartialEq, crate::Object)]
    struct Wrapped {
        note: Option<
            String,
        >,
        nested: Option<
            Option<String,>,
        >,
    }

    #[test]
    fn an_option_with_a_trailing_comma_is_optional() {
        let empty: Wrapped = serde_json::from_str("{}").unwrap();
        assert_eq!(
            empty,
            Wrapped {
                note: None,
                nested: None
            }
        );
        let null: Wrapped = serde_json::from_str(r#"{"nested": null}"#).unwrap();
        assert_eq!(null.nested, Some(None));
    }

    #[test]
    fn structs_encode_as_the_derive_does() {
        for item in [
            Item {
                id: "a".into(),
                note: None,
            },
            Item {
                id: "a\"b".into(),
                note: Some("n".into()),
            },
        ] {
            let derived = Derived {
                id: item.id.clone(),
                note: item.note.clone(),
            };
            assert_eq!(
                serde_json::to_string(&item).unwrap(),
                serde_json::to_string(&derived).unwrap()
            );
        }
    }

    #[derive(Debug, PartialEq, crate::StringEnum)]
    enum Color {
        #[oxgen(rename = "red")]
        Red,
        Teal,
        #[oxgen(other)]
        Unknown(String),
    }

    #[test]
    fn string_enums_keep_values_they_do_not_know() {
        let colors: Vec<Color> = serde_json::from_str(r#"["red", "Teal", "teal"]"#).unwrap();
        assert_eq!(
            colors,
            [Color::Red, Color::Teal, Color::Unknown("teal".into())]
        );
        assert_eq!(
            serde_json::to_string(&colors).unwrap(),
            r#"["red","Teal","teal"]"#
        );
        assert_eq!("teal".parse::<Color>().unwrap().to_string(), "teal");
        assert_eq!(Color::from("red").as_str(), "red");
        assert!(serde_json::from_str::<Color>("1").is_err());
    }
}
