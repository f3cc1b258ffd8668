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
    /// Odd but usable input, reported beside the output.
    pub warnings: Vec<crate::Diagnostic>,
    /// Example values of the document and the type each should decode into.
    pub examples: Vec<ExampleCase>,
}

#[derive(Debug)]
pub struct ExampleCase {
    pub pointer: Pointer,
    pub ty: Ty,
    /// The value, or why it cannot be tried (an `externalValue`).
    pub value: Result<serde_json::Value, String>,
}

impl Api {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// How requests authenticate: the security schemes the document uses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Auth {
    pub schemes: Vec<SecurityScheme>,
}

impl Auth {
    /// A single bearer-token scheme: the client then takes the token when built.
    pub fn bearer_only(&self) -> bool {
        matches!(self.schemes.as_slice(), [s] if s.kind == SchemeKind::Bearer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the document.
    pub wire: String,
    /// The `with_<name>` method that sets its credential.
    pub method: String,
    pub kind: SchemeKind,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (http bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header, query parameter or cookie with this name.
    ApiKey { location: Location, name: String },
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
    /// `oneOf`/`anyOf`: one of several types.
    Union(Union),
    /// A named schema that is just another type (`type Id = String`).
    Alias(Ty),
}

/// A value of one of several types. With a discriminator, the tag property
/// picks the variant; without, the first variant that decodes wins.
#[derive(Debug)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    pub tag: Option<Tag>,
}

#[derive(Debug)]
pub struct UnionVariant {
    pub rust: String,
    pub ty: Ty,
    /// Tag values that select this variant.
    pub tag_values: Vec<String>,
}

#[derive(Debug)]
pub struct Tag {
    pub property: String,
    /// The catch-all variant for tag values this version does not know.
    pub other: String,
}

#[derive(Debug)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Values of properties not declared (`additionalProperties` beside
    /// `properties`), kept in a flattened map with this field name.
    pub additional: Option<(String, Ty)>,
    pub envelope: Option<Envelope>,
    /// Objects this one names by id (`x-oxgen-associations`), in name order.
    pub associations: Vec<Association>,
}

/// An association: a field holding the id (or ids) of other objects that an
/// envelope keeps in the map named `map`.
#[derive(Debug)]
pub struct Association {
    pub wire: String,
    /// Index of the id field.
    pub field: usize,
    /// The field is a list of ids.
    pub many: bool,
    /// Wire name of the envelope map holding the associated objects.
    pub map: String,
}

#[derive(Debug)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    /// Optional and nullable in a type that requests send: absent, `null`
    /// and a value are three different things (`Option<Option<T>>`).
    pub three_state: bool,
    pub docs: Option<String>,
}

impl Field {
    /// The field's Rust type: optional fields are `Option`, and so are nullable
    /// ones; a three-state field is both.
    pub fn rust_ty(&self) -> Ty {
        if self.three_state || !self.required && !matches!(self.ty, Ty::Option(_)) {
            Ty::Option(Box::new(self.ty.clone()))
        } else {
            self.ty.clone()
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
    /// Associations of the listed objects that this envelope can resolve.
    pub links: Vec<Link>,
}

/// An envelope method resolving one association of one type of object.
#[derive(Debug)]
pub struct Link {
    pub owner: TypeId,
    /// Index into the owner's associations.
    pub association: usize,
    /// Index of the envelope map holding the associated objects.
    pub target: usize,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    String,
    /// `format: binary`: raw bytes.
    Bytes,
    /// `prefixItems` without further items: a fixed-length array.
    Tuple(Vec<Ty>),
    /// Any JSON value.
    Json,
    Named(TypeId),
    Vec(Box<Ty>),
    /// A JSON object with arbitrary keys.
    Map(Box<Ty>),
    Option(Box<Ty>),
}

impl Ty {
    /// How many `Option`s wrap this type, and the type inside them.
    pub fn options(&self) -> (usize, &Ty) {
        let mut depth = 0;
        let mut ty = self;
        while let Ty::Option(inner) = ty {
            depth += 1;
            ty = inner;
        }
        (depth, ty)
    }
}

#[derive(Debug)]
pub struct Operation {
    pub rust_name: String,
    pub operation_id: Option<String>,
    pub tags: Vec<String>,
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
    /// What success statuses decode into: `T` of `Response<T>`.
    pub success: Outcome,
    /// What error statuses decode into: `E` of `Error<E>`.
    pub error: Outcome,
    pub docs: Option<String>,
    pub deprecated: bool,
    pub pointer: Pointer,
    pub paging: Option<Paging>,
}

/// A list operation's pages (`x-oxgen-paging`): methods that fetch every
/// page, and every item, in turn.
#[derive(Debug)]
pub struct Paging {
    pub pages_method: String,
    /// Index into `params` of the page number and of the page size.
    pub page: usize,
    pub per_page: usize,
    pub max_per_page: u32,
    /// The page count in the response: field names from the body down, each
    /// with how many `Option`s its type has.
    pub page_count: Vec<(String, usize)>,
    /// The integer type of the page count.
    pub page_count_ty: Ty,
    pub items: Option<PagedItems>,
}

/// Where the items of a page are.
#[derive(Debug)]
pub struct PagedItems {
    pub method: String,
    pub ty: Ty,
    pub source: ItemSource,
}

#[derive(Debug)]
pub enum ItemSource {
    /// An envelope accessor (`result_users`).
    Accessor(String),
    /// An array field, with how many `Option`s its type has.
    Field(String, usize),
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
    pub style: Style,
    pub explode: bool,
    /// Query values keep RFC 3986 reserved characters unencoded.
    pub allow_reserved: bool,
    pub docs: Option<String>,
}

/// OpenAPI parameter serialization styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug)]
pub struct Body {
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    pub content_type: String,
    pub kind: BodyKind,
    /// A form body's `encoding`: the properties given a style, with explode,
    /// by wire name.
    pub encoding: Vec<(String, Style, bool)>,
}

/// How a body travels, chosen from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
    /// No body (responses only).
    Empty,
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
    pub kind: BodyKind,
    /// The decoded body's type (`String` for text, `Bytes` for binary);
    /// `None` for no body.
    pub ty: Option<Ty>,
    pub description: Option<String>,
    /// Whether this case is a success (2xx, or the only documented answer).
    pub success: bool,
}

/// The type a group of cases (the successes, or the errors) decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every case has this body (`None`: no body).
    Single(Option<Ty>),
    /// The cases differ: an enum named `name` with one variant per case
    /// (indexes into `responses`).
    Enum {
        name: String,
        variants: Vec<(usize, String)>,
    },
}

impl StatusMatch {
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(hundreds) => hundreds == 2,
            StatusMatch::Default => false,
        }
    }
}
