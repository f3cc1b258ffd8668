//! `PUT /users/{id}` end to end against a server on 127.0.0.1: the exact
//! request on the wire, the decoded envelope, and every failure mapped to its
//! error.

mod support;

use kantata::types::{
    ErrorType, ExternalReferenceInput, ExternalReferenceStatus, UpdateUserRequest, UserInclude,
    UserOptionalField, UserUpdate,
};
use kantata::{BuildError, Client, Error, Retry, UpdateUserParams};
use support::{Canned, Server};

const TOKEN: &str = "secret-token-123";

/// A response as Kantata sends it: `null` fields, fields left out, the manager
/// included in `users`, an empty `roles` map.
const ENVELOPE: &str = r#"{
  "count": 1,
  "meta": {"count": 1, "page_count": 1, "page_number": 1, "page_size": 20},
  "results": [{"key": "users", "id": "3847595"}],
  "users": {
    "3847595": {
      "id": "3847595",
      "full_name": "API Test Account 1",
      "photo_path": "https://example.com/photo.png",
      "email_address": "a@example.com",
      "headline": null,
      "bio": "Writes clients.",
      "manager_id": "12",
      "role_id": "7"
    },
    "12": {"id": "12", "full_name": "The Manager", "headline": "Boss", "email_address": null}
  },
  "roles": {},
  "some_future_key": {"1": {"id": "1"}}
}"#;

const ERRORS_422: &str = r#"{"errors": [
  {"type": "validation", "message": "Email address is invalid", "field": "email_address"},
  {"type": "validation", "message": "Full name can't be blank", "field": "full_name"}
]}"#;

fn body() -> UpdateUserRequest {
    UpdateUserRequest {
        user: UserUpdate {
            full_name: Some("Ada Lovelace".into()),
            headline: Some("Lead engineer".into()),
            external_reference: Some(ExternalReferenceInput {
                service_name: "jira".into(),
                service_model: "Issue".into(),
                service_model_ref: "PROJ-1".into(),
                status: Some(ExternalReferenceStatus::Successful),
                external_message: None,
                external_link: None,
                external_status: None,
                locked: Some(true),
            }),
            ..Default::default()
        },
    }
}

fn params() -> UpdateUserParams {
    UpdateUserParams {
        include: vec![UserInclude::Manager, UserInclude::Role],
        optional_fields: vec![UserOptionalField::Bio],
    }
}

async fn call(
    server: &Server,
) -> Result<kantata::Response<kantata::types::UserEnvelope>, Error<kantata::types::Errors>> {
    // One answer per call: retrying is tested in users.rs.
    let client = Client::with_base_url(&server.url(), TOKEN)
        .unwrap()
        .with_retry(Retry::none());
    client.update_user("3847595", &body(), &params()).await
}

#[tokio::test]
async fn sends_the_documented_request_and_decodes_the_envelope() {
    let server = Server::start(vec![Canned::json(200, ENVELOPE)]);
    let response = call(&server).await.expect("a 200 envelope decodes");
    let requests = server.finish();

    let [request] = requests.as_slice() else {
        panic!("one request, got {requests:?}")
    };
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.target,
        "/users/3847595?include=manager,role&optional_fields=bio"
    );
    assert_eq!(
        request.header("authorization"),
        Some("Bearer secret-token-123")
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    // Unset fields are left out, not sent as null.
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        r#"{"user":{"external_reference":{"locked":true,"service_model":"Issue","service_model_ref":"PROJ-1","service_name":"jira","status":"successful"},"full_name":"Ada Lovelace","headline":"Lead engineer"}}"#
    );

    assert_eq!(response.status(), 200);
    assert_eq!(response.count, Some(1));
    let meta = response.meta.as_ref().expect("meta");
    assert_eq!(
        (meta.page_count, meta.page_number, meta.page_size),
        (Some(1), Some(1), Some(20))
    );
    let users = response.result_users();
    assert_eq!(
        users.len(),
        1,
        "only what results lists, not the included manager"
    );
    let user = users[0];
    assert_eq!(user.id, "3847595");
    assert_eq!(user.full_name.as_deref(), Some("API Test Account 1"));
    assert_eq!(user.headline, None, "null decodes as None");
    assert_eq!(user.bio.as_deref(), Some("Writes clients."));
    assert_eq!(user.city, None, "an absent field decodes as None");
    let manager_id = user.manager_id.as_deref().expect("manager_id");
    let manager = &response.users.as_ref().unwrap()[manager_id];
    assert_eq!(manager.full_name.as_deref(), Some("The Manager"));
    assert!(response.roles.as_ref().unwrap().is_empty());
    assert!(response.result_roles().is_empty());
}

/// `ResponseFuture` holds the built request, not the client or the
/// arguments: it outlives them, and `tokio::spawn` (which needs `Send +
/// 'static`) takes it.
#[tokio::test]
async fn a_call_outlives_its_client_and_arguments_and_can_be_spawned() {
    fn unpin<F: Unpin>(future: F) -> F {
        future
    }
    let server = Server::start(vec![Canned::json(200, ENVELOPE)]);
    let call: kantata::ResponseFuture<kantata::types::UserEnvelope, kantata::types::Errors> = {
        let client = Client::with_base_url(&server.url(), TOKEN)
            .unwrap()
            .with_retry(Retry::none());
        let (body, params) = (body(), params());
        unpin(client.update_user("3847595", &body, &params))
    };
    let response = tokio::spawn(call)
        .await
        .expect("the task completes")
        .expect("a 200 envelope decodes");
    assert_eq!(response.result_users()[0].id, "3847595");
    let requests = server.finish();
    let [request] = requests.as_slice() else {
        panic!("one request, got {requests:?}")
    };
    assert_eq!(
        request.target,
        "/users/3847595?include=manager,role&optional_fields=bio"
    );
    assert!(String::from_utf8_lossy(&request.body).contains("Ada Lovelace"));
}

#[tokio::test]
async fn empty_lists_leave_the_query_out() {
    let server = Server::start(vec![Canned::json(200, r#"{"results": []}"#)]);
    let client = Client::with_base_url(&format!("{}/", server.url()), TOKEN).unwrap();
    let response = client
        .update_user(
            "1",
            &UpdateUserRequest {
                user: UserUpdate::default(),
            },
            &UpdateUserParams::default(),
        )
        .await
        .unwrap();
    assert!(response.result_users().is_empty());
    let requests = server.finish();
    assert_eq!(requests[0].target, "/users/1");
    assert_eq!(
        String::from_utf8(requests[0].body.clone()).unwrap(),
        r#"{"user":{}}"#
    );
}

#[tokio::test]
async fn unknown_enum_values_round_trip() {
    let params = UpdateUserParams {
        include: vec!["manager".parse().unwrap(), "custom_thing".parse().unwrap()],
        ..Default::default()
    };
    assert_eq!(params.include[0], UserInclude::Manager);
    assert_eq!(
        params.include[1],
        UserInclude::Unknown("custom_thing".into())
    );
    // `From<&str>` is the same conversion, and `as_str`/`Display` its inverse.
    assert_eq!(UserInclude::from("manager"), UserInclude::Manager);
    assert_eq!(UserInclude::from("custom_thing"), params.include[1]);
    assert_eq!(params.include[1].as_str(), "custom_thing");
    assert_eq!(UserInclude::Manager.to_string(), "manager");
    let server = Server::start(vec![Canned::json(200, r#"{"results": []}"#)]);
    let client = Client::with_base_url(&server.url(), TOKEN).unwrap();
    client
        .update_user(
            "5",
            &UpdateUserRequest {
                user: UserUpdate::default(),
            },
            &params,
        )
        .await
        .unwrap();
    assert_eq!(
        server.finish()[0].target,
        "/users/5?include=manager,custom_thing"
    );
}

#[tokio::test]
async fn each_documented_error_status_is_an_api_error() {
    for status in [400, 401, 403, 404, 422, 503] {
        let body = format!(r#"{{"errors": [{{"type": "system", "message": "status {status}"}}]}}"#);
        let server = Server::start(vec![Canned::json(status, &body)]);
        match call(&server).await {
            Err(Error::Api { status: got, body }) => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(body.errors.len(), 1);
                assert_eq!(body.errors[0].r#type, Some(ErrorType::System));
                assert_eq!(body.errors[0].message, format!("status {status}"));
                assert_eq!(body.errors[0].field, None);
            }
            other => panic!("{status}: expected Error::Api, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn validation_errors_carry_their_field() {
    let server = Server::start(vec![Canned::json(422, ERRORS_422)]);
    let Err(Error::Api { status, body }) = call(&server).await else {
        panic!("expected Error::Api")
    };
    assert_eq!(status, 422);
    let fields: Vec<_> = body.errors.iter().map(|e| e.field.as_deref()).collect();
    assert_eq!(fields, [Some("email_address"), Some("full_name")]);
    assert_eq!(body.errors[0].r#type, Some(ErrorType::Validation));
}

#[tokio::test]
async fn too_many_requests_is_told_apart() {
    let server = Server::start(vec![
        Canned::json(
            429,
            r#"{"errors": [{"type": "system", "message": "slow down"}]}"#,
        )
        .with_header("Retry-After", "7"),
        Canned::json(429, "not json"),
    ]);
    match call(&server).await {
        Err(Error::RateLimited { retry_after, body }) => {
            assert_eq!(retry_after, Some(std::time::Duration::from_secs(7)));
            assert_eq!(body.unwrap().errors[0].message, "slow down");
        }
        other => panic!("expected Error::RateLimited, got {other:?}"),
    }
    match call(&server).await {
        Err(
            e @ Error::RateLimited {
                retry_after: None,
                body: None,
            },
        ) => assert_eq!(e.status().unwrap(), 429),
        other => panic!("expected Error::RateLimited without details, got {other:?}"),
    }
}

#[tokio::test]
async fn undecodable_bodies_keep_the_answer_and_show_a_bounded_snippet() {
    let long = format!("<html>{}</html>", "é".repeat(2000));
    let server = Server::start(vec![
        Canned::json(200, r#"{"results": [{"key": "users"}]"#),
        Canned::json(422, &long),
    ]);
    match call(&server).await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), 200);
            assert_eq!(e.body(), br#"{"results": [{"key": "users"}]"#);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    match call(&server).await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), 422);
            assert_eq!(e.body(), long.as_bytes(), "the whole body is kept");
            assert!(e.source().is_syntax(), "{e}");
            let message = e.to_string();
            assert!(message.ends_with("(truncated)"), "{message}");
            assert!(message.len() < 700, "the message shows a bounded snippet");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// The update took effect on the server, but one included object has a
/// wrong type: the error says where, and the caller still has the answer.
#[tokio::test]
async fn an_envelope_that_does_not_decode_says_where_and_keeps_the_body() {
    let body = r#"{
  "count": 1,
  "results": [{"key": "users", "id": "3847595"}],
  "users": {
    "3847595": {
      "id": "3847595",
      "full_name": "Ada Lovelace",
      "last_site_activity": "yesterday"
    }
  },
  "meta": {"count": 1, "page_count": 1, "page_number": 1, "page_size": 20}
}"#;
    let server = Server::start(vec![
        Canned::json(200, body).with_header("X-Request-Id", "r-1"),
    ]);
    match call(&server).await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.path(), "users.3847595.last_site_activity");
            assert_eq!(e.status(), 200);
            assert_eq!(e.headers()["x-request-id"], "r-1");
            assert_eq!(e.body(), body.as_bytes());
            let message = e.to_string();
            assert!(
                message.starts_with(
                    "cannot decode the 200 OK response: users.3847595.last_site_activity: \
                     input contains invalid characters at line 8 column 39; body: "
                ),
                "{message}"
            );
            assert!(!message.contains(TOKEN) && !format!("{e:?}").contains(TOKEN));
            // The rest of the answer can still be read.
            let value: serde_json::Value = serde_json::from_slice(e.body()).unwrap();
            assert_eq!(value["users"]["3847595"]["full_name"], "Ada Lovelace");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_status_is_unexpected() {
    let server = Server::start(vec![Canned::json(500, "boom")]);
    match call(&server).await {
        Err(Error::UnexpectedStatus { status, body }) => {
            assert_eq!(status, 500);
            assert_eq!(body.text, "boom");
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind, then drop: nothing listens on the port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::with_base_url(&format!("http://127.0.0.1:{port}"), TOKEN)
        .unwrap()
        .with_retry(Retry::none());
    let error = client
        .update_user("1", &body(), &params())
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(!format!("{error:?}{error}").contains(TOKEN));
}

#[test]
fn the_token_never_shows() {
    let client = Client::new(TOKEN).unwrap();
    assert_eq!(client.base_url(), "https://api.mavenlink.com/api/v1");
    let debug = format!("{client:?} {client:#?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}

#[test]
fn bad_configuration_is_an_error_not_a_panic() {
    assert!(matches!(
        Client::with_base_url("ftp://example.com", TOKEN),
        Err(BuildError::InvalidBaseUrl(_))
    ));
    assert!(matches!(
        Client::with_base_url("not a url", TOKEN),
        Err(BuildError::InvalidBaseUrl(_))
    ));
    let error = Client::new("line\nbreak").unwrap_err();
    assert!(matches!(error, BuildError::InvalidToken));
    assert!(!error.to_string().contains("line"));
}
