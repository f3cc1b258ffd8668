//! `oxgen diff`: spec changes reported as changes of the generated Rust API,
//! each classified as breaking or not, with the bump they call for.

use std::fs;
use std::path::Path;
use std::process::Command;

use oxgen::diff::{Bump, diff};

const VENDOR: &str = include_str!("../../spec/kantata.swagger.yaml");
const OVERLAY: &str = include_str!("../../spec/kantata.overlay.yaml");

fn api(vendor: &str, overlay: &str) -> oxgen::ir::Api {
    let overlay = oxgen::Overlay::parse("spec/kantata.overlay.yaml", overlay).unwrap();
    oxgen::api(
        "spec/kantata.swagger.yaml",
        vendor,
        &oxgen::NoFiles,
        &[overlay],
    )
    .unwrap_or_else(|d| panic!("{d}"))
}

/// The report's lines, one per change: `impact item: what`.
fn changes(old: (&str, &str), new: (&str, &str)) -> (Bump, Vec<String>) {
    let report = diff(&api(old.0, old.1), &api(new.0, new.1));
    let lines = report
        .changes
        .iter()
        .map(|c| format!("{:?} {}: {}", c.impact, c.item, c.what))
        .collect();
    (report.bump(), lines)
}

fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn the_same_spec_changes_nothing() {
    assert_eq!(
        changes((VENDOR, OVERLAY), (VENDOR, OVERLAY)),
        (Bump::None, vec![])
    );
}

#[test]
fn a_new_optional_field_and_parameter_are_additions() {
    let vendor = replace(
        VENDOR,
        "      - in: query\n        name: with_created_estimates\n",
        "      - in: query\n        name: archived\n        type: boolean\n      - in: query\n        name: with_created_estimates\n",
    );
    let vendor = replace(
        &vendor,
        "      website:\n        type: string\n        description: |-\n          A website",
        "      nickname:\n        type: string\n      website:\n        type: string\n        description: |-\n          A website",
    );
    assert_eq!(
        changes((VENDOR, OVERLAY), (&vendor, OVERLAY)),
        (
            Bump::Minor,
            vec![
                "Addition operation get_users: optional query parameter `archived: bool` added"
                    .to_owned(),
                "Addition type User: optional field `nickname: Option<String>` added".to_owned(),
            ]
        )
    );
}

#[test]
fn removals_and_type_changes_break_and_new_enum_values_do_not() {
    // The vendor drops `headline` from User and makes `level` a string.
    let vendor = replace(
        VENDOR,
        "      headline:\n        type: string\n        description: A short description of the user.\n      last_site_activity:",
        "      last_site_activity:",
    );
    let vendor = replace(
        &vendor,
        "      level:\n        type: integer\n        format: int32",
        "      level:\n        type: string",
    );
    // The vendor renames an operation, and we learn of a new association.
    let vendor = replace(
        &vendor,
        "operationId: Get My User Data",
        "operationId: Get Me",
    );
    let overlay = replace(
        OVERLAY,
        "          - work_samples\n        x-enum",
        "          - work_samples\n          - workweeks\n        x-enum",
    );
    let (bump, lines) = changes((VENDOR, OVERLAY), (&vendor, &overlay));
    assert_eq!(bump, Bump::Major);
    assert_eq!(
        lines,
        [
            "Breaking operation get_my_user_data: removed (`GET /users/me`)",
            "Breaking type SkillMembership: field `level` is `Option<String>` (was `Option<i32>`)",
            "Breaking type User: field `headline` removed",
            "Addition operation get_me: added (`GET /users/me`)",
            "Addition type UserInclude: value `workweeks` added",
        ]
    );
}

#[test]
fn the_cli_prints_markdown_or_json_and_exits_3_on_breaking_changes() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-cli");
    let _ = fs::remove_dir_all(&dir);
    for (side, vendor) in [
        ("old", VENDOR.to_owned()),
        (
            "new",
            replace(VENDOR, "      photo_path:\n", "      avatar_path:\n"),
        ),
    ] {
        fs::create_dir_all(dir.join(side)).unwrap();
        fs::write(dir.join(side).join("kantata.swagger.yaml"), vendor).unwrap();
        fs::write(dir.join(side).join("kantata.overlay.yaml"), OVERLAY).unwrap();
    }
    let oxgen = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_oxgen"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let text = oxgen(&["diff", "old", "new"]);
    assert_eq!(
        text.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&text.stdout),
        "Suggested version bump: **major** (breaking changes)\n\
         \n### Breaking changes (1)\n\n\
         - `type User`: field `photo_path` removed\n\
         \n### Additions (1)\n\n\
         - `type User`: optional field `avatar_path: Option<String>` added\n"
    );
    let json = oxgen(&["diff", "old", "new", "--format", "json"]);
    assert_eq!(json.status.code(), Some(3));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["bump"], "major");
    assert_eq!(value["breaking"], true);
    assert_eq!(value["changes"][0]["item"], "type User");
    assert_eq!(value["changes"][0]["impact"], "breaking");

    let same = oxgen(&["diff", "old", "old"]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&same.stdout),
        "No change to the generated API.\n"
    );

    let usage = oxgen(&["diff", "old"]);
    assert_eq!(usage.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&usage.stderr);
    assert!(
        stderr.starts_with("error: the following required arguments were not provided:\n  <NEW>\n"),
        "{stderr}"
    );
}
