//! `--only`: keep the operations a consumer uses, and only the types they
//! reach, so that a few operations of a large API compile in a fraction of
//! the time. Type names do not change with the selection: they were decided
//! for the whole document.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Operation, Outcome, Ty, TypeDef, TypeId, TypeKind};

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

    let mut reached = BTreeSet::new();
    let mut stack: Vec<TypeId> = Vec::new();
    for op in &api.operations {
        for_each_ty_of_operation(op, &mut |ty| named(ty, &mut stack));
    }
    while let Some(id) = stack.pop() {
        if reached.insert(id) {
            for_each_ty_of_type(&api.types[id.0], &mut |ty| named(ty, &mut stack));
        }
    }

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
    let map = |id: &mut TypeId| *id = renumber[id];
    for def in &mut api.types {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    renumber_ty(&mut field.ty, &map);
                }
                if let Some((_, ty)) = &mut s.additional {
                    renumber_ty(ty, &map);
                }
                if let Some(envelope) = &mut s.envelope {
                    for link in &mut envelope.links {
                        map(&mut link.owner);
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    renumber_ty(&mut variant.ty, &map);
                }
            }
            TypeKind::Alias(ty) => renumber_ty(ty, &map),
            TypeKind::Enum(_) | TypeKind::Pending => {}
        }
    }
    for op in &mut api.operations {
        for_each_ty_of_operation_mut(op, &mut |ty| renumber_ty(ty, &map));
    }
    api.examples.retain(|case| {
        let mut kept = true;
        visit(&case.ty, &mut |id| kept &= reached.contains(&id));
        kept
    });
    for case in &mut api.examples {
        renumber_ty(&mut case.ty, &map);
    }
    Ok(())
}

fn named(ty: &Ty, stack: &mut Vec<TypeId>) {
    visit(ty, &mut |id| stack.push(id));
}

fn visit(ty: &Ty, f: &mut dyn FnMut(TypeId)) {
    match ty {
        Ty::Named(id) => f(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => visit(inner, f),
        Ty::Tuple(items) => items.iter().for_each(|t| visit(t, f)),
        _ => {}
    }
}

fn renumber_ty(ty: &mut Ty, map: &dyn Fn(&mut TypeId)) {
    match ty {
        Ty::Named(id) => map(id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => renumber_ty(inner, map),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| renumber_ty(t, map)),
        _ => {}
    }
}

fn for_each_ty_of_type(def: &TypeDef, f: &mut dyn FnMut(&Ty)) {
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|field| f(&field.ty));
            if let Some((_, ty)) = &s.additional {
                f(ty);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Alias(ty) => f(ty),
        TypeKind::Enum(_) | TypeKind::Pending => {}
    }
}

fn for_each_ty_of_operation(op: &Operation, f: &mut dyn FnMut(&Ty)) {
    op.path_params
        .iter()
        .chain(&op.params)
        .for_each(|p| f(&p.ty));
    if let Some(body) = &op.body {
        f(&body.ty);
    }
    op.responses
        .iter()
        .filter_map(|r| r.ty.as_ref())
        .for_each(&mut *f);
    for outcome in [&op.success, &op.error] {
        if let Outcome::Single(Some(ty)) = outcome {
            f(ty);
        }
    }
    if let Some(items) = op.paging.as_ref().and_then(|p| p.items.as_ref()) {
        f(&items.ty);
    }
}

fn for_each_ty_of_operation_mut(op: &mut Operation, f: &mut dyn FnMut(&mut Ty)) {
    op.path_params
        .iter_mut()
        .chain(&mut op.params)
        .for_each(|p| f(&mut p.ty));
    if let Some(body) = &mut op.body {
        f(&mut body.ty);
    }
    op.responses
        .iter_mut()
        .filter_map(|r| r.ty.as_mut())
        .for_each(&mut *f);
    for outcome in [&mut op.success, &mut op.error] {
        if let Outcome::Single(Some(ty)) = outcome {
            f(ty);
        }
    }
    if let Some(items) = op.paging.as_mut().and_then(|p| p.items.as_mut()) {
        f(&mut items.ty);
    }
}
