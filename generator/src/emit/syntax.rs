//! Syntax trees built directly, for the code that repeats once per field or
//! enum value: the bodies of a struct's `Serialize` and `FromMap` impls and
//! of a string enum's `as_str` and `FromStr`. Everything else is written with
//! `quote!` and parsed. Those bodies were three fifths of all the generator's
//! work for Stripe's document: as tokens, every name is allocated three times
//! over, and every keyword the parser peeks for copies one. The output is
//! the same either way: prettyplease prints the trees.
//!
//! Each constructor's doc shows the Rust it stands for (tested below).

use proc_macro2::{Ident, Span};
use syn::punctuated::Punctuated;
use syn::{
    Arm, Expr, ExprLit, ExprPath, FieldValue, Lit, LitStr, Member, Pat, PatIdent, Path,
    PathSegment, Stmt, Token, Type,
};

/// `a::b::c`
pub(crate) fn path(segments: &[&Ident]) -> Expr {
    Expr::Path(expr_path(segments))
}

fn expr_path(segments: &[&Ident]) -> ExprPath {
    ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: plain_path(segments),
    }
}

fn plain_path(segments: &[&Ident]) -> Path {
    Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|segment| PathSegment::from((*segment).clone()))
            .collect(),
    }
}

/// `"text"`
pub(crate) fn string(text: &str) -> Expr {
    Expr::Lit(string_literal(text))
}

/// `"text"` as a pattern.
pub(crate) fn string_pattern(text: &str) -> Pat {
    Pat::Lit(string_literal(text))
}

fn string_literal(text: &str) -> ExprLit {
    ExprLit {
        attrs: Vec::new(),
        lit: Lit::Str(LitStr::new(text, Span::call_site())),
    }
}

/// `Self::Variant` as a pattern.
pub(crate) fn variant_pattern(self_: &Ident, variant: &Ident) -> Pat {
    Pat::Path(expr_path(&[self_, variant]))
}

/// `_`
pub(crate) fn wildcard() -> Pat {
    Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: Default::default(),
    })
}

/// `name`, binding by value, as a pattern.
pub(crate) fn binding(name: &Ident) -> Pat {
    Pat::Ident(PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: name.clone(),
        subpat: None,
    })
}

/// `function(args)`, or `Variant(args)` for a tuple variant.
pub(crate) fn call(function: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(function),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `Variant(patterns)` as a pattern (`Some(x)`, `Self::Other(value)`).
pub(crate) fn variant_of(variant: &[&Ident], patterns: impl IntoIterator<Item = Pat>) -> Pat {
    Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: plain_path(variant),
        paren_token: Default::default(),
        elems: patterns.into_iter().collect(),
    })
}

/// `receiver.method(args)`
pub(crate) fn method_call(
    receiver: Expr,
    method: &Ident,
    args: impl IntoIterator<Item = Expr>,
) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: method.clone(),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `&expr`, or `&mut expr`.
pub(crate) fn reference(expr: Expr, mutable: bool) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: mutable.then(Default::default),
        expr: Box::new(expr),
    })
}

/// `base.field`
pub(crate) fn field(base: Expr, field: &Ident) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: Member::Named(field.clone()),
    })
}

/// `(a, b, ..)`
pub(crate) fn tuple(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: trailing_comma_if_one(elems.into_iter().collect()),
    })
}

/// `(a, b, ..)` as a pattern.
pub(crate) fn tuple_pattern(elems: impl IntoIterator<Item = Pat>) -> Pat {
    Pat::Tuple(syn::PatTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: trailing_comma_if_one(elems.into_iter().collect()),
    })
}

/// A one-element tuple needs its comma: `(a,)`.
fn trailing_comma_if_one<T>(mut elems: Punctuated<T, Token![,]>) -> Punctuated<T, Token![,]> {
    if elems.len() == 1 {
        elems.push_punct(Default::default());
    }
    elems
}

/// `[a, b, ..]`
pub(crate) fn array(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `expr?`
pub(crate) fn question_mark(expr: Expr) -> Expr {
    Expr::Try(syn::ExprTry {
        attrs: Vec::new(),
        expr: Box::new(expr),
        question_token: Default::default(),
    })
}

/// `match scrutinee { arms }`
pub(crate) fn match_expr(scrutinee: Expr, arms: Vec<Arm>) -> Expr {
    Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: Default::default(),
        expr: Box::new(scrutinee),
        brace_token: Default::default(),
        arms,
    })
}

/// `pattern => body,`
pub(crate) fn arm(pattern: Pat, body: Expr) -> Arm {
    Arm {
        attrs: Vec::new(),
        pat: pattern,
        guard: None,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// `while let pattern = value { body }`
pub(crate) fn while_let(pattern: Pat, value: Expr, body: Vec<Stmt>) -> Expr {
    Expr::While(syn::ExprWhile {
        attrs: Vec::new(),
        label: None,
        while_token: Default::default(),
        cond: Box::new(Expr::Let(syn::ExprLet {
            attrs: Vec::new(),
            let_token: Default::default(),
            pat: Box::new(pattern),
            eq_token: Default::default(),
            expr: Box::new(value),
        })),
        body: syn::Block {
            brace_token: Default::default(),
            stmts: body,
        },
    })
}

/// `Path { field, field: value, .. }`: a field whose value is the local of
/// its own name is written shorthand.
pub(crate) fn struct_literal(
    path: &Ident,
    fields: impl IntoIterator<Item = (Ident, Ident)>,
) -> Expr {
    let fields = fields.into_iter().map(|(field, value)| FieldValue {
        attrs: Vec::new(),
        colon_token: (field != value).then(Default::default),
        member: Member::Named(field),
        expr: self::path(&[&value]),
    });
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: plain_path(&[path]),
        brace_token: Default::default(),
        fields: fields.collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `Name` as a type.
pub(crate) fn type_path(name: &Ident) -> Type {
    Type::Path(syn::TypePath {
        qself: None,
        path: plain_path(&[name]),
    })
}

/// `path!(argument);` as an item.
pub(crate) fn macro_item(path: &[&Ident], argument: &Ident) -> syn::Item {
    syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: plain_path(path),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: quote::ToTokens::to_token_stream(argument),
        },
        semi_token: Some(Default::default()),
    })
}

/// `Generic<ty>`, for a path `Generic` without arguments.
pub(crate) fn generic(mut generic: Path, ty: Type) -> Type {
    if let Some(last) = generic.segments.last_mut() {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: [syn::GenericArgument::Type(ty)].into_iter().collect(),
            gt_token: Default::default(),
        });
    }
    Type::Path(syn::TypePath {
        qself: None,
        path: generic,
    })
}

/// `expr;`
pub(crate) fn statement(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(Default::default()))
}

/// `expr` at the end of a block: its value.
pub(crate) fn tail(expr: Expr) -> Stmt {
    Stmt::Expr(expr, None)
}

/// `let mut name: ty = value;`, or `let mut name = value;` without a type.
pub(crate) fn let_mut(name: &Ident, ty: Option<Type>, value: Expr) -> Stmt {
    let binding = Pat::Ident(PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: Some(Default::default()),
        ident: name.clone(),
        subpat: None,
    });
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        pat: match ty {
            Some(ty) => Pat::Type(syn::PatType {
                attrs: Vec::new(),
                pat: Box::new(binding),
                colon_token: Default::default(),
                ty: Box::new(ty),
            }),
            None => binding,
        },
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(value),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::ident;
    use quote::{ToTokens, quote};

    #[test]
    fn constructors_build_what_their_docs_say() {
        let [a, b, map, some, ty] = ["a", "b", "map", "Some", "T"].map(ident);
        let option: Path = syn::parse2(quote!(Option)).unwrap();
        let put = method_call(path(&[&map]), &ident("put"), [reference(path(&[&a]), true)]);
        let cases = [
            (path(&[&a, &b]).to_token_stream(), quote!(a::b)),
            (string("x\"y").to_token_stream(), quote!("x\"y")),
            (string_pattern("x").to_token_stream(), quote!("x")),
            (variant_pattern(&a, &b).to_token_stream(), quote!(a::b)),
            (wildcard().to_token_stream(), quote!(_)),
            (binding(&a).to_token_stream(), quote!(a)),
            (
                call(path(&[&a]), [path(&[&b])]).to_token_stream(),
                quote!(a(b)),
            ),
            (
                variant_of(&[&some], [binding(&a)]).to_token_stream(),
                quote!(Some(a)),
            ),
            (put.to_token_stream(), quote!(map.put(&mut a))),
            (
                reference(field(path(&[&a]), &b), false).to_token_stream(),
                quote!(&a.b),
            ),
            (tuple([path(&[&a])]).to_token_stream(), quote!((a,))),
            (
                tuple_pattern([binding(&a), binding(&b)]).to_token_stream(),
                quote!((a, b)),
            ),
            (array([path(&[&a])]).to_token_stream(), quote!([a])),
            (question_mark(path(&[&a])).to_token_stream(), quote!(a?)),
            (
                match_expr(path(&[&a]), vec![arm(wildcard(), path(&[&b]))]).to_token_stream(),
                quote!(match a {
                    _ => b,
                }),
            ),
            (
                while_let(
                    variant_of(&[&some], [binding(&a)]),
                    path(&[&b]),
                    vec![statement(path(&[&a]))],
                )
                .to_token_stream(),
                quote!(while let Some(a) = b {
                    a;
                }),
            ),
            (
                struct_literal(&ty, [(a.clone(), a.clone()), (b.clone(), a.clone())])
                    .to_token_stream(),
                quote!(T { a, b: a }),
            ),
            (tail(path(&[&a])).to_token_stream(), quote!(a)),
            (
                let_mut(&a, Some(generic(option, type_path(&ty))), path(&[&b])).to_token_stream(),
                quote!(let mut a: Option<T> = b;),
            ),
            (
                let_mut(&a, None, path(&[&b])).to_token_stream(),
                quote!(let mut a = b;),
            ),
            (
                macro_item(&[&a, &b], &ty).to_token_stream(),
                quote!(a::b!(T);),
            ),
        ];
        for (built, written) in cases {
            assert_eq!(built.to_string(), written.to_string());
        }
    }
}
