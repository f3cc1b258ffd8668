//! The wording and location of spec errors, pinned.

fn errors(file: &str, text: &str) -> Vec<String> {
    match oxgen::generate(file, text) {
        Ok(_) => panic!("expected errors"),
        Err(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn yaml_syntax_errors_name_file_line_and_column() {
    let text = "openapi: 3.1.0\ninfo:\n  title: x\n   version: [\n";
    assert_eq!(
        errors("spec/bad.yaml", text),
        ["spec/bad.yaml:4:11: mapping values are not allowed in this context (at #/info)"]
    );
}

#[test]
fn json_syntax_errors_name_file_line_and_column() {
    let text = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {,}\n}";
    assert_eq!(
        errors("spec/bad.json", text),
        ["spec/bad.json:3:13: key must be a string (at #/paths)"]
    );
}

#[test]
fn type_errors_name_the_json_pointer() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /users/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: yes-please
"#;
    // A fault inside one operation leaves that operation out, located.
    assert_eq!(
        warnings("spec/t.yaml", text),
        [
            "spec/t.yaml:10:11: invalid type: string \"yes-please\", expected a boolean; operation left out (at #/paths/~1users~1{id}/get/parameters/0/required)"
        ]
    );
    // What cannot be read at all is refused, located the same way.
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: [/users]\n";
    assert_eq!(
        errors("spec/t.yaml", text),
        ["spec/t.yaml:3:8: paths: invalid type: sequence, expected a map (at #/paths)"]
    );
}

fn warnings(file: &str, text: &str) -> Vec<String> {
    let generated = oxgen::generate(file, text).unwrap_or_else(|d| panic!("{d}"));
    generated
        .summary
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Swagger 2.0 is read as the OpenAPI 3 document it converts to; a problem is
/// still named where the Swagger document has it.
#[test]
fn swagger_type_errors_name_the_swagger_pointer() {
    let text = r#"swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /users:
    get:
      responses:
        '200':
          description: ok
          schema: {$ref: '#/definitions/User'}
definitions:
  User:
    type: object
    properties:
      id: 5
"#;
    let shown = warnings("spec/s.yaml", text);
    assert!(
        shown.contains(
            &"spec/s.yaml:14:7: invalid type: integer `5`, expected a schema object or a boolean; schema read as any JSON (at #/definitions/User/properties/id)".to_owned()
        ),
        "{shown:?}"
    );
}

/// A member the specification does not define where it stands is ignored
/// by reading, so it would change the client silently: each is a warning at
/// its place. Extensions and defined members without use are not.
#[test]
fn members_the_specification_does_not_define_are_warnings_at_their_place() {
    let text = r#"openapi: 3.0.3
info: {title: t, version: "1", x-logo: {url: "https://x"}}
externalDocs: {url: "https://docs"}
paths:
  /users:
    get:
      paramters:
        - {name: q, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          schema: {$ref: '#/components/schemas/User'}
components:
  schemas:
    User:
      type: object
      requried: [id]
      properties:
        id: {type: string, maxLength: 10, x-internal: true}
"#;
    let expected = [
        "`paramters` is not a member of an Operation Object; ignored (at #/paths/~1users/get/paramters)",
        "`schema` is not a member of a Response Object; ignored (at #/paths/~1users/get/responses/200/schema)",
        "`requried` is not a member of a Schema Object; ignored (at #/components/schemas/User/requried)",
    ];
    let lines = ["7:7", "12:11", "17:7"];
    let mut sorted: Vec<String> = expected
        .iter()
        .zip(lines)
        .map(|(message, line)| format!("spec/t.yaml:{line}: {message}"))
        .collect();
    sorted.sort_by_key(|w| w.rsplit_once("(at ").map(|(_, p)| p.to_owned()));
    let mut shown = warnings("spec/t.yaml", text);
    shown.sort_by_key(|w| w.rsplit_once("(at ").map(|(_, p)| p.to_owned()));
    assert_eq!(shown, sorted);

    // The same from JSON text, and from a document that also needs a repair
    // (read another way).
    let value: serde_json::Value = serde_yaml::from_str(text).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let repaired = warnings(
        "spec/t.yaml",
        &text.replace(
            "paths:",
            "servers: {url: 'https://api.example.com'}\npaths:",
        ),
    );
    assert_eq!(repaired.len(), expected.len() + 1, "{repaired:?}");
    for shown in [warnings("spec/t.json", &json), repaired] {
        for message in expected {
            assert_eq!(
                shown.iter().filter(|w| w.ends_with(message)).count(),
                1,
                "{message} in {shown:?}"
            );
        }
    }

    // Swagger 2.0: at the Swagger pointer.
    let text = r#"swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /users:
    get:
      paramters: []
      responses: {'200': {description: ok}}
"#;
    assert_eq!(
        warnings("spec/s.yaml", text),
        [
            "spec/s.yaml:6:7: `paramters` is not a member of an Operation Object; ignored (at #/paths/~1users/get/paramters)"
        ]
    );
}

/// A Swagger 2.0 document is read converted: its parameters merged per
/// operation without the body and form ones, its body and response schemas
/// under media types. A problem is still named, with its line, where the
/// Swagger document has it.
#[test]
fn swagger_problems_are_named_where_the_swagger_document_has_them() {
    let text = r#"swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /users/{id}:
    parameters:
      - {name: id, in: path, required: true, type: string}
      - {name: X-Trace, in: header, type: string}
    put:
      parameters:
        - name: body
          in: body
          schema: {type: object, required: [ghost], properties: {name: {type: string}}}
        - {$ref: '#/parameters/Nope'}
      responses:
        '200':
          description: ok
          schema: {type: object, required: [gone], properties: {id: {type: string}}}
    get:
      parameters:
        - {$ref: '#/parameters/Page'}
        - {name: q, in: query, type: string}
      responses:
        '200':
          description: ok
          schema: {type: object, required: [lost], properties: {id: {type: string}}}
parameters:
  Page: {name: page, in: query, type: integer, default: 1}
"#;
    let mut shown = warnings("spec/s.yaml", text);
    shown.sort();
    assert_eq!(
        shown,
        [
            "spec/s.yaml:12:11: `ghost` is required but not among the properties; ignored (at #/paths/~1users~1{id}/put/parameters/0/schema/required)",
            // The third parameter once converted: the path's two come first.
            "spec/s.yaml:13:9: `#/parameters/Nope` names nothing in its file; left out (at #/paths/~1users~1{id}/put/parameters/1/$ref)",
            "spec/s.yaml:17:11: `gone` is required but not among the properties; ignored (at #/paths/~1users~1{id}/put/responses/200/schema/required)",
            "spec/s.yaml:25:11: `lost` is required but not among the properties; ignored (at #/paths/~1users~1{id}/get/responses/200/schema/required)",
        ]
    );
}

/// Faults local to one part are repaired where the intent is plain, or the
/// part is left out; each is a located warning, counted in the summary, and
/// the rest generates (`generator/tests/specs/faults.yaml`, which the corpus
/// test also compiles).
#[test]
fn local_faults_are_repaired_or_left_out_with_located_warnings() {
    let file = "tests/specs/faults.yaml";
    let text = std::fs::read_to_string(file).unwrap();
    let generated = oxgen::generate(file, &text).unwrap_or_else(|d| panic!("{d}"));
    let shown: Vec<String> = generated
        .summary
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        [
            "tests/specs/faults.yaml:15:5: invalid type: sequence, expected a string; component left out (at #/components/parameters/Broken/in)",
            "tests/specs/faults.yaml:4:1: a number where text is meant; read as \"2\" (at #/info/version)",
            "tests/specs/faults.yaml:28:3: a path item must be a map; path left out (at #/paths/~1nothing)",
            "tests/specs/faults.yaml:23:9: a response refers to a request body (`#/components/requestBodies/Thing`); read as a response with its content (at #/paths/~1things/get/responses/200/$ref)",
            "tests/specs/faults.yaml:20:7: `null` where a list of scopes is meant; read as no scopes (at #/paths/~1things/get/security/0/oauth2)",
            "tests/specs/faults.yaml:21:7: a URL where a list of servers is meant; read as one server (at #/paths/~1things/get/servers)",
            "tests/specs/faults.yaml:26:7: invalid type: string \"oops\", expected a sequence; operation left out (at #/paths/~1things/post/parameters)",
            "tests/specs/faults.yaml:5:1: one server where a list is meant; read as a list of it (at #/servers)",
        ]
    );
    let summary = &generated.summary;
    assert_eq!(
        (summary.operations, summary.repaired, summary.left_out),
        (1, 5, 3)
    );
    let client = &generated.files["client.rs"];
    // The repaired answer is typed; the operation's own server is used.
    assert!(
        client.contains("pub fn list_things(&self) -> ResponseFuture<types::Thing, ()>"),
        "{client}"
    );
    assert!(client.contains("https://other.example.com"), "{client}");

    let file = "tests/specs/faults-swagger.yaml";
    let text = std::fs::read_to_string(file).unwrap();
    let generated = oxgen::generate(file, &text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(generated.summary.repaired, 1);
    assert_eq!(generated.summary.operations, 1);
}

#[test]
fn unknown_versions_are_refused_by_name() {
    assert_eq!(
        errors("s.json", r#"{"swagger": "1.2", "paths": {}}"#),
        [
            "s.json:1:13: Swagger 1.2 is not supported; expected Swagger 2.0 or OpenAPI 3.0.x, 3.1.x or 3.2.x (at #/swagger)"
        ]
    );
    assert_eq!(
        errors("s.yaml", "openapi: 4.0.0\n"),
        [
            "s.yaml:1:1: OpenAPI version 4.0.0 is not supported; expected 3.0.x, 3.1.x or 3.2.x (at #/openapi)"
        ]
    );
    assert_eq!(
        errors("s.yaml", "title: hello\n"),
        ["s.yaml: not an OpenAPI document: it has no `openapi` field (at #)"]
    );
}

/// A fault in one operation leaves that operation out, and a dangling
/// reference in one schema types that schema as any JSON: the rest of the
/// document generates, and each fault is a located warning.
#[test]
fn faults_in_one_operation_leave_it_out() {
    let text = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /users/{id}:
    put:
      operationId: Update User
      parameters:
        - $ref: '#/components/parameters/Missing'
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Nope'}
      responses:
        '200':
          description: ok
        'twohundred':
          description: no
  /users:
    get:
      operationId: list_users
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
components:
  schemas:
    User:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        manager: {$ref: '#/components/schemas/Gone'}
"#;
    let generated = oxgen::generate("spec/api.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    let shown: Vec<String> = generated
        .summary
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        [
            "spec/api.yaml:35:9: `#/components/schemas/Gone` does not name an entry of #/components/schemas; typed as any JSON (at #/components/schemas/User/properties/manager/$ref)",
            "spec/api.yaml:32:7: `name` is required but not among the properties; ignored (at #/components/schemas/User/required)",
            "spec/api.yaml:9:11: `#/components/parameters/Missing` does not name an entry of #/components/parameters; operation left out (at #/paths/~1users~1{id}/put/parameters/0/$ref)",
            "spec/api.yaml:17:9: `twohundred` is not a status code, a range like `4XX`, or `default` (at #/paths/~1users~1{id}/put/responses/twohundred)",
        ]
    );
    let summary = &generated.summary;
    assert_eq!((summary.operations, summary.left_out), (1, 1));
    assert!(generated.files["client.rs"].contains("pub fn list_users("));
}

/// A Swagger 2.0 document is read as OpenAPI 3, but its problems are told in
/// its own words: the sections and references its author wrote.
#[test]
fn swagger_references_that_name_nothing_are_told_in_swagger_words() {
    let text = r#"swagger: "2.0"
info: {title: t, version: "1"}
host: example.com
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - $ref: '#/parameters/Missing'
      responses:
        "200":
          description: ok
          schema:
            $ref: '#/definitions/Gone'
  /b:
    get:
      operationId: getB
      responses:
        "200":
          $ref: '#/responses/Nope'
"#;
    assert_eq!(
        warnings("spec/api.yaml", text),
        [
            "spec/api.yaml:9:11: `#/parameters/Missing` names nothing in its file; left out (at #/paths/~1a/get/parameters/0/$ref)",
            "spec/api.yaml:14:13: `#/definitions/Gone` does not name an entry of #/definitions; typed as any JSON (at #/paths/~1a/get/responses/200/schema/$ref)",
            "spec/api.yaml:20:11: `#/responses/Nope` does not name an entry of #/responses; operation left out (at #/paths/~1b/get/responses/200/$ref)",
        ]
    );
}

/// What is not local to one part refuses the document, with every problem
/// found in the same run.
#[test]
fn every_problem_is_reported_in_one_run() {
    let text = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
security: [{key: []}, {body: []}]
paths:
  /users/{id}:
    put:
      parameters:
        - $ref: '#/components/parameters/Missing'
      responses:
        'twohundred':
          description: no
components:
  securitySchemes:
    key: {type: apiKey, in: header}
    body: {type: apiKey, in: body, name: k}
"#;
    assert_eq!(
        errors("spec/api.yaml", text),
        [
            "spec/api.yaml:16:5: an API key cannot be in `body` (at #/components/securitySchemes/body/in)",
            "spec/api.yaml:15:5: an API key scheme needs a `name` (at #/components/securitySchemes/key)",
            "spec/api.yaml:9:11: `#/components/parameters/Missing` does not name an entry of #/components/parameters (at #/paths/~1users~1{id}/put/parameters/0/$ref)",
            "spec/api.yaml:11:9: `twohundred` is not a status code, a range like `4XX`, or `default` (at #/paths/~1users~1{id}/put/responses/twohundred)",
        ]
    );
}

#[test]
fn styles_a_location_does_not_allow_leave_the_operation_out_not_bad_code() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, style: form, schema: {type: string}}
        - {name: filter, in: query, style: matrix, schema: {type: string}}
        - {name: X-Trace, in: header, style: wavy, schema: {type: string}}
      responses:
        '200': {description: ok}
"#;
    let generated = oxgen::generate("t.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(generated.summary.operations, 0);
    assert_eq!(
        warnings("t.yaml", text),
        [
            "t.yaml:8:9: style `form` is not allowed for a path parameter; operation left out (at #/paths/~1things~1{id}/get/parameters/0/style)",
            "t.yaml:9:9: style `matrix` is not allowed for a query parameter (at #/paths/~1things~1{id}/get/parameters/1/style)",
            "t.yaml:10:9: unknown parameter style `wavy` (at #/paths/~1things~1{id}/get/parameters/2/style)",
        ]
    );
}

/// Odd but usable input generates, with a warning that says what was done.
#[test]
fn usable_oddities_are_warnings() {
    let text = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /users/{id}/{unused}:
    get:
      parameters:
        - {name: gone, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
components:
  schemas:
    User:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
"#;
    let generated = oxgen::generate("spec/api.yaml", text).expect("warnings only");
    let warnings = &generated.summary.warnings;
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "spec/api.yaml:15:7: `name` is required but not among the properties; ignored (at #/components/schemas/User/required)",
            "spec/api.yaml:5:3: path parameter `gone` does not appear in the path template; ignored (at #/paths/~1users~1{id}~1{unused})",
            "spec/api.yaml:5:3: the path template names `{id}`, which no path parameter declares; taken as a string (at #/paths/~1users~1{id}~1{unused})",
            "spec/api.yaml:5:3: the path template names `{unused}`, which no path parameter declares; taken as a string (at #/paths/~1users~1{id}~1{unused})",
        ]
    );
    let client = &generated.files["client.rs"];
    assert!(
        client.contains("pub fn get_users_id_unused(&self, id: &str, unused: &str)"),
        "{client}"
    );
}
