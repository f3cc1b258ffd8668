//! Request bodies: JSON, form, multipart, text and bytes.

use reqwest::header::CONTENT_TYPE;
use serde::Serialize;
use serde_json::Value;

use crate::params::{Query, Style, scalar_text, to_value};
use crate::request::Request;

/// A JSON body's bytes (the mock server's matchers).
#[cfg(feature = "mock")]
pub(crate) fn encode_json<B: Serialize + ?Sized>(body: &B) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let written = body.serialize(&mut serde_json::Serializer::new(&mut bytes));
    json_written(bytes, written)
}

// The generic functions here call `serialize` themselves, not
// `serde_json::to_vec` or `to_value`, and leave the rest to functions that
// are not generic: each layer would be compiled again for each body type.
fn json_written(bytes: Vec<u8>, written: Result<(), serde_json::Error>) -> Result<Vec<u8>, String> {
    match written {
        Ok(()) => Ok(bytes),
        Err(e) => Err(format!("cannot encode the body: {e}")),
    }
}

/// A form body's text (see [`Request::form`] and [`Request::form_with`]).
pub(crate) fn encode_form<B: Serialize + ?Sized>(
    body: &B,
    encoding: &[(&str, Style)],
) -> Result<String, String> {
    form_text(body.serialize(serde_json::value::Serializer), encoding)
}

fn form_text(
    body: Result<Value, serde_json::Error>,
    encoding: &[(&str, Style)],
) -> Result<String, String> {
    match body {
        Ok(Value::Object(fields)) => {
            let mut query = Query::default();
            for (name, value) in &fields {
                match encoding.iter().find(|(property, _)| property == name) {
                    Some((_, style)) => query.push(name, value, *style),
                    None => query.form_member(name, value),
                }
            }
            Ok(query.text)
        }
        Ok(_) => Err("a form body must be an object".into()),
        Err(e) => Err(format!("cannot encode the body: {e}")),
    }
}

impl Request {
    /// A JSON body of media type `content_type`.
    pub fn json<B: Serialize + ?Sized>(self, content_type: &'static str, body: &B) -> Self {
        let mut bytes = Vec::new();
        let written = body.serialize(&mut serde_json::Serializer::new(&mut bytes));
        self.json_bytes(content_type, json_written(bytes, written))
    }

    // Not generic: compiled once, not once per body type.
    fn json_bytes(mut self, content_type: &'static str, bytes: Result<Vec<u8>, String>) -> Self {
        match bytes {
            Ok(bytes) => self.builder = self.builder.header(CONTENT_TYPE, content_type).body(bytes),
            Err(e) => self.fail(e),
        }
        self
    }

    /// `application/x-www-form-urlencoded`, each property encoded as the
    /// default `encoding` of OpenAPI has it: scalars as `name=value`, lists
    /// repeating the name, objects as `name[key]=value` (deepObject, nested
    /// as deep as they go: `name[key][0][inner]=value`, the convention of
    /// form APIs such as Stripe's). A nested object is never flattened into
    /// its parent's names.
    pub fn form<B: Serialize + ?Sized>(self, content_type: &'static str, body: &B) -> Self {
        self.form_with(content_type, body, &[])
    }

    /// A form body whose spec gives some properties an `encoding` (style and
    /// explode); the others are encoded as [`Request::form`] says.
    pub fn form_with<B: Serialize + ?Sized>(
        self,
        content_type: &'static str,
        body: &B,
        encoding: &[(&str, Style)],
    ) -> Self {
        self.form_text(content_type, encode_form(body, encoding))
    }

    fn form_text(mut self, content_type: &'static str, text: Result<String, String>) -> Self {
        match text {
            Ok(text) => {
                self.builder = self.builder.header(CONTENT_TYPE, content_type).body(text);
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// A `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        match form.problem {
            Some(problem) => self.fail(problem),
            None => self.builder = self.builder.multipart(form.form),
        }
        self
    }

    /// A text body.
    pub fn text(mut self, content_type: &'static str, body: &str) -> Self {
        self.builder = self
            .builder
            .header(CONTENT_TYPE, content_type)
            .body(body.to_owned());
        self
    }

    /// A binary body.
    pub fn bytes(mut self, content_type: &'static str, body: &[u8]) -> Self {
        self.builder = self
            .builder
            .header(CONTENT_TYPE, content_type)
            .body(body.to_vec());
        self
    }
}

/// A `multipart/form-data` body under construction.
#[derive(Default)]
pub struct Multipart {
    pub(crate) form: reqwest::multipart::Form,
    pub(crate) problem: Option<String>,
}

impl Multipart {
    /// A text part; lists become one part per item; absent values none.
    pub fn field<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match to_value(value) {
            Ok(Value::Null) => {}
            Ok(Value::Array(items)) => {
                for item in &items {
                    self.form = self.form.text(name.to_owned(), scalar_text(item));
                }
            }
            Ok(value) => self.form = self.form.text(name.to_owned(), scalar_text(&value)),
            Err(e) => self.problem = Some(e),
        }
        self
    }

    /// A file part, labelled with its media type (RFC 7578 asks for one;
    /// OpenAPI's default for binary parts is `application/octet-stream`).
    pub fn file(mut self, name: &str, bytes: &[u8], media_type: &str) -> Self {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
        match part.mime_str(media_type) {
            Ok(part) => self.form = self.form.part(name.to_owned(), part),
            Err(_) => {
                self.problem = Some(format!(
                    "`{}` is not a media type for part `{name}`",
                    media_type.escape_debug()
                ));
            }
        }
        self
    }

    /// Every property of an object body as a text part.
    pub fn fields<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match to_value(body) {
            Ok(Value::Object(fields)) => {
                for (name, value) in &fields {
                    self = self.field(name, value);
                }
            }
            Ok(_) => self.problem = Some("a multipart body must be an object".into()),
            Err(e) => self.problem = Some(e),
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Transport;
    use reqwest::Method;

    fn request() -> Request {
        Transport::new("http://127.0.0.1:1").unwrap().request(
            "op",
            Method::POST,
            "/x",
            Query::default(),
        )
    }

    fn body_of(request: Request) -> (Option<String>, String) {
        let problem = request.problem.clone();
        let built = request.builder.build().unwrap();
        let body = built.body().and_then(|b| b.as_bytes()).unwrap_or_default();
        (problem, String::from_utf8_lossy(body).into_owned())
    }

    #[test]
    fn json_bodies_are_what_serde_json_writes() {
        let body = serde_json::json!({"name": "a \"b\"", "list": [1, 2.5, null]});
        let patch = request().json("application/merge-patch+json", &body);
        let built = patch.builder.try_clone().unwrap().build().unwrap();
        assert_eq!(
            built.headers()[CONTENT_TYPE],
            "application/merge-patch+json"
        );
        let (problem, text) = body_of(patch);
        assert_eq!(problem, None);
        assert_eq!(text.as_bytes(), serde_json::to_vec(&body).unwrap());

        let keys_not_strings = std::collections::BTreeMap::from([(vec![1u8], 1)]);
        let (problem, _) = body_of(request().json("application/json", &keys_not_strings));
        assert_eq!(
            problem.as_deref(),
            Some("cannot encode the body: key must be a string")
        );
    }

    #[test]
    fn form_bodies_follow_the_encoding_the_spec_gives() {
        let body = serde_json::json!({"a": {"b": 1}, "list": ["x", "y"], "n": 2});
        let (problem, text) = body_of(request().form("application/x-www-form-urlencoded", &body));
        assert_eq!((problem, text.as_str()), (None, "a[b]=1&list=x&list=y&n=2"));
        let encoding = [("list", Style::PipeDelimited { explode: false })];
        let form = request().form_with("application/x-www-form-urlencoded", &body, &encoding);
        assert_eq!(body_of(form).1, "a[b]=1&list=x|y&n=2");
        let (problem, _) = body_of(request().form("application/x-www-form-urlencoded", &[1, 2]));
        assert_eq!(problem.as_deref(), Some("a form body must be an object"));
    }

    #[test]
    fn a_multipart_body_must_be_an_object() {
        let form = Multipart::default().fields(&[1, 2]);
        assert_eq!(
            form.problem.as_deref(),
            Some("a multipart body must be an object")
        );
        let form = Multipart::default()
            .field("absent", &None::<String>)
            .field("n", &1);
        assert_eq!(form.problem, None);
    }

    #[test]
    fn a_file_part_needs_a_media_type_that_can_label_it() {
        let labelled = Multipart::default().file("file", b"%PDF", "application/pdf");
        assert!(labelled.problem.is_none());
        let bad = Multipart::default().file("file", b"%PDF", "not a type\n");
        assert_eq!(
            bad.problem.as_deref(),
            Some("`not a type\\n` is not a media type for part `file`")
        );
    }
}
