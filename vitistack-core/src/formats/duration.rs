//! Durations exactly as Go's `time.ParseDuration` (and so `metav1.Duration`)
//! accepts them.
//!
//! Grammar (port of Go 1.26 `time/format.go`): an optional sign, then either
//! the single digit `0`, or one or more `number unit` terms where `number` is
//! `digits`, `digits.`, `digits.digits` or `.digits` (at least one digit) and
//! `unit` is one of `ns us µs μs ms s m h` (case-sensitive). So `1h30m`, `1.5h`,
//! `.5s`, `1.s`, `-0`, `+1s` are durations and `1d`, `h`, `.s`, `00`, `1`,
//! `1h 30m`, ` 1s` are not. On top of the grammar, Go rejects values whose
//! magnitude exceeds `i64::MAX` nanoseconds (about 292 years; `-` allows exactly
//! `2^63` ns), which no regular expression of sensible size captures:
//! [`DURATION_PATTERN`] is the syntactic part only.

use super::FormatError;

/// An anchored pattern for the syntax of Go `time.ParseDuration`, valid and
/// equivalent in Go RE2, ECMA-262 and Rust `regex`. It does not check the
/// ~292-year range limit (see the [module docs](self)). The micro units are the
/// literal characters U+00B5 (`µ`) and U+03BC (`μ`).
pub const DURATION_PATTERN: &str =
    "^[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$";

/// `maxLength` for a duration field.
pub const DURATION_MAX_LEN: usize = 64;

const NANOSECOND: u64 = 1;
const MICROSECOND: u64 = 1_000 * NANOSECOND;
const MILLISECOND: u64 = 1_000 * MICROSECOND;
const SECOND: u64 = 1_000 * MILLISECOND;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;

fn unit(u: &str) -> Option<u64> {
    Some(match u {
        "ns" => NANOSECOND,
        "us" | "µs" | "μs" => MICROSECOND,
        "ms" => MILLISECOND,
        "s" => SECOND,
        "m" => MINUTE,
        "h" => HOUR,
        _ => return None,
    })
}

/// Go `leadingInt`: consumes `[0-9]*`; `None` on overflow past 2^63.
fn leading_int(s: &str) -> Option<(u64, &str)> {
    let b = s.as_bytes();
    let mut x: u64 = 0;
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(b[i] - b'0');
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// Go `leadingFraction`: consumes `[0-9]*`, stops accumulating on overflow.
fn leading_fraction(s: &str) -> (u64, f64, &str) {
    let b = s.as_bytes();
    let mut x: u64 = 0;
    let mut scale: f64 = 1.0;
    let mut overflow = false;
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        if !overflow {
            if x > ((1u64 << 63) - 1) / 10 {
                overflow = true;
            } else {
                let y = x * 10 + u64::from(b[i] - b'0');
                if y > 1 << 63 {
                    overflow = true;
                } else {
                    x = y;
                    scale *= 10.0;
                }
            }
        }
        i += 1;
    }
    (x, scale, &s[i..])
}

/// Parses a duration exactly like Go's `time.ParseDuration` and returns it in
/// nanoseconds (Go's `time.Duration`).
///
/// # Errors
///
/// [`FormatError::Duration`] with Go's message (`time: invalid duration "1d"`
/// style: `invalid duration`, `missing unit in duration`,
/// `unknown unit "d" in duration`).
pub fn parse_duration(input: &str) -> Result<i64, FormatError> {
    let err = |reason: String| FormatError::Duration {
        value: input.to_owned(),
        reason,
    };
    let invalid = || err("invalid duration".to_owned());

    let mut s = input;
    let mut d: u64 = 0;
    let mut neg = false;
    if let Some(c) = s.as_bytes().first() {
        if *c == b'-' || *c == b'+' {
            neg = *c == b'-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    while !s.is_empty() {
        let first = s.as_bytes()[0];
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let pl = s.len();
        let (mut v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = pl != s.len();

        let mut post = false;
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        if let Some(rest) = s.strip_prefix('.') {
            let pl = rest.len();
            let (ff, sc, rest) = leading_fraction(rest);
            f = ff;
            scale = sc;
            s = rest;
            post = pl != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }

        let i = s
            .bytes()
            .position(|c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if i == 0 {
            return Err(err("missing unit in duration".to_owned()));
        }
        // `i` is at an ASCII byte or the end, so it is a char boundary.
        let (u, rest) = s.split_at(i);
        s = rest;
        let Some(unit) = unit(u) else {
            return Err(err(format!("unknown unit {u:?} in duration")));
        };
        if v > (1u64 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            // Same float64 arithmetic as Go; the product is at most `unit`.
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        d += v;
        if d > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        // d <= 2^63; `-(2^63)` is i64::MIN, as in Go.
        return Ok((d as i64).wrapping_neg());
    }
    if d > (1u64 << 63) - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// Whether Go's `time.ParseDuration` accepts `s` (grammar and range).
pub fn is_duration(s: &str) -> bool {
    parse_duration(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    use regex::Regex;
    use std::sync::LazyLock;

    static DURATION_RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(DURATION_PATTERN).expect("DURATION_PATTERN is a valid regex"));

    /// Whether `s` matches [`DURATION_PATTERN`] (grammar only, no range check).
    fn matches_duration_pattern(s: &str) -> bool {
        DURATION_RE.is_match(s)
    }

    /// (input, Go ParseDuration result in ns or None). Checked against Go.
    const CASES: &[(&str, Option<i64>)] = &[
        ("0", Some(0)),
        ("+0", Some(0)),
        ("-0", Some(0)),
        ("0s", Some(0)),
        ("1ns", Some(1)),
        ("1us", Some(1_000)),
        ("1µs", Some(1_000)),
        ("1μs", Some(1_000)),
        ("1ms", Some(1_000_000)),
        ("1s", Some(1_000_000_000)),
        ("1m", Some(60_000_000_000)),
        ("1h", Some(3_600_000_000_000)),
        ("1h30m", Some(5_400_000_000_000)),
        ("1h30m15s", Some(5_415_000_000_000)),
        ("1.5h", Some(5_400_000_000_000)),
        ("-1.5h", Some(-5_400_000_000_000)),
        ("+5s", Some(5_000_000_000)),
        (".5s", Some(500_000_000)),
        ("1.s", Some(1_000_000_000)),
        ("1.0s", Some(1_000_000_000)),
        ("00s", Some(0)),
        ("010s", Some(10_000_000_000)),
        ("1s1s", Some(2_000_000_000)),
        ("1m1h", Some(3_660_000_000_000)),
        ("2h45m0.5s", Some(9_900_500_000_000)),
        ("0.000000001s", Some(1)),
        ("0.0000000001s", Some(0)),
        ("1.0000000000000000000000001s", Some(1_000_000_000)),
        ("9223372036854775807ns", Some(i64::MAX)),
        ("-9223372036854775808ns", Some(i64::MIN)),
        ("2562047h47m16.854775807s", Some(i64::MAX)),
        // rejected
        ("9223372036854775808ns", None),
        ("2562048h", None),
        ("99999999999999999999s", None),
        ("", None),
        ("+", None),
        ("-", None),
        ("00", None),
        ("1", None),
        ("1d", None),
        ("1w", None),
        ("1y", None),
        ("h", None),
        ("s", None),
        (".s", None),
        ("-.s", None),
        (".", None),
        ("1.5.5s", None),
        ("1..5s", None),
        ("1S", None),
        ("1H", None),
        ("1Ms", None),
        ("1sec", None),
        ("1hm", None),
        ("1h30", None),
        ("1h 30m", None),
        (" 1s", None),
        ("1s ", None),
        ("1s\n", None),
        ("--1s", None),
        ("+-1s", None),
        ("1s-1s", None),
        ("1e3s", None),
        ("0x10s", None),
        ("1_000s", None),
        ("١s", None),
        ("1ＮＳ", None),
    ];

    #[test]
    fn go_parse_duration_table() {
        for &(input, want) in CASES {
            assert_eq!(
                parse_duration(input).ok(),
                want,
                "parse_duration({input:?})"
            );
            assert_eq!(is_duration(input), want.is_some());
        }
    }

    #[test]
    fn pattern_agrees_with_grammar() {
        // Out-of-range values are syntactically fine; everything else agrees.
        let out_of_range = ["9223372036854775808ns", "2562048h", "99999999999999999999s"];
        for &(input, want) in CASES {
            let expected = want.is_some() || out_of_range.contains(&input);
            assert_eq!(
                matches_duration_pattern(input),
                expected,
                "DURATION_PATTERN on {input:?}"
            );
        }
    }

    #[test]
    fn messages() {
        let msg = |s: &str| parse_duration(s).map_err(|e| e.to_string());
        assert_eq!(
            msg("1d"),
            Err("time: unknown unit \"d\" in duration \"1d\"".to_owned())
        );
        assert_eq!(
            msg("1"),
            Err("time: missing unit in duration \"1\"".to_owned())
        );
        assert_eq!(msg(""), Err("time: invalid duration \"\"".to_owned()));
    }
}
