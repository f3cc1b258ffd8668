//! Schemas -> types: structs (with `allOf` merged), string enums, unions for
//! `oneOf`/`anyOf` (tagged by a discriminator when there is one), maps,
//! formats, and untyped JSON as the last resort, counted.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::refs::Unresolved;
use super::{Lowerer, docs};
use crate::diagnostics::Pointer;
use crate::ir::*;
use crate::naming::{Scope, camel, snake};
use crate::openapi::Schema;

/// The parts of an object schema, `allOf` members merged in.
#[derive(Default)]
struct Object {
    properties: BTreeMap<String, (Schema, Pointer)>,
    required: BTreeSet<String>,
    additional: Option<(Schema, Pointer)>,
}

/// The most schemas one struct merges through `allOf` and `$ref`: real specs
/// stay far below; a longer chain would cost quadratic time and deep recursion.
const MAX_MERGED: usize = 64;

impl Lowerer<'_> {
    pub(super) fn component_schemas(&mut self) {
        let schemas = &self.doc.components.schemas;
        for (name, schema) in schemas {
            let pointer = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            let id = self.reserve(camel(name, "Schema", "T"), pointer.clone());
            self.by_ref.insert(format!("{pointer}"), id);
            // Known before any conversion: references to a nullable schema are
            // `Option`, whichever of the two is converted first.
            if schema.allows_null() || enum_has_null(schema) {
                self.nullable.insert(id);
            }
        }
        for (name, schema) in schemas {
            let pointer = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            let id = self.by_ref[&pointer.to_string()];
            self.define(id, schema, &pointer);
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

    /// Converts a reserved named schema.
    fn define(&mut self, id: TypeId, schema: &Schema, pointer: &Pointer) {
        let kind = self.named_kind(id, schema, pointer);
        if schema.allows_null() || enum_has_null(schema) {
            self.nullable.insert(id);
        }
        let ty = if self.nullable.contains(&id) {
            Ty::Option(Box::new(Ty::Named(id)))
        } else {
            Ty::Named(id)
        };
        if self.examples {
            for (i, value) in schema.rare().examples.iter().enumerate() {
                self.api.examples.push(ExampleCase {
                    pointer: pointer.join("examples").join(i),
                    ty: ty.clone(),
                    value: Ok(value.clone()),
                });
            }
        }
        let def = &mut self.api.types[id.0];
        def.docs = docs(
            schema.rare().title.as_deref(),
            schema.description.as_deref(),
        );
        def.kind = kind;
    }

    fn named_kind(&mut self, id: TypeId, schema: &Schema, pointer: &Pointer) -> TypeKind {
        let name = self.api.ty(id).name.clone();
        if schema.reference.is_none() {
            self.note_any_of_from_items(schema, pointer);
            if let Some(values) = string_enum(schema) {
                return TypeKind::Enum(enumeration(values, &schema.rare().enum_descriptions));
            }
            if let Some(alternatives) = union_alternatives(schema) {
                return self.union(&name, schema, alternatives, pointer);
            }
            if is_object_like(schema) {
                return match self.object(schema, pointer, &mut BTreeSet::new()) {
                    Some(object) => {
                        TypeKind::Struct(self.structure(&name, object, schema, pointer))
                    }
                    None => TypeKind::Alias(Alias::new(self.fallback(pointer))),
                };
            }
        }
        TypeKind::Alias(Alias::new(self.non_null_ty(schema, &name, pointer)))
    }

    /// The Rust type of a schema used in place. `hint` names an inline type
    /// should the schema need one.
    pub(super) fn ty_of(&mut self, schema: &Schema, hint: &str, pointer: &Pointer) -> Ty {
        let ty = self.non_null_ty(schema, hint, pointer);
        if (schema.allows_null() || enum_has_null(schema)) && !matches!(ty, Ty::Option(_)) {
            Ty::Option(Box::new(ty))
        } else {
            ty
        }
    }

    /// Says where a list under `items` was read as `anyOf`: a reading of
    /// the document, which its user should know about.
    fn note_any_of_from_items(&mut self, schema: &Schema, pointer: &Pointer) {
        if schema.rare().any_of_from_items {
            self.sink.warning(
                &pointer.join("items"),
                "a list under `items` without `type: array` constrains nothing in JSON Schema; read as `anyOf` of its schemas",
            );
        }
    }

    fn non_null_ty(&mut self, schema: &Schema, hint: &str, pointer: &Pointer) -> Ty {
        if let Some(reference) = &schema.reference {
            return self.reference(reference, pointer);
        }
        if schema.never {
            return Ty::Json;
        }
        self.note_any_of_from_items(schema, pointer);
        if let Some(value) = &schema.rare().const_value {
            return match value {
                Value::String(_) => Ty::String,
                Value::Bool(_) => Ty::Bool,
                Value::Number(n) if n.is_i64() || n.is_u64() => Ty::I64,
                Value::Number(_) => Ty::F64,
                _ => Ty::Json,
            };
        }
        if let Some(values) = string_enum(schema) {
            let id = self.reserve(camel(hint, "Enum", "T"), pointer.clone());
            self.api.types[id.0].kind =
                TypeKind::Enum(enumeration(values, &schema.rare().enum_descriptions));
            self.api.types[id.0].docs = docs(
                schema.rare().title.as_deref(),
                schema.description.as_deref(),
            );
            return Ty::Named(id);
        }
        if let Some(alternatives) = union_alternatives(schema) {
            let id = self.reserve(camel(hint, "Union", "T"), pointer.clone());
            let name = self.api.ty(id).name.clone();
            let kind = self.union(&name, schema, alternatives, pointer);
            self.api.types[id.0].kind = kind;
            self.api.types[id.0].docs = docs(
                schema.rare().title.as_deref(),
                schema.description.as_deref(),
            );
            return Ty::Named(id);
        }
        // `T or null` written as a one-member `oneOf`/`anyOf`, or a lone `allOf`
        // member (the usual way to put a description beside a `$ref`).
        for (keyword, members) in [
            ("oneOf", &schema.one_of),
            (any_of_keyword(schema), &schema.any_of),
            ("allOf", &schema.all_of),
        ] {
            // An `allOf` member that only annotates (`{}`, `{example: ..}`)
            // constrains nothing: `allOf: [{}, {example: x}]` is any value.
            let non_null: Vec<_> = members
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.is_null_only() && (keyword != "allOf" || constrains(s)))
                .collect();
            if let [(i, only)] = non_null.as_slice()
                && (keyword != "allOf"
                    || (schema.properties.is_empty() && schema.additional_properties.is_none()))
            {
                let inner = self.non_null_ty(only, hint, &pointer.join(keyword).join(i));
                let nullable = members.iter().any(Schema::is_null_only)
                    || (keyword == "allOf" && only.allows_null());
                return if nullable {
                    Ty::Option(Box::new(inner))
                } else {
                    inner
                };
            }
        }
        if is_object_like(schema) {
            return match self.object(schema, pointer, &mut BTreeSet::new()) {
                Some(object) => {
                    let id = self.reserve(camel(hint, "Object", "T"), pointer.clone());
                    let name = self.api.ty(id).name.clone();
                    let structure = self.structure(&name, object, schema, pointer);
                    let def = &mut self.api.types[id.0];
                    def.docs = docs(
                        schema.rare().title.as_deref(),
                        schema.description.as_deref(),
                    );
                    def.kind = TypeKind::Struct(structure);
                    Ty::Named(id)
                }
                None => self.fallback(pointer),
            };
        }
        if !schema.one_of.is_empty()
            || !schema.any_of.is_empty()
            || schema.all_of.iter().any(constrains)
        {
            return self.fallback(pointer);
        }
        let types: Vec<&str> = schema
            .types()
            .into_iter()
            .filter(|t| *t != "null")
            .collect();
        match types.as_slice() {
            [] if schema.items.is_some() => self.array(schema, hint, pointer),
            [] if schema.additional_properties.is_some()
                || !schema.rare().pattern_properties.is_empty() =>
            {
                self.map(schema, hint, pointer)
            }
            [] => Ty::Json,
            ["string"] => match schema.format.as_deref() {
                Some("binary") => Ty::Bytes,
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                Some("uuid") => Ty::Uuid,
                _ => Ty::String,
            },
            ["boolean"] => Ty::Bool,
            ["integer"] => {
                if schema.enum_values.is_some() {
                    // Integer enums stay integers: a value added later still decodes.
                    return Ty::I64;
                }
                match schema.format.as_deref() {
                    Some("int8" | "int16" | "int32") => Ty::I32,
                    Some("uint8" | "uint16" | "uint32") => Ty::U32,
                    Some("uint" | "uint64") => Ty::U64,
                    _ => Ty::I64,
                }
            }
            ["number"] => match schema.format.as_deref() {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            },
            ["array"] => self.array(schema, hint, pointer),
            ["object"] => self.map(schema, hint, pointer),
            _ => self.fallback(pointer),
        }
    }

    fn array(&mut self, schema: &Schema, hint: &str, pointer: &Pointer) -> Ty {
        if !schema.rare().prefix_items.is_empty() && schema.items.as_ref().is_none_or(|i| i.never) {
            let items = schema
                .rare()
                .prefix_items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    self.ty_of(
                        item,
                        &format!("{hint}{i}"),
                        &pointer.join("prefixItems").join(i),
                    )
                })
                .collect();
            return Ty::Tuple(items);
        }
        match &schema.items {
            Some(items) if !items.never => {
                let ty = self.ty_of(items, &format!("{hint}Item"), &pointer.join("items"));
                Ty::Vec(Box::new(ty))
            }
            _ => Ty::Vec(Box::new(Ty::Json)),
        }
    }

    fn map(&mut self, schema: &Schema, hint: &str, pointer: &Pointer) -> Ty {
        if let Some(values) = schema.additional_properties.as_ref().filter(|v| !v.never) {
            let ty = self.ty_of(
                values,
                &format!("{hint}Value"),
                &pointer.join("additionalProperties"),
            );
            return Ty::Map(Box::new(ty));
        }
        if let Some((pattern, values)) = schema.rare().pattern_properties.iter().next() {
            let at = pointer.join("patternProperties").join(pattern);
            let ty = self.ty_of(values, &format!("{hint}Value"), &at);
            return Ty::Map(Box::new(ty));
        }
        Ty::Map(Box::new(Ty::Json))
    }

    /// A `$ref` to a schema anywhere: a component, another place in the
    /// document, or another file beside it.
    pub(super) fn reference(&mut self, reference: &str, pointer: &Pointer) -> Ty {
        let canonical = match reference.split_once('#') {
            Some(("", fragment)) if self.base.is_empty() => format!("#{fragment}"),
            _ => String::new(),
        };
        let known = self.by_ref.get(&canonical).copied();
        let id = match known {
            Some(id) => id,
            None => match self.documents.schema(&self.base.clone(), reference) {
                Ok(found) => match self.by_ref.get(&found.key) {
                    Some(id) => *id,
                    None => {
                        // A whole file (`models/account.yml`) is named after it.
                        let name = found.pointer.segments().last().unwrap_or_else(|| {
                            let file = found.file.rsplit('/').next().unwrap_or_default();
                            file.split('.').next().unwrap_or_default().to_owned()
                        });
                        let id = self.reserve(camel(&name, "Schema", "T"), found.pointer.clone());
                        self.by_ref.insert(found.key.clone(), id);
                        let outer = std::mem::replace(&mut self.base, found.file.clone());
                        self.define(id, &found.schema, &found.pointer);
                        self.base = outer;
                        id
                    }
                },
                Err(Unresolved::Dangling(why)) => {
                    self.sink
                        .warning(&pointer.join("$ref"), format!("{why}; typed as any JSON"));
                    return self.fallback(pointer);
                }
                Err(Unresolved::Unreadable(why)) => {
                    self.sink.error(&pointer.join("$ref"), why);
                    return Ty::Json;
                }
            },
        };
        if self.nullable.contains(&id) {
            Ty::Option(Box::new(Ty::Named(id)))
        } else {
            Ty::Named(id)
        }
    }

    /// Gathers properties from the schema and its `allOf` members (following
    /// references). `None` when a member is not an object.
    /// Merges `allOf` members (following `$ref`s) and own properties into one
    /// object; `None` when a member is not an object.
    fn object(
        &mut self,
        schema: &Schema,
        pointer: &Pointer,
        seen: &mut BTreeSet<String>,
    ) -> Option<Object> {
        if let Some(reference) = &schema.reference {
            let found = self.documents.schema(&self.base.clone(), reference).ok()?;
            if string_enum(&found.schema).is_some() || union_alternatives(&found.schema).is_some() {
                return None;
            }
            if !seen.insert(found.key.clone()) {
                return Some(Object::default());
            }
            if seen.len() > MAX_MERGED {
                self.sink.error(
                    pointer,
                    format!("`allOf` merges more than {MAX_MERGED} schemas through `$ref`s here; a chain this long is not supported"),
                );
                return None;
            }
            let outer = std::mem::replace(&mut self.base, found.file.clone());
            let part = self.object(&found.schema, &found.pointer, seen);
            self.base = outer;
            return part;
        }
        let mut object = Object::default();
        for (i, member) in schema.all_of.iter().enumerate() {
            let at = pointer.join("allOf").join(i);
            let mergeable = member.reference.is_some()
                || member
                    .types()
                    .iter()
                    .all(|t| *t == "object" || *t == "null")
                    && (member.one_of.is_empty() && member.any_of.is_empty()
                        || !member.properties.is_empty());
            if member.is_null_only() {
                continue;
            }
            if !mergeable {
                return None;
            }
            let part = self.object(member, &at, seen)?;
            object.properties.extend(part.properties);
            object.required.extend(part.required);
            if part.additional.is_some() {
                object.additional = part.additional;
            }
        }
        // `oneOf`/`anyOf` beside properties usually only constrain which of them
        // are required; the struct keeps every property optional as declared.
        for (wire, property) in &schema.properties {
            let at = pointer.join("properties").join(wire);
            object
                .properties
                .insert(wire.clone(), ((**property).clone(), at));
        }
        object.required.extend(schema.required.iter().cloned());
        if let Some(additional) = schema
            .additional_properties
            .as_ref()
            .filter(|a| !a.never && has_type_info(a))
        {
            object.additional =
                Some(((**additional).clone(), pointer.join("additionalProperties")));
        }
        Some(object)
    }

    fn structure(
        &mut self,
        parent: &str,
        object: Object,
        schema: &Schema,
        pointer: &Pointer,
    ) -> Struct {
        let mut names = Scope::new();
        let mut fields = Vec::with_capacity(object.properties.len());
        for (wire, (property, at)) in &object.properties {
            let hint = format!("{parent}{}", camel(wire, "Field", "F"));
            let ty = self.ty_of(property, &hint, at);
            fields.push(Field {
                wire: wire.clone(),
                rust: names.take(snake(wire, "field")),
                ty,
                required: object.required.contains(wire),
                three_state: false,
                boxed: false,
                docs: docs(
                    property.rare().title.as_deref(),
                    property.description.as_deref(),
                ),
            });
        }
        for wire in &object.required {
            if !object.properties.contains_key(wire) {
                self.sink.warning(
                    &pointer.join("required"),
                    format!("`{wire}` is required but not among the properties; ignored"),
                );
            }
        }
        let additional = object.additional.map(|(values, at)| {
            let ty = self.ty_of(&values, &format!("{parent}Value"), &at);
            (names.take("additional_properties".to_owned()), ty)
        });
        let envelope = schema
            .rare()
            .envelope
            .as_ref()
            .and_then(|ext| self.envelope(ext, &fields, pointer));
        let associations = schema
            .rare()
            .associations
            .iter()
            .filter_map(|(wire, ext)| {
                let at = pointer.join("x-oxgen-associations").join(wire);
                self.association(wire, ext, &fields, &at)
            })
            .collect();
        Struct {
            fields,
            additional,
            envelope,
            associations,
            default: false,
        }
    }

    fn association(
        &mut self,
        wire: &str,
        ext: &crate::openapi::AssociationExtension,
        fields: &[Field],
        at: &Pointer,
    ) -> Option<Association> {
        let (id, many) = match (&ext.id, &ext.ids) {
            (Some(id), None) => (id, false),
            (None, Some(ids)) => (ids, true),
            _ => {
                self.sink.error(
                    at,
                    "an association needs either `id` (a property holding one id) or `ids` (a list of ids)",
                );
                return None;
            }
        };
        let Some((field, _)) = indexed(fields).find(|(_, f)| f.wire == *id) else {
            self.sink
                .error(at, format!("`{id}` is not a property of this schema"));
            return None;
        };
        let fits = match fields[field].ty.unoption() {
            Ty::String => !many,
            Ty::Vec(item) => many && *item.unoption() == Ty::String,
            _ => false,
        };
        if !fits {
            let expected = if many {
                "a list of strings"
            } else {
                "a string"
            };
            self.sink.error(
                at,
                format!("`{id}` must be {expected} to name associated objects by id"),
            );
            return None;
        }
        Some(Association {
            wire: wire.to_owned(),
            field,
            many,
            map: ext.map.clone(),
        })
    }

    fn envelope(
        &mut self,
        ext: &crate::openapi::EnvelopeExtension,
        fields: &[Field],
        pointer: &Pointer,
    ) -> Option<Envelope> {
        let at = pointer.join("x-oxgen-envelope").join("results");
        let Some((results, _)) = indexed(fields).find(|(_, f)| f.wire == ext.results) else {
            self.sink.error(
                &at,
                format!("`{}` is not a property of this schema", ext.results),
            );
            return None;
        };
        let reference = match fields[results].ty.unoption() {
            Ty::Vec(item) => match item.unoption() {
                Ty::Named(id) => Some(*id),
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
                format!(
                    "`{}` must be an array of a named schema with required string properties `key` and `id`",
                    ext.results
                ),
            );
            return None;
        };
        let mut accessors = Scope::new();
        let lists = indexed(fields)
            .filter_map(|(field, f)| match f.ty.unoption() {
                Ty::Map(value) if matches!(value.unoption(), Ty::Named(_)) => Some(EnvelopeList {
                    field,
                    value: value.as_ref().clone(),
                    accessor: accessors.take(snake(&format!("result_{}", f.wire), "result")),
                }),
                _ => None,
            })
            .collect();
        Some(Envelope {
            results,
            key_field,
            id_field,
            lists,
            links: Vec::new(),
        })
    }

    fn union(
        &mut self,
        parent: &str,
        schema: &Schema,
        alternatives: Vec<(String, usize, &Schema)>,
        pointer: &Pointer,
    ) -> TypeKind {
        let mut names = Scope::new();
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut all_refs = true;
        let siblings: Vec<&Schema> = alternatives.iter().map(|(_, _, s)| *s).collect();
        for (keyword, i, alternative) in alternatives {
            let at = pointer.join(&keyword).join(i);
            let suggested = match &alternative.reference {
                Some(reference) => reference
                    .rsplit('/')
                    .next()
                    .map(|last| camel(last, "Variant", "V")),
                None => distinguishing_name(alternative, &siblings),
            }
            .map(|name| without_prefix(&name, parent));
            all_refs &= alternative.reference.is_some();
            let hint = format!(
                "{parent}{}",
                suggested.clone().unwrap_or_else(|| format!("Variant{i}"))
            );
            let ty = self.ty_of(alternative, &hint, &at).unoption().clone();
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            let name = suggested
                .unwrap_or_else(|| without_prefix(&variant_name(&self.api, &ty, i), parent));
            let tag_values = alternative
                .reference
                .as_ref()
                .and_then(|r| r.rsplit('/').next())
                .map(|last| vec![last.to_owned()])
                .unwrap_or_default();
            variants.push(UnionVariant {
                rust: names.take(name),
                ty,
                boxed: false,
                members: Vec::new(),
                tag_values,
            });
        }
        // Untagged decoding tries variants in order: specific shapes first,
        // catch-alls (maps, any JSON) last.
        variants.sort_by_key(|v| variant_rank(&v.ty));
        let tag = match &schema.rare().discriminator {
            Some(discriminator) if all_refs => {
                if discriminator.default_mapping.is_some() {
                    self.sink.warning(
                        &pointer.join("discriminator").join("defaultMapping"),
                        "not used: a value the mapping does not name decodes as the `Unknown` \
                         variant, with its JSON",
                    );
                }
                if !discriminator.mapping.is_empty() {
                    for variant in &mut variants {
                        variant.tag_values.clear();
                    }
                    for (value, target) in &discriminator.mapping {
                        let target_last = target.rsplit('/').next().unwrap_or(target);
                        let by_ref = variants.iter().position(|v| {
                            matches!(&v.ty, Ty::Named(id) if self.api.ty(*id).pointer.segments().last().as_deref() == Some(target_last))
                        });
                        if let Some(i) = by_ref {
                            variants[i].tag_values.push(value.clone());
                        }
                    }
                }
                Some(Tag {
                    property: discriminator.property_name.clone(),
                    other: names.take("Unknown".to_owned()),
                })
            }
            _ => None,
        };
        TypeKind::Union(Union { variants, tag })
    }
}

/// A name for an inline alternative of a union from what tells it apart
/// from the others: its `title`; else a property fixed to one string (a
/// `const`, or an `enum` of one value, such as `type: wait_timer`); else a
/// property no other alternative declares, required ones first. `None` when
/// nothing does, and the alternative is numbered.
fn distinguishing_name(alternative: &Schema, siblings: &[&Schema]) -> Option<String> {
    let named = |text: &str| Some(camel(text, "Variant", "V"));
    if let Some(title) = alternative
        .rare()
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        return named(title);
    }
    let fixed = |schema: &Schema| -> Option<String> {
        let value = match (&schema.rare().const_value, &schema.enum_values) {
            (Some(value), _) => value,
            (None, Some(values)) if values.len() == 1 => &values[0],
            _ => return None,
        };
        value.as_str().map(str::to_owned)
    };
    if let Some(value) = alternative.properties.values().find_map(|p| fixed(p)) {
        return named(&value);
    }
    let others_declare = |property: &String| {
        siblings
            .iter()
            .filter(|s| !std::ptr::eq(**s, alternative))
            .any(|s| s.properties.contains_key(property))
    };
    let unique = |p: &&String| alternative.properties.contains_key(*p) && !others_declare(p);
    alternative
        .required
        .iter()
        .find(unique)
        .or_else(|| alternative.properties.keys().find(unique))
        .and_then(|p| named(p))
}

/// `name` without the union's own name in front (`PetCat` in `Pet` is
/// `Cat`), unless nothing would be left.
fn without_prefix(name: &str, union: &str) -> String {
    match name.strip_prefix(union) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_owned(),
        _ => name.to_owned(),
    }
}

fn variant_name(api: &Api, ty: &Ty, index: usize) -> String {
    match ty {
        Ty::Bool => "Boolean".into(),
        Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::String => "String".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Vec(_) | Ty::Tuple(_) => "Array".into(),
        Ty::Map(_) => "Object".into(),
        Ty::Json => "Value".into(),
        Ty::Named(id) => api.ty(*id).name.clone(),
        Ty::Option(_) => format!("Variant{index}"),
    }
}

fn variant_rank(ty: &Ty) -> u8 {
    match ty {
        Ty::Bool => 0,
        Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => 1,
        Ty::F32 | Ty::F64 => 2,
        // A string of a format first: a plain string would take its values.
        Ty::DateTime | Ty::Date | Ty::Uuid => 3,
        Ty::String | Ty::Bytes => 4,
        Ty::Named(_) | Ty::Option(_) => 5,
        Ty::Vec(_) | Ty::Tuple(_) => 6,
        Ty::Map(_) => 7,
        Ty::Json => 8,
    }
}

/// The alternatives of a union: `oneOf`/`anyOf` members other than `null`,
/// or the non-null types of a multi-type `type`. `None` unless there are two
/// or more.
fn union_alternatives(schema: &Schema) -> Option<Vec<(String, usize, &Schema)>> {
    for (keyword, members) in [
        ("oneOf", &schema.one_of),
        (any_of_keyword(schema), &schema.any_of),
    ] {
        let alternatives: Vec<_> = members
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_null_only())
            .map(|(i, s)| (keyword.to_owned(), i, s))
            .collect();
        if alternatives.len() >= 2 && schema.properties.is_empty() {
            return Some(alternatives);
        }
    }
    None
}

/// Where a schema's `anyOf` members stand in the document: under `items`
/// when the document listed them there (see `Rare::any_of_from_items`).
fn any_of_keyword(schema: &Schema) -> &'static str {
    if schema.rare().any_of_from_items {
        "items"
    } else {
        "anyOf"
    }
}

/// A schema that becomes a struct: it has properties, or merges several
/// `allOf` members.
fn is_object_like(schema: &Schema) -> bool {
    !schema.properties.is_empty() || schema.all_of.iter().filter(|s| constrains(s)).count() > 1
}

/// Whether a schema says anything about the value's shape, rather than only
/// annotating it (`description`, `title`, `example`, `default`, `format`,
/// `nullable`, `readOnly`, ...).
fn constrains(schema: &Schema) -> bool {
    let rare = schema.rare();
    schema.reference.is_some()
        || schema.kind.is_some()
        || schema.never
        || !schema.properties.is_empty()
        || !schema.required.is_empty()
        || schema.additional_properties.is_some()
        || schema.items.is_some()
        || schema.enum_values.is_some()
        || !schema.one_of.is_empty()
        || !schema.any_of.is_empty()
        || !schema.all_of.is_empty()
        || rare.const_value.is_some()
        || !rare.prefix_items.is_empty()
        || !rare.pattern_properties.is_empty()
        || rare.discriminator.is_some()
}

/// Whether `additionalProperties` says more than "anything" (`true`, `{}`).
fn has_type_info(schema: &Schema) -> bool {
    schema.reference.is_some()
        || schema.kind.is_some()
        || !schema.properties.is_empty()
        || !schema.one_of.is_empty()
        || !schema.any_of.is_empty()
        || !schema.all_of.is_empty()
        || schema.enum_values.is_some()
}

pub(super) fn string_enum(schema: &Schema) -> Option<Vec<&str>> {
    let values = schema.enum_values.as_ref()?;
    let strings: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
    let non_null = values.iter().filter(|v| !v.is_null()).count();
    (!strings.is_empty() && strings.len() == non_null).then_some(strings)
}

fn enum_has_null(schema: &Schema) -> bool {
    schema
        .enum_values
        .as_ref()
        .is_some_and(|values| values.iter().any(Value::is_null))
}

fn enumeration(values: Vec<&str>, descriptions: &[String]) -> Enum {
    let mut names = Scope::new();
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .enumerate()
        .filter(|(_, wire)| seen.insert(**wire))
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
