//! Helpers shared by the generator's test crates.

use std::cell::Cell;

/// A loader that gives back one file, `file`: as `before` for the first
/// `unchanged` reads, then as `after` (the file edited during the run).
pub struct EditedDuringRun {
    pub file: &'static str,
    pub before: String,
    pub after: String,
    pub unchanged: usize,
    pub reads: Cell<usize>,
}

impl EditedDuringRun {
    pub fn new(file: &'static str, before: &str, after: &str, unchanged: usize) -> Self {
        EditedDuringRun {
            file,
            before: before.to_owned(),
            after: after.to_owned(),
            unchanged,
            reads: Cell::new(0),
        }
    }
}

impl oxgen::Loader for EditedDuringRun {
    fn load(&self, path: &str) -> Result<String, String> {
        assert_eq!(path, self.file);
        self.reads.set(self.reads.get() + 1);
        Ok(match self.reads.get() <= self.unchanged {
            true => self.before.clone(),
            false => self.after.clone(),
        })
    }
}
