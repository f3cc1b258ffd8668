//! oxgen: OpenAPI documents in, Rust client code out.
//!
//! From a build script, [`Builder`]:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), oxgen::Error> {
//!     oxgen::Builder::new().spec("spec").generate()?;
//!     Ok(())
//! }
//! ```
//!
//! From a program holding the spec's text, [`generate`] (or, with `$ref`s to
//! other files, overlays or a selection, [`generate_with_options`]) returns
//! the files. [`diff`] compares the APIs ([`ir::Api`]) of two versions of a
//! spec, from [`Builder::api`] or [`api`].
//!
//! The core is a pipeline without I/O: parse text into a typed OpenAPI
//! model, lower it into the IR ([`ir`]), and emit the IR as formatted Rust
//! files. Each stage reports every problem it finds before the next runs.
//! Reading and writing files is the front ends' part: [`Builder`] and the
//! `oxgen` tool, over a module they share.

#![deny(missing_docs)]

mod builder;
pub(crate) mod bundle;
pub(crate) mod diagnostics;
pub mod diff;
pub(crate) mod emit;
pub(crate) mod graph;
pub mod ir;
pub(crate) mod jsonpath;
pub(crate) mod locate;
pub(crate) mod lower;
pub(crate) mod members;
pub(crate) mod naming;
pub(crate) mod openapi;
pub(crate) mod output;
pub(crate) mod overlay;
pub(crate) mod parse;
pub(crate) mod repair;
pub(crate) mod sample;
pub(crate) mod select;
pub(crate) mod swagger;

use std::borrow::Cow;
use std::collections::BTreeMap;

use lower::refs::MainText;

pub use builder::{Builder, Error, Report};
pub use diagnostics::{Diagnostic, Diagnostics, Pointer};
pub use lower::refs::{Loader, NoFiles};
pub use output::FileLoader;
pub use overlay::Overlay;

/// What one run produced.
#[derive(Debug, Default)]
pub struct Generated {
    /// File name -> contents, in a stable order.
    pub files: BTreeMap<String, String>,
    /// What the spec held.
    pub summary: Summary,
}

/// What one run found in the spec, besides the files.
#[derive(Debug, Default)]
pub struct Summary {
    /// Operations generated.
    pub operations: usize,
    /// Types generated.
    pub types: usize,
    /// JSON pointers of schemas that fell back to `serde_json::Value`.
    pub fallbacks: Vec<String>,
    /// Operations that document no answer at all: every status they get is
    /// unexpected.
    pub without_answers: usize,
    /// Parts of the document read as their evident intent (see the README's
    /// "Faults in a document").
    pub repaired: usize,
    /// Parts of the document that could not be read and were left out.
    pub left_out: usize,
    /// Odd but usable input (e.g. a required property that is not declared).
    pub warnings: Vec<Diagnostic>,
    /// How many example values the examples module round-trips (none
    /// without [`Options::examples`]).
    pub examples: usize,
    /// Whether the code names `chrono` (strings of the `date-time` and
    /// `date` formats): the crate around it then depends on chrono with its
    /// `serde` feature.
    pub uses_chrono: bool,
    /// Whether the code names `uuid` (strings of the `uuid` format): the
    /// crate around it then depends on uuid with its `serde` feature.
    pub uses_uuid: bool,
    /// Whether the files include `mock.rs` (see [`Options::mock`]): the crate
    /// around them then has a `mock` feature.
    pub mock: bool,
}

/// Generates the client module files for one spec. `spec_name` names the spec
/// in diagnostics and in the `@generated` header; pass a path relative to the
/// project so that output is the same on every machine.
pub fn generate(spec_name: &str, text: &str) -> Result<Generated, Diagnostics> {
    generate_with_options(spec_name, text, &NoFiles, &Options::default())
}

/// What to generate beyond the client.
#[derive(Debug, Clone)]
pub struct Options {
    /// A `#[cfg(test)]` module that round-trips every example of the spec
    /// through the generated types.
    pub examples: bool,
    /// Overlays applied, in order, to the spec before anything else reads it.
    pub overlays: Vec<Overlay>,
    /// Only these operations (by method name, `operationId` or tag) and the
    /// types they reach; empty: everything.
    pub only: Vec<String>,
    /// The files are a crate's `src/`, so `lib.rs` is the crate root: the
    /// lints the generated code allows are allowed once, at crate level.
    /// Otherwise `lib.rs` is `include!`d and allows them on each module.
    pub crate_root: bool,
    /// How strings of the `date-time`, `date` and `uuid` formats are typed.
    pub formats: Formats,
    /// A `mock` module of typed mocks on an httpmock server, compiled with
    /// the `mock` feature of the crate around it (which enables
    /// `oxgen-runtime/mock`).
    pub mock: bool,
    /// A `conformance` module that calls every operation once with sample
    /// arguments (every optional one set), for tests against a validating
    /// mock server.
    pub conformance: bool,
}

impl Default for Options {
    /// The client alone: no mocks, examples, overlays or selection.
    fn default() -> Self {
        Options {
            examples: false,
            overlays: Vec::new(),
            only: Vec::new(),
            crate_root: false,
            formats: Formats::default(),
            mock: false,
            conformance: false,
        }
    }
}

/// How strings of the `date-time`, `date` and `uuid` formats are typed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Formats {
    /// `chrono::DateTime<chrono::FixedOffset>` (the server's offset is
    /// kept, so a value encodes back as it came), `chrono::NaiveDate` and
    /// `uuid::Uuid`; parameters of these types are sent as RFC 3339 and as
    /// hyphenated UUIDs.
    #[default]
    Chrono,
    /// `String`, as the spec's text has them: for servers known to send
    /// values that do not parse.
    String,
}

/// [`generate`] for a spec whose `$ref`s name other files, which `loader`
/// supplies (a [`FileLoader`], or [`NoFiles`]), with [`Options`].
pub fn generate_with_options(
    spec_name: &str,
    text: &str,
    loader: &dyn Loader,
    options: &Options,
) -> Result<Generated, Diagnostics> {
    let api = selected_api(spec_name, text, loader, options)?;
    generate_api(api, spec_name, options)
}

/// What [`generate_with_options`] emits: the IR with the overlays applied and
/// the operations selected.
pub(crate) fn selected_api(
    spec_name: &str,
    text: &str,
    loader: &dyn Loader,
    options: &Options,
) -> Result<ir::Api, Diagnostics> {
    selected(spec_name, Cow::Borrowed(text), loader, options)
}

/// [`selected_api`], given the text to drop once it is parsed: the model
/// parsed from it is several times its size, and the text is needed again
/// only for rare references and for the lines of diagnostics, which `loader`
/// reads it back for (as the last segment of `spec_name`, the name the
/// spec's own `$ref`s use). If the loader cannot give back the same text,
/// it is kept. This is how the front ends free the text before emission, the
/// stage whose memory peaks.
pub(crate) fn selected_api_owned(
    spec_name: &str,
    text: String,
    loader: &dyn Loader,
    options: &Options,
) -> Result<ir::Api, Diagnostics> {
    selected(spec_name, Cow::Owned(text), loader, options)
}

fn selected(
    spec_name: &str,
    text: Cow<'_, str>,
    loader: &dyn Loader,
    options: &Options,
) -> Result<ir::Api, Diagnostics> {
    let keep = lower::Keep {
        examples: options.examples,
        samples: options.conformance,
    };
    let mut api = lowered(spec_name, text, loader, &options.overlays, keep)?;
    if options.formats == Formats::String {
        for ty in api.tys_mut() {
            ty.walk_mut(&mut |ty| {
                if matches!(ty, ir::Ty::DateTime | ir::Ty::Date | ir::Ty::Uuid) {
                    *ty = ir::Ty::String;
                }
            });
        }
    }
    if !options.only.is_empty() {
        select::select(&mut api, &options.only).map_err(|message| {
            Diagnostics(vec![Diagnostic {
                file: spec_name.to_owned(),
                line: None,
                pointer: String::new(),
                message,
            }])
        })?;
    }
    Ok(api)
}

/// Emits the IR that [`selected_api`] built with the same arguments.
pub(crate) fn generate_api(
    api: ir::Api,
    spec_name: &str,
    options: &Options,
) -> Result<Generated, Diagnostics> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let summary = generate_api_into(api, spec_name, options, &mut |name, piece| match files
        .get_mut(name)
    {
        Some(file) => file.push_str(piece),
        None => {
            files.insert(name.to_owned(), piece.to_owned());
        }
    })?;
    Ok(Generated { files, summary })
}

/// [`generate_api`], handing the files to `write(file name, piece)` piece by
/// piece instead of holding them: the pieces of one file in order, files
/// possibly interleaved.
pub(crate) fn generate_api_into(
    api: ir::Api,
    spec_name: &str,
    options: &Options,
    write: &mut dyn FnMut(&str, &str),
) -> Result<Summary, Diagnostics> {
    let mut origin = spec_name.to_owned();
    for (i, overlay) in options.overlays.iter().enumerate() {
        origin.push_str(if i == 0 { " with " } else { ", " });
        origin.push_str(overlay.file());
    }
    // Nothing to mock without operations.
    let mock = options.mock && !api.operations.is_empty();
    let settings = emit::Settings {
        source: &origin,
        examples: options.examples,
        crate_root: options.crate_root,
        mock,
        conformance: options.conformance,
    };
    emit::emit(&api, &settings, write).map_err(|message| {
        Diagnostics(vec![Diagnostic {
            file: spec_name.to_owned(),
            line: None,
            pointer: "#".to_owned(),
            message: format!("internal error, please report: {message}"),
        }])
    })?;
    let uses = |wanted: &dyn Fn(&ir::Ty) -> bool| api.tys().flat_map(ir::Ty::walk).any(wanted);
    Ok(Summary {
        uses_chrono: uses(&|ty| matches!(ty, ir::Ty::DateTime | ir::Ty::Date)),
        uses_uuid: uses(&|ty| *ty == ir::Ty::Uuid),
        mock,
        operations: api.operations.len(),
        types: api.types.len(),
        fallbacks: api.fallbacks.iter().map(ToString::to_string).collect(),
        without_answers: api
            .operations
            .iter()
            .filter(|op| op.responses.is_empty())
            .count(),
        repaired: api.repaired,
        left_out: api.left_out,
        warnings: api.warnings,
        examples: api.examples.len(),
    })
}

/// The IR of a spec with `overlays` applied: what [`generate_with_options`]
/// emits, and what [`diff::diff`] compares. Diagnostics carry lines.
pub fn api(
    spec_name: &str,
    text: &str,
    loader: &dyn Loader,
    overlays: &[Overlay],
) -> Result<ir::Api, Diagnostics> {
    lowered(
        spec_name,
        Cow::Borrowed(text),
        loader,
        overlays,
        lower::Keep::default(),
    )
}

/// [`api`], with the spec's example values copied into the IR when
/// `examples` asks for them (in large documents they are megabytes).
fn lowered(
    spec_name: &str,
    text: Cow<'_, str>,
    loader: &dyn Loader,
    overlays: &[Overlay],
    keep: lower::Keep,
) -> Result<ir::Api, Diagnostics> {
    if let Some((merged, original)) = overlaid(spec_name, &text, overlays)? {
        let located = |diagnostics: &mut Vec<Diagnostic>, swagger: bool| {
            diagnostics::cap(diagnostics, spec_name);
            relocate(diagnostics, spec_name, &text, &original, swagger);
        };
        let mut parsed = parse::parse(spec_name, &merged)
            .and_then(|parsed| bundled(spec_name, &merged, parsed, loader))
            .map_err(|mut d| {
                located(&mut d.0, false);
                d
            })?;
        let main = MainText::Kept(&merged);
        let swagger = parsed.swagger;
        let lowered = lower_model(spec_name, &main, &mut parsed, loader, keep)
            .map(|api| with_repairs(api, parsed.repairs));
        return with_lines(lowered, |d| located(d, swagger));
    }
    // A text of our own is dropped once parsed when the loader gives it back
    // (asked before parsing, while little else is in memory).
    let file = spec_name.rsplit('/').next().unwrap_or(spec_name);
    let rereadable = match &text {
        Cow::Owned(owned) => MainText::rereadable(owned, file, loader),
        Cow::Borrowed(_) => None,
    };
    let mut parsed = parse::parse(spec_name, &text)
        .and_then(|parsed| bundled(spec_name, &text, parsed, loader))
        .map_err(|mut d| {
            diagnostics::cap(&mut d.0, spec_name);
            place(&mut d.0, Some(&text), false);
            d
        })?;
    let main = match rereadable {
        Some(reread) => {
            drop(text);
            reread
        }
        None => MainText::Kept(&text),
    };
    let swagger = parsed.swagger;
    let lowered = lower_model(spec_name, &main, &mut parsed, loader, keep)
        .map(|api| with_repairs(api, parsed.repairs));
    with_lines(lowered, |diagnostics| {
        diagnostics::cap(diagnostics, spec_name);
        // Read again only when some diagnostic needs a line.
        let text = match diagnostics.iter().any(|d| d.line.is_none()) {
            true => main.text(),
            false => None,
        };
        place(diagnostics, text.as_deref(), swagger);
    })
}

/// `parsed`, or, when it has path items or operations given by reference,
/// the document read again with them inlined (see `bundle`).
fn bundled(
    spec_name: &str,
    text: &str,
    parsed: parse::Parsed,
    loader: &dyn Loader,
) -> Result<parse::Parsed, Diagnostics> {
    if !bundle::needed(&parsed.model) {
        return Ok(parsed);
    }
    // Read again from the text: what the first reading repaired is
    // repaired (and said) again.
    let swagger = parsed.swagger;
    drop(parsed);
    let mut document = parse::raw_openapi(spec_name, text, swagger)?;
    let left_out = bundle::bundle(spec_name, &mut document, loader);
    let mut parsed = parse::parse_value(spec_name, document, swagger)?;
    parsed.repairs.left_out.extend(left_out);
    Ok(parsed)
}

/// The IR of the model. Faults local to operations or paths leave those out
/// (see [`repair::leave_out_faulty`]) and the rest is lowered again.
fn lower_model(
    spec_name: &str,
    main: &MainText,
    parsed: &mut parse::Parsed,
    loader: &dyn Loader,
    keep: lower::Keep,
) -> Result<ir::Api, Diagnostics> {
    let swagger = parsed.swagger;
    for (at, reference) in parsed.model.resolve_media_types() {
        parsed.repairs.left_out.push(Diagnostic {
            file: spec_name.to_owned(),
            line: None,
            pointer: at.to_string(),
            message: format!(
                "`{reference}` does not name an entry of #/components/mediaTypes; media type left out"
            ),
        });
    }
    let errors = match lower::lower(spec_name, main, &parsed.model, swagger, loader, keep) {
        Ok(api) => return Ok(api),
        Err(errors) => errors,
    };
    // A text that changed on disk while being read is not a fault of parts.
    if main.text().is_none() {
        return Err(errors);
    }
    let Some(left_out) = repair::leave_out_faulty(&mut parsed.model, &errors) else {
        return Err(errors);
    };
    let mut api = lower::lower(spec_name, main, &parsed.model, swagger, loader, keep)?;
    api.left_out += left_out.parts.len();
    api.warnings.extend(left_out.parts);
    api.warnings.extend(left_out.other_faults);
    Ok(api)
}

/// The IR with what reading the document repaired or left out counted and
/// among its warnings.
fn with_repairs(mut api: ir::Api, repairs: repair::Repairs) -> ir::Api {
    api.repaired += repairs.repaired.len();
    api.left_out += repairs.left_out.len();
    api.warnings.extend(repairs.repaired);
    api.warnings.extend(repairs.left_out);
    api.warnings.extend(repairs.ignored);
    diagnostics::sort(&mut api.warnings);
    api
}

/// The lowered IR with `locate` applied to its warnings, or to the errors.
fn with_lines(
    lowered: Result<ir::Api, Diagnostics>,
    locate: impl Fn(&mut Vec<Diagnostic>),
) -> Result<ir::Api, Diagnostics> {
    match lowered {
        Ok(mut api) => {
            locate(&mut api.warnings);
            Ok(api)
        }
        Err(mut errors) => {
            locate(&mut errors.0);
            Err(errors)
        }
    }
}

/// The spec with every overlay applied, as JSON text, and the document as it
/// was before; `None` without overlays. Every overlay is applied even when
/// one fails, so a run reports all their problems.
fn overlaid(
    spec_name: &str,
    text: &str,
    overlays: &[Overlay],
) -> Result<Option<(String, serde_json::Value)>, Diagnostics> {
    if overlays.is_empty() {
        return Ok(None);
    }
    let original = parse::raw(spec_name, text)?;
    let mut document = original.clone();
    let mut problems = Vec::new();
    for overlay in overlays {
        if let Err(d) = overlay.apply(&mut document) {
            problems.extend(d.0);
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let merged = serde_json::to_string_pretty(&document).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: spec_name.to_owned(),
            line: None,
            pointer: "#".to_owned(),
            message: format!("internal error, please report: {e}"),
        }])
    })?;
    Ok(Some((merged, original)))
}

/// [`place`] for an overlaid spec: problems are located in the spec's own
/// text where the spec has the node, and carry no line where an overlay put
/// it (the pointer still names it).
fn relocate(
    diagnostics: &mut [Diagnostic],
    spec_name: &str,
    text: &str,
    original: &serde_json::Value,
    swagger: bool,
) {
    let pointers = swagger.then(|| swagger::SwaggerPointers::of(original));
    for diagnostic in diagnostics.iter_mut().filter(|d| d.file == spec_name) {
        diagnostic.line = None;
        if let Some(pointers) = &pointers {
            diagnostic.pointer = pointers.map(&diagnostic.pointer);
            diagnostic.message = swagger::message_in_swagger(&diagnostic.message);
        }
        let in_original = diagnostic
            .pointer
            .strip_prefix('#')
            .is_some_and(|p| original.pointer(p).is_some());
        if in_original
            && let Some(pointer) = diagnostics::Pointer::from_fragment(&diagnostic.pointer)
        {
            diagnostic.line = locate::locate(text, &pointer);
        }
    }
}

/// Gives each diagnostic of the main document its line and column, and (for a
/// Swagger 2.0 document, read as OpenAPI 3) the pointer into the original.
/// Without the text (it changed on disk since it was parsed), no lines.
fn place(diagnostics: &mut [Diagnostic], text: Option<&str>, swagger: bool) {
    // The Swagger document is read again, only to say where its parts went.
    let pointers = match (swagger && !diagnostics.is_empty(), text) {
        (true, Some(text)) => parse::raw("", text)
            .ok()
            .map(|raw| swagger::SwaggerPointers::of(&raw)),
        _ => None,
    };
    for diagnostic in diagnostics {
        if swagger {
            diagnostic.pointer = match &pointers {
                Some(pointers) => pointers.map(&diagnostic.pointer),
                None => swagger::pointer_in_swagger(&diagnostic.pointer),
            };
            diagnostic.message = swagger::message_in_swagger(&diagnostic.message);
        }
        if let (None, Some(text)) = (diagnostic.line, text)
            && let Some(pointer) = diagnostics::Pointer::from_fragment(&diagnostic.pointer)
        {
            diagnostic.line = locate::locate(text, &pointer);
        }
    }
}

/// The version of `oxgen-runtime` that generated code is written against;
/// the two crates are released together.
pub const RUNTIME_VERSION: &str = "0.1";

/// Dependencies of every generated client besides `oxgen-runtime`, as
/// `Cargo.toml` lines: what the generated code names itself.
const DEPENDENCIES: &str = r#"futures-util = { version = "0.3", default-features = false }
reqwest = { version = "0.12", default-features = false }
serde = { version = "1", features = ["derive"] }
serde_json = "1""#;

/// The feature of a generated client with mocks.
const MOCK_FEATURE: &str = r#"# Typed mocks of the API on an httpmock server (the `mock` module), for tests.
mock = ["oxgen-runtime/mock"]
"#;

/// The features of every generated client.
const FEATURES: &str = r#"# A span per request (operation and method, never the URL or credentials).
tracing = ["oxgen-runtime/tracing"]
"#;

/// `chrono` as a generated crate depends on it: what parsing and encoding
/// values needs, not the system clock.
const CHRONO: &str =
    r#"chrono = { version = "0.4.38", default-features = false, features = ["serde"] }"#;

/// `uuid` as a generated crate depends on it.
const UUID: &str = r#"uuid = { version = "1", default-features = false, features = ["serde"] }"#;

/// The `Cargo.toml` of a standalone crate named `name` around generated
/// files, which go in its `src/`: it depends on what `summary` says the code
/// uses. Its own `[workspace]` keeps it out of any workspace it is written
/// into. It depends on the published `oxgen-runtime`, or on the one at
/// `runtime_path` (as Cargo reads a path dependency).
pub fn crate_manifest(
    name: &str,
    runtime_path: Option<&str>,
    summary: &Summary,
) -> Result<String, String> {
    check_crate_name(name)?;
    // The runtime decodes chrono's and uuid's types behind features.
    let features: Vec<&str> = [("chrono", summary.uses_chrono), ("uuid", summary.uses_uuid)]
        .into_iter()
        .filter_map(|(feature, used)| used.then_some(feature))
        .collect();
    let features = match &features[..] {
        [] => String::new(),
        features => format!(", features = [\"{}\"]", features.join("\", \"")),
    };
    let mut dependencies = vec![match runtime_path {
        Some(path) => format!(
            "oxgen-runtime = {{ version = \"{RUNTIME_VERSION}\", path = {}{features} }}",
            toml_string(path)
        ),
        None if features.is_empty() => format!("oxgen-runtime = \"{RUNTIME_VERSION}\""),
        None => format!("oxgen-runtime = {{ version = \"{RUNTIME_VERSION}\"{features} }}"),
    }];
    if summary.uses_chrono {
        dependencies.push(CHRONO.to_owned());
    }
    if summary.uses_uuid {
        dependencies.push(UUID.to_owned());
    }
    // Sorted, as `cargo add` keeps them.
    dependencies.extend(DEPENDENCIES.lines().map(str::to_owned));
    dependencies.sort();
    let dependencies = dependencies.join("\n");
    let mock = if summary.mock { MOCK_FEATURE } else { "" };
    Ok(format!(
        "# @generated by oxgen. Do not edit: change the spec and regenerate.\n\n\
         [package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         # Spec text is not code: no description can run as a doctest.\n\
         [lib]\ndoctest = false\n\n\
         [dependencies]\n{dependencies}\n\n[features]\n{mock}{FEATURES}\n[workspace]\n"
    ))
}

/// Whether `name` can name a crate.
pub(crate) fn check_crate_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid crate name: use letters, digits, `-` and `_`, not starting with a digit"
        ))
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}
