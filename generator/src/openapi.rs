//! A typed, permissive model of OpenAPI 3.0 and 3.1 documents.
//!
//! Only what the generator reads is modelled; unknown keys are ignored so that
//! vendor extensions and newer keywords never make a document unreadable. Maps
//! are `BTreeMap` so that everything derived from them is independent of the
//! order of keys in the input.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::Pointer;

#[derive(Debug, Deserialize)]
pub struct OpenApi {
    /// Read so that a document without it is refused; the version itself is
    /// checked on the raw document.
    #[allow(dead_code)]
    pub openapi: String,
    #[serde(default)]
    pub info: Info,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub paths: BTreeMap<String, PathItem>,
    #[serde(default)]
    pub components: Components,
    #[serde(default)]
    pub security: Vec<BTreeMap<String, Vec<String>>>,
    /// OpenAPI 3.2: the document's own URI, a base for its references.
    #[serde(default, rename = "$self")]
    pub self_uri: Option<String>,
}

impl OpenApi {
    /// Replaces each media type given by reference (OpenAPI 3.2) with the
    /// entry of `#/components/mediaTypes` it names. Returns the references that name
    /// none, with their pointers; those media types are left out.
    pub fn resolve_media_types(&mut self) -> Vec<(Pointer, String)> {
        let components = std::mem::take(&mut self.components.media_types);
        let mut dangling = Vec::new();
        let mut resolve = |content: &mut BTreeMap<String, MediaType>, at: Pointer| {
            content.retain(|name, media| {
                let Some(reference) = &media.reference else {
                    return true;
                };
                let found = reference
                    .strip_prefix("#/components/mediaTypes/")
                    .and_then(|name| components.get(name))
                    .filter(|found| found.reference.is_none());
                match found {
                    Some(found) => {
                        *media = found.clone();
                        true
                    }
                    None => {
                        let at = at.join("content").join(name).join("$ref");
                        dangling.push((at, reference.clone()));
                        false
                    }
                }
            });
        };
        for (path, item) in &mut self.paths {
            let at = Pointer::root().join("paths").join(path);
            for (i, parameter) in item.parameters.iter_mut().enumerate() {
                resolve(&mut parameter.content, at.join("parameters").join(i));
            }
            for (at, op) in item.every_operation_mut(&at) {
                for (i, parameter) in op.parameters.iter_mut().enumerate() {
                    resolve(&mut parameter.content, at.join("parameters").join(i));
                }
                if let Some(body) = &mut op.request_body {
                    resolve(&mut body.content, at.join("requestBody"));
                }
                for (status, response) in &mut op.responses {
                    resolve(&mut response.content, at.join("responses").join(status));
                }
            }
        }
        let at = Pointer::root().join("components");
        for (name, parameter) in &mut self.components.parameters {
            resolve(&mut parameter.content, at.join("parameters").join(name));
        }
        for (name, body) in &mut self.components.request_bodies {
            resolve(&mut body.content, at.join("requestBodies").join(name));
        }
        for (name, response) in &mut self.components.responses {
            resolve(&mut response.content, at.join("responses").join(name));
        }
        self.components.media_types = components;
        dangling
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Deserialize)]
pub struct Server {
    pub url: String,
    #[serde(default)]
    pub variables: BTreeMap<String, ServerVariable>,
}

#[derive(Debug, Deserialize)]
pub struct ServerVariable {
    #[serde(default)]
    pub default: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Components {
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    #[serde(default, deserialize_with = "scalar_keys")]
    pub responses: BTreeMap<String, Response>,
    #[serde(default, rename = "requestBodies")]
    pub request_bodies: BTreeMap<String, RequestBody>,
    #[serde(default, rename = "securitySchemes")]
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    #[serde(default)]
    pub examples: BTreeMap<String, Example>,
    /// OpenAPI 3.2: media types that `content` entries refer to.
    #[serde(default, rename = "mediaTypes")]
    pub media_types: BTreeMap<String, MediaType>,
}

/// An Example Object, or a `$ref` to one.
#[derive(Debug, Clone, Deserialize)]
pub struct Example {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    /// The example (`value`, or OpenAPI 3.2's `dataValue`: the value as
    /// data, before serialization).
    #[serde(default, alias = "dataValue")]
    pub value: Option<Value>,
    #[serde(default, rename = "externalValue")]
    pub external_value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PathItem {
    /// A path item given by reference: inlined before the model is read
    /// (see `bundle`), so only seen to decide that.
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Kept as JSON and read leniently: a malformed entry is a warning.
    #[serde(default)]
    pub servers: Value,
    pub get: Option<Operation>,
    pub put: Option<Operation>,
    pub post: Option<Operation>,
    pub delete: Option<Operation>,
    pub options: Option<Operation>,
    pub head: Option<Operation>,
    pub patch: Option<Operation>,
    pub trace: Option<Operation>,
    /// OpenAPI 3.2: the `QUERY` method.
    pub query: Option<Operation>,
    /// OpenAPI 3.2: operations of other methods, by the method's name as
    /// sent (case-sensitive).
    #[serde(default, rename = "additionalOperations")]
    pub additional_operations: BTreeMap<String, Operation>,
}

/// The methods a Path Item has operations for, as members, in a fixed order.
pub const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

impl PathItem {
    /// The operations of this path's method members, with the member's
    /// name, in the order of [`METHODS`] (see also
    /// [`PathItem::additional_operations`]).
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        let operations = [
            &self.get,
            &self.put,
            &self.post,
            &self.delete,
            &self.options,
            &self.head,
            &self.patch,
            &self.trace,
            &self.query,
        ];
        METHODS
            .into_iter()
            .zip(operations)
            .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    }

    /// Every operation of this path, of method members and
    /// `additionalOperations` alike.
    pub fn every_operation(&self) -> impl Iterator<Item = &Operation> {
        self.operations()
            .map(|(_, op)| op)
            .chain(self.additional_operations.values())
    }

    /// Leaves out the operation of `method` (one of [`METHODS`]).
    pub fn remove(&mut self, method: &str) {
        let (fixed, _) = self.operations_mut();
        if let Some((_, operation)) = fixed.into_iter().find(|(m, _)| *m == method) {
            *operation = None;
        }
    }

    /// Every operation of this path with where it stands below `at`, the
    /// path's pointer (`get`, `additionalOperations/LINK`).
    pub fn every_operation_mut(&mut self, at: &Pointer) -> Vec<(Pointer, &mut Operation)> {
        let (fixed, additional) = self.operations_mut();
        let fixed = fixed
            .into_iter()
            .filter_map(|(method, op)| Some((at.join(method), op.as_mut()?)));
        let additional = additional
            .iter_mut()
            .map(|(method, op)| (at.join("additionalOperations").join(method), op));
        fixed.chain(additional).collect()
    }

    /// The method members with their names, in the order of [`METHODS`],
    /// and `additionalOperations`.
    fn operations_mut(&mut self) -> ([MethodSlot<'_>; 9], &mut BTreeMap<String, Operation>) {
        let [get, put, post, delete, options, head, patch, trace, query] = METHODS;
        let fixed = [
            (get, &mut self.get),
            (put, &mut self.put),
            (post, &mut self.post),
            (delete, &mut self.delete),
            (options, &mut self.options),
            (head, &mut self.head),
            (patch, &mut self.patch),
            (trace, &mut self.trace),
            (query, &mut self.query),
        ];
        (fixed, &mut self.additional_operations)
    }
}

/// A method member of a path item, by its name.
type MethodSlot<'a> = (&'static str, &'a mut Option<Operation>);

#[derive(Debug, Deserialize)]
pub struct Operation {
    /// An operation given by reference (see [`PathItem::reference`]).
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default, rename = "operationId")]
    pub operation_id: Option<String>,
    /// Kept as JSON: only the strings in it are used, so odd values do not
    /// stop generation.
    #[serde(default)]
    pub tags: Value,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Kept as JSON and read leniently: a malformed entry is a warning.
    #[serde(default)]
    pub servers: Value,
    #[serde(default, rename = "requestBody")]
    pub request_body: Option<RequestBody>,
    #[serde(default, deserialize_with = "scalar_keys")]
    pub responses: BTreeMap<String, Response>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub security: Option<Vec<BTreeMap<String, Vec<String>>>>,
    #[serde(default, rename = "x-oxgen-paging")]
    pub paging: Option<PagingExtension>,
}

// Parameters, request bodies and responses may be `$ref`s. The reference is a
// field of the object rather than an untagged enum, so that a mistake inside
// an object is reported with its own message and position.

#[derive(Debug, Deserialize)]
pub struct Parameter {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "in")]
    pub location: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub explode: Option<bool>,
    #[serde(default, rename = "allowReserved")]
    pub allow_reserved: bool,
    #[serde(default)]
    pub schema: Option<Box<Schema>>,
    /// The alternative to `schema`: one media type with its schema.
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default)]
    pub examples: BTreeMap<String, Example>,
}

#[derive(Debug, Deserialize)]
pub struct RequestBody {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
}

#[derive(Debug, Deserialize)]
pub struct Response {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MediaType {
    /// OpenAPI 3.2: a media type given by reference to
    /// `#/components/mediaTypes` (see [`OpenApi::resolve_media_types`]).
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub schema: Option<Box<Schema>>,
    /// The schema of each item of a sequential media type (OpenAPI 3.2).
    #[serde(default, rename = "itemSchema")]
    pub item_schema: Option<Box<Schema>>,
    /// OpenAPI 3.2: how the parts of a multipart sequence are encoded.
    #[serde(default, rename = "itemEncoding")]
    pub item_encoding: Option<Value>,
    #[serde(default, rename = "prefixEncoding")]
    pub prefix_encoding: Option<Value>,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default)]
    pub examples: BTreeMap<String, Example>,
    /// How the properties of a form body are encoded, by property name.
    #[serde(default)]
    pub encoding: BTreeMap<String, Encoding>,
}

/// An `encoding` entry of a media type; only `style` and `explode` are used
/// (for `application/x-www-form-urlencoded`).
#[derive(Debug, Clone, Deserialize)]
pub struct Encoding {
    #[serde(default, rename = "contentType")]
    pub content_type: Option<String>,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub explode: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct SecurityScheme {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub scheme: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "in")]
    pub location: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `type` is a single name in 3.0 and may be a list in 3.1 (`[string, "null"]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SchemaType {
    One(String),
    Many(Vec<String>),
}

/// A JSON Schema as OpenAPI uses it. `true`/`false` schemas (3.1) are read as
/// "any value" / "no value".
///
/// Large documents hold tens of thousands of these, so the
/// keywords few schemas have are boxed together in [`Rare`].
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub reference: Option<String>,
    pub kind: Option<SchemaType>,
    pub format: Option<String>,
    pub description: Option<String>,
    pub nullable: bool,
    /// `false`: a schema no value matches.
    pub never: bool,
    pub properties: BTreeMap<String, Box<Schema>>,
    pub required: Vec<String>,
    pub additional_properties: Option<Box<Schema>>,
    pub items: Option<Box<Schema>>,
    pub enum_values: Option<Vec<Value>>,
    pub one_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub all_of: Vec<Schema>,
    /// `None` when the schema has none of them.
    rare: Option<Box<Rare>>,
}

/// The keywords of a [`Schema`] that most schemas do not have.
#[derive(Debug, Clone, Default)]
pub struct Rare {
    pub title: Option<String>,
    pub enum_descriptions: Vec<String>,
    pub discriminator: Option<Discriminator>,
    pub const_value: Option<Value>,
    pub prefix_items: Vec<Schema>,
    pub pattern_properties: BTreeMap<String, Box<Schema>>,
    /// `x-oxgen-envelope`: marks a sideloading envelope (see `ir::Envelope`).
    pub envelope: Option<EnvelopeExtension>,
    /// `x-oxgen-associations`: the objects this one refers to by id, by name.
    pub associations: BTreeMap<String, AssociationExtension>,
    /// `example`, and the values of `examples` (a list in JSON Schema).
    pub examples: Vec<Value>,
    /// `anyOf` holds what the document wrote as a list under `items` on a
    /// schema with no `type` (see `From<RawSchema> for Schema`).
    pub any_of_from_items: bool,
    /// `contentMediaType`: the media type of a string's content (an event's
    /// JSON data, say), and `contentSchema`, that content's schema.
    pub content_media_type: Option<String>,
    pub content_schema: Option<Box<Schema>>,
}

static NO_RARE: Rare = Rare {
    title: None,
    enum_descriptions: Vec::new(),
    discriminator: None,
    const_value: None,
    prefix_items: Vec::new(),
    pattern_properties: BTreeMap::new(),
    envelope: None,
    associations: BTreeMap::new(),
    examples: Vec::new(),
    any_of_from_items: false,
    content_media_type: None,
    content_schema: None,
};

impl Rare {
    fn is_none(&self) -> bool {
        self.title.is_none()
            && self.enum_descriptions.is_empty()
            && self.discriminator.is_none()
            && self.const_value.is_none()
            && self.prefix_items.is_empty()
            && self.pattern_properties.is_empty()
            && self.envelope.is_none()
            && self.associations.is_empty()
            && self.examples.is_empty()
            && !self.any_of_from_items
            && self.content_media_type.is_none()
            && self.content_schema.is_none()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discriminator {
    #[serde(rename = "propertyName")]
    pub property_name: String,
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// OpenAPI 3.2: the schema of values the mapping does not name.
    #[serde(default, rename = "defaultMapping")]
    pub default_mapping: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnvelopeExtension {
    /// The property that lists `{key, id}` references in order.
    pub results: String,
}

/// One association of an object (`manager: {id: manager_id, in: users}`):
/// the property holding the associated object's id, or (`ids`) a list of ids,
/// and the envelope map the associated objects are in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssociationExtension {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub ids: Option<String>,
    #[serde(rename = "in")]
    pub map: String,
}

/// `x-oxgen-paging` on a list operation: how to ask for a page and how many
/// there are.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PagingExtension {
    /// The query parameter holding the 1-based page number.
    pub page: String,
    /// The query parameter holding the page size.
    pub per_page: String,
    /// The largest page size the server allows; the pager asks for it.
    pub max_per_page: u32,
    /// JSON pointer into the response body to the number of pages.
    pub page_count: String,
    /// What the pages list: an envelope map (its entries that `results`
    /// names) or an array property of the response. Without it, only pages.
    #[serde(default)]
    pub items: Option<String>,
}

/// `true`, `false` or an object. Written by hand rather than as an untagged
/// enum so that a mistake inside a schema keeps its own message and position.
impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SchemaVisitor)
    }
}

struct SchemaVisitor;

impl<'de> serde::de::Visitor<'de> for SchemaVisitor {
    type Value = Schema;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a schema object or a boolean")
    }

    fn visit_bool<E: serde::de::Error>(self, any: bool) -> Result<Schema, E> {
        Ok(Schema {
            never: !any,
            ..Schema::default()
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Schema, A::Error> {
        let raw = RawSchema::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Schema::from(raw))
    }
}

#[derive(Deserialize)]
struct RawSchema {
    #[serde(default, rename = "$ref")]
    reference: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<SchemaType>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    nullable: bool,
    #[serde(default)]
    properties: BTreeMap<String, Box<Schema>>,
    /// Some real documents write `required: true` on a property (Swagger
    /// style); only a list of names means anything in a schema.
    #[serde(default, deserialize_with = "names_or_flag")]
    required: Vec<String>,
    #[serde(default, rename = "additionalProperties")]
    additional_properties: Option<Box<Schema>>,
    /// A schema, or (JSON Schema draft 4) a list of schemas by position.
    #[serde(default)]
    items: Option<Items>,
    #[serde(default, rename = "enum")]
    enum_values: Option<Vec<Value>>,
    #[serde(default, rename = "x-enum-descriptions")]
    enum_descriptions: Vec<String>,
    #[serde(default, rename = "oneOf")]
    one_of: Vec<Schema>,
    #[serde(default, rename = "anyOf")]
    any_of: Vec<Schema>,
    #[serde(default, rename = "allOf")]
    all_of: Vec<Schema>,
    #[serde(default, deserialize_with = "discriminator")]
    discriminator: Option<Discriminator>,
    #[serde(default, rename = "const")]
    const_value: Option<Value>,
    #[serde(default, rename = "prefixItems")]
    prefix_items: Vec<Schema>,
    #[serde(default, rename = "patternProperties")]
    pattern_properties: BTreeMap<String, Box<Schema>>,
    #[serde(default, rename = "x-oxgen-envelope")]
    envelope: Option<EnvelopeExtension>,
    #[serde(default, rename = "x-oxgen-associations")]
    associations: BTreeMap<String, AssociationExtension>,
    #[serde(default)]
    example: Option<Value>,
    #[serde(default)]
    examples: Option<Value>,
    #[serde(default, rename = "contentMediaType")]
    content_media_type: Option<String>,
    #[serde(default, rename = "contentSchema")]
    content_schema: Option<Box<Schema>>,
}

enum Items {
    One(Box<Schema>),
    ByPosition(Vec<Schema>),
}

/// By hand, like `Schema`, so errors inside `items` keep their position.
impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor;
        impl<'de> serde::de::Visitor<'de> for ItemsVisitor {
            type Value = Items;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a schema or a list of schemas")
            }

            fn visit_bool<E: serde::de::Error>(self, any: bool) -> Result<Items, E> {
                SchemaVisitor
                    .visit_bool(any)
                    .map(|schema| Items::One(Box::new(schema)))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Items, A::Error> {
                SchemaVisitor
                    .visit_map(map)
                    .map(|schema| Items::One(Box::new(schema)))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Items, A::Error> {
                let items = Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Items::ByPosition(items))
            }
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
}

impl From<RawSchema> for Schema {
    fn from(mut raw: RawSchema) -> Self {
        // A list under `items` with no `type` (Slack's `latest: {items:
        // [message, null]}`) constrains nothing in JSON Schema, since `items`
        // applies to arrays only; its authors mean "one of these", and
        // reading it so types the value instead of losing it.
        let any_of_from_items = raw.kind.is_none()
            && raw.one_of.is_empty()
            && raw.any_of.is_empty()
            && matches!(raw.items, Some(Items::ByPosition(_)));
        if any_of_from_items && let Some(Items::ByPosition(members)) = raw.items.take() {
            raw.any_of = members;
        }
        let (items, mut prefix_items) = match raw.items {
            Some(Items::One(items)) => (Some(items), Vec::new()),
            Some(Items::ByPosition(items)) => (
                Some(Box::new(Schema {
                    never: true,
                    ..Schema::default()
                })),
                items,
            ),
            None => (None, Vec::new()),
        };
        if prefix_items.is_empty() {
            prefix_items = raw.prefix_items;
        }
        let rare = Rare {
            title: raw.title,
            enum_descriptions: raw.enum_descriptions,
            discriminator: raw.discriminator,
            const_value: raw.const_value,
            prefix_items,
            pattern_properties: raw.pattern_properties,
            envelope: raw.envelope,
            associations: raw.associations,
            examples: raw
                .example
                .into_iter()
                .chain(match raw.examples {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                })
                .collect(),
            any_of_from_items,
            content_media_type: raw.content_media_type,
            content_schema: raw.content_schema,
        };
        Schema {
            reference: raw.reference,
            kind: raw.kind,
            format: raw.format,
            description: raw.description,
            nullable: raw.nullable,
            never: false,
            properties: raw.properties,
            required: fitted(raw.required),
            additional_properties: raw.additional_properties,
            items,
            enum_values: raw.enum_values.map(fitted),
            one_of: fitted(raw.one_of),
            any_of: fitted(raw.any_of),
            all_of: fitted(raw.all_of),
            rare: (!rare.is_none()).then(|| Box::new(rare)),
        }
    }
}

/// `list` without the spare capacity its growth left: a list read from a
/// document grows to at least four elements, which for a two-schema `oneOf`
/// wastes two 280-byte schemas, and large documents have thousands of lists.
fn fitted<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

/// A discriminator object; a bare string (Swagger 2.0 style) names the property.
fn discriminator<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Discriminator>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        Object(Discriminator),
        Name(String),
    }
    Ok(match Option::<Form>::deserialize(deserializer)? {
        Some(Form::Object(d)) => Some(d),
        Some(Form::Name(property_name)) => Some(Discriminator {
            property_name,
            mapping: BTreeMap::new(),
            default_mapping: None,
        }),
        None => None,
    })
}

impl Schema {
    /// The keywords few schemas have (all empty when this one has none).
    pub fn rare(&self) -> &Rare {
        self.rare.as_deref().unwrap_or(&NO_RARE)
    }

    /// The type names this schema allows, `null` included.
    pub fn types(&self) -> Vec<&str> {
        match &self.kind {
            None => Vec::new(),
            Some(SchemaType::One(t)) => vec![t.as_str()],
            Some(SchemaType::Many(ts)) => ts.iter().map(String::as_str).collect(),
        }
    }

    /// Whether `null` is allowed: 3.0's `nullable`, 3.1's `type: [.., "null"]`.
    pub fn allows_null(&self) -> bool {
        self.nullable || self.types().contains(&"null")
    }

    /// `{type: "null"}` alone.
    pub fn is_null_only(&self) -> bool {
        self.reference.is_none() && self.types() == ["null"]
    }
}

fn names_or_flag<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NamesOrFlag {
        Names(Vec<String>),
        Flag(#[allow(dead_code)] bool),
    }
    Ok(match NamesOrFlag::deserialize(deserializer)? {
        NamesOrFlag::Names(names) => names,
        NamesOrFlag::Flag(_) => Vec::new(),
    })
}

/// A map whose keys may be written as YAML numbers (`200:` for a status code).
fn scalar_keys<'de, D, T>(deserializer: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
    #[serde(untagged)]
    enum Key {
        Text(String),
        Number(u64),
    }
    let map = BTreeMap::<Key, T>::deserialize(deserializer)?;
    Ok(map
        .into_iter()
        .map(|(k, v)| match k {
            Key::Text(s) => (s, v),
            Key::Number(n) => (n.to_string(), v),
        })
        .collect())
}
