//! The `oxgen` command: flags, messages and exit codes around the library's
//! [`oxgen::Builder`] and [`oxgen::diff`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Generates Rust clients from OpenAPI 3.0, 3.1 and 3.2 and Swagger 2.0 documents.
#[derive(Parser)]
#[command(name = "oxgen", version, arg_required_else_help = true)]
#[command(
    after_help = "Exit codes: 0 done, 1 spec errors or stale files (or warnings with \
                        --deny-warnings), 2 usage or I/O error, 3 breaking changes (diff)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client: the module files build.rs includes, or a crate.
    Generate(Generate),
    /// Compare the Rust APIs two versions of a spec generate, and say which
    /// changes break users and the version bump that calls for.
    Diff(Diff),
}

#[derive(Args)]
struct Generate {
    /// The document, or a directory holding one (the file with an `openapi`
    /// or `swagger` field) and the overlays to apply to it (files with an
    /// `overlay` field), in file-name order [default: ./spec]
    #[arg(value_name = "SPEC")]
    spec: Option<PathBuf>,
    /// The same as SPEC.
    #[arg(
        long = "spec",
        value_name = "SPEC",
        conflicts_with = "spec",
        hide = true
    )]
    spec_flag: Option<PathBuf>,
    /// Apply this OpenAPI Overlay 1.0 document; repeat to apply several, in order.
    #[arg(long, value_name = "FILE")]
    overlay: Vec<PathBuf>,
    /// Generate only these operations (method names, operationIds or tags;
    /// comma-separated, repeatable) and the types they use.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    only: Vec<String>,
    /// Write a standalone crate (Cargo.toml and src/) named NAME, rather than
    /// the module files a build script includes.
    #[arg(long = "crate", value_name = "NAME")]
    crate_name: Option<String>,
    /// Where the files go; .rs files an earlier run wrote there that the spec
    /// no longer produces are removed.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    out: PathBuf,
    /// With --crate, depend on the oxgen-runtime crate in DIR (as Cargo reads
    /// a path: relative to the crate) rather than on its published version.
    #[arg(long, value_name = "DIR", requires = "crate_name")]
    runtime_path: Option<String>,
    /// Change nothing; exit 1 and name the files that differ.
    #[arg(long)]
    check: bool,
    /// Also write examples.rs: a test that round-trips every example of the
    /// spec through the generated types (`cargo test`).
    #[arg(long)]
    examples: bool,
    /// How strings of the date-time, date and uuid formats are typed:
    /// chrono's and uuid's types, or String (for servers known to send
    /// values that do not parse).
    #[arg(long, value_enum, default_value_t = Formats::Chrono)]
    formats: Formats,
    /// Also write mock.rs: typed mocks of the API on an httpmock server, for
    /// tests (compiled with the `mock` feature of the crate around the files).
    #[arg(long)]
    mock: bool,
    /// List each schema that fell back to untyped JSON.
    #[arg(long)]
    verbose: bool,
    /// Treat warnings as errors: exit 1 if there are any, after writing.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Args)]
struct Diff {
    /// The old version: a spec file, or a directory holding one with its overlays.
    old: PathBuf,
    /// The new version, likewise.
    new: PathBuf,
    /// Apply this overlay to both versions (after a directory's own); repeatable.
    #[arg(long, value_name = "FILE")]
    overlay: Vec<PathBuf>,
    /// Markdown for a pull request, or JSON for tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Formats {
    Chrono,
    String,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// `oxgen diff`'s exit code when a change breaks users.
const BREAKING: u8 = 3;

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate(args) => generate(&args),
        Command::Diff(args) => diff(&args),
    }
}

fn generate(args: &Generate) -> ExitCode {
    let spec = args.spec.as_ref().or(args.spec_flag.as_ref());
    let mut builder = oxgen::Builder::new()
        .spec(spec.map_or(Path::new("spec"), PathBuf::as_path))
        .only(args.only.iter().map(|n| n.trim()).filter(|n| !n.is_empty()))
        .out_dir(&args.out)
        .examples(args.examples)
        .formats(match args.formats {
            Formats::Chrono => oxgen::Formats::Chrono,
            Formats::String => oxgen::Formats::String,
        })
        .mock(args.mock)
        .check(args.check)
        .cargo_output(false)
        .between_stages(release_freed_memory);
    for overlay in &args.overlay {
        builder = builder.overlay(overlay);
    }
    if let Some(name) = &args.crate_name {
        builder = builder.crate_name(name);
    }
    if let Some(path) = &args.runtime_path {
        builder = builder.runtime_path(path);
    }
    let report = match builder.generate() {
        Ok(report) => report,
        Err(oxgen::Error::Spec { spec, diagnostics }) => {
            eprintln!("{diagnostics}");
            eprintln!(
                "{} problem(s) in {spec}; nothing written",
                diagnostics.0.len()
            );
            return ExitCode::from(1);
        }
        Err(other) => {
            let hint = match spec {
                None => "; pass the spec as an argument",
                Some(_) => "",
            };
            eprintln!("error: {other}{hint}");
            return ExitCode::from(2);
        }
    };
    let summary = &report.summary;
    for warning in &summary.warnings {
        eprintln!("warning: {warning}");
    }
    // What is off is counted in the same line, so that it cannot be missed.
    let mut off = String::new();
    for (count, what) in [
        (
            summary.without_answers,
            "operations without a documented answer",
        ),
        (summary.repaired, "parts repaired"),
        (summary.left_out, "parts left out"),
    ] {
        if count > 0 {
            off.push_str(&format!(", {count} {what}"));
        }
    }
    println!(
        "{}: {} operations, {} types, {} fallbacks to serde_json::Value{off}",
        report.spec,
        summary.operations,
        summary.types,
        summary.fallbacks.len()
    );
    if args.verbose {
        for pointer in &summary.fallbacks {
            println!("  fallback: {pointer}");
        }
    }
    let out = args.out.display();
    if args.check {
        if report.unchanged() {
            println!("{out} is up to date");
            return warnings_fatal(args, summary.warnings.len());
        }
        for name in &report.written {
            eprintln!(
                "stale: {out}/{name} differs from what {} produces",
                report.spec
            );
        }
        for name in &report.removed {
            eprintln!("stale: {out}/{name} is no longer produced");
        }
        eprintln!("run `cargo run -p oxgen -- generate` and commit the result");
        return ExitCode::from(1);
    }
    for name in &report.written {
        println!("wrote {out}/{name}");
    }
    for name in &report.removed {
        println!("removed {out}/{name}");
    }
    if report.unchanged() {
        println!("{out} is up to date");
    }
    warnings_fatal(args, summary.warnings.len())
}

/// Returns the memory freed so far to the system. glibc keeps freed memory
/// resident; after lowering, that is most of what the parsed document took,
/// and emission's threads would each grow an arena on top of it. With this,
/// the peak of a large document is the larger of the two stages instead of
/// their sum (see BENCHMARKS.md).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: glibc's `malloc_trim` has no preconditions; it takes the
        // allocator's own locks, and its result only says whether any memory
        // was released.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Exit 1 when `--deny-warnings` and there were warnings, else 0.
fn warnings_fatal(args: &Generate, warnings: usize) -> ExitCode {
    if args.deny_warnings && warnings > 0 {
        eprintln!("error: {warnings} warning(s), and --deny-warnings makes them fatal");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn diff(args: &Diff) -> ExitCode {
    let mut apis = Vec::new();
    for path in [&args.old, &args.new] {
        let mut builder = oxgen::Builder::new().spec(path);
        for overlay in &args.overlay {
            builder = builder.overlay(overlay);
        }
        match builder.api() {
            Ok(api) => apis.push(api),
            Err(oxgen::Error::Spec { spec, diagnostics }) => {
                eprintln!("{diagnostics}");
                eprintln!(
                    "{} problem(s) in {spec}; nothing compared",
                    diagnostics.0.len()
                );
                return ExitCode::from(1);
            }
            Err(other) => {
                eprintln!("error: {other}");
                return ExitCode::from(2);
            }
        }
    }
    let report = oxgen::diff::diff(&apis[0], &apis[1]);
    match args.format {
        Format::Json => println!("{:#}", report.to_json()),
        Format::Text => print!("{report}"),
    }
    if report.breaking() {
        ExitCode::from(BREAKING)
    } else {
        ExitCode::SUCCESS
    }
}
