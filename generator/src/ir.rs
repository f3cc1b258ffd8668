//! The intermediate representation: what to generate, with every decision
//! made (Rust names, where a `Box` goes) and every wire name kept beside it,
//! so that emission only prints. Types live in an arena indexed by `TypeId`,
//! so references (cycles included) are plain ids; other cross-references are
//! typed indexes ([`Idx`]) into the list they name.

use std::collections::BTreeSet;
use std::fmt;
use std::marker::PhantomData;

use crate::diagnostics::Pointer;

/// A type of the `types` module: its index in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The index of a `T` in the list of `T`s it belongs to (a struct's fields,
/// an operation's parameters): `list[idx]` only compiles for a list of `T`.
pub struct Idx<T> {
    index: usize,
    of: PhantomData<fn() -> T>,
}

impl<T> Idx<T> {
    /// The index `index` of a list.
    pub fn new(index: usize) -> Self {
        Idx {
            index,
            of: PhantomData,
        }
    }

    /// The position in the list.
    pub fn index(self) -> usize {
        self.index
    }
}

// Derives would require `T: Clone` and so on; an index is one whatever `T` is.
impl<T> Clone for Idx<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Idx<T> {}

impl<T> PartialEq for Idx<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}

impl<T> Eq for Idx<T> {}

impl<T> fmt::Debug for Idx<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.index)
    }
}

impl<T> std::ops::Index<Idx<T>> for [T] {
    type Output = T;

    fn index(&self, idx: Idx<T>) -> &T {
        &self[idx.index]
    }
}

impl<T> std::ops::Index<Idx<T>> for Vec<T> {
    type Output = T;

    fn index(&self, idx: Idx<T>) -> &T {
        &self[idx.index]
    }
}

/// `(index, item)` of every item of `list`, with typed indexes.
pub fn indexed<T>(list: &[T]) -> impl Iterator<Item = (Idx<T>, &T)> {
    list.iter().enumerate().map(|(i, item)| (Idx::new(i), item))
}

/// Everything generated from one spec: the client's settings, its types and its operations.
#[derive(Debug, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The first server's URL with its variables at their defaults, when that is an absolute `http(s)` URL.
    pub base_url: Option<String>,
    /// The security schemes requests can use.
    pub auth: Auth,
    /// The types, indexed by [`TypeId`]; emitted in name order.
    pub types: Vec<TypeDef>,
    /// The operations, in document order; emitted in method-name order.
    pub operations: Vec<Operation>,
    /// Schemas that became untyped JSON because no better type was found.
    pub fallbacks: Vec<Pointer>,
    /// Odd but usable input, reported beside the output.
    pub warnings: Vec<crate::Diagnostic>,
    /// Parts of a document that did not read as written and were read as
    /// their evident intent (each also a warning).
    pub repaired: usize,
    /// Parts of a document that could not be read and were left out
    /// (operations, paths, components, servers; each also a warning).
    pub left_out: usize,
    /// Example values of the document and the type each should decode into.
    pub examples: Vec<ExampleCase>,
}

/// An example value of the document, to decode into `ty` and encode back.
#[derive(Debug)]
pub struct ExampleCase {
    /// Where the example stands.
    pub pointer: Pointer,
    /// The type the example should decode into.
    pub ty: Ty,
    /// The value, or why it cannot be tried (an `externalValue`).
    pub value: Result<serde_json::Value, String>,
}

impl Api {
    /// The definition of type `id`.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The named types in `tys`, and every type they contain, in id order.
    pub fn reached<'a>(&self, tys: impl IntoIterator<Item = &'a Ty>) -> BTreeSet<TypeId> {
        let mut stack: Vec<TypeId> = tys.into_iter().flat_map(Ty::named).collect();
        let mut reached = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if reached.insert(id) {
                stack.extend(self.ty(id).kind.tys().flat_map(Ty::named));
            }
        }
        reached
    }

    /// Every type the API names, at the top: in type definitions, operations
    /// and examples. [`Ty::walk`] reaches the rest.
    pub fn tys(&self) -> impl Iterator<Item = &Ty> {
        self.types
            .iter()
            .flat_map(|t| t.kind.tys())
            .chain(self.operations.iter().flat_map(Operation::tys))
            .chain(self.examples.iter().map(|e| &e.ty))
    }

    /// [`Api::tys`], to change them.
    pub fn tys_mut(&mut self) -> impl Iterator<Item = &mut Ty> {
        self.types
            .iter_mut()
            .flat_map(|t| t.kind.tys_mut())
            .chain(self.operations.iter_mut().flat_map(Operation::tys_mut))
            .chain(self.examples.iter_mut().map(|e| &mut e.ty))
    }

    /// Whether `ty` implements `Default` in the generated code: scalars,
    /// strings, lists, maps, options and any JSON do; a named struct when it
    /// is marked [`Struct::default`], an alias when its type does; enums and
    /// unions do not.
    pub fn has_default(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Tuple(items) => items.iter().all(|ty| self.has_default(ty)),
            Ty::Named(id) => match &self.ty(*id).kind {
                TypeKind::Struct(s) => s.default,
                TypeKind::Alias(alias) => self.has_default(&alias.ty),
                TypeKind::Union(_) | TypeKind::Enum(_) | TypeKind::Pending => false,
            },
            _ => true,
        }
    }

    /// The struct `id` names; `None` for another kind of type.
    pub fn structure(&self, id: TypeId) -> Option<&Struct> {
        match &self.ty(id).kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }
}

/// How requests authenticate: the security schemes the document uses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Auth {
    /// The schemes, by name in the document.
    pub schemes: Vec<SecurityScheme>,
}

impl Auth {
    /// A single bearer-token scheme: the client then takes the token when built.
    pub fn bearer_only(&self) -> bool {
        matches!(self.schemes.as_slice(), [s] if s.kind == SchemeKind::Bearer)
    }
}

/// A security scheme the document's requirements name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the document.
    pub wire: String,
    /// The `with_<name>` method that sets its credential.
    pub method: String,
    /// How the credential travels.
    pub kind: SchemeKind,
    /// The scheme's `description`.
    pub docs: Option<String>,
}

/// How a credential travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (http bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header, query parameter or cookie with this name.
    /// An API key in a header, query parameter or cookie with this name.
    ApiKey {
        /// Where the key travels.
        location: Location,
        /// The header, query parameter or cookie name.
        name: String,
    },
}

/// A named type of the `types` module.
#[derive(Debug)]
pub struct TypeDef {
    /// The Rust name, unique in the module.
    pub name: String,
    /// Where the schema stands in the document.
    pub pointer: Pointer,
    /// Doc text from the schema's title and description.
    pub docs: Option<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// What a named type is.
#[derive(Debug)]
pub enum TypeKind {
    /// Reserved id whose conversion has not run yet.
    Pending,
    /// An object with declared properties: a struct with a field each.
    Struct(Struct),
    /// A string enum.
    Enum(Enum),
    /// `oneOf`/`anyOf`: one of several types.
    Union(Union),
    /// A named schema that is just another type (`type Id = String`).
    Alias(Alias),
}

impl TypeKind {
    /// The types a definition is made of: its fields' and additional
    /// properties', its variants' or the aliased one.
    pub fn tys(&self) -> Box<dyn Iterator<Item = &Ty> + '_> {
        match self {
            TypeKind::Struct(s) => Box::new(
                s.fields
                    .iter()
                    .map(|f| &f.ty)
                    .chain(s.additional.iter().map(|(_, ty)| ty)),
            ),
            TypeKind::Union(u) => Box::new(u.variants.iter().map(|v| &v.ty)),
            TypeKind::Alias(alias) => Box::new(std::iter::once(&alias.ty)),
            TypeKind::Enum(_) | TypeKind::Pending => Box::new(std::iter::empty()),
        }
    }

    /// [`TypeKind::tys`], to change them.
    pub fn tys_mut(&mut self) -> Box<dyn Iterator<Item = &mut Ty> + '_> {
        match self {
            TypeKind::Struct(s) => Box::new(
                s.fields
                    .iter_mut()
                    .map(|f| &mut f.ty)
                    .chain(s.additional.iter_mut().map(|(_, ty)| ty)),
            ),
            TypeKind::Union(u) => Box::new(u.variants.iter_mut().map(|v| &mut v.ty)),
            TypeKind::Alias(alias) => Box::new(std::iter::once(&mut alias.ty)),
            TypeKind::Enum(_) | TypeKind::Pending => Box::new(std::iter::empty()),
        }
    }
}

/// A named schema that is another type: `pub type Name = Ty;`.
#[derive(Debug)]
pub struct Alias {
    /// The type it stands for.
    pub ty: Ty,
    /// `ty` names a type that contains this one: written `Box<ty>`.
    pub boxed: bool,
}

impl Alias {
    /// An alias of `ty`, without a `Box`.
    pub fn new(ty: Ty) -> Self {
        Alias { ty, boxed: false }
    }
}

/// A value of one of several types. With a discriminator, the tag property
/// picks the variant; without, the first variant that decodes wins.
#[derive(Debug)]
pub struct Union {
    /// The variants, in the order untagged decoding tries them.
    pub variants: Vec<UnionVariant>,
    /// The discriminator, when there is one.
    pub tag: Option<Tag>,
}

/// One alternative of a union.
#[derive(Debug)]
pub struct UnionVariant {
    /// The variant's Rust name, unique in the enum.
    pub rust: String,
    /// The type the variant holds.
    pub ty: Ty,
    /// `ty` names a type that contains this union: the variant holds a `Box`.
    pub boxed: bool,
    /// The wire names of the members the variant declares, when it is an
    /// object: an untagged union prefers, for an object, the variant that
    /// declares the most of its members (it would drop the others).
    pub members: Vec<String>,
    /// Tag values that select this variant.
    pub tag_values: Vec<String>,
}

/// A union's discriminator.
#[derive(Debug)]
pub struct Tag {
    /// The wire name of the property holding the tag.
    pub property: String,
    /// The catch-all variant for tag values this version does not know.
    pub other: String,
}

/// An object schema as a struct.
#[derive(Debug)]
pub struct Struct {
    /// One field per declared property, in the schema's order.
    pub fields: Vec<Field>,
    /// Values of properties not declared (`additionalProperties` beside
    /// `properties`), kept in a flattened map with this field name.
    pub additional: Option<(String, Ty)>,
    /// An envelope's accessors (`x-oxgen-envelope`).
    pub envelope: Option<Envelope>,
    /// Objects this one names by id (`x-oxgen-associations`), in name order.
    pub associations: Vec<Association>,
    /// Whether it implements `Default`: every required field's type has a
    /// default (see [`Api::has_default`]); optional fields are `None`.
    pub default: bool,
}

/// An association: a field holding the id (or ids) of other objects that an
/// envelope keeps in the map named `map`.
#[derive(Debug)]
pub struct Association {
    /// The association's name (`manager`).
    pub wire: String,
    /// The id field.
    pub field: Idx<Field>,
    /// The field is a list of ids.
    pub many: bool,
    /// Wire name of the envelope map holding the associated objects.
    pub map: String,
}

/// A declared property of an object, as a struct field.
#[derive(Debug)]
pub struct Field {
    /// The property's name on the wire.
    pub wire: String,
    /// The field's Rust name, unique in the struct (`r#type` for `type`).
    pub rust: String,
    /// The property's type, `Option` when the schema allows `null`.
    pub ty: Ty,
    /// Whether the schema requires the property.
    pub required: bool,
    /// Optional and nullable in a type that requests send: absent, `null`
    /// and a value are three different things (`Option<Option<T>>`).
    pub three_state: bool,
    /// The field's type names a type that contains this struct: the named
    /// type is held in a `Box`, or the struct would be infinitely large.
    pub boxed: bool,
    /// Doc text from the property's title and description.
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
    /// One variant per value, in the schema's order.
    pub variants: Vec<Variant>,
    /// The catch-all variant's name.
    pub other: String,
}

/// One value of a string enum.
#[derive(Debug)]
pub struct Variant {
    /// The value on the wire.
    pub wire: String,
    /// The variant's Rust name, unique in the enum.
    pub rust: String,
    /// Doc text, when the document describes values (`x-enumDescriptions` and the like).
    pub docs: Option<String>,
}

/// A response envelope that lists objects by `{key, id}` and holds them in maps
/// keyed by id (`x-oxgen-envelope`).
#[derive(Debug)]
pub struct Envelope {
    /// The field listing the references.
    pub results: Idx<Field>,
    /// The reference type's Rust field names for `key` and `id`.
    pub key_field: String,
    /// The Rust name of the reference type's `id` field.
    pub id_field: String,
    /// Maps whose entries `results` may point at.
    pub lists: Vec<EnvelopeList>,
    /// Associations of the listed objects that this envelope can resolve.
    pub links: Vec<Link>,
}

/// A map field of an envelope, and the accessor that lists its entries in
/// the order of the results.
#[derive(Debug)]
pub struct EnvelopeList {
    /// The map field.
    pub field: Idx<Field>,
    /// The type of the map's values.
    pub value: Ty,
    /// The accessor method's name (`result_users`).
    pub accessor: String,
}

/// An envelope method resolving one association of one type of object.
#[derive(Debug)]
pub struct Link {
    /// The struct that has the association.
    pub owner: TypeId,
    /// The owner's association.
    pub association: Idx<Association>,
    /// The envelope map holding the associated objects.
    pub target: Idx<EnvelopeList>,
    /// The method's name (`user_manager`).
    pub method: String,
}

/// A type as a field, parameter or body has it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// `format: date-time`: an RFC 3339 timestamp with its offset.
    DateTime,
    /// `format: date`: an RFC 3339 full date.
    Date,
    /// `format: uuid`.
    Uuid,
    /// `format: binary`: raw bytes.
    Bytes,
    /// `prefixItems` without further items: a fixed-length array.
    Tuple(Vec<Ty>),
    /// Any JSON value.
    Json,
    /// A named type of the `types` module.
    Named(TypeId),
    /// A JSON array.
    Vec(Box<Ty>),
    /// A JSON object with arbitrary keys.
    Map(Box<Ty>),
    /// An optional or nullable value.
    Option(Box<Ty>),
}

impl Ty {
    /// The type inside any `Option`s.
    pub fn unoption(&self) -> &Ty {
        self.options().1
    }

    /// This type and every type inside it, this one first.
    pub fn walk(&self) -> impl Iterator<Item = &Ty> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let ty = stack.pop()?;
            match ty {
                Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => stack.push(inner),
                Ty::Tuple(items) => stack.extend(items.iter().rev()),
                _ => {}
            }
            Some(ty)
        })
    }

    /// The named types this type refers to, anywhere inside it.
    pub fn named(&self) -> impl Iterator<Item = TypeId> + '_ {
        self.walk().filter_map(|ty| match ty {
            Ty::Named(id) => Some(*id),
            _ => None,
        })
    }

    /// Calls `f` on every type id inside this type, to change it.
    pub fn named_mut(&mut self, f: &mut dyn FnMut(&mut TypeId)) {
        self.walk_mut(&mut |ty| {
            if let Ty::Named(id) = ty {
                f(id);
            }
        });
    }

    /// Calls `f` on this type and every type inside it, outermost first, to
    /// change them.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Ty)) {
        f(self);
        match self {
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => inner.walk_mut(f),
            Ty::Tuple(items) => items.iter_mut().for_each(|ty| ty.walk_mut(f)),
            _ => {}
        }
    }

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

/// One method of the client: an operation of the spec.
#[derive(Debug)]
pub struct Operation {
    /// The method's Rust name, unique among the client's methods.
    pub rust_name: String,
    /// `operationId`.
    pub operation_id: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path as the spec writes it (`/users/{id}`).
    pub path_template: String,
    /// The path as literal parts and parameters.
    pub path: Vec<PathPart>,
    /// Path parameters, in the order the template names them.
    pub path_params: Vec<Param>,
    /// Query, header and cookie parameters: the fields of the params struct.
    pub params: Vec<Param>,
    /// The name of the params struct, when the operation has query, header or cookie parameters.
    pub params_struct: Option<String>,
    /// The request body, when there is one.
    pub body: Option<Body>,
    /// Every documented status and what its answer decodes into.
    pub responses: Vec<ResponseCase>,
    /// What success statuses decode into: `T` of `Response<T>`.
    pub success: Outcome,
    /// What error statuses decode into: `E` of `Error<E>`.
    pub error: Outcome,
    /// Doc text from the operation's summary and description.
    pub docs: Option<String>,
    /// The operation's own server (its or its path's `servers`), when that
    /// is not the document's: the method sends there, unless the client maps
    /// it elsewhere (`Client::with_server`).
    pub server: Option<String>,
    /// The `Accept` header: the media types the documented answers have, when
    /// that is not `application/json` alone (the runtime's default).
    pub accept: Option<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// Where the operation stands in the document.
    pub pointer: Pointer,
    /// Paging methods (`x-oxgen-paging`), when asked for.
    pub paging: Option<Paging>,
    /// The answer read as a stream of items, when a success status streams.
    pub streaming: Option<Streaming>,
}

impl Operation {
    /// Every type the operation names: its parameters', body's and answers'.
    pub fn tys(&self) -> impl Iterator<Item = &Ty> {
        let outcomes =
            [&self.success, &self.error]
                .into_iter()
                .filter_map(|outcome| match outcome {
                    Outcome::Single(Some(ty)) => Some(ty),
                    _ => None,
                });
        self.path_params
            .iter()
            .chain(&self.params)
            .map(|p| &p.ty)
            .chain(self.body.iter().map(|b| &b.ty))
            .chain(self.responses.iter().filter_map(|r| r.ty.as_ref()))
            .chain(self.streaming.iter().map(|s| &s.item))
            .chain(outcomes)
            .chain(
                self.paging
                    .iter()
                    .filter_map(|p| p.items.as_ref().map(|i| &i.ty)),
            )
    }

    /// [`Operation::tys`], to change them.
    pub fn tys_mut(&mut self) -> impl Iterator<Item = &mut Ty> {
        let outcomes = [&mut self.success, &mut self.error]
            .into_iter()
            .filter_map(|outcome| match outcome {
                Outcome::Single(Some(ty)) => Some(ty),
                _ => None,
            });
        self.path_params
            .iter_mut()
            .chain(&mut self.params)
            .map(|p| &mut p.ty)
            .chain(self.body.iter_mut().map(|b| &mut b.ty))
            .chain(self.responses.iter_mut().filter_map(|r| r.ty.as_mut()))
            .chain(self.streaming.iter_mut().map(|s| &mut s.item))
            .chain(outcomes)
            .chain(
                self.paging
                    .iter_mut()
                    .filter_map(|p| p.items.as_mut().map(|i| &mut i.ty)),
            )
    }
}

/// A streamed answer (Server-Sent Events, JSON Lines, a JSON text
/// sequence): read item by item as it arrives, by a method of its own.
#[derive(Debug)]
pub struct Streaming {
    /// The streaming method's Rust name: the operation's own when every
    /// success answer streams (there is no other method), else
    /// `<name>_stream` beside the method that reads the answer whole.
    pub rust_name: String,
    /// How the items are cut.
    pub framing: Framing,
    /// The streamed media type, as the spec writes it.
    pub media_type: String,
    /// The success statuses that stream.
    pub statuses: Vec<StatusMatch>,
    /// The type of each item (of each event's data).
    pub item: Ty,
    /// Whether the operation has no method that reads the answer whole.
    pub only: bool,
}

/// How a streamed answer is cut into items, in the order of preference
/// when an answer offers several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Framing {
    /// `text/event-stream`: each event's data, as JSON.
    Events,
    /// `text/event-stream` whose events' data is text (an item schema
    /// whose `data` is a string of no JSON media type).
    TextEvents,
    /// JSON Lines, NDJSON: one value per line.
    JsonLines,
    /// `application/json-seq` (RFC 7464).
    JsonSeq,
}

impl Framing {
    /// The framing of media type `content_type`, if it is a sequential one.
    pub fn of(content_type: &str) -> Option<Framing> {
        let essence = content_type.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "text/event-stream" => Some(Framing::Events),
            "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines"
            | "application/x-ndjson"
            | "application/ndjson" => Some(Framing::JsonLines),
            "application/json-seq" => Some(Framing::JsonSeq),
            _ => None,
        }
    }
}

/// A list operation's pages (`x-oxgen-paging`): methods that fetch every
/// page, and every item, in turn.
#[derive(Debug)]
pub struct Paging {
    /// The name of the method that fetches every page.
    pub pages_method: String,
    /// The query parameters of the page number and of the page size.
    pub page: Idx<Param>,
    /// The query parameter of the page size.
    pub per_page: Idx<Param>,
    /// The largest page size the server allows.
    pub max_per_page: u32,
    /// The page count in the response: field names from the body down, each
    /// with how many `Option`s its type has.
    pub page_count: Vec<(String, usize)>,
    /// The integer type of the page count.
    pub page_count_ty: Ty,
    /// Where a page's items are, for a method over every item; `None`: pages only.
    pub items: Option<PagedItems>,
}

/// Where the items of a page are.
#[derive(Debug)]
pub struct PagedItems {
    /// The name of the method that fetches every item.
    pub method: String,
    /// The type of an item.
    pub ty: Ty,
    /// Where the items are in a page.
    pub source: ItemSource,
}

/// Where the items of a page are.
#[derive(Debug)]
pub enum ItemSource {
    /// An envelope accessor (`result_users`).
    Accessor(String),
    /// An array field, with how many `Option`s its type has.
    Field(String, usize),
}

/// A part of an operation's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is.
    Literal(String),
    /// One of `path_params`.
    Param(Idx<Param>),
}

/// Where a parameter (or an API key) travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// A parameter of an operation.
#[derive(Debug)]
pub struct Param {
    /// The parameter's name on the wire.
    pub wire: String,
    /// The Rust name, unique among the operation's parameters.
    pub rust: String,
    /// Where it travels.
    pub location: Location,
    /// Whether the spec requires it.
    pub required: bool,
    /// Its type (`Option` when optional).
    pub ty: Ty,
    /// How its value is written.
    pub style: Style,
    /// Whether arrays and objects are written as one member per value.
    pub explode: bool,
    /// Query values keep RFC 3986 reserved characters unencoded.
    pub allow_reserved: bool,
    /// Doc text from the parameter's description.
    pub docs: Option<String>,
    /// A value its schema accepts, when asked for (see `lower::Keep`).
    pub sample: Option<serde_json::Value>,
}

/// OpenAPI parameter serialization styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `{id}`: comma-separated.
    Simple,
    /// `{.id}`: dot-prefixed.
    Label,
    /// `{;id}`: semicolon-prefixed, named.
    Matrix,
    /// `name=value`, the query default.
    Form,
    /// Space-separated values.
    SpaceDelimited,
    /// Pipe-separated values.
    PipeDelimited,
    /// `name[key]=value` for objects.
    DeepObject,
}

/// A request body.
#[derive(Debug)]
pub struct Body {
    /// The Rust name of the method's body argument.
    pub rust: String,
    /// Its type.
    pub ty: Ty,
    /// Whether the spec requires it.
    pub required: bool,
    /// The media type sent in `Content-Type`.
    pub content_type: String,
    /// How it is encoded.
    pub kind: BodyKind,
    /// A form body's `encoding`: the properties given a style, with explode,
    /// by wire name.
    pub encoding: Vec<(String, Style, bool)>,
    /// A multipart body's file parts, by wire name, with the media type each
    /// is labelled with (`encoding.contentType`, else
    /// `application/octet-stream`).
    pub file_parts: Vec<(String, String)>,
    /// A value its schema accepts, when asked for (see `lower::Keep`).
    pub sample: Option<serde_json::Value>,
}

/// How a body travels, chosen from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyKind {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Plain text.
    Text,
    /// Raw bytes.
    Bytes,
    /// No body (responses only).
    Empty,
}

/// Which statuses a response case answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    /// `default`: every status not documented otherwise.
    Default,
}

/// A documented answer of an operation.
#[derive(Debug)]
pub struct ResponseCase {
    /// The statuses it answers.
    pub status: StatusMatch,
    /// How its body is encoded.
    pub kind: BodyKind,
    /// The media type read, of those the response offers; `None` without a body.
    pub media_type: Option<String>,
    /// The decoded body's type (`String` for text, `Bytes` for binary);
    /// `None` for no body.
    pub ty: Option<Ty>,
    /// The response's `description`.
    pub description: Option<String>,
    /// The spec's own example of a JSON body (its first), as compact JSON
    /// text: what the mock answers with on request.
    pub example: Option<String>,
    /// Whether this case is a success (2xx, or the only documented answer).
    pub success: bool,
}

/// The type a group of cases (the successes, or the errors) decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every case has this body (`None`: no body).
    Single(Option<Ty>),
    /// The cases differ: an enum named `name` with one variant per case
    /// (of `responses`).
    Enum {
        /// The enum's name, unique in the client module.
        name: String,
        /// The response case of each variant, with the variant's name.
        variants: Vec<(Idx<ResponseCase>, String)>,
    },
}

impl StatusMatch {
    /// Whether the status is a success (2xx).
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(hundreds) => hundreds == 2,
            StatusMatch::Default => false,
        }
    }
}
