//! Differential tests against the real apiserver code.
//!
//! `testdata/go_oracle.jsonl` and `testdata/go_oracle_cmp.jsonl` were produced
//! by `testdata/oracle/main.go`, which runs `resource.ParseQuantity`, the CEL
//! `isIP`/`isCIDR`/`isURL`/`url()`/`quantity()` libraries of
//! k8s.io/apiserver v0.37.2, `validation.IsDNS1123*`, Go 1.26
//! `time.ParseDuration` and Go RE2 on ~4100 inputs (the unit-test tables plus
//! a random sample of a ~110k-string fuzz corpus). Every function and pattern
//! of this module must give the same answers.

use std::cmp::Ordering;

use num_bigint::BigInt;
use regex::Regex;
use serde_json::Value;

use super::*;

const GOLDEN: &str = include_str!("testdata/go_oracle.jsonl");
const GOLDEN_CMP: &str = include_str!("testdata/go_oracle_cmp.jsonl");

/// The pattern order of the bit string in the golden rows.
const PATTERNS: [&str; 6] = [
    MAC_PATTERN,
    DURATION_PATTERN,
    RFC1123_LABEL_PATTERN,
    RFC1123_SUBDOMAIN_PATTERN,
    HTTP_URL_PATTERN,
    PORT_RANGE_PATTERN,
];

fn rows() -> Vec<Vec<Value>> {
    GOLDEN
        .lines()
        .map(|l| match serde_json::from_str::<Value>(l) {
            Ok(Value::Array(a)) if a.len() == 10 => a,
            other => panic!("bad golden row {l:?}: {other:?}"),
        })
        .collect()
}

fn as_bool(v: &Value) -> bool {
    v.as_bool().unwrap_or_else(|| panic!("not a bool: {v}"))
}

#[test]
fn golden_file_is_not_trivial() {
    let rows = rows();
    assert!(rows.len() > 4000);
    let count = |i: usize| {
        rows.iter()
            .filter(|r| r[i] != Value::Bool(false) && r[i] != Value::Null)
            .count()
    };
    // Every column has plenty of both answers.
    for col in 1..=8 {
        let yes = count(col);
        assert!(yes > 100 && yes < rows.len() - 100, "column {col}: {yes}");
    }
}

#[test]
fn quantity_matches_go() {
    for r in rows() {
        let input = r[0].as_str().unwrap_or_default();
        let got = Quantity::parse(input).ok().map(|q| q.to_decimal());
        let want = match &r[1] {
            Value::Null => None,
            Value::Array(a) => {
                let m: BigInt = a[0]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| panic!("{a:?}"));
                Some((m, a[1].as_i64().unwrap_or_else(|| panic!("{a:?}"))))
            }
            v => panic!("bad quantity column {v}"),
        };
        assert_eq!(got, want, "Quantity::parse({input:?})");
        assert_eq!(is_quantity(input), want.is_some(), "is_quantity({input:?})");
    }
}

#[test]
fn ip_cidr_url_names_duration_match_go() {
    for r in rows() {
        let s = r[0].as_str().unwrap_or_default();
        assert_eq!(is_ip(s), as_bool(&r[2]), "is_ip({s:?})");
        assert_eq!(is_cidr(s), as_bool(&r[3]), "is_cidr({s:?})");
        assert_eq!(
            is_canonical_cidr(s),
            as_bool(&r[4]),
            "is_canonical_cidr({s:?})"
        );
        assert_eq!(
            parse_duration(s).ok(),
            r[5].as_i64(),
            "parse_duration({s:?})"
        );
        assert_eq!(is_http_url(s), as_bool(&r[6]), "is_http_url({s:?})");
        assert_eq!(
            is_rfc1123_label(s),
            as_bool(&r[7]),
            "is_rfc1123_label({s:?})"
        );
        assert_eq!(
            is_rfc1123_subdomain(s),
            as_bool(&r[8]),
            "is_rfc1123_subdomain({s:?})"
        );
    }
}

#[test]
fn patterns_match_go_re2_and_the_functions() {
    let res: Vec<Regex> = PATTERNS
        .iter()
        .map(|p| Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}")))
        .collect();
    for r in rows() {
        let s = r[0].as_str().unwrap_or_default();
        let bits: Vec<bool> = r[9]
            .as_str()
            .unwrap_or_default()
            .chars()
            .map(|c| c == '1')
            .collect();
        assert_eq!(bits.len(), PATTERNS.len());
        for ((re, p), want) in res.iter().zip(PATTERNS).zip(&bits) {
            assert_eq!(re.is_match(s), *want, "Rust regex vs Go RE2: {p} on {s:?}");
        }
        // The pattern/function relations documented on each constant.
        assert_eq!(bits[0], is_mac(s), "MAC_PATTERN vs is_mac on {s:?}");
        if is_duration(s) {
            assert!(bits[1], "DURATION_PATTERN rejects duration {s:?}");
        } else if bits[1] {
            // Only the range check is beyond the pattern.
            assert_eq!(
                parse_duration(s).map_err(|e| e.to_string()),
                Err(format!("time: invalid duration {s:?}")),
                "DURATION_PATTERN accepts {s:?}"
            );
        }
        if s.len() <= RFC1123_LABEL_MAX_LEN {
            assert_eq!(bits[2], is_rfc1123_label(s), "label pattern on {s:?}");
        }
        if s.len() <= RFC1123_SUBDOMAIN_MAX_LEN {
            assert_eq!(
                bits[3],
                is_rfc1123_subdomain(s),
                "subdomain pattern on {s:?}"
            );
        }
        assert!(
            !bits[4] || is_http_url(s),
            "HTTP_URL_PATTERN accepts non-URL {s:?}"
        );
        assert!(
            !is_port_range(s) || bits[5],
            "PORT_RANGE_PATTERN rejects {s:?}"
        );
    }
}

#[test]
fn quantity_compare_matches_go() {
    let mut n = 0;
    for l in GOLDEN_CMP.lines() {
        let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"));
        let (a, b) = (
            v[0].as_str().unwrap_or_default(),
            v[1].as_str().unwrap_or_default(),
        );
        let want = match v[2].as_i64() {
            Some(-1) => Ordering::Less,
            Some(0) => Ordering::Equal,
            Some(1) => Ordering::Greater,
            _ => panic!("bad cmp row {l}"),
        };
        let (qa, qb) = (Quantity::parse(a), Quantity::parse(b));
        let (Ok(qa), Ok(qb)) = (qa, qb) else {
            panic!("unparsable quantity in {l}")
        };
        assert_eq!(
            qa.cmp(&qb),
            want,
            "quantity({a:?}).compareTo(quantity({b:?}))"
        );
        assert_eq!(qa == qb, want == Ordering::Equal);
        n += 1;
    }
    assert!(n >= 500);
}
