//! The `conformance` module (`Options::conformance`): every operation called
//! once with sample arguments made from its schemas, every optional one set,
//! so that a mock server that validates requests and answers from the
//! schemas (Stoplight Prism) checks both directions of the client.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::{arg_ty, body_arg_ty};
use super::ident;
use super::names::TypeNames;
use crate::ir::{Api, BodyKind, Operation, SchemeKind};

pub(super) fn module(api: &Api, operations: &[&Operation]) -> TokenStream {
    let names = TypeNames::new(api, quote!(types::));
    let calls = operations.iter().map(|op| {
        let name = op.rust_name.trim_start_matches("r#");
        let function = format_ident!("call_{name}");
        let pointer = op.pointer.to_string();
        quote! {
            calls.push(Call {
                operation: #name,
                pointer: #pointer,
                outcome: #function(client).await.unwrap_or_else(|o| o),
            });
        }
    });
    let functions: Vec<TokenStream> = operations.iter().map(|op| call(&names, op)).collect();
    let client = client(api);
    let map = functions
        .iter()
        .any(|f| f.to_string().contains("BTreeMap"))
        .then(|| {
            quote!(
                use std::collections::BTreeMap;
            )
        });
    quote! {
        //! Every operation called once with sample arguments made from its
        //! schemas, every optional one set: for tests against a mock server
        //! that validates requests and answers from the schemas.

        // Deprecated operations are called too.
        #![allow(deprecated)]

        #map
        use super::*;

        /// What one call came to.
        #[derive(Debug)]
        pub enum Outcome {
            /// The server answered with this status (a success, or a documented
            /// redirect), and the answer decoded.
            Answered(u16),
            /// An error status, with what the server said.
            Status(u16, String),
            /// The answer did not decode: its status, why, and the whole body.
            NotDecoded {
                status: u16,
                error: String,
                body: String,
            },
            /// The call failed otherwise (the connection, a timeout).
            Failed(String),
            /// No sample argument could be made for this one.
            NoSample(&'static str),
        }

        /// One operation called.
        #[derive(Debug)]
        pub struct Call {
            /// The client method's name.
            pub operation: &'static str,
            /// Where the operation is in the document (a JSON pointer).
            pub pointer: &'static str,
            /// What the call came to.
            pub outcome: Outcome,
        }

        #client

        /// Calls every operation of `client` once, in the order of their names.
        pub async fn every_operation(client: &Client) -> Vec<Call> {
            let mut calls = Vec::new();
            #(#calls)*
            calls
        }

        fn sample_of<T: serde::de::DeserializeOwned>(
            argument: &'static str,
            json: &'static str,
        ) -> Result<T, Outcome> {
            serde_json::from_str(json).map_err(|_| Outcome::NoSample(argument))
        }

        fn outcome_of<T, E: std::fmt::Debug>(result: Result<Response<T>, Error<E>>) -> Outcome {
            match result {
                Ok(response) => Outcome::Answered(response.status().as_u16()),
                // A documented redirect to another origin (GitHub's
                // downloads) is returned, decoded, rather than followed.
                Err(Error::Api { status, .. }) if status.is_redirection() => {
                    Outcome::Answered(status.as_u16())
                }
                Err(Error::Api { status, body }) => Outcome::Status(status.as_u16(), format!("{body:?}")),
                Err(Error::UnexpectedStatus { status, body }) => {
                    Outcome::Status(status.as_u16(), body.to_string())
                }
                Err(Error::RateLimited { .. }) => Outcome::Status(429, String::new()),
                Err(Error::Decode(error)) => Outcome::NotDecoded {
                    status: error.status().as_u16(),
                    error: error.to_string(),
                    body: String::from_utf8_lossy(error.body()).into_owned(),
                },
                Err(other) => {
                    // With its causes: a transport error's own text says little.
                    let mut text = other.to_string();
                    let mut source = std::error::Error::source(&other);
                    while let Some(cause) = source {
                        text = format!("{text}: {cause}");
                        source = cause.source();
                    }
                    Outcome::Failed(text)
                }
            }
        }

        #(#functions)*
    }
}

/// `client(base_url)`: a client of that server with a sample credential
/// of every scheme.
fn client(api: &Api) -> TokenStream {
    let construct = if api.auth.bearer_only() {
        quote!(Client::with_base_url(base_url, "token"))
    } else {
        let credentials = api.auth.schemes.iter().map(|scheme| {
            let method = ident(&scheme.method);
            match &scheme.kind {
                SchemeKind::Basic => quote!(.and_then(|c| c.#method("user", "password"))),
                SchemeKind::ApiKey { .. } => quote!(.and_then(|c| c.#method("key"))),
                _ => quote!(.and_then(|c| c.#method("token"))),
            }
        });
        quote!(Client::with_base_url(base_url) #(#credentials)*)
    };
    // Operations with a server of their own are sent to `base_url` too.
    let servers: std::collections::BTreeSet<&str> = api
        .operations
        .iter()
        .filter_map(|op| op.server.as_deref())
        .collect();
    let servers = servers
        .into_iter()
        .map(|server| quote!(.and_then(|c| c.with_server(#server, base_url))));
    quote! {
        /// A client of `base_url` with a sample credential of every scheme,
        /// every operation sent there.
        pub fn client(base_url: &str) -> Result<Client, BuildError> {
            #construct #(#servers)*
        }
    }
}

/// `call_<op>`: the samples, decoded into the argument types, and the call.
fn call(names: &TypeNames, op: &Operation) -> TokenStream {
    let name = op.rust_name.trim_start_matches("r#");
    let function = format_ident!("call_{name}");
    let mut locals = Vec::new();
    let mut args = Vec::new();
    for p in &op.path_params {
        let local = format_ident!("path_{}", p.rust.trim_start_matches("r#"));
        let ty = names.ty(&p.ty);
        let json = sample_text(p.sample.as_ref());
        let wire = &p.wire;
        locals.push(quote!(let #local: #ty = sample_of(#wire, #json)?;));
        let by_reference = arg_ty(names, &p.ty).to_string().starts_with('&');
        args.push(if by_reference {
            quote!(&#local)
        } else {
            quote!(#local)
        });
    }
    if let Some(body) = &op.body {
        let (ty, json) = match body.kind {
            BodyKind::Text => (quote!(String), sample_text(body.sample.as_ref())),
            BodyKind::Bytes => (quote!(Vec<u8>), "[115,97,109,112,108,101]".to_owned()),
            _ => (names.ty(&body.ty), sample_text(body.sample.as_ref())),
        };
        locals.push(quote!(let body: #ty = sample_of("body", #json)?;));
        let by_reference = !body_arg_ty(names, body).to_string().starts_with("Option");
        args.push(if by_reference {
            quote!(&body)
        } else {
            quote!(Some(&body))
        });
    }
    if let Some(params) = &op.params_struct {
        let params = ident(params);
        let fields = op.params.iter().map(|p| {
            let field = ident(&p.rust);
            let wire = &p.wire;
            let json = sample_text(p.sample.as_ref());
            quote!(#field: sample_of(#wire, #json)?,)
        });
        locals.push(quote!(let params = #params { #(#fields)* };));
        args.push(quote!(&params));
    }
    // An operation with a JSON answer besides its stream is called for the
    // JSON one.
    let method = match &op.streaming {
        Some(streaming) if streaming.only => ident(&streaming.rust_name),
        _ => ident(&op.rust_name),
    };
    let call = quote!(client.#method(#(#args),*).await);
    quote! {
        async fn #function(client: &Client) -> Result<Outcome, Outcome> {
            #(#locals)*
            Ok(outcome_of(#call))
        }
    }
}

/// A sample as JSON text; `null` (which decodes as `None`, and into nothing
/// else) where none could be made.
fn sample_text(sample: Option<&serde_json::Value>) -> String {
    match sample {
        Some(value) => value.to_string(),
        None => "null".to_owned(),
    }
}
