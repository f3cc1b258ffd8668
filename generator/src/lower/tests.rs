//! Lowering, one decision at a time: small documents in, the IR's choices
//! checked directly (names, `Box`, three-state fields, fallbacks, typed
//! indexes), without printing any code.

use crate::ir::*;
use crate::{Diagnostics, NoFiles};

fn lowered(yaml: &str) -> Api {
    try_lowered(yaml).unwrap_or_else(|d| panic!("{d}"))
}

fn try_lowered(yaml: &str) -> Result<Api, Diagnostics> {
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{yaml}");
    crate::api("t.yaml", &text, &NoFiles, &[])
}

fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type `{name}`"))
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &def(api, name).kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("`{name}` is not a struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, name: &str, wire: &str) -> &'a Field {
    fields(api, name)
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("`{name}` has no field `{wire}`"))
}

#[test]
fn a_field_that_contains_its_owner_directly_is_boxed_and_one_through_a_list_is_not() {
    let api = lowered(
        "paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        pair: {$ref: '#/components/schemas/Pair'}
    Pair:
      type: object
      properties:
        left: {$ref: '#/components/schemas/Node'}
        label: {type: string}
",
    );
    assert!(field(&api, "Node", "parent").boxed);
    assert!(!field(&api, "Node", "children").boxed);
    // Node and Pair contain each other: both sides of the cycle are boxed.
    assert!(field(&api, "Node", "pair").boxed);
    assert!(field(&api, "Pair", "left").boxed);
    assert!(!field(&api, "Pair", "label").boxed);
}

#[test]
fn a_union_variant_that_contains_the_union_is_boxed() {
    let api = lowered(
        "paths: {}
components:
  schemas:
    Expr:
      oneOf:
        - {$ref: '#/components/schemas/Not'}
        - {type: string}
    Not:
      type: object
      required: [not]
      properties:
        not: {$ref: '#/components/schemas/Expr'}
",
    );
    let TypeKind::Union(union) = &def(&api, "Expr").kind else {
        panic!("Expr is a union");
    };
    let boxed: Vec<(&str, bool)> = union
        .variants
        .iter()
        .map(|v| (v.rust.as_str(), v.boxed))
        .collect();
    // Untagged variants are tried in order: a string before an object.
    assert_eq!(boxed, [("String", false), ("Not", true)]);
}

#[test]
fn optional_nullable_fields_are_three_state_only_in_what_requests_send() {
    let api = lowered(
        "paths:
  /things:
    put:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Update'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Update:
      type: object
      properties:
        note: {type: string, nullable: true}
        name: {type: string}
    Thing:
      type: object
      properties:
        note: {type: string, nullable: true}
",
    );
    let note = field(&api, "Update", "note");
    assert!(note.three_state);
    assert_eq!(
        note.rust_ty(),
        Ty::Option(Box::new(Ty::Option(Box::new(Ty::String))))
    );
    assert!(!field(&api, "Update", "name").three_state);
    let response_note = field(&api, "Thing", "note");
    assert!(!response_note.three_state);
    assert_eq!(response_note.rust_ty(), Ty::Option(Box::new(Ty::String)));
}

#[test]
fn an_alias_defined_only_through_itself_becomes_json_with_a_located_warning() {
    let api = lowered(
        "paths: {}
components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
    List: {type: array, items: {$ref: '#/components/schemas/List'}}
",
    );
    let broken: Vec<&str> = api
        .types
        .iter()
        .filter(|t| matches!(&t.kind, TypeKind::Alias(a) if a.ty == Ty::Json))
        .map(|t| t.name.as_str())
        .collect();
    // One alias per cycle is broken, the first in document order; the
    // other keeps naming it.
    assert_eq!(broken, ["A", "List"]);
    assert_eq!(api.fallbacks.len(), 2);
    let warned: Vec<String> = api.warnings.iter().map(|w| w.pointer.clone()).collect();
    assert!(
        warned.contains(&"#/components/schemas/A".to_owned()),
        "{warned:?}"
    );
    assert!(
        warned.contains(&"#/components/schemas/List".to_owned()),
        "{warned:?}"
    );
}

#[test]
fn inline_schemas_are_named_from_where_they_stand() {
    let api = lowered(
        "paths: {}
components:
  schemas:
    User:
      type: object
      properties:
        address:
          type: object
          properties:
            city: {type: string}
        role: {type: string, enum: [admin, member]}
",
    );
    assert!(matches!(def(&api, "UserAddress").kind, TypeKind::Struct(_)));
    let TypeKind::Enum(role) = &def(&api, "UserRole").kind else {
        panic!("UserRole is an enum");
    };
    let variants: Vec<(&str, &str)> = role
        .variants
        .iter()
        .map(|v| (v.wire.as_str(), v.rust.as_str()))
        .collect();
    assert_eq!(variants, [("admin", "Admin"), ("member", "Member")]);
    assert_eq!(
        def(&api, "UserAddress").pointer.to_string(),
        "#/components/schemas/User/properties/address"
    );
}

#[test]
fn names_a_schema_takes_become_unique_identifiers_with_wire_names_kept() {
    let api = lowered(
        "paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        type: {type: string}
        self: {type: string}
        user-id: {type: string}
        userId: {type: string}
        '1': {type: string}
",
    );
    let names: Vec<(&str, &str)> = fields(&api, "Thing")
        .iter()
        .map(|f| (f.wire.as_str(), f.rust.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("1", "_1"),
            ("self", "self_"),
            ("type", "r#type"),
            ("user-id", "user_id"),
            ("userId", "user_id2"),
        ]
    );
}

#[test]
fn path_parts_and_paging_refer_to_parameters_by_typed_index() {
    let api = lowered(
        "paths:
  /orgs/{org}/users/{id}:
    get:
      operationId: listUsers
      x-oxgen-paging: {page: page, per-page: per_page, max-per-page: 100, page-count: /count}
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: org, in: path, required: true, schema: {type: integer}}
        - {name: q, in: query, schema: {type: string}}
        - {name: per_page, in: query, schema: {type: integer}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {type: integer}
",
    );
    let op = &api.operations[0];
    let path: Vec<String> = op
        .path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param(i) => format!("{{{}}}", op.path_params[*i].wire),
        })
        .collect();
    assert_eq!(path.concat(), "/orgs/{org}/users/{id}");
    let paging = op.paging.as_ref().expect("paging");
    assert_eq!(op.params[paging.page].wire, "page");
    assert_eq!(op.params[paging.per_page].wire, "per_page");
    assert_eq!(paging.page_count, [("count".to_owned(), 1)]);
}

#[test]
fn paging_over_a_parameter_that_is_not_an_optional_integer_leaves_the_operation_out() {
    let api = try_lowered(
        "paths:
  /users:
    get:
      x-oxgen-paging: {page: page, per-page: per_page, max-per-page: 100, page-count: /count}
      parameters:
        - {name: page, in: query, schema: {type: string}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {count: {type: integer}}}
",
    )
    .expect("a fault of one operation leaves it out");
    assert!(api.operations.is_empty());
    let messages: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("#/paths/~1users/get/x-oxgen-paging/page")
            && messages[0]
                .contains("`page` must be an optional integer query parameter of this operation; operation left out"),
        "{messages:?}"
    );
}

#[test]
fn statuses_with_different_bodies_become_an_enum_of_response_cases() {
    let api = lowered(
        "paths:
  /things:
    get:
      operationId: getThing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string}
        '202':
          description: accepted
        '404':
          description: missing
          content:
            application/json:
              schema: {type: object, properties: {message: {type: string}}}
",
    );
    let op = &api.operations[0];
    let Outcome::Enum { name, variants } = &op.success else {
        panic!("two success bodies: {:?}", op.success);
    };
    assert_eq!(name, "GetThingResponse");
    let cases: Vec<(StatusMatch, &str)> = variants
        .iter()
        .map(|(case, variant)| (op.responses[*case].status, variant.as_str()))
        .collect();
    assert_eq!(
        cases,
        [
            (StatusMatch::Code(200), "Ok"),
            (StatusMatch::Code(202), "Accepted")
        ]
    );
    assert!(matches!(&op.error, Outcome::Single(Some(Ty::Named(_)))));
}

#[test]
fn an_all_of_whose_members_only_annotate_is_any_value_not_an_empty_struct() {
    let api = lowered(
        "paths: {}
components:
  schemas:
    Holder:
      type: object
      properties:
        name:
          allOf: [{}, {example: Aaron}]
        tags:
          type: object
          additionalProperties:
            allOf: [{}, {description: any tag value}]
        count:
          type: integer
          allOf: [{description: how many}]
        owner:
          allOf: [{$ref: '#/components/schemas/Owner'}, {description: who owns it}]
    Owner:
      type: object
      properties:
        id: {type: string}
",
    );
    assert_eq!(field(&api, "Holder", "name").ty, Ty::Json);
    assert_eq!(
        field(&api, "Holder", "tags").ty,
        Ty::Map(Box::new(Ty::Json))
    );
    assert_eq!(field(&api, "Holder", "count").ty, Ty::I64);
    let owner = api.types.iter().position(|t| t.name == "Owner").unwrap();
    assert_eq!(field(&api, "Holder", "owner").ty, Ty::Named(TypeId(owner)));
    // Any value is what the document says, not a schema oxgen gave up on.
    assert!(api.fallbacks.is_empty(), "{:?}", api.fallbacks);
    assert_eq!(api.types.len(), 2, "no empty struct was made");
}

#[test]
fn an_operation_takes_its_own_or_its_paths_server_and_a_bad_one_is_a_warning() {
    let api = lowered(
        "servers: [{url: 'https://api.example/v1'}]
paths:
  /uploads:
    servers: [{url: 'https://{host}/v2/', variables: {host: {default: uploads.example}}}]
    post:
      operationId: upload
      responses: {'204': {description: ok}}
    get:
      operationId: list uploads
      servers: [{url: 'https://api.example/v1'}]
      responses: {'204': {description: ok}}
  /relative:
    get:
      operationId: relative
      servers: [{url: /other}]
      responses: {'204': {description: ok}}
  /broken:
    get:
      operationId: broken
      servers: {url: 'https://x.example'}
      responses: {'204': {description: ok}}
",
    );
    let server = |name: &str| {
        let op = api
            .operations
            .iter()
            .find(|op| op.rust_name == name)
            .unwrap();
        op.server.as_deref()
    };
    assert_eq!(server("upload"), Some("https://uploads.example/v2"));
    // The document's own server is the client's base URL already.
    assert_eq!(server("list_uploads"), None);
    assert_eq!(server("relative"), None);
    assert_eq!(server("broken"), None);
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "t.yaml:22:7: `servers` must be a list of servers; ignored (at #/paths/~1broken/get/servers)",
            "t.yaml:17:7: server `/other` is not an absolute http(s) URL; the operation uses the client's base URL (at #/paths/~1relative/get/servers/0/url)",
        ]
    );
}

#[test]
fn a_list_under_items_without_type_array_is_any_of_with_a_located_warning() {
    let api = lowered(
        "paths: {}
components:
  schemas:
    Message: {type: object, properties: {text: {type: string}}}
    Channel:
      type: object
      properties:
        latest: {items: [{$ref: '#/components/schemas/Message'}, {type: 'null'}]}
        ids: {type: array, items: {items: [{type: string}, {type: integer}]}}
        pair: {type: array, items: [{type: string}, {type: integer}]}
",
    );
    let message = Ty::Named(TypeId(
        api.types.iter().position(|t| t.name == "Message").unwrap(),
    ));
    // Message or null: an optional message, not a tuple.
    assert_eq!(
        field(&api, "Channel", "latest").ty,
        Ty::Option(Box::new(message))
    );
    let ids = &field(&api, "Channel", "ids").ty;
    let Ty::Vec(item) = ids else {
        panic!("{ids:?}")
    };
    let Ty::Named(union) = &**item else {
        panic!("{item:?}")
    };
    assert!(matches!(api.ty(*union).kind, TypeKind::Union(_)));
    // With `type: array`, a list under `items` stays positional (a tuple).
    assert_eq!(
        field(&api, "Channel", "pair").ty,
        Ty::Tuple(vec![Ty::String, Ty::I64])
    );
    let warned: Vec<&str> = api.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        warned,
        [
            "#/components/schemas/Channel/properties/ids/items/items",
            "#/components/schemas/Channel/properties/latest/items",
        ]
    );
}

#[test]
fn a_description_that_repeats_the_title_is_said_once() {
    let api = lowered(
        "paths: {}
components:
  schemas:
    Repeated: {type: object, title: Full Repository, description: ' Full Repository '}
    Different: {type: object, title: Label, description: A tag on an issue.}
",
    );
    assert_eq!(
        def(&api, "Repeated").docs.as_deref(),
        Some("Full Repository")
    );
    assert_eq!(
        def(&api, "Different").docs.as_deref(),
        Some("Label\n\nA tag on an issue.")
    );
}

#[test]
fn a_response_or_parameter_of_the_components_is_one_type_named_after_it() {
    let api = lowered(
        "paths:
  /a:
    get:
      operationId: getA
      parameters:
        - $ref: '#/components/parameters/sort-direction'
        - {name: order, in: query, schema: {type: string, enum: [up, down]}}
      responses:
        '200': {description: ok}
        '503': {$ref: '#/components/responses/service_unavailable'}
  /b:
    get:
      operationId: getB
      parameters:
        - $ref: '#/components/parameters/sort-direction'
      responses:
        '200': {description: ok}
        '503': {$ref: '#/components/responses/service_unavailable'}
        '404':
          description: missing
          content:
            application/json:
              schema: {type: object, properties: {message: {type: string}}}
components:
  parameters:
    sort-direction:
      name: direction
      in: query
      description: Which way to sort.
      schema: {type: string, enum: [asc, desc]}
  responses:
    service_unavailable:
      description: down
      content:
        application/json:
          schema:
            type: object
            properties:
              code: {type: string}
              detail: {type: object, properties: {retry: {type: boolean}}}
",
    );
    let body = |op: &Operation, status: u16| {
        let case = op
            .responses
            .iter()
            .find(|r| r.status == StatusMatch::Code(status));
        match case.and_then(|r| r.ty.as_ref()) {
            Some(Ty::Named(id)) => api.ty(*id).name.clone(),
            other => panic!("{status}: {other:?}"),
        }
    };
    let (a, b) = (&api.operations[0], &api.operations[1]);
    assert_eq!(body(a, 503), "ServiceUnavailable");
    assert_eq!(body(b, 503), "ServiceUnavailable");
    // Its schema says nothing of itself: the response's description does.
    let docs = def(&api, "ServiceUnavailable").docs.as_deref();
    assert_eq!(docs, Some("down"));
    // Its inline members are named from it, once; an operation's own
    // response is still named from the operation.
    assert_eq!(fields(&api, "ServiceUnavailableDetail").len(), 1);
    assert_eq!(body(b, 404), "GetBResponse404");
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("ServiceUnavailable"))
            .count(),
        2,
        "{names:?}"
    );
    // A parameter's type is named after its entry, not its wire name.
    let param = |op: &Operation, wire: &str| match op.params.iter().find(|p| p.wire == wire) {
        Some(Param {
            ty: Ty::Named(id), ..
        }) => api.ty(*id).name.clone(),
        other => panic!("{wire}: {other:?}"),
    };
    assert_eq!(param(a, "direction"), "SortDirection");
    assert_eq!(param(b, "direction"), "SortDirection");
    assert_eq!(param(a, "order"), "GetAOrder");
    let docs = def(&api, "SortDirection").docs.as_deref();
    assert_eq!(docs, Some("Which way to sort."));
    assert_eq!(names.iter().filter(|n| n.ends_with("Direction")).count(), 1);
}
