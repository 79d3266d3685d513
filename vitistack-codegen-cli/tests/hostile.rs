//! `vitistack-codegen validate` on hostile files: every one ends with a message on stderr and
//! exit 1 (invalid) or 2 (unreadable), never a panic or a signal, in bounded time and memory.
//!
//! Each run goes through `sh -c 'ulimit -v …; exec …'`, which caps the process's address space
//! at [`MAX_MEMORY_KIB`] (1 GiB, the bound README promises): the kernel refuses any mapping past
//! it, so an allocation spike of any length ends the run with an allocation failure (a signal,
//! which fails the test) instead of going unseen between samples. Resident memory is at most the
//! address space, so a run that passes stayed under 1 GiB resident. (`ru_maxrss` from `wait4`
//! is not usable here: a child spawned by vfork + exec inherits the test process's high-water
//! mark.) Each run is killed after [`DEADLINE`]. The hostile files are generated in a scratch
//! directory at test time.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A run taking longer than this is killed and fails the test.
const DEADLINE: Duration = Duration::from_secs(20);
/// `ulimit -v` for every run: 1 GiB of address space, so at most 1 GiB resident.
const MAX_MEMORY_KIB: u64 = 1 << 20;

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
    fn describe(&self) -> String {
        format!(
            "status {:?} after {:?}\n--- stdout (first 2000 bytes):\n{}\n--- stderr (first 2000 bytes):\n{}",
            self.status,
            self.took,
            head(&self.stdout),
            head(&self.stderr)
        )
    }
}

fn head(text: &str) -> &str {
    let mut end = text.len().min(2000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A fresh scratch directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("vitistack-codegen-hostile")
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }
    fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, content).expect("write hostile file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the binary with `args` under the memory cap and the deadline.
fn run_cli(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let script = format!("ulimit -v {MAX_MEMORY_KIB} && exec \"$0\" \"$@\"");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_vitistack-codegen"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vitistack-codegen");
    let start = Instant::now();
    let feeder = stdin.map(|input| {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        })
    });
    // Drain the pipes on their own threads so a chatty child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for vitistack-codegen") {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("vitistack-codegen {args:?} still running after {DEADLINE:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = start.elapsed();
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    let stdout = String::from_utf8_lossy(&out.join().expect("stdout")).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().expect("stderr")).into_owned();
    Run {
        status,
        stdout,
        stderr,
        took,
    }
}

/// The exit code a hostile file must get: 0 valid, 1 invalid, 2 unreadable.
#[derive(Debug, Clone, Copy)]
struct Code(i32);

/// Runs `validate` on one hostile file and checks the guarantees: the expected exit code, no
/// signal, no panic, a message naming the file, bounded time and memory.
fn hostile(path: &Path, extra: &[&str], expected: Code) -> Run {
    let mut args = vec!["validate"];
    args.extend_from_slice(extra);
    let path = path.to_str().expect("UTF-8 path");
    args.push(path);
    let run = run_cli(&args, None);
    check(path, &run, expected);
    run
}

/// Whether `line` is the summary the CLI prints on stderr after every run
/// (`1 document, 0 valid, 1 invalid`): it is there whatever happened, so it is not a message.
fn is_summary(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next().is_some_and(|n| n.parse::<u64>().is_ok())
        && words.next().is_some_and(|w| w.starts_with("document"))
}

/// The lines of stdout and stderr other than the summary, naming `input` (the file's path, its
/// last component, or `-` for stdin).
fn messages_about<'a>(run: &'a Run, input: &str) -> Vec<&'a str> {
    let name = Path::new(input)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(input);
    run.stdout
        .lines()
        .chain(run.stderr.lines())
        .filter(|line| !is_summary(line) && line.contains(name))
        .collect()
}

/// The guarantees of one run on `input` (a path, or `-` for stdin).
fn check(input: &str, run: &Run, expected: Code) {
    assert!(
        run.code() == Some(expected.0),
        "{input}: expected exit {}: {}",
        expected.0,
        run.describe()
    );
    for text in [&run.stdout, &run.stderr] {
        assert!(
            !text.contains("panicked") && !text.contains("RUST_BACKTRACE"),
            "{input}: panicked: {}",
            run.describe()
        );
    }
    // The summary must tell the same story as the exit code ...
    let summary = run.stderr.lines().rev().find(|l| is_summary(l));
    let told = summary.is_some_and(|s| match expected.0 {
        0 => s.contains(" 0 invalid") && !s.contains("input error"),
        1 => !s.contains(" 0 invalid") && !s.contains("input error"),
        _ => s.contains("input error"),
    });
    assert!(told, "{input}: summary {summary:?} vs exit {}", expected.0);
    // ... and a refusal must say, naming the input, what is wrong.
    if expected.0 != 0 {
        assert!(
            !messages_about(run, input).is_empty(),
            "{input}: no message naming it besides the summary: {}",
            run.describe()
        );
    }
    // Past the memory cap, an allocation fails: Rust's handler says so and aborts (a signal,
    // so the exit-code check above has already failed the test; this names the reason).
    assert!(
        !run.stderr.contains("memory allocation of"),
        "{input}: over {MAX_MEMORY_KIB} KiB of memory: {}",
        run.describe()
    );
}

const HEAD: &str =
    "apiVersion: vitistack.io/v1alpha1\nkind: NetworkConfiguration\nmetadata:\n  name: hostile\n";

fn nc(spec: &str) -> Vec<u8> {
    format!("{HEAD}spec:\n{spec}").into_bytes()
}

#[test]
fn alias_bombs_are_refused_fast() {
    let dir = Scratch::new("bombs");
    // Billion laughs: 9^16 "lol"s when expanded.
    let mut bomb = format!("{HEAD}spec:\n  networkId: lol\n  bridge: &a lol\n");
    bomb.push_str(
        "x0: &x0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..16 {
        let refs = vec![format!("*x{}", i - 1); 9].join(",");
        bomb.push_str(&format!("x{i}: &x{i} [{refs}]\n"));
    }
    let run = hostile(&dir.file("laughs.yaml", bomb.as_bytes()), &[], Code(2));
    assert!(run.took < Duration::from_secs(5), "{}", run.describe());
    // The same as mapping merges (`<<`) and nested anchors in a block sequence.
    let mut merge = String::from("a0: &a0 {k0: v, k1: v, k2: v, k3: v}\n");
    for i in 1..20 {
        merge.push_str(&format!(
            "a{i}: &a{i} {{<<: *a{p}, x{i}: [*a{p}, *a{p}, *a{p}, *a{p}]}}\n",
            p = i - 1
        ));
    }
    hostile(&dir.file("merge.yaml", merge.as_bytes()), &[], Code(2));
    // Many small aliases (each cheap, many in total).
    let mut many = String::from("a: &a [x]\nb: [");
    many.push_str(&vec!["*a"; 200_000].join(","));
    many.push_str("]\n");
    hostile(&dir.file("many.yaml", many.as_bytes()), &[], Code(2));
}

#[test]
fn twenty_thousand_levels_of_nesting() {
    let dir = Scratch::new("nesting");
    let n = 20_000;
    let cases: Vec<(&str, String)> = vec![
        (
            "flow-seq.yaml",
            format!("{HEAD}spec: {}{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "flow-map.yaml",
            format!("{HEAD}spec: {}1{}\n", "{a: ".repeat(n), "}".repeat(n)),
        ),
        (
            "nested.json",
            format!("{}1{}\n", "{\"a\":".repeat(n), "}".repeat(n)),
        ),
        ("seq-of-seq.yaml", "- ".repeat(n) + "x\n"),
        (
            "unclosed.yaml",
            format!("{HEAD}spec: {}\n", "[{a: ".repeat(n / 2)),
        ),
        // Block mappings 20,000 deep would be 200 MB of indentation; 2,000 is past the limit.
        (
            "block-map.yaml",
            (0..2_000)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect(),
        ),
    ];
    for (name, content) in cases {
        let run = hostile(&dir.file(name, content.as_bytes()), &[], Code(2));
        assert!(
            run.stdout.contains("depth") || run.stdout.contains("nest") || name == "unclosed.yaml",
            "{name}: the message should say why: {}",
            run.describe()
        );
    }
}

#[test]
fn forty_megabyte_strings() {
    let dir = Scratch::new("big");
    let big = "x".repeat(40 << 20);
    // In a constrained field: invalid, and the message quotes a cut value, not 40 MB.
    let run = hostile(
        &dir.file(
            "name.yaml",
            format!("{HEAD}spec:\n  networkId: a\n  bridge: {big}\n").as_bytes(),
        ),
        &[],
        Code(1),
    );
    assert!(
        run.stdout.len() < 4096,
        "{} bytes of output",
        run.stdout.len()
    );
    assert!(run.stdout.contains("spec.bridge"), "{}", run.describe());
    // As a key, as a quoted string with escapes, as a single plain line, as a comment.
    let escaped = "\\u0041".repeat(40 << 20 >> 3);
    let cases: Vec<(&str, String, Code)> = vec![
        // YAML limits implicit keys to 1024 characters: a syntax error.
        ("key.yaml", format!("{HEAD}spec:\n  {big}: 1\n"), Code(2)),
        (
            "explicit-key.yaml",
            format!("{HEAD}spec:\n  ? {big}\n  : 1\n"),
            Code(1),
        ),
        (
            "quoted.yaml",
            format!("{HEAD}spec:\n  networkId: \"{escaped}\"\n"),
            Code(1),
        ),
        ("plain.yaml", big.clone(), Code(1)),
        // Quoted in every finding's `Kind/name` or in the unknown-kind message: cut.
        (
            "metadata-name.yaml",
            HEAD.replace("name: hostile", &format!("name: {big}"))
                + "spec:\n  networkId: a\n  vlan: 5000\n",
            Code(1),
        ),
        (
            "kind.yaml",
            format!("apiVersion: vitistack.io/v1alpha1\nkind: {big}\nmetadata:\n  name: a\n"),
            Code(1),
        ),
        (
            "api-version.yaml",
            format!("apiVersion: {big}\nkind: X\nmetadata:\n  name: a\n"),
            Code(1),
        ),
        ("comment.yaml", format!("# {big}\n"), Code(2)),
    ];
    for (name, content, expected) in cases {
        let run = hostile(&dir.file(name, content.as_bytes()), &[], expected);
        assert!(
            run.stdout.len() < 64 << 10,
            "{name}: {} bytes of output",
            run.stdout.len()
        );
    }
}

#[test]
fn invalid_utf8_and_binary_garbage() {
    let dir = Scratch::new("garbage");
    let mut latin1 = nc("  networkId: caf\u{e9}\n");
    let e = latin1.iter().rposition(|&b| b == 0xc3).unwrap();
    latin1.splice(e..e + 2, [0xe9]);
    let run = hostile(&dir.file("latin1.yaml", &latin1), &[], Code(2));
    assert!(run.stderr.contains("UTF-8"), "{}", run.describe());
    hostile(
        &dir.file("utf16.yaml", &[0xff, 0xfe, b'a', 0, b':', 0]),
        &[],
        Code(2),
    );
    // Deterministic pseudo-random bytes: 1 MiB of them.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let garbage: Vec<u8> = (0..1 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect();
    hostile(&dir.file("garbage.bin", &garbage), &[], Code(2));
    // Garbage that is valid UTF-8: control characters, NULs, BOMs in odd places, lone surrogates
    // written as escapes.
    let cases: Vec<(&str, &[u8], Code)> = vec![
        ("nul.yaml", b"apiVersion: v1\x00\nkind: x\n", Code(2)),
        ("controls.yaml", b"\x01\x02\x03: \x04\n", Code(2)),
        (
            "bom-middle.yaml",
            "a: 1\n\u{feff}b: 2\n".as_bytes(),
            Code(2),
        ),
        ("surrogate.yaml", b"a: \"\\ud800\"\n", Code(2)),
        ("tab-indent.yaml", b"a:\n\t- b\n", Code(2)),
        ("unterminated.yaml", b"a: \"never closed\n", Code(2)),
        ("json-trailing.json", b"{\"apiVersion\": \"v1\"} }", Code(2)),
        // A document (a tagged empty string), not a syntax error: not an object, and the tag is
        // refused.
        ("only-marker.yaml", b"--- !\n", Code(1)),
    ];
    for (name, content, code) in cases {
        hostile(&dir.file(name, content), &[], code);
    }
}

#[test]
fn duplicate_keys_unknown_kinds_and_odd_documents() {
    let dir = Scratch::new("odd");
    let cases: Vec<(&str, Vec<u8>, i32)> =
        vec![
        (
            "duplicate.yaml",
            nc("  networkId: a\n  vlan: 10\n  vlan: 20\n"),
            1,
        ),
        (
            "duplicate-top.yaml",
            format!("{HEAD}kind: Machine\nspec:\n  networkId: a\n").into_bytes(),
            1,
        ),
        (
            "unknown-kind.yaml",
            b"apiVersion: vitistack.io/v1alpha1\nkind: Spaceship\nmetadata:\n  name: x\nspec: {}\n"
                .to_vec(),
            1,
        ),
        (
            "unknown-group.yaml",
            b"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: x\n".to_vec(),
            1,
        ),
        ("no-kind.yaml", b"apiVersion: vitistack.io/v1alpha1\n".to_vec(), 1),
        (
            "kind-not-string.yaml",
            b"apiVersion: vitistack.io/v1alpha1\nkind: [Machine]\n".to_vec(),
            1,
        ),
        ("scalar.yaml", b"just a string\n".to_vec(), 1),
        ("list.yaml", b"- 1\n- 2\n".to_vec(), 1),
        ("spec-null.yaml", nc(" null\n"), 1),
        ("spec-tilde.yaml", format!("{HEAD}spec: ~\n").into_bytes(), 1),
        ("no-spec.yaml", HEAD.as_bytes().to_vec(), 1),
        ("spec-string.yaml", format!("{HEAD}spec: hello\n").into_bytes(), 1),
    ];
    for (name, content, code) in cases {
        hostile(&dir.file(name, &content), &[], Code(code));
    }
    // Duplicate keys are errors in strict mode even when the values agree.
    hostile(
        &dir.file("same-twice.yaml", &nc("  networkId: a\n  networkId: a\n")),
        &["--strict"],
        Code(1),
    );
}

#[test]
fn numbers_beyond_i64_and_f64_and_floats_for_integers() {
    let dir = Scratch::new("numbers");
    let long_digits = "9".repeat(100_000);
    // vlan is an integer in [1, 4094]: each of these is invalid, none may wrap around into range
    // (2^64 + 100 would be 100) or be read as a float that rounds into it.
    let invalid: Vec<(&str, &str)> = vec![
        ("beyond-i64", "99999999999999999999999999"),
        ("u64-max", "18446744073709551615"),
        ("wraps-to-100", "18446744073709551716"),
        ("i64-min-minus-1", "-9223372036854775809"),
        ("beyond-f64", "1e400"),
        ("negative-beyond-f64", "-1e400"),
        ("underflows-to-0", "1e-400"),
        ("inf", ".inf"),
        ("negative-inf", "-.inf"),
        ("nan", ".nan"),
        ("float", "100.5"),
        ("just-above-integer", "100.00000000001"),
        ("long-digits", &long_digits),
    ];
    for (name, number) in &invalid {
        let content = nc(&format!("  networkId: a\n  vlan: {number}\n"));
        hostile(&dir.file(&format!("{name}.yaml"), &content), &[], Code(1));
    }
    // The same in JSON.
    for (name, number) in [
        ("beyond-i64", "99999999999999999999999999"),
        ("wraps-to-100", "18446744073709551716"),
        ("beyond-f64", "1e400"),
        ("float", "100.5"),
    ] {
        let content = format!(
            "{{\"apiVersion\":\"vitistack.io/v1alpha1\",\"kind\":\"NetworkConfiguration\",\"metadata\":{{\"name\":\"n\"}},\"spec\":{{\"networkId\":\"a\",\"vlan\":{number}}}}}"
        );
        hostile(
            &dir.file(&format!("{name}.json"), content.as_bytes()),
            &[],
            Code(1),
        );
    }
    // Integer spellings YAML 1.1 allows (kubectl reads them as numbers: 31, 15, 15, 1000) and
    // integral floats (which the apiserver takes as integers): valid VLANs.
    for (name, number) in [
        ("hex", "0x1F"),
        ("octal", "0o17"),
        ("leading-zero", "017"),
        ("underscores", "1_000"),
        ("exponent", "1.5e3"),
        ("integral-float", "100.0"),
    ] {
        let content = nc(&format!("  networkId: a\n  vlan: {number}\n"));
        hostile(&dir.file(&format!("{name}.yaml"), &content), &[], Code(0));
    }
}

#[test]
fn yaml_tags() {
    let dir = Scratch::new("tags");
    // Tags that make a value of the wrong type or an impossible one: refused.
    // 1: read, then refused by a rule (wrong type, missing field, tag); 2: not readable.
    let refused: Vec<(&str, Vec<u8>, Code)> = vec![
        (
            "str-for-int.yaml",
            nc("  networkId: a\n  vlan: !!str 10\n"),
            Code(1),
        ),
        ("int-of-text.yaml", nc("  networkId: !!int abc\n"), Code(2)),
        (
            "float-of-text.yaml",
            nc("  networkId: !!float abc\n"),
            Code(2),
        ),
        ("null-tag.yaml", nc("  networkId: !!null x\n"), Code(1)),
        (
            "set.yaml",
            nc("  networkId: a\n  ipam: !!set {a, b}\n"),
            Code(1),
        ),
        (
            "timestamp.yaml",
            nc("  networkId: !!timestamp 2001-12-14\n"),
            Code(2),
        ),
        (
            "binary-key.yaml",
            nc("  !!binary aGVsbG8=: x\n  networkId: a\n"),
            Code(1),
        ),
        (
            "seq-tag-on-map.yaml",
            nc("  !!seq {networkId: a}\n"),
            Code(2),
        ),
        (
            "python-bad.yaml",
            nc("  networkId: !!python/object/apply:os.system [\"true\"]\n"),
            Code(1),
        ),
        (
            "tag-directive.yaml",
            format!("%TAG !e! tag:example.com,2000:\n---\n{HEAD}spec: !e!thing {{}}\n")
                .into_bytes(),
            Code(1),
        ),
        (
            "undefined-handle.yaml",
            nc("  networkId: !x!y a\n"),
            Code(2),
        ),
    ];
    for (name, content, code) in refused {
        hostile(&dir.file(name, &content), &[], code);
    }
    // Tags on values that would stay valid: strict mode refuses every tag outside the YAML core
    // schema (exit 1, naming the tag); `--no-strict` reads them as kubectl (go-yaml) does.
    // Nothing is ever executed.
    let read: Vec<(&str, Vec<u8>)> = vec![
        ("binary.yaml", nc("  networkId: !!binary aGVsbG8=\n")),
        (
            "python.yaml",
            nc("  networkId: !!python/object:os.system ls\n"),
        ),
        ("custom.yaml", nc("  networkId: !Ref other\n")),
        (
            "verbatim.yaml",
            nc("  networkId: !<tag:yaml.org,2002:js/undefined> x\n"),
        ),
    ];
    for (name, content) in read {
        let path = dir.file(name, &content);
        let run = hostile(&path, &[], Code(1));
        assert!(
            run.stdout.contains("YAML tag"),
            "{name}: {}",
            run.describe()
        );
        hostile(&path, &["--no-strict"], Code(0));
    }
}

#[test]
fn missing_and_empty_files() {
    let dir = Scratch::new("empty");
    let missing = dir.0.join("does-not-exist.yaml");
    let run = hostile(&missing, &[], Code(2));
    assert!(
        run.stderr.contains("does-not-exist.yaml"),
        "{}",
        run.describe()
    );
    let missing_too = dir.0.join("nor-this.yaml");
    let run = hostile(&missing_too, &["--output", "json"], Code(2));
    assert!(run.stderr.contains("nor-this.yaml"), "{}", run.describe());
    // Nothing to check is an input error with a message, as kubectl refuses it too ("no objects
    // passed to apply").
    let empty = |what: &str, run: &Run| {
        check(what, run, Code(2));
        assert!(
            run.stderr.contains("no documents"),
            "{what}: {}",
            run.describe()
        );
    };
    for (name, content) in [
        ("empty.yaml", &b""[..]),
        ("blank.yaml", b"\n\n  \n"),
        ("comments.yaml", b"# nothing here\n"),
        ("markers.yaml", b"---\n...\n---\n"),
        ("null.yaml", b"null\n"),
        ("bom-only.yaml", "\u{feff}".as_bytes()),
    ] {
        let path = dir.file(name, content);
        let path = path.to_str().expect("UTF-8 path");
        empty(path, &run_cli(&["validate", path], None));
    }
    let empty_dir = dir.0.join("empty-dir");
    std::fs::create_dir_all(&empty_dir).unwrap();
    let empty_dir = empty_dir.to_str().expect("UTF-8 path");
    empty(empty_dir, &run_cli(&["validate", empty_dir], None));
    empty("-", &run_cli(&["validate", "-"], Some(b"")));
}

#[test]
fn ten_thousand_valid_documents_pass_quickly() {
    let dir = Scratch::new("many");
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!(
            "---\napiVersion: vitistack.io/v1alpha1\nkind: NetworkConfiguration\nmetadata:\n  name: net-{i}\n  namespace: default\nspec:\n  networkId: net-{i}\n  vlan: {}\n  mtu: 9000\n  ipam:\n    type: kea\n    subnet: 10.{}.{}.0/24\n    gateway: 10.{}.{}.1\n  dhcp:\n    enabled: true\n    poolStart: 10.{}.{}.100\n    poolEnd: 10.{}.{}.200\n",
            i % 4094 + 1,
            i / 256 % 256,
            i % 256,
            i / 256 % 256,
            i % 256,
            i / 256 % 256,
            i % 256,
            i / 256 % 256,
            i % 256,
        ));
    }
    let path = dir.file("many.yaml", text.as_bytes());
    let run = run_cli(&["validate", path.to_str().unwrap()], None);
    assert_eq!(run.code(), Some(0), "{}", run.describe());
    assert!(
        run.stderr.contains("10000 documents, 10000 valid"),
        "{}",
        run.describe()
    );
    // Time is bounded by DEADLINE only: speed is measured in bench/, not asserted here (a
    // debug build on a loaded machine took 16 s). Memory: the cap of `run_cli`.
    // One bad document among them is found and named.
    let bad = text.replacen("name: net-7777\n", "name: net-7777\n  bogus: 1\n", 1);
    let path = dir.file("one-bad.yaml", bad.as_bytes());
    let run = run_cli(&["validate", path.to_str().unwrap()], None);
    check(path.to_str().expect("UTF-8 path"), &run, Code(1));
    assert!(
        run.stdout
            .contains(":7778: NetworkConfiguration/net-7777: metadata.bogus"),
        "{}",
        run.describe()
    );
}
