//! The client module: `Client`, its constructors, one method per operation and
//! the parameter structs of those methods.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::types::TypeNames;
use super::{doc, ident};
use crate::ir::{Api, Auth, Location, Operation, Param, PathPart, StatusMatch, Ty};
use crate::lower::unoption;

pub(super) fn module(api: &Api) -> TokenStream {
    let names = TypeNames::new(api, quote!(types::));
    let client = client(api);
    let mut operations: Vec<&Operation> = api.operations.iter().collect();
    operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    let methods = operations.iter().map(|op| method(&names, op));
    let params = operations.iter().filter_map(|op| params_struct(&names, op));
    let allows = super::allow_lints();
    quote! {
        //! The client, with one method per operation of the spec.

        #allows

        use reqwest::Method;

        use super::runtime::{self, BuildError, Error, Query, Response, Transport};
        use super::types;

        #client

        impl Client {
            #(#methods)*
        }

        #(#params)*
    }
}

fn client(api: &Api) -> TokenStream {
    let api_name = match api.title.trim() {
        "" => "this".to_owned(),
        title if title.ends_with(" API") => title.trim_end_matches(" API").to_owned(),
        title => title.to_owned(),
    };
    let title = match api.version.trim() {
        "" => format!("A client of the {api_name} API."),
        version => format!("A client of the {api_name} API, version {version}."),
    };
    let docs = doc(Some(&format!(
        "{title}\n\nCheap to clone: clones share one connection pool."
    )));
    let (token_arg, token) = match api.auth {
        Auth::Bearer => (quote!(, token: &str), quote!(Some(token))),
        Auth::None => (quote!(), quote!(None)),
    };
    let token_doc = match api.auth {
        Auth::Bearer => "Every request carries `Authorization: Bearer <token>`.",
        Auth::None => "",
    };
    let default = api.base_url.as_ref().map(|url| {
        let url_docs = doc(Some(&format!(
            "A client of `{url}`, the server the spec names.\n{token_doc}"
        )));
        let new_arg = match api.auth {
            Auth::Bearer => quote!(token: &str),
            Auth::None => quote!(),
        };
        let pass = match api.auth {
            Auth::Bearer => quote!(, token),
            Auth::None => quote!(),
        };
        quote! {
            /// The server the spec names.
            pub const DEFAULT_BASE_URL: &'static str = #url;

            #url_docs
            pub fn new(#new_arg) -> Result<Self, BuildError> {
                Self::with_base_url(Self::DEFAULT_BASE_URL #pass)
            }
        }
    });
    let with_base_url_docs = doc(Some(&format!(
        "A client of another server (a proxy, a test server).\n{token_doc}"
    )));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: Transport,
        }

        impl Client {
            #default

            #with_base_url_docs
            pub fn with_base_url(base_url: &str #token_arg) -> Result<Self, BuildError> {
                Ok(Client { transport: Transport::new(base_url, #token)? })
            }

            /// A client that sends through `http`, configured by the caller
            /// (timeouts, proxies, TLS roots).
            pub fn from_parts(http: reqwest::Client, base_url: &str #token_arg) -> Result<Self, BuildError> {
                Ok(Client { transport: Transport::with_http(http, base_url, #token)? })
            }

            /// The base URL requests go to, without a trailing slash.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }
        }
    }
}

fn method(names: &TypeNames, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let mut doc_text = op.docs.clone().unwrap_or_default();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    doc_text.push_str(&format!("`{} {}`", op.method, op.path_template));
    let documented: Vec<String> = op
        .path_params
        .iter()
        .filter_map(|p| {
            Some(format!(
                "- `{}`: {}",
                p.rust.trim_start_matches("r#"),
                p.docs.as_deref()?.trim()
            ))
        })
        .collect();
    if !documented.is_empty() {
        doc_text.push_str("\n\n");
        doc_text.push_str(&documented.join("\n"));
    }
    let docs = doc(Some(&doc_text));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let mut args = Vec::new();
    for p in &op.path_params {
        let rust = ident(&p.rust);
        let ty = arg_ty(names, &p.ty);
        args.push(quote!(#rust: #ty));
    }
    if let Some(body) = &op.body {
        let rust = ident(&body.rust);
        let ty = match &body.ty {
            Ty::Option(inner) => {
                let (option, inner) = (names.option(), names.ty(inner));
                quote!(#option<&#inner>)
            }
            ty => {
                let ty = names.ty(ty);
                quote!(&#ty)
            }
        };
        args.push(quote!(#rust: #ty));
    }
    if let Some(params) = &op.params_struct {
        let params = ident(params);
        args.push(quote!(params: &#params));
    }

    let success = body_ty(names, op.success.as_ref());
    let error = body_ty(names, op.error.as_ref());
    let path = path_expr(op);
    let (query_setup, query) = query(op);
    let method = format_ident!("{}", op.method);
    let mut chain = quote!(self.transport.request(Method::#method, &path, #query));
    let mut steps = Vec::new();
    if let Some(body) = &op.body {
        let rust = ident(&body.rust);
        let content_type = &body.content_type;
        match body.ty {
            Ty::Option(_) => steps.push(quote! {
                if let Some(body) = #rust { request = request.json(#content_type, body); }
            }),
            _ => chain = quote!(#chain.json(#content_type, #rust)),
        }
    }
    for p in op.params.iter().filter(|p| p.location == Location::Header) {
        steps.push(header(p));
    }
    let send = if steps.is_empty() {
        quote!(let response = #chain.send().await?;)
    } else {
        quote! {
            let mut request = #chain;
            #(#steps)*
            let response = request.send().await?;
        }
    };
    let dispatch = dispatch(op);
    quote! {
        #docs
        #deprecated
        pub async fn #name(&self, #(#args),*) -> Result<Response<#success>, Error<#error>> {
            let path = #path;
            #query_setup
            #send
            #dispatch
        }
    }
}

fn body_ty(names: &TypeNames, ty: Option<&Ty>) -> TokenStream {
    match ty {
        Some(ty) => names.ty(ty),
        None => quote!(()),
    }
}

/// Path arguments: scalars by value, strings and named types by reference.
fn arg_ty(names: &TypeNames, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(&str),
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 => names.ty(ty),
        ty => {
            let ty = names.ty(ty);
            quote!(&#ty)
        }
    }
}

/// The path as a string expression: a literal, or `format!` with each
/// parameter percent-encoded.
fn path_expr(op: &Operation) -> TokenStream {
    if op.path_params.is_empty() {
        let literal = op.path_template.as_str();
        return quote!(#literal);
    }
    let mut template = String::new();
    let mut values = Vec::new();
    for part in &op.path {
        match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathPart::Param(i) => {
                template.push_str("{}");
                let rust = ident(&op.path_params[*i].rust);
                values.push(quote!(runtime::encode_path(#rust)));
            }
        }
    }
    quote!(format!(#template, #(#values),*))
}

/// Statements that build the query string, and the expression to pass.
fn query(op: &Operation) -> (TokenStream, TokenStream) {
    let pushes: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Query)
        .map(|p| {
            let wire = &p.wire;
            let rust = ident(&p.rust);
            match unoption(&p.ty) {
                Ty::Vec(_) => {
                    let explode = p.explode;
                    quote!(query.push_list(#wire, &params.#rust, #explode);)
                }
                _ if p.required => quote!(query.push(#wire, &params.#rust);),
                _ => quote! {
                    if let Some(value) = &params.#rust {
                        query.push(#wire, value);
                    }
                },
            }
        })
        .collect();
    if pushes.is_empty() {
        (quote!(), quote!(Query::default()))
    } else {
        (
            quote!(let mut query = Query::default(); #(#pushes)*),
            quote!(query),
        )
    }
}

fn header(p: &Param) -> TokenStream {
    let wire = &p.wire;
    let rust = ident(&p.rust);
    if p.required {
        quote!(request = request.header(#wire, &params.#rust);)
    } else {
        quote! {
            if let Some(value) = &params.#rust {
                request = request.header(#wire, value);
            }
        }
    }
}

/// The `match` on the status: documented statuses first, then 429, then
/// ranges, then `default` or the catch-all.
fn dispatch(op: &Operation) -> TokenStream {
    let mut arms = Vec::new();
    let handler = |success: bool, has_body: bool| match (success, has_body) {
        (true, true) => quote!(response.json().await),
        (true, false) => quote!(response.empty().await),
        (false, true) => quote!(Err(response.api_error().await)),
        (false, false) => quote!(Err(response.api_error_empty().await)),
    };
    let mut codes: Vec<(bool, bool, u16)> = Vec::new();
    let mut ranges = Vec::new();
    let mut default = None;
    for case in &op.responses {
        let success = case.is_success();
        let has_body = case.ty.is_some();
        match case.status {
            StatusMatch::Code(429) if !success => {}
            StatusMatch::Code(code) => codes.push((success, has_body, code)),
            StatusMatch::Range(hundreds) => ranges.push((success, has_body, hundreds)),
            StatusMatch::Default => default = Some(has_body),
        }
    }
    for key in [(true, true), (true, false), (false, true), (false, false)] {
        let group: Vec<Literal> = codes
            .iter()
            .filter(|(s, b, _)| (*s, *b) == key)
            .map(|(_, _, code)| Literal::u16_unsuffixed(*code))
            .collect();
        if !group.is_empty() {
            let handle = handler(key.0, key.1);
            arms.push(quote!(#(#group)|* => #handle,));
        }
    }
    arms.push(quote!(429 => Err(response.rate_limited().await),));
    for (success, has_body, hundreds) in ranges {
        let (low, high) = (
            Literal::u16_unsuffixed(hundreds * 100),
            Literal::u16_unsuffixed(hundreds * 100 + 99),
        );
        let handle = handler(success, has_body);
        arms.push(quote!(#low..=#high => #handle,));
    }
    let fallback = match default {
        Some(has_body) => handler(false, has_body),
        None => quote!(Err(response.unexpected().await)),
    };
    arms.push(quote!(_ => #fallback,));
    quote! {
        match response.status() {
            #(#arms)*
        }
    }
}

fn params_struct(names: &TypeNames, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_struct.as_ref()?);
    let method = &op.rust_name;
    let docs = doc(Some(&format!(
        "Query and header parameters of [`Client::{method}`]."
    )));
    let fields = op.params.iter().map(|p| {
        let docs = doc(p.docs.as_deref());
        let rust = ident(&p.rust);
        let ty = match unoption(&p.ty) {
            list @ Ty::Vec(_) => names.ty(list),
            ty if p.required => names.ty(ty),
            ty => {
                let (option, ty) = (names.option(), names.ty(ty));
                quote!(#option<#ty>)
            }
        };
        quote! { #docs pub #rust: #ty, }
    });
    let default = op
        .params
        .iter()
        .all(|p| !p.required || matches!(unoption(&p.ty), Ty::Vec(_)))
        .then(|| quote!(Default,));
    Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* }
    })
}
