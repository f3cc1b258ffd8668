//! Runs the examples (cargo builds examples for `cargo test`) against a
//! server on 127.0.0.1.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{Canned, Server};

/// The example binary target/<profile>/examples/<name>. `cargo test` builds
/// it beside the tests. A run of this test alone does not build examples, so
/// then it is built here (only then: `cargo build` resolves features
/// differently from `cargo test` and would rebuild the dependencies).
fn example(name: &str) -> PathBuf {
    let mut path = std::env::current_exe().unwrap();
    path.pop();
    path.pop();
    path.push("examples");
    path.push(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    static BUILD: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_build_at_a_time = BUILD.lock().unwrap();
    if !path.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "cargo build --example {name} failed");
    }
    path
}

fn run_example(name: &str, server: &Server, args: &[&str]) -> std::process::Output {
    Command::new(example(name))
        .args(args)
        .env("KANTATA_TOKEN", "example-token")
        .env("KANTATA_BASE_URL", server.url())
        .output()
        .unwrap_or_else(|e| panic!("run the {name} example: {e}"))
}

fn run(server: &Server, args: &[&str]) -> std::process::Output {
    run_example("update_user", server, args)
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
            "--external-reference",
            "jira,issue,PROJ-7",
            "--external-status",
            "successful",
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
        r#"{"user":{"external_reference":{"service_model":"issue","service_model_ref":"PROJ-7","service_name":"jira","status":"successful"},"headline":"Lead"}}"#
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("<ID> must be a user's ID (digits)"));
    let out = run_example("list_users", &server, &["--updated-after", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--updated-after takes an RFC 3339 time"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn lists_every_user_with_their_managers_name() {
    let first = r#"{"meta": {"page_count": 2, "page_number": 1},
        "results": [{"key": "users", "id": "9"}, {"key": "users", "id": "8"}],
        "users": {"9": {"id": "9", "full_name": "Ada", "manager_id": "4"},
                  "8": {"id": "8", "full_name": "Bob", "manager_id": null},
                  "4": {"id": "4", "full_name": "Grace"}}}"#;
    let second = r#"{"meta": {"page_count": 2, "page_number": 2},
        "results": [{"key": "users", "id": "4"}],
        "users": {"4": {"id": "4", "full_name": "Grace"}}}"#;
    let server = Server::start(vec![Canned::json(200, first), Canned::json(200, second)]);
    let out = run_example(
        "list_users",
        &server,
        &[
            "--search",
            "a",
            "--on-my-account",
            "--email",
            "ada@example.com",
            "--participant-in",
            "77",
            "--updated-after",
            "2026-11-30T00:00:00Z",
            "--show-disabled",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "9\tAda\tGrace\n8\tBob\t-\n4\tGrace\t-\n"
    );
    let targets: Vec<_> = server.finish().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/users?by_email_address=ada%40example.com&include=manager&on_my_account=true\
             &page=1&participant_in=77&per_page=200&search=a&show_disabled=true\
             &updated_after=2026-11-30T00%3A00%3A00Z",
            "/users?by_email_address=ada%40example.com&include=manager&on_my_account=true\
             &page=2&participant_in=77&per_page=200&search=a&show_disabled=true\
             &updated_after=2026-11-30T00%3A00%3A00Z",
        ]
    );
}
