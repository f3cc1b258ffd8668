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
    let deserialize = deserialize(&item.name, &fields);
    Ok(in_scope(quote! {
        #serialize
        #deserialize
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

/// `Deserialize` through `FromMap`: a local per field (its type written out:
/// left to inference, each stays an open question until the end), a `match`
/// on member names, then the required fields checked together.
fn deserialize(name: &Ident, fields: &[Field]) -> TokenStream {
    let mut lets = Vec::new();
    let mut arms = Vec::new();
    let mut other = quote!(__map.skip());
    let mut flattens = false;
    let mut required = Vec::new();
    let mut inits = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let local = format_ident!("__f{}", i);
        let (ident, ty, wire) = (f.ident, &f.ty, &f.wire);
        match f.kind {
            Kind::Required => {
                lets.push(quote!(let mut #local: __o::Option<#ty> = __o::None;));
                arms.push(quote!(#wire => __map.put(#wire, &mut #local),));
                required.push((local.clone(), wire));
            }
            Kind::Optional | Kind::RequiredNullable => {
                lets.push(quote!(let mut #local: #ty = __o::None;));
                arms.push(quote!(#wire => __map.put_nullable(#wire, &mut #local),));
            }
            Kind::ThreeState => {
                lets.push(quote!(let mut #local: #ty = __o::None;));
                arms.push(quote!(#wire => __map.put(#wire, &mut #local),));
            }
            Kind::Flatten => {
                lets.push(quote!(let mut #local: #ty = __o::Default::default();));
                other = quote!(__map.put_entry(&mut #local, __key));
                flattens = true;
            }
        }
        inits.push(quote!(#ident: #local));
    }
    let walk = if arms.is_empty() && !flattens {
        quote! {
            while __map.next_key().is_some() {
                __map.skip();
            }
        }
    } else {
        quote! {
            while let __o::Some(__key) = __map.next_key() {
                match __key.as_str() {
                    #(#arms)*
                    _ => #other,
                }
            }
        }
    };
    let value = quote!(__o::Ok(#name { #(#inits),* }));
    // A `?` per required field would give as many early returns, each
    // dropping every other local: one `match` checks them all.
    let finish = match &required[..] {
        [] => value,
        [(local, wire)] => quote! {
            let __o::Some(#local) = #local else {
                return __o::Err(__o::missing_field(#wire));
            };
            #value
        },
        _ => {
            let locals: Vec<&Ident> = required.iter().map(|(l, _)| l).collect();
            let wires = required.iter().map(|(_, w)| w);
            quote! {
                match (#(#locals),*) {
                    (#(__o::Some(#locals)),*) => #value,
                    (#(#locals),*) => __o::Err(__o::missing(&[#((#wires, #locals.is_some())),*])),
                }
            }
        }
    };
    let shown = name.to_string();
    let shown = Literal::string(shown.strip_prefix("r#").unwrap_or(&shown));
    quote! {
        impl<'de> __o::Deserialize<'de> for #name {
            fn deserialize<__D: __o::Deserializer<'de>>(__deserializer: __D) -> __o::Result<Self, __D::Error> {
                __o::from_map(__deserializer)
            }
        }

        impl __o::FromMap for #name {
            const NAME: &'static str = #shown;

            fn from_map<'de, __A: __o::MapAccess<'de>>(mut __map: __o::MapReader<'de, __A>) -> __o::Result<Self, __A::Error> {
                #(#lets)*
                #walk
                __map.end()?;
                #finish
            }
        }
    }
}

/// `as_str`, `From<&str>`, `FromStr`, `Display`, `Serialize` and
/// `Deserialize` of an enum of unit variants and one `#[oxgen(other)]`
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
    Ok(in_scope(quote! {
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#other(__value) => __value,
                }
            }
        }

        impl __o::From<&str> for #name {
            fn from(__value: &str) -> Self {
                match __value {
                    #(#wires => Self::#idents,)*
                    __other => Self::#other(__o::From::from(__other)),
                }
            }
        }

        impl __o::FromStr for #name {
            type Err = __o::Infallible;

            fn from_str(__value: &str) -> __o::Result<Self, __o::Infallible> {
                __o::Ok(<Self as __o::From<&str>>::from(__value))
            }
        }

        impl __o::Display for #name {
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
                __o::from_str_value(__deserializer)
            }
        }
    }))
}
