//! String formats. [`Format`] is what an attribute names (`#[viti(ip)]`, `#[viti(mac)]`, ...);
//! it expands into primitive rules: a `maxLength` (so the apiserver's CEL cost estimator accepts
//! rules on the field), plus a pattern where a regular expression says it exactly, or a
//! [`StringFormat`] checked by CEL where it does not.
//!
//! # Adding a format
//!
//! 1. The parser, in [`crate::formats`] (its own file, plus its line in `formats/mod.rs`).
//! 2. This file: a [`Format`] variant and its arm in [`Format::rules`]. If a regular expression
//!    states the format exactly, that is all. Otherwise add a line to `string_formats!` (the
//!    variant and its JSON Schema format name; [`StringFormat::ALL`] and [`JsonFormat::ALL`]
//!    follow from it) and its arms in `accepts`, `cel` and `phase`. Every one of those matches
//!    is exhaustive, so the crate does not compile until all three enforcers and the phase
//!    exist; the JSON Schema validator of `vitistack-codegen` registers [`JsonFormat::ALL`], so
//!    the new format is checked there with no further edit.
//! 3. The derive's keyword: one line in `FIELD_RULES` in `vitistack-derive/src/table.rs`
//!    (`("uuid", FieldKey::Format("Uuid"))`), and its row in the derive's docs.

use super::{cel, Coverage, Enforce, Phase, Rule};
use crate::formats;
use crate::report::{ErrorKind, Path, Reject, Report};
use serde_json::{Map, Value};

/// A named string format, as written in `#[viti(...)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An IPv4 or IPv6 address (no zones, no leading zeros).
    Ip,
    /// An IPv4 or IPv6 CIDR in canonical form (no host bits).
    Cidr,
    /// An IP address or a CIDR.
    IpOrCidr,
    /// An absolute `http` or `https` URL.
    HttpUrl,
    /// Six colon-separated hex pairs.
    Mac,
    /// An RFC 3339 date-time.
    DateTime,
    /// A Go duration (`30s`, `1h30m`).
    Duration,
    /// An RFC 1123 label (≤ 63).
    Rfc1123Label,
    /// An RFC 1123 subdomain (≤ 253).
    Rfc1123Subdomain,
    /// A DNS name (RFC 1123 subdomain rules).
    DnsName,
    /// A port `N` or a range `N-M`, 1 ≤ N ≤ M ≤ 65535.
    PortRange,
}

impl Format {
    /// The primitive rules this format expands to.
    pub fn rules(self) -> Vec<Rule> {
        let max = |n: usize| Rule::length(None, Some(n as u64));
        match self {
            Format::Ip => vec![max(formats::IP_MAX_LEN), Rule::Format(StringFormat::Ip)],
            Format::Cidr => vec![max(formats::CIDR_MAX_LEN), Rule::Format(StringFormat::Cidr)],
            Format::IpOrCidr => vec![
                max(formats::CIDR_MAX_LEN),
                Rule::Format(StringFormat::IpOrCidr),
            ],
            Format::HttpUrl => vec![
                max(formats::URL_MAX_LEN),
                Rule::Format(StringFormat::HttpUrl),
            ],
            Format::Mac => vec![
                max(formats::MAC_MAX_LEN),
                Rule::pattern(formats::MAC_PATTERN),
            ],
            Format::DateTime => vec![Rule::Format(StringFormat::DateTime)],
            Format::Duration => {
                vec![
                    max(formats::DURATION_MAX_LEN),
                    Rule::pattern(formats::DURATION_PATTERN),
                ]
            }
            Format::Rfc1123Label => {
                vec![
                    max(formats::RFC1123_LABEL_MAX_LEN),
                    Rule::pattern(formats::RFC1123_LABEL_PATTERN),
                ]
            }
            Format::Rfc1123Subdomain | Format::DnsName => vec![
                max(formats::RFC1123_SUBDOMAIN_MAX_LEN),
                Rule::pattern(formats::RFC1123_SUBDOMAIN_PATTERN),
            ],
            Format::PortRange => vec![
                max(formats::PORT_RANGE_MAX_LEN),
                Rule::pattern(formats::PORT_RANGE_PATTERN),
                Rule::Format(StringFormat::PortOrder),
            ],
        }
    }
}

/// Declares [`StringFormat`] and its [`StringFormat::ALL`] list in one place, so a new variant
/// is in the list the JSON Schema validator registers without anyone remembering it.
macro_rules! string_formats {
    ($($(#[$doc:meta])* $variant:ident => $json:literal,)*) => {
        /// A format no portable regular expression states exactly; checked by CEL on the
        /// apiserver (or the `date-time` format), by [`crate::formats`] in Rust, and by a custom
        /// JSON Schema format (its name: [`StringFormat::json_format`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum StringFormat {
            $($(#[$doc])* $variant,)*
        }

        impl StringFormat {
            /// Every string format.
            pub const ALL: &'static [StringFormat] = &[$(StringFormat::$variant),*];

            /// The custom JSON Schema format name.
            pub fn json_format(self) -> &'static str {
                match self {
                    $(StringFormat::$variant => $json,)*
                }
            }
        }
    };
}

string_formats! {
    /// `isIP(self)`.
    Ip => "ip",
    /// `isCIDR(self)` in canonical form.
    Cidr => "cidr",
    /// An IP or a canonical CIDR.
    IpOrCidr => "ip-or-cidr",
    /// `isURL(self)` with scheme http or https and a host.
    HttpUrl => "http-url",
    /// The numeric part of a port range: each port ≤ 65535 and N ≤ M.
    PortOrder => "port-range",
    /// OpenAPI `format: date-time`.
    DateTime => "date-time",
}

/// A custom JSON Schema `format` some rule writes, with the Rust check behind it: what a JSON
/// Schema validator must register for the generated schemas (`vitistack-codegen` registers
/// [`JsonFormat::ALL`]). Rules write a format name only through [`JsonFormat::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonFormat {
    /// One of the [`StringFormat`]s.
    String(StringFormat),
    /// A Kubernetes quantity ([`crate::formats::is_quantity`]), written by the quantity rule.
    Quantity,
}

impl JsonFormat {
    /// The name of the quantity format.
    pub const QUANTITY: &'static str = "quantity";

    /// Every custom format, built from [`StringFormat::ALL`].
    pub const ALL: &'static [JsonFormat] = &{
        let mut all = [JsonFormat::Quantity; StringFormat::ALL.len() + 1];
        let mut i = 0;
        while i < StringFormat::ALL.len() {
            all[i] = JsonFormat::String(StringFormat::ALL[i]);
            i += 1;
        }
        all
    };

    /// The `format` value in a JSON Schema.
    pub fn name(self) -> &'static str {
        match self {
            JsonFormat::String(format) => format.json_format(),
            JsonFormat::Quantity => Self::QUANTITY,
        }
    }

    /// Whether `text` is in the format (the same check `validate()` runs).
    pub fn accepts(self, text: &str) -> bool {
        match self {
            JsonFormat::String(format) => format.accepts(text),
            JsonFormat::Quantity => formats::is_quantity(text),
        }
    }
}

const CANONICAL_CIDR: &str = "isCIDR(self) && cidr(self) == cidr(self).masked()";

impl StringFormat {
    /// The Rust check.
    pub fn accepts(self, text: &str) -> bool {
        match self {
            StringFormat::Ip => formats::is_ip(text),
            StringFormat::Cidr => formats::is_canonical_cidr(text),
            StringFormat::IpOrCidr => formats::is_ip(text) || formats::is_canonical_cidr(text),
            StringFormat::HttpUrl => formats::is_http_url(text),
            // Text that fails the syntax is the pattern rule's to report.
            StringFormat::PortOrder => {
                !formats::port_range_syntax(text) || formats::parse_port_range(text).is_ok()
            }
            StringFormat::DateTime => is_date_time(text),
        }
    }

    fn cel(self) -> (String, &'static str) {
        match self {
            StringFormat::Ip => ("isIP(self)".into(), "must be a valid IPv4 or IPv6 address"),
            StringFormat::Cidr => (
                CANONICAL_CIDR.into(),
                "must be a valid CIDR network address with no host bits set, e.g. 10.0.0.0/24 or fd00::/64",
            ),
            StringFormat::IpOrCidr => (
                format!("isIP(self) || ({CANONICAL_CIDR})"),
                "must be a valid IP address or CIDR network address",
            ),
            StringFormat::HttpUrl => (
                "isURL(self) && url(self).getScheme() in ['http', 'https'] && url(self).getHostname() != ''".into(),
                "must be an absolute http or https URL",
            ),
            StringFormat::PortOrder => (
                format!(
                    "!self.matches({}) || (self.split('-').all(p, int(p) <= 65535) && int(self.split('-')[0]) <= int(self.split('-')[size(self.split('-')) - 1]))",
                    cel::string(formats::PORT_RANGE_PATTERN)
                ),
                "must be a port N or a range N-M with 1 <= N <= M <= 65535",
            ),
            StringFormat::DateTime => (String::new(), "must be an RFC 3339 date-time"),
        }
    }
}

impl Enforce for StringFormat {
    fn phase(&self) -> Phase {
        // No wildcard: a new format states its phase.
        match self {
            StringFormat::DateTime => Phase::Schema,
            StringFormat::Ip
            | StringFormat::Cidr
            | StringFormat::IpOrCidr
            | StringFormat::HttpUrl
            | StringFormat::PortOrder => Phase::Cel,
        }
    }
    fn openapi(&self, schema: &mut Map<String, Value>) {
        if *self == StringFormat::DateTime {
            schema.insert("format".into(), Value::from("date-time"));
            return;
        }
        let (rule, message) = self.cel();
        cel::push(schema, &rule, message, None, None);
    }
    fn json_schema(&self, schema: &mut Map<String, Value>) -> Coverage {
        schema.insert("format".into(), Value::from(self.json_format()));
        Coverage::Full
    }
    fn check(&self, value: &Value, path: &mut Path, report: &mut Report) {
        let Some(text) = value.as_str() else { return };
        if !self.accepts(text) {
            let (_, message) = self.cel();
            report.reject(path, ErrorKind::Invalid, Some(value), message);
        }
    }
}

/// RFC 3339 date-time, as the apiserver's `date-time` format reads it (`T`/`Z` in either case,
/// optional fraction, a zone offset or `Z`), with a valid calendar date and clock time.
fn is_date_time(text: &str) -> bool {
    static SHAPE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$").ok()
    });
    let Some(c) = SHAPE.as_ref().and_then(|re| re.captures(text)) else {
        return false;
    };
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (n(1), n(2), n(3)) else {
        return false;
    };
    if !formats::is_calendar_date(year, month, day) {
        return false;
    }
    let clock_ok = n(4).is_some_and(|h| h < 24)
        && n(5).is_some_and(|m| m < 60)
        && n(6).is_some_and(|s| s < 60);
    let zone_ok =
        c.get(9).is_none() || (n(9).is_some_and(|h| h < 24) && n(10).is_some_and(|m| m < 60));
    clock_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_accepts_rfc3339_and_rejects_the_rest() {
        for ok in [
            "2026-11-26T14:23:43Z",
            "2024-02-29T00:00:00.123+01:00",
            "2026-01-01t00:00:00z",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2026-11-26",
            "2026-11-26T14:23:43",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-26T24:00:00Z",
            "yesterday",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn port_order_leaves_bad_syntax_to_the_pattern() {
        assert!(StringFormat::PortOrder.accepts("80"));
        assert!(StringFormat::PortOrder.accepts("80-443"));
        assert!(!StringFormat::PortOrder.accepts("443-80"));
        assert!(!StringFormat::PortOrder.accepts("70000"));
        assert!(StringFormat::PortOrder.accepts("http"));
    }
}
