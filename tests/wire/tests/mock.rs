//! The generated mocks agree with the client: every case of `wire.rs` (and
//! the form bodies of `security.rs`), mocked with the same typed values,
//! matches the request the client sends for them, and the same mock with one
//! value changed does not. Answers given through a `Then` decode into what
//! they were given as.

mod style_examples;

use std::collections::BTreeMap;
use std::future::Future;

use oxgen_wire_tests::mock::httpmock::Mock;
use oxgen_wire_tests::mock::{MockServer, MockServerExt};
use oxgen_wire_tests::types::{Charge, ChargeItemsItem, Event, Pet, Problem, Rgb, Upload};
use oxgen_wire_tests::{
    Client, CreatePetError, CreatePetResponse, Error, GetFileParams, HeadersAndCookiesParams,
    PutEventParams, QueryStylesParams, SearchParams,
};
use style_examples::{colors, rgb};

/// Runs `call` against `server` and says whether `mock` answered it.
async fn answered<T, Fut>(mock: Mock<'_>, call: Fut) -> (bool, T)
where
    Fut: Future<Output = T>,
{
    let result = call.await;
    let hit = mock.calls_async().await == 1;
    mock.delete_async().await;
    (hit, result)
}

/// The mock made by `narrow(true)` answers the client's request, and the
/// one made by `narrow(false)` (one value changed) does not.
async fn agree<'a, M, C, Fut, T>(server: &'a MockServer, mock: M, call: C)
where
    M: Fn(&'a MockServer, bool) -> Mock<'a>,
    C: Fn(Client) -> Fut,
    Fut: Future<Output = T>,
    T: std::fmt::Debug,
{
    let client = || Client::with_base_url(&server.base_url()).unwrap();
    let (hit, result) = answered(mock(server, true), call(client())).await;
    assert!(
        hit,
        "the mock did not match the client's request: {result:?}"
    );
    let (hit, _) = answered(mock(server, false), call(client())).await;
    assert!(!hit, "a mock of another value matched");
}

#[tokio::test]
async fn path_styles() {
    let server = MockServer::start_async().await;
    agree(
        &server,
        |s, same| {
            s.path_simple(|when, then| {
                when.one(if same { "blue" } else { "red" })
                    .many(&colors())
                    .rgb(&rgb());
                then.no_content();
            })
        },
        |c| async move { c.path_simple("blue", &colors(), &rgb()).await },
    )
    .await;
    agree(
        &server,
        |s, same| {
            s.path_simple_explode(|when, then| {
                let many = if same { colors() } else { vec!["blue".into()] };
                when.many(&many).rgb(&rgb());
                then.no_content();
            })
        },
        |c| async move { c.path_simple_explode(&colors(), &rgb()).await },
    )
    .await;
    agree(
        &server,
        |s, same| {
            s.path_label(|when, then| {
                let rgb_x = if same { rgb() } else { Rgb::default() };
                when.one("blue")
                    .many(&colors())
                    .rgb(&rgb())
                    .many_x(&colors())
                    .rgb_x(&rgb_x);
                then.no_content();
            })
        },
        |c| async move {
            c.path_label("blue", &colors(), &rgb(), &colors(), &rgb())
                .await
        },
    )
    .await;
    agree(
        &server,
        |s, same| {
            s.path_matrix(|when, then| {
                let colors_x = if same { colors() } else { vec![] };
                when.color("blue")
                    .colors(&colors())
                    .rgb(&rgb())
                    .colors_x(&colors_x)
                    .rgb_x(&rgb());
                then.no_content();
            })
        },
        |c| async move {
            c.path_matrix("blue", &colors(), &rgb(), &colors(), &rgb())
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn percent_encoded_path_and_query() {
    let server = MockServer::start_async().await;
    let params = GetFileParams {
        q: Some("x&y=z #+/é".into()),
    };
    agree(
        &server,
        |s, same| {
            let params = params.clone();
            s.get_file(move |when, then| {
                let name = if same {
                    "a/b?c#d&e f+g%é"
                } else {
                    "a/b?c#d&e f+g%e"
                };
                when.name(name).params(&params);
                then.ok(b"");
            })
        },
        |c| {
            let params = params.clone();
            async move { c.get_file("a/b?c#d&e f+g%é", &params).await }
        },
    )
    .await;
}

#[tokio::test]
async fn query_styles_and_empty_values() {
    let server = MockServer::start_async().await;
    let params = QueryStylesParams {
        color: Some("blue".into()),
        colors: Some(colors()),
        colors_x: Some(colors()),
        rgb: Some(rgb()),
        rgb_x: Some(rgb()),
        spaced: Some(colors()),
        piped: Some(colors()),
        deep: Some(rgb()),
        limit: Some(10),
        flag: Some(false),
        reserved: Some("a/b:c?d".into()),
    };
    for params in [
        params,
        QueryStylesParams {
            colors: Some(Vec::new()),
            ..Default::default()
        },
    ] {
        agree(
            &server,
            |s, same| {
                let mocked = QueryStylesParams {
                    limit: if same { params.limit } else { Some(11) },
                    ..params.clone()
                };
                s.query_styles(move |when, then| {
                    when.params(&mocked);
                    then.no_content();
                })
            },
            |c| {
                let params = params.clone();
                async move { c.query_styles(&params).await }
            },
        )
        .await;
    }
}

#[tokio::test]
async fn formats_in_path_query_header_and_body() {
    let server = MockServer::start_async().await;
    let id: uuid::Uuid = "67e55044-10b1-426f-9247-bb680e5fe0c8".parse().unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T09:15:00.5-05:00").unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let event = Event {
        id,
        at,
        on: Some(on),
        seen: Some(vec![at]),
    };
    let params = PutEventParams {
        since: Some(at),
        days: vec![on],
        x_as_of: Some(at),
    };
    agree(
        &server,
        |s, same| {
            let (event, params) = (event.clone(), params.clone());
            s.put_event(move |when, then| {
                let x_as_of = if same { params.x_as_of } else { None };
                when.id(id)
                    .params(&PutEventParams { x_as_of, ..params })
                    .body(&event);
                then.ok(&event);
            })
        },
        |c| {
            let (event, params) = (event.clone(), params.clone());
            async move { c.put_event(id, Some(&event), &params).await }
        },
    )
    .await;
    // The answer the mock was given is the one the client decodes.
    let mock = server.put_event(|when, then| {
        when.id(id);
        then.ok(&event);
    });
    let client = Client::with_base_url(&server.base_url()).unwrap();
    let answer = client.put_event(id, None, &Default::default()).await;
    assert_eq!(answer.unwrap().into_inner(), event);
    mock.assert();
}

#[tokio::test]
async fn header_parameters() {
    let server = MockServer::start_async().await;
    let params = HeadersAndCookiesParams {
        x_color: Some("blue".into()),
        x_colors: Some(colors()),
        x_rgb: Some(rgb()),
        session: Some("s 1;2".into()),
        colors: Some(colors()),
        prefs: None,
    };
    agree(
        &server,
        |s, same| {
            let mocked = HeadersAndCookiesParams {
                x_rgb: if same { params.x_rgb.clone() } else { None },
                ..params.clone()
            };
            s.headers_and_cookies(move |when, then| {
                when.params(&mocked);
                then.no_content();
            })
        },
        |c| {
            let params = params.clone();
            async move { c.headers_and_cookies(&params).await }
        },
    )
    .await;
}

#[tokio::test]
async fn bodies_of_every_kind() {
    let server = MockServer::start_async().await;
    let pet = Pet {
        name: "Rex & Co".into(),
        tag: None,
    };
    agree(
        &server,
        |s, same| {
            let mocked = Pet {
                name: if same { pet.name.clone() } else { "Rex".into() },
                ..pet.clone()
            };
            s.create_pet(move |when, then| {
                when.body(&mocked);
                then.no_content();
            })
        },
        |c| {
            let pet = pet.clone();
            async move { c.create_pet(&pet).await }
        },
    )
    .await;
    agree(
        &server,
        |s, same| {
            s.post_note(move |when, then| {
                when.body(if same { "hello" } else { "hello!" });
                then.ok("hello back");
            })
        },
        |c| async move { c.post_note("hello").await },
    )
    .await;
    agree(
        &server,
        |s, same| {
            s.put_file(move |when, then| {
                let body: &[u8] = if same { b"\x00 binary" } else { b"\x00 other" };
                when.name("x.bin").body(body);
                then.no_content();
            })
        },
        |c| async move { c.put_file("x.bin", b"\x00 binary").await },
    )
    .await;
    agree(
        &server,
        |s, same| {
            s.update_pet(move |when, then| {
                let name = if same { "Rex" } else { "Max" };
                when.name(name).body(&Pet {
                    name: "Rex".into(),
                    tag: Some(None),
                });
                then.ok(&Pet {
                    name: "Rex".into(),
                    tag: None,
                });
            })
        },
        |c| async move {
            let pet = Pet {
                name: "Rex".into(),
                tag: Some(None),
            };
            c.update_pet("Rex", &pet).await
        },
    )
    .await;
    // Multipart bodies have a boundary per request: the mock matches the
    // operation, and `into_inner()` whatever else a test needs.
    let upload = Upload {
        title: "report".into(),
        tags: None,
        file: b"PDF-1.7".to_vec(),
    };
    let mock = server.upload(|when, then| {
        when.into_inner()
            .header_prefix("content-type", "multipart/form-data; boundary=")
            .body_includes("PDF-1.7");
        then.no_content();
    });
    let client = Client::with_base_url(&server.base_url()).unwrap();
    client.upload(&upload).await.unwrap();
    mock.assert();
}

#[tokio::test]
async fn form_bodies_with_and_without_an_encoding() {
    let server = MockServer::start_async().await;
    let charge = Charge {
        amount: "100".into(),
        metadata: Some(BTreeMap::from([
            ("amount".to_owned(), "1".to_owned()),
            ("order id".to_owned(), "a&b".to_owned()),
        ])),
        tags: Some(vec!["x".into(), "y".into()]),
        items: Some(vec![ChargeItemsItem {
            price: Some("p_1".into()),
            quantity: Some(2),
        }]),
    };
    let other = Charge {
        amount: "101".into(),
        ..charge.clone()
    };
    agree(
        &server,
        |s, same| {
            let mocked = if same { charge.clone() } else { other.clone() };
            s.create_charge(move |when, then| {
                when.body(&mocked);
                then.no_content();
            })
        },
        |c| {
            let charge = charge.clone();
            async move { c.create_charge(&charge).await }
        },
    )
    .await;
    agree(
        &server,
        |s, same| {
            let mocked = if same { charge.clone() } else { other.clone() };
            s.create_charge_encoded(move |when, then| {
                when.body(&mocked);
                then.no_content();
            })
        },
        |c| {
            let charge = charge.clone();
            async move { c.create_charge_encoded(&charge).await }
        },
    )
    .await;
}

/// `<status>_example()` answers with the spec's own example.
#[tokio::test]
async fn the_specs_example_is_an_answer() {
    let server = MockServer::start_async().await;
    let mock = server.update_pet(|when, then| {
        when.name("Rex");
        then.ok_example();
    });
    let client = Client::with_base_url(&server.base_url()).unwrap();
    let pet = Pet {
        name: "Rex".into(),
        tag: None,
    };
    let answer = client.update_pet("Rex", &pet).await.unwrap().into_inner();
    assert_eq!(
        answer,
        Pet {
            name: "Rex".into(),
            tag: Some(Some("dog".into()))
        }
    );
    mock.assert();
}

/// Each `Then` method answers its status, and the client reads it as that
/// status's case: exact statuses, a range, `default` and 429.
#[tokio::test]
async fn answers_reach_the_client_as_their_status_says() {
    let server = MockServer::start_async().await;
    let client = Client::with_base_url(&server.base_url())
        .unwrap()
        .with_retry(oxgen_wire_tests::Retry::none());
    let pet = Pet {
        name: "Rex".into(),
        tag: Some(Some("dog".into())),
    };
    let problem = Problem {
        message: Some("no".into()),
    };
    type Answer<'a> = Box<dyn Fn(oxgen_wire_tests::mock::CreatePetThen) + 'a>;
    type Check<'a> = Box<dyn Fn(Result<CreatePetResponse, Error<CreatePetError>>) + 'a>;
    let cases: Vec<(Answer, Check)> = vec![
        (
            Box::new(|then| {
                then.ok(&Pet {
                    name: "Rex".into(),
                    tag: Some(Some("dog".into())),
                });
            }),
            Box::new(|r| assert_eq!(r.unwrap(), CreatePetResponse::Ok(pet.clone()))),
        ),
        (
            Box::new(|then| {
                then.created(&Pet {
                    name: "Rex".into(),
                    tag: Some(Some("dog".into())),
                });
            }),
            Box::new(|r| assert_eq!(r.unwrap(), CreatePetResponse::Created(pet.clone()))),
        ),
        (
            Box::new(|then| {
                then.no_content();
            }),
            Box::new(|r| assert_eq!(r.unwrap(), CreatePetResponse::NoContent)),
        ),
        (
            Box::new(|then| {
                then.not_found(&Problem {
                    message: Some("no".into()),
                });
            }),
            Box::new(|r| match r {
                Err(Error::Api {
                    body: CreatePetError::NotFound(p),
                    ..
                }) => assert_eq!(p, problem),
                other => panic!("{other:?}"),
            }),
        ),
        (
            Box::new(|then| {
                then.client_error(409, "taken");
            }),
            Box::new(|r| match r {
                Err(Error::Api {
                    status,
                    body: CreatePetError::Status4xx(text),
                }) => assert_eq!((status.as_u16(), text.as_str()), (409, "taken")),
                other => panic!("{other:?}"),
            }),
        ),
        (
            Box::new(|then| {
                then.other_status(
                    500,
                    &Problem {
                        message: Some("no".into()),
                    },
                );
            }),
            Box::new(|r| match r {
                Err(Error::Api {
                    status,
                    body: CreatePetError::Default(p),
                }) => assert_eq!((status.as_u16(), p), (500, problem.clone())),
                other => panic!("{other:?}"),
            }),
        ),
        (
            Box::new(|then| {
                then.into_inner().status(429).header("retry-after", "7");
            }),
            Box::new(|r| match r {
                Err(Error::RateLimited { retry_after, .. }) => {
                    assert_eq!(retry_after, Some(std::time::Duration::from_secs(7)))
                }
                other => panic!("{other:?}"),
            }),
        ),
    ];
    let sent = Pet {
        name: "Rex".into(),
        tag: None,
    };
    for (answer, check) in cases {
        let mut mock = server.create_pet(|when, then| {
            when.body(&sent);
            answer(then);
        });
        check(client.create_pet(&sent).await.map(|r| r.into_inner()));
        mock.assert();
        mock.delete();
    }
}

/// The `QUERY` method (OpenAPI 3.2), which httpmock does not name, is
/// matched by its name as sent.
#[tokio::test]
async fn query_method() {
    let server = MockServer::start_async().await;
    let pet = |name: &str| Pet {
        name: name.into(),
        tag: None,
    };
    let params = SearchParams {
        filter: Some(rgb()),
    };
    agree(
        &server,
        |s, same| {
            let params = params.clone();
            s.search(move |when, then| {
                when.body(&pet(if same { "Rex" } else { "Max" }))
                    .params(&params);
                then.no_content();
            })
        },
        |c| {
            let params = params.clone();
            async move { c.search(&pet("Rex"), &params).await }
        },
    )
    .await;
}
