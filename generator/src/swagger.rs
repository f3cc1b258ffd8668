//! Swagger 2.0 -> OpenAPI 3.0, as JSON values, before the typed model is read.
//! The rest of the pipeline then knows only OpenAPI 3.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::diagnostics::Pointer;

/// Converts a Swagger 2.0 document into the OpenAPI 3.0 document that means
/// the same, as far as the generator reads it.
///
/// The document is taken apart as it is converted: each part is moved, not
/// copied, and freed once converted, so the two forms are never held whole
/// at the same time.
pub fn to_openapi3(swagger: Value) -> Value {
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    if let Some(server) = server_url(&swagger) {
        out.insert("servers".into(), json!([{ "url": server }]));
    }
    let consumes = strings(swagger.get("consumes"));
    let produces = strings(swagger.get("produces"));
    let Value::Object(mut swagger) = swagger else {
        out.insert("components".into(), Value::Object(Map::new()));
        out.insert("paths".into(), Value::Object(Map::new()));
        return Value::Object(out);
    };
    if let Some(info) = swagger.remove("info") {
        out.insert("info".into(), info);
    }

    let mut components = Map::new();
    if let Some(Value::Object(definitions)) = swagger.remove("definitions") {
        let schemas = definitions
            .into_iter()
            .map(|(k, v)| (k, schema(v)))
            .collect();
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(Value::Object(responses)) = swagger.remove("responses") {
        let converted = responses
            .into_iter()
            .map(|(k, v)| (k, response(v, &produces)))
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(definitions)) = swagger.remove("securityDefinitions") {
        let schemes = definitions
            .into_iter()
            .map(|(k, v)| (k, security_scheme(v)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    out.insert("components".into(), Value::Object(components));
    if let Some(security) = swagger.remove("security") {
        out.insert("security".into(), security);
    }

    let items = swagger.remove("paths");
    let shared_parameters = swagger.get("parameters").and_then(Value::as_object);
    let mut paths = Map::new();
    if let Some(Value::Object(items)) = items {
        for (path, item) in items {
            let item = path_item(item, shared_parameters, &consumes, &produces);
            paths.insert(path, item);
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    Value::Object(out)
}

/// Where the parts of the converted document came from in the Swagger
/// document, beyond its sections: parameters (the converted lists merge the
/// path's and the operation's and leave out body and form parameters),
/// request bodies (a body parameter, or form parameters) and response
/// schemas (one per media type in the converted document).
pub struct SwaggerPointers {
    /// By path and method, the origin of each converted parameter in turn.
    parameters: BTreeMap<(String, String), Vec<Pointer>>,
    /// By path and method: the body parameter, and the form parameters by name.
    bodies: BTreeMap<(String, String), Pointer>,
    form_fields: BTreeMap<(String, String, String), Pointer>,
}

impl SwaggerPointers {
    /// The origins of the parts of `swagger` (the raw Swagger 2.0 document)
    /// that [`to_openapi3`] moves.
    pub fn of(swagger: &Value) -> Self {
        let mut pointers = SwaggerPointers {
            parameters: BTreeMap::new(),
            bodies: BTreeMap::new(),
            form_fields: BTreeMap::new(),
        };
        let Some(items) = swagger.get("paths").and_then(Value::as_object) else {
            return pointers;
        };
        // A shared parameter's content is where it is defined.
        let at_of = |p: &Value, at: Pointer| match p
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
            .filter(|name| swagger.pointer(&format!("/parameters/{name}")).is_some())
        {
            Some(name) => Pointer::root().join("parameters").join(name),
            None => at,
        };
        let resolved = |p: &Value| -> Value {
            let shared = p
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/parameters/"))
                .and_then(|name| swagger.get("parameters")?.get(name));
            shared.unwrap_or(p).clone()
        };
        let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
        for (path, item) in items {
            let at = Pointer::root().join("paths").join(path);
            let common: Vec<(Value, Pointer)> = list(item.get("parameters"))
                .iter()
                .enumerate()
                .map(|(k, p)| (resolved(p), at_of(p, at.join("parameters").join(k))))
                .collect();
            for method in ["get", "put", "post", "delete", "options", "head", "patch"] {
                let Some(op) = item.get(method) else {
                    continue;
                };
                let op_at = at.join(method);
                let own: Vec<(Value, Pointer)> = list(op.get("parameters"))
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (resolved(p), at_of(p, op_at.join("parameters").join(i))))
                    .collect();
                let merged = common
                    .iter()
                    .filter(|(c, _)| !own.iter().any(|(o, _)| key(o) == key(c)))
                    .chain(&own);
                let op_key = (path.clone(), method.to_owned());
                let mut converted = Vec::new();
                for (p, origin) in merged {
                    match p.get("in").and_then(Value::as_str) {
                        Some("body") => {
                            pointers.bodies.insert(op_key.clone(), origin.clone());
                        }
                        Some("formData") => {
                            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                            let field = (path.clone(), method.to_owned(), name.to_owned());
                            pointers.form_fields.insert(field, origin.clone());
                        }
                        _ => converted.push(origin.clone()),
                    }
                }
                pointers.parameters.insert(op_key, converted);
            }
        }
        pointers
    }

    /// Maps a pointer into the converted document back to the Swagger
    /// document.
    pub fn map(&self, pointer: &str) -> String {
        let Some(converted) = Pointer::from_fragment(pointer) else {
            return pointer.to_owned();
        };
        let segments: Vec<String> = converted.segments().collect();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let joined =
            |base: Pointer, rest: &[&str]| rest.iter().fold(base, |at, s| at.join(s)).to_string();
        match segments.as_slice() {
            ["paths", path, method, "parameters", index, rest @ ..] => {
                let op = (path.to_string(), method.to_string());
                let origin = index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.parameters.get(&op)?.get(i));
                if let Some(origin) = origin {
                    return joined(origin.clone(), rest);
                }
            }
            ["paths", path, method, "requestBody", rest @ ..] => {
                let op = (path.to_string(), method.to_string());
                if let Some(body) = self.bodies.get(&op) {
                    return match rest {
                        ["content", _, "schema", rest @ ..] => joined(body.join("schema"), rest),
                        _ => body.to_string(),
                    };
                }
                if let ["content", _, "schema", "properties", name, rest @ ..] = rest {
                    let field = (path.to_string(), method.to_string(), name.to_string());
                    if let Some(origin) = self.form_fields.get(&field) {
                        return joined(origin.clone(), rest);
                    }
                }
                let first = self
                    .form_fields
                    .iter()
                    .find(|((p, m, _), _)| (p, m) == (&op.0, &op.1));
                if let Some((_, origin)) = first {
                    return origin.to_string();
                }
            }
            [
                "paths",
                path,
                method,
                "responses",
                status,
                "content",
                _,
                "schema",
                rest @ ..,
            ] => {
                let at = Pointer::root().join("paths").join(path).join(method);
                return joined(at.join("responses").join(status).join("schema"), rest);
            }
            [
                "components",
                "responses",
                name,
                "content",
                _,
                "schema",
                rest @ ..,
            ] => {
                let at = Pointer::root().join("responses").join(name).join("schema");
                return joined(at, rest);
            }
            _ => {}
        }
        pointer_in_swagger(pointer)
    }
}

/// The items of a JSON list, none for anything else.
fn list(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The sections of the converted document and the Swagger ones they came
/// from (shared parameters are inlined where they are used).
const SECTIONS: [(&str, &str); 3] = [
    ("#/components/schemas", "#/definitions"),
    ("#/components/responses", "#/responses"),
    ("#/components/securitySchemes", "#/securityDefinitions"),
];

/// Maps a pointer into the converted document back to the Swagger document
/// by section alone (see [`SwaggerPointers`] for the parts within them).
pub fn pointer_in_swagger(pointer: &str) -> String {
    for (openapi, swagger) in SECTIONS {
        if let Some(rest) = pointer
            .strip_prefix(openapi)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        {
            return format!("{swagger}{rest}");
        }
    }
    pointer.to_owned()
}

/// A message about the converted document in the Swagger document's words:
/// the references and sections it names (`` `#/components/schemas/Pet` does
/// not name an entry of #/components/schemas ``) as the author wrote them.
pub fn message_in_swagger(message: &str) -> String {
    SECTIONS
        .iter()
        .fold(message.to_owned(), |message, (openapi, swagger)| {
            message.replace(openapi, swagger)
        })
}

fn server_url(swagger: &Value) -> Option<String> {
    let base_path = swagger
        .get("basePath")
        .and_then(Value::as_str)
        .unwrap_or("");
    let host = swagger.get("host").and_then(Value::as_str)?;
    let schemes = strings(swagger.get("schemes"));
    let scheme = if schemes.is_empty() || schemes.iter().any(|s| s == "https") {
        "https"
    } else {
        schemes[0].as_str()
    };
    Some(format!("{scheme}://{host}{base_path}"))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn path_item(
    item: Value,
    shared: Option<&Map<String, Value>>,
    consumes: &[String],
    produces: &[String],
) -> Value {
    let Value::Object(mut item) = item else {
        return item;
    };
    let common = parameters(item.remove("parameters"), shared);
    let mut out = Map::new();
    for (key, value) in item {
        let value = match key.as_str() {
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                operation(value, &common, shared, consumes, produces)
            }
            _ => value,
        };
        out.insert(key, value);
    }
    Value::Object(out)
}

/// A `parameters` list, each one resolved (see [`resolve_parameter`]).
fn parameters(list: Option<Value>, shared: Option<&Map<String, Value>>) -> Vec<Value> {
    match list {
        Some(Value::Array(list)) => list
            .into_iter()
            .map(|p| resolve_parameter(p, shared))
            .collect(),
        _ => Vec::new(),
    }
}

/// Parameters are inlined: a body or formData parameter becomes part of the
/// request body, which needs the parameter itself.
fn resolve_parameter(parameter: Value, shared: Option<&Map<String, Value>>) -> Value {
    let target = parameter
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/parameters/"))
        .and_then(|name| shared?.get(name));
    match target {
        Some(target) => target.clone(),
        None => parameter,
    }
}

fn operation(
    op: Value,
    common: &[Value],
    shared: Option<&Map<String, Value>>,
    consumes: &[String],
    produces: &[String],
) -> Value {
    let Value::Object(mut op) = op else {
        return op;
    };
    let consumes = match strings(op.get("consumes")) {
        own if !own.is_empty() => own,
        _ if !consumes.is_empty() => consumes.to_vec(),
        _ => vec!["application/json".to_owned()],
    };
    let produces = match strings(op.get("produces")) {
        own if !own.is_empty() => own,
        _ => produces.to_vec(),
    };
    let own = parameters(op.remove("parameters"), shared);
    // Operation parameters override path-level ones with the same name and location.
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let mut parameters: Vec<Value> = common
        .iter()
        .filter(|c| !own.iter().any(|o| key(o) == key(c)))
        .cloned()
        .collect();
    parameters.extend(own);
    let responses = op.remove("responses");

    let mut out = Map::new();
    for (key, value) in op {
        if !matches!(key.as_str(), "consumes" | "produces") {
            out.insert(key, value);
        }
    }
    let mut converted = Vec::new();
    let mut form = Map::new();
    let mut form_required = Vec::new();
    let mut has_file = false;
    for mut p in parameters {
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                let body_schema = p
                    .get_mut("schema")
                    .map(|s| schema(s.take()))
                    .unwrap_or(json!({}));
                let required = p.get_mut("required").map_or(json!(false), Value::take);
                let mut body = Map::new();
                body.insert("content".into(), content(&consumes, body_schema));
                body.insert("required".into(), required);
                if let Some(description) = p.get_mut("description") {
                    body.insert("description".into(), description.take());
                }
                out.insert("requestBody".into(), Value::Object(body));
            }
            Some("formData") => {
                let name = p
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                has_file |= p.get("type").and_then(Value::as_str) == Some("file");
                if p.get("required").and_then(Value::as_bool) == Some(true) {
                    form_required.push(Value::String(name.clone()));
                }
                form.insert(name, parameter_schema(&mut p));
            }
            _ => converted.push(parameter(p)),
        }
    }
    if !form.is_empty() {
        let content_type = if has_file
            || consumes
                .iter()
                .any(|c| c.starts_with("multipart/form-data"))
        {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut form_schema = Map::new();
        form_schema.insert("type".into(), json!("object"));
        form_schema.insert("properties".into(), Value::Object(form));
        if !form_required.is_empty() {
            form_schema.insert("required".into(), Value::Array(form_required));
        }
        let content = content(&[content_type.to_owned()], Value::Object(form_schema));
        out.insert(
            "requestBody".into(),
            object([("content", content), ("required", Value::Bool(true))]),
        );
    }
    if !converted.is_empty() {
        out.insert("parameters".into(), Value::Array(converted));
    }
    let responses: Map<String, Value> = match responses {
        Some(Value::Object(responses)) => responses
            .into_iter()
            .map(|(k, v)| (k, response(v, &produces)))
            .collect(),
        _ => Map::new(),
    };
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

/// A JSON object of these entries. (`json!` would copy a variable's value
/// through `Serialize`: a deep copy of every schema it is given.)
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// A `content` map: each media type with `schema` (copied for all but the last).
fn content(media_types: &[String], schema: Value) -> Value {
    let mut content = Map::new();
    let mut schema = Some(schema);
    for (i, media_type) in media_types.iter().enumerate() {
        let schema = if i + 1 == media_types.len() {
            schema.take().unwrap_or_default()
        } else {
            schema.clone().unwrap_or_default()
        };
        content.insert(media_type.clone(), object([("schema", schema)]));
    }
    Value::Object(content)
}

fn parameter(mut p: Value) -> Value {
    // A parameter with `in` and a `$ref` beside it (seen in the wild) means
    // the `$ref` as its schema.
    if p.get("$ref").is_some() && p.get("in").is_none() {
        return rewrite_refs(p);
    }
    let location = p
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("query")
        .to_owned();
    let list_style = (p.get("type").and_then(Value::as_str) == Some("array")).then(|| {
        match p
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv")
        {
            "multi" => ("form", true),
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            _ if location == "query" || location == "cookie" => ("form", false),
            _ => ("simple", false),
        }
    });
    let mut out = Map::new();
    for key in ["name", "in", "description", "required", "deprecated"] {
        if let Some(v) = p.get(key) {
            // The schema takes the description too: copied, not moved.
            out.insert(key.into(), v.clone());
        }
    }
    out.insert("schema".into(), parameter_schema(&mut p));
    if let Some((style, explode)) = list_style {
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }
    Value::Object(out)
}

/// A non-body parameter's inline type keywords, as a schema; they are taken
/// out of `p`.
fn parameter_schema(p: &mut Value) -> Value {
    let mut out = Map::new();
    if let Some(p) = p.as_object_mut() {
        for key in [
            "$ref",
            "type",
            "format",
            "items",
            "enum",
            "default",
            "minimum",
            "maximum",
            "pattern",
            "description",
            "x-nullable",
            "properties",
            "additionalProperties",
        ] {
            if let Some(v) = p.remove(key) {
                out.insert(key.into(), v);
            }
        }
    }
    schema(Value::Object(out))
}

fn response(r: Value, produces: &[String]) -> Value {
    if r.get("$ref").is_some() {
        return rewrite_refs(r);
    }
    let Value::Object(mut r) = r else {
        return json!({ "description": "" });
    };
    let mut out = Map::new();
    out.insert(
        "description".into(),
        r.remove("description").unwrap_or(json!("")),
    );
    if let Some(s) = r.remove("schema") {
        let default = ["application/json".to_owned()];
        let types = if produces.is_empty() {
            &default[..]
        } else {
            produces
        };
        let mut content = content(types, schema(s));
        // `examples: {media type: value}` becomes that media type's `example`.
        if let Some(Value::Object(examples)) = r.remove("examples") {
            for (media_type, example) in examples {
                if let Some(Value::Object(media)) = content.get_mut(&media_type) {
                    media.insert("example".into(), example);
                }
            }
        }
        out.insert("content".into(), content);
    }
    if let Some(Value::Object(headers)) = r.remove("headers") {
        let converted = headers
            .into_iter()
            .map(|(k, h)| (k, object([("schema", schema(h))])))
            .collect();
        out.insert("headers".into(), Value::Object(converted));
    }
    Value::Object(out)
}

fn security_scheme(s: Value) -> Value {
    match s.get("type").and_then(Value::as_str) {
        Some("basic") => json!({ "type": "http", "scheme": "basic" }),
        Some("oauth2") => json!({ "type": "oauth2" }),
        _ => s,
    }
}

/// Schema keywords that differ: `type: file`, `x-nullable`, a string
/// `discriminator`; and every `$ref`.
fn schema(s: Value) -> Value {
    match s {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => {
                        out.insert(key, Value::String(rewrite_ref(&r)));
                    }
                    ("type", Value::String(t)) if t == "file" => {
                        out.insert("type".into(), json!("string"));
                        out.insert("format".into(), json!("binary"));
                    }
                    ("x-nullable", Value::Bool(b)) => {
                        out.insert("nullable".into(), json!(b));
                    }
                    ("discriminator", Value::String(name)) => {
                        out.insert(key, object([("propertyName", Value::String(name))]));
                    }
                    ("properties" | "definitions", Value::Object(children)) => {
                        let children = children.into_iter().map(|(k, v)| (k, schema(v))).collect();
                        out.insert(key, Value::Object(children));
                    }
                    ("example" | "examples" | "enum" | "default" | "required", value) => {
                        out.insert(key, value);
                    }
                    (_, value) => {
                        out.insert(key, schema(value));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(schema).collect()),
        other => other,
    }
}

fn rewrite_refs(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => (k, Value::String(rewrite_ref(&r))),
                    (_, v) => (k, rewrite_refs(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(rewrite_refs).collect()),
        other => other,
    }
}

fn rewrite_ref(reference: &str) -> String {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let fragment = if let Some(rest) = fragment.strip_prefix("/definitions/") {
        format!("/components/schemas/{rest}")
    } else if let Some(rest) = fragment.strip_prefix("/responses/") {
        format!("/components/responses/{rest}")
    } else {
        fragment.to_owned()
    };
    if reference.contains('#') {
        format!("{file}#{fragment}")
    } else {
        file.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_the_sections_a_client_needs() {
        let swagger = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example.com", "basePath": "/v1", "schemes": ["http", "https"],
            "consumes": ["application/json"],
            "securityDefinitions": {"basic": {"type": "basic"}},
            "definitions": {"Pet": {"type": "object", "properties": {
                "tag": {"$ref": "#/definitions/Tag"}, "photo": {"type": "file"}, "owner": {"type": "string", "x-nullable": true}
            }}},
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"}],
                "put": {
                    "parameters": [
                        {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"},
                        "examples": {"application/json": {"owner": "Ada"}, "text/xml": "<pet/>"}}}
                },
                "post": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [{"name": "file", "in": "formData", "type": "file", "required": true}],
                    "responses": {"204": {"description": "done"}}
                }
            }}
        });
        let v = to_openapi3(swagger);
        assert_eq!(v["servers"][0]["url"], "https://api.example.com/v1");
        assert_eq!(
            v["components"]["securitySchemes"]["basic"],
            json!({"type": "http", "scheme": "basic"})
        );
        let pet = &v["components"]["schemas"]["Pet"]["properties"];
        assert_eq!(pet["tag"]["$ref"], "#/components/schemas/Tag");
        assert_eq!(pet["photo"], json!({"type": "string", "format": "binary"}));
        assert_eq!(pet["owner"]["nullable"], true);
        let put = &v["paths"]["/pets/{id}"]["put"];
        assert_eq!(put["parameters"][0]["name"], "id");
        assert_eq!(put["parameters"][1]["style"], "pipeDelimited");
        assert_eq!(
            put["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(
            put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        // A response's example, under its media type; one for a media type
        // the operation does not produce is left out.
        assert_eq!(
            put["responses"]["200"]["content"],
            json!({"application/json": {
                "schema": {"$ref": "#/components/schemas/Pet"},
                "example": {"owner": "Ada"}
            }})
        );
        let post = &v["paths"]["/pets/{id}"]["post"];
        let form = &post["requestBody"]["content"]["multipart/form-data"]["schema"];
        assert_eq!(form["properties"]["file"]["format"], "binary");
        assert_eq!(form["required"], json!(["file"]));
    }

    #[test]
    fn converted_pointers_map_back_to_where_the_swagger_document_has_them() {
        let swagger = json!({
            "swagger": "2.0",
            "parameters": {"Page": {"name": "page", "in": "query", "type": "integer"}},
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "post": {"parameters": [
                    {"name": "file", "in": "formData", "type": "file"},
                    {"$ref": "#/parameters/Page"},
                    {"name": "note", "in": "formData", "type": "string"},
                ]},
            }},
        });
        let pointers = SwaggerPointers::of(&swagger);
        let op = "#/paths/~1pets~1{id}/post";
        for (converted, original) in [
            (
                format!("{op}/parameters/0/schema"),
                "#/paths/~1pets~1{id}/parameters/0/schema".to_owned(),
            ),
            (
                format!("{op}/parameters/1/schema"),
                "#/parameters/Page/schema".to_owned(),
            ),
            (
                format!(
                    "{op}/requestBody/content/multipart~1form-data/schema/properties/note/type"
                ),
                format!("{op}/parameters/2/type"),
            ),
            (format!("{op}/requestBody"), format!("{op}/parameters/0")),
            (
                format!("{op}/responses/201/content/application~1json/schema/items"),
                format!("{op}/responses/201/schema/items"),
            ),
            (
                "#/components/responses/Error/content/application~1json/schema".to_owned(),
                "#/responses/Error/schema".to_owned(),
            ),
            (
                "#/components/schemas/Pet/properties".to_owned(),
                "#/definitions/Pet/properties".to_owned(),
            ),
        ] {
            assert_eq!(pointers.map(&converted), original, "{converted}");
        }
    }
}
