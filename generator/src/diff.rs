//! Two versions of a spec compared as the Rust API generated from them:
//! which operations, types, fields, parameters and variants were added,
//! removed or changed, and whether each change breaks code that uses the
//! generated crate.
//!
//! What breaks follows Rust's rules for the generated code: a removed or
//! renamed item, a changed type, a field or parameter that became required,
//! and a variant added to an untagged union (exhaustive `match`es stop
//! compiling). Adding an optional field or parameter is an addition: the
//! structs that gain them implement `Default`, so code written with
//! `..Default::default()` keeps compiling. So is a new value of a string
//! enum, or a new variant of a union told apart by a tag: those carry a
//! variant for what this version does not know and are `#[non_exhaustive]`,
//! so every `match` on them already has a `_` arm (as the AWS SDK for Rust
//! does with its enums).

use std::collections::BTreeMap;
use std::fmt;

use crate::ir::{Api, Location, Operation, Outcome, Ty, TypeDef, TypeKind};

/// How a change affects users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Existing code may stop compiling or behave differently.
    Breaking,
    /// New API; existing code keeps compiling.
    Addition,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
/// One difference between the two APIs.
pub struct Change {
    /// Whether it breaks users.
    pub impact: Impact,
    /// The item changed: `operation get_users`, `type User`.
    pub item: String,
    /// The item and what happened to it.
    pub what: String,
}

/// Every change, breaking ones first, each group sorted by item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every change, breaking ones first.
    pub changes: Vec<Change>,
}

/// The version bump a report calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Additions only.
    Minor,
    /// Something breaks.
    Major,
}

impl Bump {
    /// `none`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl Report {
    /// Whether any change breaks users.
    pub fn breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }

    /// The version bump the changes call for.
    pub fn bump(&self) -> Bump {
        if self.breaking() {
            Bump::Major
        } else if self.changes.is_empty() {
            Bump::None
        } else {
            Bump::Minor
        }
    }

    /// The report as JSON, for tools.
    pub fn to_json(&self) -> serde_json::Value {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "impact": match c.impact {
                        Impact::Breaking => "breaking",
                        Impact::Addition => "addition",
                    },
                    "item": c.item,
                    "change": c.what,
                })
            })
            .collect();
        serde_json::json!({
            "bump": self.bump().as_str(),
            "breaking": self.breaking(),
            "changes": changes,
        })
    }
}

/// Markdown, to paste into a pull request.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bump = self.bump();
        match bump {
            Bump::None => return writeln!(f, "No change to the generated API."),
            Bump::Major => writeln!(f, "Suggested version bump: **major** (breaking changes)")?,
            Bump::Minor => writeln!(f, "Suggested version bump: **minor** (additions only)")?,
        }
        for (impact, heading) in [
            (Impact::Breaking, "Breaking changes"),
            (Impact::Addition, "Additions"),
        ] {
            let changes: Vec<&Change> =
                self.changes.iter().filter(|c| c.impact == impact).collect();
            if changes.is_empty() {
                continue;
            }
            writeln!(f, "\n### {heading} ({})\n", changes.len())?;
            for change in changes {
                writeln!(f, "- `{}`: {}", change.item, change.what)?;
            }
        }
        Ok(())
    }
}

/// Compares the APIs generated from two versions of a spec.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut changes = Vec::new();
    let mut add = |impact, item: String, what: String| changes.push(Change { impact, item, what });

    let old_ops = operations(old);
    let new_ops = operations(new);
    for (name, op) in &old_ops {
        let item = format!("operation {name}");
        match new_ops.get(name) {
            None => add(
                Impact::Breaking,
                item,
                format!("removed (`{} {}`)", op.method, op.path_template),
            ),
            Some(new_op) => {
                for (impact, what) in operation_changes(old, op, new, new_op) {
                    add(impact, item.clone(), what);
                }
            }
        }
    }
    for (name, op) in &new_ops {
        if !old_ops.contains_key(name) {
            add(
                Impact::Addition,
                format!("operation {name}"),
                format!("added (`{} {}`)", op.method, op.path_template),
            );
        }
    }

    let old_types = types(old);
    let new_types = types(new);
    for (name, def) in &old_types {
        let item = format!("type {name}");
        match new_types.get(name) {
            None => add(Impact::Breaking, item, "removed".into()),
            Some(new_def) => {
                for (impact, what) in type_changes(old, def, new, new_def) {
                    add(impact, item.clone(), what);
                }
            }
        }
    }
    for name in new_types.keys() {
        if !old_types.contains_key(name) {
            add(Impact::Addition, format!("type {name}"), "added".into());
        }
    }
    changes.sort();
    changes.dedup();
    Report { changes }
}

fn operations(api: &Api) -> BTreeMap<&str, &Operation> {
    api.operations
        .iter()
        .map(|op| (op.rust_name.trim_start_matches("r#"), op))
        .collect()
}

fn types(api: &Api) -> BTreeMap<&str, &TypeDef> {
    api.types.iter().map(|t| (t.name.as_str(), t)).collect()
}

/// A type as the generated code writes it.
fn show(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::U32 => "u32".into(),
        Ty::U64 => "u64".into(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::String => "String".into(),
        Ty::DateTime => "DateTime<FixedOffset>".into(),
        Ty::Date => "NaiveDate".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::Bytes => "Vec<u8>".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::Named(id) => api.ty(*id).name.clone(),
        Ty::Vec(inner) => format!("Vec<{}>", show(api, inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", show(api, inner)),
        Ty::Option(inner) => format!("Option<{}>", show(api, inner)),
        Ty::Tuple(items) => format!(
            "({})",
            items
                .iter()
                .map(|t| show(api, t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn outcome(api: &Api, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Single(Some(ty)) => show(api, ty),
        Outcome::Single(None) => "()".into(),
        Outcome::Enum { name, .. } => name.clone(),
    }
}

fn operation_changes(old: &Api, a: &Operation, new: &Api, b: &Operation) -> Vec<(Impact, String)> {
    let mut out = Vec::new();
    if (a.method.as_str(), a.path_template.as_str())
        != (b.method.as_str(), b.path_template.as_str())
    {
        out.push((
            Impact::Breaking,
            format!(
                "now `{} {}` (was `{} {}`)",
                b.method, b.path_template, a.method, a.path_template
            ),
        ));
    }
    let path_args = |api: &Api, op: &Operation| -> Vec<String> {
        op.path_params
            .iter()
            .map(|p| format!("{}: {}", p.rust.trim_start_matches("r#"), show(api, &p.ty)))
            .collect()
    };
    let (args_a, args_b) = (path_args(old, a), path_args(new, b));
    if args_a != args_b {
        out.push((
            Impact::Breaking,
            format!(
                "path arguments are now ({}) (were ({}))",
                args_b.join(", "),
                args_a.join(", ")
            ),
        ));
    }
    let body = |api: &Api, op: &Operation| {
        op.body.as_ref().map(|body| {
            let ty = show(api, &body.ty);
            if body.required {
                ty
            } else {
                format!("Option<{ty}>")
            }
        })
    };
    match (body(old, a), body(new, b)) {
        (x, y) if x == y => {}
        (None, Some(y)) => out.push((Impact::Breaking, format!("takes a body now: `{y}`"))),
        (Some(x), None) => out.push((Impact::Breaking, format!("takes no body now (was `{x}`)"))),
        (Some(x), Some(y)) => out.push((Impact::Breaking, format!("body is `{y}` (was `{x}`)"))),
        (None, None) => {}
    }
    let params = |api: &Api, op: &Operation| -> BTreeMap<String, (String, bool, Location)> {
        op.params
            .iter()
            .map(|p| {
                (
                    p.rust.trim_start_matches("r#").to_owned(),
                    (show(api, &p.ty), p.required, p.location),
                )
            })
            .collect()
    };
    let (pa, pb) = (params(old, a), params(new, b));
    for (name, (ty, required, _)) in &pa {
        match pb.get(name) {
            None => out.push((Impact::Breaking, format!("parameter `{name}` removed"))),
            Some((new_ty, new_required, _)) => {
                if new_ty != ty {
                    out.push((
                        Impact::Breaking,
                        format!("parameter `{name}` is `{new_ty}` (was `{ty}`)"),
                    ));
                }
                if *new_required && !required {
                    out.push((
                        Impact::Breaking,
                        format!("parameter `{name}` became required"),
                    ));
                } else if !new_required && *required {
                    out.push((
                        Impact::Breaking,
                        format!("parameter `{name}` became optional"),
                    ));
                }
            }
        }
    }
    for (name, (ty, required, location)) in &pb {
        if pa.contains_key(name) {
            continue;
        }
        let location = match location {
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Path => "path",
        };
        if *required {
            out.push((
                Impact::Breaking,
                format!("required {location} parameter `{name}: {ty}` added"),
            ));
        } else {
            out.push((
                Impact::Addition,
                format!("optional {location} parameter `{name}: {ty}` added"),
            ));
        }
    }
    let (sa, sb) = (outcome(old, &a.success), outcome(new, &b.success));
    if sa != sb {
        out.push((Impact::Breaking, format!("answers `{sb}` (was `{sa}`)")));
    }
    let (ea, eb) = (outcome(old, &a.error), outcome(new, &b.error));
    if ea != eb {
        out.push((Impact::Breaking, format!("errors are `{eb}` (was `{ea}`)")));
    }
    let statuses = |op: &Operation| -> Vec<String> {
        op.responses
            .iter()
            .map(|r| format!("{:?}", r.status))
            .collect()
    };
    let (status_a, status_b) = (statuses(a), statuses(b));
    for status in &status_b {
        if !status_a.contains(status) {
            out.push((
                Impact::Addition,
                format!("documents status {}", status_name(status)),
            ));
        }
    }
    for status in &status_a {
        if !status_b.contains(status) {
            out.push((
                Impact::Breaking,
                format!(
                    "no longer documents status {} (it becomes an unexpected status)",
                    status_name(status)
                ),
            ));
        }
    }
    if a.paging.is_some() != b.paging.is_some() {
        let impact = if b.paging.is_some() {
            Impact::Addition
        } else {
            Impact::Breaking
        };
        let what = if b.paging.is_some() {
            "gained paging methods"
        } else {
            "lost its paging methods"
        };
        out.push((impact, what.into()));
    }
    if !a.deprecated && b.deprecated {
        out.push((Impact::Addition, "deprecated".into()));
    }
    out
}

/// `Exact(200)` -> `200`, `Range(4)` -> `4XX`, `Default` -> `default`.
fn status_name(debug: &str) -> String {
    if let Some(code) = debug
        .strip_prefix("Exact(")
        .and_then(|s| s.strip_suffix(')'))
    {
        return code.to_owned();
    }
    if let Some(class) = debug
        .strip_prefix("Range(")
        .and_then(|s| s.strip_suffix(')'))
    {
        return format!("{class}XX");
    }
    debug.to_ascii_lowercase()
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Pending => "pending",
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum",
        TypeKind::Union(_) => "a union",
        TypeKind::Alias(_) => "an alias",
    }
}

fn type_changes(old: &Api, a: &TypeDef, new: &Api, b: &TypeDef) -> Vec<(Impact, String)> {
    let mut out = Vec::new();
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => {
            let fields = |api: &Api, s: &crate::ir::Struct| -> BTreeMap<String, (String, bool)> {
                s.fields
                    .iter()
                    .map(|f| {
                        (
                            f.rust.trim_start_matches("r#").to_owned(),
                            (show(api, &f.rust_ty()), f.required),
                        )
                    })
                    .collect()
            };
            let (fa, fb) = (fields(old, x), fields(new, y));
            for (name, (ty, required)) in &fa {
                match fb.get(name) {
                    None => out.push((Impact::Breaking, format!("field `{name}` removed"))),
                    Some((new_ty, new_required)) => {
                        if new_ty != ty {
                            let why = match (required, new_required) {
                                (false, true) => " (became required)",
                                (true, false) => " (became optional)",
                                _ if new_ty.starts_with("Option<")
                                    && !ty.starts_with("Option<") =>
                                {
                                    " (became nullable)"
                                }
                                _ => "",
                            };
                            out.push((
                                Impact::Breaking,
                                format!("field `{name}` is `{new_ty}` (was `{ty}`){why}"),
                            ));
                        } else if new_required != required {
                            // Same Rust type (a nullable field): only what is sent changes.
                            let what = if *new_required {
                                "became required"
                            } else {
                                "became optional"
                            };
                            out.push((Impact::Breaking, format!("field `{name}` {what}")));
                        }
                    }
                }
            }
            for (name, (ty, required)) in &fb {
                if fa.contains_key(name) {
                    continue;
                }
                if *required {
                    out.push((
                        Impact::Breaking,
                        format!("required field `{name}: {ty}` added"),
                    ));
                } else {
                    out.push((
                        Impact::Addition,
                        format!("optional field `{name}: {ty}` added"),
                    ));
                }
            }
        }
        (TypeKind::Enum(x), TypeKind::Enum(y)) => {
            let variants = |e: &crate::ir::Enum| -> Vec<String> {
                e.variants.iter().map(|v| v.wire.clone()).collect()
            };
            let (va, vb) = (variants(x), variants(y));
            for v in &va {
                if !vb.contains(v) {
                    out.push((Impact::Breaking, format!("value `{v}` removed")));
                }
            }
            for v in &vb {
                if !va.contains(v) {
                    out.push((Impact::Addition, format!("value `{v}` added")));
                }
            }
        }
        (TypeKind::Union(x), TypeKind::Union(y)) => {
            let variants = |api: &Api, u: &crate::ir::Union| -> Vec<String> {
                u.variants
                    .iter()
                    .map(|v| format!("{}({})", v.rust.trim_start_matches("r#"), show(api, &v.ty)))
                    .collect()
            };
            let (va, vb) = (variants(old, x), variants(new, y));
            for v in &va {
                if !vb.contains(v) {
                    out.push((Impact::Breaking, format!("variant `{v}` removed")));
                }
            }
            // A union with a tag has a catch-all and is `#[non_exhaustive]`.
            let impact = match y.tag {
                Some(_) => Impact::Addition,
                None => Impact::Breaking,
            };
            for v in &vb {
                if !va.contains(v) {
                    out.push((impact, format!("variant `{v}` added")));
                }
            }
        }
        (TypeKind::Alias(x), TypeKind::Alias(y)) => {
            let (ta, tb) = (show(old, &x.ty), show(new, &y.ty));
            if ta != tb {
                out.push((Impact::Breaking, format!("is `{tb}` (was `{ta}`)")));
            }
        }
        (x, y) => {
            out.push((
                Impact::Breaking,
                format!("is {} (was {})", kind_name(y), kind_name(x)),
            ));
        }
    }
    out
}
