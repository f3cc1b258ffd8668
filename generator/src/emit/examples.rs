//! The `examples` test module: every example of the spec decoded into its
//! generated type and encoded back (`examples_check.rs`, appended to the
//! module, says what passes).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::names::TypeNames;
use crate::ir::Api;

pub(super) fn module(api: &Api, spec_name: &str) -> TokenStream {
    let names = TypeNames::new(api, quote!(types::));
    let mut cases: Vec<_> = api.examples.iter().collect();
    cases.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    let checks: Vec<TokenStream> = cases
        .iter()
        .map(|case| {
            let pointer = case.pointer.to_string();
            match &case.value {
                Ok(value) => {
                    let ty = names.ty(&case.ty);
                    let json = Literal::string(&value.to_string());
                    quote!(examples.check::<#ty>(#pointer, #json);)
                }
                Err(why) => quote!(examples.skip(#pointer, #why);),
            }
        })
        .collect();
    let types = (!api.types.is_empty()).then(|| {
        quote!(
            #[allow(unused_imports)]
            use super::types;
        )
    });
    let map = cases
        .iter()
        .any(|case| case.ty.walk().any(|ty| matches!(ty, crate::ir::Ty::Map(_))))
        .then(|| {
            quote!(
                use std::collections::BTreeMap;
            )
        });
    let binding = if cases.is_empty() {
        quote!(let examples)
    } else {
        quote!(let mut examples)
    };
    quote! {
        //! The spec's examples, decoded into the generated types and encoded back.

        #![allow(clippy::all)]

        #map
        #types

        #[test]
        fn examples_round_trip() {
            #binding = Examples::default();
            #(#checks)*
            examples.finish(#spec_name);
        }
    }
}
