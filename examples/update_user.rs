//! Updates a user and prints the users of the response, in order, as JSON.
//!
//! ```text
//! KANTATA_TOKEN=... cargo run --example update_user -- <ID> [--full-name NAME]
//!     [--headline TEXT] [--email EMAIL] [--include a,b] [--optional-fields a,b]
//!     [--external-reference SERVICE,MODEL,REF] [--external-status STATUS]
//! ```
//!
//! `--external-reference jira,issue,PROJ-7 --external-status successful` links
//! the user to an object of another system.
//!
//! `KANTATA_BASE_URL` overrides the server. Exit codes: 0 done, 1 the API or
//! the connection failed, 2 bad arguments or environment.

use std::process::ExitCode;

use kantata::types::{ExternalReferenceInput, UpdateUserRequest, UserUpdate};
use kantata::{Client, Error, UpdateUserParams};

const USAGE: &str = "usage: update_user <ID> [--full-name NAME] [--headline TEXT] [--email EMAIL] \
                     [--include a,b] [--optional-fields a,b] \
                     [--external-reference SERVICE,MODEL,REF] [--external-status STATUS]";

struct Args {
    id: String,
    user: UserUpdate,
    params: UpdateUserParams,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let id = args.next().ok_or("missing <ID>")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("<ID> must be a user's ID (digits), got {id:?}"));
    }
    let mut user = UserUpdate::default();
    let mut params = UpdateUserParams::default();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--full-name" => user.full_name = Some(value),
            "--headline" => user.headline = Some(value),
            "--email" => user.email_address = Some(value),
            "--include" => params.include = comma_list(&value),
            "--optional-fields" => params.optional_fields = comma_list(&value),
            "--external-reference" => {
                let [service_name, service_model, service_model_ref] =
                    <[&str; 3]>::try_from(value.split(',').collect::<Vec<_>>()).map_err(|_| {
                        format!("--external-reference takes SERVICE,MODEL,REF, got {value:?}")
                    })?;
                let status = user.external_reference.take().and_then(|r| r.status);
                user.external_reference = Some(ExternalReferenceInput {
                    service_name: service_name.to_owned(),
                    service_model: service_model.to_owned(),
                    service_model_ref: service_model_ref.to_owned(),
                    status,
                    ..Default::default()
                });
            }
            "--external-status" => match &mut user.external_reference {
                Some(reference) => reference.status = Some(value.as_str().into()),
                None => return Err("--external-status needs --external-reference first".into()),
            },
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Args { id, user, params })
}

/// `a,b` -> typed values; names this client does not know pass through as is.
fn comma_list<T: std::str::FromStr<Err = std::convert::Infallible>>(value: &str) -> Vec<T> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse() {
            Ok(v) => v,
            Err(never) => match never {},
        })
        .collect()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let Ok(token) = std::env::var("KANTATA_TOKEN") else {
        eprintln!("error: set KANTATA_TOKEN to an API token");
        return ExitCode::from(2);
    };
    let client = match std::env::var("KANTATA_BASE_URL") {
        Ok(base_url) => Client::with_base_url(&base_url, &token),
        Err(_) => Client::new(&token),
    };
    let client = match client {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };

    let body = UpdateUserRequest { user: args.user };
    match client.update_user(&args.id, &body, &args.params).await {
        Ok(envelope) => {
            let users = envelope.result_users();
            match serde_json::to_string_pretty(&users) {
                Ok(json) => println!("{json}"),
                Err(e) => {
                    eprintln!("error: cannot print the users: {e}");
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(Error::Api { status, body }) => {
            eprintln!("API error {status}");
            for error in &body.errors {
                match &error.field {
                    Some(field) => eprintln!("  {field}: {}", error.message),
                    None => eprintln!("  {}", error.message),
                }
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
