//! Inputs built to exhaust a generator: each is refused with a clear error or
//! handled within a documented limit (docs/robustness.md), in bounded time and
//! memory.

fn spec(schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

fn errors(text: &str) -> Vec<String> {
    match oxgen::generate("hostile.yaml", text) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

/// YAML aliases that expand exponentially ("billion laughs") are refused by
/// the parser's repetition limit, not expanded.
#[test]
fn alias_bombs_are_refused() {
    let mut schemas =
        "    a: &a {type: string, enum: [lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n"
            .to_owned();
    let mut previous = 'a';
    for name in 'b'..='j' {
        let refs = vec![format!("*{previous}"); 9].join(", ");
        schemas.push_str(&format!("    {name}: &{name} {{allOf: [{refs}]}}\n"));
        previous = name;
    }
    let errors = errors(&spec(&schemas));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("repetition limit exceeded"),
        "{errors:?}"
    );
}

/// Nesting deeper than the parsers' limit (128) is an error with a line.
#[test]
fn deep_nesting_is_refused() {
    let json = format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"A":{}{{}}{}}}}}}}"#,
        r#"{"type":"array","items":"#.repeat(5000),
        "}".repeat(5000)
    );
    let errors = errors(&json);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("hostile.yaml:1:"),
        "{}",
        &errors[0][..80]
    );
    assert!(errors[0].contains("recursion limit exceeded"));
    let yaml = spec(&format!(
        "    A: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    ));
    assert_eq!(self::errors(&yaml).len(), 1);
}

/// A cycle of thousands of `$ref`s: linear time, one alias broken into JSON.
#[test]
fn long_reference_cycles_are_broken_once() {
    let n = 5000;
    let mut schemas: String = (0..n)
        .map(|i| format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1))
        .collect();
    schemas.push_str(&format!("    S{n}: {{$ref: '#/components/schemas/S0'}}\n"));
    let generated = oxgen::generate("hostile.yaml", &spec(&schemas)).unwrap();
    assert_eq!(generated.summary.fallbacks, ["#/components/schemas/S0"]);
    assert_eq!(generated.summary.warnings.len(), 1);
}

/// A ring of thousands of structs, each holding the next: every link is boxed.
#[test]
fn long_struct_cycles_are_boxed() {
    let n = 3000;
    let mut schemas: String = (0..n)
        .map(|i| {
            format!(
                "    S{i}: {{type: object, required: [next], properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
                (i + 1) % n
            )
        })
        .collect();
    schemas
        .push_str("    Leaf: {type: object, properties: {s: {$ref: '#/components/schemas/S0'}}}\n");
    let generated = oxgen::generate("hostile.yaml", &spec(&schemas)).unwrap();
    let types = &generated.files["types.rs"];
    assert_eq!(types.matches("pub next: Box<").count(), n);
    // Outside the ring, no box is needed.
    assert!(types.contains("pub s: Option<S0>,"));
}

/// `allOf` chained through more than 64 `$ref`s is refused where it starts,
/// and a flood of problems is cut to the first hundred.
#[test]
fn endless_all_of_chains_are_refused() {
    let n = 2000;
    let mut schemas: String = (0..n)
        .map(|i| {
            format!(
                "    S{i}: {{allOf: [{{$ref: '#/components/schemas/S{}'}}], properties: {{p{i}: {{type: string}}}}}}\n",
                i + 1
            )
        })
        .collect();
    schemas.push_str(&format!("    S{n}: {{type: object}}\n"));
    let errors = errors(&spec(&schemas));
    assert_eq!(errors.len(), 101);
    assert_eq!(
        errors[0],
        "hostile.yaml:106:5: `allOf` merges more than 64 schemas through `$ref`s here; a chain this long is not supported (at #/components/schemas/S100/allOf/0)"
    );
    assert_eq!(
        errors[100],
        format!("hostile.yaml: and {} more like these", n - 64 - 100)
    );
}

/// Twenty thousand enum values: one enum, generated.
#[test]
fn huge_enums_are_generated() {
    let values: String = (0..20_000).map(|i| format!("        - v{i}\n")).collect();
    let generated = oxgen::generate(
        "hostile.yaml",
        &spec(&format!(
            "    E:\n      type: string\n      enum:\n{values}"
        )),
    )
    .unwrap();
    assert!(generated.files["types.rs"].contains("V19999,"));
}
