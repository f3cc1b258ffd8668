//! OpenAPI 3.2 (`tests/specs/openapi32.yaml`, which the corpus test also
//! compiles): each feature generates working code, or a warning says at its
//! pointer what was not used.

fn generated() -> oxgen::Generated {
    let file = "tests/specs/openapi32.yaml";
    let text = std::fs::read_to_string(file).unwrap();
    let options = oxgen::Options {
        mock: true,
        examples: true,
        ..Default::default()
    };
    oxgen::generate_with_options(file, &text, &oxgen::NoFiles, &options)
        .unwrap_or_else(|d| panic!("{d}"))
}

fn warnings(generated: &oxgen::Generated) -> Vec<String> {
    let warnings = generated.summary.warnings.iter();
    warnings.map(ToString::to_string).collect()
}

#[test]
fn what_is_not_used_is_said_where_it_stands() {
    let generated = generated();
    assert_eq!(
        warnings(&generated),
        [
            "tests/specs/openapi32.yaml:5:1: not used: references resolve from where the document is read (at #/$self)",
            "tests/specs/openapi32.yaml:151:9: not used: a value the mapping does not name decodes as the `Unknown` variant, with its JSON (at #/components/schemas/Kind/discriminator/defaultMapping)",
            "tests/specs/openapi32.yaml:110:13: not used: a request body is sent whole, as one value of its schema (at #/paths/~1uploads/post/requestBody/content/multipart~1mixed/itemEncoding)",
        ]
    );
    assert_eq!(generated.summary.operations, 8);
    assert!(generated.summary.fallbacks.is_empty());
}

#[test]
fn each_feature_generates_code() {
    let generated = generated();
    let client = &generated.files["client.rs"];
    for expected in [
        // The QUERY method, and other methods by `additionalOperations`.
        "Method::from_bytes(b\"QUERY\").expect(\"QUERY is a method token\")",
        "Method::from_bytes(b\"LINK\").expect(\"LINK is a method token\")",
        // A media type by reference to `#/components/mediaTypes`.
        ") -> ResponseFuture<Vec<types::Item>, ()> {",
        // A whole query string: its members are the query's parameters.
        "query.push_optional(\"filter\", &self.filter, Style::Form { explode: true });",
        // The cookie style.
        ".cookie(\"session\", &params.session, Style::Form { explode: true });",
        // An event stream's item schema: JSON data of `contentSchema`, or
        // text data.
        "pub fn item_changes(&self) -> StreamFuture<Event<types::Item>, ()> {",
        "pub fn ticker(&self) -> StreamFuture<Event<String>, ()> {",
        // JSON Lines by `itemSchema`.
        "pub fn export_items(&self) -> StreamFuture<types::Item, ()> {",
    ] {
        assert!(client.contains(expected), "{expected}\n{client}");
    }
    // An example's `dataValue` is tried like `value`.
    assert!(
        generated.files["examples.rs"].contains("\\\"name\\\":\\\"Lamp\\\""),
        "{}",
        generated.files["examples.rs"]
    );
}

/// A method name that is not an HTTP token, and a media type reference that
/// names nothing, leave out what they stand for, located.
#[test]
fn faults_of_the_new_members_are_located() {
    let text = r#"openapi: 3.2.0
info: {title: t, version: "1"}
paths:
  /x:
    additionalOperations:
      BAD METHOD: {responses: {'204': {description: ok}}}
    get:
      operationId: get x
      responses:
        '200':
          description: ok
          content:
            application/json: {$ref: '#/components/mediaTypes/Nowhere'}
"#;
    let generated = oxgen::generate("spec/t.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        warnings(&generated),
        [
            "spec/t.yaml:6:7: `BAD METHOD` is not an HTTP method name; operation left out (at #/paths/~1x/additionalOperations/BAD METHOD)",
            "spec/t.yaml:13:13: `#/components/mediaTypes/Nowhere` does not name an entry of #/components/mediaTypes; media type left out (at #/paths/~1x/get/responses/200/content/application~1json/$ref)",
        ]
    );
    assert_eq!(generated.summary.operations, 1);
}
