//! Writing generated files: only what changed, atomically, and nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::Loader;

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
        if fs::read(&path).ok().as_deref() != Some(content.as_bytes()) {
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
