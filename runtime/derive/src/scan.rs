//! Reading a derive's input without building a syntax tree: the items oxgen
//! generates have a known shape, and a derive runs once per type of an API
//! with thousands of them, so only what the derives need is looked at.

use proc_macro2::{Delimiter, Group, Ident, Literal, Span, TokenStream, TokenTree};

/// A problem with the input, reported where it is.
pub(crate) struct Error {
    pub(crate) span: Span,
    pub(crate) message: String,
}

pub(crate) type Result<T> = std::result::Result<T, Error>;

fn error<T>(span: Span, message: impl Into<String>) -> Result<T> {
    Err(Error {
        span,
        message: message.into(),
    })
}

/// The item: its `#[oxgen(..)]` attributes, `struct` or `enum`, its name
/// and its braced body.
pub(crate) struct Item {
    pub(crate) attributes: Attributes,
    pub(crate) keyword: String,
    pub(crate) name: Ident,
    pub(crate) body: Group,
}

/// `#[..]*`, a visibility, `struct`/`enum`, the name and a `{ .. }` body.
pub(crate) fn item(input: TokenStream) -> Result<Item> {
    let mut tokens = input.into_iter();
    let mut keyword = None;
    let mut attributes = Attributes::default();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(attr)) = tokens.next() {
                    read_attribute(&attr, &mut attributes)?;
                }
            }
            TokenTree::Ident(ident) if ident == "struct" || ident == "enum" => {
                keyword = Some(ident.to_string());
                break;
            }
            _ => {}
        }
    }
    let Some(keyword) = keyword else {
        return error(Span::call_site(), "expected a struct or an enum");
    };
    let Some(TokenTree::Ident(name)) = tokens.next() else {
        return error(Span::call_site(), "expected the type's name");
    };
    match tokens.next() {
        Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => Ok(Item {
            attributes,
            keyword,
            name,
            body,
        }),
        Some(other) => error(
            other.span(),
            "expected `{`: named fields or variants, no generic parameters",
        ),
        None => error(name.span(), "expected named fields or variants"),
    }
}

/// What `#[oxgen(..)]` attributes say: names alone (`flatten`) and
/// `rename = ".."`.
#[derive(Default)]
pub(crate) struct Attributes {
    pub(crate) rename: Option<Literal>,
    pub(crate) flags: Vec<Ident>,
}

impl Attributes {
    pub(crate) fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

/// One field or variant: its attributes, its name, and what follows the
/// name up to the next top-level comma (`: Type` for a field, `(String)` for
/// a variant).
pub(crate) struct Member {
    pub(crate) attributes: Attributes,
    pub(crate) name: Ident,
    pub(crate) rest: Vec<TokenTree>,
}

/// The members of a braced body.
pub(crate) fn members(body: &Group) -> Result<Vec<Member>> {
    let mut members = Vec::new();
    let mut tokens = body.stream().into_iter().peekable();
    while tokens.peek().is_some() {
        let mut attributes = Attributes::default();
        let mut name = None;
        while let Some(token) = tokens.next() {
            match token {
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    if let Some(TokenTree::Group(attr)) = tokens.next() {
                        read_attribute(&attr, &mut attributes)?;
                    }
                }
                TokenTree::Ident(ident) if ident == "pub" => {
                    // `pub(crate)` and the like.
                    if matches!(tokens.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
                    {
                        tokens.next();
                    }
                }
                TokenTree::Ident(ident) => {
                    name = Some(ident);
                    break;
                }
                other => return error(other.span(), "expected a field or a variant"),
            }
        }
        let Some(name) = name else { break };
        let mut rest = Vec::new();
        let mut depth = 0usize;
        let mut previous = None;
        for token in tokens.by_ref() {
            if let TokenTree::Punct(p) = &token {
                match p.as_char() {
                    ',' if depth == 0 => break,
                    '<' => depth += 1,
                    // `->` closes nothing.
                    '>' if previous != Some('-') => depth = depth.saturating_sub(1),
                    _ => {}
                }
                previous = Some(p.as_char());
            } else {
                previous = None;
            }
            rest.push(token);
        }
        members.push(Member {
            attributes,
            name,
            rest,
        });
    }
    Ok(members)
}

/// Reads `[oxgen(..)]` into `attributes`; other attributes (docs) are skipped.
fn read_attribute(attr: &Group, attributes: &mut Attributes) -> Result<()> {
    let mut tokens = attr.stream().into_iter();
    match tokens.next() {
        Some(TokenTree::Ident(ident)) if ident == "oxgen" => {}
        _ => return Ok(()),
    }
    let Some(TokenTree::Group(list)) = tokens.next() else {
        return error(attr.span(), "expected `oxgen(..)`");
    };
    let mut items = list.stream().into_iter().peekable();
    while let Some(token) = items.next() {
        let TokenTree::Ident(key) = token else {
            return error(token.span(), "expected `rename = \"..\"` or a name");
        };
        if matches!(items.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '=') {
            items.next();
            match (key.to_string().as_str(), items.next()) {
                ("rename", Some(TokenTree::Literal(value)))
                    if value.to_string().starts_with('"') =>
                {
                    attributes.rename = Some(value);
                }
                _ => return error(key.span(), "expected `rename = \"..\"`"),
            }
        } else {
            attributes.flags.push(key);
        }
        if let Some(TokenTree::Punct(p)) = items.peek()
            && p.as_char() == ','
        {
            items.next();
        }
    }
    Ok(())
}

/// The type of a field's `: Type`.
pub(crate) fn field_type(member: &Member) -> Result<&[TokenTree]> {
    match member.rest.split_first() {
        Some((TokenTree::Punct(p), ty)) if p.as_char() == ':' && !ty.is_empty() => Ok(ty),
        _ => error(member.name.span(), "expected `name: Type`"),
    }
}

/// `T` when `ty` is `Option<T>`: a path whose last segment is `Option` with
/// one type argument (a spec's own type named `Option` takes none).
pub(crate) fn option_inner(ty: &[TokenTree]) -> Option<&[TokenTree]> {
    let open = ty
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '<'))?;
    if !matches!(open.checked_sub(1).map(|i| &ty[i]), Some(TokenTree::Ident(i)) if i == "Option") {
        return None;
    }
    let inner = &ty[open + 1..];
    let (last, mut inner) = inner.split_last()?;
    if !matches!(last, TokenTree::Punct(p) if p.as_char() == '>') {
        return None;
    }
    // A trailing comma (`Option<LongName,>`, as rustfmt and prettyplease
    // write a type argument they wrap onto its own line) is still one argument.
    if let Some((TokenTree::Punct(p), rest)) = inner.split_last()
        && p.as_char() == ','
    {
        inner = rest;
    }
    if inner.is_empty() {
        return None;
    }
    // One argument: no comma outside nested brackets.
    let mut depth = 0usize;
    for token in inner {
        if let TokenTree::Punct(p) = token {
            match p.as_char() {
                '<' => depth += 1,
                '>' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => return None,
                _ => {}
            }
        }
    }
    Some(inner)
}

/// The text of a string literal (`"a\"b"` is `a"b`): its escapes read as
/// Rust reads them.
pub(crate) fn string_value(literal: &Literal) -> Result<String> {
    let text = literal.to_string();
    let invalid = || error(literal.span(), "expected a string literal");
    let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return invalid();
    };
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        let escaped = match chars.next() {
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('0') => '\0',
            Some(c @ ('\\' | '"' | '\'')) => c,
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(byte) if byte < 0x80 => char::from(byte),
                    _ => return invalid(),
                }
            }
            Some('u') => {
                let digits: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let code = digits
                    .strip_prefix('{')
                    .and_then(|d| u32::from_str_radix(d, 16).ok());
                match code.and_then(char::from_u32) {
                    Some(c) => c,
                    None => return invalid(),
                }
            }
            // A line continuation: the newline and the whitespace after it.
            Some('\n') => {
                let rest = chars.as_str().trim_start();
                chars = rest.chars();
                continue;
            }
            _ => return invalid(),
        };
        value.push(escaped);
    }
    Ok(value)
}
