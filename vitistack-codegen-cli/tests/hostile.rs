//! `vitistack-codegen validate` on hostile files: every one ends with a message on stderr and
//! exit 1 (invalid) or 2 (unreadable), never a panic or a signal, in bounded time and memory.
//!
//! Each run goes through `sh -c 'ulimit -v …; exec …'` (address space capped at
//! [`ADDRESS_SPACE_KIB`]), is killed after [`DEADLINE`], and its peak resident memory (VmHWM)
//! is sampled from /proc while it runs and must stay under [`MAX_RSS_KIB`]. The hostile files
//! are generated in a scratch directory at test time.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A run taking longer than this is killed and fails the test.
const DEADLINE: Duration = Duration::from_secs(20);
/// `ulimit -v` for every run: 4 GiB of address space (thread stacks and allocator arenas count
/// here; resident memory is much lower).
const ADDRESS_SPACE_KIB: u64 = 4 << 20;
/// Peak resident memory a run may reach: 1 GiB.
const MAX_RSS_KIB: u64 = 1 << 20;

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    took: Duration,
    peak_rss_kib: u64,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
    fn describe(&self) -> String {
        format!(
            "status {:?} after {:?}, peak RSS {} KiB\n--- stdout (first 2000 bytes):\n{}\n--- stderr (first 2000 bytes):\n{}",
            self.status,
            self.took,
            self.peak_rss_kib,
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

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the binary with `args` under the memory cap and the deadline.
fn run_cli(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
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
    let pid = child.id();
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
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_rss_kib(pid) {
            peak = peak.max(kib);
        }
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
        peak_rss_kib: peak,
    }
}

/// The verdict a hostile file must get.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exactly this exit code.
    Code(i32),
    /// 1 (invalid) or 2 (unreadable).
    Fails,
    /// Any verdict (0, 1 or 2): input that kubectl reads as a valid object too.
    Verdict,
}
use Expect::*;

/// Runs `validate` on one hostile file and checks the guarantees: the expected exit code, no
/// signal, no panic, a message on stderr, bounded time and memory.
fn hostile(path: &Path, extra: &[&str], expected: Expect) -> Run {
    let mut args = vec!["validate"];
    args.extend_from_slice(extra);
    let path = path.to_str().expect("UTF-8 path");
    args.push(path);
    let run = run_cli(&args, None);
    check(path, &run, expected);
    run
}

fn check(what: &str, run: &Run, expected: Expect) {
    let ok = match expected {
        Code(code) => run.code() == Some(code),
        Fails => matches!(run.code(), Some(1 | 2)),
        Verdict => matches!(run.code(), Some(0..=2)),
    };
    assert!(ok, "{what}: expected {expected:?}: {}", run.describe());
    for text in [&run.stdout, &run.stderr] {
        assert!(
            !text.contains("panicked") && !text.contains("RUST_BACKTRACE"),
            "{what}: panicked: {}",
            run.describe()
        );
    }
    assert!(
        !run.stderr.trim().is_empty(),
        "{what}: no message on stderr: {}",
        run.describe()
    );
    assert!(
        run.peak_rss_kib <= MAX_RSS_KIB,
        "{what}: peak RSS {} KiB over {} KiB: {}",
        run.peak_rss_kib,
        MAX_RSS_KIB,
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
    let cases: Vec<(&str, String, Expect)> = vec![
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
        ("comment.yaml", format!("# {big}\n"), Verdict),
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
    let cases: Vec<(&str, &[u8])> = vec![
        ("nul.yaml", b"apiVersion: v1\x00\nkind: x\n"),
        ("controls.yaml", b"\x01\x02\x03: \x04\n"),
        ("bom-middle.yaml", "a: 1\n\u{feff}b: 2\n".as_bytes()),
        ("surrogate.yaml", b"a: \"\\ud800\"\n"),
        ("tab-indent.yaml", b"a:\n\t- b\n"),
        ("unterminated.yaml", b"a: \"never closed\n"),
        ("json-trailing.json", b"{\"apiVersion\": \"v1\"} }"),
        ("only-marker.yaml", b"--- !\n"),
    ];
    for (name, content) in cases {
        hostile(&dir.file(name, content), &[], Fails);
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
    // Integer spellings YAML allows and integral floats (which the apiserver takes as integers):
    // a verdict, whatever it is.
    for (name, number) in [
        ("hex", "0x1F"),
        ("octal", "0o17"),
        ("leading-zero", "017"),
        ("underscores", "1_000"),
        ("exponent", "1.5e3"),
        ("integral-float", "100.0"),
    ] {
        let content = nc(&format!("  networkId: a\n  vlan: {number}\n"));
        hostile(&dir.file(&format!("{name}.yaml"), &content), &[], Verdict);
    }
}

#[test]
fn yaml_tags() {
    let dir = Scratch::new("tags");
    // Tags that make a value of the wrong type or an impossible one: refused.
    let refused: Vec<(&str, Vec<u8>)> = vec![
        ("str-for-int.yaml", nc("  networkId: a\n  vlan: !!str 10\n")),
        ("int-of-text.yaml", nc("  networkId: !!int abc\n")),
        ("float-of-text.yaml", nc("  networkId: !!float abc\n")),
        ("null-tag.yaml", nc("  networkId: !!null x\n")),
        ("set.yaml", nc("  networkId: a\n  ipam: !!set {a, b}\n")),
        (
            "timestamp.yaml",
            nc("  networkId: !!timestamp 2001-12-14\n"),
        ),
        (
            "binary-key.yaml",
            nc("  !!binary aGVsbG8=: x\n  networkId: a\n"),
        ),
        ("seq-tag-on-map.yaml", nc("  !!seq {networkId: a}\n")),
        (
            "python-bad.yaml",
            nc("  networkId: !!python/object/apply:os.system [\"true\"]\n"),
        ),
        (
            "tag-directive.yaml",
            format!("%TAG !e! tag:example.com,2000:\n---\n{HEAD}spec: !e!thing {{}}\n")
                .into_bytes(),
        ),
        ("undefined-handle.yaml", nc("  networkId: !x!y a\n")),
    ];
    for (name, content) in refused {
        hostile(&dir.file(name, &content), &[], Fails);
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
        empty(name, &run_cli(&["validate", path.to_str().unwrap()], None));
    }
    let empty_dir = dir.0.join("empty-dir");
    std::fs::create_dir_all(&empty_dir).unwrap();
    empty(
        "empty directory",
        &run_cli(&["validate", empty_dir.to_str().unwrap()], None),
    );
    empty("empty stdin", &run_cli(&["validate", "-"], Some(b"")));
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
    assert!(run.took < Duration::from_secs(15), "{}", run.describe());
    assert!(run.peak_rss_kib <= MAX_RSS_KIB, "{}", run.describe());
    // One bad document among them is found and named.
    let bad = text.replacen("name: net-7777\n", "name: net-7777\n  bogus: 1\n", 1);
    let path = dir.file("one-bad.yaml", bad.as_bytes());
    let run = run_cli(&["validate", path.to_str().unwrap()], None);
    check("one bad of 10000", &run, Code(1));
    assert!(
        run.stdout
            .contains(":7778: NetworkConfiguration/net-7777: metadata.bogus"),
        "{}",
        run.describe()
    );
}
