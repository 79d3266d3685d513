//! Ports and port ranges: `N` or `N-M` with `1 <= N <= M <= 65535`.
//!
//! This is a project rule, not an apiserver format. Decimal digits only: no
//! sign, no leading zeros (`080` is rejected, as is `0`), no whitespace.
//! [`PORT_RANGE_PATTERN`] is the syntactic part; the numeric bounds and
//! `N <= M` need the function (or a CEL rule).

use std::sync::LazyLock;

use regex::Regex;

use super::FormatError;

/// The syntactic CRD `pattern` for a port or port range (valid in Go RE2,
/// ECMA-262 and Rust `regex`): one or two 1–5 digit numbers without leading
/// zeros, joined by `-`. It admits `99999` and `9-1`; [`parse_port_range`]
/// also checks `1 <= N <= M <= 65535`.
pub const PORT_RANGE_PATTERN: &str = "^[1-9][0-9]{0,4}(-[1-9][0-9]{0,4})?$";

/// `maxLength` for a port range field (`65535-65535`).
pub const PORT_RANGE_MAX_LEN: usize = 11;

static PORT_RANGE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(PORT_RANGE_PATTERN).expect("PORT_RANGE_PATTERN is a valid regex"));

fn parse_port(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 5 || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = b.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    u16::try_from(n).ok()
}

/// Parses `N` or `N-M` into `(N, N)` / `(N, M)`.
///
/// # Errors
///
/// [`FormatError::PortRange`] when the syntax is wrong, a port is outside
/// `1..=65535`, or `N > M`.
pub fn parse_port_range(s: &str) -> Result<(u16, u16), FormatError> {
    let err = |reason: &'static str| FormatError::PortRange {
        value: s.to_owned(),
        reason,
    };
    if !PORT_RANGE_RE.is_match(s) {
        return Err(err(
            "must be a port N or a range N-M of decimal numbers without sign or leading zeros",
        ));
    }
    let (lo, hi) = match s.split_once('-') {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let (Some(lo), Some(hi)) = (parse_port(lo), parse_port(hi)) else {
        return Err(err("ports must be between 1 and 65535"));
    };
    if lo > hi {
        return Err(err(
            "the first port of a range must not be greater than the last",
        ));
    }
    Ok((lo, hi))
}

/// Whether `s` has the syntax of [`PORT_RANGE_PATTERN`] (the numbers are not range-checked).
pub fn port_range_syntax(s: &str) -> bool {
    PORT_RANGE_RE.is_match(s)
}

/// Whether [`parse_port_range`] accepts `s`.
pub fn is_port_range(s: &str) -> bool {
    parse_port_range(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case = (&'static str, Option<(u16, u16)>, bool);

    /// (input, parsed, matches PORT_RANGE_PATTERN)
    const CASES: &[Case] = &[
        ("1", Some((1, 1)), true),
        ("22", Some((22, 22)), true),
        ("65535", Some((65535, 65535)), true),
        ("80-80", Some((80, 80)), true),
        ("1-65535", Some((1, 65535)), true),
        ("30000-32767", Some((30000, 32767)), true),
        ("65535-65535", Some((65535, 65535)), true),
        ("0", None, false),
        ("00", None, false),
        ("080", None, false),
        ("0-10", None, false),
        ("1-010", None, false),
        ("65536", None, true),
        ("99999", None, true),
        ("100000", None, false),
        ("1-65536", None, true),
        ("10-9", None, true),
        ("+80", None, false),
        ("-80", None, false),
        ("80-", None, false),
        ("80--90", None, false),
        ("80-90-100", None, false),
        ("80 - 90", None, false),
        (" 80", None, false),
        ("80\n", None, false),
        ("80:90", None, false),
        ("8O", None, false),
        ("٨٠", None, false),
        ("", None, false),
    ];

    #[test]
    fn table() {
        for &(input, want, pattern) in CASES {
            assert_eq!(
                parse_port_range(input).ok(),
                want,
                "parse_port_range({input:?})"
            );
            assert_eq!(is_port_range(input), want.is_some());
            assert_eq!(
                PORT_RANGE_RE.is_match(input),
                pattern,
                "pattern on {input:?}"
            );
            // The pattern never rejects a valid value.
            assert!(want.is_none() || pattern, "{input:?}");
        }
        assert_eq!("65535-65535".len(), PORT_RANGE_MAX_LEN);
    }
}
