#!/usr/bin/env python3
"""Benchmarks oxgen against its peers on this machine, in one run.

    python3 bench/bench.py [--runs N] [--skip-compile] [--skip-corpus] [--baseline REV]
    python3 bench/bench.py --only-runtime

Measures, as medians of N whole-process runs (default 5):
  - generation time and peak memory for every corpus document (oxgen), to
    show cost against document size;
  - generation of nexus and GitHub by oxgen and, when installed, by
    cargo-progenitor (`cargo install cargo-progenitor --version 0.15.1
    --locked --root target/bench/tools`, or PROGENITOR=path)
    and openapi-generator (`pip install openapi-generator-cli`, or
    OPENAPI_GENERATOR=path), with ratios;
  - `cargo check` and `cargo build` of each generated crate with its
    dependencies already built (the crate's own code only);
  - the saving of `--only` on GitHub's crate;
  - what a user pays: a binary calling every operation of a client, built
    with the client crate from scratch (its dependencies built), oxgen and
    progenitor alternating, on keeper, buildomat and nexus; GitHub and
    Stripe oxgen alone;
  - a no-op `cargo build` of this repository (generation must not rerun);
  - the runtime benchmark (`cargo bench --bench runtime`), and the
    instructions a request costs, counted by callgrind when valgrind is
    installed.

With --baseline REV, oxgen as it was at a git revision is built in a
worktree under target/bench/baseline and measured beside today's, runs
alternating: a comparison with the past in the same minutes, since this
machine's speed varies more than most changes do.

Not part of CI; results go in BENCHMARKS.md with the command and date.
Peers' outputs and build directories live under target/bench/.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
WORK = ROOT / "target" / "bench"
OXGEN = ROOT / "target" / "release" / "oxgen"
NEXUS = CORPUS / "progenitor-nexus.json"
GITHUB = CORPUS / "github-api.github.com.json"
KEEPER = CORPUS / "progenitor-keeper.json"
BUILDOMAT = CORPUS / "progenitor-buildomat.json"
STRIPE = CORPUS / "stripe-spec3.json"
TOOLS = WORK / "tools"


def run(cmd, cwd=None, env=None, check=True):
    """Runs cmd; returns (seconds, peak RSS in KB, completed process)."""
    timed = ["/usr/bin/time", "-f", "%e %M", *map(str, cmd)]
    start = time.monotonic()
    proc = subprocess.run(timed, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "0 0"
    try:
        _, rss = last.split()
        rss = int(rss)
    except ValueError:
        rss = 0
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-2000:]}")
    return elapsed, rss, proc


def median_run(cmd, runs, cwd=None, env=None):
    times, peaks = [], []
    for _ in range(runs):
        seconds, rss, _ = run(cmd, cwd=cwd, env=env)
        times.append(seconds)
        peaks.append(rss)
    return statistics.median(times), statistics.median(peaks)


def find_tool(env_var, names):
    if os.environ.get(env_var):
        return Path(os.environ[env_var])
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def generators(baseline=None):
    """Name -> function(spec, out_dir) giving the command that writes a crate."""
    gens = {
        "oxgen": lambda spec, out: [OXGEN, "generate", spec, "--crate", "bench-client", "--out", out,
                                    "--runtime-path", str(ROOT / "runtime")],
        # Timestamps and UUIDs as strings: what chrono and uuid cost.
        "oxgen-strings": lambda spec, out: [OXGEN, "generate", spec, "--formats", "string",
                                            "--crate", "bench-client", "--out", out,
                                            "--runtime-path", str(ROOT / "runtime")],
    }
    progenitor = find_tool("PROGENITOR", ["cargo-progenitor"])
    if not progenitor and (TOOLS / "bin" / "cargo-progenitor").exists():
        progenitor = TOOLS / "bin" / "cargo-progenitor"
    if progenitor:
        gens["progenitor"] = lambda spec, out: [
            progenitor, "progenitor", "-i", spec, "-o", out, "-n", "bench-client", "-v", "0.1.0",
        ]
    openapi_generator = find_tool("OPENAPI_GENERATOR", ["openapi-generator-cli"])
    if openapi_generator:
        gens["openapi-generator"] = lambda spec, out: [
            openapi_generator, "generate", "-i", spec, "-g", "rust", "-o", out,
            "--skip-validate-spec", "--package-name", "bench-client",
        ]
    if baseline:
        gens[f"oxgen@{baseline}"] = baseline_generator(baseline)
    return gens


def baseline_generator(rev):
    """The command of oxgen as it was at `rev`, built in a worktree of this
    repository (with the lock file and the runtime of that revision)."""
    src = WORK / "baseline" / "src"
    run(["git", "-C", ROOT, "worktree", "prune"])
    if (src / ".git").exists():
        run(["git", "-C", src, "checkout", "-q", "--detach", rev])
    else:
        shutil.rmtree(src, ignore_errors=True)
        run(["git", "-C", ROOT, "worktree", "add", "-q", "--detach", src, rev])
    target = WORK / "baseline" / "target"
    run(["cargo", "build", "--release", "-q", "-p", "oxgen"], cwd=src,
        env=dict(os.environ, CARGO_TARGET_DIR=str(target)))
    binary = target / "release" / "oxgen"
    # Before the runtime was a crate of its own, it was written into each crate.
    _, _, usage = run([binary, "generate", "--help"], check=False)
    runtime = ["--runtime-path", src / "runtime"] if "--runtime-path" in usage.stdout + usage.stderr else []
    return lambda spec, out: [binary, "generate", spec, "--crate", "bench-client", "--out", out, *runtime]


def is_baseline(generator):
    """Whether `generator` is oxgen as it was at a revision (`oxgen@REV`)."""
    return generator.startswith("oxgen@")


def lock_file(generator):
    """The lock file an oxgen crate is built with: the one of the revision
    that generated it, so that both build the same dependencies."""
    if is_baseline(generator):
        return WORK / "baseline" / "src" / "Cargo.lock"
    return ROOT / "Cargo.lock"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def corpus_generation(runs):
    docs = sorted(
        [p for p in CORPUS.rglob("*") if p.suffix in (".json", ".yaml") and p.name != "SOURCES.tsv"],
        key=lambda p: p.stat().st_size,
    )
    rows = []
    for doc in docs:
        out = WORK / "corpus" / doc.stem
        try:
            seconds, rss = median_run([OXGEN, "generate", doc, "--out", out], runs)
        except RuntimeError as e:
            rows.append((doc.name, doc.stat().st_size // 1024, "failed", "", "", ""))
            print(e, file=sys.stderr)
            continue
        size = doc.stat().st_size
        rows.append((
            doc.relative_to(CORPUS),
            f"{size / 1024:.0f}",
            f"{seconds * 1000:.0f}",
            f"{rss / 1024:.1f}",
            f"{rss * 1024 / size:.1f}x",
            f"{seconds * 1e6 / (size / 1024):.0f}",
        ))
    print("\n## Generation across the corpus (oxgen, release build)\n")
    print(table(["document", "KB", "ms", "peak MB", "peak / size", "us per KB"], rows))


def peer_generation(runs, gens):
    print("\n## Generation against the peers\n")
    rows = []
    results = {}
    for spec in (NEXUS, GITHUB, CORPUS / "stripe-spec3.json"):
        for name, command in gens.items():
            if name == "oxgen-strings":
                continue  # the same generator
            out = WORK / "crates" / f"{name}-{spec.stem}"
            shutil.rmtree(out, ignore_errors=True)
            try:
                seconds, rss = median_run(command(spec, out), runs)
                results[(name, spec.stem)] = seconds
                rows.append((spec.name, name, f"{seconds:.3f}", f"{rss / 1024:.0f}"))
            except RuntimeError as e:
                rows.append((spec.name, name, "failed", ""))
                print(str(e)[:500], file=sys.stderr)
    print(table(["document", "generator", "seconds", "peak MB"], rows))
    for spec in (NEXUS.stem, GITHUB.stem):
        ours = results.get(("oxgen", spec))
        for peer in ("progenitor", "openapi-generator"):
            theirs = results.get((peer, spec))
            if ours and theirs:
                print(f"\n{spec}: oxgen is {theirs / ours:.1f}x faster than {peer}")
    return results


def cargo_times(crates, runs):
    """`cargo check` and `cargo build` of each crate's own code, dependencies
    warm, the crates' runs alternating: name -> {"check": s, "build": s}.

    `crates` is name -> (crate directory, target directory). Incremental
    compilation is off: a regenerated crate, a CI build or a release build
    compiles the code from scratch, and touching `lib.rs` with the
    incremental cache on would only time reloading that cache.
    """
    envs = {name: dict(os.environ, CARGO_TARGET_DIR=str(target), CARGO_INCREMENTAL="0")
            for name, (_, target) in crates.items()}
    for name, (crate, _) in crates.items():
        for command in (["cargo", "check", "-q"], ["cargo", "build", "-q"]):
            run(command, cwd=crate, env=envs[name])  # warm dependencies
    samples = {name: {"check": [], "build": []} for name in crates}
    for command in ("check", "build"):
        for _ in range(runs):
            for name, (crate, _) in crates.items():
                (crate / "src" / "lib.rs").touch()
                seconds, _, _ = run(["cargo", command, "-q"], cwd=crate, env=envs[name])
                samples[name][command].append(seconds)
    return {name: {command: statistics.median(times) for command, times in by_command.items()}
            for name, by_command in samples.items()}


def compile_times(runs, gens):
    print("\n## Compile time of the generated crates (dependencies built)\n")
    rows = []
    for spec in (NEXUS, GITHUB, STRIPE):
        crates = {}
        for name in gens:
            crate = WORK / "crates" / f"{name}-{spec.stem}"
            if name == "oxgen-strings" or not (crate / "Cargo.toml").exists():
                continue
            if name.startswith("oxgen"):
                shutil.copy(lock_file(name), crate / "Cargo.lock")
            manifest = crate / "Cargo.toml"
            if "[workspace]" not in manifest.read_text():
                # Under target/ of this workspace, a crate must say it is its own.
                with manifest.open("a") as f:
                    f.write("\n[workspace]\n")
            crates[name] = (crate, WORK / "target" / name)
        try:
            times = cargo_times(crates, runs)
        except RuntimeError as e:
            rows.append((spec.name, ", ".join(crates), "does not compile", "", ""))
            print(str(e)[:800], file=sys.stderr)
            continue
        for name, t in times.items():
            vs = "; ".join(
                f"{t['check'] / times[r]['check']:.2f}x, {t['build'] / times[r]['build']:.2f}x {r}"
                for r in references(gens) if r in times and r != name)
            rows.append([spec.name, name, f"{t['check']:.1f}", f"{t['build']:.1f}", vs])
    # --only: a consumer of three operations of GitHub's API.
    crate = WORK / "crates" / "oxgen-github-only"
    shutil.rmtree(crate, ignore_errors=True)
    run([OXGEN, "generate", GITHUB, "--only", "repos/get,issues/list-for-repo,pulls/list",
         "--crate", "bench-client", "--out", crate, "--runtime-path", str(ROOT / "runtime")])
    shutil.copy(ROOT / "Cargo.lock", crate / "Cargo.lock")
    times = cargo_times({"oxgen": (crate, WORK / "target" / "oxgen")}, runs)["oxgen"]
    rows.append(("github (--only 3 operations)", "oxgen", f"{times['check']:.1f}", f"{times['build']:.1f}", ""))
    print(table(["document", "generator", "check s", "build s", "check, build vs"], rows))


def references(gens):
    """The generators others are compared with: progenitor, a baseline revision."""
    return [g for g in gens if g == "progenitor" or is_baseline(g)]


def mock_builds(runs):
    """`cargo build` of oxgen's crates of nexus and GitHub without and with the
    `mock` feature (the typed mocks), alternating."""
    print("\n## The mock feature (cargo build of the generated crate, dependencies built)\n")
    rows = []
    for spec in (NEXUS, GITHUB):
        crate = WORK / "crates" / f"oxgen-mock-{spec.stem}"
        shutil.rmtree(crate, ignore_errors=True)
        run([OXGEN, "generate", spec, "--crate", "bench-client", "--out", crate,
             "--runtime-path", str(ROOT / "runtime")])
        shutil.copy(ROOT / "Cargo.lock", crate / "Cargo.lock")
        env = dict(os.environ, CARGO_TARGET_DIR=str(WORK / "target" / "oxgen-mock"),
                   CARGO_INCREMENTAL="0")
        variants = {"without": ["cargo", "build", "-q"],
                    "with `--features mock`": ["cargo", "build", "-q", "--features", "mock"]}
        for command in variants.values():
            run(command, cwd=crate, env=env)  # warm dependencies
        samples = {name: [] for name in variants}
        for _ in range(runs):
            for name, command in variants.items():  # alternating
                (crate / "src" / "lib.rs").touch()
                seconds, _, _ = run(command, cwd=crate, env=env)
                samples[name].append(seconds)
        lines = sum(1 for _ in (crate / "src" / "mock.rs").open())
        base = statistics.median(samples["without"])
        for name in variants:
            seconds = statistics.median(samples[name])
            rows.append([spec.name, name, f"{seconds:.2f}", f"{seconds / base:.2f}x",
                         str(lines) if name != "without" else ""])
    print(table(["document", "mock module", "build s", "vs without", "mock.rs lines"], rows))


def oxgen_calls(client_rs):
    """One call per operation method of oxgen's client: `client.op(any(), ..)`."""
    text = client_rs.read_text()
    calls = []
    pattern = r"pub fn (\w+)\(\s*&self,?([^{}]*?)\)\s*->\s*ResponseFuture"
    for name, args in re.findall(pattern, text, re.S):
        count = len([a for a in split_args(args) if a.strip()])
        calls.append(f"client.{name}({', '.join(['any()'] * count)}).await")
    return calls


def split_args(args):
    """`a: T, b: U<V, W>` -> the arguments, split at top-level commas."""
    depth, current, out = 0, "", []
    for c in args:
        depth += c in "<(["
        depth -= c in ">)]"
        if c == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += c
    out.append(current)
    return out


def progenitor_calls(lib_rs):
    """One call per operation of progenitor's (positional) client; a generic
    body parameter (`B: Into<reqwest::Body>`) is given as bytes."""
    text = lib_rs.read_text()
    calls = []
    pattern = r"pub async fn (\w+)<([^(]*)>\(\s*&'a self,?([^{}]*?)\)\s*->"
    for name, generics, args in re.findall(pattern, text, re.S):
        params = {g.split(":")[0].strip() for g in split_args(generics)}
        values = []
        for arg in split_args(args):
            if not arg.strip():
                continue
            ty = arg.split(":", 1)[1].strip()
            values.append("any::<Vec<u8>>()" if ty in params else "any()")
        calls.append(f"client.{name}({', '.join(values)}).await")
    return calls


CONSUMER_MAIN = """//! Calls every operation of the client; built, never run. Each call is in
//! a function of its own, as in a program that uses the API in many places
//! (one `async fn` awaiting hundreds of calls costs the compiler far more).
#![allow(deprecated)]
use std::future::Future;
use std::task::{{Context, Waker}};

fn any<T>() -> T {{
    unimplemented!()
}}

fn poll<F: Future>(future: F) {{
    let mut future = std::pin::pin!(future);
    let _ = future.as_mut().poll(&mut Context::from_waker(Waker::noop()));
}}

{functions}

fn main() {{
    let client: bench_client::Client = any();
{polls}
}}
"""


def consumer(generator, spec):
    """The consumer crate of `generator`'s client of `spec`, written afresh."""
    client = WORK / "crates" / f"{generator}-{spec.stem}"
    if generator.startswith("oxgen"):
        calls = oxgen_calls(client / "src" / "client.rs")
    else:
        calls = progenitor_calls(client / "src" / "lib.rs")
    crate = WORK / "consumers" / f"{generator}-{spec.stem}"
    shutil.rmtree(crate, ignore_errors=True)
    (crate / "src").mkdir(parents=True)
    # progenitor's crate leaves TLS out (reqwest without default features);
    # a program calling an https API adds it, as oxgen-runtime has it.
    tls = ("reqwest = { version = \"0.13\", default-features = false, "
           "features = [\"rustls\", \"http2\"] }\n") if generator == "progenitor" else ""
    (crate / "Cargo.toml").write_text(
        "[package]\nname = \"consumer\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
        f"[dependencies]\nbench-client = {{ path = \"{client}\" }}\n{tls}\n[workspace]\n"
    )
    functions = "\n".join(
        f"async fn call_{i}(client: &bench_client::Client) {{\n    let _ = {call};\n}}"
        for i, call in enumerate(calls)
    )
    polls = "\n".join(f"    poll(call_{i}(&client));" for i in range(len(calls)))
    (crate / "src" / "main.rs").write_text(CONSUMER_MAIN.format(functions=functions, polls=polls))
    if generator.startswith("oxgen"):
        shutil.copy(lock_file(generator), crate / "Cargo.lock")
    return crate, client, len(calls)


def prepared_consumers(spec, names, gens):
    """The consumer crates of `names`' clients of `spec`, generated afresh (a
    crate left by an older generator measures that one), and the environment
    of each one's builds, its dependencies built."""
    crates, env = {}, {}
    for name in names:
        out = WORK / "crates" / f"{name}-{spec.stem}"
        shutil.rmtree(out, ignore_errors=True)
        try:
            run(gens[name](spec, out))
        except RuntimeError as e:
            print(str(e)[:500], file=sys.stderr)
            continue
        crates[name] = consumer(name, spec)
        env[name] = dict(os.environ, CARGO_TARGET_DIR=str(WORK / "target" / f"consumer-{name}"),
                         CARGO_INCREMENTAL="0")
        run(["cargo", "build", "-q"], cwd=crates[name][0], env=env[name])  # warm dependencies
    return crates, env


def consumer_build(prepared, env):
    """A build of the consumer and its client from scratch: (seconds, peak KB)."""
    crate, client, _ = prepared
    (client / "src" / "lib.rs").touch()
    (crate / "src" / "main.rs").touch()
    seconds, rss, _ = run(["cargo", "build", "-q"], cwd=crate, env=env)
    return seconds, rss


def github_pairs(pairs, gens):
    """GitHub's all-operations program, today's oxgen's and the baseline's,
    built in alternating pairs: the ratio within a pair, which a slow minute
    of the machine moves less than it moves seconds."""
    baseline = next((g for g in gens if is_baseline(g)), None)
    if baseline is None:
        sys.exit("--pairs compares with a revision: give --baseline REV too")
    print(f"\n## GitHub's program calling every operation, {pairs} alternating pairs\n")
    crates, env = prepared_consumers(GITHUB, ["oxgen", baseline], gens)
    if len(crates) < 2:
        sys.exit("a client did not generate")
    ratios, rows = [], []
    for i in range(pairs):
        ours, _ = consumer_build(crates["oxgen"], env["oxgen"])
        theirs, _ = consumer_build(crates[baseline], env[baseline])
        ratios.append(ours / theirs)
        rows.append([str(i + 1), f"{ours:.2f}", f"{theirs:.2f}", f"{ours / theirs:.3f}x"])
    print(table(["pair", "oxgen s", f"{baseline} s", "ratio"], rows))
    print(f"\nmedian ratio {statistics.median(ratios):.3f}x "
          f"({min(ratios):.3f}x-{max(ratios):.3f}x)")


def consumer_builds(runs, gens):
    """`cargo build` of a binary calling every operation, client crate included."""
    print("\n## A program calling every operation (debug build, dependencies built)\n")
    rows = []
    for spec in (KEEPER, BUILDOMAT, NEXUS, GITHUB, STRIPE):
        peers = [g for g in ("oxgen", "progenitor") if g in gens]
        if spec in (GITHUB, STRIPE):
            peers = ["oxgen"]
        if spec in (NEXUS, GITHUB):
            peers.append("oxgen-strings")
        peers += [g for g in gens if is_baseline(g)]
        crates, env = prepared_consumers(spec, peers, gens)
        samples = {name: [] for name in crates}
        for _ in range(runs):
            for name in crates:  # alternating
                samples[name].append(consumer_build(crates[name], env[name]))
        medians = {}
        for name, (crate, client, calls) in crates.items():
            seconds = statistics.median(s for s, _ in samples[name])
            rss = statistics.median(r for _, r in samples[name])
            medians[name] = seconds
            rows.append([spec.name, name, calls, f"{seconds:.2f}", f"{rss / 1024:.0f}"])
        for row in rows[-len(medians):]:
            row.append("; ".join(f"{medians[row[1]] / medians[r]:.2f}x {r}"
                                 for r in references(gens) if r in medians and r != row[1]))
    print(table(["document", "generator", "operations called", "build s", "peak MB", "vs"], rows))


def noop_rebuild(runs):
    print("\n## No-op rebuild of this repository\n")
    run(["cargo", "build", "-q"], cwd=ROOT)
    seconds, _ = median_run(["cargo", "build", "-q"], runs, cwd=ROOT)
    _, _, proc = run(["cargo", "build", "-v"], cwd=ROOT)
    reran = "Running `" in proc.stderr and "build-script-build" in proc.stderr
    print(f"`cargo build` with nothing changed: {seconds:.2f} s; build script rerun: {'yes' if reran else 'no'}")


# Thin LTO-free bench profile: the same code, built in a minute and a half
# instead of ten on two cores.
BENCH_ENV = dict(os.environ, CARGO_PROFILE_BENCH_LTO="false", CARGO_PROFILE_BENCH_CODEGEN_UNITS="16")


def runtime_bench():
    print("\n## Runtime (`cargo bench --bench runtime`)\n")
    _, _, proc = run(["cargo", "bench", "-q", "--bench", "runtime"], cwd=ROOT, env=BENCH_ENV)
    print("```text\n" + proc.stdout.strip() + "\n```")
    request_instructions()


def request_instructions():
    """Instructions a request costs on the calling thread, each client alone,
    counted by callgrind: unlike seconds, the same for the same binary
    whatever else the machine is doing. The count of 200 requests is taken
    from that of 1200, which leaves out starting up and warming the pools."""
    if not shutil.which("valgrind"):
        print("\n(valgrind is not installed: no instruction counts)")
        return
    _, _, proc = run(["cargo", "bench", "--bench", "runtime", "--no-run", "--message-format=json"],
                     cwd=ROOT, env=BENCH_ENV)
    binary = next(
        message["executable"]
        for message in map(json.loads, proc.stdout.splitlines())
        if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "runtime"
        and message.get("executable")
    )
    counts, few, many = {}, 200, 1200
    for side in ["generated", "bare"]:
        totals = []
        for requests in [few, many]:
            out = WORK / f"callgrind.{side}.{requests}"
            env = dict(os.environ, RUNTIME_BENCH_ONLY=side, RUNTIME_BENCH_REQUESTS=str(requests))
            run(["valgrind", "--tool=callgrind", "--separate-threads=yes",
                 f"--callgrind-out-file={out}", binary], env=env)
            # The calling thread is the first; the server's threads follow.
            text = Path(f"{out}-01").read_text()
            totals.append(int(re.search(r"^totals: (\d+)", text, re.M).group(1)))
        counts[side] = (totals[1] - totals[0]) / (many - few)
    print("\nrequest: instructions on the calling thread (callgrind), per request")
    print(f"  generated client:  {counts['generated']:>8.0f}")
    print(f"  bare reqwest:      {counts['bare']:>8.0f}")
    print(f"  difference:        {counts['generated'] - counts['bare']:>8.0f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-compile", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--only-consumers", action="store_true",
                        help="only the builds of programs calling every operation")
    parser.add_argument("--only-mock", action="store_true",
                        help="only the builds with and without the mock feature")
    parser.add_argument("--only-compile", action="store_true",
                        help="only the generation against the peers and the crates' check and build")
    parser.add_argument("--only-runtime", action="store_true",
                        help="only the runtime bench and the instructions a request costs")
    parser.add_argument("--baseline", metavar="REV",
                        help="also measure oxgen as it was at this git revision, alternating")
    parser.add_argument("--pairs", type=int, metavar="N",
                        help="only GitHub's program calling every operation, built in N "
                             "alternating pairs with --baseline's")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    run(["cargo", "build", "--release", "-q", "-p", "oxgen"], cwd=ROOT)
    gens = generators(args.baseline)
    print(f"# oxgen benchmarks, {time.strftime('%Y-%m-%d')}")
    print(f"\n{platform.machine()}, {os.cpu_count()} cores; generators: {', '.join(gens)}")
    if args.pairs:
        github_pairs(args.pairs, gens)
        return
    if args.only_runtime:
        runtime_bench()
        return
    if args.only_consumers:
        consumer_builds(args.runs, gens)
        return
    if args.only_mock:
        mock_builds(args.runs)
        return
    if args.only_compile:
        peer_generation(1, gens)
        compile_times(args.runs, gens)
        return
    if not args.skip_corpus:
        corpus_generation(args.runs)
    peer_generation(args.runs, gens)
    if not args.skip_compile:
        compile_times(min(args.runs, 3), gens)
        mock_builds(min(args.runs, 3))
        consumer_builds(min(args.runs, 5), gens)
        noop_rebuild(args.runs)
    runtime_bench()


if __name__ == "__main__":
    main()
