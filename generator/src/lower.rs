//! Stage 2: typed OpenAPI model -> IR. Every component schema gets its id
//! before any is converted, so forward and cyclic `$ref`s resolve; inline
//! schemas get names derived from where they stand.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostics, Pointer, Sink};
use crate::ir::*;
use crate::naming::{Scope, camel, snake};
use crate::openapi::{self, OpenApi, Schema};

const SCHEMAS: &str = "#/components/schemas/";

/// Methods of the generated `Client` that operations must not shadow.
const CLIENT_METHODS: &[&str] = &["new", "with_base_url", "from_parts", "base_url"];

pub fn lower(file: &str, doc: &OpenApi) -> Result<Api, Diagnostics> {
    let mut lowerer = Lowerer {
        doc,
        sink: Sink::new(file),
        api: Api {
            title: doc.info.title.clone(),
            description: doc.info.description.clone(),
            version: doc.info.version.clone(),
            ..Api::default()
        },
        type_names: Scope::new(),
        client_names: Scope::with_reserved(&["Client"]),
        by_ref: BTreeMap::new(),
    };
    lowerer.base_url();
    lowerer.auth();
    lowerer.component_schemas();
    lowerer.operations();
    let Lowerer { sink, api, .. } = lowerer;
    sink.finish()?;
    Ok(api)
}

struct Lowerer<'a> {
    doc: &'a OpenApi,
    sink: Sink<'a>,
    api: Api,
    /// Names in the generated `types` module.
    type_names: Scope,
    /// Names in the generated client module (params structs).
    client_names: Scope,
    by_ref: BTreeMap<String, TypeId>,
}

impl<'a> Lowerer<'a> {
    fn base_url(&mut self) {
        let url = self
            .doc
            .servers
            .first()
            .map(|s| s.url.trim_end_matches('/'));
        self.api.base_url = url
            .filter(|u| (u.starts_with("https://") || u.starts_with("http://")) && !u.contains('{'))
            .map(str::to_owned);
    }

    fn auth(&mut self) {
        let schemes = &self.doc.components.security_schemes;
        let requirements = self.doc.security.iter().flat_map(|r| r.keys());
        for name in requirements {
            let pointer = Pointer::root()
                .join("components")
                .join("securitySchemes")
                .join(name);
            match schemes.get(name) {
                None => self.sink.error(
                    &Pointer::root().join("security"),
                    format!("security requirement names `{name}`, which components.securitySchemes does not define"),
                ),
                Some(s) if s.kind == "http" && s.scheme.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("bearer")) => {
                    self.api.auth = Auth::Bearer;
                }
                Some(s) => self.sink.error(
                    &pointer,
                    format!("security scheme type `{}` is not supported yet; supported: http bearer", s.kind),
                ),
            }
        }
    }

    // ---- types ----

    fn component_schemas(&mut self) {
        let schemas = &self.doc.components.schemas;
        for name in schemas.keys() {
            let pointer = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            let id = self.reserve(camel(name, "Schema", "T"), pointer);
            self.by_ref.insert(format!("{SCHEMAS}{name}"), id);
        }
        for (name, schema) in schemas {
            let id = self.by_ref[&format!("{SCHEMAS}{name}")];
            let pointer = self.api.ty(id).pointer.clone();
            let kind = self.named_kind(id, schema, &pointer);
            let def = &mut self.api.types[id.0];
            def.docs = docs(schema.title.as_deref(), schema.description.as_deref());
            def.kind = kind;
        }
    }

    fn reserve(&mut self, name: String, pointer: Pointer) -> TypeId {
        let id = TypeId(self.api.types.len());
        let name = self.type_names.take(name);
        self.api.types.push(TypeDef {
            name,
            pointer,
            docs: None,
            kind: TypeKind::Pending,
        });
        id
    }

    /// What a named schema becomes: a struct, an enum, or an alias of another type.
    fn named_kind(&mut self, id: TypeId, schema: &Schema, pointer: &Pointer) -> TypeKind {
        if schema.reference.is_none() && !schema.properties.is_empty() {
            TypeKind::Struct(self.structure(id, schema, pointer))
        } else if let Some(values) = string_enum(schema) {
            TypeKind::Enum(self.enumeration(values, &schema.enum_descriptions, pointer))
        } else {
            let hint = self.api.ty(id).name.clone();
            TypeKind::Alias(self.ty_of(schema, &hint, pointer))
        }
    }

    fn structure(&mut self, id: TypeId, schema: &Schema, pointer: &Pointer) -> Struct {
        let parent = self.api.ty(id).name.clone();
        let mut names = Scope::new();
        let mut fields = Vec::new();
        for (wire, property) in &schema.properties {
            let at = pointer.join("properties").join(wire);
            let hint = format!("{parent}{}", camel(wire, "Field", "F"));
            let ty = self.ty_of(property, &hint, &at);
            fields.push(Field {
                wire: wire.clone(),
                rust: names.take(snake(wire, "field")),
                ty,
                required: schema.required.contains(wire),
                docs: docs(property.title.as_deref(), property.description.as_deref()),
            });
        }
        for wire in &schema.required {
            if !schema.properties.contains_key(wire) {
                self.sink.error(
                    &pointer.join("required"),
                    format!("`{wire}` is required but not among the properties"),
                );
            }
        }
        let envelope = schema
            .envelope
            .as_ref()
            .and_then(|ext| self.envelope(ext, &fields, pointer));
        Struct { fields, envelope }
    }

    fn envelope(
        &mut self,
        ext: &openapi::EnvelopeExtension,
        fields: &[Field],
        pointer: &Pointer,
    ) -> Option<Envelope> {
        let at = pointer.join("x-oxgen-envelope").join("results");
        let Some(results) = fields.iter().position(|f| f.wire == ext.results) else {
            self.sink.error(
                &at,
                format!("`{}` is not a property of this schema", ext.results),
            );
            return None;
        };
        let reference = match &fields[results].ty {
            Ty::Vec(item) => match **item {
                Ty::Named(id) => Some(id),
                _ => None,
            },
            _ => None,
        };
        let key_and_id = reference.and_then(|id| match &self.api.ty(id).kind {
            TypeKind::Struct(s) => {
                let find = |wire: &str| {
                    s.fields
                        .iter()
                        .find(|f| f.wire == wire && f.required && f.ty == Ty::String)
                };
                Some((find("key")?.rust.clone(), find("id")?.rust.clone()))
            }
            _ => None,
        });
        let Some((key_field, id_field)) = key_and_id else {
            self.sink.error(
                &at,
                format!("`{}` must be an array of a named schema with required string properties `key` and `id`", ext.results),
            );
            return None;
        };
        let mut accessors = Scope::new();
        let lists = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(unoption(&f.ty), Ty::Map(v) if matches!(**v, Ty::Named(_))))
            .map(|(i, f)| {
                (
                    i,
                    accessors.take(snake(&format!("result_{}", f.wire), "result")),
                )
            })
            .collect();
        Some(Envelope {
            results,
            key_field,
            id_field,
            lists,
        })
    }

    fn enumeration(
        &mut self,
        values: Vec<&str>,
        descriptions: &[String],
        _pointer: &Pointer,
    ) -> Enum {
        let mut names = Scope::new();
        let variants = values
            .iter()
            .enumerate()
            .map(|(i, wire)| Variant {
                wire: (*wire).to_owned(),
                rust: names.take(camel(wire, "Empty", "V")),
                docs: descriptions.get(i).cloned(),
            })
            .collect();
        Enum {
            variants,
            other: names.take("Unknown".to_owned()),
        }
    }

    /// The Rust type of a schema used in place. `hint` names an inline type
    /// should the schema need one.
    fn ty_of(&mut self, schema: &Schema, hint: &str, pointer: &Pointer) -> Ty {
        let ty = self.non_null_ty(schema, hint, pointer);
        if schema.allows_null() && !matches!(ty, Ty::Option(_)) {
            Ty::Option(Box::new(ty))
        } else {
            ty
        }
    }

    fn non_null_ty(&mut self, schema: &Schema, hint: &str, pointer: &Pointer) -> Ty {
        if let Some(reference) = &schema.reference {
            return match self.by_ref.get(reference) {
                Some(id) => Ty::Named(*id),
                None => {
                    self.sink.error(
                        &pointer.join("$ref"),
                        format!("`{reference}` does not name an entry of #/components/schemas"),
                    );
                    Ty::Json
                }
            };
        }
        for (keyword, alternatives) in [("oneOf", &schema.one_of), ("anyOf", &schema.any_of)] {
            if alternatives.is_empty() {
                continue;
            }
            // `T or null` is how 3.1 (and 3.0 by convention) writes a nullable T.
            let non_null: Vec<_> = alternatives
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.is_null_only())
                .collect();
            if let [(i, only)] = non_null.as_slice() {
                let inner = self.non_null_ty(only, hint, &pointer.join(keyword).join(i));
                return if non_null.len() < alternatives.len() {
                    Ty::Option(Box::new(inner))
                } else {
                    inner
                };
            }
            return self.fallback(pointer);
        }
        if !schema.all_of.is_empty() {
            if let [only] = schema.all_of.as_slice() {
                return self.non_null_ty(only, hint, &pointer.join("allOf").join(0));
            }
            return self.fallback(pointer);
        }
        if let Some(values) = string_enum(schema) {
            let id = self.reserve(camel(hint, "Enum", "T"), pointer.clone());
            let kind = TypeKind::Enum(self.enumeration(values, &schema.enum_descriptions, pointer));
            self.api.types[id.0].docs =
                docs(schema.title.as_deref(), schema.description.as_deref());
            self.api.types[id.0].kind = kind;
            return Ty::Named(id);
        }
        let types: Vec<&str> = schema
            .types()
            .into_iter()
            .filter(|t| *t != "null")
            .collect();
        match types.as_slice() {
            [] if !schema.properties.is_empty() => self.inline_struct(schema, hint, pointer),
            [] => Ty::Json,
            ["string"] => Ty::String,
            ["boolean"] => Ty::Bool,
            ["integer"] => match schema.format.as_deref() {
                Some("int32") => Ty::I32,
                _ => Ty::I64,
            },
            ["number"] => match schema.format.as_deref() {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            },
            ["array"] => match &schema.items {
                Some(items) => {
                    let ty = self.ty_of(items, &format!("{hint}Item"), &pointer.join("items"));
                    Ty::Vec(Box::new(ty))
                }
                None => Ty::Vec(Box::new(Ty::Json)),
            },
            ["object"] if !schema.properties.is_empty() => {
                self.inline_struct(schema, hint, pointer)
            }
            ["object"] => match &schema.additional_properties {
                Some(values) if !values.never => {
                    let ty = self.ty_of(
                        values,
                        &format!("{hint}Value"),
                        &pointer.join("additionalProperties"),
                    );
                    Ty::Map(Box::new(ty))
                }
                _ => Ty::Map(Box::new(Ty::Json)),
            },
            _ => self.fallback(pointer),
        }
    }

    fn inline_struct(&mut self, schema: &Schema, hint: &str, pointer: &Pointer) -> Ty {
        let id = self.reserve(camel(hint, "Object", "T"), pointer.clone());
        let structure = self.structure(id, schema, pointer);
        let def = &mut self.api.types[id.0];
        def.docs = docs(schema.title.as_deref(), schema.description.as_deref());
        def.kind = TypeKind::Struct(structure);
        Ty::Named(id)
    }

    fn fallback(&mut self, pointer: &Pointer) -> Ty {
        self.api.fallbacks.push(pointer.clone());
        Ty::Json
    }

    // ---- operations ----

    fn operations(&mut self) {
        let mut method_names = Scope::with_reserved(CLIENT_METHODS);
        for (path, item) in &self.doc.paths {
            for (method, op) in item.operations() {
                let pointer = Pointer::root().join("paths").join(path).join(method);
                let candidate = match &op.operation_id {
                    Some(id) => snake(id, "operation"),
                    None => snake(&format!("{method} {path}"), "operation"),
                };
                let rust_name = method_names.take(candidate);
                if let Some(operation) = self.operation(rust_name, path, method, item, op, &pointer)
                {
                    self.api.operations.push(operation);
                }
            }
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
        let type_prefix = camel(&rust_name, "Operation", "Op");
        // Operation parameters override path-item ones with the same name and location.
        let mut declared: Vec<(Pointer, &openapi::Parameter)> = Vec::new();
        let path_pointer = Pointer::root().join("paths").join(path);
        let sources = [
            (&item.parameters, path_pointer.join("parameters")),
            (&op.parameters, pointer.join("parameters")),
        ];
        for (list, at) in sources {
            for (i, p) in list.iter().enumerate() {
                let at = at.join(i);
                let Some((at, p)) = self.resolve_parameter(p, &at) else {
                    continue;
                };
                declared.retain(|(_, q)| !(q.name == p.name && q.location == p.location));
                declared.push((at, p));
            }
        }

        let mut locals =
            Scope::with_reserved(&["self", "body", "params", "url", "request", "response"]);
        let mut field_names = Scope::new();
        let (mut path_params, mut params) = (Vec::new(), Vec::new());
        for (at, p) in &declared {
            let location = match p.location.as_str() {
                "path" => Location::Path,
                "query" => Location::Query,
                "header" => Location::Header,
                "cookie" => Location::Cookie,
                other => {
                    self.sink.error(
                        &at.join("in"),
                        format!("unknown parameter location `{other}`"),
                    );
                    continue;
                }
            };
            let hint = format!("{type_prefix}{}", camel(&p.name, "Param", "P"));
            let ty = match &p.schema {
                Some(schema) => self.ty_of(schema, &hint, &at.join("schema")),
                None => {
                    self.sink.error(
                        at,
                        "parameter has no `schema`; `content` parameters are not supported yet",
                    );
                    continue;
                }
            };
            // An unsupported style is reported; the rest of the operation is
            // still checked so that one run reports every problem.
            let Some(explode) = self.check_style(p, location, &ty, at) else {
                continue;
            };
            let param = Param {
                wire: p.name.clone(),
                rust: String::new(),
                location,
                required: p.required || location == Location::Path,
                ty,
                explode,
                docs: p.description.clone(),
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
        let responses = self.responses(op, &type_prefix, pointer);
        let success = self.shared_body(
            responses.iter().filter(|r| r.is_success()),
            &pointer.join("responses"),
        );
        let error = self.shared_body(
            responses.iter().filter(|r| !r.is_success()),
            &pointer.join("responses"),
        );
        let params_struct =
            (!params.is_empty()).then(|| self.client_names.take(format!("{type_prefix}Params")));

        let path_parts = path_parts?;
        Some(Operation {
            rust_name,
            operation_id: op.operation_id.clone(),
            method: method.to_ascii_uppercase(),
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
            deprecated: op.deprecated,
            pointer: pointer.clone(),
        })
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

    /// Checks the serialization style; returns `explode`. `None` when unsupported.
    fn check_style(
        &mut self,
        p: &openapi::Parameter,
        location: Location,
        ty: &Ty,
        at: &Pointer,
    ) -> Option<bool> {
        let default_style = match location {
            Location::Query | Location::Cookie => "form",
            Location::Path | Location::Header => "simple",
        };
        let style = p.style.as_deref().unwrap_or(default_style);
        let explode = p.explode.unwrap_or(style == "form");
        let scalar = |ty: &Ty| {
            matches!(
                unoption(ty),
                Ty::Bool | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 | Ty::String | Ty::Named(_)
            )
        };
        let supported = match (location, style) {
            (Location::Path | Location::Header, "simple") => scalar(ty),
            (Location::Query, "form") => match unoption(ty) {
                Ty::Vec(item) => scalar(item),
                other => scalar(other),
            },
            _ => false,
        };
        if supported {
            Some(explode)
        } else {
            self.sink.error(
                at,
                format!("parameter `{}` in {:?} with style `{style}` and this schema is not supported yet", p.name, location)
                    .to_lowercase(),
            );
            None
        }
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
            match params.iter().position(|p| p.wire == name) {
                Some(i) => {
                    parts.push(PathPart::Param(ordered.len()));
                    ordered.push(params.remove(i));
                }
                None => {
                    self.sink.error(
                        at,
                        format!(
                            "the path template names `{{{name}}}`, which no path parameter declares"
                        ),
                    );
                    return None;
                }
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for unused in params.iter() {
            self.sink.error(
                at,
                format!(
                    "path parameter `{}` does not appear in the path template",
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
        let Some((content_type, media)) = body.content.iter().find(|(ct, _)| is_json(ct)) else {
            self.sink.error(
                &at.join("content"),
                "only JSON request bodies are supported yet",
            );
            return None;
        };
        let ty = match &media.schema {
            Some(schema) => self.ty_of(
                schema,
                &format!("{type_prefix}Body"),
                &at.join("content").join(content_type).join("schema"),
            ),
            None => Ty::Json,
        };
        let ty = if body.required {
            ty
        } else {
            Ty::Option(Box::new(ty))
        };
        Some(Body {
            rust: "body".to_owned(),
            ty,
            content_type: content_type.clone(),
        })
    }

    fn responses(
        &mut self,
        op: &'a openapi::Operation,
        type_prefix: &str,
        pointer: &Pointer,
    ) -> Vec<ResponseCase> {
        let mut cases = Vec::new();
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
            let json = response.content.iter().find(|(ct, _)| is_json(ct));
            let ty = json.map(|(ct, media)| match &media.schema {
                Some(schema) => {
                    let hint = format!("{type_prefix}Response{}", camel(status, "", ""));
                    self.ty_of(schema, &hint, &at.join("content").join(ct).join("schema"))
                }
                None => Ty::Json,
            });
            cases.push(ResponseCase {
                status: matcher,
                ty,
                description: response.description.clone(),
            });
        }
        cases.sort_by_key(|c| c.status);
        cases
    }
}

impl Lowerer<'_> {
    /// The one body type a group of responses shares. Different types fall
    /// back to JSON until per-status result types exist.
    fn shared_body<'r>(
        &mut self,
        cases: impl Iterator<Item = &'r ResponseCase>,
        at: &Pointer,
    ) -> Option<Ty> {
        let mut distinct: Vec<Option<&Ty>> = Vec::new();
        for case in cases {
            if !distinct.contains(&case.ty.as_ref()) {
                distinct.push(case.ty.as_ref());
            }
        }
        match distinct.as_slice() {
            [] | [None] => None,
            [Some(ty)] => Some((*ty).clone()),
            _ => Some(self.fallback(at)),
        }
    }
}

fn parse_status(status: &str) -> Option<StatusMatch> {
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

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn string_enum(schema: &Schema) -> Option<Vec<&str>> {
    let values = schema.enum_values.as_ref()?;
    let strings: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
    let non_null = values.iter().filter(|v| !v.is_null()).count();
    (!strings.is_empty() && strings.len() == non_null).then_some(strings)
}

pub(crate) fn unoption(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(inner) => unoption(inner),
        other => other,
    }
}

/// Summary and description joined as one doc text.
fn docs(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [summary, description]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}
