//! `--only`: keep the operations a consumer uses, and only the types they
//! reach, so that a few operations of a large API compile in a fraction of
//! the time. Type names do not change with the selection: they were decided
//! for the whole document.

use std::collections::BTreeMap;

use crate::ir::{Api, Operation, TypeId, TypeKind};

/// Keeps the operations that `names` select (by Rust method name,
/// `operationId` or tag), and the types they reach. A name that selects
/// nothing is an error, as a typo would otherwise go unnoticed.
pub fn select(api: &mut Api, names: &[String]) -> Result<(), String> {
    let selects = |op: &Operation, name: &str| {
        op.rust_name.trim_start_matches("r#") == name
            || op.operation_id.as_deref() == Some(name)
            || op.tags.iter().any(|t| t == name)
    };
    let unknown: Vec<&str> = names
        .iter()
        .filter(|name| !api.operations.iter().any(|op| selects(op, name)))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "--only: no operation or tag is named {}",
            unknown
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    api.operations
        .retain(|op| names.iter().any(|name| selects(op, name)));

    let reached = api.reached(api.operations.iter().flat_map(|op| op.tys()));

    // Compact the arena, in the same order, and renumber every reference.
    let renumber: BTreeMap<TypeId, TypeId> = reached
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, TypeId(new)))
        .collect();
    let types = std::mem::take(&mut api.types);
    api.types = types
        .into_iter()
        .enumerate()
        .filter(|(i, _)| reached.contains(&TypeId(*i)))
        .map(|(_, def)| def)
        .collect();
    let mut map = |id: &mut TypeId| *id = renumber[id];
    for def in &mut api.types {
        def.kind.tys_mut().for_each(|ty| ty.named_mut(&mut map));
        if let TypeKind::Struct(s) = &mut def.kind {
            for link in s.envelope.iter_mut().flat_map(|e| &mut e.links) {
                map(&mut link.owner);
            }
        }
    }
    for op in &mut api.operations {
        op.tys_mut().for_each(|ty| ty.named_mut(&mut map));
    }
    api.examples
        .retain(|case| case.ty.named().all(|id| reached.contains(&id)));
    for case in &mut api.examples {
        case.ty.named_mut(&mut map);
    }
    Ok(())
}
