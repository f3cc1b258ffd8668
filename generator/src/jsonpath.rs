//! JSONPath (RFC 9535) for overlay targets, with the location of every node
//! it selects, which an overlay's updates need.
//!
//! Supported: the root `$`; child segments `.name`, `.*`, `['name']`,
//! `["a", 'b']`, `[0]`, `[-1]`, `[*]`, slices `[start:end:step]`; descendant
//! segments `..name`, `..*`, `..[...]`; filters `[?<expr>]` with `@`/`$`
//! queries, existence tests, comparisons (`== != < <= > >=`) against
//! strings, numbers, `true`, `false` and `null`, and `&&`, `||`, `!` and
//! parentheses. Function extensions (`length()`, `match()`, ...) are refused
//! with a clear message. A test checks the selections against
//! `serde_json_path`, a complete implementation, which is not used here
//! because it adds a third to the build time of a crate that runs oxgen from
//! its build script (see BENCHMARKS.md).

use std::fmt::Write as _;

use serde_json::Value;

/// A parsed path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Child(Vec<Selector>),
    Descendant(Vec<Selector>),
}

#[derive(Debug, Clone, PartialEq)]
enum Selector {
    Name(String),
    Wildcard,
    Index(i64),
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
    },
    Filter(Expr),
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Exists(Query),
    Compare(Operand, Op, Operand),
}

#[derive(Debug, Clone, PartialEq)]
struct Query {
    /// `$` rather than `@`.
    absolute: bool,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Query(Query),
    Literal(Value),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One step from a node to a child.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// A member of an object.
    Key(String),
    /// An item of an array.
    Index(usize),
}

/// Where a selected node is: the steps from the root.
pub type Location = Vec<Step>;

/// Writes a location as the JSON pointer fragment (`#/paths/~1users`).
pub fn pointer(location: &[Step]) -> String {
    let mut out = String::from("#");
    for step in location {
        match step {
            Step::Key(key) => {
                let _ = write!(out, "/{}", key.replace('~', "~0").replace('/', "~1"));
            }
            Step::Index(i) => {
                let _ = write!(out, "/{i}");
            }
        }
    }
    out
}

impl Path {
    /// Parses `text`; the error names the character offset and what was expected.
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        parser.skip_space();
        if !parser.eat('$') {
            return Err(parser.error("a path starts with `$`"));
        }
        let segments = parser.segments(false)?;
        parser.skip_space();
        if parser.at < parser.chars.len() {
            return Err(parser.error("expected `.`, `..` or `[`"));
        }
        Ok(Path { segments })
    }

    /// The locations of the nodes this path selects in `root`, in document
    /// order, each once.
    pub fn select(&self, root: &Value) -> Vec<Location> {
        let mut found = Vec::new();
        for (location, _) in select(&self.segments, root, root) {
            if !found.contains(&location) {
                found.push(location);
            }
        }
        found
    }
}

fn select<'v>(
    segments: &[Segment],
    root: &'v Value,
    start: &'v Value,
) -> Vec<(Location, &'v Value)> {
    let mut nodes = vec![(Vec::new(), start)];
    for segment in segments {
        let mut next = Vec::new();
        for (location, node) in &nodes {
            match segment {
                Segment::Child(selectors) => {
                    apply(selectors, root, location, node, &mut next);
                }
                Segment::Descendant(selectors) => {
                    let mut stack = vec![(location.clone(), *node)];
                    // Pre-order: a node before its descendants, children in order.
                    while let Some((at, value)) = stack.pop() {
                        apply(selectors, root, &at, value, &mut next);
                        let mut children = children(&at, value);
                        children.reverse();
                        stack.extend(children);
                    }
                }
            }
        }
        nodes = next;
    }
    nodes
}

fn children<'v>(location: &Location, value: &'v Value) -> Vec<(Location, &'v Value)> {
    let step = |s: Step| {
        let mut l = location.clone();
        l.push(s);
        l
    };
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (step(Step::Key(k.clone())), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (step(Step::Index(i)), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn apply<'v>(
    selectors: &[Selector],
    root: &'v Value,
    location: &Location,
    node: &'v Value,
    out: &mut Vec<(Location, &'v Value)>,
) {
    for selector in selectors {
        match selector {
            Selector::Name(name) => {
                if let Some(child) = node.as_object().and_then(|m| m.get(name)) {
                    let mut l = location.clone();
                    l.push(Step::Key(name.clone()));
                    out.push((l, child));
                }
            }
            Selector::Wildcard => out.extend(children(location, node)),
            Selector::Index(index) => {
                if let Some(items) = node.as_array() {
                    let len = items.len() as i64;
                    let i = if *index < 0 { len + index } else { *index };
                    if (0..len).contains(&i) {
                        let mut l = location.clone();
                        l.push(Step::Index(i as usize));
                        out.push((l, &items[i as usize]));
                    }
                }
            }
            Selector::Slice { start, end, step } => {
                if let Some(items) = node.as_array() {
                    for i in slice(*start, *end, *step, items.len()) {
                        let mut l = location.clone();
                        l.push(Step::Index(i));
                        out.push((l, &items[i]));
                    }
                }
            }
            Selector::Filter(expr) => {
                for (l, child) in children(location, node) {
                    if test(expr, root, child) {
                        out.push((l, child));
                    }
                }
            }
        }
    }
}

/// The indexes an array slice selects from an array of `len` items, in
/// order (RFC 9535, 2.3.4.2): negative bounds count from the end, a negative
/// step walks backwards, a step of zero selects nothing.
fn slice(start: Option<i64>, end: Option<i64>, step: Option<i64>, len: usize) -> Vec<usize> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    let normalize = |i: i64| if i >= 0 { i } else { len + i };
    let mut out = Vec::new();
    if step > 0 {
        let lower = normalize(start.unwrap_or(0)).clamp(0, len);
        let upper = normalize(end.unwrap_or(len)).clamp(0, len);
        let mut i = lower;
        while i < upper {
            out.push(i as usize);
            i = i.saturating_add(step);
        }
    } else if step < 0 {
        let upper = normalize(start.unwrap_or(len - 1)).clamp(-1, len - 1);
        let lower = normalize(end.unwrap_or(-len - 1)).clamp(-1, len - 1);
        let mut i = upper;
        while lower < i {
            out.push(i as usize);
            i = i.saturating_add(step);
        }
    }
    out
}

fn test(expr: &Expr, root: &Value, current: &Value) -> bool {
    match expr {
        Expr::Or(items) => items.iter().any(|e| test(e, root, current)),
        Expr::And(items) => items.iter().all(|e| test(e, root, current)),
        Expr::Not(inner) => !test(inner, root, current),
        Expr::Exists(query) => !run(query, root, current).is_empty(),
        Expr::Compare(left, op, right) => {
            let left = operand(left, root, current);
            let right = operand(right, root, current);
            compare(left.as_ref(), *op, right.as_ref())
        }
    }
}

fn run<'v>(query: &Query, root: &'v Value, current: &'v Value) -> Vec<(Location, &'v Value)> {
    let start = if query.absolute { root } else { current };
    select(&query.segments, root, start)
}

/// The value of a comparison operand: `None` when a query selects nothing
/// (RFC 9535 "Nothing"), or more than one node.
fn operand(operand: &Operand, root: &Value, current: &Value) -> Option<Value> {
    match operand {
        Operand::Literal(value) => Some(value.clone()),
        Operand::Query(query) => match run(query, root, current).as_slice() {
            [(_, value)] => Some((*value).clone()),
            _ => None,
        },
    }
}

fn compare(left: Option<&Value>, op: Op, right: Option<&Value>) -> bool {
    let equal = match (left, right) {
        (None, None) => true,
        (Some(Value::Number(a)), Some(Value::Number(b))) => a.as_f64() == b.as_f64(),
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    let less = match (left, right) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => a.as_f64() < b.as_f64(),
        (Some(Value::String(a)), Some(Value::String(b))) => a < b,
        _ => false,
    };
    match op {
        Op::Eq => equal,
        Op::Ne => !equal,
        Op::Lt => less,
        Op::Le => less || equal,
        Op::Gt => !less && !equal && comparable(left, right),
        Op::Ge => (!less && comparable(left, right)) || equal,
    }
}

fn comparable(left: Option<&Value>, right: Option<&Value>) -> bool {
    matches!(
        (left, right),
        (Some(Value::Number(_)), Some(Value::Number(_)))
            | (Some(Value::String(_)), Some(Value::String(_)))
    )
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn error(&self, expected: &str) -> String {
        match self.chars.get(self.at) {
            Some(c) => format!("at character {}: {expected}, found `{c}`", self.at + 1),
            None => format!("at character {}: {expected}, found the end", self.at + 1),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars.len() >= self.at + n
            && self.chars[self.at..self.at + n]
                .iter()
                .copied()
                .eq(s.chars())
        {
            self.at += n;
            true
        } else {
            false
        }
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.at += 1;
        }
    }

    /// Segments up to the end, or (inside a filter) up to what cannot continue
    /// a query.
    fn segments(&mut self, in_filter: bool) -> Result<Vec<Segment>, String> {
        let mut segments = Vec::new();
        loop {
            if !in_filter {
                self.skip_space();
            }
            if self.eat_str("..") {
                let selectors = match self.peek() {
                    Some('[') => self.bracket()?,
                    Some('*') => {
                        self.at += 1;
                        vec![Selector::Wildcard]
                    }
                    _ => vec![Selector::Name(self.member_name()?)],
                };
                segments.push(Segment::Descendant(selectors));
            } else if self.eat('.') {
                if self.eat('*') {
                    segments.push(Segment::Child(vec![Selector::Wildcard]));
                } else {
                    segments.push(Segment::Child(vec![Selector::Name(self.member_name()?)]));
                }
            } else if self.peek() == Some('[') {
                segments.push(Segment::Child(self.bracket()?));
            } else {
                return Ok(segments);
            }
        }
    }

    fn member_name(&mut self) -> Result<String, String> {
        let start = self.at;
        while let Some(c) = self.peek() {
            let first = self.at == start;
            if c.is_alphabetic() || c == '_' || !c.is_ascii() || (!first && c.is_ascii_digit()) {
                self.at += 1;
            } else {
                break;
            }
        }
        if self.at == start {
            return Err(self.error("expected a member name (write other names as ['name'])"));
        }
        if matches!(self.peek(), Some('-' | '/' | '{' | '}')) {
            return Err(self.error("this name needs brackets: write it as ['name']"));
        }
        Ok(self.chars[start..self.at].iter().collect())
    }

    fn bracket(&mut self) -> Result<Vec<Selector>, String> {
        self.eat('[');
        let mut selectors = Vec::new();
        loop {
            self.skip_space();
            selectors.push(self.selector()?);
            self.skip_space();
            if self.eat(']') {
                return Ok(selectors);
            }
            if !self.eat(',') {
                return Err(self.error("expected `,` or `]`"));
            }
        }
    }

    fn selector(&mut self) -> Result<Selector, String> {
        match self.peek() {
            Some('\'' | '"') => Ok(Selector::Name(self.string()?)),
            Some('*') => {
                self.at += 1;
                Ok(Selector::Wildcard)
            }
            Some('?') => {
                self.at += 1;
                self.skip_space();
                Ok(Selector::Filter(self.or()?))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let index = self.integer()?;
                self.skip_space();
                if self.peek() == Some(':') {
                    return self.slice(Some(index));
                }
                Ok(Selector::Index(index))
            }
            Some(':') => self.slice(None),
            _ => Err(self.error("expected a name in quotes, an index, `*` or `?`")),
        }
    }

    /// The rest of a slice after its start: `:end` and `:step`, each optional.
    fn slice(&mut self, start: Option<i64>) -> Result<Selector, String> {
        let bound = |parser: &mut Self| -> Result<Option<i64>, String> {
            parser.skip_space();
            match parser.peek() {
                Some(c) if c == '-' || c.is_ascii_digit() => {
                    let value = parser.integer()?;
                    parser.skip_space();
                    Ok(Some(value))
                }
                _ => Ok(None),
            }
        };
        self.at += 1; // the first `:`
        let end = bound(self)?;
        let step = if self.eat(':') { bound(self)? } else { None };
        Ok(Selector::Slice { start, end, step })
    }

    fn integer(&mut self) -> Result<i64, String> {
        let start = self.at;
        self.eat('-');
        while matches!(self.peek(), Some('0'..='9')) {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        text.parse()
            .map_err(|_| format!("at character {}: `{text}` is not an index", start + 1))
    }

    fn string(&mut self) -> Result<String, String> {
        let quote = self.peek().unwrap_or('\'');
        self.at += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error("the string is not closed")),
                Some(c) if c == quote => {
                    self.at += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some('b') => '\u{8}',
                        Some('f') => '\u{c}',
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('t') => '\t',
                        Some('u') => {
                            let hex: String = self.chars.iter().skip(self.at + 1).take(4).collect();
                            let code = u32::from_str_radix(&hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
                            self.at += 4;
                            code
                        }
                        Some(c @ ('\'' | '"' | '\\' | '/')) => c,
                        _ => return Err(self.error("unknown escape")),
                    };
                    self.at += 1;
                    out.push(escaped);
                }
                Some(c) => {
                    self.at += 1;
                    out.push(c);
                }
            }
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.and()?];
        loop {
            self.skip_space();
            if !self.eat_str("||") {
                break;
            }
            self.skip_space();
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.basic()?];
        loop {
            self.skip_space();
            if !self.eat_str("&&") {
                break;
            }
            self.skip_space();
            items.push(self.basic()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn basic(&mut self) -> Result<Expr, String> {
        self.skip_space();
        if self.eat('!') {
            self.skip_space();
            return Ok(Expr::Not(Box::new(self.basic()?)));
        }
        if self.eat('(') {
            let inner = self.or()?;
            self.skip_space();
            if !self.eat(')') {
                return Err(self.error("expected `)`"));
            }
            return Ok(inner);
        }
        let left = self.operand()?;
        self.skip_space();
        let op = if self.eat_str("==") {
            Op::Eq
        } else if self.eat_str("!=") {
            Op::Ne
        } else if self.eat_str("<=") {
            Op::Le
        } else if self.eat_str(">=") {
            Op::Ge
        } else if self.eat('<') {
            Op::Lt
        } else if self.eat('>') {
            Op::Gt
        } else {
            return match left {
                Operand::Query(query) => Ok(Expr::Exists(query)),
                Operand::Literal(_) => Err(self.error("expected a comparison after the literal")),
            };
        };
        self.skip_space();
        let right = self.operand()?;
        Ok(Expr::Compare(left, op, right))
    }

    fn operand(&mut self) -> Result<Operand, String> {
        match self.peek() {
            Some('@' | '$') => {
                let absolute = self.peek() == Some('$');
                self.at += 1;
                let segments = self.segments(true)?;
                Ok(Operand::Query(Query { absolute, segments }))
            }
            Some('\'' | '"') => Ok(Operand::Literal(Value::String(self.string()?))),
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.at;
                while matches!(self.peek(), Some('0'..='9' | '-' | '+' | '.' | 'e' | 'E')) {
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                serde_json::from_str::<serde_json::Number>(&text)
                    .map(|n| Operand::Literal(Value::Number(n)))
                    .map_err(|_| format!("at character {}: `{text}` is not a number", start + 1))
            }
            _ if self.eat_str("true") => Ok(Operand::Literal(Value::Bool(true))),
            _ if self.eat_str("false") => Ok(Operand::Literal(Value::Bool(false))),
            _ if self.eat_str("null") => Ok(Operand::Literal(Value::Null)),
            Some(c) if c.is_alphabetic() => {
                Err(self
                    .error("function extensions are not supported; expected `@`, `$` or a literal"))
            }
            _ => Err(self.error("expected `@`, `$` or a literal")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {
                "/users": {"get": {"parameters": [
                    {"name": "page", "in": "query"},
                    {"name": "include", "in": "query", "type": "string"}
                ]}},
                "/users/{id}": {
                    "get": {"parameters": [{"name": "id", "in": "path"}, {"name": "include", "in": "query"}]},
                    "put": {"parameters": [{"name": "id", "in": "path"}]}
                }
            },
            "definitions": {"User": {"properties": {"a": {"type": "string"}, "n": {"type": "integer", "max": 5}}}}
        })
    }

    fn pointers(path: &str) -> Vec<String> {
        let path = Path::parse(path).unwrap();
        path.select(&doc()).iter().map(|l| pointer(l)).collect()
    }

    #[test]
    fn names_wildcards_and_indexes() {
        assert_eq!(pointers("$"), ["#"]);
        assert_eq!(pointers("$.definitions.User"), ["#/definitions/User"]);
        assert_eq!(
            pointers("$['paths']['/users/{id}'].put"),
            ["#/paths/~1users~1{id}/put"]
        );
        assert_eq!(
            pointers("$.paths['/users/{id}'].*"),
            ["#/paths/~1users~1{id}/get", "#/paths/~1users~1{id}/put"]
        );
        assert_eq!(
            pointers("$.paths['/users'].get.parameters[-1]"),
            ["#/paths/~1users/get/parameters/1"]
        );
        assert_eq!(
            pointers("$.paths['/users'].get.parameters[0, 1]"),
            [
                "#/paths/~1users/get/parameters/0",
                "#/paths/~1users/get/parameters/1"
            ]
        );
        assert_eq!(pointers("$.definitions.Nope"), Vec::<String>::new());
    }

    #[test]
    fn descendants_come_in_document_order() {
        assert_eq!(pointers("$..put"), ["#/paths/~1users~1{id}/put"]);
        assert_eq!(
            pointers("$.definitions..type"),
            [
                "#/definitions/User/properties/a/type",
                "#/definitions/User/properties/n/type"
            ]
        );
    }

    #[test]
    fn filters() {
        assert_eq!(
            pointers("$.paths.*.*.parameters[?@.name == 'include']"),
            [
                "#/paths/~1users/get/parameters/1",
                "#/paths/~1users~1{id}/get/parameters/1"
            ]
        );
        assert_eq!(
            pointers("$.paths.*.*.parameters[?(@.name == 'include' && @.type)]"),
            ["#/paths/~1users/get/parameters/1"]
        );
        assert_eq!(
            pointers("$.paths.*.*.parameters[?@.in != 'query' || !@.in]").len(),
            2
        );
        assert_eq!(
            pointers("$.definitions.User.properties[?@.max >= 5]"),
            ["#/definitions/User/properties/n"]
        );
        assert_eq!(
            pointers("$.definitions.User.properties[?@.max < 5]"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn errors_say_where_and_what() {
        let error = |p: &str| Path::parse(p).unwrap_err();
        assert_eq!(
            error("paths"),
            "at character 1: a path starts with `$`, found `p`"
        );
        assert_eq!(
            error("$.x-oxgen"),
            "at character 4: this name needs brackets: write it as ['name'], found `-`"
        );
        assert_eq!(
            error("$.a['b"),
            "at character 7: the string is not closed, found the end"
        );
        assert_eq!(
            error("$.a[?length(@) > 1]"),
            "at character 6: function extensions are not supported; expected `@`, `$` or a literal, found `l`"
        );
        assert_eq!(
            error("$.a]"),
            "at character 4: expected `.`, `..` or `[`, found `]`"
        );
    }

    /// Overlay targets are untrusted text: random JSONPath-like strings parse
    /// or fail with a message, and selecting with them never panics. More
    /// rounds with `OXGEN_FUZZ_ITERATIONS`.
    #[test]
    fn random_jsonpaths_never_panic() {
        use std::panic::{AssertUnwindSafe, catch_unwind};

        let document: Value =
            serde_yaml::from_str(include_str!("../tests/specs/kantata-openapi31.yaml")).unwrap();
        let alphabet: Vec<char> = "$@.[]*?()'\"!=<>&|,:-0123456789abcpathsu_ \\"
            .chars()
            .collect();
        // xorshift64*: deterministic, so a failure reproduces.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut below = |n: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
        };
        let rounds = std::env::var("OXGEN_FUZZ_ITERATIONS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(20000);
        let mut parsed = 0;
        for round in 0..rounds {
            let len = 1 + below(24);
            let mut text: String = (0..len).map(|_| alphabet[below(alphabet.len())]).collect();
            if below(2) == 0 {
                text.insert(0, '$');
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                Path::parse(&text).map(|path| path.select(&document).len())
            }));
            match outcome {
                Ok(Ok(_)) => parsed += 1,
                Ok(Err(message)) => {
                    assert!(message.starts_with("at character "), "{text}: {message}")
                }
                Err(_) => panic!("round {round}: JSONPath `{text}` panicked"),
            }
        }
        assert!(parsed > 0);
    }

    /// Our selections are those of `serde_json_path`, a complete RFC 9535
    /// implementation: the same nodes, at the same locations, for fixed
    /// queries over every kind of selector and for random ones.
    #[test]
    fn selections_agree_with_serde_json_path() {
        let document: Value =
            serde_yaml::from_str(include_str!("../tests/specs/kantata-openapi31.yaml")).unwrap();
        let check = |query: &str| {
            let ours = Path::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            let mut ours: Vec<String> = ours
                .select(&document)
                .iter()
                .map(|location| pointer(location)[1..].to_owned())
                .collect();
            let theirs = serde_json_path::JsonPath::parse(query)
                .unwrap_or_else(|e| panic!("{query}: serde_json_path: {e}"));
            let mut theirs: Vec<String> = theirs
                .query_located(&document)
                .locations()
                .map(|path| path.to_json_pointer())
                .collect();
            // RFC 9535 leaves the order of an object's members open, and an
            // overlay updates a node once however often a query selects it.
            ours.sort();
            theirs.sort();
            theirs.dedup();
            assert_eq!(ours, theirs, "{query}");
            ours.len()
        };
        let fixed = [
            "$",
            "$.paths",
            "$.paths.*",
            "$.paths.*.*",
            "$['paths']['/users/{id}']",
            "$.paths.*.*.parameters[0]",
            "$.paths.*.*.parameters[-1]",
            "$.paths.*.*.parameters[1:3]",
            "$.paths.*.*.parameters[::2]",
            "$.paths.*.*.parameters[::-1]",
            "$.paths.*.*.parameters[-2:]",
            "$.paths.*.*.parameters[5:1:-2]",
            "$.paths.*.*.parameters[0:0]",
            "$.paths.*.*.parameters[1:10:0]",
            "$.paths.*.*.parameters[?@.in == 'query']",
            "$.paths.*.*.parameters[?@.in == 'query' && @.required]",
            "$.paths.*.*.parameters[?!@.required || @.name != 'id']",
            "$..required",
            "$..properties.id",
            "$..[?@.type == 'integer']",
            "$..[0]",
            "$..*",
            "$.components.schemas[?@.properties.id]",
            "$.components.schemas.*.properties[?@.type == 'string']",
            "$.paths.*.*[?@ == 'true' || @ == true]",
            "$.paths.*.*.responses[?@.description > 'M']",
            "$[?$.openapi == '3.1.0'].title",
        ];
        for query in fixed {
            check(query);
        }
        // Random paths over the names the document uses.
        let names = [
            "paths",
            "components",
            "schemas",
            "parameters",
            "responses",
            "get",
            "put",
            "properties",
            "required",
            "in",
            "name",
            "type",
            "id",
            "schema",
            "items",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut below = |n: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
        };
        let mut selected = 0;
        for _ in 0..2000 {
            let mut query = String::from("$");
            for _ in 0..1 + below(5) {
                let name = names[below(names.len())];
                let int = |n: usize| n as i64 - 3;
                let segment = match below(9) {
                    0 => format!(".{name}"),
                    1 => ".*".to_owned(),
                    2 => format!("..{name}"),
                    3 => format!("[{}]", int(below(7))),
                    4 => format!("[{}:{}]", int(below(7)), int(below(7))),
                    5 => format!("[::{}]", int(below(7))),
                    6 => format!("[?@.{name}]"),
                    7 => format!("[?@.{name} == '{}']", names[below(names.len())]),
                    _ => format!("['{name}', *]"),
                };
                query.push_str(&segment);
            }
            selected += check(&query);
        }
        assert!(selected > 0);
    }
}
