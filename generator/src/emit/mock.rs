//! The mock module (behind the generated crate's `mock` feature): for each
//! operation, a method on httpmock's `MockServer` taking a typed `When` (the
//! operation's path, parameters and body) and a typed `Then` (one method per
//! documented status, taking that status's type). Parameters and bodies are
//! matched through the runtime's own encoders, from the same IR the client
//! method is printed from, so a mock matches what the client sends.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::client::{arg_ty, query, style_tokens, template};
use super::names::TypeNames;
use super::{doc, ident};
use crate::ir::{
    Api, Body, BodyKind, Framing, Location, Operation, ResponseCase, StatusMatch, Streaming, Ty,
};
use crate::naming::{Scope, camel};

/// `MockServer`'s own methods: an extension method of the same name would
/// never be called (inherent methods win).
const SERVER_METHODS: &[&str] = &[
    "address",
    "base_url",
    "connect",
    "connect_async",
    "connect_from_env",
    "connect_from_env_async",
    "forward_to",
    "forward_to_async",
    "host",
    "mock",
    "mock_async",
    "playback",
    "playback_async",
    "playback_from_yaml",
    "playback_from_yaml_async",
    "port",
    "proxy",
    "proxy_async",
    "record",
    "record_async",
    "reset",
    "reset_async",
    "start",
    "start_async",
    "url",
];

/// The start of the module: docs, imports and the extension trait.
pub(super) fn head(operations: &[&Operation]) -> TokenStream {
    let mut scope = Scope::with_reserved(SERVER_METHODS);
    let methods: Vec<_> = operations
        .iter()
        .map(|op| {
            let bare = op.rust_name.trim_start_matches("r#");
            let name = scope.take(op.rust_name.clone());
            let renamed = name.trim_start_matches("r#") != bare;
            (op, ident(&name), renamed)
        })
        .collect();
    let declarations = methods.iter().map(|(op, name, renamed)| {
        let (when, then) = structs(op);
        let client = op.rust_name.trim_start_matches("r#");
        let mut text = format!(
            "Mocks [`Client::{client}`](super::Client::{client}): `{} {}`.",
            op.method, op.path_template
        );
        if *renamed {
            text.push_str(" Named apart from `MockServer`'s own method.");
        }
        let docs = doc(Some(&text));
        quote! {
            #docs
            fn #name(&self, config: impl FnOnce(#when, #then)) -> Mock<'_>;
        }
    });
    let definitions = methods.iter().map(|(op, name, _)| {
        let (when, then) = structs(op);
        quote! {
            fn #name(&self, config: impl FnOnce(#when, #then)) -> Mock<'_> {
                self.mock(|when, then| config(#when::new(when), #then(then)))
            }
        }
    });
    let types = mentions(operations, &|ty| matches!(ty, Ty::Named(_))).then(|| {
        quote!(
            use super::types;
        )
    });
    let map = mentions(operations, &|ty| matches!(ty, Ty::Map(_))).then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    // `Query::default()` for parameters without a query string; the others
    // are encoded by the parameters struct itself (`to_query`).
    let query = operations
        .iter()
        .any(|op| {
            op.params_struct.is_some() && !op.params.iter().any(|p| p.location == Location::Query)
        })
        .then(|| quote!(Query,));
    let style = operations
        .iter()
        .any(|op| {
            !op.path_params.is_empty()
                || op.params.iter().any(|p| p.location == Location::Header)
                || op
                    .body
                    .as_ref()
                    .is_some_and(|b| b.kind == BodyKind::Form && !b.encoding.is_empty())
        })
        .then(|| quote!(Style,));
    let path_match = operations
        .iter()
        .any(|op| !op.path_params.is_empty())
        .then(|| {
            quote!(
                use oxgen_runtime::mock::PathMatch;
            )
        });
    let runtime =
        (query.is_some() || style.is_some()).then(|| quote!(use oxgen_runtime::{#query #style};));
    quote! {
        //! Typed mocks of the API on an [httpmock](https://docs.rs/httpmock)
        //! server, for testing code that uses the client: one method per
        //! operation on `MockServer` ([`MockServerExt`]), given the
        //! operation's `When` (what the request must be) and `Then` (one
        //! method per documented status, taking that status's type).
        //!
        //! Parameters and bodies are matched as the client encodes them, byte
        //! for byte. Point the client at the server's `base_url()`. Each
        //! `When` and `Then` gives the httpmock one back with `into_inner()`,
        //! to match or answer anything else.

        #map
        use std::time::Duration;

        pub use oxgen_runtime::mock::httpmock::{self, MockServer};
        use oxgen_runtime::mock::httpmock::{Mock, Then, When};
        #path_match
        #runtime
        #types

        /// One mock per operation: `server.get_thing(|when, then| { .. })`.
        pub trait MockServerExt {
            #(#declarations)*
        }

        impl MockServerExt for MockServer {
            #(#definitions)*
        }
    }
}

/// Whether a type the module spells out (a path parameter's, a body's or
/// an answer's) mentions what `wanted` says.
fn mentions(operations: &[&Operation], wanted: &dyn Fn(&Ty) -> bool) -> bool {
    operations.iter().any(|op| {
        let path = op.path_params.iter().map(|p| &p.ty);
        let body = op.body.iter().map(|b| &b.ty);
        let answers = op.responses.iter().filter_map(|r| r.ty.as_ref());
        path.chain(body)
            .chain(answers)
            .any(|ty| ty.walk().any(wanted))
    })
}

/// The names of an operation's `When` and `Then`.
fn structs(op: &Operation) -> (proc_macro2::Ident, proc_macro2::Ident) {
    let base = camel(op.rust_name.trim_start_matches("r#"), "Operation", "O");
    (format_ident!("{base}When"), format_ident!("{base}Then"))
}

/// The `When` and `Then` of each of `operations`.
pub(super) fn items(api: &Api, operations: &[&Operation]) -> TokenStream {
    let names = TypeNames::new(api, quote!(types::));
    let items = operations.iter().map(|op| {
        let when = when(&names, op);
        let then = then(&names, op);
        quote!(#when #then)
    });
    quote!(#(#items)*)
}

fn when(names: &TypeNames, op: &Operation) -> TokenStream {
    let (name, _) = structs(op);
    let client = op.rust_name.trim_start_matches("r#");
    let docs = doc(Some(&format!(
        "What a request of [`Client::{client}`](super::Client::{client}) must be for the mock to answer it: \
         `{} {}` with any parameters, unless narrowed.",
        op.method, op.path_template
    )));
    let method = &op.method;
    let template = template(op);
    // The path parameters narrowed so far, when there are any.
    let has_path = !op.path_params.is_empty();
    let (fields, rebuild, start) = if has_path {
        (
            quote!((When, PathMatch)),
            quote!(self.1),
            quote! {
                let (when, path) = oxgen_runtime::mock::operation(when, #method, #template);
                Self(when, path)
            },
        )
    } else {
        (
            quote!((When)),
            quote!(),
            quote! {
                let (when, _) = oxgen_runtime::mock::operation(when, #method, #template);
                Self(when)
            },
        )
    };
    let mut scope = Scope::with_reserved(&["new", "params", "body", "into_inner"]);
    let path_params = op.path_params.iter().map(|p| {
        let method = ident(&scope.take(p.rust.clone()));
        let rust = ident(&p.rust);
        let ty = arg_ty(names, &p.ty);
        let wire = &p.wire;
        let style = style_tokens(p.style, p.explode);
        let docs = doc(Some(&format!("The path parameter `{wire}`.")));
        quote! {
            #docs
            pub fn #method(self, #rust: #ty) -> Self {
                let (when, path) = self.1.param(self.0, #wire, #rust, #style);
                Self(when, path)
            }
        }
    });
    // Cookies are not matched: an operation with only cookie parameters
    // has nothing for `params` to narrow.
    let matched = op.params.iter().any(|p| p.location != Location::Cookie);
    let params = op.params_struct.as_ref().filter(|_| matched).map(|params| {
        let params = ident(params);
        let query = query(op, quote!(params));
        let headers = op
            .params
            .iter()
            .filter(|p| p.location == Location::Header)
            .map(|p| {
                let wire = &p.wire;
                let rust = ident(&p.rust);
                let style = style_tokens(p.style, p.explode);
                quote!(let when = oxgen_runtime::mock::header(when, #wire, &params.#rust, #style);)
            });
        let cookies = if op.params.iter().any(|p| p.location == Location::Cookie) {
            " Cookies are not matched."
        } else {
            ""
        };
        let docs = doc(Some(&format!(
            "The query string is exactly what the client sends for `params`, and so are \
             the header parameters (an unset one is absent).{cookies}"
        )));
        quote! {
            #docs
            pub fn params(self, params: &super::#params) -> Self {
                let when = oxgen_runtime::mock::query(self.0, #query);
                #(#headers)*
                Self(when, #rebuild)
            }
        }
    });
    let body = op
        .body
        .as_ref()
        .and_then(|body| body_matcher(names, body, &rebuild));
    quote! {
        #docs
        pub struct #name #fields;

        impl #name {
            fn new(when: When) -> Self {
                #start
            }

            #(#path_params)*
            #params
            #body

            /// The httpmock `When`, to match anything else.
            pub fn into_inner(self) -> When {
                self.0
            }
        }
    }
}

/// `body(&T)`, matching the body as the client encodes it; none for a
/// multipart body, whose boundary is chosen per request.
fn body_matcher(names: &TypeNames, body: &Body, rebuild: &TokenStream) -> Option<TokenStream> {
    let content_type = &body.content_type;
    let (ty, matcher) = match body.kind {
        BodyKind::Json => {
            let ty = names.ty(&body.ty);
            (
                quote!(&#ty),
                quote!(oxgen_runtime::mock::json_body(self.0, #content_type, body)),
            )
        }
        BodyKind::Form => {
            let ty = names.ty(&body.ty);
            let encoding = body.encoding.iter().map(|(property, style, explode)| {
                let style = style_tokens(*style, *explode);
                quote!((#property, #style))
            });
            (
                quote!(&#ty),
                quote!(oxgen_runtime::mock::form_body(self.0, #content_type, body, &[#(#encoding),*])),
            )
        }
        BodyKind::Text => (
            quote!(&str),
            quote!(oxgen_runtime::mock::raw_body(self.0, #content_type, body.as_bytes())),
        ),
        BodyKind::Bytes | BodyKind::Empty => (
            quote!(&[u8]),
            quote!(oxgen_runtime::mock::raw_body(self.0, #content_type, body)),
        ),
        BodyKind::Multipart => return None,
    };
    Some(quote! {
        /// The body, byte for byte as the client encodes it.
        pub fn body(self, body: #ty) -> Self {
            Self(#matcher, #rebuild)
        }
    })
}

fn then(names: &TypeNames, op: &Operation) -> TokenStream {
    let (_, name) = structs(op);
    let client = op.rust_name.trim_start_matches("r#");
    let docs = doc(Some(&format!(
        "The mock's answer to [`Client::{client}`](super::Client::{client}): one method per documented status."
    )));
    let mut scope = Scope::with_reserved(&["into_inner", "retry_after", "up_to_n_times"]);
    let answers: Vec<TokenStream> = op
        .responses
        .iter()
        .map(|case| {
            let streamed = op
                .streaming
                .as_ref()
                .filter(|s| s.statuses.contains(&case.status));
            match streamed {
                // Nothing else to answer with at that status.
                Some(streaming) if streaming.only => {
                    stream_answer(names, case, streaming, "", &mut scope)
                }
                Some(streaming) => {
                    let whole = answer(names, case, &mut scope);
                    let stream = stream_answer(names, case, streaming, "_stream", &mut scope);
                    quote!(#whole #stream)
                }
                None => answer(names, case, &mut scope),
            }
        })
        .collect();
    quote! {
        #docs
        pub struct #name(Then);

        impl #name {
            #(#answers)*

            /// Adds a `Retry-After` header, in whole seconds.
            pub fn retry_after(self, after: Duration) -> Self {
                Self(oxgen_runtime::mock::retry_after(self.0, after))
            }

            /// Answers only the first `n` matching requests; later ones go to
            /// the mocks defined after this one.
            pub fn up_to_n_times(self, n: usize) -> Self {
                Self(self.0.up_to_n_times(n))
            }

            /// The httpmock `Then`, to answer anything else.
            pub fn into_inner(self) -> Then {
                self.0
            }
        }
    }
}

/// The method answering a streamed status with items, named for the
/// status and `suffix`.
fn stream_answer(
    names: &TypeNames,
    case: &ResponseCase,
    streaming: &Streaming,
    suffix: &str,
    scope: &mut Scope,
) -> TokenStream {
    let (method, status_arg, status, label) = status_method(case.status);
    let method = ident(&scope.take(format!("{method}{suffix}")));
    let mut item = names.ty(&streaming.item);
    let media_type = &streaming.media_type;
    let call = match streaming.framing {
        Framing::Events => {
            quote!(oxgen_runtime::mock::events(self.0, #status, #media_type, items))
        }
        Framing::TextEvents => {
            item = quote!(&str);
            quote!(oxgen_runtime::mock::text_events(self.0, #status, #media_type, items))
        }
        Framing::JsonLines => quote! {
            oxgen_runtime::mock::json_seq(
                self.0, #status, #media_type, oxgen_runtime::Framing::JsonLines, items,
            )
        },
        Framing::JsonSeq => quote! {
            oxgen_runtime::mock::json_seq(
                self.0, #status, #media_type, oxgen_runtime::Framing::JsonSeq, items,
            )
        },
    };
    let docs = doc(Some(&format!(
        "{label}, streamed as `{media_type}`: each of `items` in turn."
    )));
    quote! {
        #docs
        pub fn #method(self, #status_arg items: &[#item]) -> Self {
            Self(#call)
        }
    }
}

/// The name of the method answering `status`, its status argument (for a
/// range or `default`), the status it answers, and how docs name it.
fn status_method(status: StatusMatch) -> (String, Option<TokenStream>, TokenStream, String) {
    match status {
        StatusMatch::Code(code) => {
            let method = reason(code).map_or_else(|| format!("status_{code}"), str::to_owned);
            let status = Literal::u16_unsuffixed(code);
            (method, None, quote!(#status), format!("`{code}`"))
        }
        StatusMatch::Range(hundreds) => {
            let method = match hundreds {
                1 => "informational",
                2 => "success",
                3 => "redirection",
                4 => "client_error",
                _ => "server_error",
            };
            let digit = Literal::u16_unsuffixed(hundreds);
            (
                method.to_owned(),
                Some(quote!(status: u16,)),
                quote!(oxgen_runtime::mock::status_in(status, #digit)),
                format!("A `{hundreds}XX` status"),
            )
        }
        StatusMatch::Default => (
            "other_status".to_owned(),
            Some(quote!(status: u16,)),
            quote!(status),
            "Any status not documented otherwise".to_owned(),
        ),
    }
}

/// The method answering one documented status with its body.
fn answer(names: &TypeNames, case: &ResponseCase, scope: &mut Scope) -> TokenStream {
    let (method, status_arg, status, label) = status_method(case.status);
    let method = ident(&scope.take(method));
    let media_type = case.media_type.as_deref().unwrap_or("application/json");
    let (body_arg, call) = match (case.kind, &case.ty) {
        (BodyKind::Empty, _) | (_, None) => {
            (None, quote!(oxgen_runtime::mock::empty(self.0, #status)))
        }
        (BodyKind::Json, Some(ty)) => {
            let ty = names.ty(ty);
            (
                Some(quote!(body: &#ty)),
                quote!(oxgen_runtime::mock::json(self.0, #status, #media_type, body)),
            )
        }
        (BodyKind::Text, Some(_)) => (
            Some(quote!(body: &str)),
            quote!(oxgen_runtime::mock::raw(self.0, #status, #media_type, body.as_bytes())),
        ),
        (_, Some(_)) => (
            Some(quote!(body: &[u8])),
            quote!(oxgen_runtime::mock::raw(self.0, #status, #media_type, body)),
        ),
    };
    let mut text = label.clone();
    if let Some(description) = case
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        text.push_str(": ");
        text.push_str(description);
    }
    let docs = doc(Some(&text));
    // The spec's own example, as it writes it.
    let example = case.example.as_ref().map(|example| {
        let bare = method.to_string();
        let name = ident(&scope.take(format!("{}_example", bare.trim_start_matches("r#"))));
        let docs = doc(Some(&format!(
            "{label}, answered with the spec's own example."
        )));
        let text = raw_string(example);
        quote! {
            #docs
            pub fn #name(self, #status_arg) -> Self {
                Self(oxgen_runtime::mock::raw(self.0, #status, #media_type, #text.as_bytes()))
            }
        }
    });
    quote! {
        #docs
        pub fn #method(self, #status_arg #body_arg) -> Self {
            Self(#call)
        }
        #example
    }
}

/// `text` as a raw string literal (`r#"..."#`): JSON reads as written, not
/// with every quote escaped. As many `#` as it takes to end it.
fn raw_string(text: &str) -> Literal {
    let hashes = (1..)
        .map(|n| "#".repeat(n))
        .find(|hashes| !text.contains(&format!("\"{hashes}")))
        .unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// The snake-case reason phrase of a registered status (RFC 9110 and the
/// IANA registry), as the method answering it is named.
fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "continue_",
        101 => "switching_protocols",
        102 => "processing",
        103 => "early_hints",
        200 => "ok",
        201 => "created",
        202 => "accepted",
        203 => "non_authoritative_information",
        204 => "no_content",
        205 => "reset_content",
        206 => "partial_content",
        207 => "multi_status",
        208 => "already_reported",
        226 => "im_used",
        300 => "multiple_choices",
        301 => "moved_permanently",
        302 => "found",
        303 => "see_other",
        304 => "not_modified",
        305 => "use_proxy",
        307 => "temporary_redirect",
        308 => "permanent_redirect",
        400 => "bad_request",
        401 => "unauthorized",
        402 => "payment_required",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        407 => "proxy_authentication_required",
        408 => "request_timeout",
        409 => "conflict",
        410 => "gone",
        411 => "length_required",
        412 => "precondition_failed",
        413 => "content_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        416 => "range_not_satisfiable",
        417 => "expectation_failed",
        418 => "im_a_teapot",
        421 => "misdirected_request",
        422 => "unprocessable_entity",
        423 => "locked",
        424 => "failed_dependency",
        425 => "too_early",
        426 => "upgrade_required",
        428 => "precondition_required",
        429 => "too_many_requests",
        431 => "request_header_fields_too_large",
        451 => "unavailable_for_legal_reasons",
        500 => "internal_server_error",
        501 => "not_implemented",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        505 => "http_version_not_supported",
        506 => "variant_also_negotiates",
        507 => "insufficient_storage",
        508 => "loop_detected",
        510 => "not_extended",
        511 => "network_authentication_required",
        _ => return None,
    })
}
