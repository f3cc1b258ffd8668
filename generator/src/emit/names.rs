//! How emitted code spells types: schema types by name (with the module path
//! outside the types module), std and serde types by their short names
//! unless a schema takes one of those names.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Api, Ty, TypeId};

/// Names the emitted code takes from std and serde, or gives a type parameter
/// (`A`, the decoders' map); a schema with one of these names makes the code
/// spell the std one out in full, or name the parameter otherwise.
const PRELUDE: &[&str] = &[
    "A",
    "Box",
    "BTreeMap",
    "Deserialize",
    "From",
    "Option",
    "Result",
    "Serialize",
    "String",
    "Vec",
];

/// How a module refers to types: where schema types live, and which short
/// std/serde names a schema shadows.
pub(crate) struct TypeNames<'a> {
    pub(crate) api: &'a Api,
    /// Path prefix of schema types (`types::` outside the types module).
    prefix: TokenStream,
    shadowed: BTreeSet<&'a str>,
}

impl<'a> TypeNames<'a> {
    /// Names as the types module writes them.
    pub(crate) fn local(api: &'a Api) -> Self {
        let shadowed = api
            .types
            .iter()
            .map(|t| t.name.as_str())
            .filter(|n| PRELUDE.contains(n))
            .collect();
        TypeNames {
            api,
            prefix: TokenStream::new(),
            shadowed,
        }
    }

    /// Names as other modules write them: `prefix` before schema types, which
    /// then shadow nothing.
    pub(crate) fn new(api: &'a Api, prefix: TokenStream) -> Self {
        TypeNames {
            api,
            prefix,
            shadowed: BTreeSet::new(),
        }
    }

    /// Whether a schema type takes the short name of a std or serde item.
    pub(crate) fn shadows(&self, short: &str) -> bool {
        self.shadowed.contains(short)
    }

    /// `short` (a std or serde name), or `full` when a schema shadows it.
    pub(crate) fn std(&self, short: &str, full: TokenStream) -> TokenStream {
        if self.shadows(short) {
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

    pub(crate) fn boxed(&self) -> TokenStream {
        self.std("Box", quote!(::std::boxed::Box))
    }

    pub(crate) fn map(&self) -> TokenStream {
        self.std("BTreeMap", quote!(::std::collections::BTreeMap))
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
            Ty::U32 => quote!(u32),
            Ty::U64 => quote!(u64),
            Ty::Bytes => {
                let vec = self.vec();
                quote!(#vec<u8>)
            }
            Ty::Tuple(items) => {
                let items = items.iter().map(|t| self.ty(t));
                quote!((#(#items,)*))
            }
            Ty::F32 => quote!(f32),
            Ty::F64 => quote!(f64),
            Ty::String => self.string(),
            // The server's offset is kept: a value encodes back as it came.
            Ty::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
            Ty::Date => quote!(chrono::NaiveDate),
            Ty::Uuid => quote!(uuid::Uuid),
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

    /// `ty`, with the named type inside its `Option`s in a `Box` when
    /// lowering decided the field or variant needs one.
    pub(crate) fn maybe_boxed(&self, ty: &Ty, boxed: bool) -> TokenStream {
        match ty {
            Ty::Option(inner) if boxed => {
                let (option, inner) = (self.option(), self.maybe_boxed(inner, true));
                quote!(#option<#inner>)
            }
            Ty::Named(_) if boxed => {
                let (boxed, ty) = (self.boxed(), self.ty(ty));
                quote!(#boxed<#ty>)
            }
            _ => self.ty(ty),
        }
    }
}
