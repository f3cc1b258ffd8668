//! What the generated client sends, byte for byte, and how it reads answers,
//! against a server on 127.0.0.1. Parameter cases follow the style examples of
//! the OpenAPI 3.1 specification (`color` = "blue", ["blue","black","brown"],
//! {R: 100, G: 200, B: 150}); object members go in the order the generated
//! struct declares them (by name: B, G, R).

mod style_examples;
#[path = "../../support/mod.rs"]
mod support;

use oxgen_wire_tests::types::{Event, Pet, Problem, Upload};
use oxgen_wire_tests::{
    Client, CreatePetError, CreatePetResponse, Error, GetFileParams, HeadersAndCookiesParams,
    PutEventParams, QueryStylesParams, SearchParams,
};
use style_examples::{colors, rgb};
use support::{Canned, Recorded, Server};

fn no_content() -> Canned {
    Canned {
        headers: vec![],
        ..Canned::json(204, "")
    }
}

/// Runs `call` against a server answering `answer`; returns the one request,
/// which used `method`.
async fn sent<F, Fut, T>(method: &str, answer: Canned, call: F) -> (T, Recorded)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let server = Server::start(vec![answer]);
    let client = Client::with_base_url(&server.url()).unwrap();
    let result = call(client).await;
    let mut requests = server.finish();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, method, "{}", requests[0].target);
    (result, requests.remove(0))
}

#[tokio::test]
async fn path_simple() {
    let (result, request) = sent("GET", no_content(), |c| async move {
        c.path_simple("blue", &colors(), &rgb()).await
    })
    .await;
    result.unwrap();
    assert_eq!(
        request.target,
        "/simple/blue/blue,black,brown/B,150,G,200,R,100"
    );
    let (result, request) = sent("GET", no_content(), |c| async move {
        c.path_simple_explode(&colors(), &rgb()).await
    })
    .await;
    result.unwrap();
    assert_eq!(
        request.target,
        "/simple-explode/blue,black,brown/B=150,G=200,R=100"
    );
}

#[tokio::test]
async fn path_label() {
    let (result, request) = sent("GET", no_content(), |c| async move {
        c.path_label("blue", &colors(), &rgb(), &colors(), &rgb())
            .await
    })
    .await;
    result.unwrap();
    assert_eq!(
        request.target,
        "/label/.blue.blue,black,brown.B,150,G,200,R,100/.blue.black.brown.B=150.G=200.R=100"
    );
}

#[tokio::test]
async fn path_matrix() {
    let (result, request) = sent("GET", no_content(), |c| async move {
        c.path_matrix("blue", &colors(), &rgb(), &colors(), &rgb())
            .await
    })
    .await;
    result.unwrap();
    assert_eq!(
        request.target,
        "/matrix/;color=blue;colors=blue,black,brown;rgb=B,150,G,200,R,100\
         /;colors_x=blue;colors_x=black;colors_x=brown;B=150;G=200;R=100"
    );
}

#[tokio::test]
async fn path_values_are_percent_encoded_and_stay_one_segment() {
    let (result, request) = sent("GET", Canned::json(200, ""), |c| async move {
        c.get_file(
            "a/b?c#d&e f+g%é",
            &GetFileParams {
                q: Some("x&y=z #+/é".into()),
            },
        )
        .await
    })
    .await;
    result.unwrap();
    assert_eq!(
        request.target,
        "/files/a%2Fb%3Fc%23d%26e%20f%2Bg%25%C3%A9?q=x%26y%3Dz%20%23%2B%2F%C3%A9"
    );
}

#[tokio::test]
async fn query_styles() {
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
    let (result, request) = sent("GET", no_content(), |c| async move {
        c.query_styles(&params).await
    })
    .await;
    result.unwrap();
    let expected = [
        "color=blue",
        "colors=blue,black,brown",
        "colors_x=blue&colors_x=black&colors_x=brown",
        "rgb=B,150,G,200,R,100",
        "B=150&G=200&R=100",
        "spaced=blue%20black%20brown",
        "piped=blue|black|brown",
        "deep[B]=150&deep[G]=200&deep[R]=100",
        "limit=10",
        "flag=false",
        "reserved=a/b:c?d",
    ]
    .join("&");
    assert_eq!(request.target, format!("/query?{expected}"));
}

/// `uuid`, `date-time` and `date` strings are typed; as parameters they are
/// sent as hyphenated UUIDs and RFC 3339, and a body comes back as it went.
#[tokio::test]
async fn strings_of_a_format_are_typed_and_sent_as_rfc_3339() {
    let id: uuid::Uuid = "67e55044-10b1-426f-9247-bb680e5fe0c8".parse().unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T09:15:00.5-05:00").unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let event = Event {
        id,
        at,
        on: Some(on),
        seen: Some(vec![at.with_timezone(&chrono::Utc).fixed_offset()]),
    };
    let params = PutEventParams {
        since: Some(at),
        days: vec![on, on.succ_opt().unwrap()],
        x_as_of: Some(at),
    };
    let body = r#"{"at":"2026-11-30T09:15:00.500-05:00","id":"67E55044-10B1-426F-9247-BB680E5FE0C8","on":"2026-12-01","seen":["2026-11-30T14:15:00.5Z"]}"#;
    let (result, request) = sent("PUT", Canned::json(200, body), |c| async move {
        c.put_event(id, Some(&event), &params).await
    })
    .await;
    assert_eq!(
        request.target,
        "/events/67e55044-10b1-426f-9247-bb680e5fe0c8\
         ?since=2026-11-30T09%3A15%3A00.500-05%3A00&days=2026-12-01,2026-12-02"
    );
    assert_eq!(
        request.header("x-as-of"),
        Some("2026-11-30T09:15:00.500-05:00")
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"at":"2026-11-30T09:15:00.500-05:00","id":"67e55044-10b1-426f-9247-bb680e5fe0c8","on":"2026-12-01","seen":["2026-11-30T14:15:00.500Z"]}"#
    );
    let answer = result.unwrap().into_inner();
    assert_eq!((answer.id, answer.at, answer.on), (id, at, Some(on)));
    assert_eq!(answer.seen.unwrap()[0], at, "the same instant");
}

#[tokio::test]
async fn unset_and_empty_query_values_are_left_out() {
    let params = QueryStylesParams {
        colors: Some(Vec::new()),
        ..Default::default()
    };
    let (result, request) = sent("GET", no_content(), |c| async move {
        c.query_styles(&params).await
    })
    .await;
    result.unwrap();
    assert_eq!(request.target, "/query");
}

#[tokio::test]
async fn headers_and_cookies() {
    let params = HeadersAndCookiesParams {
        x_color: Some("blue".into()),
        x_colors: Some(colors()),
        x_rgb: Some(rgb()),
        session: Some("s 1;2".into()),
        colors: Some(colors()),
        prefs: None,
    };
    let (result, request) = sent("GET", no_content(), |c| async move {
        c.headers_and_cookies(&params).await
    })
    .await;
    result.unwrap();
    assert_eq!(request.header("x-color"), Some("blue"));
    assert_eq!(request.header("x-colors"), Some("blue,black,brown"));
    assert_eq!(request.header("x-rgb"), Some("B=150,G=200,R=100"));
    assert_eq!(
        request.header("cookie"),
        Some("session=s%201%3B2; colors=blue,black,brown")
    );
}

#[tokio::test]
async fn bodies_travel_as_their_media_type_says() {
    let pet = Pet {
        name: "Rex & Co".into(),
        tag: None,
    };
    let (result, request) = sent(
        "POST",
        Canned::json(200, r#"{"name": "Rex"}"#),
        |c| async move { c.create_pet(&pet).await },
    )
    .await;
    assert_eq!(
        result.unwrap().into_inner(),
        CreatePetResponse::Ok(Pet {
            name: "Rex".into(),
            tag: None
        })
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "name=Rex%20%26%20Co"
    );

    let (result, request) = sent("POST", Canned::json(200, "hello back"), |c| async move {
        c.post_note("hello").await
    })
    .await;
    assert_eq!(result.unwrap().into_inner(), "hello back");
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(request.body, b"hello");

    let bytes = vec![0u8, 159, 146, 150, 255];
    let (result, request) = sent("PUT", no_content(), |c| async move {
        c.put_file("x.bin", &[0, 159, 146, 150, 255]).await
    })
    .await;
    result.unwrap();
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, bytes);

    let upload = Upload {
        title: "report".into(),
        tags: Some(vec!["a".into(), "b".into()]),
        file: b"PDF-1.7".to_vec(),
    };
    let (result, request) = sent(
        "POST",
        no_content(),
        |c| async move { c.upload(&upload).await },
    )
    .await;
    result.unwrap();
    let content_type = request.header("content-type").unwrap().to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart");
    // Parts in the order of the schema's properties; a file part is labelled
    // with the first of `encoding.contentType`, text parts are not.
    let expected = format!(
        "--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
         Content-Type: application/pdf\r\n\r\n\
         PDF-1.7\r\n\
         --{boundary}\r\n\
         Content-Disposition: form-data; name=\"tags\"\r\n\r\n\
         a\r\n\
         --{boundary}\r\n\
         Content-Disposition: form-data; name=\"tags\"\r\n\r\n\
         b\r\n\
         --{boundary}\r\n\
         Content-Disposition: form-data; name=\"title\"\r\n\r\n\
         report\r\n\
         --{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
}

/// `Accept` lists the media types the operation's answers have, in the order
/// of their statuses; `application/json` when that is all there is.
#[tokio::test]
async fn accept_names_the_media_types_of_the_documented_answers() {
    let (_, request) = sent("GET", Canned::json(200, "x"), |c| async move {
        c.get_file("x.bin", &GetFileParams::default()).await
    })
    .await;
    assert_eq!(request.header("accept"), Some("application/octet-stream"));

    let (_, request) = sent("POST", Canned::json(200, "x"), |c| async move {
        c.post_note("hello").await
    })
    .await;
    assert_eq!(request.header("accept"), Some("text/plain"));

    let pet = Pet {
        name: "Rex".into(),
        tag: None,
    };
    let pet_for_create = pet.clone();
    let (_, request) = sent(
        "POST",
        Canned::json(200, r#"{"name": "Rex"}"#),
        |c| async move { c.create_pet(&pet_for_create).await },
    )
    .await;
    assert_eq!(
        request.header("accept"),
        Some("application/json, application/vnd.pet+json, text/plain")
    );

    let (_, request) = sent(
        "PATCH",
        Canned::json(200, r#"{"name": "Rex"}"#),
        |c| async move { c.update_pet("Rex", &pet).await },
    )
    .await;
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(
        request
            .headers
            .iter()
            .filter(|(n, _)| n == "accept")
            .count(),
        1
    );
}

/// An operation with a server of its own goes there, not to the base URL;
/// `with_server` maps that server elsewhere (here: a test server, with a
/// path prefix).
#[tokio::test]
async fn an_operation_with_its_own_server_goes_there_unless_mapped() {
    let base = Server::start(vec![]);
    let client = Client::with_base_url(&base.url()).unwrap();
    let unmapped = client.get_elsewhere().await;
    assert!(matches!(unmapped, Err(Error::Transport(_))), "{unmapped:?}");

    let other = Server::start(vec![no_content()]);
    let client = client
        .with_server("http://127.0.0.1:9/up", &format!("{}/mapped", other.url()))
        .unwrap();
    client.get_elsewhere().await.unwrap();
    assert!(
        base.finish().is_empty(),
        "the base URL's server gets nothing"
    );
    let requests = other.finish();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].target, "/mapped/elsewhere");
}

/// Checks the outcome of one answer.
type Check = Box<dyn Fn(Result<CreatePetResponse, Error<CreatePetError>>)>;

#[tokio::test]
async fn answers_dispatch_by_exact_status_then_range_then_default() {
    let pet = || Pet {
        name: "Rex".into(),
        tag: None,
    };
    let cases: Vec<(Canned, Check)> = vec![
        (
            Canned {
                headers: vec![("Content-Type", "application/vnd.pet+json".into())],
                ..Canned::json(201, r#"{"name":"Rex","tag":"dog","extra":1}"#)
            },
            Box::new(|r| {
                assert_eq!(
                    r.unwrap(),
                    CreatePetResponse::Created(Pet {
                        name: "Rex".into(),
                        tag: Some(Some("dog".into()))
                    })
                )
            }),
        ),
        (
            no_content(),
            Box::new(|r| assert_eq!(r.unwrap(), CreatePetResponse::NoContent)),
        ),
        (
            Canned::json(404, r#"{"message":"no owner"}"#),
            Box::new(|r| match r {
                Err(Error::Api {
                    status,
                    body: CreatePetError::NotFound(Problem { message }),
                }) => {
                    assert_eq!(
                        (status.as_u16(), message.as_deref()),
                        (404, Some("no owner"))
                    )
                }
                other => panic!("{other:?}"),
            }),
        ),
        (
            Canned {
                headers: vec![("Content-Type", "text/plain".into())],
                ..Canned::json(409, "taken")
            },
            Box::new(|r| match r {
                Err(Error::Api {
                    status,
                    body: CreatePetError::Status4xx(text),
                }) => assert_eq!((status.as_u16(), text.as_str()), (409, "taken")),
                other => panic!("{other:?}"),
            }),
        ),
        (
            Canned::json(500, r#"{"message":"boom"}"#),
            Box::new(|r| match r {
                Err(Error::Api {
                    status,
                    body: CreatePetError::Default(problem),
                }) => {
                    assert_eq!(
                        (status.as_u16(), problem.message.as_deref()),
                        (500, Some("boom"))
                    )
                }
                other => panic!("{other:?}"),
            }),
        ),
        (
            Canned::json(429, "slow down"),
            Box::new(|r| {
                assert!(
                    matches!(
                        r,
                        Err(Error::RateLimited {
                            retry_after: None,
                            body: None
                        })
                    ),
                    "{r:?}"
                )
            }),
        ),
    ];
    for (answer, check) in cases {
        let (result, _) = sent(
            "POST",
            answer,
            |c| async move { c.create_pet(&pet()).await },
        )
        .await;
        check(result.map(|r| r.into_inner()));
    }
}

#[tokio::test]
async fn binary_answers_keep_their_bytes() {
    let answer = Canned {
        headers: vec![("Content-Type", "application/octet-stream".into())],
        ..Canned::json(200, "\u{0}\u{1}raw")
    };
    let (result, _) = sent("GET", answer, |c| async move {
        c.get_file("f", &GetFileParams::default()).await
    })
    .await;
    assert_eq!(result.unwrap().into_inner(), b"\0\x01raw");
}

/// An optional, nullable field of a request type has three states on the
/// wire: left out, `null`, or a value; decoding keeps them apart too.
#[tokio::test]
async fn optional_nullable_request_fields_have_three_states() {
    let cases = [
        (None, r#"{"name":"Rex"}"#),
        (Some(None), r#"{"name":"Rex","tag":null}"#),
        (
            Some(Some("dog".to_owned())),
            r#"{"name":"Rex","tag":"dog"}"#,
        ),
    ];
    for (tag, wire) in cases {
        let pet = Pet {
            name: "Rex".into(),
            tag: tag.clone(),
        };
        let (result, request) = sent("PATCH", Canned::json(200, wire), |c| async move {
            c.update_pet("Rex", &pet).await
        })
        .await;
        assert_eq!(String::from_utf8_lossy(&request.body), wire);
        assert_eq!(result.unwrap().into_inner().tag, tag, "{wire} decodes back");
    }
}

/// OpenAPI 3.2: the `QUERY` method, with a body, and a whole query string
/// as one parameter (its members are the query's parameters).
#[tokio::test]
async fn query_method_and_a_whole_query_string() {
    let pet = Pet {
        name: "Rex".into(),
        tag: None,
    };
    let params = SearchParams {
        filter: Some(rgb()),
    };
    let (result, request) = sent("QUERY", no_content(), |c| async move {
        c.search(&pet, &params).await
    })
    .await;
    result.unwrap();
    assert_eq!(request.target, "/search?B=150&G=200&R=100");
    assert_eq!(request.body, br#"{"name":"Rex"}"#.to_vec());
}
