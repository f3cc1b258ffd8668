//! Writing generated files: only what changed, atomically, and nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Diagnostics, Generated, Loader, Options, Overlay};

/// Loads the files that `$ref`s name from the spec's directory, and nowhere
/// else: paths that leave it are refused (the core already refuses `..`
/// beyond the root; this also refuses absolute paths and symlinks out).
pub struct FileLoader {
    root: PathBuf,
}

impl FileLoader {
    pub fn new(spec_dir: &Path) -> Self {
        FileLoader {
            root: spec_dir.to_path_buf(),
        }
    }
}

impl Loader for FileLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        if Path::new(path).is_absolute() {
            return Err(format!(
                "`{path}` is absolute; references must stay beside the spec"
            ));
        }
        let full = self.root.join(path);
        let root =
            fs::canonicalize(&self.root).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        let real = fs::canonicalize(&full).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        if !real.starts_with(&root) {
            return Err(format!("`{path}` leads outside the spec's directory"));
        }
        fs::read_to_string(&real).map_err(|e| format!("cannot read `{path}`: {e}"))
    }
}

/// What syncing a directory did (or, when checking, would do).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// Makes `dir` hold exactly `files` (names relative to `dir`, `/`-separated):
/// writes those whose content differs and removes `.rs` files it does not
/// emit from the directories it writes to. With `check`, changes nothing and
/// reports what it would change.
pub fn sync_dir(dir: &Path, files: &BTreeMap<String, String>, check: bool) -> io::Result<Changes> {
    let mut changes = Changes::default();
    for (name, content) in files {
        let path = dir.join(name);
        if !same_content(&path, content.as_bytes()) {
            if !check {
                write_atomic(&path, content.as_bytes())?;
            }
            changes.written.push(name.clone());
        }
    }
    let subdirs: BTreeSet<&str> = files
        .keys()
        .map(|name| name.rsplit_once('/').map_or("", |(d, _)| d))
        .collect();
    for subdir in subdirs {
        let prefix = if subdir.is_empty() {
            String::new()
        } else {
            format!("{subdir}/")
        };
        let path = dir.join(subdir);
        if !path.is_dir() {
            continue;
        }
        let mut stale = Vec::new();
        for entry in fs::read_dir(&path)? {
            let entry = entry?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if name.ends_with(".rs") && entry.file_type()?.is_file() && !files.contains_key(&name) {
                stale.push(name);
            }
        }
        stale.sort();
        for name in stale {
            if !check {
                fs::remove_file(dir.join(&name))?;
            }
            changes.removed.push(name);
        }
    }
    Ok(changes)
}

/// Whether the file at `path` holds exactly `content`. Compared in pieces,
/// after the length, so a large file is never read into memory whole.
fn same_content(path: &Path, content: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != u64::try_from(content.len()).ok() {
        return false;
    }
    let mut buffer = [0u8; 64 * 1024];
    let mut rest = content;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && buffer[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Writes through a temporary file in the same directory and a rename, so a
/// reader never sees half a file.
pub fn write_atomic(path: &Path, content: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    fs::write(&temp, content)?;
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// What a spec directory holds: one OpenAPI or Swagger document, and the
/// overlays to apply to it in file-name order. Other files (targets of
/// `$ref`s) are left to the loader.
#[derive(Debug, PartialEq, Eq)]
pub struct SpecDir {
    pub spec: PathBuf,
    pub overlays: Vec<PathBuf>,
}

impl SpecDir {
    /// Reads `dir`: a `.yaml`, `.yml` or `.json` file with a top-level
    /// `overlay` field is an overlay; one with `openapi` or `swagger` is the spec.
    pub fn discover(dir: &Path) -> Result<SpecDir, String> {
        let entries =
            fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml" | "json")
                    )
            })
            .collect();
        files.sort();
        let mut specs = Vec::new();
        let mut overlays = Vec::new();
        for file in files {
            let text = fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            match classify(&text) {
                Kind::Overlay => overlays.push(file),
                Kind::Spec => specs.push(file),
                Kind::Other => {}
            }
        }
        match specs.len() {
            1 => Ok(SpecDir {
                spec: specs.remove(0),
                overlays,
            }),
            0 => Err(format!(
                "no OpenAPI or Swagger document (a .yaml, .yml or .json file with an `openapi` or `swagger` field) in {}",
                dir.display()
            )),
            _ => Err(format!(
                "several specs in {}: {}; keep one",
                dir.display(),
                specs
                    .iter()
                    .map(|s| s.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

enum Kind {
    Spec,
    Overlay,
    Other,
}

/// Tells specs from overlays by their top-level fields. A file that does not
/// parse counts as whichever it names at the start of a line, else as the
/// spec, so that its syntax error is reported rather than the file ignored.
fn classify(text: &str) -> Kind {
    #[derive(serde::Deserialize)]
    struct Probe {
        overlay: Option<serde_json::Value>,
        openapi: Option<serde_json::Value>,
        swagger: Option<serde_json::Value>,
    }
    let probe: Option<Probe> = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    };
    match probe {
        Some(p) if p.overlay.is_some() => Kind::Overlay,
        Some(p) if p.openapi.is_some() || p.swagger.is_some() => Kind::Spec,
        Some(_) => Kind::Other,
        None if text.lines().any(|l| l.starts_with("overlay:")) => Kind::Overlay,
        None => Kind::Spec,
    }
}

/// What one generation reads: the spec and the overlays to apply in order,
/// each with the name diagnostics and the `@generated` header give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub spec: (PathBuf, String),
    pub overlays: Vec<(PathBuf, String)>,
}

impl SpecDir {
    /// The input this directory describes, its files named `{shown_as}/{file name}`.
    pub fn input(&self, shown_as: &str) -> Input {
        let named = |path: &PathBuf| {
            let file = path.file_name().unwrap_or_default().to_string_lossy();
            (path.clone(), format!("{shown_as}/{file}"))
        };
        Input {
            spec: named(&self.spec),
            overlays: self.overlays.iter().map(named).collect(),
        }
    }
}

/// Why a generation from files failed.
#[derive(Debug)]
pub enum Failure {
    /// A file could not be read.
    Io(String),
    /// Problems in the spec or the overlays, all of them.
    Spec(Diagnostics),
}

/// Reads `input` and builds its IR (for [`crate::diff`]).
pub fn api(input: &Input) -> Result<crate::ir::Api, Failure> {
    let (spec, spec_name) = &input.spec;
    let (text, overlays) = read(input)?;
    let loader = FileLoader::new(spec.parent().unwrap_or(Path::new(".")));
    crate::api(spec_name, &text, &loader, &overlays).map_err(Failure::Spec)
}

/// The spec's text and the parsed overlays.
fn read(input: &Input) -> Result<(String, Vec<Overlay>), Failure> {
    let (spec, _) = &input.spec;
    let text = fs::read_to_string(spec)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", spec.display())))?;
    let mut overlays = Vec::new();
    let mut problems = Vec::new();
    for (path, name) in &input.overlays {
        let text = fs::read_to_string(path)
            .map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
        match Overlay::parse(name, &text) {
            Ok(overlay) => overlays.push(overlay),
            Err(diagnostics) => problems.extend(diagnostics.0),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Spec(Diagnostics(problems)));
    }
    Ok((text, overlays))
}

/// Reads `input` and generates from it, with `$ref`s resolved beside the spec.
/// `only` selects operations (see [`Options::only`]).
pub fn generate(input: &Input, examples: bool, only: &[String]) -> Result<Generated, Failure> {
    let (spec, spec_name) = &input.spec;
    let (text, overlays) = read(input)?;
    let loader = FileLoader::new(spec.parent().unwrap_or(Path::new(".")));
    let options = Options {
        examples,
        overlays,
        only: only.to_vec(),
    };
    crate::generate_with_options(spec_name, &text, &loader, &options).map_err(Failure::Spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("oxgen-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn same_content_compares_length_then_bytes() {
        let dir = scratch("same");
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("file.rs");
        // Longer than the comparison buffer, so the loop runs more than once.
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &content).unwrap();
        assert!(same_content(&path, &content));
        assert!(!same_content(&path, &content[..content.len() - 1]));
        let mut longer = content.clone();
        longer.push(0);
        assert!(!same_content(&path, &longer));
        let mut changed = content.clone();
        changed[150_000] ^= 1;
        assert!(!same_content(&path, &changed));
        assert!(!same_content(&dir.join("missing.rs"), b""));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sync_dir_writes_only_what_changed_and_removes_what_is_gone() {
        let dir = scratch("sync");
        let files = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(n, c)| ((*n).to_owned(), (*c).to_owned()))
                .collect()
        };
        let first = sync_dir(&dir, &files(&[("a.rs", "a"), ("b.rs", "b")]), false).unwrap();
        assert_eq!(first.written, ["a.rs", "b.rs"]);
        let second = sync_dir(&dir, &files(&[("a.rs", "a"), ("b.rs", "B")]), false).unwrap();
        assert_eq!(
            (second.written, second.removed),
            (vec!["b.rs".to_owned()], vec![])
        );
        let check = sync_dir(&dir, &files(&[("a.rs", "a")]), true).unwrap();
        assert_eq!(
            (check.written, check.removed),
            (vec![], vec!["b.rs".to_owned()])
        );
        assert!(dir.join("b.rs").exists(), "--check changes nothing");
        fs::remove_dir_all(&dir).unwrap();
    }
}
