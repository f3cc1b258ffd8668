//! Decoding JSON into generated types with one compiled decoder per type.
//!
//! serde's `Deserialize` is generic over the input: each type's decoder is
//! compiled again for every deserializer, in the crate that first decodes
//! it, together with the parser's code for each of its visitors. An API of
//! a thousand types makes that the larger part of building a program that
//! calls it. [`Decode`] is not generic: a type's decoder is a plain function
//! that reads values the parser hands it through trait objects ([`Json`]).
//! The parser's side is compiled once, here, for any number of types. The
//! generated decoders are `#[inline]`, so that a program compiles the ones of
//! the types it decodes, once, and the client crate compiles none: most
//! programs use a few of an API's types.
//!
//! Generated types implement `serde::Deserialize` through [`deserialize`],
//! so that they decode the same way from any serde input.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, Error as _, Unexpected, Visitor};

use crate::codec::Key;

/// Why a value did not decode, in serde's words (`invalid type: string "x",
/// expected u32`). Where the parser failed, the parser's own error, which
/// knows the position, is kept by the reader and this carries no message.
#[derive(Debug)]
pub struct Invalid(Option<Box<str>>);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_deref().unwrap_or("the input is not valid JSON"))
    }
}

impl std::error::Error for Invalid {}

impl de::Error for Invalid {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Invalid(Some(message.to_string().into()))
    }

    // serde_json's wording (`null`, its float format), as its own errors have it.
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Invalid::custom(serde_json::Error::invalid_type(unexpected, expected))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Invalid::custom(serde_json::Error::invalid_value(unexpected, expected))
    }
}

impl Invalid {
    /// The marker of an error the reader kept.
    pub(crate) fn kept() -> Self {
        Invalid(None)
    }
}

/// A JSON value as a [`Decode`] impl meets it: a scalar, or a reader of the
/// members of an object or the items of an array.
pub enum Json<'a, 'de> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A negative integer.
    I64(i64),
    /// A non-negative integer.
    U64(u64),
    /// A number with a fraction or an exponent.
    F64(f64),
    /// A string.
    Str(&'a str),
    /// An object, read member by member.
    Object(&'a mut dyn Members<'de>),
    /// An array, read item by item.
    Array(&'a mut dyn Items<'de>),
}

impl<'a> Json<'a, '_> {
    /// What serde's errors call the value; a string's text borrowed from
    /// the input.
    fn kind(&self) -> Unexpected<'a> {
        match *self {
            Json::Null => Unexpected::Unit,
            Json::Bool(b) => Unexpected::Bool(b),
            Json::I64(n) => Unexpected::Signed(n),
            Json::U64(n) => Unexpected::Unsigned(n),
            Json::F64(n) => Unexpected::Float(n),
            Json::Str(s) => Unexpected::Str(s),
            Json::Object(_) => Unexpected::Map,
            Json::Array(_) => Unexpected::Seq,
        }
    }

    /// The error of a value of another kind than `expected`.
    pub fn invalid(&self, expected: &str) -> Invalid {
        Invalid::invalid_type(self.kind(), &expected)
    }
}

/// The members of an object, in order: a name, then its value.
pub trait Members<'de> {
    /// The next member's name; `None` after the last.
    fn next_key(&mut self) -> Result<Option<Key<'de>>, Invalid>;
    /// The value of the member just named, given to `slot`.
    fn next_value(&mut self, slot: &mut dyn Slot) -> Result<(), Invalid>;
    /// Reads past the value of the member just named.
    fn skip_value(&mut self) -> Result<(), Invalid>;
    /// What an [`ObjectReader`] of this object keeps beyond its own fields.
    fn state(&mut self) -> &mut ObjectState<'de>;
}

/// What an [`ObjectReader`] keeps of the object it reads that needs
/// dropping: held by the object's reader rather than by the reader of each
/// struct, so that a struct's decoder has nothing to drop but its fields.
#[derive(Default)]
pub struct ObjectState<'de> {
    /// The first error; the members are not read further.
    error: Option<Invalid>,
    /// The name of the member that no field names, for additional properties.
    other: Option<Key<'de>>,
    /// The fields seen beyond the first 128, by index.
    seen_beyond: Vec<usize>,
}

/// The items of an array, in order.
pub trait Items<'de> {
    /// Gives the next item to `slot`; `false` after the last.
    fn next_item(&mut self, slot: &mut dyn Slot) -> Result<bool, Invalid>;
}

/// Where a value being read goes.
pub trait Slot {
    /// Takes the value.
    fn fill(&mut self, value: Json<'_, '_>) -> Result<(), Invalid>;
}

/// A type decoded from JSON by one function, whatever the input (see the
/// module's docs). The derives and the generated unions implement it.
pub trait Decode: Sized {
    /// Decodes `value`, reading an object's members or an array's items to
    /// the end.
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid>;
}

/// The slot of a `T`.
pub(crate) struct Place<'a, T>(pub(crate) &'a mut Option<T>);

// The generic impls below match on results rather than use `?`, which
// would compile `?`'s own functions again for each type.

impl<T: Decode> Slot for Place<'_, T> {
    fn fill(&mut self, value: Json<'_, '_>) -> Result<(), Invalid> {
        match T::decode(value) {
            Ok(value) => *self.0 = Some(value),
            Err(e) => return Err(e),
        }
        Ok(())
    }
}

/// The slot of the items of a `Vec<T>`: each value is pushed.
struct Push<'a, T>(&'a mut Vec<T>);

impl<T: Decode> Slot for Push<'_, T> {
    fn fill(&mut self, value: Json<'_, '_>) -> Result<(), Invalid> {
        match T::decode(value) {
            Ok(value) => self.0.push(value),
            Err(e) => return Err(e),
        }
        Ok(())
    }
}

/// The slot of an optional field: `null` leaves it `None`.
struct Nullable<'a, T> {
    slot: &'a mut Option<T>,
}

impl<T: Decode> Slot for Nullable<'_, T> {
    fn fill(&mut self, value: Json<'_, '_>) -> Result<(), Invalid> {
        match value {
            Json::Null => Ok(()),
            value => Place(self.slot).fill(value),
        }
    }
}

/// The slot of a required field, which holds a value already.
struct Required<'a, T>(&'a mut T);

impl<T: Decode> Slot for Required<'_, T> {
    fn fill(&mut self, value: Json<'_, '_>) -> Result<(), Invalid> {
        match T::decode(value) {
            Ok(value) => *self.0 = value,
            Err(e) => return Err(e),
        }
        Ok(())
    }
}

/// A slot that reads a value and keeps nothing.
struct Ignore;

impl Slot for Ignore {
    fn fill(&mut self, value: Json<'_, '_>) -> Result<(), Invalid> {
        match value {
            Json::Object(members) => {
                while members.next_key()?.is_some() {
                    members.skip_value()?;
                }
            }
            Json::Array(items) => while items.next_item(&mut Ignore)? {},
            _ => {}
        }
        Ok(())
    }
}

/// serde's side: any input, handed to a [`Slot`] value by value.
struct Seed<'s>(&'s mut dyn Slot);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn fill<E: de::Error>(slot: &mut dyn Slot, value: Json<'_, '_>) -> Result<(), E> {
    slot.fill(value).map_err(E::custom)
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        fill(self.0, Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        fill(self.0, Json::I64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        fill(self.0, Json::U64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        fill(self.0, Json::F64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        fill(self.0, Json::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        fill(self.0, Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        fill(self.0, Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let mut members = MapMembers {
            map,
            kept: None,
            state: ObjectState::default(),
        };
        let result = self.0.fill(Json::Object(&mut members));
        result.map_err(|e| reader_error(e, members.kept))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let mut items = SeqItems {
            seq,
            kept: None,
            input: PhantomData,
        };
        let result = self.0.fill(Json::Array(&mut items));
        result.map_err(|e| reader_error(e, items.kept))
    }
}

/// The error to give the parser: the one its reader kept, else the message.
fn reader_error<E: de::Error>(error: Invalid, kept: Option<E>) -> E {
    match (error.0, kept) {
        (Some(message), _) => E::custom(message),
        (None, Some(kept)) => kept,
        (None, None) => E::custom(Invalid::kept()),
    }
}

/// An object as serde's input reads it. Its errors are kept, for the
/// position they carry, and the decoder told only that there was one.
struct MapMembers<'de, A: de::MapAccess<'de>> {
    map: A,
    kept: Option<A::Error>,
    state: ObjectState<'de>,
}

impl<'de, A: de::MapAccess<'de>> MapMembers<'de, A> {
    fn keep(&mut self, error: A::Error) -> Invalid {
        self.kept = Some(error);
        Invalid::kept()
    }
}

impl<'de, A: de::MapAccess<'de>> Members<'de> for MapMembers<'de, A> {
    fn next_key(&mut self) -> Result<Option<Key<'de>>, Invalid> {
        self.map.next_key().map_err(|e| self.keep(e))
    }

    fn next_value(&mut self, slot: &mut dyn Slot) -> Result<(), Invalid> {
        self.map
            .next_value_seed(Seed(slot))
            .map_err(|e| self.keep(e))
    }

    fn skip_value(&mut self) -> Result<(), Invalid> {
        match self.map.next_value::<de::IgnoredAny>() {
            Ok(_) => Ok(()),
            Err(e) => Err(self.keep(e)),
        }
    }

    fn state(&mut self) -> &mut ObjectState<'de> {
        &mut self.state
    }
}

/// An array as serde's input reads it.
struct SeqItems<'de, A: de::SeqAccess<'de>> {
    seq: A,
    kept: Option<A::Error>,
    input: PhantomData<&'de ()>,
}

impl<'de, A: de::SeqAccess<'de>> Items<'de> for SeqItems<'de, A> {
    fn next_item(&mut self, slot: &mut dyn Slot) -> Result<bool, Invalid> {
        match self.seq.next_element_seed(Seed(slot)) {
            Ok(item) => Ok(item.is_some()),
            Err(e) => {
                self.kept = Some(e);
                Err(Invalid::kept())
            }
        }
    }
}

/// Decodes JSON text (as `serde_json::from_slice`, trailing whitespace
/// allowed).
pub fn from_slice<T: Decode>(json: &[u8]) -> Result<T, serde_json::Error> {
    let mut value = None;
    match slice_into(json, &mut Place(&mut value)) {
        Ok(()) => match value {
            Some(value) => Ok(value),
            None => Err(serde_json::Error::custom(Invalid::kept())),
        },
        Err(e) => Err(e),
    }
}

pub(crate) fn slice_into(json: &[u8], slot: &mut dyn Slot) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    Seed(slot).deserialize(&mut deserializer)?;
    deserializer.end()
}

/// Decodes a JSON value already read (a variant of a union).
pub fn from_value<T: Decode>(value: &serde_json::Value) -> Result<T, Invalid> {
    let mut decoded = None;
    match value_into(value, &mut Place(&mut decoded)) {
        Ok(()) => match decoded {
            Some(decoded) => Ok(decoded),
            None => Err(Invalid::kept()),
        },
        Err(e) => Err(e),
    }
}

fn value_into(value: &serde_json::Value, slot: &mut dyn Slot) -> Result<(), Invalid> {
    Seed(slot).deserialize(value).map_err(Invalid::custom)
}

/// `serde::Deserialize::deserialize` of a [`Decode`] type, from any
/// self-describing input.
pub fn deserialize<'de, T: Decode, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut value = None;
    Seed(&mut Place(&mut value)).deserialize(deserializer)?;
    value.ok_or_else(|| D::Error::custom(Invalid::kept()))
}

/// The members of a JSON object being decoded into a struct that
/// `#[derive(Object)]` wrote, one after another: [`ObjectReader::next_field`]
/// tells which field a member is, a `put` decodes its value. An error is
/// kept rather than returned from each call (each would be an early return
/// in every struct's decoder): the members then run out, and
/// [`ObjectReader::end`] returns it. It owns nothing that needs dropping
/// (see [`ObjectState`]), which keeps each struct's decoder small.
pub struct ObjectReader<'a, 'de> {
    /// The object's members; `None` when the value is not an object.
    members: Option<&'a mut dyn Members<'de>>,
    /// The value when it is not an object, and what was expected instead.
    unexpected: Unexpected<'a>,
    expecting: &'a str,
    /// The fields' wire names.
    names: &'static [&'static str],
    /// Where to find each name by its `key_hash`: see [`ObjectReader::new`].
    table: &'static [u16],
    /// The index in `names` of the member being read.
    current: usize,
    /// The first 128 fields seen, as bits (the others are in the state).
    seen: u128,
    /// Whether the state holds an error: the members are not read further.
    failed: bool,
}

impl<'a, 'de> ObjectReader<'a, 'de> {
    /// What [`ObjectReader::next_field`] returns for a member no field names.
    pub const OTHER: usize = usize::MAX - 1;

    /// What [`ObjectReader::next_field`] returns after the last member, or
    /// after an error.
    pub const END: usize = usize::MAX;

    /// Reads `value`'s members, for a struct whose fields have the wire
    /// `names`; for another kind of value, no member, and serde's error
    /// ("expected `expecting`") at the end. `table`, whose length is a power
    /// of two, finds a name: its entries are 0 or a name's index plus one,
    /// and a name is at the first entry from its `key_hash` (modulo the
    /// length) on that is not taken by another, as `#[derive(Object)]` lays
    /// it out.
    pub fn new(
        value: Json<'a, 'de>,
        expecting: &'a str,
        names: &'static [&'static str],
        table: &'static [u16],
    ) -> Self {
        let (members, unexpected) = match value {
            Json::Object(members) => (Some(members), Unexpected::Map),
            other => (None, other.kind()),
        };
        ObjectReader {
            members,
            unexpected,
            expecting,
            names,
            table,
            current: Self::END,
            seen: 0,
            failed: false,
        }
    }

    /// The next member, as the index of its name in `names`,
    /// [`Self::OTHER`], or [`Self::END`].
    pub fn next_field(&mut self) -> usize {
        self.current = Self::END;
        let Some(members) = self.members.as_deref_mut() else {
            return Self::END;
        };
        if self.failed {
            return Self::END;
        }
        match members.next_key() {
            Ok(Some(key)) => match find(self.names, self.table, key.as_str()) {
                Some(index) => {
                    self.current = index;
                    index
                }
                None => {
                    members.state().other = Some(key);
                    Self::OTHER
                }
            },
            Ok(None) => Self::END,
            Err(e) => {
                self.fail(e);
                Self::END
            }
        }
    }

    fn was_seen(&mut self, index: usize) -> bool {
        match u32::try_from(index) {
            Ok(bit) if bit < u128::BITS => self.seen & (1 << bit) != 0,
            _ => self
                .members
                .as_deref_mut()
                .is_some_and(|members| members.state().seen_beyond.contains(&index)),
        }
    }

    /// Keeps the first error: the members are not read further.
    fn fail(&mut self, error: Invalid) {
        if let Some(members) = self.members.as_deref_mut() {
            members.state().error.get_or_insert(error);
            self.failed = true;
        }
    }

    /// Marks the current member seen: `false`, and serde's error, if it was.
    fn first_time(&mut self) -> bool {
        let index = self.current;
        if self.was_seen(index) {
            let wire = self.names.get(index).copied().unwrap_or_default();
            self.fail(Invalid::duplicate_field(wire));
            return false;
        }
        match u32::try_from(index) {
            Ok(bit) if bit < u128::BITS => self.seen |= 1 << bit,
            _ => {
                if let Some(members) = self.members.as_deref_mut() {
                    members.state().seen_beyond.push(index);
                }
            }
        }
        true
    }

    // What every `put` does whatever the type: compiled once.
    fn put_in(&mut self, slot: &mut dyn Slot) {
        if self.first_time() {
            self.read_value(slot);
        }
    }

    /// Gives the current member's value to `slot`, keeping the error.
    fn read_value(&mut self, slot: &mut dyn Slot) {
        if let Some(members) = self.members.as_deref_mut()
            && let Err(e) = members.next_value(slot)
        {
            self.fail(e);
        }
    }

    /// Decodes the current member's value into a required field.
    pub fn put_value<T: Decode>(&mut self, field: &mut T) {
        self.put_in(&mut Required(field));
    }

    /// Decodes the current member's value into `slot` (`Some` once read;
    /// `null` is `Some(None)` for an `Option<Option<T>>`).
    pub fn put<T: Decode>(&mut self, slot: &mut Option<T>) {
        self.put_in(&mut Place(slot));
    }

    /// Decodes the current member's value into an optional field: `null`
    /// leaves it `None`, as absence does.
    pub fn put_nullable<T: Decode>(&mut self, field: &mut Option<T>) {
        self.put_in(&mut Nullable { slot: field });
    }

    /// Decodes the current member, which no field names, into the
    /// additional properties.
    pub fn put_entry<T: Decode>(&mut self, entries: &mut BTreeMap<String, T>) {
        let mut value = None;
        self.read_value(&mut Place(&mut value));
        if let (Some(key), Some(value)) = (self.other_key(), value) {
            entries.insert(key.into_string(), value);
        }
    }

    fn other_key(&mut self) -> Option<Key<'de>> {
        if self.failed {
            return None;
        }
        self.members.as_deref_mut()?.state().other.take()
    }

    /// Skips the value of the current member, which no field names.
    pub fn skip(&mut self) {
        if let Some(members) = self.members.as_deref_mut()
            && let Err(e) = members.skip_value()
        {
            self.fail(e);
        }
    }

    /// The first error, else serde's "missing field" error for the first of
    /// the `required` fields (indices in `names`, in declaration order) that
    /// was not seen; for a value that is not an object, serde's "invalid
    /// type" error.
    pub fn end(&mut self, required: &[usize]) -> Result<(), Invalid> {
        let Some(members) = self.members.as_deref_mut() else {
            return Err(Invalid::invalid_type(self.unexpected, &self.expecting));
        };
        if let Some(e) = members.state().error.take() {
            return Err(e);
        }
        for &index in required {
            if !self.was_seen(index) {
                let wire = self.names.get(index).copied().unwrap_or_default();
                return Err(Invalid::missing_field(wire));
            }
        }
        Ok(())
    }
}

/// The hash of a member name that [`ObjectReader`] searches by, as
/// `#[derive(Object)]` computes it for the names it lists.
pub(crate) fn key_hash(name: &str) -> u32 {
    let bytes = name.as_bytes();
    // The first and the last eight bytes (overlapping when shorter), and
    // the length: two multiplications, whatever the name's length.
    let word = |part: &[u8]| {
        let mut word = [0u8; 8];
        word[..part.len()].copy_from_slice(part);
        u64::from_le_bytes(word)
    };
    let (head, tail) = match bytes.len() {
        0..=8 => (word(bytes), 0),
        n => (word(&bytes[..8]), word(&bytes[n - 8..])),
    };
    let mixed = head.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ tail.wrapping_mul(0xc2b2_ae3d_27d4_eb4f).rotate_left(29)
        ^ bytes.len() as u64;
    (mixed >> 32) as u32 ^ mixed as u32
}

/// The index of `key` in `names`, found through `table` (see
/// [`ObjectReader::new`]): usually one entry and one comparison.
fn find(names: &[&str], table: &[u16], key: &str) -> Option<usize> {
    let mask = table.len().checked_sub(1)?;
    let mut at = key_hash(key) as usize & mask;
    for _ in 0..table.len() {
        let index = usize::from(*table.get(at)?).checked_sub(1)?;
        if names.get(index) == Some(&key) {
            return Some(index);
        }
        at = (at + 1) & mask;
    }
    None
}

/// The error of a required field found missing after
/// [`ObjectReader::end`] said none was: not reached.
pub fn incomplete() -> Invalid {
    Invalid::custom("a required member is missing")
}

/// [`Decode`] of an untagged union named `name`: the value is read whole,
/// then given to `variant(i, value)` for each variant `i` in
/// [`variant_order`](crate::variant_order), until one decodes.
#[expect(
    clippy::question_mark,
    reason = "`?` would compile its own functions again for each union"
)]
pub fn untagged<T>(
    value: Json<'_, '_>,
    name: &str,
    members: &[&[&str]],
    variant: fn(usize, &serde_json::Value) -> Result<T, Invalid>,
) -> Result<T, Invalid> {
    let value = match serde_json::Value::decode(value) {
        Ok(value) => value,
        Err(e) => return Err(e),
    };
    // A loop, not iterator adapters, which would be compiled again per union.
    for i in crate::variant_order(&value, members) {
        if let Ok(decoded) = variant(i, &value) {
            return Ok(decoded);
        }
    }
    Err(no_variant(name))
}

fn no_variant(name: &str) -> Invalid {
    Invalid::custom(format_args!(
        "data did not match any variant of untagged enum {name}"
    ))
}

/// A variant of a union: `value` decoded as `V`, wrapped by `wrap` (the
/// variant's constructor).
pub fn variant<V: Decode, T>(value: &serde_json::Value, wrap: fn(V) -> T) -> Result<T, Invalid> {
    match from_value(value) {
        Ok(decoded) => Ok(wrap(decoded)),
        Err(e) => Err(e),
    }
}

impl Decode for () {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        match value {
            Json::Null => Ok(()),
            other => Err(other.invalid("unit")),
        }
    }
}

impl Decode for bool {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        match value {
            Json::Bool(b) => Ok(b),
            other => Err(other.invalid("a boolean")),
        }
    }
}

macro_rules! integers {
    ($($t:ident)*) => {$(
        impl Decode for $t {
            fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
                match value {
                    Json::I64(n) => $t::try_from(n)
                        .map_err(|_| Invalid::invalid_value(Unexpected::Signed(n), &stringify!($t))),
                    Json::U64(n) => $t::try_from(n)
                        .map_err(|_| Invalid::invalid_value(Unexpected::Unsigned(n), &stringify!($t))),
                    other => Err(other.invalid(stringify!($t))),
                }
            }
        }
    )*};
}

integers!(i8 i16 i32 i64 u8 u16 u32 u64);

macro_rules! floats {
    ($($t:ident)*) => {$(
        impl Decode for $t {
            fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
                match value {
                    Json::F64(n) => Ok(n as $t),
                    Json::I64(n) => Ok(n as $t),
                    Json::U64(n) => Ok(n as $t),
                    other => Err(other.invalid(stringify!($t))),
                }
            }
        }
    )*};
}

floats!(f32 f64);

impl Decode for String {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        match value {
            Json::Str(s) => Ok(s.to_owned()),
            other => Err(other.invalid("a string")),
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        match value {
            Json::Null => Ok(None),
            value => match T::decode(value) {
                Ok(value) => Ok(Some(value)),
                Err(e) => Err(e),
            },
        }
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        match T::decode(value) {
            Ok(value) => Ok(Box::new(value)),
            Err(e) => Err(e),
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        let Json::Array(items) = value else {
            return Err(value.invalid("a sequence"));
        };
        let mut decoded = Vec::new();
        loop {
            match items.next_item(&mut Push(&mut decoded)) {
                Ok(true) => {}
                Ok(false) => return Ok(decoded),
                Err(e) => return Err(e),
            }
        }
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        let Json::Object(members) = value else {
            return Err(value.invalid("a map"));
        };
        let mut decoded = BTreeMap::new();
        while let Some(key) = members.next_key()? {
            let mut item = None;
            members.next_value(&mut Place(&mut item))?;
            if let Some(item) = item {
                decoded.insert(key.into_string(), item);
            }
        }
        Ok(decoded)
    }
}

impl Decode for serde_json::Value {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        use serde_json::Value;
        Ok(match value {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::I64(n) => Value::from(n),
            Json::U64(n) => Value::from(n),
            Json::F64(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
            Json::Str(s) => Value::String(s.to_owned()),
            Json::Object(members) => {
                let mut map = serde_json::Map::new();
                while let Some(key) = members.next_key()? {
                    let mut item = None;
                    members.next_value(&mut Place(&mut item))?;
                    map.insert(key.into_string(), item.unwrap_or(Value::Null));
                }
                Value::Object(map)
            }
            Json::Array(items) => {
                let mut array = Vec::new();
                while items.next_item(&mut Push(&mut array))? {}
                Value::Array(array)
            }
        })
    }
}

macro_rules! tuples {
    ($($size:literal => ($($t:ident)+),)*) => {$(
        impl<$($t: Decode),+> Decode for ($($t,)+) {
            fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
                let expected = concat!("a tuple of size ", $size);
                let Json::Array(items) = value else {
                    return Err(value.invalid(expected));
                };
                let mut read = 0;
                let decoded = ($({
                    let mut item: Option<$t> = None;
                    if !items.next_item(&mut Place(&mut item))? {
                        return Err(Invalid::invalid_length(read, &expected));
                    }
                    read += 1;
                    item.ok_or_else(Invalid::kept)?
                },)+);
                if items.next_item(&mut Ignore)? {
                    return Err(Invalid::invalid_length(read + 1, &expected));
                }
                Ok(decoded)
            }
        }
    )*};
}

tuples! {
    1 => (A),
    2 => (A B),
    3 => (A B C),
    4 => (A B C D),
    5 => (A B C D E),
    6 => (A B C D E F),
    7 => (A B C D E F G),
    8 => (A B C D E F G H),
}

/// A string parsed by `FromStr`, the error in its own words, as chrono's
/// serde impls do.
#[cfg(feature = "chrono")]
fn parsed<T: std::str::FromStr>(value: Json<'_, '_>, expected: &str) -> Result<T, Invalid>
where
    T::Err: fmt::Display,
{
    match value {
        Json::Str(s) => s.parse().map_err(Invalid::custom),
        other => Err(other.invalid(expected)),
    }
}

#[cfg(feature = "chrono")]
impl Decode for chrono::DateTime<chrono::FixedOffset> {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        parsed(value, "an RFC 3339 formatted date and time string")
    }
}

#[cfg(feature = "chrono")]
impl Decode for chrono::NaiveDate {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        parsed(value, "a formatted date string")
    }
}

#[cfg(feature = "uuid")]
impl Decode for uuid::Uuid {
    fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
        match value {
            Json::Str(s) => s
                .parse()
                .map_err(|e| Invalid::custom(format_args!("UUID parsing failed: {e}"))),
            other => Err(other.invalid("a formatted UUID string")),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn decode<T: Decode>(text: &str) -> Result<T, String> {
        from_slice(text.as_bytes()).map_err(|e| e.to_string())
    }

    /// What serde's own impls say of `text` as a `T`.
    fn serde<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn scalars_and_containers_decode_as_serde_has_them() {
        for text in [
            "1",
            "-1",
            "1.5",
            "\"1\"",
            "null",
            "true",
            "18446744073709551615",
        ] {
            assert_eq!(decode::<i64>(text), serde::<i64>(text), "{text}");
            assert_eq!(decode::<u32>(text), serde::<u32>(text), "{text}");
            assert_eq!(decode::<f64>(text), serde::<f64>(text), "{text}");
            assert_eq!(decode::<bool>(text), serde::<bool>(text), "{text}");
            assert_eq!(decode::<String>(text), serde::<String>(text), "{text}");
            assert_eq!(
                decode::<Option<i32>>(text),
                serde::<Option<i32>>(text),
                "{text}"
            );
            assert_eq!(
                decode::<serde_json::Value>(text),
                serde::<serde_json::Value>(text),
                "{text}"
            );
        }
        // An object or array of the wrong kind is told once the parser has
        // entered it: the message is serde's, a column later.
        fn without_position<T>(result: Result<T, String>) -> Result<T, String> {
            result.map_err(|e| e.split(" at line").next().unwrap_or_default().to_owned())
        }
        for text in [
            r#"[1, 2]"#,
            r#"[1, "x"]"#,
            "[]",
            "[1, 2, 3]",
            r#"{"a": 1}"#,
            "[[1]]",
        ] {
            assert_eq!(
                without_position(decode::<Vec<u8>>(text)),
                without_position(serde::<Vec<u8>>(text)),
                "{text}"
            );
            assert_eq!(
                without_position(decode::<BTreeMap<String, u8>>(text)),
                without_position(serde::<BTreeMap<String, u8>>(text)),
                "{text}"
            );
            assert_eq!(
                decode::<serde_json::Value>(text),
                serde::<serde_json::Value>(text),
                "{text}"
            );
        }
        assert_eq!(decode::<(u8, String)>(r#"[1, "x"]"#), Ok((1, "x".into())));
        assert!(decode::<(u8, String)>("[1]").is_err());
        assert!(decode::<(u8, String)>(r#"[1, "x", 2]"#).is_err());
        assert_eq!(decode::<Box<u8>>("7"), Ok(Box::new(7)));
        // Trailing text is refused, as `serde_json::from_slice` does.
        assert_eq!(decode::<u8>("1 2"), serde::<u8>("1 2"));
    }

    /// A struct of more fields than the reader keeps as bits, decoded by
    /// hand as the derive would write it.
    #[derive(Debug, Default, PartialEq)]
    struct Wide {
        values: Vec<Option<u32>>,
    }

    const WIDTH: usize = 140;

    fn names() -> &'static [&'static str] {
        let names: Vec<&'static str> = (0..WIDTH)
            .map(|i| &*Box::leak(format!("field{i}").into_boxed_str()))
            .collect();
        Box::leak(names.into_boxed_slice())
    }

    /// The table `#[derive(Object)]` would lay out for `names`.
    fn table(names: &[&str]) -> &'static [u16] {
        let mut table = vec![0u16; (names.len() * 2).next_power_of_two()];
        let mask = table.len() - 1;
        for (index, name) in names.iter().enumerate() {
            let mut at = key_hash(name) as usize & mask;
            while table[at] != 0 {
                at = (at + 1) & mask;
            }
            table[at] = u16::try_from(index + 1).unwrap();
        }
        Box::leak(table.into_boxed_slice())
    }

    impl Decode for Wide {
        fn decode(value: Json<'_, '_>) -> Result<Self, Invalid> {
            let names = names();
            let mut map = ObjectReader::new(value, "struct Wide", names, table(names));
            let mut values: Vec<Option<u32>> = vec![None; WIDTH];
            loop {
                match map.next_field() {
                    ObjectReader::OTHER => map.skip(),
                    ObjectReader::END => break,
                    index => map.put_nullable(&mut values[index]),
                }
            }
            map.end(&[139])?;
            Ok(Wide { values })
        }
    }

    #[test]
    fn members_beyond_the_first_128_are_told_apart_too() {
        let members: Vec<String> = (0..WIDTH).map(|i| format!("\"field{i}\": {i}")).collect();
        let wide = decode::<Wide>(&format!("{{{}}}", members.join(", "))).unwrap();
        assert_eq!(wide.values, (0..WIDTH as u32).map(Some).collect::<Vec<_>>());
        for i in [3, 130, 139] {
            assert_eq!(
                decode::<Wide>(&format!(
                    r#"{{"field139": 1, "field{i}": 1, "field{i}": 2}}"#
                ))
                .unwrap_err()
                .split(" at ")
                .next(),
                Some(format!("duplicate field `field{i}`").as_str()),
            );
        }
        assert_eq!(
            decode::<Wide>(r#"{"field1": 1, "other": [1]}"#)
                .unwrap_err()
                .split(" at ")
                .next(),
            Some("missing field `field139`")
        );
    }

    #[test]
    fn an_error_deep_inside_keeps_the_parsers_position() {
        let error =
            decode::<Vec<BTreeMap<String, Vec<u8>>>>("[{\"a\": [1, 2]}, {\"b\": [1, 300]}]")
                .unwrap_err();
        assert_eq!(
            error,
            serde::<Vec<BTreeMap<String, Vec<u8>>>>("[{\"a\": [1, 2]}, {\"b\": [1, 300]}]")
                .unwrap_err()
        );
        assert_eq!(
            decode::<Vec<u8>>("[1, 2").unwrap_err(),
            serde::<Vec<u8>>("[1, 2").unwrap_err()
        );
    }

    #[cfg(all(feature = "chrono", feature = "uuid"))]
    #[test]
    fn dates_times_and_uuids_decode_as_their_serde_impls_have_them() {
        use chrono::{DateTime, FixedOffset, NaiveDate};
        for text in [
            r#""2026-12-02T09:15:00-05:00""#,
            r#""2026-12-02""#,
            r#""yesterday""#,
            r#""67e55044-10b1-426f-9247-bb680e5fe0c8""#,
            "1",
        ] {
            assert_eq!(
                decode::<DateTime<FixedOffset>>(text),
                serde::<DateTime<FixedOffset>>(text),
                "{text}"
            );
            assert_eq!(
                decode::<NaiveDate>(text),
                serde::<NaiveDate>(text),
                "{text}"
            );
            assert_eq!(
                decode::<uuid::Uuid>(text),
                serde::<uuid::Uuid>(text),
                "{text}"
            );
        }
    }
}
