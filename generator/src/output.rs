//! Writing generated files: only what changed, atomically, and nothing else.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

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

/// Makes `dir` hold exactly `files`: writes those whose content differs and
/// removes `.rs` files it does not emit. With `check`, changes nothing and
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
    if dir.is_dir() {
        let mut stale = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
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
