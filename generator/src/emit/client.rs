//! The client module: `Client`, its constructors and credentials, one method
//! per operation, and the parameter structs and result enums of those methods.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::names::TypeNames;
use super::{doc, ident};
use crate::ir::{
    Api, Body, BodyKind, Framing, Idx, ItemSource, Location, Operation, Outcome, Paging, Param,
    PathPart, ResponseCase, SchemeKind, StatusMatch, Streaming, Style, Ty, TypeKind, indexed,
};

/// The operations in the order the module lists them: by method name.
pub(super) fn order(api: &Api) -> Vec<&Operation> {
    let mut operations: Vec<&Operation> = api.operations.iter().collect();
    operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    operations
}

/// The start of the module: docs, lints, imports and the `Client` type with
/// its constructors.
///
/// The methods are `#[inline]` so that they are compiled in the crate that
/// calls them, and only if it does: a program that calls three operations
/// compiles the requests and the dispatch on the status of those three. The
/// answers' decoders are the types' `Decode` impls, `#[inline]` too, so the
/// program compiles the decoders of those answers' types, once each. The
/// methods return one named future type rather than an `impl Future` each,
/// which the compiler checks once.
pub(super) fn head(api: &Api) -> TokenStream {
    let client = client(api);
    let imports = imports(api);
    let streams = api.operations.iter().any(|op| op.streaming.is_some());
    let streams = streams.then(|| {
        quote! {
            //!
            //! A method whose answer streams returns a `StreamFuture` instead:
            //! awaiting it gives the status and headers, with the items as a
            //! stream that decodes each as it arrives.
        }
    });
    quote! {
        //! The client, with one method per operation of the spec.
        //!
        //! Each method builds its request and returns a `ResponseFuture`:
        //! awaiting it sends the request (again, as `Retry` allows) and gives
        //! the answer typed by its status, or an `Error`.
        #streams

        #imports

        #client
    }
}

/// `impl Client { .. }` with the methods of `operations`.
pub(super) fn methods(api: &Api, operations: &[&Operation]) -> TokenStream {
    let names = TypeNames::new(api, quote!(types::));
    let methods = operations.iter().map(|op| {
        let method = match &op.streaming {
            Some(streaming) if streaming.only => None,
            _ => Some(method(api, &names, op)),
        };
        let stream = op
            .streaming
            .as_ref()
            .map(|streaming| stream_method(api, &names, op, streaming));
        let paging = op
            .paging
            .as_ref()
            .map(|paging| paging_methods(&names, op, paging));
        quote!(#method #stream #paging)
    });
    quote! {
        impl Client {
            #(#methods)*
        }
    }
}

/// The parameter structs and result enums of `operations`.
pub(super) fn items(api: &Api, operations: &[&Operation]) -> TokenStream {
    let names = TypeNames::new(api, quote!(types::));
    let items = operations.iter().map(|op| {
        let params = params_struct(&names, op);
        let success = outcome_enum(&names, op, &op.success, "successful answers");
        let error = outcome_enum(&names, op, &op.error, "error answers");
        quote!(#params #success #error)
    });
    quote!(#(#items)*)
}

/// The `use` lines: only what the module's code names.
fn imports(api: &Api) -> TokenStream {
    let ops = &api.operations;
    let has_ops = !ops.is_empty();
    let uses_path = ops.iter().any(|op| !op.path_params.is_empty());
    let uses_style = ops.iter().any(|op| {
        !op.path_params.is_empty()
            || !op.params.is_empty()
            || op.body.as_ref().is_some_and(|b| !b.encoding.is_empty())
    });
    let pages = ops.iter().any(|op| op.paging.is_some());
    let framings: Vec<Framing> = ops
        .iter()
        .filter_map(|op| op.streaming.as_ref().map(|s| s.framing))
        .collect();
    let read_whole = ops
        .iter()
        .any(|op| !op.streaming.as_ref().is_some_and(|s| s.only));
    // In the order rustfmt sorts them.
    let runtime_items = [
        ("Answer", read_whole),
        ("BuildError", true),
        ("Error", pages || !framings.is_empty()),
        ("Event", framings.contains(&Framing::Events)),
        ("Framing", framings.iter().any(|f| *f != Framing::Events)),
        ("Path", uses_path),
        ("Query", has_ops),
        ("RawResponse", has_ops),
        ("Response", pages),
        ("ResponseFuture", read_whole),
        ("Retry", true),
        ("StreamFuture", !framings.is_empty()),
        ("Style", uses_style),
        ("Transport", true),
    ]
    .into_iter()
    .filter(|(_, used)| *used)
    .map(|(name, _)| format_ident!("{name}"));
    let method = has_ops.then(|| {
        quote!(
            use reqwest::Method;
        )
    });
    let map = uses_map(api).then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    let types = uses_types(api).then(|| {
        quote!(
            use super::types;
        )
    });
    quote! {
        #map
        use oxgen_runtime::{#(#runtime_items),*};
        #method
        #types
    }
}

/// Whether the client module writes `BTreeMap` (a map-typed parameter, body
/// or answer).
fn uses_map(api: &Api) -> bool {
    client_types(api).any(|ty| ty_mentions(ty, &|t| matches!(t, Ty::Map(_))))
}

fn uses_types(api: &Api) -> bool {
    client_types(api).any(|ty| ty_mentions(ty, &|t| matches!(t, Ty::Named(_))))
}

/// Every type the client module spells out.
fn client_types(api: &Api) -> impl Iterator<Item = &Ty> {
    api.operations.iter().flat_map(|op| {
        let params = op.path_params.iter().chain(&op.params).map(|p| &p.ty);
        let body = op.body.iter().map(|b| &b.ty);
        let answers = op.responses.iter().filter_map(|c| c.ty.as_ref());
        params.chain(body).chain(answers)
    })
}

fn ty_mentions(ty: &Ty, matches: &dyn Fn(&Ty) -> bool) -> bool {
    matches(ty)
        || match ty {
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => ty_mentions(inner, matches),
            Ty::Tuple(items) => items.iter().any(|t| ty_mentions(t, matches)),
            _ => false,
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
    let bearer_only = api.auth.bearer_only();
    let (token_arg, token_pass, with_token) = if bearer_only {
        (
            quote!(, token: &str),
            quote!(, token),
            quote!(.bearer(token)?),
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    let token_doc = if bearer_only {
        "\nEvery request carries `Authorization: Bearer <token>`."
    } else {
        ""
    };
    let default = api.base_url.as_ref().map(|url| {
        let url_docs = doc(Some(&format!(
            "A client of `{url}`, the server the spec names.{token_doc}"
        )));
        let new_arg = if bearer_only {
            quote!(token: &str)
        } else {
            quote!()
        };
        quote! {
            /// The server the spec names.
            pub const DEFAULT_BASE_URL: &'static str = #url;

            #url_docs
            pub fn new(#new_arg) -> Result<Self, BuildError> {
                Self::with_base_url(Self::DEFAULT_BASE_URL #token_pass)
            }
        }
    });
    let with_base_url_docs = doc(Some(&format!(
        "A client of another server (a proxy, a test server).{token_doc}"
    )));
    let credentials = if bearer_only {
        Vec::new()
    } else {
        api.auth.schemes.iter().map(credential_method).collect()
    };
    let with_server = api.operations.iter().any(|op| op.server.is_some()).then(|| {
        quote! {
            /// This client with the operations whose own server (in the spec)
            /// is `spec_url` sent to `url` instead: a proxy or a test server
            /// for them, as [`Client::with_base_url`] is for the others.
            pub fn with_server(mut self, spec_url: &str, url: &str) -> Result<Self, BuildError> {
                self.transport = self.transport.server(spec_url, url)?;
                Ok(self)
            }
        }
    });
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
                Ok(Client { transport: Transport::new(base_url)? #with_token })
            }

            /// A client that sends through `http`, configured by the caller
            /// (timeouts, proxies, TLS roots).
            pub fn from_parts(http: reqwest::Client, base_url: &str #token_arg) -> Result<Self, BuildError> {
                Ok(Client { transport: Transport::with_http(http, base_url)? #with_token })
            }

            /// The base URL requests go to, without a trailing slash.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            /// This client with another retry policy; [`Retry::default`] unless set.
            pub fn with_retry(mut self, retry: Retry) -> Self {
                self.transport = self.transport.retry(retry);
                self
            }

            /// This client with another limit on response bodies, in bytes; a larger
            /// body fails with `Error::BodyTooLarge`. 64 MiB unless set.
            pub fn with_max_body_size(mut self, bytes: usize) -> Self {
                self.transport = self.transport.max_body(bytes);
                self
            }

            #with_server

            #(#credentials)*
        }
    }
}

/// `with_<scheme>`: sets the credential of one security scheme.
fn credential_method(scheme: &crate::ir::SecurityScheme) -> TokenStream {
    let method = ident(&scheme.method);
    let wire = &scheme.wire;
    let (summary, args, body) = match &scheme.kind {
        SchemeKind::Bearer => (
            format!("Sends `Authorization: Bearer <token>` (security scheme `{wire}`)."),
            quote!(token: &str),
            quote!(self.transport = self.transport.bearer(token)?;),
        ),
        SchemeKind::Basic => (
            format!("Sends HTTP basic credentials (security scheme `{wire}`)."),
            quote!(user: &str, password: &str),
            quote!(self.transport = self.transport.basic(user, password)?;),
        ),
        SchemeKind::ApiKey { location, name } => {
            let (place, set) = match location {
                Location::Header => (
                    "header",
                    quote!(self.transport = self.transport.api_key_header(#name, key)?;),
                ),
                Location::Query => (
                    "query parameter",
                    quote!(self.transport = self.transport.api_key_query(#name, key);),
                ),
                _ => (
                    "cookie",
                    quote!(self.transport = self.transport.api_key_cookie(#name, key);),
                ),
            };
            (
                format!("Sends the API key as the {place} `{name}` (security scheme `{wire}`)."),
                quote!(key: &str),
                set,
            )
        }
    };
    let text = match &scheme.docs {
        Some(more) => format!("{summary}\n\n{more}"),
        None => summary,
    };
    let docs = doc(Some(&text));
    quote! {
        #docs
        pub fn #method(mut self, #args) -> Result<Self, BuildError> {
            #body
            Ok(self)
        }
    }
}

fn method(api: &Api, names: &TypeNames, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let docs = doc(Some(&method_docs(op, None)));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let Call {
        args,
        path_binding,
        chain,
        steps,
    } = call(api, names, op, op.accept.as_deref());
    let success = outcome_ty(names, &op.success);
    let error = outcome_ty(names, &op.error);
    let dispatch = dispatch(op);
    // The answer is a nested `fn`, not a closure: a closure given as a `fn`
    // pointer compiles a shim of its own in every program. `#[inline]`
    // compiles it, as the method, where it is called rather than in the
    // client crate.
    let send = if steps.is_empty() {
        quote!(#chain.send(answer))
    } else {
        quote! {
            let mut request = #chain;
            #(#steps)*
            request.send(answer)
        }
    };
    quote! {
        #docs
        #deprecated
        #[inline]
        pub fn #name(&self, #(#args),*) -> ResponseFuture<#success, #error> {
            #[inline]
            fn answer(response: RawResponse) -> Answer<#success, #error> {
                #dispatch
            }

            #path_binding
            #send
        }
    }
}

/// The method that reads an operation's streamed answer item by item.
fn stream_method(
    api: &Api,
    names: &TypeNames,
    op: &Operation,
    streaming: &Streaming,
) -> TokenStream {
    let name = ident(&streaming.rust_name);
    let docs = doc(Some(&method_docs(op, Some(streaming))));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // The stream's media type, and those of the error answers.
    let mut accept = vec![streaming.media_type.as_str()];
    for case in op.responses.iter().filter(|c| !c.success) {
        if let Some(media) = case.media_type.as_deref()
            && !accept.contains(&media)
        {
            accept.push(media);
        }
    }
    let accept = accept.join(", ");
    let Call {
        args,
        path_binding,
        chain,
        steps,
    } = call(api, names, op, Some(&accept));
    let error = outcome_ty(names, &op.error);
    let item = names.ty(&streaming.item);
    let patterns = streaming.statuses.iter().map(|status| match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(*code);
            quote!(#code)
        }
        StatusMatch::Range(hundreds) => {
            let (low, high) = (
                Literal::u16_unsuffixed(hundreds * 100),
                Literal::u16_unsuffixed(hundreds * 100 + 99),
            );
            quote!(#low..=#high)
        }
        StatusMatch::Default => quote!(_),
    });
    let errors = error_dispatch(op);
    let (item_ty, send) = match streaming.framing {
        Framing::Events => (quote!(Event<#item>), quote!(send_events(streamed, answer))),
        Framing::TextEvents => (
            quote!(Event<String>),
            quote!(send_text_events(streamed, answer)),
        ),
        Framing::JsonLines => (
            item.clone(),
            quote!(send_json_seq(Framing::JsonLines, streamed, answer)),
        ),
        Framing::JsonSeq => (
            item.clone(),
            quote!(send_json_seq(Framing::JsonSeq, streamed, answer)),
        ),
    };
    let send = if steps.is_empty() {
        quote!(#chain.#send)
    } else {
        quote! {
            let mut request = #chain;
            #(#steps)*
            request.#send
        }
    };
    quote! {
        #docs
        #deprecated
        #[inline]
        pub fn #name(&self, #(#args),*) -> StreamFuture<#item_ty, #error> {
            #[inline]
            fn streamed(status: u16) -> bool {
                matches!(status, #(#patterns)|*)
            }

            #[inline]
            fn answer(response: RawResponse) -> Error<#error> {
                #errors
            }

            #path_binding
            #send
        }
    }
}

/// The doc text of an operation's method, or (`streaming`) of the method
/// that streams its answer.
fn method_docs(op: &Operation, streaming: Option<&Streaming>) -> String {
    let mut doc_text = op.docs.clone().unwrap_or_default();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    doc_text.push_str(&format!("`{} {}`", op.method, op.path_template));
    if let Some(server) = &op.server {
        doc_text.push_str(&format!(
            ", sent to `{server}`, this operation's own server (see [`Client::with_server`])"
        ));
    }
    if let (None, Some(stream)) = (streaming, &op.streaming) {
        doc_text.push_str(&format!(
            "\n\n[`Client::{}`] reads the `{}` answer as a stream.",
            stream.rust_name.trim_start_matches("r#"),
            stream.media_type
        ));
    }
    if let Some(streaming) = streaming {
        let items = match streaming.framing {
            Framing::Events => "each event with its data decoded",
            Framing::TextEvents => "each event with its data",
            Framing::JsonLines | Framing::JsonSeq => "each value decoded",
        };
        doc_text.push_str(&format!(
            "\n\nThe `{}` answer as a stream, {items} as it arrives.",
            streaming.media_type
        ));
        if !streaming.only {
            doc_text.push_str(&format!(
                "\n[`Client::{}`] reads the answer whole; the server streams when the request \
                 asks for it (some APIs with a body member such as `stream: true`).",
                op.rust_name.trim_start_matches("r#")
            ));
        }
    }
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
    doc_text
}

/// The HTTP method `name`: a constant of `Method` when it has one, else
/// (`QUERY`, an extension method) made from its name, which lowering
/// checked to be a method token.
fn http_method(name: &str) -> TokenStream {
    const CONSTANTS: [&str; 9] = [
        "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT",
    ];
    if CONSTANTS.contains(&name) {
        let constant = format_ident!("{name}");
        return quote!(Method::#constant);
    }
    let bytes = Literal::byte_string(name.as_bytes());
    let expect = format!("{name} is a method token");
    quote!(Method::from_bytes(#bytes).expect(#expect))
}

/// What an operation's methods build before sending: the arguments, the
/// path, the request and the steps that add its optional parts.
struct Call {
    args: Vec<TokenStream>,
    path_binding: TokenStream,
    chain: TokenStream,
    steps: Vec<TokenStream>,
}

/// `accept`: the `Accept` header, when not the runtime's default.
fn call(api: &Api, names: &TypeNames, op: &Operation, accept: Option<&str>) -> Call {
    let mut args = Vec::new();
    for p in &op.path_params {
        let rust = ident(&p.rust);
        let ty = arg_ty(names, &p.ty);
        args.push(quote!(#rust: #ty));
    }
    if let Some(body) = &op.body {
        let rust = ident(&body.rust);
        let ty = body_arg_ty(names, body);
        args.push(quote!(#rust: #ty));
    }
    if let Some(params) = &op.params_struct {
        let params = ident(params);
        args.push(quote!(params: &#params));
    }

    let (path_binding, path_arg) = path_expr(op);
    let query = query(op, quote!(params));
    let method = http_method(&op.method);
    let operation = op.rust_name.trim_start_matches("r#");
    let mut chain = match &op.server {
        Some(server) => quote! {
            self.transport.request_at(#server, #operation, #method, #path_arg, #query)
        },
        None => quote!(self.transport.request(#operation, #method, #path_arg, #query)),
    };
    if let Some(accept) = accept {
        chain = quote!(#chain.accept(#accept));
    }
    let mut steps = Vec::new();
    if let Some(body) = &op.body {
        let rust = ident(&body.rust);
        let attach = attach_body(api, body, &quote!(#rust));
        if body.required {
            chain = quote!(#chain #attach);
        } else {
            steps.push(quote! {
                if let Some(#rust) = #rust { request = request #attach; }
            });
        }
    }
    for p in op
        .params
        .iter()
        .filter(|p| matches!(p.location, Location::Header | Location::Cookie))
    {
        steps.push(header_or_cookie(p));
    }
    Call {
        args,
        path_binding,
        chain,
        steps,
    }
}

/// `<op>_pages`, a stream of every page, and (when the spec says where the
/// items are) `<op>_all`, a stream of every item with its page.
fn paging_methods(names: &TypeNames, op: &Operation, paging: &Paging) -> TokenStream {
    let name = ident(&op.rust_name);
    let shown = op.rust_name.trim_start_matches("r#");
    let pages_method = ident(&paging.pages_method);
    let params_struct = ident(op.params_struct.as_deref().unwrap_or("Params"));
    let (page, per_page) = (&op.params[paging.page], &op.params[paging.per_page]);
    let (page_field, per_page_field) = (ident(&page.rust), ident(&per_page.rust));
    let start_u64 = to_u64(quote!(page), page.ty.unoption());
    let page_value = from_u64(quote!(page), page.ty.unoption());
    let count_u64 = to_u64(quote!(*count), &paging.page_count_ty);
    let max = Literal::u32_unsuffixed(paging.max_per_page);
    let success = outcome_ty(names, &op.success);
    let error = outcome_ty(names, &op.error);
    let path_args: Vec<TokenStream> = op
        .path_params
        .iter()
        .map(|p| {
            let rust = ident(&p.rust);
            let ty = arg_ty(names, &p.ty);
            quote!(#rust: #ty)
        })
        .collect();
    let path_values: Vec<TokenStream> = op
        .path_params
        .iter()
        .map(|p| {
            let rust = ident(&p.rust);
            quote!(#rust,)
        })
        .collect();
    let mut count = quote!(page);
    for (field, options) in &paging.page_count {
        let field = ident(field);
        count = quote!(#count.#field);
        for _ in 0..*options {
            count = quote!(#count.as_ref()?);
        }
    }
    if paging
        .page_count
        .last()
        .is_some_and(|(_, options)| *options == 0)
    {
        count = quote!(&#count);
    }
    let pointer_shown = paging
        .page_count
        .iter()
        .map(|(f, _)| f.trim_start_matches("r#"))
        .collect::<Vec<_>>()
        .join(".");
    let pages_docs = doc(Some(&format!(
        "Every page of [`Client::{shown}`], fetched one after another: from `params.{}` \
         (else 1), with `params.{}` per page (else {}, the most the server allows), until \
         the page count in `{pointer_shown}` is reached. The stream ends after the first error.",
        page.rust.trim_start_matches("r#"),
        per_page.rust.trim_start_matches("r#"),
        paging.max_per_page
    )));
    let pages = quote! {
        #pages_docs
        pub fn #pages_method<'a>(
            &'a self,
            #(#path_args,)*
            params: &#params_struct,
        ) -> impl futures_util::Stream<Item = Result<Response<#success>, Error<#error>>> + use<'a> {
            let mut params = params.clone();
            params.#per_page_field.get_or_insert(#max);
            let start = params.#page_field.and_then(|page| #start_u64).unwrap_or(1);
            oxgen_runtime::pages(
                start,
                move |page| {
                    let mut params = params.clone();
                    params.#page_field = #page_value;
                    async move { self.#name(#(#path_values)* &params).await }
                },
                |page| {
                    let count = #count;
                    #count_u64
                },
            )
        }
    };
    let all = paging.items.as_ref().map(|items| {
        let method = ident(&items.method);
        let item = names.ty(&items.ty);
        let extract = match &items.source {
            ItemSource::Accessor(accessor) => {
                let accessor = ident(accessor);
                quote!(page.#accessor().into_iter().cloned().collect())
            }
            ItemSource::Field(field, 0) => {
                let field = ident(field);
                quote!(page.#field.clone())
            }
            ItemSource::Field(field, _) => {
                let field = ident(field);
                quote!(page.#field.clone().unwrap_or_default())
            }
        };
        let docs = doc(Some(&format!(
            "Every item of every page of [`Client::{shown}`], in order, each with the page it \
             came in (which resolves its associations). See [`Client::{}`].",
            paging.pages_method
        )));
        let path_values = &path_values;
        quote! {
            #docs
            pub fn #method<'a>(
                &'a self,
                #(#path_args,)*
                params: &#params_struct,
            ) -> impl futures_util::Stream<Item = Result<oxgen_runtime::Paged<#item, #success>, Error<#error>>> + use<'a> {
                oxgen_runtime::items(self.#pages_method(#(#path_values)* params), |page| #extract)
            }
        }
    });
    quote!(#pages #all)
}

/// `Option<u64>` from an integer of type `ty`, without conversions clippy calls useless.
fn to_u64(value: TokenStream, ty: &Ty) -> TokenStream {
    match ty {
        Ty::U64 => quote!(Some(#value)),
        Ty::U32 => quote!(Some(u64::from(#value))),
        _ => quote!(u64::try_from(#value).ok()),
    }
}

/// `Option<T>` for the integer type `ty` from a `u64`.
fn from_u64(value: TokenStream, ty: &Ty) -> TokenStream {
    match ty {
        Ty::U64 => quote!(Some(#value)),
        Ty::U32 => quote!(u32::try_from(#value).ok()),
        Ty::I32 => quote!(i32::try_from(#value).ok()),
        _ => quote!(i64::try_from(#value).ok()),
    }
}

fn outcome_ty(names: &TypeNames, outcome: &Outcome) -> TokenStream {
    match outcome {
        Outcome::Single(Some(ty)) => names.ty(ty),
        Outcome::Single(None) => quote!(()),
        Outcome::Enum { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// Path arguments: scalars by value, strings and other types by reference.
pub(super) fn arg_ty(names: &TypeNames, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(&str),
        Ty::Bool
        | Ty::I32
        | Ty::I64
        | Ty::U32
        | Ty::U64
        | Ty::F32
        | Ty::F64
        | Ty::DateTime
        | Ty::Date
        | Ty::Uuid => names.ty(ty),
        // A slice rather than `&Vec<T>`: callers may pass arrays, and clippy
        // asks it of the crate that includes the generated code.
        Ty::Vec(item) => {
            let item = names.ty(item);
            quote!(&[#item])
        }
        ty => {
            let ty = names.ty(ty);
            quote!(&#ty)
        }
    }
}

pub(super) fn body_arg_ty(names: &TypeNames, body: &Body) -> TokenStream {
    let ty = match body.kind {
        BodyKind::Text => quote!(&str),
        BodyKind::Bytes => quote!(&[u8]),
        _ => {
            let ty = names.ty(&body.ty);
            quote!(&#ty)
        }
    };
    if body.required {
        ty
    } else {
        let option = names.option();
        quote!(#option<#ty>)
    }
}

/// `.json(..)`, `.form(..)`, `.multipart(..)`, `.text(..)` or `.bytes(..)`.
fn attach_body(api: &Api, body: &Body, value: &TokenStream) -> TokenStream {
    let content_type = &body.content_type;
    match body.kind {
        BodyKind::Json => quote!(.json(#content_type, #value)),
        BodyKind::Form if body.encoding.is_empty() => quote!(.form(#content_type, #value)),
        BodyKind::Form => {
            let encoding = body.encoding.iter().map(|(property, style, explode)| {
                let style = style_tokens(*style, *explode);
                quote!((#property, #style))
            });
            quote!(.form_with(#content_type, #value, &[#(#encoding),*]))
        }
        BodyKind::Text => quote!(.text(#content_type, #value)),
        BodyKind::Bytes | BodyKind::Empty => quote!(.bytes(#content_type, #value)),
        BodyKind::Multipart => {
            let parts = match &body.ty {
                Ty::Named(id) => match &api.ty(*id).kind {
                    TypeKind::Struct(s) if s.additional.is_none() => {
                        let parts = s.fields.iter().map(|f| {
                            let wire = &f.wire;
                            let rust = ident(&f.rust);
                            let media = body
                                .file_parts
                                .iter()
                                .find(|(part, _)| *part == f.wire)
                                .map_or("application/octet-stream", |(_, media)| media.as_str());
                            match (f.ty.unoption(), f.rust_ty()) {
                                (Ty::Bytes, Ty::Option(_)) => quote! {
                                    if let Some(file) = &#value.#rust { form = form.file(#wire, file, #media); }
                                },
                                (Ty::Bytes, _) => quote!(form = form.file(#wire, &#value.#rust, #media);),
                                _ => quote!(form = form.field(#wire, &#value.#rust);),
                            }
                        });
                        Some(quote! {
                            {
                                let mut form = oxgen_runtime::Multipart::default();
                                #(#parts)*
                                form
                            }
                        })
                    }
                    _ => None,
                },
                _ => None,
            };
            let parts =
                parts.unwrap_or_else(|| quote!(oxgen_runtime::Multipart::default().fields(#value)));
            quote!(.multipart(#parts))
        }
    }
}

/// `Style::Form { explode: false }`: the runtime's style, spelled out.
pub(super) fn style_tokens(style: Style, explode: bool) -> TokenStream {
    let variant = match style {
        Style::Simple => quote!(Simple),
        Style::Label => quote!(Label),
        Style::Matrix => quote!(Matrix),
        Style::Form => quote!(Form),
        Style::SpaceDelimited => quote!(SpaceDelimited),
        Style::PipeDelimited => quote!(PipeDelimited),
        Style::DeepObject => return quote!(Style::DeepObject),
    };
    quote!(Style::#variant { explode: #explode })
}

/// The statement that builds the path from its template and parameters, and
/// the expression to pass: the template alone when it has no parameters.
fn path_expr(op: &Operation) -> (TokenStream, TokenStream) {
    if op.path_params.is_empty() {
        let literal = op.path_template.as_str();
        return (quote!(), quote!(#literal));
    }
    let template = template(op);
    let params = op.path_params.iter().map(|p| {
        let rust = ident(&p.rust);
        let wire = &p.wire;
        let style = style_tokens(p.style, p.explode);
        quote!(.param(#wire, #rust, #style))
    });
    (
        quote!(let path = Path::new(#template) #(#params)*;),
        quote!(path),
    )
}

/// The path with `{wire name}` where each parameter goes.
pub(super) fn template(op: &Operation) -> String {
    let mut template = String::new();
    for part in &op.path {
        match part {
            PathPart::Literal(text) => template.push_str(text),
            PathPart::Param(i) => {
                template.push('{');
                template.push_str(&op.path_params[*i].wire);
                template.push('}');
            }
        }
    }
    template
}

/// The query string of an operation's parameters, `params` being its
/// parameters struct: `params.to_query()`, or an empty one. The client
/// method and its mock both call it, so both encode alike.
pub(super) fn query(op: &Operation, params: TokenStream) -> TokenStream {
    if has_query(op) {
        quote!(#params.to_query())
    } else {
        quote!(Query::default())
    }
}

fn has_query(op: &Operation) -> bool {
    op.params.iter().any(|p| p.location == Location::Query)
}

/// `to_query()` of a parameters struct with query parameters.
fn to_query(op: &Operation) -> Option<TokenStream> {
    if !has_query(op) {
        return None;
    }
    let pushes = op
        .params
        .iter()
        .filter(|p| p.location == Location::Query)
        .map(|p| {
            let wire = &p.wire;
            let rust = ident(&p.rust);
            let style = style_tokens(p.style, p.explode);
            // `push_optional` and `push_list` leave an absent value or an
            // empty list out without serializing it first (`push_reserved`,
            // rare, serializes and then leaves it out).
            let push = match field_kind(p) {
                _ if p.allow_reserved => quote!(push_reserved),
                FieldKind::List => quote!(push_list),
                FieldKind::Required => quote!(push),
                FieldKind::Optional => quote!(push_optional),
            };
            quote!(query.#push(#wire, &self.#rust, #style);)
        });
    Some(quote! {
        /// The query string, encoded as the spec says.
        #[inline]
        pub(crate) fn to_query(&self) -> Query {
            let mut query = Query::default();
            #(#pushes)*
            query
        }
    })
}

fn header_or_cookie(p: &Param) -> TokenStream {
    let wire = &p.wire;
    let rust = ident(&p.rust);
    let style = style_tokens(p.style, p.explode);
    let call = match p.location {
        Location::Cookie => quote!(cookie),
        _ => quote!(header),
    };
    quote!(request = request.#call(#wire, &params.#rust, #style);)
}

/// The `match` on the status: documented statuses first, then 429, then
/// ranges, then `default` or the catch-all.
fn dispatch(op: &Operation) -> TokenStream {
    let mut arms: Vec<(TokenStream, TokenStream)> = Vec::new();
    let handler = |index: Idx<ResponseCase>| handle(op, index);
    let mut ranges = Vec::new();
    let mut default = None;
    for (index, case) in indexed(&op.responses) {
        match case.status {
            StatusMatch::Code(429) if !case.success => {}
            StatusMatch::Code(code) => add_arm(&mut arms, code, handler(index)),
            StatusMatch::Range(hundreds) => ranges.push((hundreds, index)),
            StatusMatch::Default => default = Some(index),
        }
    }
    let mut tokens: Vec<TokenStream> = arms
        .into_iter()
        .map(|(pattern, handle)| quote!(#pattern => #handle,))
        .collect();
    if let Some(handle) = too_many_requests(op, default.is_some()) {
        tokens.push(quote!(429 => Err(#handle),));
    }
    for (hundreds, index) in ranges {
        let (low, high) = (
            Literal::u16_unsuffixed(hundreds * 100),
            Literal::u16_unsuffixed(hundreds * 100 + 99),
        );
        let handle = handler(index);
        tokens.push(quote!(#low..=#high => #handle,));
    }
    match default {
        Some(index) if op.responses[index].success => {
            // `default` stands for the successes too.
            let success = handle_as(op, index, true);
            let error = handle_as(op, index, false);
            tokens.push(quote!(200..=299 => #success,));
            tokens.push(quote!(_ => #error,));
        }
        Some(index) => {
            let handle = handler(index);
            tokens.push(quote!(_ => #handle,));
        }
        None => tokens.push(quote!(_ => Err(response.unexpected()),)),
    }
    quote! {
        match response.status() {
            #(#tokens)*
        }
    }
}

/// Adds the arm of status `code`; statuses handled alike share one arm.
fn add_arm(arms: &mut Vec<(TokenStream, TokenStream)>, code: u16, handle: TokenStream) {
    let code = Literal::u16_unsuffixed(code);
    match arms
        .iter_mut()
        .find(|(_, h)| h.to_string() == handle.to_string())
    {
        Some((pattern, _)) => *pattern = quote!(#pattern | #code),
        None => arms.push((quote!(#code), handle)),
    }
}

/// The 429 arm: a documented 429 keeps its typed body; an undocumented one
/// needs an arm only when `default` would otherwise take it.
fn too_many_requests(op: &Operation, has_default: bool) -> Option<TokenStream> {
    let documented =
        indexed(&op.responses).find(|(_, c)| c.status == StatusMatch::Code(429) && !c.success);
    let handle = match (documented, &op.error) {
        (Some((_, case)), Outcome::Single(_)) if case.kind == BodyKind::Json => {
            quote!(response.rate_limited())
        }
        (Some((index, case)), Outcome::Enum { name, variants }) if case.kind == BodyKind::Json => {
            let name = ident(name);
            let variant = variants
                .iter()
                .find(|(i, _)| *i == index)
                .map(|(_, v)| ident(v));
            quote!(response.rate_limited_as(#name::#variant))
        }
        (Some(_), _) => quote!(response.rate_limited_untyped()),
        (None, _) if has_default => quote!(response.rate_limited_untyped()),
        (None, _) => return None,
    };
    Some(handle)
}

/// For a streaming method: the expression that makes an answer whose status
/// does not stream the method's `Error` (success statuses that do not
/// stream are unexpected there).
fn error_dispatch(op: &Operation) -> TokenStream {
    let mut arms: Vec<(TokenStream, TokenStream)> = Vec::new();
    let mut ranges = Vec::new();
    let mut default = None;
    for (index, case) in indexed(&op.responses) {
        match case.status {
            StatusMatch::Default => default = Some(index),
            _ if case.success => {}
            StatusMatch::Code(429) => {}
            StatusMatch::Code(code) => add_arm(&mut arms, code, error_expr(op, index)),
            StatusMatch::Range(hundreds) => ranges.push((hundreds, index)),
        }
    }
    let mut tokens: Vec<TokenStream> = arms
        .into_iter()
        .map(|(pattern, handle)| quote!(#pattern => #handle,))
        .collect();
    if let Some(handle) = too_many_requests(op, default.is_some()) {
        tokens.push(quote!(429 => #handle,));
    }
    for (hundreds, index) in ranges {
        let (low, high) = (
            Literal::u16_unsuffixed(hundreds * 100),
            Literal::u16_unsuffixed(hundreds * 100 + 99),
        );
        let handle = error_expr(op, index);
        tokens.push(quote!(#low..=#high => #handle,));
    }
    let otherwise = match default {
        Some(index) => error_expr(op, index),
        None => quote!(response.unexpected()),
    };
    if tokens.is_empty() {
        return otherwise;
    }
    quote! {
        match response.status() {
            #(#tokens)*
            _ => #otherwise,
        }
    }
}

fn handle(op: &Operation, index: Idx<ResponseCase>) -> TokenStream {
    handle_as(op, index, op.responses[index].success)
}

/// The expression that turns case `index`'s answer into the method's result.
fn handle_as(op: &Operation, index: Idx<ResponseCase>, success: bool) -> TokenStream {
    let case: &ResponseCase = &op.responses[index];
    let outcome = if success { &op.success } else { &op.error };
    let variant = match outcome {
        Outcome::Single(_) => None,
        Outcome::Enum { name, variants } => {
            let name = ident(name);
            variants.iter().find(|(i, _)| *i == index).map(|(_, v)| {
                let v = ident(v);
                quote!(#name::#v)
            })
        }
    };
    let kind = match case.kind {
        BodyKind::Form | BodyKind::Multipart => BodyKind::Bytes,
        kind => kind,
    };
    match (success, kind, variant) {
        (true, BodyKind::Json, None) => quote!(response.json()),
        (true, BodyKind::Json, Some(v)) => quote!(response.json_as(#v)),
        (true, BodyKind::Text, None) => quote!(response.text()),
        (true, BodyKind::Text, Some(v)) => quote!(response.text_as(#v)),
        (true, BodyKind::Empty, None) => quote!(response.empty()),
        (true, BodyKind::Empty, Some(v)) => quote!(response.empty_as(#v)),
        (true, _, None) => quote!(response.bytes()),
        (true, _, Some(v)) => quote!(response.bytes_as(#v)),
        (false, _, _) => {
            let error = error_expr(op, index);
            quote!(Err(#error))
        }
    }
}

/// The expression that makes case `index`'s answer the method's `Error`.
fn error_expr(op: &Operation, index: Idx<ResponseCase>) -> TokenStream {
    let case: &ResponseCase = &op.responses[index];
    let variant = match &op.error {
        Outcome::Single(_) => None,
        Outcome::Enum { name, variants } => {
            let name = ident(name);
            variants.iter().find(|(i, _)| *i == index).map(|(_, v)| {
                let v = ident(v);
                quote!(#name::#v)
            })
        }
    };
    match (case.kind, variant) {
        (BodyKind::Json, None) => quote!(response.api_error()),
        (BodyKind::Json, Some(v)) => quote!(response.api_error_as(#v)),
        (BodyKind::Empty, None) => quote!(response.api_error_empty()),
        (BodyKind::Empty, Some(v)) => quote!(response.api_error_empty_as(#v)),
        (BodyKind::Text, v) => {
            let wrap = v.unwrap_or_else(|| quote!(|body| body));
            quote!(oxgen_runtime::api_error(response.text(), #wrap))
        }
        (_, v) => {
            let wrap = v.unwrap_or_else(|| quote!(|body| body));
            quote!(oxgen_runtime::api_error(response.bytes(), #wrap))
        }
    }
}

/// The enum of an operation's answers when statuses decode into different types.
fn outcome_enum(
    names: &TypeNames,
    op: &Operation,
    outcome: &Outcome,
    what: &str,
) -> Option<TokenStream> {
    let Outcome::Enum { name, variants } = outcome else {
        return None;
    };
    let name = ident(name);
    let method = &op.rust_name;
    let docs = doc(Some(&format!(
        "The {what} of [`Client::{method}`], by status."
    )));
    let variants = variants.iter().map(|(index, variant)| {
        let case = &op.responses[*index];
        let status = match case.status {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(hundreds) => format!("{hundreds}XX"),
            StatusMatch::Default => "default".to_owned(),
        };
        let text = match &case.description {
            Some(description) if !description.trim().is_empty() => {
                format!("`{status}`: {}", description.trim())
            }
            _ => format!("`{status}`"),
        };
        let docs = doc(Some(&text));
        let variant = ident(variant);
        match &case.ty {
            Some(ty) => {
                let ty = names.ty(ty);
                quote!(#docs #variant(#ty),)
            }
            None => quote!(#docs #variant,),
        }
    });
    Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* }
    })
}

/// How a parameter is held in its operation's parameters struct.
enum FieldKind {
    /// `Vec<T>`, empty when absent, whether required or not.
    List,
    /// `T`.
    Required,
    /// `Option<T>`.
    Optional,
}

fn field_kind(p: &Param) -> FieldKind {
    match p.ty.unoption() {
        Ty::Vec(_) => FieldKind::List,
        _ if p.required => FieldKind::Required,
        _ => FieldKind::Optional,
    }
}

fn params_struct(names: &TypeNames, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_struct.as_ref()?);
    let method = &op.rust_name;
    let docs = doc(Some(&format!(
        "Query, header and cookie parameters of [`Client::{method}`]."
    )));
    let fields = op.params.iter().map(|p| {
        let docs = doc(p.docs.as_deref());
        let rust = ident(&p.rust);
        let ty = p.ty.unoption();
        let ty = match field_kind(p) {
            FieldKind::List | FieldKind::Required => names.ty(ty),
            FieldKind::Optional => {
                let (option, ty) = (names.option(), names.ty(ty));
                quote!(#option<#ty>)
            }
        };
        quote! { #docs pub #rust: #ty, }
    });
    let default = op
        .params
        .iter()
        .all(|p| !p.required || names.api.has_default(p.ty.unoption()))
        .then(|| quote!(Default,));
    let to_query = to_query(op).map(|to_query| quote!(impl #name { #to_query }));
    Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* }

        #to_query
    })
}
