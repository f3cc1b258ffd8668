//! The `oxgen` command: files, flags and exit codes around the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use oxgen::output::{self, DirSync, Failure, Input, SpecDir};

const USAGE: &str = "\
usage: oxgen generate [SPEC] [--overlay FILE]... [--only NAMES] [--crate NAME] [--out DIR]
                     [--runtime-path DIR] [--check] [--examples] [--verbose]

Generates a Rust client from an OpenAPI 3.0/3.1 or Swagger 2.0 document.

  SPEC         the document (also --spec); default: the one document in ./spec
               (the file with an `openapi` or `swagger` field), with the
               overlays beside it (files with an `overlay` field) applied in
               file-name order
  --overlay FILE
               apply this OpenAPI Overlay 1.0 document; repeat to apply
               several, in order
  --only NAMES generate only these operations (comma-separated method names,
               operationIds or tags; repeatable) and the types they use
  --crate NAME write a standalone crate (Cargo.toml and src/) named NAME;
               without it, the module files that build.rs includes
  --out DIR    where the files go (default: ./generated); .rs files an earlier
               run wrote there that the spec no longer produces are removed
  --runtime-path DIR
               with --crate, depend on the oxgen-runtime crate in DIR (as
               Cargo reads a path: relative to the crate) instead of its
               published version
  --check      change nothing; exit 1 and name the files that differ
  --examples   also write examples.rs: a test that round-trips every example
               of the spec through the generated types (`cargo test`)
  --verbose    list each schema that fell back to untyped JSON

Exit codes: 0 done (or up to date), 1 spec errors or stale files, 2 usage or I/O error.

usage: oxgen diff OLD NEW [--overlay FILE]... [--format text|json]

Compares the Rust APIs generated from two versions of a spec and reports what
was added, removed or changed, which changes break users of the generated
crate, and the version bump that calls for (markdown for a pull request, or
JSON for tools).

  OLD, NEW     a spec file, or a directory holding one with its overlays
  --overlay FILE
               apply this overlay to both versions (after a directory's own)
  --format F   `text` (the default, markdown) or `json`

Exit codes: 0 nothing breaks, 3 breaking changes, 1 spec errors, 2 usage or I/O error.";

/// `oxgen diff`'s exit code when a change breaks users.
const BREAKING: u8 = 3;

struct DiffOptions {
    old: PathBuf,
    new: PathBuf,
    overlays: Vec<PathBuf>,
    json: bool,
}

struct Options {
    spec: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    crate_name: Option<String>,
    runtime_path: Option<String>,
    only: Vec<String>,
    out: PathBuf,
    check: bool,
    examples: bool,
    verbose: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("diff") => parse_diff_args(&args[1..]).map(|options| diff(&options)),
        _ => parse_args(&args).map(|options| run(&options)),
    };
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}\n\n{USAGE}");
        ExitCode::from(2)
    })
}

fn parse_diff_args(args: &[String]) -> Result<DiffOptions, String> {
    let mut specs = Vec::new();
    let mut overlays = Vec::new();
    let mut json = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--overlay" => overlays.push(args.next().ok_or("--overlay needs a file")?.into()),
            "--format" => match args.next().map(String::as_str) {
                Some("text") => json = false,
                Some("json") => json = true,
                _ => return Err("--format needs `text` or `json`".into()),
            },
            other if !other.starts_with('-') => specs.push(PathBuf::from(other)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let [old, new] = <[PathBuf; 2]>::try_from(specs)
        .map_err(|_| "diff needs two specs: OLD and NEW".to_owned())?;
    Ok(DiffOptions {
        old,
        new,
        overlays,
        json,
    })
}

/// A spec file or directory as generation input, with extra overlays.
fn input_of(path: &Path, overlays: &[PathBuf]) -> Result<Input, String> {
    let named = |p: &PathBuf| (p.clone(), display_name(p));
    let mut input = if path.is_dir() {
        SpecDir::discover(path)?.input(&display_name(path))
    } else {
        Input {
            spec: named(&path.to_path_buf()),
            overlays: Vec::new(),
        }
    };
    input.overlays.extend(overlays.iter().map(named));
    Ok(input)
}

fn diff(options: &DiffOptions) -> ExitCode {
    let mut apis = Vec::new();
    for path in [&options.old, &options.new] {
        let input = match input_of(path, &options.overlays) {
            Ok(input) => input,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        };
        match output::api(&input) {
            Ok(api) => apis.push(api),
            Err(failure) => return report(failure, &input.spec.1, "nothing compared"),
        }
    }
    let report = oxgen::diff::diff(&apis[0], &apis[1]);
    if options.json {
        println!("{:#}", report.to_json());
    } else {
        print!("{report}");
    }
    if report.breaking() {
        ExitCode::from(BREAKING)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut args = args.iter();
    match args.next().map(String::as_str) {
        Some("generate") => {}
        Some("-h" | "--help") | None => return Err("no command given".into()),
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    let mut options = Options {
        spec: None,
        overlays: Vec::new(),
        crate_name: None,
        runtime_path: None,
        only: Vec::new(),
        out: PathBuf::from("generated"),
        check: false,
        examples: false,
        verbose: false,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => options.spec = Some(args.next().ok_or("--spec needs a file")?.into()),
            "--overlay" => options
                .overlays
                .push(args.next().ok_or("--overlay needs a file")?.into()),
            "--only" => options.only.extend(
                args.next()
                    .ok_or("--only needs operation or tag names")?
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned),
            ),
            "--crate" => {
                options.crate_name = Some(args.next().ok_or("--crate needs a name")?.clone())
            }
            "--out" => options.out = args.next().ok_or("--out needs a directory")?.into(),
            "--runtime-path" => {
                options.runtime_path = Some(
                    args.next()
                        .ok_or("--runtime-path needs a directory")?
                        .clone(),
                )
            }
            "--check" => options.check = true,
            "--examples" => options.examples = true,
            "--verbose" => options.verbose = true,
            other if !other.starts_with('-') && options.spec.is_none() => {
                options.spec = Some(other.into())
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

fn run(options: &Options) -> ExitCode {
    let input = match &options.spec {
        Some(spec) => Input {
            spec: (spec.clone(), display_name(spec)),
            overlays: options
                .overlays
                .iter()
                .map(|o| (o.clone(), display_name(o)))
                .collect(),
        },
        None => match SpecDir::discover(Path::new("spec")) {
            Ok(found) => {
                let mut input = found.input("spec");
                input.overlays.extend(
                    options
                        .overlays
                        .iter()
                        .map(|o| (o.clone(), display_name(o))),
                );
                input
            }
            Err(message) => {
                eprintln!("error: {message}; pass the spec as an argument");
                return ExitCode::from(2);
            }
        },
    };
    let (spec, name) = &input.spec;
    // A crate's manifest is checked first, so a bad name writes nothing.
    let (manifest, prefix) = match &options.crate_name {
        Some(crate_name) => {
            match oxgen::crate_manifest(crate_name, options.runtime_path.as_deref()) {
                Ok(manifest) => (Some(manifest), "src/"),
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            }
        }
        None => (None, ""),
    };
    // Written as it is generated: a large API's output is megabytes.
    let mut sync = DirSync::new(&options.out, options.check);
    let generated =
        output::generate_into(&input, options.examples, &options.only, &mut sync, prefix);
    let summary = match generated {
        Ok(summary) => summary,
        Err(failure) => return report(failure, name, "nothing written"),
    };
    for warning in &summary.warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(manifest) = manifest {
        sync.write("Cargo.toml", &manifest);
    }
    let changes = match sync.finish() {
        Ok(changes) => changes,
        Err(e) => {
            eprintln!("error: cannot update {}: {e}", options.out.display());
            return ExitCode::from(2);
        }
    };
    println!(
        "{name}: {} operations, {} types, {} fallbacks to serde_json::Value",
        summary.operations,
        summary.types,
        summary.fallbacks.len()
    );
    if options.verbose {
        for pointer in &summary.fallbacks {
            println!("  fallback: {pointer}");
        }
    }
    let out = options.out.display();
    if options.check {
        if changes.is_empty() {
            println!("{out} is up to date");
            return ExitCode::SUCCESS;
        }
        for name in &changes.written {
            eprintln!(
                "stale: {out}/{name} differs from what {} produces",
                spec.display()
            );
        }
        for name in &changes.removed {
            eprintln!("stale: {out}/{name} is no longer produced");
        }
        eprintln!("run `cargo run -p oxgen -- generate` and commit the result");
        return ExitCode::from(1);
    }
    for name in &changes.written {
        println!("wrote {out}/{name}");
    }
    for name in &changes.removed {
        println!("removed {out}/{name}");
    }
    if changes.is_empty() {
        println!("{out} is up to date");
    }
    ExitCode::SUCCESS
}

/// The spec's name for headers and diagnostics: relative to the working
/// directory when it lies inside it, with `/` separators, so the output is
/// the same on every machine.
fn display_name(spec: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            std::path::absolute(spec)
                .ok()?
                .strip_prefix(cwd)
                .ok()
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| spec.file_name().map(PathBuf::from).unwrap_or_default());
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Prints why reading or generating failed; exit code 2 for I/O, 1 for the spec.
fn report(failure: Failure, spec: &str, outcome: &str) -> ExitCode {
    match failure {
        Failure::Io(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Failure::Spec(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("{} problem(s) in {spec}; {outcome}", diagnostics.0.len());
            ExitCode::from(1)
        }
    }
}
