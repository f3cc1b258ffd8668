//! The members each object of OpenAPI 3 (and the JSON Schema it embeds)
//! defines. The model reads only what the generator uses and ignores the
//! rest; a member that the specification does not define for its object is
//! most often a typo or a misplaced keyword (`paramters`, `schema` directly
//! in a 3.0 response), which changes the client silently. Such a member is a
//! warning at its pointer; extensions (`x-...`) and defined members that the
//! generator has no use for are not.

use crate::diagnostics::Pointer;

/// The objects of an OpenAPI 3 document that are told apart here; `Other`
/// is a place whose members are not judged (a map of names, a value).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Object {
    Document,
    Info,
    Paths,
    PathItem,
    /// `additionalOperations` (OpenAPI 3.2): operations by method name.
    Operations,
    Operation,
    Parameters,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Contents,
    MediaType,
    Encodings,
    Encoding,
    Examples,
    Example,
    Components,
    ParameterMap,
    RequestBodies,
    SecuritySchemes,
    SecurityScheme,
    Schemas,
    SchemaList,
    Schema,
    /// A schema, or (`items`, draft 4) a list of them by position.
    SchemaOrList,
    Discriminator,
    Other,
}

impl Object {
    /// What the specification calls it, for messages.
    fn name(self) -> &'static str {
        match self {
            Object::Document => "an OpenAPI Object",
            Object::Info => "an Info Object",
            Object::PathItem => "a Path Item Object",
            Object::Operation => "an Operation Object",
            Object::Parameter => "a Parameter Object",
            Object::RequestBody => "a Request Body Object",
            Object::Response => "a Response Object",
            Object::MediaType => "a Media Type Object",
            Object::Encoding => "an Encoding Object",
            Object::Example => "an Example Object",
            Object::Components => "a Components Object",
            Object::SecurityScheme => "a Security Scheme Object",
            Object::Schema | Object::SchemaOrList => "a Schema Object",
            Object::Discriminator => "a Discriminator Object",
            _ => "this object",
        }
    }

    /// The object one step below this one, at member or index `segment`.
    fn child(self, segment: &str) -> Object {
        use Object::*;
        match (self, segment) {
            (Document, "info") => Info,
            (Document, "paths") => Paths,
            (Document, "components") => Components,
            (Paths, _) => PathItem,
            (PathItem, "parameters") | (Operation, "parameters") => Parameters,
            (PathItem, method) if crate::openapi::METHODS.contains(&method) => Operation,
            (PathItem, "additionalOperations") => Operations,
            (Operations, _) => Operation,
            (Parameters, _) | (ParameterMap, _) => Parameter,
            (Operation, "requestBody") => RequestBody,
            (Operation, "responses") | (Components, "responses") => Responses,
            (Responses, _) => Response,
            (Response | RequestBody | Parameter, "content") => Contents,
            (Contents, _) => MediaType,
            (Components, "mediaTypes") => Contents,
            (MediaType, "schema" | "itemSchema") | (Parameter, "schema") => Schema,
            (MediaType, "encoding") => Encodings,
            (Encodings, _) => Encoding,
            (MediaType | Parameter, "examples") | (Components, "examples") => Examples,
            (Examples, _) => Example,
            (Components, "schemas") => Schemas,
            (Components, "parameters") => ParameterMap,
            (Components, "requestBodies") => RequestBodies,
            (RequestBodies, _) => RequestBody,
            (Components, "securitySchemes") => SecuritySchemes,
            (SecuritySchemes, _) => SecurityScheme,
            (Schemas, _) | (SchemaList, _) => Schema,
            (SchemaOrList, index) if index.parse::<usize>().is_ok() => Schema,
            (SchemaOrList, keyword) => Schema.child(keyword),
            (Schema, keyword) => match keyword {
                "properties" | "patternProperties" | "$defs" | "definitions"
                | "dependentSchemas" => Schemas,
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => SchemaList,
                "items" => SchemaOrList,
                "additionalProperties"
                | "additionalItems"
                | "not"
                | "contains"
                | "if"
                | "then"
                | "else"
                | "propertyNames"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema" => Schema,
                "discriminator" => Discriminator,
                _ => Other,
            },
            _ => Other,
        }
    }

    /// The members the specification defines for this object, in any
    /// version the generator reads (a member of a newer version is not a
    /// mistake in an older document so much as an early adoption).
    fn members(self) -> Option<&'static [&'static str]> {
        Some(match self {
            Object::Document => &[
                "openapi",
                "info",
                "jsonSchemaDialect",
                "servers",
                "paths",
                "webhooks",
                "components",
                "security",
                "tags",
                "externalDocs",
                "$self",
            ],
            Object::Info => &[
                "title",
                "summary",
                "description",
                "termsOfService",
                "contact",
                "license",
                "version",
            ],
            Object::PathItem => &[
                "$ref",
                "summary",
                "description",
                "get",
                "put",
                "post",
                "delete",
                "options",
                "head",
                "patch",
                "trace",
                "query",
                "additionalOperations",
                "servers",
                "parameters",
            ],
            Object::Operation => &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "parameters",
                "requestBody",
                "responses",
                "callbacks",
                "deprecated",
                "security",
                "servers",
                "$ref",
            ],
            Object::Parameter => &[
                "$ref",
                "summary",
                "name",
                "in",
                "description",
                "required",
                "deprecated",
                "allowEmptyValue",
                "style",
                "explode",
                "allowReserved",
                "schema",
                "example",
                "examples",
                "content",
            ],
            Object::RequestBody => &["$ref", "summary", "description", "content", "required"],
            Object::Response => &[
                "$ref",
                "summary",
                "description",
                "headers",
                "content",
                "links",
            ],
            Object::MediaType => &[
                "$ref",
                "schema",
                "itemSchema",
                "example",
                "examples",
                "encoding",
                "prefixEncoding",
                "itemEncoding",
            ],
            Object::Encoding => &[
                "contentType",
                "headers",
                "style",
                "explode",
                "allowReserved",
                "encoding",
                "prefixEncoding",
                "itemEncoding",
            ],
            Object::Example => &[
                "$ref",
                "summary",
                "description",
                "value",
                "externalValue",
                "dataValue",
                "serializedValue",
            ],
            Object::Components => &[
                "schemas",
                "responses",
                "parameters",
                "examples",
                "requestBodies",
                "headers",
                "securitySchemes",
                "links",
                "callbacks",
                "pathItems",
                "mediaTypes",
            ],
            Object::SecurityScheme => &[
                "$ref",
                "type",
                "description",
                "name",
                "in",
                "scheme",
                "bearerFormat",
                "flows",
                "openIdConnectUrl",
                "oauth2MetadataUrl",
                "deprecated",
            ],
            Object::Discriminator => &["propertyName", "mapping", "defaultMapping"],
            Object::Schema | Object::SchemaOrList => SCHEMA_KEYWORDS,
            _ => return None,
        })
    }
}

/// JSON Schema's keywords (draft 4 to 2020-12, validation, applicators,
/// annotations, core) and those OpenAPI adds to it.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "id",
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    "definitions",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "dependencies",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "prefixItems",
    "items",
    "additionalItems",
    "contains",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
    "example",
    "nullable",
    "discriminator",
    "xml",
    "externalDocs",
];

/// The pointer of a member that reading ignored, and what to say of it, if
/// the specification does not define it where it stands. `path` holds the
/// member names and list indexes from the document's root to the member.
pub fn undefined(path: &[String]) -> Option<(Pointer, String)> {
    let (member, parents) = path.split_last()?;
    if member.starts_with("x-") {
        return None;
    }
    let object = parents
        .iter()
        .fold(Object::Document, |object, segment| object.child(segment));
    if object.members()?.contains(&member.as_str()) {
        return None;
    }
    let pointer = path.iter().fold(Pointer::root(), |p, s| p.join(s));
    let message = format!("`{member}` is not a member of {}; ignored", object.name());
    Some((pointer, message))
}

/// The member names and list indexes of a path that `serde_ignored` reports.
pub fn segments(path: &serde_ignored::Path<'_>) -> Vec<String> {
    use serde_ignored::Path;
    let mut segments = Vec::new();
    let mut at = path;
    loop {
        at = match at {
            Path::Root => break,
            Path::Seq { parent, index } => {
                segments.push(index.to_string());
                parent
            }
            Path::Map { parent, key } => {
                segments.push(key.clone());
                parent
            }
            Path::Some { parent }
            | Path::NewtypeStruct { parent }
            | Path::NewtypeVariant { parent } => parent,
        };
    }
    segments.reverse();
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(path: &str) -> Option<String> {
        let path: Vec<String> = path.split(' ').map(str::to_owned).collect();
        undefined(&path).map(|(pointer, message)| format!("{pointer}: {message}"))
    }

    #[test]
    fn a_member_the_specification_does_not_define_is_named_at_its_pointer() {
        assert_eq!(
            said("paths /users get paramters").as_deref(),
            Some(
                "#/paths/~1users/get/paramters: `paramters` is not a member of an Operation Object; ignored"
            )
        );
        // Swagger's place for a response schema, in an OpenAPI 3 document.
        assert_eq!(
            said("paths /users get responses 200 schema").as_deref(),
            Some(
                "#/paths/~1users/get/responses/200/schema: `schema` is not a member of a Response Object; ignored"
            )
        );
        assert_eq!(
            said("components schemas User properties name requried").as_deref(),
            Some(
                "#/components/schemas/User/properties/name/requried: `requried` is not a member of a Schema Object; ignored"
            )
        );
        assert_eq!(
            said("paths /search additionalOperations LINK paramters").as_deref(),
            Some(
                "#/paths/~1search/additionalOperations/LINK/paramters: `paramters` is not a member of an Operation Object; ignored"
            )
        );
        assert_eq!(
            said("components schemas Pair items 1 propertys").as_deref(),
            Some(
                "#/components/schemas/Pair/items/1/propertys: `propertys` is not a member of a Schema Object; ignored"
            )
        );
    }

    #[test]
    fn extensions_and_defined_members_without_use_are_not() {
        for path in [
            "paths /users get x-internal",
            "paths /users get callbacks",
            "paths /users get responses 200 links",
            "components schemas User properties name maxLength",
            "components schemas User xml",
            "info contact",
            "tags",
            // A property named like a member is a property.
            "components schemas User properties paramters",
            // Places whose members are not judged.
            "components links Self operationId",
            "webhooks newUser post bogus",
        ] {
            assert_eq!(said(path), None, "{path}");
        }
    }
}
