//! The `types` module: one item per schema, sorted by name.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, ident};
use crate::ir::{Api, Enum, Envelope, Struct, Ty, TypeDef, TypeId, TypeKind};
use crate::lower::unoption;

/// Names the emitted code takes from std and serde; a schema with one of these
/// names makes the code spell the std one out in full.
const PRELUDE: &[&str] = &[
    "Box",
    "BTreeMap",
    "Deserialize",
    "Option",
    "Result",
    "Serialize",
    "String",
    "Vec",
];

/// How a module refers to types: where schema types live, and which short
/// std/serde names a schema shadows.
pub(crate) struct TypeNames<'a> {
    api: &'a Api,
    /// Path prefix of schema types (`types::` outside the types module).
    prefix: TokenStream,
    shadowed: BTreeSet<&'a str>,
}

impl<'a> TypeNames<'a> {
    pub(crate) fn new(api: &'a Api, prefix: TokenStream) -> Self {
        let shadowed = if prefix.is_empty() {
            api.types
                .iter()
                .map(|t| t.name.as_str())
                .filter(|n| PRELUDE.contains(n))
                .collect()
        } else {
            BTreeSet::new()
        };
        TypeNames {
            api,
            prefix,
            shadowed,
        }
    }

    fn std(&self, short: &str, full: TokenStream) -> TokenStream {
        if self.shadowed.contains(short) {
            full
        } else {
            let short = ident(short);
            quote!(#short)
        }
    }

    pub(crate) fn option(&self) -> TokenStream {
        self.std("Option", quote!(::std::option::Option))
    }

    pub(crate) fn string(&self) -> TokenStream {
        self.std("String", quote!(::std::string::String))
    }

    pub(crate) fn vec(&self) -> TokenStream {
        self.std("Vec", quote!(::std::vec::Vec))
    }

    fn boxed(&self) -> TokenStream {
        self.std("Box", quote!(::std::boxed::Box))
    }

    fn map(&self) -> TokenStream {
        self.std("BTreeMap", quote!(::std::collections::BTreeMap))
    }

    fn serde_derives(&self) -> TokenStream {
        let ser = self.std("Serialize", quote!(::serde::Serialize));
        let de = self.std("Deserialize", quote!(::serde::Deserialize));
        quote!(#ser, #de)
    }

    /// The `use` lines for the short names this module may write.
    fn imports(&self) -> TokenStream {
        let serde: Vec<_> = ["Deserialize", "Serialize"]
            .into_iter()
            .filter(|n| !self.shadowed.contains(n))
            .map(ident)
            .collect();
        let map = (!self.shadowed.contains("BTreeMap")).then(|| {
            quote!(
                use std::collections::BTreeMap;
            )
        });
        quote! {
            use std::fmt;
            #map
            use serde::{#(#serde),*};
        }
    }

    pub(crate) fn named(&self, id: TypeId) -> TokenStream {
        let prefix = &self.prefix;
        let name = ident(&self.api.ty(id).name);
        quote!(#prefix #name)
    }

    pub(crate) fn ty(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Bool => quote!(bool),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::F32 => quote!(f32),
            Ty::F64 => quote!(f64),
            Ty::String => self.string(),
            Ty::Json => quote!(serde_json::Value),
            Ty::Named(id) => self.named(*id),
            Ty::Vec(item) => {
                let (vec, item) = (self.vec(), self.ty(item));
                quote!(#vec<#item>)
            }
            Ty::Map(value) => {
                let (map, string, value) = (self.map(), self.string(), self.ty(value));
                quote!(#map<#string, #value>)
            }
            Ty::Option(inner) => {
                let (option, inner) = (self.option(), self.ty(inner));
                quote!(#option<#inner>)
            }
        }
    }
}

pub(super) fn module(api: &Api) -> TokenStream {
    let names = TypeNames::new(api, TokenStream::new());
    let imports = names.imports();
    let mut ids: Vec<TypeId> = (0..api.types.len()).map(TypeId).collect();
    ids.sort_by(|a, b| api.ty(*a).name.cmp(&api.ty(*b).name));
    let items = ids.into_iter().map(|id| item(api, &names, id));
    let allows = super::allow_lints();
    quote! {
        //! Request and response types, one per schema of the spec.

        #allows

        #imports

        #(#items)*
    }
}

fn item(api: &Api, names: &TypeNames, id: TypeId) -> TokenStream {
    let def = api.ty(id);
    let docs = doc(def.docs.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure(api, names, id, s, docs),
        TypeKind::Enum(e) => enumeration(names, def, e, docs),
        TypeKind::Alias(ty) => {
            let ty = names.ty(ty);
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::Pending => unreachable!("every reserved type is converted before emission"),
    }
}

fn structure(
    api: &Api,
    names: &TypeNames,
    id: TypeId,
    s: &Struct,
    docs: TokenStream,
) -> TokenStream {
    let name = ident(&api.ty(id).name);
    let fields = s.fields.iter().map(|field| {
        let docs = doc(field.docs.as_deref());
        let rust = ident(&field.rust);
        let ty = field.rust_ty();
        let ty = field_ty(names, &ty, needs_box(api, id, &ty));
        let rename = (field.rust.trim_start_matches("r#") != field.wire).then(|| {
            let wire = &field.wire;
            quote!(rename = #wire)
        });
        let skip = (!field.required).then(|| quote!(skip_serializing_if = "Option::is_none"));
        let serde = match (rename, skip) {
            (None, None) => quote!(),
            (Some(r), None) => quote!(#[serde(#r)]),
            (None, Some(s)) => quote!(#[serde(#s)]),
            (Some(r), Some(s)) => quote!(#[serde(#r, #s)]),
        };
        quote! { #docs #serde pub #rust: #ty, }
    });
    let default = s
        .fields
        .iter()
        .all(|f| !f.required)
        .then(|| quote!(Default,));
    let derives = names.serde_derives();
    let accessors = s.envelope.as_ref().map(|e| envelope(names, &name, s, e));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default #derives)]
        pub struct #name { #(#fields)* }
        #accessors
    }
}

/// A field's type, with `Box` around the named type when it closes a cycle.
fn field_ty(names: &TypeNames, ty: &Ty, boxed: bool) -> TokenStream {
    match ty {
        Ty::Option(inner) if boxed => {
            let (option, inner) = (names.option(), field_ty(names, inner, true));
            quote!(#option<#inner>)
        }
        Ty::Named(_) if boxed => {
            let (boxed, ty) = (names.boxed(), names.ty(ty));
            quote!(#boxed<#ty>)
        }
        _ => names.ty(ty),
    }
}

/// Whether a field of type `ty` inside `owner` makes `owner` infinitely sized.
fn needs_box(api: &Api, owner: TypeId, ty: &Ty) -> bool {
    let Ty::Named(start) = unoption(ty) else {
        return false;
    };
    let mut seen = BTreeSet::new();
    let mut stack = vec![*start];
    while let Some(id) = stack.pop() {
        if id == owner {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        let direct = |ty: &Ty| match unoption(ty) {
            Ty::Named(next) => Some(*next),
            _ => None,
        };
        match &api.ty(id).kind {
            TypeKind::Struct(s) => stack.extend(s.fields.iter().filter_map(|f| direct(&f.ty))),
            TypeKind::Alias(ty) => stack.extend(direct(ty)),
            TypeKind::Enum(_) | TypeKind::Pending => {}
        }
    }
    false
}

fn envelope(names: &TypeNames, name: &proc_macro2::Ident, s: &Struct, e: &Envelope) -> TokenStream {
    let results_field = &s.fields[e.results];
    let results = ident(&results_field.rust);
    let iter = if matches!(results_field.rust_ty(), Ty::Option(_)) {
        quote!(self.#results.iter().flatten())
    } else {
        quote!(self.#results.iter())
    };
    let (key, id) = (ident(&e.key_field), ident(&e.id_field));
    let vec = names.vec();
    let methods = e.lists.iter().map(|(index, accessor)| {
        let field = &s.fields[*index];
        let Ty::Map(value) = unoption(&field.ty) else {
            unreachable!("envelope lists are maps")
        };
        let value = names.ty(value);
        let map = ident(&field.rust);
        let wire = &field.wire;
        let lookup = if matches!(field.rust_ty(), Ty::Option(_)) {
            quote!(self.#map.as_ref()?.get(&reference.#id))
        } else {
            quote!(self.#map.get(&reference.#id))
        };
        let docs = doc(Some(&format!(
            "The `{wire}` entries that `{}` lists, in its order. References to entries missing from `{wire}` are skipped.",
            results_field.wire
        )));
        let accessor = ident(accessor);
        quote! {
            #docs
            pub fn #accessor(&self) -> #vec<&#value> {
                #iter
                    .filter(|reference| reference.#key == #wire)
                    .filter_map(|reference| #lookup)
                    .collect()
            }
        }
    });
    quote! {
        impl #name { #(#methods)* }
    }
}

fn enumeration(names: &TypeNames, def: &TypeDef, e: &Enum, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let string = names.string();
    let other = ident(&e.other);
    let variants = e.variants.iter().map(|v| {
        let docs = doc(v.docs.as_deref());
        let rust = ident(&v.rust);
        let wire = &v.wire;
        quote! { #docs #[serde(rename = #wire)] #rust, }
    });
    let as_str = e.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let wire = Literal::string(&v.wire);
        quote!(Self::#rust => #wire,)
    });
    let from_str = e.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let wire = Literal::string(&v.wire);
        quote!(#wire => Self::#rust,)
    });
    let derives = names.serde_derives();
    let result = names.std("Result", quote!(::std::result::Result));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #derives)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know.
            #[serde(untagged)]
            #other(#string),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> #result<Self, Self::Err> {
                Ok(match value {
                    #(#from_str)*
                    other => Self::#other(other.into()),
                })
            }
        }
    }
}
