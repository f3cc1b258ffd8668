//! A typed, permissive model of OpenAPI 3.0 and 3.1 documents.
//!
//! Only what the generator reads is modelled; unknown keys are ignored so that
//! vendor extensions and newer keywords never make a document unreadable. Maps
//! are `BTreeMap` so that everything derived from them is independent of the
//! order of keys in the input.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
pub struct OpenApi {
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
}

#[derive(Debug, Default, Deserialize)]
pub struct Components {
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    #[serde(default, rename = "requestBodies")]
    pub request_bodies: BTreeMap<String, RequestBody>,
    #[serde(default, rename = "securitySchemes")]
    pub security_schemes: BTreeMap<String, SecurityScheme>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PathItem {
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    pub get: Option<Operation>,
    pub put: Option<Operation>,
    pub post: Option<Operation>,
    pub delete: Option<Operation>,
    pub options: Option<Operation>,
    pub head: Option<Operation>,
    pub patch: Option<Operation>,
    pub trace: Option<Operation>,
}

impl PathItem {
    /// The operations of this path, with their method's wire name, in a fixed order.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("options", &self.options),
            ("head", &self.head),
            ("patch", &self.patch),
            ("trace", &self.trace),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    }
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    #[serde(default, rename = "operationId")]
    pub operation_id: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default, rename = "requestBody")]
    pub request_body: Option<RequestBody>,
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub security: Option<Vec<BTreeMap<String, Vec<String>>>>,
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
    pub deprecated: bool,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub explode: Option<bool>,
    #[serde(default)]
    pub schema: Option<Schema>,
}

#[derive(Debug, Deserialize)]
pub struct RequestBody {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
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

#[derive(Debug, Deserialize)]
pub struct MediaType {
    #[serde(default)]
    pub schema: Option<Schema>,
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "SchemaOrBool")]
pub struct Schema {
    pub reference: Option<String>,
    pub kind: Option<SchemaType>,
    pub format: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub nullable: bool,
    pub properties: BTreeMap<String, Schema>,
    pub required: Vec<String>,
    pub additional_properties: Option<Box<Schema>>,
    pub items: Option<Box<Schema>>,
    pub enum_values: Option<Vec<Value>>,
    pub enum_descriptions: Vec<String>,
    pub one_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub all_of: Vec<Schema>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// `x-oxgen-envelope`: marks a sideloading envelope (see `ir::Envelope`).
    pub envelope: Option<EnvelopeExtension>,
    /// `false`: a schema no value matches.
    pub never: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnvelopeExtension {
    /// The property that lists `{key, id}` references in order.
    pub results: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SchemaOrBool {
    Bool(bool),
    Object(Box<RawSchema>),
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
    properties: BTreeMap<String, Schema>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default, rename = "additionalProperties")]
    additional_properties: Option<Box<Schema>>,
    #[serde(default)]
    items: Option<Box<Schema>>,
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
    #[serde(default)]
    deprecated: bool,
    #[serde(default, rename = "readOnly")]
    read_only: bool,
    #[serde(default, rename = "writeOnly")]
    write_only: bool,
    #[serde(default, rename = "x-oxgen-envelope")]
    envelope: Option<EnvelopeExtension>,
}

impl From<SchemaOrBool> for Schema {
    fn from(raw: SchemaOrBool) -> Self {
        match raw {
            SchemaOrBool::Bool(any) => Schema {
                never: !any,
                ..Schema::default()
            },
            SchemaOrBool::Object(raw) => {
                let raw = *raw;
                Schema {
                    reference: raw.reference,
                    kind: raw.kind,
                    format: raw.format,
                    title: raw.title,
                    description: raw.description,
                    nullable: raw.nullable,
                    properties: raw.properties,
                    required: raw.required,
                    additional_properties: raw.additional_properties,
                    items: raw.items,
                    enum_values: raw.enum_values,
                    enum_descriptions: raw.enum_descriptions,
                    one_of: raw.one_of,
                    any_of: raw.any_of,
                    all_of: raw.all_of,
                    deprecated: raw.deprecated,
                    read_only: raw.read_only,
                    write_only: raw.write_only,
                    envelope: raw.envelope,
                    never: false,
                }
            }
        }
    }
}

impl Schema {
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
