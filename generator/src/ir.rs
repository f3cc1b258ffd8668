//! The intermediate representation: what to generate, with every Rust name
//! decided and every wire name kept beside it. Types live in an arena indexed
//! by `TypeId`, so references (cycles included) are plain ids.

use crate::diagnostics::Pointer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

#[derive(Debug, Default)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    pub base_url: Option<String>,
    pub auth: Auth,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// Schemas that became untyped JSON because no better type was found.
    pub fallbacks: Vec<Pointer>,
}

impl Api {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum Auth {
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer,
}

#[derive(Debug)]
pub struct TypeDef {
    pub name: String,
    /// Where the schema stands in the document.
    pub pointer: Pointer,
    pub docs: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug)]
pub enum TypeKind {
    /// Reserved id whose conversion has not run yet.
    Pending,
    Struct(Struct),
    Enum(Enum),
    /// A named schema that is just another type (`type Id = String`).
    Alias(Ty),
}

#[derive(Debug)]
pub struct Struct {
    pub fields: Vec<Field>,
    pub envelope: Option<Envelope>,
}

#[derive(Debug)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    pub docs: Option<String>,
}

impl Field {
    /// The field's Rust type: optional fields are `Option`, and so are nullable ones.
    pub fn rust_ty(&self) -> Ty {
        if self.required || matches!(self.ty, Ty::Option(_)) {
            self.ty.clone()
        } else {
            Ty::Option(Box::new(self.ty.clone()))
        }
    }
}

/// A string enum. Unknown values land in a catch-all variant, so a value the
/// server adds later does not break decoding.
#[derive(Debug)]
pub struct Enum {
    pub variants: Vec<Variant>,
    /// The catch-all variant's name.
    pub other: String,
}

#[derive(Debug)]
pub struct Variant {
    pub wire: String,
    pub rust: String,
    pub docs: Option<String>,
}

/// A response envelope that lists objects by `{key, id}` and holds them in maps
/// keyed by id (`x-oxgen-envelope`).
#[derive(Debug)]
pub struct Envelope {
    /// Index of the field listing the references.
    pub results: usize,
    /// The reference type's Rust field names for `key` and `id`.
    pub key_field: String,
    pub id_field: String,
    /// Map fields (index) whose entries `results` may point at, with the
    /// accessor's name.
    pub lists: Vec<(usize, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    /// Any JSON value.
    Json,
    Named(TypeId),
    Vec(Box<Ty>),
    /// A JSON object with arbitrary keys.
    Map(Box<Ty>),
    Option(Box<Ty>),
}

#[derive(Debug)]
pub struct Operation {
    pub rust_name: String,
    pub operation_id: Option<String>,
    pub method: String,
    pub path_template: String,
    pub path: Vec<PathPart>,
    /// Path parameters, in the order the template names them.
    pub path_params: Vec<Param>,
    /// Query, header and cookie parameters: the fields of the params struct.
    pub params: Vec<Param>,
    pub params_struct: Option<String>,
    pub body: Option<Body>,
    pub responses: Vec<ResponseCase>,
    /// The body type of success statuses (`None`: no body).
    pub success: Option<Ty>,
    /// The body type of error statuses, `E` of `Error<E>` (`None`: no body).
    pub error: Option<Ty>,
    pub docs: Option<String>,
    pub deprecated: bool,
    pub pointer: Pointer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `path_params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug)]
pub struct Param {
    pub wire: String,
    pub rust: String,
    pub location: Location,
    pub required: bool,
    pub ty: Ty,
    /// `false` for `style: form, explode: false` lists (`a=1,2`).
    pub explode: bool,
    pub docs: Option<String>,
}

#[derive(Debug)]
pub struct Body {
    pub rust: String,
    pub ty: Ty,
    pub content_type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}

#[derive(Debug)]
pub struct ResponseCase {
    pub status: StatusMatch,
    /// The decoded body's type; `None` for no (JSON) content.
    pub ty: Option<Ty>,
    pub description: Option<String>,
}

impl ResponseCase {
    pub fn is_success(&self) -> bool {
        match self.status {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(hundreds) => hundreds == 2,
            StatusMatch::Default => false,
        }
    }
}
