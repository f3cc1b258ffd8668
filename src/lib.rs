//! An async client for the [Kantata OX](https://developer.kantata.com/) REST API.
//!
//! Generated at build time by `oxgen` from `spec/` (Kantata's Swagger 2.0 contract and
//! our overlay of corrections); the same code is checked in under `generated/` for review.
//!
//! ```no_run
//! use kantata::types::{UpdateUserRequest, UserInclude, UserUpdate};
//! use kantata::{Client, Error, UpdateUserParams};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new("token")?;
//! let body = UpdateUserRequest {
//!     user: UserUpdate {
//!         headline: Some("Lead engineer".into()),
//!         ..Default::default()
//!     },
//! };
//! let params = UpdateUserParams {
//!     include: vec![UserInclude::Manager],
//!     ..Default::default()
//! };
//! match client.update_user("42", &body, &params).await {
//!     Ok(envelope) => {
//!         for user in envelope.result_users() {
//!             println!("{}: {:?}", user.id, user.full_name);
//!         }
//!     }
//!     Err(Error::Api { status, body }) => {
//!         for error in &body.errors {
//!             eprintln!("{status}: {}", error.message);
//!         }
//!     }
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(())
//! # }
//! ```

include!(concat!(env!("OUT_DIR"), "/oxgen/lib.rs"));
