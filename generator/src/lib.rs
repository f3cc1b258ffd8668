//! oxgen: OpenAPI documents in, Rust client code out.
//!
//! The core is a pipeline without I/O: [`parse`](parse::parse) text into a
//! typed OpenAPI model, [`lower`](lower::lower) it into the IR, and
//! [`emit`](emit::emit) the IR as formatted Rust files. Each stage reports every
//! problem it finds before the next runs. [`output`] holds the file handling
//! that the front ends (`build.rs`, the `oxgen` tool) share.

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod openapi;
pub mod output;
pub mod parse;

use std::collections::BTreeMap;

pub use diagnostics::{Diagnostic, Diagnostics};

/// What one run produced.
#[derive(Debug)]
pub struct Generated {
    /// File name -> contents, in a stable order.
    pub files: BTreeMap<String, String>,
    pub operations: usize,
    pub types: usize,
    /// JSON pointers of schemas that fell back to `serde_json::Value`.
    pub fallbacks: Vec<String>,
}

/// Generates the client module files for one spec. `spec_name` names the spec
/// in diagnostics and in the `@generated` header; pass a path relative to the
/// project so that output is the same on every machine.
pub fn generate(spec_name: &str, text: &str) -> Result<Generated, Diagnostics> {
    let document = parse::parse(spec_name, text)?;
    let api = lower::lower(spec_name, &document)?;
    let files = emit::emit(&api, spec_name).map_err(|message| {
        Diagnostics(vec![Diagnostic {
            file: spec_name.to_owned(),
            line: None,
            pointer: "#".to_owned(),
            message: format!("internal error, please report: {message}"),
        }])
    })?;
    Ok(Generated {
        files,
        operations: api.operations.len(),
        types: api.types.len(),
        fallbacks: api.fallbacks.iter().map(ToString::to_string).collect(),
    })
}
