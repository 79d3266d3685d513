//! The block-style fast path (`fast_yaml`) against the full YAML parser (serde-saphyr): on every
//! document the fast path accepts, both must give the same value, keys in the same order. The
//! fast path must also accept the manifests it exists for (else the speed is silently gone) and
//! refuse the spellings whose meaning it does not know.

use proptest::prelude::*;
use serde_json::{json, Value};
use serde_saphyr::DuplicateKeyPolicy;
use vitistack_codegen_lib::fast_yaml::parse_block;
use vitistack_codegen_lib::validate::parse_full;
use vitistack_codegen_lib::yaml::split_documents;

/// Every document of `text` the fast path reads must read the same with the full parser (in
/// strict and last-wins mode); returns how many documents the fast path read.
fn agree(text: &str) -> usize {
    let mut fast = 0;
    for doc in split_documents(text) {
        let Some(value) = parse_block(&doc) else {
            continue;
        };
        fast += 1;
        for policy in [DuplicateKeyPolicy::Error, DuplicateKeyPolicy::LastWins] {
            let full = parse_full(&doc, policy);
            let full = match full {
                Ok(Some(full)) => full,
                other => panic!(
                    "fast path read {value} but the full parser gave {other:?} for:\n{}",
                    doc.text
                ),
            };
            assert_eq!(value, full, "different values for:\n{}", doc.text);
            // `==` on maps ignores order with preserve_order; the text does not.
            assert_eq!(
                value.to_string(),
                full.to_string(),
                "different key order for:\n{}",
                doc.text
            );
        }
    }
    fast
}

/// The example manifests (`examples/*.yaml`), sorted by name.
fn examples() -> Vec<String> {
    let dir = format!("{}/../examples", env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 10, "one example per kind");
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

#[test]
fn every_example_takes_the_fast_path_and_agrees() {
    let examples = examples();
    for text in &examples {
        assert_eq!(agree(text), 1, "did not take the fast path:\n{text}");
    }
    // The benchmark stream's shape: `---` markers, documents one after the other.
    let stream: String = examples.iter().map(|t| format!("---\n{t}")).collect();
    assert_eq!(agree(&stream), examples.len());
}

#[test]
fn reads_the_subset_exactly() {
    let text = "# c\n---\na: 1 # one\nb:\n- x\n- 'y'\n-\n- - 2\n  - -3\nc:\n  d: \"e f\"\n  g: []\n  h: {}\nk: |\n  line 1\n\n  #not a comment\ns: |-\n    x\n     y\nz: ~\nt: yes\nu: Off\nip: 10.0.0.1\nq: 500m\nurl: http://x/y#z\nr: 30000-32767\nm: 12:30\n";
    let doc = &split_documents(text)[0];
    let value = parse_block(doc).expect("in the subset");
    assert_eq!(
        value,
        json!({
            "a": 1, "b": ["x", "y", null, [2, -3]],
            "c": {"d": "e f", "g": [], "h": {}},
            "k": "line 1\n\n#not a comment\n", "s": "x\n y", "z": null, "t": true, "u": false,
            "ip": "10.0.0.1", "q": "500m", "url": "http://x/y#z", "r": "30000-32767", "m": "12:30"
        })
    );
    assert_eq!(agree(text), 1);
}

#[test]
fn leaves_everything_else_to_the_full_parser() {
    for value in [
        "1.5",
        "1e3",
        "0x1f",
        "0o17",
        "+5",
        "-0",
        "007",
        "1_000",
        ".inf",
        "-.inf",
        ".nan",
        "1234567890123456789",
        "&a x",
        "*a",
        "!!str 1",
        "!t x",
        ">\n  x",
        "|+\n  x",
        "[a]",
        "{a: 1}",
        "\"a\\tb\"",
        "'it''s'",
        "a: b",
        "x\n  continued",
        "|\n  \n  x",
        "- x",
        "? x",
        "\"a\" b",
        "1.2",
        "1e-5",
    ] {
        let text = format!("k: {value}\n");
        let doc = &split_documents(&text)[0];
        assert_eq!(parse_block(doc), None, "fast path read {text:?}");
    }
    for text in [
        "a: 1\na: 2\n",
        "yes: 1\n",
        "\"q\": 1\n",
        "a:\tb\n",
        "a: b\r\n",
        "a: é\n",
        "%YAML 1.2\n---\na: 1\n",
        "--- a\n",
        "just text\n",
        "a: 1\n  b: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "# only a comment\n",
    ] {
        let doc = &split_documents(text)[0];
        assert_eq!(parse_block(doc), None, "fast path read {text:?}");
    }
    // 100 levels of nesting is more than the fast path reads.
    let deep: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert_eq!(parse_block(&split_documents(&deep)[0]), None);
}

/// Scalars, keys and line pieces that matter to YAML, mixed at random.
const PIECES: &[&str] = &[
    "a",
    "b",
    "key",
    "on",
    "y",
    "No",
    "null",
    "~",
    "true",
    "1",
    "0",
    "-1",
    "-0",
    "07",
    "1.5",
    "1e3",
    "0x1f",
    "+5",
    "1_0",
    ".inf",
    "inf",
    "nan",
    "10.0.0.1",
    "1.2.3",
    "500m",
    "1Gi",
    "http://h/p",
    "a#b",
    "it's",
    "\"q\"",
    "'s'",
    "''",
    "'a''b'",
    "\"\\n\"",
    "[]",
    "{}",
    "[a]",
    "&x",
    "*x",
    "!t",
    "|",
    "|-",
    "|+",
    ">",
    "-",
    "?",
    ":",
    ": ",
    "- ",
    " #c",
    "#",
    " ",
    "  ",
    "\n",
    "\n  ",
    "\n    ",
    "\n- ",
    "\n  - ",
    "---",
    "...",
    "\t",
    "a: ",
    "b:",
    "  k: ",
    "%",
    "9223372036854775807",
    "123456789012345678",
    "é",
    "\r",
];

fn piece() -> impl Strategy<Value = String> {
    prop::sample::select(PIECES).prop_map(str::to_owned)
}

/// Scalars of the subset, each with a meaning of its own.
const SCALARS: &[&str] = &[
    "a",
    "b1",
    "x-y",
    "10.0.0.1",
    "500m",
    "1",
    "0",
    "-7",
    "true",
    "No",
    "~",
    "null",
    "'q'",
    "\"d\"",
    "[]",
    "{}",
    "http://h/p",
    "a#b",
    "a # c",
    "it's",
    "12:30",
    "1.2.3",
    "30-40",
    "/p",
    "''",
    "\"\"",
    "9.9.9.9.9",
    "a b  c",
    "Y",
    "nUll",
    "nan",
    "infinity",
    "x:y",
    "-5 # c",
];

/// Mostly scalars of the subset, sometimes anything.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(SCALARS).prop_map(str::to_owned),
        1 => piece().prop_map(|p| p.replace('\n', " ")),
    ]
}

/// Mostly keys of the subset (numbered, so rarely twice in one mapping), sometimes anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (prop::sample::select(&["k", "a.b/c", "_x", "app-", "K"][..]), 0..50u8)
            .prop_map(|(k, n)| format!("{k}{n}")),
        1 => piece(),
    ]
}

/// A random tree rendered in block style, with random indentation widths, compact or indented
/// sequences under keys, comments and blank lines.
fn tree() -> impl Strategy<Value = String> {
    let node = scalar()
        .prop_map(Node::Scalar)
        .prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec((key(), inner.clone()), 1..5).prop_map(Node::Map),
                prop::collection::vec(inner, 1..5).prop_map(Node::Seq),
            ]
        });
    (node, 1usize..4, any::<bool>(), any::<u8>()).prop_map(|(node, width, compact, noise)| {
        let mut out = String::new();
        render(&node, 0, width, compact, noise, &mut out);
        out
    })
}

#[derive(Debug, Clone)]
enum Node {
    Scalar(String),
    Map(Vec<(String, Node)>),
    Seq(Vec<Node>),
}

fn render(node: &Node, indent: usize, width: usize, compact: bool, noise: u8, out: &mut String) {
    let pad = " ".repeat(indent);
    match node {
        Node::Scalar(s) => {
            out.push_str(&pad);
            out.push_str(s);
            out.push('\n');
        }
        Node::Map(entries) => {
            for (i, (key, value)) in entries.iter().enumerate() {
                let key = key.replace(['\n', ' '], "");
                if noise & 1 != 0 && i == 1 {
                    out.push_str(&format!("{pad}# comment\n\n"));
                }
                match value {
                    Node::Scalar(s) => out.push_str(&format!("{pad}{key}: {s}\n")),
                    Node::Seq(_) if compact => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        render(value, indent, width, compact, noise >> 1, out);
                    }
                    _ => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        render(value, indent + width, width, compact, noise >> 1, out);
                    }
                }
            }
        }
        Node::Seq(items) => {
            for item in items {
                match item {
                    Node::Scalar(s) => out.push_str(&format!("{pad}- {s}\n")),
                    _ => {
                        // `- ` then the item's first line on the same line.
                        let mut inner = String::new();
                        render(item, indent + 2, width, compact, noise >> 2, &mut inner);
                        out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn block_trees_agree_with_the_full_parser(text in tree()) {
        agree(&text);
    }

    #[test]
    fn random_text_agrees_with_the_full_parser(
        pieces in prop::collection::vec(piece(), 0..40)
    ) {
        agree(&pieces.concat());
    }

    #[test]
    fn edited_examples_agree_with_the_full_parser(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), piece()), 1..4)
    ) {
        let examples = examples();
        let mut text = which.get(&examples).clone();
        for (at, piece) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            text.insert_str(i, &piece);
        }
        agree(&text);
    }
}

#[test]
fn the_tree_generator_reaches_the_fast_path() {
    // Guards the generator itself: a plain tree must be read by the fast path, so the
    // properties above compare something.
    let node = Node::Map(vec![
        ("a".into(), Node::Seq(vec![Node::Scalar("x".into())])),
        (
            "b".into(),
            Node::Seq(vec![Node::Map(vec![
                ("c".into(), Node::Scalar("1".into())),
                ("d".into(), Node::Scalar("y1".into())),
            ])]),
        ),
    ]);
    for compact in [false, true] {
        let mut out = String::new();
        render(&node, 0, 2, compact, 0, &mut out);
        assert_eq!(agree(&out), 1, "{out}");
        let value: Value = parse_block(&split_documents(&out)[0]).unwrap_or_default();
        assert_eq!(value, json!({"a": ["x"], "b": [{"c": 1, "d": "y1"}]}));
    }
}
