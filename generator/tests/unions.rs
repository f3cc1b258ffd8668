//! Names of union variants: from what tells an alternative apart, never
//! repeating the union's own name, numbered only when nothing does.

const SPEC: &str = r##"
openapi: 3.1.0
info: {title: Unions, version: "1"}
paths: {}
components:
  schemas:
    PetCat:
      type: object
      properties: {meows: {type: boolean}}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/PetCat'
        - title: Good dog
          type: object
          properties: {barks: {type: boolean}}
    Rule:
      oneOf:
        - type: object
          required: [type]
          properties:
            type: {type: string, enum: [wait_timer]}
            wait: {type: integer}
        - type: object
          required: [type]
          properties:
            type: {type: string, const: branch_policy}
            branch: {type: string}
        - type: object
          required: [reviewers]
          properties:
            id: {type: integer}
            reviewers: {type: array, items: {type: string}}
        - type: object
          properties:
            id: {type: integer}
            note: {type: string}
        - type: object
          properties:
            id: {type: integer}
            note: {type: string}
            extra: {type: string}
        - type: object
          properties:
            id: {type: integer}
            note: {type: string}
            more: {type: boolean}
            extra: {type: string}
"##;

/// The variants of `enum name`, as declared.
fn variants(types: &str, name: &str) -> Vec<String> {
    let start = types
        .find(&format!("pub enum {name} {{"))
        .unwrap_or_else(|| panic!("no enum {name}:\n{types}"));
    types[start..]
        .lines()
        .skip(1)
        .take_while(|l| *l != "}")
        .map(str::trim)
        .filter(|l| !l.starts_with("///") && !l.starts_with("#["))
        .map(|l| l.split('(').next().unwrap().to_owned())
        .collect()
}

#[test]
fn variants_are_named_by_what_tells_them_apart() {
    let generated = oxgen::generate("spec.yaml", SPEC).unwrap_or_else(|d| panic!("{d}"));
    let types = &generated.files["types.rs"];
    // A reference keeps its name, without the union's (`PetCat` in `Pet`);
    // an inline alternative takes its title.
    assert_eq!(variants(types, "Pet"), ["Cat", "GoodDog"]);
    // A fixed `type` (enum of one value, or const), then a property only one
    // alternative has (required first); numbers only when nothing tells an
    // alternative apart.
    assert_eq!(
        variants(types, "Rule"),
        [
            "WaitTimer",
            "BranchPolicy",
            "Reviewers",
            "Variant3",
            "Variant4",
            "More"
        ]
    );
    // The structs of inline alternatives are named after the union and the variant.
    assert!(types.contains("pub struct RuleWaitTimer {"), "{types}");
    assert!(types.contains("pub struct PetGoodDog {"), "{types}");
}
