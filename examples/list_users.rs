//! Lists users, every page of them, each with their manager's name, which the
//! same response carries when `include=manager` asks for it.
//!
//! ```text
//! KANTATA_TOKEN=... cargo run --example list_users -- [--search TEXT] [--on-my-account]
//!     [--email ADDRESS] [--participant-in WORKSPACE_ID] [--updated-after RFC3339]
//!     [--show-disabled]
//! ```
//!
//! Prints one line per user: `<id>\t<name>\t<manager's name, or ->`.
//! `KANTATA_BASE_URL` overrides the server. Exit codes: 0 done, 1 the API or
//! the connection failed, 2 bad arguments or environment.

use std::pin::pin;
use std::process::ExitCode;

use futures_util::StreamExt;
use kantata::types::UserInclude;
use kantata::{Client, Error, GetUsersParams};

const USAGE: &str = "usage: list_users [--search TEXT] [--on-my-account] [--email ADDRESS] \
                     [--participant-in WORKSPACE_ID] [--updated-after RFC3339] [--show-disabled]";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<GetUsersParams, String> {
    let mut params = GetUsersParams {
        include: vec![UserInclude::Manager],
        ..Default::default()
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--search" => params.search = Some(value()?),
            "--on-my-account" => params.on_my_account = Some(true),
            "--show-disabled" => params.show_disabled = Some(true),
            "--email" => params.by_email_address = Some(value()?),
            "--participant-in" => {
                let value = value()?;
                let id = value.parse().map_err(|_| {
                    format!("--participant-in takes a workspace ID (a number), got {value:?}")
                })?;
                params.participant_in = Some(id);
            }
            "--updated-after" => {
                let value = value()?;
                let after = chrono::DateTime::parse_from_rfc3339(&value).map_err(|e| {
                    format!("--updated-after takes an RFC 3339 time, got {value:?}: {e}")
                })?;
                params.updated_after = Some(after);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(params)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let params = match parse_args(std::env::args().skip(1)) {
        Ok(params) => params,
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

    let mut users = pin!(client.get_users_all(&params));
    while let Some(user) = users.next().await {
        let user = match user {
            Ok(user) => user,
            Err(Error::Api { status, body }) => {
                eprintln!("API error {status}");
                for error in &body.errors {
                    eprintln!("  {}", error.message);
                }
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        // The manager is resolved from the page this user came in.
        let manager = user
            .page()
            .user_manager(&user)
            .and_then(|manager| manager.full_name.as_deref())
            .unwrap_or("-");
        let name = user.full_name.as_deref().unwrap_or("-");
        println!("{}\t{name}\t{manager}", user.id);
    }
    ExitCode::SUCCESS
}
