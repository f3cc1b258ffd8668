//! Problems found in a spec, each located by file, JSON pointer and (where the
//! input format tells) line and column. Stages collect every problem they find
//! before the pipeline stops, so one run reports them all.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
/// A problem in a spec or an overlay, located.
pub struct Diagnostic {
    /// The spec file as the caller named it.
    pub file: String,
    /// 1-based line and column, when known.
    pub line: Option<(usize, usize)>,
    /// JSON pointer into the document, as a URI fragment (`#/paths/~1users/put`).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.line {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " (at {})", self.pointer)?;
        }
        Ok(())
    }
}

/// Every problem a stage found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether there is no problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A JSON pointer under construction; segments are escaped per RFC 6901.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document (`#`).
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses the fragment of a local `$ref` (`#/components/schemas/User`).
    pub fn from_fragment(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        (rest.is_empty() || rest.starts_with('/')).then(|| Pointer(rest.to_owned()))
    }

    /// The pointer to `segment` below this one, escaped per RFC 6901.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{segment}", self.0))
    }

    /// The unescaped segments.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    /// The name of the entry of `#/components/<kind>` this points to.
    pub fn component(&self, kind: &str) -> Option<String> {
        let mut segments = self.segments();
        match (
            segments.next(),
            segments.next(),
            segments.next(),
            segments.next(),
        ) {
            (Some(c), Some(k), Some(name), None) if c == "components" && k == kind => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// The most problems of one kind a run reports; past that they are counted.
/// A person fixes the first ones first, and locating each costs a pass over
/// the spec's text.
pub const MAX_REPORTED: usize = 100;

/// Keeps the first [`MAX_REPORTED`] diagnostics and says how many more there were.
pub fn cap(diagnostics: &mut Vec<Diagnostic>, file: &str) {
    if diagnostics.len() <= MAX_REPORTED {
        return;
    }
    let more = diagnostics.len() - MAX_REPORTED;
    diagnostics.truncate(MAX_REPORTED);
    diagnostics.push(Diagnostic {
        file: file.to_owned(),
        line: None,
        pointer: String::new(),
        message: format!("and {more} more like these"),
    });
}

/// Collects the problems of one stage for one file. Errors stop the pipeline;
/// warnings (odd but usable input) are handed back with the output.
pub struct Sink<'a> {
    file: &'a str,
    found: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// A sink for the problems of `file`.
    pub fn new(file: &'a str) -> Self {
        Sink {
            file,
            found: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Records an error at `pointer`: the stage fails once it ends.
    pub fn error(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.found.push(Diagnostic {
            file: self.file.to_owned(),
            line: None,
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// Records a warning at `pointer`: odd but usable input.
    pub fn warning(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Diagnostic {
            file: self.file.to_owned(),
            line: None,
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// Ends the stage: the warnings, or `Err` with every error found; both in
    /// a stable order.
    pub fn finish(mut self) -> Result<Vec<Diagnostic>, Diagnostics> {
        if self.found.is_empty() {
            sort(&mut self.warnings);
            return Ok(self.warnings);
        }
        sort(&mut self.found);
        Err(Diagnostics(self.found))
    }
}

pub(crate) fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        a.pointer
            .cmp(&b.pointer)
            .then_with(|| a.message.cmp(&b.message))
    });
    diagnostics.dedup();
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn a_pointer_names_the_component_entry_it_points_to_and_no_other() {
        let entry = Pointer::root().join("components").join("parameters");
        let entry = entry.join("sort/direction");
        assert_eq!(
            entry.component("parameters").as_deref(),
            Some("sort/direction")
        );
        assert_eq!(entry.component("responses"), None);
        assert_eq!(entry.join("schema").component("parameters"), None);
        let inside = Pointer::from_fragment("#/paths/~1a/get/parameters/0");
        assert_eq!(inside.and_then(|p| p.component("parameters")), None);
    }
}
