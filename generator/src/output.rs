//! Writing generated files: only what changed, atomically, and nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};

use crate::{Diagnostics, Loader, Options, Overlay, Summary};

/// Loads the files that `$ref`s name from the spec's directory, and nowhere
/// else: paths that leave it are refused (the core already refuses `..`
/// beyond the root; this also refuses absolute paths and symlinks out).
pub struct FileLoader {
    root: PathBuf,
}

impl FileLoader {
    /// A loader for the files beside the spec, in `spec_dir`.
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
    /// Files written (checking: that differ).
    pub written: Vec<String>,
    /// Files removed (checking: that would be).
    pub removed: Vec<String>,
}

/// Makes a directory hold the files written to it (names relative to it,
/// `/`-separated): writes those whose content differs and removes the `.rs`
/// files an earlier run generated that this one does not, from the
/// directories it writes to. Files oxgen did not generate (without its
/// `@generated` header) are never removed, and never written over: that is an
/// error. With `check`, changes nothing and reports what it would change.
///
/// Files arrive piece by piece, so that they need not be held whole: each
/// file is compared with the one in the directory as it
/// comes in, and only once it differs is it written, to a temporary file
/// beside it that [`DirSync::finish`] renames into place. A reader never
/// sees half a file, and an unchanged file is not touched. Dropped without
/// `finish`, it leaves the directory as it was.
pub struct DirSync {
    dir: PathBuf,
    check: bool,
    files: BTreeMap<String, FileSync>,
    /// The first failure; nothing is written after it.
    error: Option<io::Error>,
}

impl DirSync {
    /// A sync into `dir`; with `check`, it only tells what would change.
    pub fn new(dir: &Path, check: bool) -> Self {
        DirSync {
            dir: dir.to_path_buf(),
            check,
            files: BTreeMap::new(),
            error: None,
        }
    }

    /// Appends `piece` to the file `name` (relative to the directory,
    /// `/`-separated). An I/O error is kept for [`DirSync::finish`].
    pub fn write(&mut self, name: &str, piece: &str) {
        if self.error.is_some() {
            return;
        }
        let file = match self.files.get_mut(name) {
            Some(file) => file,
            None => self
                .files
                .entry(name.to_owned())
                .or_insert_with(|| FileSync::new(self.dir.join(name), self.check)),
        };
        if let Err(e) = file.append(piece.as_bytes()) {
            self.error = Some(e);
        }
    }

    /// Puts the files that differ in place, and removes the generated `.rs`
    /// files that were not written this time from the directories written to.
    pub fn finish(mut self) -> io::Result<Changes> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let mut changes = Changes::default();
        for (name, file) in &mut self.files {
            if file.commit()? {
                changes.written.push(name.clone());
            }
        }
        let subdirs: BTreeSet<&str> = self
            .files
            .keys()
            .map(|name| name.rsplit_once('/').map_or("", |(d, _)| d))
            .collect();
        for subdir in subdirs {
            let prefix = if subdir.is_empty() {
                String::new()
            } else {
                format!("{subdir}/")
            };
            let path = self.dir.join(subdir);
            if !path.is_dir() {
                continue;
            }
            let mut stale = Vec::new();
            for entry in fs::read_dir(&path)? {
                let entry = entry?;
                let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
                if name.ends_with(".rs")
                    && entry.file_type()?.is_file()
                    && !self.files.contains_key(&name)
                    && generated_by_oxgen(&entry.path())?
                {
                    stale.push(name);
                }
            }
            stale.sort();
            for name in stale {
                if !self.check {
                    fs::remove_file(self.dir.join(&name))?;
                }
                changes.removed.push(name);
            }
        }
        Ok(changes)
    }
}

/// One file of a [`DirSync`].
struct FileSync {
    path: PathBuf,
    check: bool,
    /// The file as it is, read in step with what comes in while that matches.
    old: Option<io::BufReader<fs::File>>,
    /// How many bytes matched the old file.
    matched: u64,
    differs: bool,
    /// Where the content goes once it differs (never when checking).
    temp: Option<(PathBuf, io::BufWriter<fs::File>)>,
    buffer: Vec<u8>,
}

impl FileSync {
    fn new(path: PathBuf, check: bool) -> Self {
        let old = fs::File::open(&path).ok().map(io::BufReader::new);
        FileSync {
            path,
            check,
            old,
            matched: 0,
            differs: false,
            temp: None,
            buffer: Vec::new(),
        }
    }

    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !self.differs {
            if self.old_continues_with(bytes) {
                self.matched += bytes.len() as u64;
                return Ok(());
            }
            self.diverge()?;
        }
        match &mut self.temp {
            Some((_, temp)) => temp.write_all(bytes),
            None => Ok(()),
        }
    }

    fn old_continues_with(&mut self, bytes: &[u8]) -> bool {
        let Some(old) = &mut self.old else {
            return false;
        };
        self.buffer.resize(bytes.len(), 0);
        old.read_exact(&mut self.buffer).is_ok() && self.buffer == bytes
    }

    /// The content differs from here on: unless checking, the temporary file
    /// starts with the part that matched, copied from the old file.
    fn diverge(&mut self) -> io::Result<()> {
        self.differs = true;
        self.old = None;
        if self.check {
            return Ok(());
        }
        if self.path.exists() && !generated_by_oxgen(&self.path)? {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} was not generated by oxgen (it has no `@generated` header); \
                     refusing to write over it: move it away or write elsewhere",
                    self.path.display()
                ),
            ));
        }
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let file_name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp_path = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
        let temp = io::BufWriter::new(fs::File::create(&temp_path)?);
        let (_, temp) = self.temp.insert((temp_path, temp));
        if self.matched > 0 {
            let mut matched = fs::File::open(&self.path)?.take(self.matched);
            io::copy(&mut matched, temp)?;
        }
        Ok(())
    }

    /// Whether the file changed (when checking: would change); puts the new
    /// content in place.
    fn commit(&mut self) -> io::Result<bool> {
        if !self.differs {
            let old_ends = match &mut self.old {
                Some(old) => matches!(old.read(&mut [0u8]), Ok(0)),
                None => false,
            };
            if old_ends {
                return Ok(false);
            }
            self.diverge()?;
        }
        if let Some((temp_path, temp)) = self.temp.take() {
            let written = temp.into_inner().map_err(io::IntoInnerError::into_error);
            written
                .and_then(|_| fs::rename(&temp_path, &self.path))
                .inspect_err(|_| {
                    let _ = fs::remove_file(&temp_path);
                })?;
        }
        Ok(true)
    }
}

/// The mark every file oxgen writes carries in its first line.
const GENERATED_MARK: &[u8] = b"@generated by oxgen";

/// Whether the file at `path` starts with oxgen's `@generated` line.
fn generated_by_oxgen(path: &Path) -> io::Result<bool> {
    let mut first = Vec::new();
    io::BufReader::new(fs::File::open(path)?)
        .take(256)
        .read_until(b'\n', &mut first)?;
    Ok(first
        .windows(GENERATED_MARK.len())
        .any(|window| window == GENERATED_MARK))
}

impl Drop for FileSync {
    /// An unfinished file leaves no temporary file behind.
    fn drop(&mut self) {
        if let Some((temp_path, temp)) = self.temp.take() {
            drop(temp);
            let _ = fs::remove_file(temp_path);
        }
    }
}

/// What a spec directory holds: one OpenAPI or Swagger document, and the
/// overlays to apply to it in file-name order. Other files (targets of
/// `$ref`s) are left to the loader.
#[derive(Debug, PartialEq, Eq)]
pub struct SpecDir {
    /// The OpenAPI or Swagger document.
    pub spec: PathBuf,
    /// The overlays, in file-name order.
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
    /// The spec, and the name diagnostics give it.
    pub spec: (PathBuf, String),
    /// The overlays, in order, each with its name.
    pub overlays: Vec<(PathBuf, String)>,
}

impl Input {
    /// The input `path` describes: a spec file, or a directory holding one
    /// and its overlays, with `overlays` applied after the directory's own.
    /// Each file is named as [`display_name`] shows it, so that the output
    /// is the same on every machine.
    pub fn from_path(path: &Path, overlays: &[PathBuf]) -> Result<Input, String> {
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
}

/// A path as diagnostics show it: relative to the working directory when it
/// lies inside it, with `/` separators.
pub fn display_name(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            std::path::absolute(path)
                .ok()?
                .strip_prefix(cwd)
                .ok()
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.file_name().map(PathBuf::from).unwrap_or_default());
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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

/// Reads `input` and generates from it straight into `sync`, with `$ref`s
/// resolved beside the spec: the output is never held whole. `options`
/// gets the input's overlays; with [`Options::crate_root`] the files are a
/// crate's, under `src/`. On a spec error nothing reaches `sync`.
pub fn generate_into(
    input: &Input,
    mut options: Options,
    sync: &mut DirSync,
    between_stages: Option<fn()>,
) -> Result<Summary, Failure> {
    let (spec, spec_name) = &input.spec;
    let (text, overlays) = read(input)?;
    let loader = FileLoader::new(spec.parent().unwrap_or(Path::new(".")));
    options.overlays = overlays;
    // The spec's text is freed once parsed (see `crate::selected_api_owned`).
    let api =
        crate::selected_api_owned(spec_name, text, &loader, &options).map_err(Failure::Spec)?;
    if let Some(f) = between_stages {
        f();
    }
    let prefix = if options.crate_root { "src/" } else { "" };
    crate::generate_api_into(api, spec_name, &options, &mut |name, piece| {
        sync.write(&format!("{prefix}{name}"), piece);
    })
    .map_err(Failure::Spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` through a `DirSync`, each file in one piece.
    fn sync_dir(dir: &Path, files: &BTreeMap<String, String>, check: bool) -> io::Result<Changes> {
        let mut sync = DirSync::new(dir, check);
        for (name, content) in files {
            sync.write(name, content);
        }
        sync.finish()
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("oxgen-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// Feeds `content` to a `DirSync` for `file.rs` in pieces of `piece` bytes.
    fn sync_in_pieces(dir: &Path, content: &[u8], piece: usize, check: bool) -> Changes {
        let mut sync = DirSync::new(dir, check);
        for chunk in content.chunks(piece) {
            sync.write("file.rs", std::str::from_utf8(chunk).unwrap());
        }
        if content.is_empty() {
            sync.write("file.rs", "");
        }
        sync.finish().unwrap()
    }

    #[test]
    fn dir_sync_writes_a_file_fed_in_pieces_only_when_it_differs() {
        let dir = scratch("pieces");
        let path = dir.join("file.rs");
        // Longer than the read buffer, and fed in pieces that do not line up with it.
        let mut content = b"// @generated by oxgen\n".to_vec();
        content.extend((0..200_000u32).map(|i| b'a' + (i % 26) as u8));
        let written = |changes: Changes| changes.written == ["file.rs"];

        assert!(written(sync_in_pieces(&dir, &content, 7_001, false)));
        assert_eq!(fs::read(&path).unwrap(), content);
        // A rewrite, even with the same bytes, would replace the inode.
        let inode = |p: &Path| -> Option<u64> {
            #[cfg(unix)]
            return Some(std::os::unix::fs::MetadataExt::ino(
                &fs::metadata(p).unwrap(),
            ));
            #[cfg(not(unix))]
            return None;
        };
        let before = inode(&path);
        assert!(!written(sync_in_pieces(&dir, &content, 65_536, false)));
        assert_eq!(inode(&path), before, "an unchanged file is not touched");

        let mut changed = content.clone();
        changed[150_000] = b'!';
        assert!(written(sync_in_pieces(&dir, &changed, 7_001, true)));
        assert_eq!(fs::read(&path).unwrap(), content, "--check changes nothing");
        assert!(written(sync_in_pieces(&dir, &changed, 7_001, false)));
        assert_eq!(
            fs::read(&path).unwrap(),
            changed,
            "the matched part is kept"
        );

        for new in [&content[..content.len() - 1], &content[..], &content[..24]] {
            assert!(written(sync_in_pieces(&dir, new, 10_000, false)));
            assert_eq!(fs::read(&path).unwrap(), new);
        }
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["file.rs"], "no temporary file is left");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn dir_sync_dropped_unfinished_leaves_the_directory_as_it_was() {
        let dir = scratch("dropped");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.rs"), "// @generated by oxgen\nold").unwrap();
        let mut sync = DirSync::new(&dir, false);
        sync.write("a.rs", "new");
        sync.write("b.rs", "new");
        drop(sync);
        let mut left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, ["a.rs"]);
        assert_eq!(
            fs::read_to_string(dir.join("a.rs")).unwrap(),
            "// @generated by oxgen\nold"
        );
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
        let [a, b, b2] = ["a", "b", "B"].map(|x| format!("// @generated by oxgen\n{x}"));
        let first = sync_dir(&dir, &files(&[("a.rs", &a), ("b.rs", &b)]), false).unwrap();
        assert_eq!(first.written, ["a.rs", "b.rs"]);
        let second = sync_dir(&dir, &files(&[("a.rs", &a), ("b.rs", &b2)]), false).unwrap();
        assert_eq!(
            (second.written, second.removed),
            (vec!["b.rs".to_owned()], vec![])
        );
        let check = sync_dir(&dir, &files(&[("a.rs", &a)]), true).unwrap();
        assert_eq!(
            (check.written, check.removed),
            (vec![], vec!["b.rs".to_owned()])
        );
        assert!(dir.join("b.rs").exists(), "--check changes nothing");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A hand-written file beside generated ones (a `main.rs` next to
    /// `--crate` output) is neither removed nor written over.
    #[test]
    fn files_oxgen_did_not_generate_are_left_alone() {
        let dir = scratch("foreign");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("main.rs"), "fn main() {}\n").unwrap();
        fs::write(dir.join("old.rs"), "// @generated by oxgen from x\n").unwrap();
        let generated = "// @generated by oxgen from spec.yaml\n";
        let files = BTreeMap::from([("lib.rs".to_owned(), generated.to_owned())]);
        let changes = sync_dir(&dir, &files, false).unwrap();
        assert_eq!(
            changes.removed,
            ["old.rs"],
            "only what oxgen wrote is removed"
        );
        assert_eq!(
            fs::read_to_string(dir.join("main.rs")).unwrap(),
            "fn main() {}\n"
        );

        let over = BTreeMap::from([("main.rs".to_owned(), generated.to_owned())]);
        let error = sync_dir(&dir, &over, false).unwrap_err().to_string();
        assert!(
            error.ends_with(
                "main.rs was not generated by oxgen (it has no `@generated` header); \
                 refusing to write over it: move it away or write elsewhere"
            ),
            "{error}"
        );
        assert_eq!(
            fs::read_to_string(dir.join("main.rs")).unwrap(),
            "fn main() {}\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
