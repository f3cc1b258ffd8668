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
    assert_eq!(
        errors("spec/t.yaml", text),
        [
            "spec/t.yaml:10:21: invalid type: string \"yes-please\", expected a boolean (at #/paths/~1users~1{id}/get/parameters/0/required)"
        ]
    );
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
    assert_eq!(
        errors("spec/s.yaml", text),
        [
            "spec/s.yaml:14:7: invalid type: integer `5`, expected a schema object or a boolean (at #/definitions/User/properties/id)"
        ]
    );
}

#[test]
fn unknown_versions_are_refused_by_name() {
    assert_eq!(
        errors("s.json", r#"{"swagger": "1.2", "paths": {}}"#),
        [
            "s.json:1:13: Swagger 1.2 is not supported; expected Swagger 2.0 or OpenAPI 3.0.x or 3.1.x (at #/swagger)"
        ]
    );
    assert_eq!(
        errors("s.yaml", "openapi: 4.0.0\n"),
        [
            "s.yaml:1:1: OpenAPI version 4.0.0 is not supported; expected 3.0.x or 3.1.x (at #/openapi)"
        ]
    );
    assert_eq!(
        errors("s.yaml", "title: hello\n"),
        ["s.yaml: not an OpenAPI document: it has no `openapi` field (at #)"]
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
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
components:
  schemas:
    User:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        manager: {$ref: '#/components/schemas/Gone'}
"#;
    assert_eq!(
        errors("spec/api.yaml", text),
        [
            "spec/api.yaml:26:9: `#/components/schemas/Gone` does not name an entry of #/components/schemas (at #/components/schemas/User/properties/manager/$ref)",
            "spec/api.yaml:9:11: `#/components/parameters/Missing` does not name an entry of #/components/parameters (at #/paths/~1users~1{id}/put/parameters/0/$ref)",
            "spec/api.yaml:13:13: `#/components/schemas/Nope` does not name an entry of #/components/schemas (at #/paths/~1users~1{id}/put/requestBody/content/application~1json/schema/$ref)",
            "spec/api.yaml:17:9: `twohundred` is not a status code, a range like `4XX`, or `default` (at #/paths/~1users~1{id}/put/responses/twohundred)",
        ]
    );
}

#[test]
fn styles_a_location_does_not_allow_are_errors_not_bad_code() {
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
    assert_eq!(
        errors("t.yaml", text),
        [
            "t.yaml:8:9: style `form` is not allowed for a path parameter (at #/paths/~1things~1{id}/get/parameters/0/style)",
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
