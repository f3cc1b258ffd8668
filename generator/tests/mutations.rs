//! Spec text is untrusted: thousands of damaged variants of real documents
//! must each give output or a clear error, never a panic and never emitted
//! code that does not parse (reported as an "internal error").

mod support;

use std::fs;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

/// The seeds every run tries: the ones that once found a failure (keep each
/// here once fixed, with the test's name in a comment) and the regression
/// seeds the tests started with.
// 1796165167948573053: a `$ref: '#'` operation made inlining copy the
// document into itself until memory ran out.
const DAMAGED_DOCUMENTS_SEEDS: &[u64] = &[0x9E37_79B9_7F4A_7C15, 1_796_165_167_948_573_053];
const ARBITRARY_BYTES_SEEDS: &[u64] = &[0xD1B5_4A32_D192_ED03];
const DAMAGED_BYTES_SEEDS: &[u64] = &[0x94D0_49BB_1331_11EB];

/// The fixed seeds, then one that differs every run (`OXGEN_FUZZ_SEED`
/// repeats one): fuzzing, not only a regression set. Printed, so a failure
/// names the seed to keep.
fn seeds(test: &str, fixed: &[u64]) -> Vec<u64> {
    let varying = std::env::var("OXGEN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            // Never zero: xorshift would stay there.
            (now.as_nanos() as u64 ^ u64::from(std::process::id())) | 1
        });
    // Straight to stderr, so that it shows whether the test passes or not.
    let _ = writeln!(
        std::io::stderr(),
        "{test}: seeds {} and {varying} (OXGEN_FUZZ_SEED={varying} repeats it)",
        fixed
            .iter()
            .map(|s| format!("{s:#x}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    fixed.iter().copied().chain([varying]).collect()
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every node's path (object keys and array indexes) in a fixed order.
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(key.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(i.to_string());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, segment| match v {
        Value::Object(map) => map.get_mut(segment),
        Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
        _ => None,
    })
}

fn mutate(document: &mut Value, rng: &mut Rng, all: &[Vec<String>]) {
    let path = &all[rng.below(all.len())];
    let replacements = [
        json!(null),
        json!(true),
        json!(-1),
        json!(""),
        json!("type"),
        json!([]),
        json!({}),
        json!({"$ref": "#/components/schemas/Nowhere"}),
        json!({"$ref": "#"}),
        json!({"$ref": "../../etc/passwd#/x"}),
        json!({"type": ["string", "integer", "null"], "enum": [1, "a", null]}),
        json!({"oneOf": [{"$ref": "#/components/schemas/Nowhere"}, {"type": "null"}]}),
        json!({"allOf": [{"type": "string"}, {"type": "object", "properties": {"type": {}}}]}),
        json!({"type": "array", "items": [{"type": "string"}, true, false]}),
        json!({"discriminator": {"propertyName": "x", "mapping": {"a": "#/nope"}}, "oneOf": [{}, {}]}),
    ];
    let choice = rng.below(replacements.len() + 1);
    let Some(target) = node(document, path) else {
        return;
    };
    if choice == replacements.len() {
        // Remove one member of an object, if this is one.
        if let Value::Object(map) = target {
            let keys: Vec<String> = map.keys().cloned().collect();
            if !keys.is_empty() {
                let key = &keys[rng.below(keys.len())];
                map.remove(key);
            }
        }
    } else {
        *target = replacements[choice].clone();
    }
}

#[test]
fn damaged_documents_never_panic() {
    let Some(root) = support::corpus("damaged_documents_never_panic") else {
        return;
    };
    let mut documents: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    documents.extend(
        fs::read_dir(root.join("hey-api"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    documents.extend(
        fs::read_dir(root.join("openapi-generator"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    documents.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/hostile.yaml"));
    documents
        .push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/kantata-openapi31.yaml"));
    documents.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/kantata.swagger.yaml"));
    documents.sort();
    let mut tried = 0;
    // One generated client per document, to compile once all are tried.
    let mut sample: Vec<(String, oxgen::Generated)> = Vec::new();
    for seed in seeds("damaged_documents_never_panic", DAMAGED_DOCUMENTS_SEEDS) {
        for path in &documents {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            // The largest documents take seconds each in a debug build; their
            // constructs also appear in the smaller ones.
            if !matches!(ext, "json" | "yaml") || fs::metadata(path).unwrap().len() > 500_000 {
                continue;
            }
            let text = fs::read_to_string(path).unwrap();
            let original: Value = serde_yaml::from_str(&text).unwrap();
            let mut all = Vec::new();
            paths(&original, &mut Vec::new(), &mut all);
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let mut rng = Rng(seed ^ name.len() as u64);
            for round in 0..60 {
                let mut document = original.clone();
                for _ in 0..=rng.below(3) {
                    mutate(&mut document, &mut rng, &all);
                }
                let damaged = serde_json::to_string(&document).unwrap();
                let outcome = catch_unwind(AssertUnwindSafe(|| oxgen::generate(&name, &damaged)));
                let Ok(result) = outcome else {
                    fs::write(
                        Path::new(env!("CARGO_TARGET_TMPDIR")).join("panicked.json"),
                        &damaged,
                    )
                    .unwrap();
                    panic!(
                        "{name}, seed {seed}, round {round}: the generator panicked (input in target/tmp/panicked.json)"
                    );
                };
                match result {
                    Err(diagnostics) => {
                        assert!(
                            !diagnostics.is_empty(),
                            "{name}, seed {seed}, round {round}"
                        );
                        assert!(
                            diagnostics
                                .iter()
                                .all(|d| !d.message.contains("internal error")),
                            "{name}, seed {seed}, round {round}: {diagnostics}"
                        );
                    }
                    Ok(generated) if !sample.iter().any(|(n, _)| *n == name) => {
                        sample.push((name.clone(), generated));
                    }
                    Ok(_) => {}
                }
                tried += 1;
            }
        }
    }
    assert!(tried > 2000, "tried {tried}");
    compiles(&sample);
}

/// Damaged documents that still generate must give code that compiles:
/// `cargo check` of a crate with one module per document.
fn compiles(sample: &[(String, oxgen::Generated)]) {
    assert!(
        sample.len() > 10,
        "only {} damaged documents generated",
        sample.len()
    );
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("damaged-crate");
    let _ = fs::remove_dir_all(&dir);
    let mut lib = String::new();
    let mut uses = oxgen::Summary::default();
    for (i, (name, generated)) in sample.iter().enumerate() {
        let module = dir.join(format!("src/damaged_{i}"));
        fs::create_dir_all(&module).unwrap();
        for (file, content) in &generated.files {
            let file = if file == "lib.rs" {
                "mod.rs"
            } else {
                file.as_str()
            };
            fs::write(module.join(file), content).unwrap();
        }
        lib.push_str(&format!("/// From {name}.\npub mod damaged_{i};\n"));
        uses.uses_chrono |= generated.summary.uses_chrono;
        uses.uses_uuid |= generated.summary.uses_uuid;
    }
    fs::write(dir.join("src/lib.rs"), lib).unwrap();
    let runtime = workspace.join("runtime");
    let manifest = oxgen::crate_manifest("oxgen-damaged", runtime.to_str(), &uses).unwrap();
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--message-format=short"])
        .current_dir(&dir)
        // The corpus test's target directory and flags: its dependencies are
        // built there.
        .env("CARGO_TARGET_DIR", workspace.join("target/corpus-check"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo check");
    assert!(
        output.status.success(),
        "generated code of damaged documents does not compile ({}):\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// How many inputs each byte-level test tries: a short run by default (CI), a
/// long one with `OXGEN_FUZZ_ITERATIONS=1000000 cargo test --release -p oxgen
/// --test mutations`.
fn iterations(default: usize) -> usize {
    std::env::var("OXGEN_FUZZ_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// Runs the generator on `text`; a panic or an internal error fails the test
/// and leaves the input in target/tmp/`file`.
fn must_not_panic(label: &str, text: &str, file: &str) {
    let outcome = catch_unwind(AssertUnwindSafe(|| oxgen::generate("fuzz.yaml", text)));
    let failed = match &outcome {
        Err(_) => Some("panicked".to_owned()),
        Ok(Err(d)) if d.iter().any(|d| d.message.contains("internal error")) => Some(d.to_string()),
        Ok(_) => None,
    };
    if let Some(why) = failed {
        fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join(file), text).unwrap();
        panic!("{label}: {why} (input in target/tmp/{file})");
    }
}

/// Arbitrary bytes, and bytes that start like a spec.
#[test]
fn arbitrary_bytes_never_panic() {
    for seed in seeds("arbitrary_bytes_never_panic", ARBITRARY_BYTES_SEEDS) {
        let mut rng = Rng(seed);
        let prefixes = [
            "",
            "openapi: 3.1.0\n",
            "swagger: '2.0'\n",
            "{\"openapi\": \"3.0.0\", ",
        ];
        for round in 0..iterations(3000) {
            let len = rng.below(200);
            let mut bytes: Vec<u8> = prefixes[rng.below(prefixes.len())].as_bytes().to_vec();
            bytes.extend((0..len).map(|_| rng.next() as u8));
            let text = String::from_utf8_lossy(&bytes);
            must_not_panic(
                &format!("seed {seed}, round {round}"),
                &text,
                "fuzz-bytes.txt",
            );
        }
    }
}

/// Byte-level damage to real documents: flipped, inserted, deleted and
/// duplicated spans, cut at random points. Unlike the structural mutations
/// above, most of these fail to parse; the point is that they fail cleanly.
#[test]
fn damaged_bytes_never_panic() {
    let Some(root) = support::corpus("damaged_bytes_never_panic") else {
        return;
    };
    let sources: Vec<String> = [
        "oai-petstore.yaml",
        "oai-petstore-expanded.yaml",
        "oai-api-with-examples.yaml",
        "oai-uspto.yaml",
    ]
    .iter()
    .filter_map(|name| fs::read_to_string(root.join(name)).ok())
    .chain([include_str!("specs/hostile.yaml").to_owned()])
    .collect();
    assert_eq!(sources.len(), 5, "corpus documents missing");
    for seed in seeds("damaged_bytes_never_panic", DAMAGED_BYTES_SEEDS) {
        let mut rng = Rng(seed);
        let noise: &[&[u8]] = &[
            b"{", b"}", b"[", b"]", b":", b"\n  ", b"- ", b"&a ", b"*a", b"$ref", b"'", b"\"",
            b"\t", b"\xff", b"#/",
        ];
        for round in 0..iterations(1500) {
            let mut bytes = sources[rng.below(sources.len())].clone().into_bytes();
            for _ in 0..=rng.below(4) {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len());
                match rng.below(5) {
                    0 => bytes[at] ^= 1 << rng.below(8),
                    1 => {
                        let piece = noise[rng.below(noise.len())];
                        bytes.splice(at..at, piece.iter().copied());
                    }
                    2 => {
                        let end = (at + rng.below(64)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    3 => {
                        let end = (at + rng.below(128)).min(bytes.len());
                        let span = bytes[at..end].to_vec();
                        bytes.splice(at..at, span);
                    }
                    _ => bytes.truncate(at),
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            must_not_panic(
                &format!("seed {seed}, round {round}"),
                &text,
                "fuzz-damaged.yaml",
            );
        }
    }
}
