//! `pattern` must compile with Go's `regexp` (RE2 syntax): the apiserver refuses the CRD with
//! `must be a valid regular expression, but isn't: error parsing regexp: ...`.
//!
//! Parsed with `regex-syntax` (the `regex` crate's parser, RE2-like), plus what Go refuses and
//! Rust accepts: repeat counts over 1,000, a repetition of a repetition (`a**`, `a++`), and flags
//! other than `i`, `m`, `s`, `U`; and what Go accepts and Rust does not: `\Q...\E` (quoted
//! text). Known differences left: Go refuses `\p{...}` names that are not a general category or
//! a script (Rust knows more Unicode properties), and accepts octal escapes such as `\012`.
//! Some patterns compile in both with different meanings (`\<` is a literal `<` in Go, a word
//! start in Rust; `[a&&b]` a class of three characters in Go, an intersection in Rust): only
//! whether the apiserver compiles them matters here.

use regex_syntax::ast::{self, Ast};

/// Go's `maxRepeat` (`regexp/syntax/parse.go`).
const MAX_REPEAT: u32 = 1000;

/// Why Go's `regexp.Compile` refuses `pattern`, `None` when it compiles.
pub(crate) fn go_regexp_error(pattern: &str) -> Option<String> {
    let pattern = unquote(pattern);
    let parsed = match ast::parse::ParserBuilder::new()
        .nest_limit(1000)
        .build()
        .parse(&pattern)
    {
        Ok(parsed) => parsed,
        Err(e) => return Some(e.kind().to_string()),
    };
    if let Some(e) = go_only_refusals(&parsed) {
        return Some(e);
    }
    regex_syntax::ParserBuilder::new()
        .nest_limit(1000)
        .build()
        .parse(&pattern)
        .err()
        .map(|e| match e {
            regex_syntax::Error::Parse(e) => e.kind().to_string(),
            regex_syntax::Error::Translate(e) => e.kind().to_string(),
            other => other.to_string(),
        })
}

/// `\Q...\E` (Go: literal text) as escaped text for `regex-syntax`.
fn unquote(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = find_escape(rest, 'Q') {
        out.push_str(&rest[..start]);
        let quoted = &rest[start + 2..];
        let (text, after) = match quoted.find(r"\E") {
            Some(end) => (&quoted[..end], &quoted[end + 2..]),
            None => (quoted, ""),
        };
        out.push_str(&regex_syntax::escape(text));
        rest = after;
    }
    out.push_str(rest);
    out
}

fn find_escape(text: &str, letter: char) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes[i + 1] as char == letter {
                return Some(i);
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    None
}

fn go_only_refusals(node: &Ast) -> Option<String> {
    match node {
        Ast::Repetition(rep) => {
            if let ast::RepetitionKind::Range(range) = &rep.op.kind {
                let (ast::RepetitionRange::Exactly(n)
                | ast::RepetitionRange::AtLeast(n)
                | ast::RepetitionRange::Bounded(_, n)) = range;
                if *n > MAX_REPEAT {
                    return Some(format!("invalid repeat count: {n} is over {MAX_REPEAT}"));
                }
            }
            if matches!(*rep.ast, Ast::Repetition(_)) {
                return Some("invalid nested repetition operator".to_owned());
            }
            go_only_refusals(&rep.ast)
        }
        Ast::Flags(flags) => go_flags(&flags.flags),
        Ast::Group(group) => {
            if let ast::GroupKind::NonCapturing(flags) = &group.kind {
                if let Some(e) = go_flags(flags) {
                    return Some(e);
                }
            }
            go_only_refusals(&group.ast)
        }
        Ast::Alternation(alt) => alt.asts.iter().find_map(go_only_refusals),
        Ast::Concat(concat) => concat.asts.iter().find_map(go_only_refusals),
        _ => None,
    }
}

/// Go knows the flags `i`, `m`, `s` and `U` only.
fn go_flags(flags: &ast::Flags) -> Option<String> {
    flags.items.iter().find_map(|item| match &item.kind {
        ast::FlagsItemKind::Flag(
            ast::Flag::CaseInsensitive
            | ast::Flag::MultiLine
            | ast::Flag::DotMatchesNewLine
            | ast::Flag::SwapGreed,
        )
        | ast::FlagsItemKind::Negation => None,
        _ => Some("invalid or unsupported Perl syntax: a flag Go does not know".to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::go_regexp_error;

    /// Verdicts of Go 1.26.8's `regexp.Compile` on each (a `go run` of a loop over this list):
    /// `true` compiles.
    #[test]
    fn agrees_with_go_regexp() {
        let cases = [
            ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", true),
            (r"^\p{Greek}+$", true),
            ("^(?P<x>a)b$", true),
            ("^(?<x>a)b$", true),
            ("^a+?b$", true),
            (r"\Qa.b\E+", true),
            ("(?i)abc", true),
            ("a{2,1000}", true),
            ("^(?=a)a+$", false),
            (r"^(a)\1$", false),
            (r"^a+\Z", false),
            ("^a++$", false),
            ("a**", false),
            ("^(a$", false),
            ("a{1001}", false),
            ("(?x)a b", false),
            // Go: an escaped punctuation mark and a `\b` before literal text; Rust: word
            // boundaries. Both compile, with different meanings.
            (r"\<word\>", true),
            (r"\b{start}a", true),
        ];
        for (pattern, compiles) in cases {
            assert_eq!(
                go_regexp_error(pattern).is_none(),
                compiles,
                "{pattern}: {:?}",
                go_regexp_error(pattern)
            );
        }
    }
}
