//! The Users API beyond the update: listing with filters, the envelope's
//! associations resolved, every page as a stream, retries, capacity and the
//! profile photo; all against a server on 127.0.0.1, byte for byte.

mod support;

use std::time::Duration;

use chrono::{DateTime, NaiveDate};
use futures_util::StreamExt;
use kantata::types::{ErrorType, UpdateUserProfilePhotoBody, UserInclude, UserOptionalField};
use kantata::{
    Client, Error, GetMyUserDataParams, GetUserCapacityParams, GetUsersParams, Retry,
    UpdateUserProfilePhotoParams,
};
use support::{Canned, Server};

const TOKEN: &str = "secret-token-123";

/// Retries fast enough for tests.
fn quick(max_retries: u32) -> Retry {
    Retry {
        max_retries,
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        all_methods: false,
        ..Retry::default()
    }
}

fn client(server: &Server) -> Client {
    Client::with_base_url(&server.url(), TOKEN)
        .unwrap()
        .with_retry(quick(0))
}

/// Page `number` of `count`: two users each, managed by user 1 (included on
/// the first page only), with skills on the first user.
fn page(number: u32, count: u32) -> String {
    let (a, b) = (number * 10, number * 10 + 1);
    let manager = if number == 1 {
        r#", "1": {"id": "1", "full_name": "Grace Hopper"}"#
    } else {
        ""
    };
    format!(
        r#"{{
  "count": {total},
  "meta": {{"count": {total}, "page_count": {count}, "page_number": {number}, "page_size": 2}},
  "results": [{{"key": "users", "id": "{a}"}}, {{"key": "users", "id": "{b}"}}],
  "users": {{
    "{a}": {{"id": "{a}", "full_name": "User {a}", "manager_id": "1", "skill_ids": ["7", "404", "5"]}},
    "{b}": {{"id": "{b}", "full_name": "User {b}", "manager_id": null}}{manager}
  }},
  "skills": {{"5": {{"id": "5", "name": "Rust"}}, "7": {{"id": "7", "name": "SQL"}}}}
}}"#,
        total = count * 2
    )
}

#[tokio::test]
async fn list_filters_and_includes_go_on_the_query() {
    let server = Server::start(vec![Canned::json(200, &page(1, 1))]);
    let params = GetUsersParams {
        include: vec![UserInclude::Manager, UserInclude::Skills],
        optional_fields: vec![UserOptionalField::Bio, UserOptionalField::City],
        page: Some(3),
        per_page: Some(50),
        only: vec!["10".into(), "11".into()],
        order: Some("alphabetical:desc".into()),
        search: Some("Ada L".into()),
        on_my_account: Some(true),
        by_email_address: Some("ada@example.com".into()),
        participant_in: Some(77),
        show_disabled: Some(false),
        updated_after: Some(DateTime::parse_from_rfc3339("2026-11-30T09:15:00-05:00").unwrap()),
        external_reference_service_name: Some("jira".into()),
        with_users: vec![3, 4],
        ..Default::default()
    };
    let envelope = client(&server).get_users(&params).await.unwrap();
    let requests = server.finish();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    // In the contract's order; lists comma-separated, `:` and `@` percent-encoded.
    assert_eq!(
        requests[0].target,
        "/users?by_email_address=ada%40example.com\
         &external_reference_service_name=jira\
         &include=manager,skills&on_my_account=true&only=10,11\
         &optional_fields=bio,city&order=alphabetical%3Adesc&page=3\
         &participant_in=77&per_page=50&search=Ada%20L&show_disabled=false\
         &updated_after=2026-11-30T09%3A15%3A00-05%3A00&with_users=3,4"
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer secret-token-123")
    );
    assert_eq!(envelope.result_users().len(), 2);
}

#[tokio::test]
async fn associations_resolve_from_the_same_response() {
    let server = Server::start(vec![Canned::json(200, &page(1, 1))]);
    let envelope = client(&server)
        .get_users(&GetUsersParams::default())
        .await
        .unwrap();
    let users = envelope.result_users();
    let names: Vec<_> = users.iter().map(|u| u.full_name.as_deref()).collect();
    assert_eq!(names, [Some("User 10"), Some("User 11")]);

    // Included: the manager is another entry of `users`.
    let manager = envelope.user_manager(users[0]).unwrap();
    assert_eq!(manager.full_name.as_deref(), Some("Grace Hopper"));
    // `manager_id: null`: no manager.
    assert!(envelope.user_manager(users[1]).is_none());
    // Lists keep the order of the ids; an id missing from the map is skipped.
    let skills: Vec<_> = envelope
        .user_skills(users[0])
        .iter()
        .map(|s| s.name.as_deref().unwrap())
        .collect();
    assert_eq!(skills, ["SQL", "Rust"]);
    // Not included at all: empty, not an error.
    assert!(envelope.user_skills(users[1]).is_empty());
    assert!(envelope.user_role(users[0]).is_none());
    assert!(envelope.user_work_samples(users[0]).is_empty());
}

#[tokio::test]
async fn every_item_of_every_page_streams_in_order() {
    let server = Server::start((1..=3).map(|n| Canned::json(200, &page(n, 3))).collect());
    let client = client(&server);
    let params = GetUsersParams {
        include: vec![UserInclude::Manager],
        ..Default::default()
    };
    let mut seen = Vec::new();
    let mut users = std::pin::pin!(client.get_users_all(&params));
    while let Some(user) = users.next().await {
        let user = user.unwrap();
        // The page an item came in resolves its associations.
        let manager = user
            .page()
            .user_manager(&user)
            .and_then(|m| m.full_name.clone());
        seen.push((user.id.clone(), manager));
    }
    let requests = server.finish();
    let targets: Vec<_> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/users?include=manager&page=1&per_page=200",
            "/users?include=manager&page=2&per_page=200",
            "/users?include=manager&page=3&per_page=200",
        ]
    );
    let grace = Some("Grace Hopper".to_owned());
    assert_eq!(
        seen,
        [
            ("10".to_owned(), grace.clone()),
            ("11".to_owned(), None),
            // Pages 2 and 3 do not include the manager: `None`, as documented.
            ("20".to_owned(), None),
            ("21".to_owned(), None),
            ("30".to_owned(), None),
            ("31".to_owned(), None),
        ]
    );
}

#[tokio::test]
async fn pages_come_one_at_a_time_from_the_asked_page_and_size() {
    let server = Server::start(vec![
        Canned::json(200, &page(2, 3)),
        Canned::json(200, &page(3, 3)),
    ]);
    let client = client(&server);
    let params = GetUsersParams {
        page: Some(2),
        per_page: Some(2),
        ..Default::default()
    };
    let pages: Vec<_> = client.get_users_pages(&params).collect().await;
    assert_eq!(pages.len(), 2);
    let numbers: Vec<_> = pages
        .iter()
        .map(|p| p.as_ref().unwrap().meta.as_ref().unwrap().page_number)
        .collect();
    assert_eq!(numbers, [Some(2), Some(3)]);
    let targets: Vec<_> = server.finish().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        ["/users?page=2&per_page=2", "/users?page=3&per_page=2"]
    );
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let server = Server::start(vec![
        Canned::json(200, &page(1, 3)),
        Canned::json(
            401,
            r#"{"errors": [{"type": "oauth", "message": "expired"}]}"#,
        ),
    ]);
    let client = client(&server);
    let items: Vec<_> = client
        .get_users_all(&GetUsersParams::default())
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    match &items[2] {
        Err(Error::Api { status, body }) => {
            assert_eq!(*status, 401);
            assert_eq!(body.errors[0].message, "expired");
        }
        other => panic!("expected the 401, got {other:?}"),
    }
    assert_eq!(server.finish().len(), 2);
}

#[tokio::test]
async fn a_missing_page_count_means_one_page() {
    let body = r#"{"results": [{"key": "users", "id": "1"}], "users": {"1": {"id": "1"}}}"#;
    let server = Server::start(vec![Canned::json(200, body)]);
    let client = client(&server);
    let items: Vec<_> = client
        .get_users_all(&GetUsersParams::default())
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn unavailable_and_rate_limited_answers_are_retried() {
    let server = Server::start(vec![
        Canned::json(503, r#"{"errors": []}"#),
        Canned::json(429, r#"{"errors": []}"#).with_header("Retry-After", "0"),
        Canned::json(200, &page(1, 1)),
    ]);
    let client = client(&server).with_retry(quick(3));
    let envelope = client.get_users(&GetUsersParams::default()).await.unwrap();
    assert_eq!(envelope.result_users().len(), 2);
    let requests = server.finish();
    assert_eq!(requests.len(), 3);
    // Every attempt is the same request, credentials included.
    for request in &requests {
        assert_eq!(request.target, "/users");
        assert_eq!(
            request.header("authorization"),
            Some("Bearer secret-token-123")
        );
    }
}

#[tokio::test]
async fn retries_stop_at_the_configured_count() {
    let server = Server::start(vec![
        Canned::json(503, r#"{"errors": [{"message": "1"}]}"#),
        Canned::json(503, r#"{"errors": [{"message": "2"}]}"#),
        Canned::json(503, r#"{"errors": [{"message": "3"}]}"#),
    ]);
    let client = client(&server).with_retry(quick(2));
    match client
        .get_my_user_data(&GetMyUserDataParams::default())
        .await
    {
        Err(Error::Api { status, body }) => {
            assert_eq!(status, 503);
            assert_eq!(body.errors[0].message, "3");
        }
        other => panic!("expected the last 503, got {other:?}"),
    }
    let requests = server.finish();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.target == "/users/me"));
}

#[tokio::test]
async fn a_retry_after_beyond_the_ceiling_is_returned_not_waited_for() {
    let server = Server::start(vec![
        Canned::json(429, r#"{"errors": []}"#).with_header("Retry-After", "3600"),
    ]);
    let client = client(&server).with_retry(quick(3));
    match client.get_user("1", &Default::default()).await {
        Err(Error::RateLimited { retry_after, .. }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(3600)));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(server.finish().len(), 1);
}

#[tokio::test]
async fn capacity_takes_its_dates_and_has_no_envelope() {
    let body = r#"{"start_date": "2026-11-30", "end_date": "2026-12-01", "hours": {"2026-11-30": 8.0, "2026-12-01": 7.5}}"#;
    let server = Server::start(vec![Canned::json(200, body)]);
    let (start, end) = (
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    );
    let params = GetUserCapacityParams {
        start_date: start,
        end_date: end,
        ..Default::default()
    };
    let capacity = client(&server)
        .get_user_capacity("42", &params)
        .await
        .unwrap();
    let hours = capacity.hours.as_ref().unwrap();
    assert_eq!(hours["2026-12-01"], 7.5);
    assert_eq!(
        (capacity.start_date, capacity.end_date),
        (Some(start), Some(end))
    );
    let request = &server.finish()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.target,
        "/users/42/capacity?end_date=2026-12-01&start_date=2026-11-30"
    );
}

/// An id from an answer goes straight back into a path.
#[tokio::test]
async fn the_current_user_then_that_user_by_the_id_it_came_with() {
    let me = r#"{"count": 1, "results": [{"key": "users", "id": "3847595"}],
        "users": {"3847595": {"id": "3847595", "full_name": "Ada",
        "last_site_activity": "2026-11-30T09:15:00-05:00"}}}"#;
    let server = Server::start(vec![Canned::json(200, me), Canned::json(200, me)]);
    let client = client(&server);
    let params = GetMyUserDataParams {
        optional_fields: vec![UserOptionalField::LastSiteActivity],
        ..Default::default()
    };
    let envelope = client.get_my_user_data(&params).await.unwrap();
    let user = envelope.result_users()[0];
    let seen = user.last_site_activity.unwrap();
    assert_eq!(seen.timestamp(), 1_796_048_100);
    assert_eq!(
        seen.offset().local_minus_utc(),
        -5 * 3600,
        "the server's offset is kept"
    );
    client
        .get_user(&user.id, &Default::default())
        .await
        .unwrap();
    let requests = server.finish();
    assert_eq!(
        requests[0].target,
        "/users/me?optional_fields=last_site_activity"
    );
    assert_eq!(requests[1].target, "/users/3847595");
}

/// The vendor documents 400, 404 and 422 on every Users operation: each
/// arrives as the typed error, not as an unexpected status.
#[tokio::test]
async fn documented_error_statuses_carry_the_typed_errors() {
    let server = Server::start(
        [(400, "validation"), (404, "system"), (422, "quota")]
            .map(|(status, kind)| {
                Canned::json(
                    status,
                    &format!(
                        r#"{{"errors": [{{"type": "{kind}", "message": "no", "field": "id"}}]}}"#
                    ),
                )
            })
            .into(),
    );
    let client = client(&server);
    // A value the spec does not list (`quota`) decodes, and stays readable.
    let kinds = [
        ErrorType::Validation,
        ErrorType::System,
        ErrorType::Unknown("quota".into()),
    ];
    for (expected, kind) in [400, 404, 422].into_iter().zip(kinds) {
        match client.get_my_user_data(&Default::default()).await {
            Err(Error::Api { status, body }) => {
                assert_eq!(status, expected);
                assert_eq!(body.errors[0].field.as_deref(), Some("id"));
                assert_eq!(body.errors[0].r#type, Some(kind));
            }
            other => panic!("expected the {expected}, got {other:?}"),
        }
    }
    server.finish();
}

/// The photo goes up as `multipart/form-data`, the file under the name
/// Rails reads as `user.profile_photo_attachment_file`; the answer is the
/// user's envelope.
#[tokio::test]
async fn a_profile_photo_is_uploaded_as_a_multipart_file() {
    let answer = r#"{"count": 1, "results": [{"key": "users", "id": "42"}],
        "users": {"42": {"id": "42", "photo_path": "https://example.com/42.png"}}}"#;
    let server = Server::start(vec![Canned::json(200, answer)]);
    let photo = b"\x89PNG\r\n\x1a\n not really".to_vec();
    let body = UpdateUserProfilePhotoBody {
        user_profile_photo_attachment_file: photo.clone(),
    };
    let params = UpdateUserProfilePhotoParams {
        include: vec![UserInclude::Role],
        ..Default::default()
    };
    let envelope = client(&server)
        .update_user_profile_photo("42", &body, &params)
        .await
        .unwrap();
    assert_eq!(
        envelope.result_users()[0].photo_path.as_deref(),
        Some("https://example.com/42.png")
    );
    let request = &server.finish()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/users/42/profile_photo?include=role");
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let mut expected = format!(
        "--{boundary}\r\n\
         Content-Disposition: form-data; name=\"user[profile_photo_attachment_file]\"; \
         filename=\"user[profile_photo_attachment_file]\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&photo);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(request.body, expected);
}

#[tokio::test]
async fn resetting_the_profile_photo_answers_204_without_a_body() {
    let server = Server::start(vec![Canned {
        headers: vec![],
        ..Canned::json(204, "")
    }]);
    let response = client(&server)
        .reset_user_profile_photo("42")
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let request = &server.finish()[0];
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("DELETE", "/users/42/profile_photo")
    );
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}
