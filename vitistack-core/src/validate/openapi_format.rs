//! The string formats the apiserver checks in a CRD schema (kube-openapi's `strfmt` registry),
//! each as the live apiserver accepts it: what `format: uuid` and the like mean in a loaded
//! CRD. The derive's own formats are rules ([`crate::rules::Format`]); these are the OpenAPI
//! keyword's.
//!
//! Every format the apiserver checks is listed; the few this module does not implement
//! (`email`, `uri`, `isbn*`, `creditcard`, `ssn`) are reported as not checked, never passed.
//! A format the apiserver does not know (it warns `unrecognized format` at CRD creation) is not
//! checked by either.

use crate::formats::{is_rfc1123_label, is_rfc1123_subdomain};
use regex::Regex;
use std::net::Ipv6Addr;
use std::sync::LazyLock;

/// What checking `text` against a format found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// In the format (or a format the apiserver does not check).
    Valid,
    /// Not in the format.
    Invalid,
    /// A format the apiserver checks and this module does not.
    Unsupported,
}

/// `text` against the format named `format` (as written: `date-time` and `datetime` alike).
pub(super) fn check(format: &str, text: &str) -> Verdict {
    let normalized: String = format.chars().filter(|c| *c != '-' && *c != '_').collect();
    let valid = match normalized.to_ascii_lowercase().as_str() {
        "datetime" => is_date_time(text),
        "date" => is_date(text),
        "byte" => matches(&BASE64, text),
        "uuid" => matches(&UUID, text),
        "uuid3" => matches(&UUID3, text),
        "uuid4" => matches(&UUID4, text),
        "uuid5" => matches(&UUID5, text),
        "ipv4" => text.contains('.') && parse_ip_sloppy(text).is_some(),
        "ipv6" => text.contains(':') && parse_ip_sloppy(text).is_some(),
        "cidr" => is_cidr(text),
        "mac" => is_mac(text),
        "hostname" => is_hostname(text),
        "duration" => is_duration(text),
        "k8sshortname" => is_rfc1123_label(text),
        "k8slongname" => is_rfc1123_subdomain(text),
        "hexcolor" => matches(&HEX_COLOR, text),
        "rgbcolor" => matches(&RGB_COLOR, text),
        "bsonobjectid" => text.len() == 24 && text.bytes().all(|b| b.is_ascii_hexdigit()),
        "email" | "uri" | "isbn" | "isbn10" | "isbn13" | "creditcard" | "ssn" => {
            return Verdict::Unsupported
        }
        _ => true,
    };
    if valid {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

fn regex(source: &str) -> Option<Regex> {
    Regex::new(source).ok()
}

fn matches(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|re| re.is_match(text))
}

static BASE64: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$")
});
static UUID: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
});
static UUID3: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
});
static UUID4: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")
});
static UUID5: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")
});
static HEX_COLOR: LazyLock<Option<Regex>> =
    LazyLock::new(|| regex(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"));
static RGB_COLOR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let n = r"\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*";
    regex(&format!(r"^rgb\({n},{n},{n}\)$"))
});
static HOSTNAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(
        r"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$",
    )
});
static TIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$")
});

/// Go's `time.Parse("2006-01-02")`: four-digit year, a real day of that month.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    crate::formats::is_calendar_date(year, month, day)
}

/// kube-openapi's `IsDateTime`: lower-cased and split at `t`, a date, then a time whose zone
/// offset is not range-checked.
fn is_date_time(text: &str) -> bool {
    if text.len() < 4 {
        return false;
    }
    let lower = text.to_lowercase();
    let mut parts = lower.split('t');
    let (Some(date), Some(time)) = (parts.next(), parts.next()) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let Some(captures) = TIME.as_ref().and_then(|re| re.captures(time)) else {
        return false;
    };
    let field = |i: usize| captures.get(i).map_or("", |m| m.as_str());
    field(1) <= "23" && field(2) <= "59" && field(3) <= "59"
}

/// `netutils.ParseIPSloppy`: Go's `net.ParseIP` before Go 1.17, which reads leading zeros of
/// an IPv4 part as decimal.
fn parse_ip_sloppy(text: &str) -> Option<()> {
    if text.contains(':') {
        return text.parse::<Ipv6Addr>().ok().map(|_| ());
    }
    let parts: Vec<&str> = text.split('.').collect();
    let part_ok = |p: &&str| {
        !p.is_empty()
            && p.bytes().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| n <= 255)
    };
    (parts.len() == 4 && parts.iter().all(part_ok)).then_some(())
}

/// `netutils.ParseCIDRSloppy`: an address (host bits allowed), `/`, a prefix length within
/// the address's width.
fn is_cidr(text: &str) -> bool {
    let Some((address, prefix)) = text.split_once('/') else {
        return false;
    };
    let width = if address.contains(':') { 128 } else { 32 };
    parse_ip_sloppy(address).is_some()
        && !prefix.is_empty()
        && prefix.bytes().all(|c| c.is_ascii_digit())
        && prefix.parse::<u32>().is_ok_and(|n| n <= width)
}

/// Go's `net.ParseMAC`: 6, 8 or 20 octets as `xx:xx:..`, `xx-xx-..` or `xxxx.xxxx.xxxx`.
fn is_mac(text: &str) -> bool {
    let hex =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|c| c.is_ascii_hexdigit());
    let octets_ok = |n: usize| n == 6 || n == 8 || n == 20;
    for separator in [':', '-'] {
        if text.contains(separator) {
            let parts: Vec<&str> = text.split(separator).collect();
            return octets_ok(parts.len()) && parts.iter().all(|p| hex(p, 2));
        }
    }
    let groups: Vec<&str> = text.split('.').collect();
    groups.len() > 1 && octets_ok(groups.len() * 2) && groups.iter().all(|g| hex(g, 4))
}

/// kube-openapi's `IsHostname`: its pattern, at most 255 bytes, labels of at most 63.
fn is_hostname(text: &str) -> bool {
    matches(&HOSTNAME, text) && text.len() <= 255 && text.split('.').all(|l| l.len() <= 63)
}

/// kube-openapi's `ParseDuration`: Go's `time.ParseDuration`, else a number and a unit word at
/// the start (`3 days`, `1w`; what follows is not read).
fn is_duration(text: &str) -> bool {
    go_duration(text) || word_duration(text)
}

fn go_duration(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    if s == "0" {
        return true;
    }
    if s.is_empty() {
        return false;
    }
    let mut rest = s;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[number_len..];
        let unit = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(**u))
            .max_by_key(|u| u.len());
        let Some(unit) = unit else { return false };
        rest = &rest[unit.len()..];
    }
    true
}

static WORD_DURATION: LazyLock<Option<Regex>> =
    LazyLock::new(|| regex(r"^(((?:-\s?)?\d+)(\.\d+)?\s*([A-Za-zµ]+))"));

fn word_duration(text: &str) -> bool {
    const UNITS: &[&str] = &[
        "ns",
        "nanosecond",
        "nanoseconds",
        "us",
        "µs",
        "microsecond",
        "microseconds",
        "mcs",
        "ms",
        "millisecond",
        "milliseconds",
        "s",
        "sec",
        "second",
        "seconds",
        "m",
        "min",
        "minute",
        "minutes",
        "h",
        "hr",
        "hour",
        "hours",
        "d",
        "day",
        "days",
        "w",
        "wk",
        "week",
        "weeks",
    ];
    let Some(captures) = WORD_DURATION.as_ref().and_then(|re| re.captures(text)) else {
        return false;
    };
    let number_ok = captures
        .get(2)
        .is_some_and(|m| m.as_str().parse::<i64>().is_ok());
    let unit = captures
        .get(4)
        .map_or(String::new(), |m| m.as_str().to_lowercase());
    number_ok && UNITS.contains(&unit.as_str())
}

#[cfg(test)]
mod tests {
    use super::{check, Verdict};

    /// Each value's verdict on the live apiserver (v1.37 test server, dry-run create).
    #[test]
    fn verdicts_of_the_live_apiserver() {
        let cases: &[(&str, &str, bool)] = &[
            ("byte", "", false),
            ("byte", "YQ==", true),
            ("byte", "YQ", false),
            ("byte", "Y Q==", false),
            ("byte", "YQ==\n", false),
            ("byte", "a+/=", true),
            ("date-time", "2024-01-01T00:00:00", false),
            ("date-time", "2024-01-01t00:00:00z", true),
            ("date-time", "2024-02-30T00:00:00Z", false),
            ("date-time", "2024-01-01T00:00:00.5+01:00", true),
            ("date-time", "2024-01-01T24:00:00Z", false),
            ("date-time", "2024-13-01T00:00:00Z", false),
            ("date-time", "2024-01-01T00:00:00+25:00", true),
            ("date-time", "2024-01-01 00:00:00Z", false),
            ("date-time", "", false),
            ("date-time", "2024-01-01T00:00:00x5Z", true),
            ("date-time", "2024-01-01T00:00:60Z", false),
            ("date", "2024-02-30", false),
            ("date", "2024-1-01", false),
            ("date", "2024-02-29", true),
            ("date", "2023-02-29", false),
            ("date", "", false),
            ("uuid", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", true),
            ("uuid", "a0eebc999c0b4ef8bb6d6bb9bd380a11", true),
            ("uuid3", "a0eebc99-9c0b-3ef8-bb6d-6bb9bd380a11", true),
            ("uuid4", "a0eebc99-9c0b-3ef8-bb6d-6bb9bd380a11", false),
            ("uuid3", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", false),
            ("uuid4", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", true),
            ("ipv4", "01.1.1.1", true),
            ("ipv4", "1.1.1.1", true),
            ("ipv4", "::ffff:1.2.3.4", true),
            ("ipv4", "", false),
            ("ipv6", "::1", true),
            ("ipv6", "::ffff:1.2.3.4", true),
            ("ipv6", "1.1.1.1", false),
            ("ipv6", "fe80::1%eth0", false),
            ("cidr", "10.0.0.1/24", true),
            ("cidr", "010.0.0.0/8", true),
            ("cidr", "::/0", true),
            ("cidr", "10.0.0.0", false),
            ("mac", "00:11:22:33:44:55", true),
            ("mac", "0011.2233.4455", true),
            ("mac", "00-11-22-33-44-55-66-77", true),
            ("mac", "00:11:22:33:44", false),
            ("hostname", "a_b", false),
            ("hostname", "Example.com", true),
            ("hostname", "-a", false),
            ("hostname", "a..b", false),
            ("hostname", "localhost", true),
            ("duration", "1h", true),
            ("duration", "3 days", true),
            ("duration", "1w", true),
            ("duration", "1x", false),
            ("duration", "-1h", true),
            ("duration", "", false),
            ("duration", "1h 30m", true),
            ("k8s-short-name", "a", true),
            ("k8s-long-name", "a", true),
            ("k8s-short-name", "Ab", false),
            ("k8s-long-name", "Ab", false),
            ("k8s-short-name", "a.b", false),
            ("k8s-long-name", "a.b", true),
            ("hexcolor", "#fff", true),
            ("hexcolor", "fff", true),
            ("hexcolor", "#ffff", false),
            ("password", "!!not valid!!", true),
            ("my-own", "!!not valid!!", true),
        ];
        for (format, text, valid) in cases {
            let expected = if *valid {
                Verdict::Valid
            } else {
                Verdict::Invalid
            };
            assert_eq!(check(format, text), expected, "{format} {text:?}");
        }
        assert_eq!(check("uri", "x"), Verdict::Unsupported);
    }
}
