//! The derives of the types oxgen generates: `Object` (serde for a struct
//! sent as a JSON object) and `StringEnum` (a string enum that keeps the
//! values it does not know). Use them through `oxgen_runtime`, which
//! documents what they do.
//!
//! A derive runs once per type, and an API has thousands: the input is read
//! by a small scanner rather than parsed into a syntax tree, and the output
//! names what it uses by short paths.

mod scan;

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};

use scan::{Member, field_type, option_inner};

/// See `oxgen_runtime::Object`.
#[proc_macro_derive(Object, attributes(oxgen))]
pub fn derive_object(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    object(input.into()).unwrap_or_else(compile_error).into()
}

/// See `oxgen_runtime::StringEnum`.
#[proc_macro_derive(StringEnum, attributes(oxgen))]
pub fn derive_string_enum(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    string_enum(input.into())
        .unwrap_or_else(compile_error)
        .into()
}

fn compile_error(error: scan::Error) -> TokenStream {
    let message = error.message;
    quote_spanned!(error.span => ::core::compile_error!(#message);)
}

fn fail<T>(span: Span, message: &str) -> scan::Result<T> {
    Err(scan::Error {
        span,
        message: message.to_owned(),
    })
}

/// `impls` in a block that names what they use by short paths (`__o::..`),
/// whatever the names around them mean: a spec may name its types `Option`
/// or `Result`.
fn in_scope(impls: TokenStream) -> TokenStream {
    quote! {
        const _: () = {
            use ::oxgen_runtime::__derive as __o;
            #impls
        };
    }
}

/// The member's name on the wire: `#[oxgen(rename = "..")]`, else its own.
fn wire_name(member: &Member) -> Literal {
    member.attributes.rename.clone().unwrap_or_else(|| {
        let name = member.name.to_string();
        Literal::string(name.strip_prefix("r#").unwrap_or(&name))
    })
}

/// The table by which `oxgen_runtime`'s `ObjectReader` finds a member's
/// name among `names`: twice as many entries as names (a power of two),
/// each 0 or a name's index plus one, the name at the first free entry from
/// its hash on. `None` beyond `u16`'s indices.
fn field_table<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> Option<Vec<u16>> {
    let mut table = vec![0u16; (names.len() * 2).next_power_of_two()];
    let mask = table.len() - 1;
    for (index, name) in names.enumerate() {
        let mut at = key_hash(name) as usize & mask;
        while table[at] != 0 {
            at = (at + 1) & mask;
        }
        table[at] = u16::try_from(index + 1)
            .ok()
            .filter(|entry| *entry < u16::MAX)?;
    }
    Some(table)
}

/// `oxgen_runtime`'s hash of a member name, which its
/// `ObjectReader` searches by: the two must agree, as the runtime's tests
/// check through this derive.
fn key_hash(name: &str) -> u32 {
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

/// How a field takes part in the JSON object.
enum Kind {
    /// Not `Option`: the member must be there.
    Required,
    /// `Option<T>`: absent or `null` is `None`.
    Optional,
    /// `Option<T>` with `#[oxgen(required)]`: decoded as `Optional`, but
    /// always sent (`null` when `None`).
    RequiredNullable,
    /// `Option<Option<T>>`: absent is `None`, `null` is `Some(None)`.
    ThreeState,
    /// `#[oxgen(flatten)]`: the members no other field names.
    Flatten,
}

struct Field<'a> {
    ident: &'a Ident,
    ty: TokenStream,
    wire: Literal,
    kind: Kind,
}

fn object(input: TokenStream) -> scan::Result<TokenStream> {
    let item = scan::item(input)?;
    if item.keyword != "struct" {
        return fail(
            item.name.span(),
            "an `Object` is a struct with named fields",
        );
    }
    let members = scan::members(&item.body)?;
    let mut fields = Vec::with_capacity(members.len());
    for member in &members {
        for flag in &member.attributes.flags {
            if !matches!(flag.to_string().as_str(), "required" | "flatten") {
                return fail(
                    flag.span(),
                    "expected `rename = \"..\"`, `required` or `flatten`",
                );
            }
        }
        let ty = field_type(member)?;
        let kind = if member.attributes.has("flatten") {
            Kind::Flatten
        } else {
            match option_inner(ty) {
                Some(_) if member.attributes.has("required") => Kind::RequiredNullable,
                Some(inner) if option_inner(inner).is_some() => Kind::ThreeState,
                Some(_) => Kind::Optional,
                None => Kind::Required,
            }
        };
        fields.push(Field {
            ident: &member.name,
            ty: ty.iter().cloned().collect(),
            wire: wire_name(member),
            kind,
        });
    }
    if fields
        .iter()
        .filter(|f| matches!(f.kind, Kind::Flatten))
        .count()
        > 1
    {
        return fail(item.name.span(), "an `Object` flattens one field at most");
    }
    let serialize = serialize(&item.name, &fields);
    for flag in &item.attributes.flags {
        if flag != "default" {
            return fail(
                flag.span(),
                "expected `default` (the struct implements `Default`)",
            );
        }
    }
    if let Some(rename) = &item.attributes.rename {
        return fail(
            rename.span(),
            "expected `default` (the struct implements `Default`)",
        );
    }
    let decode = decode(&item.name, &fields, item.attributes.has("default"))?;
    Ok(in_scope(quote! {
        #serialize
        #decode
    }))
}

/// `Serialize`: the members in declaration order through `MapWriter`, an
/// optional field left out when `None`, flattened members last.
fn serialize(name: &Ident, fields: &[Field]) -> TokenStream {
    let entry = |f: &Field| {
        let (ident, wire) = (f.ident, &f.wire);
        match f.kind {
            Kind::Required | Kind::RequiredNullable => quote!(__map.entry(#wire, &self.#ident);),
            Kind::Optional | Kind::ThreeState => quote!(__map.optional(#wire, &self.#ident);),
            Kind::Flatten => quote!(__map.entries(&self.#ident);),
        }
    };
    let declared = fields.iter().filter(|f| !matches!(f.kind, Kind::Flatten));
    let flattened = fields.iter().filter(|f| matches!(f.kind, Kind::Flatten));
    let entries = declared.chain(flattened).map(entry);
    quote! {
        impl __o::Serialize for #name {
            fn serialize<__S: __o::Serializer>(&self, __serializer: __S) -> __o::Result<__S::Ok, __S::Error> {
                let mut __map = __o::MapWriter::new(__serializer)?;
                #(#entries)*
                __map.end()
            }
        }
    }
}

/// `Decode`: the members read one by one, each given to its field by its
/// index among the wire names, which the reader finds through a table laid
/// out here ([`field_table`]). With `#[oxgen(default)]` the fields are read
/// in place, into `Default::default()`; otherwise into a local per field
/// (its type written out: left to inference, each stays an open question
/// until the end), moved into the struct at the end. Which fields were seen,
/// for duplicates and missing required fields, is the reader's business.
/// `Deserialize` goes through `Decode`.
fn decode(name: &Ident, fields: &[Field], in_place: bool) -> scan::Result<TokenStream> {
    // The names in declaration order, a flattened field left out.
    let mut sorted = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if !matches!(f.kind, Kind::Flatten) {
            sorted.push((scan::string_value(&f.wire)?, i));
        }
    }
    let mut by_name: Vec<&(String, usize)> = sorted.iter().collect();
    by_name.sort();
    if let Some(pair) = by_name.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        let field = &fields[pair[1].1];
        return fail(field.ident.span(), "two fields have this name on the wire");
    }
    let Some(table) = field_table(sorted.iter().map(|(name, _)| name.as_str())) else {
        return fail(name.span(), "an `Object` has fewer than 65,535 fields");
    };
    let table = table.into_iter().map(Literal::u16_unsuffixed);
    // Each field's index among the names (a flattened one has none).
    let mut index_of = vec![0; fields.len()];
    for (index, (_, field)) in sorted.iter().enumerate() {
        index_of[*field] = index;
    }
    let mut lets = Vec::new();
    let mut arms = vec![TokenStream::new(); sorted.len()];
    let mut other = quote!(__map.skip());
    let mut required = Vec::new();
    let mut inits = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let (ident, ty) = (f.ident, &f.ty);
        let local = format_ident!("__f{}", i);
        let place = if in_place {
            quote!(&mut __out.#ident)
        } else {
            inits.push(quote!(#ident: #local));
            quote!(&mut #local)
        };
        let put = match f.kind {
            Kind::Required if in_place => quote!(__map.put_value(#place)),
            Kind::Required => {
                lets.push(quote!(let mut #local: __o::Option<#ty> = __o::None;));
                quote!(__map.put(#place))
            }
            Kind::Optional | Kind::RequiredNullable => {
                if !in_place {
                    lets.push(quote!(let mut #local: #ty = __o::None;));
                }
                quote!(__map.put_nullable(#place))
            }
            Kind::ThreeState => {
                if !in_place {
                    lets.push(quote!(let mut #local: #ty = __o::None;));
                }
                quote!(__map.put(#place))
            }
            Kind::Flatten => {
                if !in_place {
                    lets.push(quote!(let mut #local: #ty = __o::Default::default();));
                }
                other = quote!(__map.put_entry(#place));
                continue;
            }
        };
        let index = index_of[i];
        let at = Literal::usize_unsuffixed(index);
        if matches!(f.kind, Kind::Required) {
            required.push((at.clone(), local));
        }
        arms[index] = quote!(#at => #put,);
    }
    let names = sorted.iter().map(|(name, _)| Literal::string(name));
    let indices = required.iter().map(|(index, _)| index);
    let shown = name.to_string();
    let expecting = Literal::string(&format!(
        "struct {}",
        shown.strip_prefix("r#").unwrap_or(&shown)
    ));
    let start = in_place.then(|| quote!(let mut __out = <Self as __o::Default>::default();));
    let read = quote! {
        let mut __map = __o::ObjectReader::new(__value, #expecting, &[#(#names),*], &[#(#table),*]);
        #start
        #(#lets)*
        loop {
            match __map.next_field() {
                #(#arms)*
                __o::ObjectReader::OTHER => #other,
                _ => break,
            }
        }
        if let __o::Err(__e) = __map.end(&[#(#indices),*]) {
            return __o::Err(__e);
        }
    };
    let value = quote!(__o::Ok(#name { #(#inits),* }));
    // The reader has checked the required fields: what is left takes them
    // out of their `Option`s, one `match` for all.
    let finish = match &required[..] {
        _ if in_place => quote!(__o::Ok(__out)),
        [] => value,
        [(_, local)] => quote! {
            let __o::Some(#local) = #local else {
                return __o::Err(__o::incomplete());
            };
            #value
        },
        _ => {
            let locals: Vec<&Ident> = required.iter().map(|(_, l)| l).collect();
            quote! {
                match (#(#locals),*) {
                    (#(__o::Some(#locals)),*) => #value,
                    _ => __o::Err(__o::incomplete()),
                }
            }
        }
    };
    Ok(quote! {
        impl<'de> __o::Deserialize<'de> for #name {
            fn deserialize<__D: __o::Deserializer<'de>>(__deserializer: __D) -> __o::Result<Self, __D::Error> {
                __o::deserialize(__deserializer)
            }
        }

        // `#[inline]`: compiled in the programs that decode the type, not in
        // the client crate for every type (see `oxgen_runtime::Decode`).
        impl __o::Decode for #name {
            #[inline]
            fn decode(__value: __o::Json<'_, '_>) -> __o::Result<Self, __o::Invalid> {
                #read
                #finish
            }
        }
    })
}

/// `as_str`, `From<&str>`, `FromStr`, `Display`, `Serialize`,
/// `Deserialize` and `Decode` of an enum of unit variants and one `#[oxgen(other)]`
/// variant holding a `String`.
fn string_enum(input: TokenStream) -> scan::Result<TokenStream> {
    let item = scan::item(input)?;
    if item.keyword != "enum" {
        return fail(item.name.span(), "a `StringEnum` is an enum");
    }
    let members = scan::members(&item.body)?;
    let mut known = Vec::new();
    let mut other = None;
    for member in &members {
        for flag in &member.attributes.flags {
            if flag != "other" {
                return fail(flag.span(), "expected `rename = \"..\"` or `other`");
            }
        }
        let holds_one = matches!(&member.rest[..], [TokenTree::Group(g)] if g.delimiter() == proc_macro2::Delimiter::Parenthesis);
        if member.attributes.has("other") {
            if !holds_one {
                return fail(
                    member.name.span(),
                    "the `other` variant holds the value: `Other(String)`",
                );
            }
            if other.replace(&member.name).is_some() {
                return fail(member.name.span(), "a `StringEnum` has one `other` variant");
            }
        } else if member.rest.is_empty() {
            known.push((&member.name, wire_name(member)));
        } else {
            return fail(
                member.name.span(),
                "a `StringEnum` variant is a unit, or `#[oxgen(other)]`",
            );
        }
    }
    let Some(other) = other else {
        return fail(
            item.name.span(),
            "a `StringEnum` needs an `#[oxgen(other)]` variant for values it does not know",
        );
    };
    let name = &item.name;
    let idents: Vec<&Ident> = known.iter().map(|(i, _)| *i).collect();
    let wires: Vec<&Literal> = known.iter().map(|(_, w)| w).collect();
    // What is not generic is `#[inline]`, the decoder too: compiled in the
    // program that uses it, not in the client crate, which would compile
    // every type's.
    Ok(in_scope(quote! {
        impl #name {
            /// The value as it is sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#other(__value) => __value,
                }
            }
        }

        impl __o::From<&str> for #name {
            #[inline]
            fn from(__value: &str) -> Self {
                match __value {
                    #(#wires => Self::#idents,)*
                    __other => Self::#other(__o::From::from(__other)),
                }
            }
        }

        impl __o::FromStr for #name {
            type Err = __o::Infallible;

            #[inline]
            fn from_str(__value: &str) -> __o::Result<Self, __o::Infallible> {
                __o::Ok(<Self as __o::From<&str>>::from(__value))
            }
        }

        impl __o::Display for #name {
            #[inline]
            fn fmt(&self, __f: &mut __o::Formatter<'_>) -> __o::FmtResult {
                __f.write_str(self.as_str())
            }
        }

        impl __o::Serialize for #name {
            fn serialize<__S: __o::Serializer>(&self, __serializer: __S) -> __o::Result<__S::Ok, __S::Error> {
                __serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> __o::Deserialize<'de> for #name {
            fn deserialize<__D: __o::Deserializer<'de>>(__deserializer: __D) -> __o::Result<Self, __D::Error> {
                __o::deserialize(__deserializer)
            }
        }

        impl __o::Decode for #name {
            #[inline]
            fn decode(__value: __o::Json<'_, '_>) -> __o::Result<Self, __o::Invalid> {
                match __value {
                    __o::Json::Str(__value) => __o::Ok(<Self as __o::From<&str>>::from(__value)),
                    __other => __o::Err(__other.invalid("a string")),
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The functions in `code` that are neither generic nor `#[inline]`:
    /// those the crate declaring a type compiles whether or not it is used.
    fn compiled_where_declared(code: TokenStream) -> Vec<String> {
        let mut found = Vec::new();
        let tokens: Vec<TokenTree> = code.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            if let TokenTree::Group(group) = token {
                found.extend(compiled_where_declared(group.stream()));
            }
            let (TokenTree::Ident(keyword), Some(TokenTree::Ident(name))) =
                (token, tokens.get(i + 1))
            else {
                continue;
            };
            if keyword != "fn" {
                continue;
            }
            let generic =
                matches!(tokens.get(i + 2), Some(TokenTree::Punct(p)) if p.as_char() == '<');
            // Back over `pub`, then over the attributes.
            let mut start = i;
            if start >= 1 && matches!(&tokens[start - 1], TokenTree::Ident(v) if v == "pub") {
                start -= 1;
            }
            let mut inline = false;
            while start >= 2
                && matches!(&tokens[start - 2], TokenTree::Punct(p) if p.as_char() == '#')
                && let TokenTree::Group(attribute) = &tokens[start - 1]
            {
                inline |= attribute.stream().to_string() == "inline";
                start -= 2;
            }
            if !generic && !inline {
                found.push(name.to_string());
            }
        }
        found
    }

    #[test]
    fn an_object_compiles_nothing_where_it_is_declared() {
        for (input, in_place) in [
            (
                quote!(
                    struct Pet {
                        name: String,
                        #[oxgen(rename = "x-tag")]
                        tag: Option<String>,
                        #[oxgen(flatten)]
                        other: BTreeMap<String, Value>,
                    }
                ),
                "local per field",
            ),
            (
                quote!(
                    #[oxgen(default)]
                    struct Pet {
                        name: String,
                        tag: Option<String>,
                    }
                ),
                "in place",
            ),
        ] {
            let Ok(code) = object(input) else {
                panic!("the derive refused the {in_place} struct");
            };
            assert!(code.to_string().contains("fn decode"), "{in_place}");
            assert_eq!(
                compiled_where_declared(code),
                Vec::<String>::new(),
                "{in_place}"
            );
        }
    }

    #[test]
    fn a_string_enum_compiles_nothing_where_it_is_declared() {
        let Ok(code) = string_enum(quote! {
            enum Status {
                #[oxgen(rename = "active")]
                Active,
                #[oxgen(other)]
                Unknown(String),
            }
        }) else {
            panic!("the derive refused the enum");
        };
        assert!(code.to_string().contains("fn decode"));
        assert_eq!(compiled_where_declared(code), Vec::<String>::new());
    }
}
