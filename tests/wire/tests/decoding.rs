//! How the generated structs decode and encode JSON. They implement
//! `Deserialize` (through `oxgen_runtime::Decode`) and `Serialize` by hand
//! rather than deriving them, for compile time; these tests pin that they
//! behave as serde's derive would.

use oxgen_wire_tests::types::{Decoded, Nothing, Open, Rgb};
use serde_json::json;

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[test]
fn members_decode_into_their_fields_whatever_their_names() {
    let decoded: Decoded = decode(
        r#"{"type": "t", "key": "k", "map": 7, "x-rate": 0.5, "note": "n", "nested": {"R": 1}}"#,
    )
    .unwrap();
    assert_eq!(
        decoded,
        Decoded {
            key: "k".into(),
            map: 7,
            r#type: "t".into(),
            x_rate: Some(0.5),
            note: Some("n".into()),
            nested: Some(Rgb {
                r: Some(1),
                g: None,
                b: None
            }),
        }
    );
}

#[test]
fn optional_members_may_be_absent_or_null() {
    let absent: Decoded = decode(r#"{"type": "t", "key": "k", "map": 7}"#).unwrap();
    let null: Decoded =
        decode(r#"{"type": "t", "key": "k", "map": 7, "note": null, "nested": null}"#).unwrap();
    assert_eq!(absent, null);
    assert_eq!(
        (absent.note, absent.nested, absent.x_rate),
        (None, None, None)
    );
}

#[test]
fn undeclared_members_are_skipped_whatever_their_value() {
    let decoded: Decoded = decode(
        r#"{"extra": {"deep": [1, {"x": null}]}, "type": "t", "key": "k", "more": [], "map": 7}"#,
    )
    .unwrap();
    assert_eq!(decoded.map, 7);
}

/// Names with escapes cannot be borrowed from the input; they decode the same.
#[test]
fn escaped_member_names_are_matched() {
    let decoded: Decoded =
        decode(r#"{"typ\u0065": "t", "k\u0065y": "k", "map": 7, "x\u002drate": 2}"#).unwrap();
    assert_eq!((decoded.r#type.as_str(), decoded.x_rate), ("t", Some(2.0)));
}

/// `Decoded` as serde's derive would decode it.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Derived {
    key: String,
    map: i64,
    r#type: String,
    #[serde(rename = "x-rate")]
    x_rate: Option<f64>,
    note: Option<String>,
    nested: Option<Rgb>,
}

#[test]
fn errors_read_as_serde_derive_writes_them() {
    let inputs = [
        r#"{"type": "t", "map": 7}"#,
        // Several required members missing: the first declared is named.
        r#"{}"#,
        r#"{"map": 7}"#,
        r#"{"key": "k"}"#,
        r#"{"type": "t", "key": "k"}"#,
        r#"{"type": "t", "key": 1, "map": 7}"#,
        r#"{"type": "t", "key": "k", "map": 7.5}"#,
        r#"{"type": "t", "key": "k", "map": 7, "nested": []}"#,
        r#"{"type": "t", "key": "k", "map": 7"#,
        r#"{"type": "t", "key": "k", "map": 7,}"#,
        r#"{"type": "t" "key": "k"}"#,
        r#"{1: 2}"#,
        r#""text""#,
        r#"null"#,
        r#""#,
    ];
    for input in inputs {
        let ours = decode::<Decoded>(input).unwrap_err();
        let derived = decode::<Derived>(input)
            .unwrap_err()
            .replace("struct Derived", "struct Decoded");
        assert_eq!(ours, derived, "{input}");
    }
    assert_eq!(
        decode::<Decoded>(r#"{"type": "t", "map": 7}"#).unwrap_err(),
        "missing field `key` at line 1 column 23"
    );
    // serde's derive also accepts an array of the fields in order; JSON APIs
    // do not send one, and the generated types do not take it (told once
    // the parser has entered the array, a column later than the derive).
    assert_eq!(
        decode::<Decoded>(r#"["k", 7, "t"]"#).unwrap_err(),
        "invalid type: sequence, expected struct Decoded at line 1 column 1"
    );
}

/// A member given twice is refused with the error serde's derive gives,
/// whether the first was a value or `null`.
#[test]
fn a_repeated_member_is_refused_as_the_derive_refuses_it() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Derived {
        key: String,
        map: i64,
        r#type: String,
        note: Option<String>,
    }
    for text in [
        r#"{"type": "t", "key": "a", "key": "b", "map": 7}"#,
        r#"{"type": "t", "key": "a", "map": 7, "note": null, "note": "x"}"#,
        r#"{"type": "t", "key": "a", "map": 7, "note": "x", "note": null}"#,
    ] {
        let ours = decode::<Decoded>(text).unwrap_err();
        assert!(ours.starts_with("duplicate field `"), "{ours}");
        assert_eq!(ours, decode::<Derived>(text).unwrap_err());
    }
}

#[test]
fn additional_properties_collect_the_undeclared_members() {
    let open: Open = decode(r#"{"b": 2, "id": "x", "a": 1}"#).unwrap();
    assert_eq!(open.id, "x");
    assert_eq!(
        open.additional_properties.into_iter().collect::<Vec<_>>(),
        [("a".to_owned(), 1), ("b".to_owned(), 2)]
    );
    assert_eq!(
        decode::<Open>(r#"{"id": "x", "a": "one"}"#).unwrap_err(),
        "invalid type: string \"one\", expected i64 at line 1 column 22"
    );
}

#[test]
fn a_struct_without_fields_accepts_any_object() {
    let nothing: Nothing = decode(r#"{"a": 1, "b": {"c": []}}"#).unwrap();
    assert!(decode::<Nothing>("[]").is_err());
    assert_eq!(serde_json::to_string(&nothing).unwrap(), "{}");
}

/// Encoding is serde's derive: a decoded value encodes back to the same JSON.
#[test]
fn decoded_values_encode_back() {
    let cases = [
        json!({"key": "k", "map": 7, "type": "t", "x-rate": 0.5, "nested": {"R": 1}}),
        json!({"key": "k", "map": 7, "type": "t"}),
    ];
    for case in cases {
        let decoded: Decoded = serde_json::from_value(case.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), case);
    }
    let open: Open = serde_json::from_value(json!({"id": "x", "a": 1})).unwrap();
    assert_eq!(
        serde_json::to_value(&open).unwrap(),
        json!({"id": "x", "a": 1})
    );
}

/// `Decoded` as serde's derive would encode it.
#[derive(serde::Serialize)]
struct DerivedOut<'a> {
    key: &'a str,
    map: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nested: Option<&'a Rgb>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    r#type: &'a str,
    #[serde(rename = "x-rate", skip_serializing_if = "Option::is_none")]
    x_rate: Option<f64>,
}

impl<'a> DerivedOut<'a> {
    fn of(value: &'a Decoded) -> Self {
        DerivedOut {
            key: &value.key,
            map: value.map,
            nested: value.nested.as_ref(),
            note: value.note.as_deref(),
            r#type: &value.r#type,
            x_rate: value.x_rate,
        }
    }
}

#[test]
fn encoding_matches_serde_derive_byte_for_byte() {
    let values = [
        decode::<Decoded>(r#"{"type": "t", "key": "k", "map": 7}"#).unwrap(),
        decode::<Decoded>(
            r#"{"type": "t", "key": "k\"q", "map": -1, "x-rate": 1.5, "note": "n", "nested": {"G": 2}}"#,
        )
        .unwrap(),
    ];
    for value in values {
        let derived = DerivedOut::of(&value);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            serde_json::to_string(&derived).unwrap()
        );
    }
}

/// A writer that takes `room` bytes, then fails.
struct Full {
    written: Vec<u8>,
    room: usize,
}

impl Full {
    fn with_room(room: usize) -> Self {
        Full {
            written: Vec::new(),
            room,
        }
    }
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written.len() + buf.len() > self.room {
            return Err(std::io::Error::other("full"));
        }
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An error while encoding a member comes back from `serialize`, and nothing
/// after it is written: the same as serde's derive, wherever the error comes.
#[test]
fn encoding_errors_stop_where_serde_derive_stops() {
    let value = decode::<Decoded>(
        r#"{"type": "t", "key": "k", "map": -1, "x-rate": 1.5, "note": "n", "nested": {"G": 2}}"#,
    )
    .unwrap();
    let derived = DerivedOut::of(&value);
    let whole = serde_json::to_string(&value).unwrap().len();
    for room in 0..whole {
        let (mut ours, mut theirs) = (Full::with_room(room), Full::with_room(room));
        let our_error = serde_json::to_writer(&mut ours, &value).unwrap_err();
        let their_error = serde_json::to_writer(&mut theirs, &derived).unwrap_err();
        assert_eq!(our_error.to_string(), their_error.to_string(), "{room}");
        assert_eq!(ours.written, theirs.written, "{room}");
    }
}
