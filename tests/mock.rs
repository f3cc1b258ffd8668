//! Testing a program that uses the client, as a user would: with the typed
//! mocks of `kantata::mock` (the `mock` feature) and nothing of the wire
//! format.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt;
use kantata::mock::{MockServer, MockServerExt};
use kantata::types::{
    Error as ApiError, ErrorType, Errors, Meta, ResultRef, UpdateUserRequest, User, UserEnvelope,
    UserInclude, UserUpdate,
};
use kantata::{Client, Error, GetUsersParams, Retry, UpdateUserParams};

fn client(server: &MockServer) -> Client {
    Client::with_base_url(&server.base_url(), "token")
        .unwrap()
        .with_retry(Retry {
            initial_delay: Duration::from_millis(1),
            ..Retry::default()
        })
}

/// Page `number` of `count`, with two users.
fn page(number: i64, count: i64) -> UserEnvelope {
    let ids = [format!("{number}1"), format!("{number}2")];
    UserEnvelope {
        meta: Some(Meta {
            page_count: Some(count),
            page_number: Some(number),
            ..Default::default()
        }),
        results: ids
            .iter()
            .map(|id| ResultRef {
                key: "users".into(),
                id: id.clone(),
            })
            .collect(),
        users: Some(
            ids.iter()
                .map(|id| {
                    let user = User {
                        id: id.clone(),
                        full_name: Some(format!("User {id}")),
                        ..Default::default()
                    };
                    (id.clone(), user)
                })
                .collect::<BTreeMap<_, _>>(),
        ),
        ..Default::default()
    }
}

#[tokio::test]
async fn every_user_of_three_pages() {
    let server = MockServer::start_async().await;
    let params = GetUsersParams {
        include: vec![UserInclude::Manager],
        ..Default::default()
    };
    let pages: Vec<_> = (1..=3)
        .map(|n| {
            let page_params = GetUsersParams {
                page: Some(n as i32),
                per_page: Some(200),
                ..params.clone()
            };
            server.get_users(|when, then| {
                when.params(&page_params);
                then.ok(&page(n, 3));
            })
        })
        .collect();

    let names: Vec<String> = client(&server)
        .get_users_all(&params)
        .map(|user| user.unwrap().full_name.clone().unwrap())
        .collect()
        .await;

    assert_eq!(
        names,
        [
            "User 11", "User 12", "User 21", "User 22", "User 31", "User 32"
        ]
    );
    for page in pages {
        page.assert();
    }
}

#[tokio::test]
async fn an_update_answered_422_then_429_then_200() {
    let server = MockServer::start_async().await;
    let body = UpdateUserRequest {
        user: UserUpdate {
            headline: Some("Lead".into()),
            ..Default::default()
        },
    };
    let invalid = Errors {
        errors: vec![ApiError {
            message: "is taken".into(),
            field: Some("email_address".into()),
            r#type: Some(ErrorType::Validation),
        }],
    };
    let rejected = server.update_user(|when, then| {
        when.id("42").body(&body);
        then.unprocessable_entity(&invalid).up_to_n_times(1);
    });
    let client = client(&server);
    let params = UpdateUserParams::default();
    match client.update_user("42", &body, &params).await {
        Err(Error::Api { status, body }) => {
            assert_eq!(status, 422);
            assert_eq!(body.errors[0].field.as_deref(), Some("email_address"));
        }
        other => panic!("expected the 422, got {other:?}"),
    }
    rejected.assert();

    // Rate limited once, then accepted: the client waits and sends again.
    let limited = server.update_user(|when, then| {
        when.id("42").body(&body);
        then.too_many_requests(&Errors { errors: vec![] })
            .retry_after(Duration::ZERO)
            .up_to_n_times(1);
    });
    let accepted = server.update_user(|when, then| {
        when.id("42").body(&body);
        then.ok(&page(1, 1));
    });
    let envelope = client.update_user("42", &body, &params).await.unwrap();
    assert_eq!(envelope.result_users().len(), 2);
    limited.assert();
    accepted.assert();
}

#[tokio::test]
async fn a_mock_narrowed_to_other_values_does_not_answer() {
    let server = MockServer::start_async().await;
    let only_43 = server.get_user(|when, then| {
        when.id("43");
        then.ok(&page(1, 1));
    });
    let result = client(&server).get_user("42", &Default::default()).await;
    // httpmock answers an unmatched request 404, which the client reads as
    // the documented "not found" (its body is not the documented JSON).
    assert!(result.is_err());
    assert_eq!(only_43.calls(), 0);
}
