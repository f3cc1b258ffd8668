//! The overlay of `spec/` corrects the Users API and nothing else: applied to
//! a larger contract (the Users file plus other resources' paths, with their
//! own `include`, `optional_fields` and path `id` parameters, inline
//! envelopes and a titled definition, as the whole contract has them), it
//! gives the Users operations exactly the API it gives them alone, and leaves
//! the other operations exactly as the vendor wrote them. `oxgen diff`
//! compares.

use std::collections::BTreeSet;
use std::fs;

use oxgen::diff::{Impact, diff};
use oxgen::ir::Api;
use oxgen::{NoFiles, Overlay};

const SPEC: &str = "spec/kantata.swagger.yaml";
const OVERLAY: &str = "spec/kantata.overlay.yaml";

/// Paths of other resources, written as the vendor writes its paths.
const OTHER_PATHS: &str = r##"  "/workspaces":
    get:
      summary: Fetching workspaces
      operationId: Get Workspaces
      tags:
      - Workspaces
      parameters:
      - in: query
        name: include
        description: "Associations: `participants` (User), `creator` (User)."
        type: string
      - in: query
        name: optional_fields
        type: array
        items:
          type: string
          enum:
          - description
          - budget
      - in: query
        name: only
        type: string
      - in: query
        name: created_after
        type: string
        format: date-time
      responses:
        '200':
          description: Workspaces have been retrieved.
          schema:
            type: object
            properties:
              count:
                type: integer
                format: int32
              results:
                type: array
                items:
                  type: object
                  properties:
                    key:
                      type: string
                    id:
                      type: string
              workspaces:
                type: object
                additionalProperties:
                  "$ref": "#/definitions/Workspace"
        '404':
          description: Page Not Found
          schema:
            "$ref": "#/definitions/Errors"
  "/workspaces/{id}":
    get:
      summary: Fetching a workspace
      operationId: Get Workspace
      parameters:
      - in: path
        name: id
        required: true
        type: integer
        description: The ID of the Model.
      - in: query
        name: include
        type: string
      responses:
        '200':
          description: The workspace.
          schema:
            type: object
            properties:
              workspaces:
                type: object
                additionalProperties:
                  "$ref": "#/definitions/Workspace"
    put:
      summary: Updating a workspace
      operationId: Update Workspace
      parameters:
      - in: path
        name: id
        required: true
        type: integer
        description: The ID of the Model.
      - in: body
        name: body
        required: true
        schema:
          type: object
          properties:
            workspace:
              type: object
              properties:
                title:
                  type: string
      responses:
        '200':
          description: Updated.
          schema:
            type: object
            properties:
              workspaces:
                type: object
                additionalProperties:
                  "$ref": "#/definitions/Workspace"
"##;

const OTHER_DEFINITIONS: &str = r##"  Workspace:
    title: Workspace
    type: object
    properties:
      title:
        type: string
      creator_id:
        type: integer
      created_at:
        type: string
        format: date-time
"##;

/// The Users file with the other resources' paths and definition added.
fn larger_contract(users: &str) -> String {
    let (head, definitions) = users.split_once("\ndefinitions:\n").unwrap();
    let (definitions, rest) = definitions.split_once("\nsecurityDefinitions:\n").unwrap();
    format!(
        "{head}\n{OTHER_PATHS}definitions:\n{definitions}\n{OTHER_DEFINITIONS}securityDefinitions:\n{rest}"
    )
}

fn api(text: &str, overlays: &[Overlay]) -> Api {
    oxgen::api("kantata.swagger.yaml", text, &NoFiles, overlays).unwrap_or_else(|e| panic!("{e}"))
}

/// `operation <name>` of each operation of `api` under `/users`, and
/// `type <name>` of each type they reach.
fn users_items(api: &Api) -> BTreeSet<String> {
    let users: Vec<_> = api
        .operations
        .iter()
        .filter(|op| op.path_template.starts_with("/users"))
        .collect();
    let types = api.reached(users.iter().flat_map(|op| op.tys()));
    users
        .iter()
        .map(|op| format!("operation {}", op.rust_name))
        .chain(
            types
                .into_iter()
                .map(|id| format!("type {}", api.ty(id).name)),
        )
        .collect()
}

#[test]
fn the_overlay_changes_the_users_operations_and_nothing_else() {
    let users = fs::read_to_string(SPEC).unwrap();
    let overlay = Overlay::parse(
        "kantata.overlay.yaml",
        &fs::read_to_string(OVERLAY).unwrap(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let larger = larger_contract(&users);

    let users_alone = api(&users, std::slice::from_ref(&overlay));
    let larger_corrected = api(&larger, std::slice::from_ref(&overlay));
    let larger_as_published = api(&larger, &[]);
    assert_eq!(larger_corrected.operations.len(), 7 + 3);

    // The Users API is the same with the other paths beside it: the other
    // resources only add their own operations and types.
    let users_api = users_items(&users_alone);
    let added = diff(&users_alone, &larger_corrected);
    assert!(!added.changes.is_empty());
    for change in &added.changes {
        assert_eq!(change.impact, Impact::Addition, "{}", change.what);
        assert!(!users_api.contains(&change.item), "{}", change.what);
    }

    // The other operations are as the vendor wrote them: every correction is
    // to a Users operation or a type one of them uses.
    let corrected = users_items(&larger_corrected);
    let report = diff(&larger_as_published, &larger_corrected);
    assert!(!report.changes.is_empty());
    let outside: Vec<_> = report
        .changes
        .iter()
        .filter(|change| !corrected.contains(&change.item))
        .filter(|change| {
            // A type of the vendor's that the corrections replace.
            !users_items(&larger_as_published).contains(&change.item)
        })
        .map(|change| change.what.as_str())
        .collect();
    assert!(outside.is_empty(), "changed outside Users: {outside:#?}");
    for name in ["get_workspaces", "get_workspace", "update_workspace"] {
        let item = format!("operation {name}");
        assert!(
            report.changes.iter().all(|change| change.item != item),
            "{name} changed"
        );
    }
    assert!(
        report
            .changes
            .iter()
            .all(|change| change.item != "type Workspace"),
        "Workspace changed"
    );
}
