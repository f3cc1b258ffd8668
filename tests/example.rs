//! Runs the `update_user` example (cargo builds examples for `cargo test`)
//! against a server on 127.0.0.1.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{Canned, Server};

/// The example binary, target/<profile>/examples/update_user. `cargo test`
/// builds it beside the tests. A run of this test alone does not build
/// examples, so then it is built here (only then: `cargo build` resolves
/// features differently from `cargo test` and would rebuild the dependencies).
fn example() -> PathBuf {
    static BUILD: std::sync::Once = std::sync::Once::new();
    let mut path = std::env::current_exe().unwrap();
    path.pop();
    path.pop();
    path.push("examples");
    path.push(format!("update_user{}", std::env::consts::EXE_SUFFIX));
    BUILD.call_once(|| {
        if path.exists() {
            return;
        }
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "update_user"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "cargo build --example update_user failed");
    });
    path
}

fn run(server: &Server, args: &[&str]) -> std::process::Output {
    Command::new(example())
        .args(args)
        .env("KANTATA_TOKEN", "example-token")
        .env("KANTATA_BASE_URL", server.url())
        .output()
        .expect("run the update_user example")
}

#[test]
fn prints_the_updated_users_in_order() {
    let envelope = r#"{"count": 1, "results": [{"key": "users", "id": "9"}],
        "users": {"9": {"id": "9", "full_name": "Ada", "headline": "Lead", "manager_id": "4"},
                  "4": {"id": "4", "full_name": "Manager"}}}"#;
    let server = Server::start(vec![Canned::json(200, envelope)]);
    let out = run(
        &server,
        &[
            "9",
            "--headline",
            "Lead",
            "--include",
            "manager,role",
            "--optional-fields",
            "bio",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        printed,
        serde_json::json!([{"id": "9", "full_name": "Ada", "headline": "Lead", "manager_id": "4"}])
    );
    let requests = server.finish();
    assert_eq!(
        requests[0].target,
        "/users/9?include=manager,role&optional_fields=bio"
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer example-token")
    );
    assert_eq!(
        String::from_utf8_lossy(&requests[0].body),
        r#"{"user":{"headline":"Lead"}}"#
    );
}

#[test]
fn api_errors_go_to_stderr_with_exit_1() {
    let errors = r#"{"errors": [{"type": "validation", "message": "is invalid", "field": "email_address"}]}"#;
    let server = Server::start(vec![Canned::json(422, errors)]);
    let out = run(&server, &["9", "--email", "not-an-email"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "API error 422 Unprocessable Entity\n  email_address: is invalid\n"
    );
}

#[test]
fn bad_arguments_exit_2() {
    let server = Server::start(vec![]);
    let out = run(&server, &["not-a-number"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<ID> must be an integer"));
}
