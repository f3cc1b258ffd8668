//! The documents a spec is made of, and `$ref` resolution across them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::Pointer;
use crate::openapi::{OpenApi, Schema};

/// Supplies the text of files that `$ref`s name, relative to the spec's
/// directory. The core never touches the file system itself.
pub trait Loader {
    /// The text of the file at `path`, or why it cannot be had.
    fn load(&self, path: &str) -> Result<String, String>;
}

/// A loader for specs without external references.
pub struct NoFiles;

impl Loader for NoFiles {
    fn load(&self, path: &str) -> Result<String, String> {
        Err(format!(
            "cannot load `{path}`: external references need a file loader"
        ))
    }
}

/// The main document's text, for what needs it after parsing: references
/// into parts the typed model does not keep, and the lines of diagnostics.
///
/// The parsed model is several times the size of the text, and both are
/// rarely needed together; so where the loader can read the file again, the
/// text is dropped once parsed and read again when needed.
pub enum MainText<'a> {
    Kept(&'a str),
    /// Read again as `file` through `loader`, and used only if it is still
    /// the text that was parsed.
    Reread {
        file: &'a str,
        loader: &'a dyn Loader,
        fingerprint: Fingerprint,
    },
}

/// Tells whether a text read again is the one that was parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    len: usize,
    hash: u64,
}

impl Fingerprint {
    pub fn of(text: &str) -> Self {
        use std::hash::{Hash, Hasher};
        // Keys fixed at zero: the same text hashes the same within a run.
        let mut hasher = std::hash::DefaultHasher::new();
        text.hash(&mut hasher);
        Fingerprint {
            len: text.len(),
            hash: hasher.finish(),
        }
    }
}

impl<'a> MainText<'a> {
    /// `Reread` when `loader` reads `text` back as `file` (checked now, so
    /// that dropping the text never loses it), else `None`.
    pub fn rereadable(text: &str, file: &'a str, loader: &'a dyn Loader) -> Option<Self> {
        let again = loader.load(file).ok()?;
        (again == text).then(|| MainText::Reread {
            file,
            loader,
            fingerprint: Fingerprint::of(text),
        })
    }

    /// The text; `None` if it was dropped and the file has changed since.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        match self {
            MainText::Kept(text) => Some(Cow::Borrowed(text)),
            MainText::Reread {
                file,
                loader,
                fingerprint,
            } => {
                let text = loader.load(file).ok()?;
                (Fingerprint::of(&text) == *fingerprint).then_some(Cow::Owned(text))
            }
        }
    }
}

/// The main document, its raw JSON (read when first needed) and the other
/// files its references name.
pub(crate) struct Documents<'a> {
    pub main: &'a OpenApi,
    main_name: &'a str,
    main_text: &'a MainText<'a>,
    /// Whether `main_text` is Swagger 2.0, read as converted to OpenAPI 3.
    main_swagger: bool,
    main_raw: Option<Result<Value, String>>,
    external: BTreeMap<String, Result<Value, String>>,
    loader: &'a dyn Loader,
}

/// Why a schema reference did not resolve.
pub(crate) enum Unresolved {
    /// It names nothing usable: the place is typed as any JSON.
    Dangling(String),
    /// The main document could not be read again to follow it (it changed
    /// on disk): generation stops.
    Unreadable(String),
}

/// A schema found by reference.
pub(crate) struct Found {
    /// `file#/pointer`, the same for every spelling of the reference.
    pub key: String,
    /// The file it is in (`""`: the main document).
    pub file: String,
    pub pointer: Pointer,
    pub schema: Schema,
}

impl<'a> Documents<'a> {
    /// The main document's JSON is read from `main_text` (and converted,
    /// when it is Swagger 2.0) when a reference first needs it.
    pub fn new(
        main: &'a OpenApi,
        main_swagger: bool,
        main_name: &'a str,
        main_text: &'a MainText<'a>,
        loader: &'a dyn Loader,
    ) -> Self {
        Documents {
            main,
            main_name,
            main_text,
            main_swagger,
            main_raw: None,
            external: BTreeMap::new(),
            loader,
        }
    }

    /// Resolves `reference` as written in `base` (`""`: the main document).
    pub fn schema(&mut self, base: &str, reference: &str) -> Result<Found, Unresolved> {
        self.find_schema(base, reference)
            .map_err(|(why, main_unreadable)| match main_unreadable {
                true => Unresolved::Unreadable(why),
                false => Unresolved::Dangling(why),
            })
    }

    /// [`Documents::schema`]; the error says whether the main document
    /// could not be read again.
    fn find_schema(&mut self, base: &str, reference: &str) -> Result<Found, (String, bool)> {
        let dangling = |why: String| (why, false);
        let (file, fragment) = self.locate(base, reference).map_err(dangling)?;
        let pointer = Pointer::from_fragment(&format!("#{fragment}"))
            .ok_or_else(|| dangling(format!("`{reference}` is not a JSON pointer reference")))?;
        let key = format!("{file}#{fragment}");
        if file.is_empty()
            && let Some(name) = pointer.component("schemas")
        {
            let schema = self.main.components.schemas.get(&name).ok_or_else(|| {
                dangling(format!(
                    "`{reference}` does not name an entry of #/components/schemas"
                ))
            })?;
            return Ok(Found {
                key,
                file,
                pointer,
                schema: schema.clone(),
            });
        }
        let main = file.is_empty();
        let document = self.value(&file).map_err(|why| (why, main))?;
        let value = document
            .pointer(&fragment)
            .ok_or_else(|| dangling(not_found(reference)))?;
        let schema = serde_json::from_value(value.clone())
            .map_err(|e| dangling(format!("`{reference}` is not a schema: {e}")))?;
        Ok(Found {
            key,
            file,
            pointer,
            schema,
        })
    }

    /// `(file, fragment)` of a reference: the file relative to the spec's
    /// directory, normalised, never outside it.
    fn locate(&self, base: &str, reference: &str) -> Result<(String, String), String> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if path.is_empty() {
            return Ok((base.to_owned(), fragment.to_owned()));
        }
        if path.contains("://") {
            return Err(format!("`{reference}`: remote references are not fetched"));
        }
        if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
            return Err(format!("`{reference}` points outside the spec's directory"));
        }
        let mut segments: Vec<&str> = base.split('/').collect();
        segments.pop();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    if segments.pop().is_none() {
                        return Err(format!("`{reference}` points outside the spec's directory"));
                    }
                }
                other => segments.push(other),
            }
        }
        let file = segments.join("/");
        // A reference back into the spec itself is a reference to the main document.
        let main_file = self.main_name.rsplit('/').next().unwrap_or(self.main_name);
        let file = if file == main_file {
            String::new()
        } else {
            file
        };
        Ok((file, fragment.to_owned()))
    }

    /// The main document as OpenAPI 3 JSON (read again when first asked
    /// for); `None` when it cannot be read again.
    pub fn main_value(&mut self) -> Option<&Value> {
        self.value("").ok()
    }

    fn value(&mut self, file: &str) -> Result<&Value, String> {
        if file.is_empty() {
            let (name, text, swagger) = (self.main_name, self.main_text, self.main_swagger);
            let raw = self.main_raw.get_or_insert_with(|| {
                let text = text.text().ok_or_else(|| {
                    format!("`{name}` changed on disk while it was being read; run again")
                })?;
                crate::parse::raw_openapi(name, &text, swagger).map_err(|d| d.to_string())
            });
            return raw.as_ref().map_err(Clone::clone);
        }
        let loader = self.loader;
        let loaded = self.external.entry(file.to_owned()).or_insert_with(|| {
            let text = loader.load(file)?;
            crate::parse::raw(file, &text).map_err(|d| d.to_string())
        });
        loaded.as_ref().map_err(Clone::clone)
    }
}

fn not_found(reference: &str) -> String {
    format!("`{reference}` does not point at anything")
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::{Options, generate_api, selected_api_owned};

    /// A loader that gives back one file, `file`: as `before` for the first
    /// `unchanged` reads, then as `after` (the file edited during the run).
    struct EditedDuringRun {
        file: &'static str,
        before: String,
        after: String,
        unchanged: usize,
        reads: Cell<usize>,
    }

    impl EditedDuringRun {
        fn new(file: &'static str, before: &str, after: &str, unchanged: usize) -> Self {
            EditedDuringRun {
                file,
                before: before.to_owned(),
                after: after.to_owned(),
                unchanged,
                reads: Cell::new(0),
            }
        }
    }

    impl Loader for EditedDuringRun {
        fn load(&self, path: &str) -> Result<String, String> {
            assert_eq!(path, self.file);
            self.reads.set(self.reads.get() + 1);
            Ok(match self.reads.get() <= self.unchanged {
                true => self.before.clone(),
                false => self.after.clone(),
            })
        }
    }

    /// `Listing` refers into a path's response: a part the typed model does
    /// not keep, which is read from the raw document.
    const INTO_PATHS: &str = r#"openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {total: {type: integer}}}
components:
  schemas:
    Listing: {$ref: '#/paths/~1pets/get/responses/200/content/application~1json/schema'}
"#;

    /// A text handed over is dropped once parsed; a reference into a part the
    /// typed model does not keep reads the file again, and refuses a file
    /// that changed since it was parsed.
    #[test]
    fn references_into_a_dropped_text_read_it_again_if_unchanged() {
        let generate = |loader: &dyn Loader| {
            let options = Options::default();
            let api = selected_api_owned("spec/api.yaml", INTO_PATHS.to_owned(), loader, &options)?;
            generate_api(api, "spec/api.yaml", &options)
        };
        let unchanged = EditedDuringRun::new("api.yaml", INTO_PATHS, "", usize::MAX);
        let generated = generate(&unchanged).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(
            unchanged.reads.get(),
            2,
            "checked, then read for the reference"
        );
        assert!(generated.summary.fallbacks.is_empty());
        let types = &generated.files["types.rs"];
        assert!(types.contains("pub type Listing = Schema;"), "{types}");
        assert!(
            types.contains("pub struct Schema {\n    pub total: Option<i64>,"),
            "{types}"
        );

        let edited = EditedDuringRun::new(
            "api.yaml",
            INTO_PATHS,
            &INTO_PATHS.replace("total", "count"),
            1,
        );
        let error = generate(&edited).expect_err("the file changed").to_string();
        assert!(
            error.contains("`spec/api.yaml` changed on disk while it was being read; run again"),
            "{error}"
        );
    }

    /// A spec with one warning, at line 7, column 7 (`required` of `User`).
    const WARNS: &str = r#"openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    User:
      required: [id, name]
      properties:
        id: {type: string}
"#;

    fn owned_warnings(loader: &dyn Loader) -> Vec<String> {
        let api = selected_api_owned(
            "spec/api.yaml",
            WARNS.to_owned(),
            loader,
            &Options::default(),
        )
        .expect("warnings only");
        api.warnings.iter().map(ToString::to_string).collect()
    }

    /// A text handed over is dropped once parsed and read again for the lines
    /// of diagnostics: the lines are those of the text that was parsed, and
    /// none at all if the file changed in between, never the wrong ones.
    #[test]
    fn a_dropped_text_is_read_again_for_lines_only_if_unchanged() {
        let at_line_7 = "spec/api.yaml:7:7: `name` is required but not among the properties; ignored (at #/components/schemas/User/required)";
        let edited = format!("# edited\n{WARNS}");
        let unchanged = EditedDuringRun::new("api.yaml", WARNS, &edited, usize::MAX);
        assert_eq!(owned_warnings(&unchanged), [at_line_7]);
        assert_eq!(
            unchanged.reads.get(),
            2,
            "checked before parsing, read for the lines"
        );

        let edited = EditedDuringRun::new("api.yaml", WARNS, &edited, 1);
        assert_eq!(
            owned_warnings(&edited),
            [
                "spec/api.yaml: `name` is required but not among the properties; ignored (at #/components/schemas/User/required)"
            ]
        );

        // A loader that cannot give the text back: it is kept, and lines found.
        assert_eq!(owned_warnings(&NoFiles), [at_line_7]);
    }
}
