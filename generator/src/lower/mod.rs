//! Stage 2: typed OpenAPI model -> IR. Every component schema gets its id
//! before any is converted, so forward and cyclic `$ref`s resolve; inline
//! schemas get names derived from where they stand, never from discovery
//! order.

mod operation;
pub mod refs;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostics, Pointer, Sink};
use crate::ir::*;
use crate::naming::{Scope, snake};
use crate::openapi::OpenApi;
use refs::{Documents, Loader, MainText};

/// Methods of the generated `Client` that operations must not shadow.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_base_url",
    "from_parts",
    "base_url",
    "with_retry",
    "with_max_body_size",
    "with_server",
];

/// Names the client module declares or imports, and the crate root exports
/// beside it: an operation's `Params` struct or answer enum must not take one
/// (an operation `build` with two error types would otherwise declare a
/// second `BuildError`).
const CLIENT_TYPES: &[&str] = &[
    "BTreeMap",
    "BodySnippet",
    "BuildError",
    "Client",
    "Error",
    "Event",
    "Framing",
    "Method",
    "Paged",
    "Query",
    "Response",
    "ResponseFuture",
    "Retry",
    "StreamFuture",
    "Style",
    "Transport",
];

/// What the IR holds beyond what the client needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keep {
    /// The document's example values (in large documents, megabytes).
    pub examples: bool,
    /// A sample value of every parameter and body (see `sample`).
    pub samples: bool,
}

/// Builds the IR of `doc`, read from `text` (Swagger 2.0 when `swagger`);
/// `text` is read again for references that need the raw document.
pub fn lower(
    file: &str,
    text: &MainText,
    doc: &OpenApi,
    swagger: bool,
    loader: &dyn Loader,
    keep: Keep,
) -> Result<Api, Diagnostics> {
    let mut lowerer = Lowerer {
        examples: keep.examples,
        samples: keep.samples,
        documents: Documents::new(doc, swagger, file, text, loader),
        doc,
        sink: Sink::new(file),
        api: Api {
            title: doc.info.title.clone(),
            description: doc.info.description.clone(),
            version: doc.info.version.clone(),
            ..Api::default()
        },
        type_names: Scope::new(),
        client_names: Scope::with_reserved(CLIENT_TYPES),
        method_names: Scope::with_reserved(CLIENT_METHODS),
        by_ref: BTreeMap::new(),
        shared_types: BTreeMap::new(),
        nullable: BTreeSet::new(),
        base: String::new(),
    };
    if doc.self_uri.is_some() {
        let at = Pointer::root().join("$self");
        lowerer.sink.warning(
            &at,
            "not used: references resolve from where the document is read",
        );
    }
    lowerer.base_url();
    lowerer.auth();
    lowerer.component_schemas();
    lowerer.operations();
    lowerer.break_alias_cycles();
    mark_three_state(&mut lowerer.api);
    mark_boxes(&mut lowerer.api);
    mark_defaults(&mut lowerer.api);
    list_union_members(&mut lowerer.api);
    link_associations(&mut lowerer.api);
    let Lowerer { sink, mut api, .. } = lowerer;
    api.warnings = sink.finish()?;
    Ok(api)
}

pub(crate) struct Lowerer<'a> {
    /// Whether to keep example values (they are checked either way).
    examples: bool,
    /// Whether to make a sample value of each parameter and body.
    samples: bool,
    documents: Documents<'a>,
    doc: &'a OpenApi,
    sink: Sink<'a>,
    api: Api,
    /// Names in the generated `types` module.
    type_names: Scope,
    /// Names in the generated client module (params structs, result enums).
    client_names: Scope,
    /// Methods of `Client`.
    method_names: Scope,
    /// Schema ids by canonical reference (`file#/pointer`).
    by_ref: BTreeMap<String, TypeId>,
    /// The types of the schemas of `#/components/responses` and
    /// `#/components/parameters`, by the schema's pointer: one type however
    /// many operations refer to it (see [`Lowerer::shared_ty`]).
    shared_types: BTreeMap<Pointer, Ty>,
    /// Named schemas that allow `null`: references to them are `Option`.
    nullable: BTreeSet<TypeId>,
    /// The document whose schemas are being converted (`""`: the main one).
    base: String,
}

impl Lowerer<'_> {
    fn base_url(&mut self) {
        self.api.base_url = self.doc.servers.first().and_then(|s| server_url(s).ok());
    }

    /// The schemes that the document's security requirements name, global and
    /// per operation, in a stable order.
    fn auth(&mut self) {
        let mut used = BTreeSet::new();
        let operation_requirements = self
            .doc
            .paths
            .values()
            .flat_map(|item| item.every_operation())
            .flat_map(|op| op.security.iter().flatten());
        for requirement in self.doc.security.iter().chain(operation_requirements) {
            used.extend(requirement.keys().cloned());
        }
        let mut methods = Scope::with_reserved(CLIENT_METHODS);
        for name in used {
            let pointer = Pointer::root()
                .join("components")
                .join("securitySchemes")
                .join(&name);
            let Some(scheme) = self.doc.components.security_schemes.get(&name) else {
                self.sink.warning(
                    &Pointer::root().join("security"),
                    format!("security requirement names `{name}`, which components.securitySchemes does not define; ignored"),
                );
                continue;
            };
            let http_scheme = scheme.scheme.as_deref().map(str::to_ascii_lowercase);
            let kind = match (scheme.kind.as_str(), http_scheme.as_deref()) {
                ("http", Some("bearer")) | ("oauth2" | "openIdConnect", _) => SchemeKind::Bearer,
                ("http", Some("basic")) => SchemeKind::Basic,
                ("apiKey", _) => {
                    let location = match scheme.location.as_deref() {
                        Some("header") => Location::Header,
                        Some("query") => Location::Query,
                        Some("cookie") => Location::Cookie,
                        other => {
                            self.sink.error(
                                &pointer.join("in"),
                                format!("an API key cannot be in `{}`", other.unwrap_or("")),
                            );
                            continue;
                        }
                    };
                    let Some(key_name) = scheme.name.clone().filter(|n| !n.is_empty()) else {
                        self.sink
                            .error(&pointer, "an API key scheme needs a `name`");
                        continue;
                    };
                    SchemeKind::ApiKey {
                        location,
                        name: key_name,
                    }
                }
                (kind, _) => {
                    self.sink.warning(
                        &pointer,
                        format!("security scheme `{kind}` {} is not supported; set its header through `Client::from_parts`", scheme.scheme.as_deref().unwrap_or("")),
                    );
                    continue;
                }
            };
            let method = methods.take(format!(
                "with_{}",
                snake(&name, "credentials").trim_start_matches("r#")
            ));
            self.api.auth.schemes.push(SecurityScheme {
                wire: name,
                method,
                kind,
                docs: scheme.description.clone(),
            });
        }
    }

    /// A type alias cannot refer to itself, not even through `Vec` or `Box`
    /// (`SelfList = Vec<SelfList>`, `A = B`, `B = A`). Such an alias becomes
    /// untyped JSON, counted and reported.
    fn break_alias_cycles(&mut self) {
        // Edges from an alias to the aliases its type names, through lists,
        // maps, options and tuples.
        let types = &self.api.types;
        let edges = |id: usize| -> Vec<usize> {
            let TypeKind::Alias(alias) = &types[id].kind else {
                return Vec::new();
            };
            alias
                .ty
                .named()
                .filter(|next| matches!(types[next.0].kind, TypeKind::Alias(_)))
                .map(|next| next.0)
                .collect()
        };
        // The aliases that refer to themselves, as a walk in document order
        // would find them: in each cycle the first alias is broken (it becomes
        // JSON), and what remains of the cycle is looked at again.
        let mut broken = BTreeSet::new();
        let mut pending: Vec<Vec<usize>> = vec![
            (0..types.len())
                .filter(|&id| matches!(types[id].kind, TypeKind::Alias(_)))
                .collect(),
        ];
        while let Some(nodes) = pending.pop() {
            let local: BTreeMap<usize, usize> =
                nodes.iter().enumerate().map(|(i, &id)| (id, i)).collect();
            let component = crate::graph::components(nodes.len(), |i| {
                edges(nodes[i])
                    .into_iter()
                    .filter_map(|id| local.get(&id).copied())
                    .collect()
            });
            let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (i, c) in component.into_iter().enumerate() {
                groups.entry(c).or_default().push(nodes[i]);
            }
            for group in groups.into_values() {
                let first = group[0];
                let cyclic = group.len() > 1 || edges(first).contains(&first);
                if cyclic {
                    broken.insert(first);
                    pending.push(group[1..].to_vec());
                }
            }
        }
        for start in broken {
            let pointer = self.api.types[start].pointer.clone();
            self.sink.warning(
                &pointer,
                "this schema is defined only through itself; typed as any JSON",
            );
            self.api.types[start].kind = TypeKind::Alias(Alias::new(self.fallback(&pointer)));
        }
    }

    fn fallback(&mut self, pointer: &Pointer) -> Ty {
        self.api.fallbacks.push(pointer.clone());
        Ty::Json
    }
}

/// In types that request bodies reach, a field that is optional and nullable
/// keeps "absent" and `null` apart, so a caller can clear a value on the
/// server. Response-only types keep the simpler `Option<T>`.
fn mark_three_state(api: &mut Api) {
    let bodies = api.operations.iter().filter_map(|op| op.body.as_ref());
    for id in api.reached(bodies.map(|body| &body.ty)) {
        if let TypeKind::Struct(s) = &mut api.types[id.0].kind {
            for field in &mut s.fields {
                field.three_state = !field.required && matches!(field.ty, Ty::Option(_));
            }
        }
    }
}

/// Marks the structs that implement `Default`: those whose required fields
/// all have a type with a default, so that `..Default::default()` fills in
/// what a caller leaves out, and a new optional field is an addition. From
/// the leaves up: a struct whose default would need its own is left
/// without one (its `default()` would never return).
fn mark_defaults(api: &mut Api) {
    loop {
        let ready: Vec<usize> = (0..api.types.len())
            .filter(|&i| match &api.types[i].kind {
                TypeKind::Struct(s) => {
                    !s.default
                        && s.fields
                            .iter()
                            .filter(|f| f.required)
                            .all(|f| api.has_default(&f.ty))
                }
                _ => false,
            })
            .collect();
        if ready.is_empty() {
            return;
        }
        for i in ready {
            if let TypeKind::Struct(s) = &mut api.types[i].kind {
                s.default = true;
            }
        }
    }
}

/// Marks where a `Box` goes: a field, variant or alias whose type names
/// (directly, not through a `Vec` or a map) a type that contains the owner
/// again, directly. Without it the owner would be infinitely large.
fn mark_boxes(api: &mut Api) {
    let direct = |ty: &Ty| match ty.unoption() {
        Ty::Named(next) => Some(*next),
        _ => None,
    };
    let types = &api.types;
    let component = crate::graph::components(types.len(), |id| {
        types[id]
            .kind
            .tys()
            .filter_map(direct)
            .map(|next| next.0)
            .collect()
    });
    let boxed = |owner: usize, ty: &Ty| {
        direct(ty).is_some_and(|target| component[target.0] == component[owner])
    };
    for (owner, def) in api.types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = boxed(owner, &field.ty);
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    variant.boxed = boxed(owner, &variant.ty);
                }
            }
            TypeKind::Alias(alias) => alias.boxed = boxed(owner, &alias.ty),
            TypeKind::Enum(_) | TypeKind::Pending => {}
        }
    }
}

/// Gives each variant of an untagged union the members it declares, once
/// every struct is converted (a union may come before its variants).
fn list_union_members(api: &mut Api) {
    let members: Vec<Vec<Vec<String>>> = api
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union(u) if u.tag.is_none() => u
                .variants
                .iter()
                .map(|v| match v.ty.unoption() {
                    Ty::Named(id) => api
                        .structure(*id)
                        .map(|s| s.fields.iter().map(|f| f.wire.clone()).collect())
                        .unwrap_or_default(),
                    _ => Vec::new(),
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, members) in api.types.iter_mut().zip(members) {
        if let TypeKind::Union(u) = &mut def.kind {
            for (variant, members) in u.variants.iter_mut().zip(members) {
                variant.members = members;
            }
        }
    }
}

/// A server's URL with its variables at their defaults and no trailing
/// slash, if that is an absolute `http(s)` URL; else the URL, for a message.
pub(crate) fn server_url(server: &crate::openapi::Server) -> Result<String, String> {
    let mut url = server.url.trim_end_matches('/').to_owned();
    for (name, variable) in &server.variables {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    let printable = url.chars().all(|c| c.is_ascii_graphic());
    if absolute && printable && !url.contains('{') {
        Ok(url)
    } else {
        Err(url)
    }
}

/// Summary and description joined as one doc text.
pub(crate) fn docs(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    let mut parts: Vec<&str> = [summary, description]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    // Specs often repeat a title as the description; say it once.
    parts.dedup();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Gives each envelope a method per association of the objects it lists
/// whose associated objects it also holds (`user_manager(&user)`). Done after
/// every type is converted, since an envelope may come before its objects.
fn link_associations(api: &mut Api) {
    for index in 0..api.types.len() {
        let TypeKind::Struct(s) = &api.types[index].kind else {
            continue;
        };
        let Some(envelope) = &s.envelope else {
            continue;
        };
        let map_of = |field: &Field| match field.ty.unoption() {
            Ty::Map(value) => match value.unoption() {
                Ty::Named(id) => Some(*id),
                _ => None,
            },
            _ => None,
        };
        let mut methods = Scope::new();
        for list in &envelope.lists {
            methods.take(list.accessor.clone());
        }
        let mut owners = BTreeSet::new();
        let mut links = Vec::new();
        for list in &envelope.lists {
            let Some(owner) = map_of(&s.fields[list.field]) else {
                continue;
            };
            let TypeKind::Struct(owner_struct) = &api.types[owner.0].kind else {
                continue;
            };
            if !owners.insert(owner) {
                continue;
            }
            for (association_index, association) in indexed(&owner_struct.associations) {
                let target = indexed(&envelope.lists)
                    .find(|(_, list)| s.fields[list.field].wire == association.map)
                    .map(|(target, _)| target);
                let Some(target) = target else {
                    continue;
                };
                let method = methods.take(snake(
                    &format!("{}_{}", api.types[owner.0].name, association.wire),
                    "association",
                ));
                links.push(Link {
                    owner,
                    association: association_index,
                    target,
                    method,
                });
            }
        }
        if let TypeKind::Struct(Struct {
            envelope: Some(envelope),
            ..
        }) = &mut api.types[index].kind
        {
            envelope.links = links;
        }
    }
}
