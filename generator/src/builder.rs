//! [`Builder`]: oxgen from a build script or a tool, in the manner of
//! prost-build's `Config`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::output::{self, Changes, DirSync, Failure, Input};
use crate::{Diagnostics, Formats, Options, Summary};

/// Generates a Rust client from an OpenAPI 3.x or Swagger 2.0 document.
///
/// In a build script (`build.rs`), with the spec in `spec/`:
///
/// ```no_run
/// fn main() -> Result<(), oxgen::Error> {
///     oxgen::Builder::new().spec("spec").generate()?;
///     Ok(())
/// }
/// ```
///
/// and in `src/lib.rs`:
///
/// ```ignore
/// include!(concat!(env!("OUT_DIR"), "/oxgen/lib.rs"));
/// ```
///
/// In a build script the files go to `$OUT_DIR/oxgen`, Cargo is told to run
/// it again when the spec or an overlay changes, warnings become
/// `cargo::warning=` lines and each problem of a broken spec a
/// `cargo::error=` line naming its file, line and JSON pointer. Files are
/// written only when their content changes, and atomically.
///
/// The crate that includes the files depends on `oxgen-runtime`, `reqwest`,
/// `serde`, `serde_json` and `futures-util`, and on `chrono` and `uuid` when
/// the spec has strings of their formats, with the runtime's features of
/// the same names (see [`Summary::uses_chrono`] and the README).
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    overlays: Vec<PathBuf>,
    only: Vec<String>,
    out_dir: Option<PathBuf>,
    examples: bool,
    formats: Formats,
    mock: bool,
    check: bool,
    deny_warnings: bool,
    crate_name: Option<String>,
    runtime_path: Option<String>,
    cargo: Option<bool>,
    between_stages: Option<fn()>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder for the spec in `./spec`.
    pub fn new() -> Self {
        Builder {
            spec: PathBuf::from("spec"),
            overlays: Vec::new(),
            only: Vec::new(),
            out_dir: None,
            examples: false,
            formats: Formats::default(),
            mock: false,
            check: false,
            deny_warnings: false,
            crate_name: None,
            runtime_path: None,
            cargo: None,
            between_stages: None,
        }
    }

    /// The spec: a document, or a directory holding one (the file with an
    /// `openapi` or `swagger` field) and the overlays to apply to it (files
    /// with an `overlay` field), in file-name order. `./spec` unless set.
    pub fn spec(mut self, path: impl AsRef<Path>) -> Self {
        self.spec = path.as_ref().to_path_buf();
        self
    }

    /// Applies this [OpenAPI Overlay](https://spec.openapis.org/overlay/v1.0.0.html)
    /// after the spec directory's own; call again for more, in order.
    pub fn overlay(mut self, path: impl AsRef<Path>) -> Self {
        self.overlays.push(path.as_ref().to_path_buf());
        self
    }

    /// Generates only these operations (method names, `operationId`s or
    /// tags) and the types they use; everything unless set.
    pub fn only<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.only.extend(names.into_iter().map(Into::into));
        self
    }

    /// Where the files go: `$OUT_DIR/oxgen` in a build script, which is the
    /// only place without this.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Also writes `examples.rs`, a test module that round-trips every
    /// example of the spec through the generated types.
    pub fn examples(mut self, examples: bool) -> Self {
        self.examples = examples;
        self
    }

    /// How strings of the `date-time`, `date` and `uuid` formats are typed:
    /// chrono's and uuid's types unless set.
    pub fn formats(mut self, formats: Formats) -> Self {
        self.formats = formats;
        self
    }

    /// Also writes `mock.rs`, typed mocks of the API on an httpmock server,
    /// compiled with the `mock` feature of the crate that includes the files
    /// (`mock = ["oxgen-runtime/mock"]`). Off unless set: it is test code,
    /// and as large as the client again.
    pub fn mock(mut self, mock: bool) -> Self {
        self.mock = mock;
        self
    }

    /// Changes nothing: [`Report::written`] and [`Report::removed`] say what
    /// generating would change.
    pub fn check(mut self, check: bool) -> Self {
        self.check = check;
        self
    }

    /// Fails with the warnings as the problems of the spec when there are
    /// any, after writing (as `--deny-warnings` does): for a spec of your
    /// own, where a repaired or ignored part is a mistake to fix.
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.deny_warnings = deny;
        self
    }

    /// Writes a standalone crate named `name` (`Cargo.toml` and `src/`)
    /// rather than the module files a build script includes.
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// With [`Builder::crate_name`], depends on the `oxgen-runtime` crate at
    /// `path` (as Cargo reads a path dependency: relative to the crate)
    /// rather than on its published version.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = Some(path.into());
        self
    }

    /// Whether to print `cargo::` lines (rerun triggers, warnings, errors):
    /// by default, when running in a build script.
    pub fn cargo_output(mut self, cargo: bool) -> Self {
        self.cargo = Some(cargo);
        self
    }

    /// Calls `f` once the spec is parsed and lowered and the parsed document
    /// freed, before emission: the two stages whose memory peaks. A program
    /// can return the freed memory to the system there, so that the peak is
    /// the larger stage rather than their sum (the `oxgen` command calls
    /// glibc's `malloc_trim`).
    pub fn between_stages(mut self, f: fn()) -> Self {
        self.between_stages = Some(f);
        self
    }

    /// Generates, and writes the files that changed.
    pub fn generate(&self) -> Result<Report, Error> {
        let in_build_script = std::env::var_os("OUT_DIR").is_some()
            && std::env::var_os("CARGO_MANIFEST_DIR").is_some();
        let cargo = self.cargo.unwrap_or(in_build_script);
        let result = self.run(in_build_script, cargo);
        if cargo {
            match &result {
                Ok(report) => {
                    for warning in &report.summary.warnings {
                        println!("cargo::warning={}", one_line(&warning.to_string()));
                    }
                }
                Err(Error::Spec { diagnostics, .. }) => {
                    for diagnostic in diagnostics.iter() {
                        println!("cargo::error={}", one_line(&diagnostic.to_string()));
                    }
                }
                Err(other) => println!("cargo::error={}", one_line(&other.to_string())),
            }
        }
        result
    }

    fn run(&self, in_build_script: bool, cargo: bool) -> Result<Report, Error> {
        let out_dir = match (&self.out_dir, in_build_script) {
            (Some(dir), _) => dir.clone(),
            (None, true) => {
                PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("oxgen")
            }
            (None, false) => {
                return Err(Error::Config(
                    "no output directory: call `out_dir`, or run in a build script".into(),
                ));
            }
        };
        let input = Input::from_path(&self.spec, &self.overlays).map_err(Error::Io)?;
        if cargo {
            // The directory too: a new overlay beside the spec changes the output.
            if self.spec.is_dir() {
                println!("cargo::rerun-if-changed={}", self.spec.display());
            }
            for path in std::iter::once(&input.spec.0).chain(input.overlays.iter().map(|(p, _)| p))
            {
                println!("cargo::rerun-if-changed={}", path.display());
            }
        }
        // A crate's name is checked first, so a bad name writes nothing.
        if let Some(name) = &self.crate_name {
            crate::check_crate_name(name).map_err(Error::Config)?;
        }
        let options = Options {
            examples: self.examples,
            formats: self.formats,
            mock: self.mock,
            only: self.only.clone(),
            crate_root: self.crate_name.is_some(),
            overlays: Vec::new(),
            conformance: false,
        };
        let mut sync = DirSync::new(&out_dir, self.check);
        let summary = output::generate_into(&input, options, &mut sync, self.between_stages)
            .map_err(|failure| match failure {
                Failure::Io(message) => Error::Io(message),
                Failure::Spec(diagnostics) => Error::Spec {
                    spec: input.spec.1.clone(),
                    diagnostics,
                },
            })?;
        if let Some(name) = &self.crate_name {
            let manifest = crate::crate_manifest(name, self.runtime_path.as_deref(), &summary)
                .map_err(Error::Config)?;
            sync.write("Cargo.toml", &manifest);
        }
        let Changes { written, removed } = sync
            .finish()
            .map_err(|e| Error::Io(format!("cannot update {}: {e}", out_dir.display())))?;
        if self.deny_warnings && !summary.warnings.is_empty() {
            return Err(Error::Spec {
                spec: input.spec.1,
                diagnostics: Diagnostics(summary.warnings),
            });
        }
        Ok(Report {
            spec: input.spec.1,
            summary,
            written,
            removed,
            out_dir,
        })
    }
}

impl Builder {
    /// The API the spec describes, with the overlays applied (and no other
    /// setting used): what [`crate::diff::diff`] compares. Nothing is written.
    pub fn api(&self) -> Result<crate::ir::Api, Error> {
        let input = Input::from_path(&self.spec, &self.overlays).map_err(Error::Io)?;
        output::api(&input).map_err(|failure| match failure {
            Failure::Io(message) => Error::Io(message),
            Failure::Spec(diagnostics) => Error::Spec {
                spec: input.spec.1.clone(),
                diagnostics,
            },
        })
    }
}

/// `text` on one line, as a `cargo::` line must be.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// What [`Builder::generate`] did.
#[derive(Debug)]
#[non_exhaustive]
pub struct Report {
    /// The spec, as diagnostics and the `@generated` header name it.
    pub spec: String,
    /// Operations, types, fallbacks to untyped JSON and warnings.
    pub summary: Summary,
    /// The files written (with [`Builder::check`]: that differ), relative to
    /// [`Report::out_dir`].
    pub written: Vec<String>,
    /// The files an earlier run generated that this one does not, removed
    /// (with [`Builder::check`]: that would be).
    pub removed: Vec<String>,
    /// Where the files went.
    pub out_dir: PathBuf,
}

impl Report {
    /// Whether nothing was (or, checking, would be) written or removed.
    pub fn unchanged(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// Why [`Builder::generate`] failed.
#[non_exhaustive]
pub enum Error {
    /// The spec or an overlay has problems: all of them, each with its file,
    /// line and JSON pointer.
    Spec {
        /// The spec, as diagnostics name it.
        spec: String,
        /// The problems.
        diagnostics: Diagnostics,
    },
    /// A file could not be read or written.
    Io(String),
    /// The builder was asked for something it cannot do (no output
    /// directory outside a build script, an invalid crate name).
    Config(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec { spec, diagnostics } => write!(
                f,
                "{diagnostics}\n{} problem(s) in {spec}",
                diagnostics.0.len()
            ),
            Error::Io(message) | Error::Config(message) => f.write_str(message),
        }
    }
}

/// As `Display`: a build script's `main` returning this error prints it so.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}
