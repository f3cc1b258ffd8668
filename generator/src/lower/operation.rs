//! Operations -> client methods: names, parameters with their serialization
//! style, the request body, and a typed outcome per response status.

use std::collections::BTreeMap;

use super::{Lowerer, docs, server_url};
use crate::diagnostics::Pointer;
use crate::ir::*;
use crate::naming::{Scope, camel, snake};
use crate::openapi::{self, MediaType, Schema, SchemaType};

/// Locals and nested functions of a generated method, which parameters must
/// not take.
const LOCALS: &[&str] = &[
    "self", "body", "params", "path", "query", "request", "response", "form", "answer", "streamed",
];

/// Headers whose parameters the OpenAPI specification says to ignore: the
/// client sets them itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

impl<'a> Lowerer<'a> {
    pub(super) fn operations(&mut self) {
        for (path, item) in &self.doc.paths {
            let at = Pointer::root().join("paths").join(path);
            for (member, op) in item.operations() {
                let method = member.to_ascii_uppercase();
                self.operation_of(path, &method, item, op, &at.join(member));
            }
            for (method, op) in &item.additional_operations {
                let at = at.join("additionalOperations").join(method);
                if method.is_empty() || !method.bytes().all(is_token_byte) {
                    self.sink.warning(
                        &at,
                        format!("`{method}` is not an HTTP method name; operation left out"),
                    );
                    continue;
                }
                self.operation_of(path, method, item, op, &at);
            }
        }
    }

    /// Lowers the operation of `method` (as sent) on `path`, named from its
    /// `operationId` or its method and path.
    fn operation_of(
        &mut self,
        path: &str,
        method: &str,
        item: &'a openapi::PathItem,
        op: &'a openapi::Operation,
        pointer: &Pointer,
    ) {
        let candidate = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => snake(id, "operation"),
            _ => snake(
                &format!("{method} {}", path.replace(['{', '}'], " ")),
                "operation",
            ),
        };
        let rust_name = self.method_names.take(candidate);
        if let Some(operation) = self.operation(rust_name, path, method, item, op, pointer) {
            self.api.operations.push(operation);
        }
    }

    fn operation(
        &mut self,
        rust_name: String,
        path: &str,
        method: &str,
        item: &'a openapi::PathItem,
        op: &'a openapi::Operation,
        pointer: &Pointer,
    ) -> Option<Operation> {
        let type_prefix = camel(rust_name.trim_start_matches("r#"), "Operation", "Op");
        // Operation parameters override path-item ones with the same name and location.
        let mut declared: Vec<(Pointer, &openapi::Parameter)> = Vec::new();
        let path_pointer = Pointer::root().join("paths").join(path);
        let sources = [
            (&item.parameters, path_pointer.join("parameters")),
            (&op.parameters, pointer.join("parameters")),
        ];
        for (list, at) in sources {
            for (i, p) in list.iter().enumerate() {
                let Some((at, p)) = self.resolve_parameter(p, &at.join(i)) else {
                    continue;
                };
                declared.retain(|(_, q)| !(q.name == p.name && q.location == p.location));
                declared.push((at, p));
            }
        }

        let mut locals = Scope::with_reserved(LOCALS);
        let mut field_names = Scope::new();
        let (mut path_params, mut params) = (Vec::new(), Vec::new());
        for (at, p) in &declared {
            let location = match p.location.as_str() {
                "path" => Location::Path,
                "query" => Location::Query,
                "header" if IGNORED_HEADERS.contains(&p.name.to_ascii_lowercase().as_str()) => {
                    continue;
                }
                "header" => Location::Header,
                "cookie" => Location::Cookie,
                // OpenAPI 3.2: the whole query string as one value, its
                // members the query's parameters (see `style`).
                "querystring" => Location::Query,
                other => {
                    self.sink.error(
                        &at.join("in"),
                        format!("unknown parameter location `{other}`"),
                    );
                    continue;
                }
            };
            let hint = format!("{type_prefix}{}", camel(&p.name, "Param", "P"));
            let schema = p
                .schema
                .as_ref()
                .or_else(|| p.content.values().find_map(|m| m.schema.as_ref()));
            let schema_at = match (
                &p.schema,
                p.content.iter().find(|(_, m)| m.schema.is_some()),
            ) {
                (None, Some((media, _))) => at.join("content").join(media).join("schema"),
                _ => at.join("schema"),
            };
            let description = p.description.as_deref();
            let ty = match (schema, at.component("parameters")) {
                (Some(schema), Some(name)) => {
                    self.shared_ty(schema, &name, &schema_at, description)
                }
                (Some(schema), None) => self.ty_of(schema, &hint, &schema_at),
                (None, _) => Ty::String,
            };
            let Some((style, explode)) = self.style(p, location, at) else {
                continue;
            };
            let sample = self.sample(&schema_at);
            self.media_examples(p.example.as_ref(), &p.examples, at, &ty);
            let param = Param {
                wire: p.name.clone(),
                rust: String::new(),
                location,
                required: p.required || location == Location::Path,
                ty,
                style,
                explode,
                allow_reserved: p.allow_reserved,
                docs: p.description.clone(),
                sample,
            };
            if location == Location::Path {
                path_params.push(param);
            } else {
                params.push(Param {
                    rust: field_names.take(snake(&p.name, "param")),
                    ..param
                });
            }
        }

        let path_parts = self.path_template(path, &mut path_params, &path_pointer);
        for param in &mut path_params {
            param.rust = locals.take(snake(&param.wire, "param"));
        }

        let body = match &op.request_body {
            Some(body) => self.body(body, &type_prefix, &pointer.join("requestBody")),
            None => None,
        };
        let (responses, streamed) = self.responses(op, &type_prefix, pointer);
        let streaming = self.streaming(&rust_name, &type_prefix, &streamed, &responses);
        let accept = accept(&responses);
        let server = match self.own_server(&op.servers, &pointer.join("servers")) {
            Some(server) => Some(server),
            None => self.own_server(&item.servers, &path_pointer.join("servers")),
        }
        .filter(|server| Some(server) != self.api.base_url.as_ref());
        let success = self.outcome(&responses, true, &format!("{type_prefix}Response"));
        let error = self.outcome(&responses, false, &format!("{type_prefix}Error"));
        let params_struct =
            (!params.is_empty()).then(|| self.client_names.take(format!("{type_prefix}Params")));

        let path_parts = path_parts?;
        let paging = op.paging.as_ref().and_then(|ext| {
            let at = pointer.join("x-oxgen-paging");
            if body.is_some() {
                self.sink.warning(
                    &at,
                    "paging is not generated for operations with a request body; ignored",
                );
                return None;
            }
            self.paging(ext, &rust_name, &path_params, &params, &success, &at)
        });
        Some(Operation {
            rust_name,
            operation_id: op.operation_id.clone(),
            tags: op
                .tags
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            method: method.to_owned(),
            path_template: path.to_owned(),
            path: path_parts,
            path_params,
            params,
            params_struct,
            body,
            responses,
            success,
            error,
            docs: docs(op.summary.as_deref(), op.description.as_deref()),
            server,
            accept,
            deprecated: op.deprecated,
            pointer: pointer.clone(),
            paging,
            streaming,
        })
    }

    /// Checks `x-oxgen-paging` against the operation: integer query
    /// parameters for the page and its size, an object response with an
    /// integer page count, and items where it says.
    fn paging(
        &mut self,
        ext: &openapi::PagingExtension,
        rust_name: &str,
        path_params: &[Param],
        params: &[Param],
        success: &Outcome,
        at: &Pointer,
    ) -> Option<Paging> {
        let is_integer = |ty: &Ty| matches!(ty.unoption(), Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64);
        let query_param = |wire: &str, key: &str, sink: &mut crate::diagnostics::Sink| {
            let found = indexed(params)
                .find(|(_, p)| {
                    p.wire == wire
                        && p.location == Location::Query
                        && !p.required
                        && is_integer(&p.ty)
                })
                .map(|(found, _)| found);
            if found.is_none() {
                sink.error(
                    &at.join(key),
                    format!(
                        "`{wire}` must be an optional integer query parameter of this operation"
                    ),
                );
            }
            found
        };
        let page = query_param(&ext.page, "page", &mut self.sink);
        let per_page = query_param(&ext.per_page, "per-page", &mut self.sink);
        if path_params.iter().any(|p| !is_integer(&p.ty)) {
            self.sink.warning(
                at,
                "paging is generated only for operations whose path parameters are integers; ignored",
            );
            return None;
        }
        let Outcome::Single(Some(Ty::Named(body))) = success else {
            self.sink.error(
                at,
                "paging needs one JSON object type for every success status",
            );
            return None;
        };
        let page_count = self.field_path(*body, &ext.page_count, &at.join("page-count"))?;
        let items = match &ext.items {
            None => None,
            Some(wire) => Some(self.paged_items(*body, wire, rust_name, &at.join("items"))?),
        };
        Some(Paging {
            pages_method: self
                .method_names
                .take(format!("{}_pages", rust_name.trim_start_matches("r#"))),
            page: page?,
            per_page: per_page?,
            max_per_page: ext.max_per_page,
            page_count: page_count.0,
            page_count_ty: page_count.1,
            items,
        })
    }

    /// The fields a JSON pointer walks through, from the struct `start` down to an integer.
    fn field_path(
        &mut self,
        start: TypeId,
        pointer: &str,
        at: &Pointer,
    ) -> Option<(Vec<(String, usize)>, Ty)> {
        let segments = Pointer::from_fragment(&format!("#{pointer}"))
            .map(|p| p.segments().collect::<Vec<_>>());
        let mut path = Vec::new();
        let mut current = Some(start);
        for segment in segments.unwrap_or_default() {
            let field = current.and_then(|id| match &self.api.ty(id).kind {
                TypeKind::Struct(s) => s.fields.iter().find(|f| f.wire == segment),
                _ => None,
            });
            let Some(field) = field else {
                break;
            };
            let rust_ty = field.rust_ty();
            let (options, ty) = rust_ty.options();
            path.push((field.rust.clone(), options));
            current = match ty {
                Ty::Named(id) => Some(*id),
                Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64
                    if path.len() == pointer.matches('/').count() =>
                {
                    return Some((path, ty.clone()));
                }
                _ => None,
            };
        }
        self.sink.error(
            at,
            format!("`{pointer}` must be a JSON pointer to an integer property of the response"),
        );
        None
    }

    fn paged_items(
        &mut self,
        body: TypeId,
        wire: &str,
        rust_name: &str,
        at: &Pointer,
    ) -> Option<PagedItems> {
        let TypeKind::Struct(s) = &self.api.ty(body).kind else {
            return None;
        };
        let accessor = s.envelope.as_ref().and_then(|e| {
            e.lists
                .iter()
                .find(|list| s.fields[list.field].wire == wire)
                .map(|list| {
                    (
                        list.value.clone(),
                        ItemSource::Accessor(list.accessor.clone()),
                    )
                })
        });
        let field = || {
            let field = s.fields.iter().find(|f| f.wire == wire)?;
            let Ty::Vec(item) = field.ty.unoption() else {
                return None;
            };
            let (options, _) = field.rust_ty().options();
            Some((
                item.as_ref().clone(),
                ItemSource::Field(field.rust.clone(), options),
            ))
        };
        let Some((ty, source)) = accessor.or_else(field) else {
            self.sink.error(
                at,
                format!("`{wire}` must name an envelope map or an array property of the response"),
            );
            return None;
        };
        Some(PagedItems {
            method: self
                .method_names
                .take(format!("{}_all", rust_name.trim_start_matches("r#"))),
            ty,
            source,
        })
    }

    /// The first example value of a media type (`example`, else the first
    /// of `examples` with a value), as compact JSON.
    fn first_example(&self, media: &openapi::MediaType) -> Option<String> {
        let value = media.example.as_ref().or_else(|| {
            media.examples.values().find_map(|example| {
                let example = match &example.reference {
                    Some(reference) => {
                        let name = reference.strip_prefix("#/components/examples/")?;
                        self.doc.components.examples.get(name)?
                    }
                    None => example,
                };
                example.value.as_ref()
            })
        })?;
        Some(value.to_string())
    }

    /// Records `example` and `examples` of a media type or parameter, to be
    /// decoded into `ty` by the generated example tests.
    fn media_examples(
        &mut self,
        example: Option<&serde_json::Value>,
        examples: &BTreeMap<String, openapi::Example>,
        at: &Pointer,
        ty: &Ty,
    ) {
        if let Some(value) = example.filter(|_| self.examples) {
            let pointer = at.join("example");
            self.api.examples.push(ExampleCase {
                pointer,
                ty: ty.clone(),
                value: Ok(value.clone()),
            });
        }
        for (name, example) in examples {
            let pointer = at.join("examples").join(name);
            let target = match &example.reference {
                Some(reference) => {
                    let name = reference.strip_prefix("#/components/examples/");
                    match name.and_then(|n| self.doc.components.examples.get(n)) {
                        Some(found) => found,
                        None => {
                            let why = format!(
                                "`{reference}` does not name an entry of #/components/examples; not tried"
                            );
                            self.sink.warning(&pointer.join("$ref"), why);
                            continue;
                        }
                    }
                }
                None => example,
            };
            if !self.examples {
                continue;
            }
            let value = match (&target.value, &target.external_value) {
                (Some(value), _) => Ok(value.clone()),
                (None, Some(external)) => {
                    Err(format!("its external value `{external}` is not fetched"))
                }
                (None, None) => Err("it has no value".to_owned()),
            };
            self.api.examples.push(ExampleCase {
                pointer,
                ty: ty.clone(),
                value,
            });
        }
    }

    fn resolve_parameter(
        &mut self,
        p: &'a openapi::Parameter,
        at: &Pointer,
    ) -> Option<(Pointer, &'a openapi::Parameter)> {
        let components = &self.doc.components.parameters;
        let (at, p) = self.resolve(p, p.reference.as_deref(), components, "parameters", at)?;
        for (field, value) in [("name", &p.name), ("in", &p.location)] {
            if value.is_empty() {
                self.sink.error(&at, format!("parameter has no `{field}`"));
                return None;
            }
        }
        Some((at, p))
    }

    /// The type of a schema in `#/components/responses` or `parameters`
    /// (`name` is the response's or parameter's): one type, named after it,
    /// whichever operations refer to it, documented by `description` when
    /// its schema says nothing of itself.
    fn shared_ty(
        &mut self,
        schema: &Schema,
        name: &str,
        schema_at: &Pointer,
        description: Option<&str>,
    ) -> Ty {
        if let Some(ty) = self.shared_types.get(schema_at) {
            return ty.clone();
        }
        let ty = self.ty_of(schema, &camel(name, "Shared", "T"), schema_at);
        if let Ty::Named(id) = &ty
            && let def = &mut self.api.types[id.0]
            && def.pointer == *schema_at
            && def.docs.is_none()
        {
            def.docs = docs(None, description);
        }
        self.shared_types.insert(schema_at.clone(), ty.clone());
        ty
    }

    /// Follows a `$ref` into `#/components/<kind>`; returns where the object
    /// stands and the object.
    fn resolve<T>(
        &mut self,
        item: &'a T,
        reference: Option<&str>,
        components: &'a BTreeMap<String, T>,
        kind: &str,
        at: &Pointer,
    ) -> Option<(Pointer, &'a T)> {
        let Some(reference) = reference else {
            return Some((at.clone(), item));
        };
        let prefix = format!("#/components/{kind}/");
        let found = reference
            .strip_prefix(&prefix)
            .and_then(|name| components.get(name).map(|target| (name, target)));
        match found {
            Some((name, target)) => Some((
                Pointer::root().join("components").join(kind).join(name),
                target,
            )),
            None => {
                self.sink.error(
                    &at.join("$ref"),
                    format!("`{reference}` does not name an entry of #/components/{kind}"),
                );
                None
            }
        }
    }

    /// The serialization style and `explode`, checked against the location.
    fn style(
        &mut self,
        p: &openapi::Parameter,
        location: Location,
        at: &Pointer,
    ) -> Option<(Style, bool)> {
        let default = match location {
            Location::Query | Location::Cookie => "form",
            Location::Path | Location::Header => "simple",
        };
        if p.location == "querystring" {
            let media = p.content.keys().next().map(String::as_str);
            if media.is_some_and(|m| m != "application/x-www-form-urlencoded") {
                self.sink.warning(
                    &at.join("content"),
                    format!(
                        "a query string of `{}` is not written yet; sent as a form (its members as parameters)",
                        media.unwrap_or_default()
                    ),
                );
            }
            return Some((Style::Form, true));
        }
        let name = p.style.as_deref().unwrap_or(default);
        let style = match name {
            // OpenAPI 3.2's cookie style: the form style's pairs, which the
            // cookie header already separates as cookies are.
            "cookie" if location == Location::Cookie => Style::Form,
            "simple" => Style::Simple,
            "label" => Style::Label,
            "matrix" => Style::Matrix,
            "form" => Style::Form,
            "spaceDelimited" => Style::SpaceDelimited,
            "pipeDelimited" => Style::PipeDelimited,
            "deepObject" => Style::DeepObject,
            other => {
                self.sink.error(
                    &at.join("style"),
                    format!("unknown parameter style `{other}`"),
                );
                return None;
            }
        };
        let allowed = match location {
            Location::Path => matches!(style, Style::Simple | Style::Label | Style::Matrix),
            Location::Query => matches!(
                style,
                Style::Form | Style::SpaceDelimited | Style::PipeDelimited | Style::DeepObject
            ),
            Location::Header => style == Style::Simple,
            Location::Cookie => style == Style::Form,
        };
        if !allowed {
            self.sink.error(
                &at.join("style"),
                format!(
                    "style `{name}` is not allowed for a {} parameter",
                    location_name(location)
                ),
            );
            return None;
        }
        Some((style, p.explode.unwrap_or(style == Style::Form)))
    }

    fn path_template(
        &mut self,
        path: &str,
        params: &mut Vec<Param>,
        at: &Pointer,
    ) -> Option<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut ordered = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.sink.error(at, "unclosed `{` in the path template");
                return None;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            let param = match params.iter().position(|p| p.wire == name) {
                Some(i) => params.remove(i),
                None => {
                    // Real documents forget to declare path parameters; the
                    // method still needs one.
                    self.sink.warning(at, format!("the path template names `{{{name}}}`, which no path parameter declares; taken as a string"));
                    Param {
                        wire: name.to_owned(),
                        rust: String::new(),
                        location: Location::Path,
                        required: true,
                        ty: Ty::String,
                        style: Style::Simple,
                        explode: false,
                        allow_reserved: false,
                        docs: None,
                        sample: Some(serde_json::Value::String("sample".to_owned())),
                    }
                }
            };
            parts.push(PathPart::Param(Idx::new(ordered.len())));
            ordered.push(param);
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for unused in params.iter() {
            self.sink.warning(
                at,
                format!(
                    "path parameter `{}` does not appear in the path template; ignored",
                    unused.wire
                ),
            );
        }
        *params = ordered;
        Some(parts)
    }

    fn body(
        &mut self,
        body: &'a openapi::RequestBody,
        type_prefix: &str,
        at: &Pointer,
    ) -> Option<Body> {
        let components = &self.doc.components.request_bodies;
        let (at, body) = self.resolve(
            body,
            body.reference.as_deref(),
            components,
            "requestBodies",
            at,
        )?;
        let (content_type, media, kind) = pick_content(&body.content)?;
        let media_at = at.join("content").join(content_type);
        for (keyword, present) in [
            ("itemSchema", media.item_schema.is_some()),
            ("itemEncoding", media.item_encoding.is_some()),
            ("prefixEncoding", media.prefix_encoding.is_some()),
        ] {
            if present {
                self.sink.warning(
                    &media_at.join(keyword),
                    "not used: a request body is sent whole, as one value of its schema",
                );
            }
        }
        let schema_at = at.join("content").join(content_type).join("schema");
        let ty = match (kind, &media.schema) {
            (BodyKind::Text, _) => Ty::String,
            (BodyKind::Bytes, _) => Ty::Bytes,
            (_, Some(schema)) => self
                .ty_of(schema, &format!("{type_prefix}Body"), &schema_at)
                .unoption()
                .clone(),
            (_, None) => Ty::Json,
        };
        if kind == BodyKind::Json {
            let at = at.join("content").join(content_type);
            self.media_examples(media.example.as_ref(), &media.examples, &at, &ty);
        }
        let encoding = if kind == BodyKind::Form {
            self.form_encoding(&media.encoding, &at.join("content").join(content_type))
        } else {
            Vec::new()
        };
        let file_parts = if kind == BodyKind::Multipart {
            self.file_parts(&ty, &media.encoding)
        } else {
            Vec::new()
        };
        let sample = self.sample(&schema_at);
        Some(Body {
            rust: "body".to_owned(),
            ty,
            required: body.required,
            content_type: content_type.to_owned(),
            kind,
            encoding,
            file_parts,
            sample,
        })
    }

    /// A sample of the schema at `at` in the main document, when samples
    /// are asked for and one can be made.
    fn sample(&mut self, at: &Pointer) -> Option<serde_json::Value> {
        if !self.samples {
            return None;
        }
        let document = self.documents.main_value()?;
        let schema = document.pointer(at.to_string().trim_start_matches('#'))?;
        crate::sample::Sampler::new(document).sample(schema)
    }

    /// The first of an operation's or path's own `servers`, with its variables
    /// at their defaults; `None` when there are none. One that cannot be used
    /// (not an absolute `http(s)` URL, a variable without a default) is a
    /// warning, and the operation goes to the client's base URL.
    fn own_server(&mut self, servers: &serde_json::Value, at: &Pointer) -> Option<String> {
        if servers.is_null() {
            return None;
        }
        let servers: Vec<openapi::Server> = match serde_json::from_value(servers.clone()) {
            Ok(servers) => servers,
            Err(_) => {
                self.sink
                    .warning(at, "`servers` must be a list of servers; ignored");
                return None;
            }
        };
        match server_url(servers.first()?) {
            Ok(url) => Some(url),
            Err(url) => {
                self.sink.warning(
                    &at.join(0).join("url"),
                    format!("server `{url}` is not an absolute http(s) URL; the operation uses the client's base URL"),
                );
                None
            }
        }
    }

    /// The binary properties of a multipart body, each with the media type
    /// its part is labelled with: the first of its `encoding.contentType`, else
    /// `application/octet-stream` (OpenAPI's default for binary parts).
    fn file_parts(
        &self,
        ty: &Ty,
        encoding: &BTreeMap<String, openapi::Encoding>,
    ) -> Vec<(String, String)> {
        let Ty::Named(id) = ty else {
            return Vec::new();
        };
        let Some(s) = self.api.structure(*id) else {
            return Vec::new();
        };
        s.fields
            .iter()
            .filter(|f| *f.ty.unoption() == Ty::Bytes)
            .map(|f| {
                let declared = encoding
                    .get(&f.wire)
                    .and_then(|e| e.content_type.as_deref())
                    .and_then(|types| types.split(',').next())
                    .map(str::trim)
                    .filter(|t| header_safe(t) && !t.contains('*'));
                let media = declared.unwrap_or("application/octet-stream");
                (f.wire.clone(), media.to_owned())
            })
            .collect()
    }

    /// The styles a form body's `encoding` gives its properties (OpenAPI's
    /// query styles; explode defaults to true for `form` only). A style that
    /// cannot be used is a warning, and that property keeps the default.
    fn form_encoding(
        &mut self,
        encoding: &BTreeMap<String, openapi::Encoding>,
        at: &Pointer,
    ) -> Vec<(String, Style, bool)> {
        let mut styles = Vec::new();
        for (property, entry) in encoding {
            if entry.style.is_none() && entry.explode.is_none() {
                continue;
            }
            let style = match entry.style.as_deref().unwrap_or("form") {
                "form" => Style::Form,
                "spaceDelimited" => Style::SpaceDelimited,
                "pipeDelimited" => Style::PipeDelimited,
                "deepObject" => Style::DeepObject,
                other => {
                    self.sink.warning(
                        &at.join("encoding").join(property).join("style"),
                        format!(
                            "style `{other}` cannot encode a form property; the default is used"
                        ),
                    );
                    continue;
                }
            };
            let explode = entry.explode.unwrap_or(style == Style::Form);
            styles.push((property.clone(), style, explode));
        }
        styles
    }

    /// The answers by status, and the sequential media types success
    /// statuses offer (read as streams, see [`Lowerer::streaming`]).
    fn responses(
        &mut self,
        op: &'a openapi::Operation,
        type_prefix: &str,
        pointer: &Pointer,
    ) -> (Vec<ResponseCase>, Vec<Streamed<'a>>) {
        let mut cases = Vec::new();
        let mut streamed = Vec::new();
        for (status, response) in &op.responses {
            let at = pointer.join("responses").join(status);
            let Some(matcher) = parse_status(status) else {
                self.sink.error(
                    &at,
                    format!("`{status}` is not a status code, a range like `4XX`, or `default`"),
                );
                continue;
            };
            let components = &self.doc.components.responses;
            let Some((at, response)) = self.resolve(
                response,
                response.reference.as_deref(),
                components,
                "responses",
                &at,
            ) else {
                continue;
            };
            if matcher.is_success() {
                for (content_type, media) in &response.content {
                    if let Some(framing) = Framing::of(content_type) {
                        streamed.push(Streamed {
                            status: matcher,
                            framing,
                            media_type: content_type,
                            media,
                            at: at.join("content").join(content_type),
                        });
                    }
                }
            }
            let media_type = pick_answer(&response.content).map(|(t, _, _)| t.to_owned());
            let mut example = None;
            let (kind, ty) = match pick_answer(&response.content) {
                None => (BodyKind::Empty, None),
                Some((_, _, BodyKind::Text)) => (BodyKind::Text, Some(Ty::String)),
                // Anything else arrives as bytes.
                Some((_, _, BodyKind::Bytes | BodyKind::Form | BodyKind::Multipart)) => {
                    (BodyKind::Bytes, Some(Ty::Bytes))
                }
                Some((content_type, media, _)) => {
                    let media_at = at.join("content").join(content_type);
                    let schema_at = media_at.join("schema");
                    let description = response.description.as_deref();
                    let ty = match (&media.schema, at.component("responses")) {
                        (None, _) => Ty::Json,
                        (Some(schema), Some(name)) => {
                            self.shared_ty(schema, &name, &schema_at, description)
                        }
                        (Some(schema), None) => {
                            let hint = format!("{type_prefix}Response{}", camel(status, "", ""));
                            self.ty_of(schema, &hint, &schema_at)
                        }
                    };
                    self.media_examples(media.example.as_ref(), &media.examples, &media_at, &ty);
                    example = self.first_example(media);
                    (BodyKind::Json, Some(ty))
                }
            };
            cases.push(ResponseCase {
                status: matcher,
                kind,
                media_type,
                ty,
                description: response.description.clone(),
                example,
                success: matcher.is_success(),
            });
        }
        cases.sort_by_key(|c| c.status);
        // A document that lists only `default` (or only errors and `default`)
        // means `default` for its successes too.
        if !cases.iter().any(|c| c.success)
            && let Some(default) = cases.iter_mut().find(|c| c.status == StatusMatch::Default)
        {
            default.success = true;
        }
        (cases, streamed)
    }

    /// The streamed answer of an operation: the framing the success statuses
    /// offer first (events, then JSON Lines, then JSON text sequences),
    /// its item type from the first status with it.
    fn streaming(
        &mut self,
        rust_name: &str,
        type_prefix: &str,
        streamed: &[Streamed<'a>],
        cases: &[ResponseCase],
    ) -> Option<Streaming> {
        let mut framing = streamed.iter().map(|s| s.framing).min()?;
        let chosen: Vec<&Streamed> = streamed.iter().filter(|s| s.framing == framing).collect();
        let first = chosen.first()?;
        let item = match (&first.media.item_schema, &first.media.schema) {
            (Some(schema), _) if framing == Framing::Events => {
                let (item, text) =
                    self.event_data(schema, type_prefix, &first.at.join("itemSchema"));
                if text {
                    framing = Framing::TextEvents;
                }
                item
            }
            (Some(schema), _) => {
                let hint = format!("{type_prefix}Item");
                self.ty_of(schema, &hint, &first.at.join("itemSchema"))
            }
            (_, Some(schema)) => {
                let hint = match framing {
                    Framing::Events => format!("{type_prefix}Event"),
                    _ => format!("{type_prefix}Item"),
                };
                self.ty_of(schema, &hint, &first.at.join("schema"))
            }
            (None, None) => Ty::Json,
        };
        let mut statuses: Vec<StatusMatch> = chosen.iter().map(|s| s.status).collect();
        statuses.dedup();
        // Every success answer streams (nothing else to read whole): the
        // operation's method is the streaming one.
        let only = cases
            .iter()
            .filter(|c| c.success)
            .all(|c| statuses.contains(&c.status) && c.media_type.is_none());
        let rust_name = match only {
            true => rust_name.to_owned(),
            false => self
                .method_names
                .take(format!("{}_stream", rust_name.trim_start_matches("r#"))),
        };
        Some(Streaming {
            rust_name,
            framing,
            media_type: first.media_type.to_owned(),
            statuses,
            item,
            only,
        })
    }

    /// The type of an event's data from an event stream's item schema
    /// (OpenAPI 3.2), which describes the event's fields: `data` with a
    /// `contentSchema` is JSON of that schema, `data` as a plain string is
    /// text (the `bool`). Alternatives by event name are not told apart.
    fn event_data(&mut self, schema: &'a Schema, type_prefix: &str, at: &Pointer) -> (Ty, bool) {
        let (schema, at) = match schema.reference.as_deref() {
            Some(reference) => {
                let name = reference.strip_prefix("#/components/schemas/");
                match name.and_then(|name| self.doc.components.schemas.get(name).map(|s| (name, s)))
                {
                    Some((name, found)) => (
                        found,
                        Pointer::root()
                            .join("components")
                            .join("schemas")
                            .join(name),
                    ),
                    None => {
                        return (
                            self.ty_of(schema, &format!("{type_prefix}Event"), at),
                            false,
                        );
                    }
                }
            }
            None => (schema, at.clone()),
        };
        if !schema.one_of.is_empty() || !schema.any_of.is_empty() {
            self.sink.warning(
                &at,
                "events are not told apart by their fields yet; each event's data is typed as any JSON",
            );
            return (Ty::Json, false);
        }
        let Some(data) = schema.properties.get("data") else {
            return (Ty::Json, false);
        };
        let data_at = at.join("properties").join("data");
        if let Some(content) = &data.rare().content_schema {
            let hint = format!("{type_prefix}Event");
            return (
                self.ty_of(content, &hint, &data_at.join("contentSchema")),
                false,
            );
        }
        let json = data
            .rare()
            .content_media_type
            .as_deref()
            .is_some_and(|media| body_kind(media) == BodyKind::Json);
        let string = matches!(&data.kind, Some(SchemaType::One(kind)) if kind == "string");
        if string && !json {
            return (Ty::String, true);
        }
        (
            self.ty_of(data, &format!("{type_prefix}Event"), &data_at),
            false,
        )
    }

    /// What the success (or error) cases decode into: one shared type, or an
    /// enum with a variant per status.
    fn outcome(&mut self, cases: &[ResponseCase], success: bool, enum_name: &str) -> Outcome {
        // `default` decodes both ways when it stands for successes too.
        let group: Vec<(Idx<ResponseCase>, &ResponseCase)> = indexed(cases)
            .filter(|(_, c)| c.success == success || (!success && c.status == StatusMatch::Default))
            .collect();
        let mut distinct: Vec<Option<&Ty>> = Vec::new();
        for (_, case) in &group {
            if !distinct.contains(&case.ty.as_ref()) {
                distinct.push(case.ty.as_ref());
            }
        }
        match distinct.as_slice() {
            [] => Outcome::Single(None),
            [only] => Outcome::Single(only.cloned()),
            _ => {
                let mut names = Scope::new();
                let variants = group
                    .iter()
                    .map(|(i, c)| (*i, names.take(status_variant(c.status))))
                    .collect();
                Outcome::Enum {
                    name: self.client_names.take(enum_name.to_owned()),
                    variants,
                }
            }
        }
    }
}

/// A character of an HTTP method name (a `token` of RFC 9110).
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

/// The media type to use and how it travels: JSON first, then forms, text
/// and anything else as bytes.
/// The `Accept` header of an operation: the media types its answers are read
/// as, in the order of their statuses, once each; `None` when that is just
/// `application/json` (or nothing), which the runtime sends by default.
fn accept(responses: &[ResponseCase]) -> Option<String> {
    let mut types: Vec<&str> = Vec::new();
    let media_types = responses.iter().filter_map(|r| r.media_type.as_deref());
    for media in media_types.filter(|m| header_safe(m)) {
        if !types.contains(&media) {
            types.push(media);
        }
    }
    match types.as_slice() {
        [] | ["application/json"] => None,
        _ => Some(types.join(", ")),
    }
}

/// Whether spec text can go into a header value as it is: visible ASCII
/// and spaces only (the spec is untrusted; other text is left out).
fn header_safe(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_graphic() || c == ' ')
}

/// A success answer's media type that is read as a stream.
struct Streamed<'a> {
    status: StatusMatch,
    framing: Framing,
    media_type: &'a str,
    media: &'a MediaType,
    at: Pointer,
}

/// [`pick_content`] of an answer: a sequential media type is read as a
/// stream, by a method of its own, never whole.
fn pick_answer(content: &BTreeMap<String, MediaType>) -> Option<(&str, &MediaType, BodyKind)> {
    content
        .iter()
        .filter(|(content_type, _)| Framing::of(content_type).is_none())
        .map(|(content_type, media)| (content_type.as_str(), media, body_kind(content_type)))
        .min_by_key(|(_, _, kind)| *kind)
}

fn pick_content(content: &BTreeMap<String, MediaType>) -> Option<(&str, &MediaType, BodyKind)> {
    content
        .iter()
        .map(|(content_type, media)| (content_type.as_str(), media, body_kind(content_type)))
        .min_by_key(|(_, _, kind)| *kind)
}

fn body_kind(content_type: &str) -> BodyKind {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "application/*"
    {
        BodyKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if essence.starts_with("multipart/") {
        BodyKind::Multipart
    } else if essence.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    }
}

pub(super) fn parse_status(status: &str) -> Option<StatusMatch> {
    if status == "default" {
        return Some(StatusMatch::Default);
    }
    let bytes = status.as_bytes();
    if bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) {
        if status[1..].eq_ignore_ascii_case("xx") {
            return Some(StatusMatch::Range(u16::from(bytes[0] - b'0')));
        }
        return status.parse().ok().map(StatusMatch::Code);
    }
    None
}

/// A variant name for a status: its reason phrase where it has a common one.
fn status_variant(status: StatusMatch) -> String {
    let code = match status {
        StatusMatch::Default => return "Default".into(),
        StatusMatch::Range(hundreds) => return format!("Status{hundreds}xx"),
        StatusMatch::Code(code) => code,
    };
    let phrase = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        206 => "PartialContent",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        422 => "UnprocessableEntity",
        423 => "Locked",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    phrase.to_owned()
}
