//! The `types` module: one item per schema, sorted by name.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::names::TypeNames;
use super::{braced, doc, ident};
use crate::ir::{Api, Enum, Envelope, Link, Struct, Ty, TypeDef, TypeId, TypeKind, Union};
use crate::naming;

/// The `use` lines for the short names the types module may write.
fn imports(api: &Api, names: &TypeNames) -> TokenStream {
    let has = |kind: fn(&TypeKind) -> bool| api.types.iter().any(|t| kind(&t.kind));
    let has_union = has(|k| matches!(k, TypeKind::Union(_)));
    let map = (!names.shadows("BTreeMap") && api.types.iter().any(uses_map)).then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    // Unions derive serde's `Serialize` and implement `Deserialize`; structs
    // and string enums derive `oxgen_runtime`'s, by its path.
    let serde: Vec<_> = [("Deserialize", has_union), ("Serialize", has_union)]
        .into_iter()
        .filter(|(n, used)| *used && !names.shadows(n))
        .map(|(n, _)| ident(n))
        .collect();
    let serde = (!serde.is_empty()).then(|| quote!(use serde::{#(#serde),*};));
    quote! { #map #serde }
}

/// Whether a type's emitted code writes `BTreeMap`.
fn uses_map(def: &TypeDef) -> bool {
    let additional = matches!(&def.kind, TypeKind::Struct(s) if s.additional.is_some());
    additional
        || def
            .kind
            .tys()
            .flat_map(Ty::walk)
            .any(|ty| matches!(ty, Ty::Map(_)))
}

/// The start of the module: its docs, lints and imports.
pub(super) fn head(api: &Api) -> TokenStream {
    let imports = imports(api, &TypeNames::local(api));
    quote! {
        //! Request and response types, one per schema of the spec.

        #imports
    }
}

/// The type ids in the order the module lists them: by name.
pub(super) fn order(api: &Api) -> Vec<TypeId> {
    let mut ids: Vec<TypeId> = (0..api.types.len()).map(TypeId).collect();
    ids.sort_by(|a, b| api.ty(*a).name.cmp(&api.ty(*b).name));
    ids
}

/// The items of the types `ids`, in that order.
pub(super) fn items(api: &Api, ids: &[TypeId]) -> Result<Vec<syn::Item>, String> {
    let names = TypeNames::local(api);
    let mut items = Items::default();
    for id in ids {
        item(api, &names, *id, &mut items)?;
    }
    Ok(items.items)
}

/// The items of the types being printed.
#[derive(Default)]
struct Items {
    items: Vec<syn::Item>,
}

impl Items {
    /// Parses `tokens()` and adds its items.
    fn parse(&mut self, tokens: impl Fn() -> TokenStream) -> Result<(), String> {
        let file: syn::File = parsed(tokens)?;
        self.items.extend(file.items);
        Ok(())
    }
}

fn item(api: &Api, names: &TypeNames, id: TypeId, items: &mut Items) -> Result<(), String> {
    let def = api.ty(id);
    let docs = || doc(def.docs.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure(api, names, id, s, docs, items),
        TypeKind::Enum(e) => enumeration(names, def, e, docs, items),
        TypeKind::Union(u) => items.parse(|| union(api, names, id, u, docs())),
        TypeKind::Alias(alias) => items.parse(|| {
            let (docs, ty) = (docs(), names.maybe_boxed(&alias.ty, alias.boxed));
            quote! { #docs pub type #name = #ty; }
        }),
        TypeKind::Pending => unreachable!("every reserved type is converted before emission"),
    }
}

fn structure(
    api: &Api,
    names: &TypeNames,
    id: TypeId,
    s: &Struct,
    docs: impl Fn() -> TokenStream,
    items: &mut Items,
) -> Result<(), String> {
    let name = ident(&api.ty(id).name);
    items.parse(|| {
        let fields = s.fields.iter().map(|field| {
            let docs = doc(field.docs.as_deref());
            let rust = ident(&field.rust);
            let ty = field.rust_ty();
            let attributes = field_attributes(field, &ty);
            let ty = names.maybe_boxed(&ty, field.boxed);
            quote! { #docs #attributes pub #rust: #ty, }
        });
        let additional = s.additional.as_ref().map(|(rust, ty)| {
            let rust = ident(rust);
            let (map, string, ty) = (names.map(), names.string(), names.ty(ty));
            quote! {
                /// Properties the schema does not declare.
                #[oxgen(flatten)]
                pub #rust: #map<#string, #ty>,
            }
        });
        let body = braced(fields.chain(additional));
        let docs = docs();
        // A struct with a default is decoded in place, into its default:
        // less code per struct than a local per field.
        let (default, in_place) = match s.default {
            true => (quote!(Default,), quote!(#[oxgen(default)])),
            false => (TokenStream::new(), TokenStream::new()),
        };
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #default oxgen_runtime::Object)]
            #in_place
            pub struct #name #body
        }
    })?;
    if let Some(e) = &s.envelope {
        items.parse(|| envelope(names, &name, s, e))?;
    }
    Ok(())
}

/// `#[oxgen(..)]` of a field, when it needs one: the wire name when it is not
/// the field's, and `required` for an `Option` the schema requires (sent as
/// `null` rather than left out).
fn field_attributes(field: &crate::ir::Field, ty: &Ty) -> TokenStream {
    let mut parts = Vec::new();
    if field.wire != field.rust.trim_start_matches("r#") {
        let wire = &field.wire;
        parts.push(quote!(rename = #wire));
    }
    if field.required && matches!(ty, Ty::Option(_)) {
        parts.push(quote!(required));
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[oxgen(#(#parts),*)])
    }
}

/// `tokens()` as syntax. A failure is our bug; the tokens are built again for
/// the message rather than kept on the path that never fails.
fn parsed<T: syn::parse::Parse>(tokens: impl Fn() -> TokenStream) -> Result<T, String> {
    syn::parse2(tokens()).map_err(|e| format!("emitted invalid Rust: {e}\n{}", tokens()))
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
    let methods = e.lists.iter().map(|list| {
        let field = &s.fields[list.field];
        let value = names.ty(&list.value);
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
        let accessor = ident(&list.accessor);
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
    let links = e.links.iter().map(|link| association(names, s, e, link));
    quote! {
        impl #name { #(#methods)* #(#links)* }
    }
}

/// The envelope method resolving one association of one type of object: the
/// associated object (or objects, in the order of the ids) from its map.
fn association(names: &TypeNames, s: &Struct, e: &Envelope, link: &Link) -> TokenStream {
    let owner_def = names.api.ty(link.owner);
    let owner = names
        .api
        .structure(link.owner)
        .expect("lowering links the associations of structs only");
    let association = &owner.associations[link.association];
    let id_field = &owner.fields[association.field];
    let list = &e.lists[link.target];
    let target = &s.fields[list.field];
    let value = names.ty(&list.value);
    let owner_ty = names.ty(&Ty::Named(link.owner));
    let object = ident(&naming::snake(&owner_def.name, "object"));
    let (method, map, id) = (
        ident(&link.method),
        ident(&target.rust),
        ident(&id_field.rust),
    );
    let options = |ty: &Ty| ty.options().0;
    let (wire, map_wire, id_wire) = (&association.wire, &target.wire, &id_field.wire);
    if association.many {
        let vec = names.vec();
        let ids = unwrap_or_return(
            &vec,
            quote!(&#object.#id),
            options(&id_field.rust_ty()),
            quote!(ids),
        );
        let found = unwrap_or_return(
            &vec,
            quote!(&self.#map),
            options(&target.rust_ty()),
            quote!(map),
        );
        let docs = doc(Some(&format!(
            "The `{wire}` of `{object}`: the `{map_wire}` entries named by its `{id_wire}`, in that order. Empty when the response does not hold them (ask for `{wire}` with `include`); ids missing from `{map_wire}` are skipped."
        )));
        quote! {
            #docs
            pub fn #method(&self, #object: &#owner_ty) -> #vec<&#value> {
                #ids
                #found
                ids.iter().filter_map(|id| map.get(id)).collect()
            }
        }
    } else {
        let question = |n: usize| (0..n).map(|_| quote!(.as_ref()?));
        let id_questions = question(options(&id_field.rust_ty()));
        let map_questions = question(options(&target.rust_ty()));
        let option = names.option();
        let docs = doc(Some(&format!(
            "The `{wire}` of `{object}`: the `{map_wire}` entry named by its `{id_wire}`. `None` when the response does not hold it (ask for `{wire}` with `include`)."
        )));
        quote! {
            #docs
            pub fn #method(&self, #object: &#owner_ty) -> #option<&#value> {
                self.#map #(#map_questions)* .get(#object.#id #(#id_questions)*)
            }
        }
    }
}

/// `let name = <place>;`, or for a place of `n` nested options, the binding of
/// the innermost value with an early return of an empty list when any is `None`.
fn unwrap_or_return(
    vec: &TokenStream,
    place: TokenStream,
    n: usize,
    name: TokenStream,
) -> TokenStream {
    if n == 0 {
        return quote!(let #name = #place;);
    }
    let mut pattern = quote!(#name);
    for _ in 0..n {
        pattern = quote!(Some(#pattern));
    }
    quote! {
        let #pattern = #place else {
            return #vec::new();
        };
    }
}

/// A string enum: a variant per value, and the `other` variant for values
/// added later, which makes it `#[non_exhaustive]`: a new value is an
/// addition, not a breaking change. `oxgen_runtime::StringEnum` writes the
/// conversions.
fn enumeration(
    names: &TypeNames,
    def: &TypeDef,
    e: &Enum,
    docs: impl Fn() -> TokenStream,
    items: &mut Items,
) -> Result<(), String> {
    let name = ident(&def.name);
    let other = ident(&e.other);
    items.parse(|| {
        let string = names.string();
        let variants = e.variants.iter().map(|v| {
            let docs = doc(v.docs.as_deref());
            let rust = ident(&v.rust);
            let rename = (v.wire != v.rust.trim_start_matches("r#")).then(|| {
                let wire = &v.wire;
                quote!(#[oxgen(rename = #wire)])
            });
            quote! { #docs #rename #rust, }
        });
        let variants = braced(variants.chain([quote! {
            /// A value this version of the client does not know.
            #[oxgen(other)]
            #other(#string),
        }]));
        let docs = docs();
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Eq, Hash, oxgen_runtime::StringEnum)]
            #[non_exhaustive]
            pub enum #name #variants
        }
    })
}

/// Whether an untagged union's variants are tried in the order that keeps
/// the most of an object's members (with two object variants or more), or
/// in their declared order, as serde's `untagged` has it.
fn orders_by_members(u: &Union) -> bool {
    u.variants.iter().filter(|v| !v.members.is_empty()).count() >= 2
}

/// `Deserialize` of a union, through its `Decode`.
fn deserialize_by_decode(names: &TypeNames, name: &proc_macro2::Ident) -> TokenStream {
    let result = names.std("Result", quote!(::std::result::Result));
    let de = names.std("Deserialize", quote!(::serde::Deserialize));
    quote! {
        impl<'de> #de<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                oxgen_runtime::deserialize(deserializer)
            }
        }
    }
}

/// `Decode` and `Deserialize` of an untagged union: the value is read
/// whole, then each variant is tried. With several object variants, for an
/// object, the variants that declare more of its members are tried first
/// (`oxgen_runtime::variant_order`), so that a value is not decoded into a
/// variant that drops members another one keeps. Which variant to try is a
/// nested `fn` rather than a closure, which would compile a shim of its own.
/// Both are `#[inline]`, as the derives' decoders are: compiled in the
/// programs that decode the union, not for every union in the client crate.
fn untagged(names: &TypeNames, name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let result = names.std("Result", quote!(::std::result::Result));
    let ordered = orders_by_members(u);
    let members = u.variants.iter().map(|v| {
        let wires = if ordered { &v.members[..] } else { &[] };
        quote!(&[#(#wires),*])
    });
    let last = u.variants.len() - 1;
    let arms = u.variants.iter().enumerate().map(|(i, v)| {
        let rust = ident(&v.rust);
        let wrap = if v.boxed {
            let boxed = names.boxed();
            quote!(|v| #name::#rust(#boxed::new(v)))
        } else {
            quote!(#name::#rust)
        };
        let pattern = if i == last {
            quote!(_)
        } else {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(#i)
        };
        quote!(#pattern => oxgen_runtime::variant(value, #wrap),)
    });
    let shown = name.to_string();
    let shown = shown.trim_start_matches("r#");
    let deserialize = deserialize_by_decode(names, name);
    quote! {
        #deserialize

        impl oxgen_runtime::Decode for #name {
            #[inline]
            fn decode(value: oxgen_runtime::Json<'_, '_>) -> #result<Self, oxgen_runtime::Invalid> {
                #[inline]
                fn variant(
                    index: usize,
                    value: &serde_json::Value,
                ) -> #result<#name, oxgen_runtime::Invalid> {
                    match index { #(#arms)* }
                }

                oxgen_runtime::untagged(value, #shown, &[#(#members),*], variant)
            }
        }
    }
}

fn union(api: &Api, names: &TypeNames, id: TypeId, u: &Union, docs: TokenStream) -> TokenStream {
    let name = ident(&api.ty(id).name);
    let variants = u.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let ty = names.maybe_boxed(&v.ty, v.boxed);
        quote!(#rust(#ty),)
    });
    let Some(tag) = &u.tag else {
        let ser = names.std("Serialize", quote!(::serde::Serialize));
        let deserialize = untagged(names, &name, u);
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #ser)]
            #[serde(untagged)]
            pub enum #name { #(#variants)* }

            #deserialize
        };
    };
    // Tagged: serialize as the variant itself (it carries its tag), decode by
    // reading the tag first. Tag values this version does not know decode
    // into the catch-all, so a new kind of object does not break decoding.
    let ser = names.std("Serialize", quote!(::serde::Serialize));
    let result = names.std("Result", quote!(::std::result::Result));
    let deserialize = deserialize_by_decode(names, &name);
    let other = ident(&tag.other);
    let property = &tag.property;
    let other_docs = doc(Some(&format!(
        "An object whose `{property}` this version of the client does not know."
    )));
    let mut taken = BTreeSet::new();
    let arms = u.variants.iter().filter_map(|v| {
        let values: Vec<&String> = v
            .tag_values
            .iter()
            .filter(|t| taken.insert(t.as_str()))
            .collect();
        if values.is_empty() {
            return None;
        }
        let rust = ident(&v.rust);
        let decode = if v.boxed {
            let boxed = names.boxed();
            quote!(oxgen_runtime::variant(&value, |v| Self::#rust(#boxed::new(v))))
        } else {
            quote!(oxgen_runtime::variant(&value, Self::#rust))
        };
        Some(quote!(#(#values)|* => #decode,))
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #ser)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #other_docs
            #other(serde_json::Value),
        }

        #deserialize

        impl oxgen_runtime::Decode for #name {
            #[inline]
            fn decode(value: oxgen_runtime::Json<'_, '_>) -> #result<Self, oxgen_runtime::Invalid> {
                let value = <serde_json::Value as oxgen_runtime::Decode>::decode(value)?;
                let tag = match value.get(#property) {
                    Some(serde_json::Value::String(tag)) => tag.clone(),
                    Some(other) => other.to_string(),
                    None => return Ok(Self::#other(value)),
                };
                match tag.as_str() {
                    #(#arms)*
                    _ => Ok(Self::#other(value)),
                }
            }
        }
    }
}
