//! The intermediate representation: what to generate, with every decision
//! made (Rust names, where a `Box` goes) and every wire name kept beside it,
//! so that emission only prints. Types live in an arena indexed by `TypeId`,
//! so references (cycles included) are plain ids; other cross-references are
//! typed indexes ([`Idx`]) into the list they name.

use std::collections::BTreeSet;
use std::fmt;
use std::marker::PhantomData;

use crate::diagnostics::Pointer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The index of a `T` in the list of `T`s it belongs to (a struct's fields,
/// an operation's parameters): `list[idx]` only compiles for a list of `T`.
pub struct Idx<T> {
    index: usize,
    of: PhantomData<fn() -> T>,
}

impl<T> Idx<T> {
    pub fn new(index: usize) -> Self {
        Idx {
            index,
            of: PhantomData,
        }
    }

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

#[derive(Debug)]
pub struct Alias {
    pub ty: Ty,
    /// `ty` names a type that contains this one: written `Box<ty>`.
    pub boxed: bool,
}

impl Alias {
    pub fn new(ty: Ty) -> Self {
        Alias { ty, boxed: false }
    }
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
    /// `ty` names a type that contains this union: the variant holds a `Box`.
    pub boxed: bool,
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
    /// The id field.
    pub field: Idx<Field>,
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
    /// The field's type names a type that contains this struct: the named
    /// type is held in a `Box`, or the struct would be infinitely large.
    pub boxed: bool,
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
    /// The field listing the references.
    pub results: Idx<Field>,
    /// The reference type's Rust field names for `key` and `id`.
    pub key_field: String,
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
    pub field: Idx<Field>,
    /// The type of the map's values.
    pub value: Ty,
    pub accessor: String,
}

/// An envelope method resolving one association of one type of object.
#[derive(Debug)]
pub struct Link {
    /// The struct that has the association.
    pub owner: TypeId,
    pub association: Idx<Association>,
    /// The envelope map holding the associated objects.
    pub target: Idx<EnvelopeList>,
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
        match self {
            Ty::Named(id) => f(id),
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => inner.named_mut(f),
            Ty::Tuple(items) => items.iter_mut().for_each(|ty| ty.named_mut(f)),
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
            .chain(outcomes)
            .chain(
                self.paging
                    .iter_mut()
                    .filter_map(|p| p.items.as_mut().map(|i| &mut i.ty)),
            )
    }
}

/// A list operation's pages (`x-oxgen-paging`): methods that fetch every
/// page, and every item, in turn.
#[derive(Debug)]
pub struct Paging {
    pub pages_method: String,
    /// The query parameters of the page number and of the page size.
    pub page: Idx<Param>,
    pub per_page: Idx<Param>,
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
    /// One of `path_params`.
    Param(Idx<Param>),
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
    /// (of `responses`).
    Enum {
        name: String,
        variants: Vec<(Idx<ResponseCase>, String)>,
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
