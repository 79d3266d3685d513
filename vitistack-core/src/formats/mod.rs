//! Exact string-format checkers that agree with the Kubernetes apiserver.
//!
//! The CRDs of `vitistack.io/v1alpha1` validate string fields on the server
//! with OpenAPI `pattern`s and with CEL rules (`isIP`, `isCIDR`,
//! `cidr(..).containsIP`, `isQuantity`, `quantity(..).compareTo`, `isURL`).
//! The functions in this module are the Rust-side enforcers of those rules:
//! each one accepts exactly the strings the apiserver accepts. They are ports of
//! the Go code the apiserver runs, not re-implementations from the RFCs:
//!
//! | format | Rust | apiserver (Go) | max length const |
//! |---|---|---|---|
//! | quantity | [`Quantity::parse`], [`parse_quantity`], [`is_quantity`] | `resource.ParseQuantity` (CEL `quantity()`, `isQuantity`) | [`QUANTITY_MAX_LEN`] |
//! | IP address | [`parse_ip`], [`is_ip`] | `netip.ParseAddr` minus zones and IPv4-mapped IPv6 (CEL `isIP`) | [`IP_MAX_LEN`] |
//! | CIDR | [`parse_cidr`], [`is_cidr`], [`parse_canonical_cidr`], [`is_canonical_cidr`] | `netip.ParsePrefix` minus IPv4-mapped IPv6 (CEL `isCIDR`) | [`CIDR_MAX_LEN`] |
//! | MAC | [`is_mac`], [`parse_mac`], [`MAC_PATTERN`] | OpenAPI `pattern` | [`MAC_MAX_LEN`] |
//! | duration | [`parse_duration`], [`is_duration`], [`DURATION_PATTERN`] | `time.ParseDuration` | [`DURATION_MAX_LEN`] |
//! | RFC 1123 names | [`is_rfc1123_label`], [`is_rfc1123_subdomain`], [`is_dns_name`] | `validation.IsDNS1123Label` / `IsDNS1123Subdomain` | [`RFC1123_LABEL_MAX_LEN`], [`RFC1123_SUBDOMAIN_MAX_LEN`] |
//! | http(s) URL | [`is_http_url`], [`validate_http_url`], [`HTTP_URL_PATTERN`] | `url.ParseRequestURI` + `url.Parse` (CEL `isURL`, `url()`) | [`URL_MAX_LEN`] |
//! | port range | [`parse_port_range`], [`is_port_range`], [`PORT_RANGE_PATTERN`] | (project rule) | [`PORT_RANGE_MAX_LEN`] |
//!
//! The `*_MAX_LEN` constants are the `maxLength` the CRD schemas declare so that
//! the CEL cost estimator accepts the rules. Unless a function's documentation
//! says otherwise, the functions do **not** enforce them (the Go functions do
//! not either); the schema's `maxLength` does.
//!
//! The `*_PATTERN` constants are anchored regular expressions that are valid,
//! with the same meaning, in Go RE2 (what the apiserver uses for `pattern`),
//! ECMA-262 (JSON Schema) and the Rust `regex` crate.

pub mod cidr;
pub mod date;
pub mod duration;
pub mod ip;
pub mod mac;
pub mod names;
pub mod port;
pub mod quantity;
pub mod url;

#[cfg(test)]
mod golden_tests;

pub use cidr::{is_canonical_cidr, is_cidr, parse_canonical_cidr, parse_cidr, Cidr, CIDR_MAX_LEN};
pub use date::is_calendar_date;
pub use duration::{is_duration, parse_duration, DURATION_MAX_LEN, DURATION_PATTERN};
pub use ip::{is_ip, parse_ip, IP_MAX_LEN};
pub use mac::{is_mac, parse_mac, MAC_MAX_LEN, MAC_PATTERN};
pub use names::{
    is_dns_name, is_rfc1123_label, is_rfc1123_subdomain, validate_dns_name, validate_rfc1123_label,
    validate_rfc1123_subdomain, RFC1123_LABEL_MAX_LEN, RFC1123_LABEL_PATTERN,
    RFC1123_SUBDOMAIN_MAX_LEN, RFC1123_SUBDOMAIN_PATTERN,
};
pub use port::{
    is_port_range, parse_port_range, port_range_syntax, PORT_RANGE_MAX_LEN, PORT_RANGE_PATTERN,
};
pub use quantity::{
    is_quantity, parse_quantity, Quantity, QuantityError, MAX_GO_POW10_DIGITS, QUANTITY_MAX_LEN,
    QUANTITY_PATTERN,
};
pub use url::{is_http_url, validate_http_url, HTTP_URL_PATTERN, URL_MAX_LEN};

/// Why a string is not in one of the formats of this module.
///
/// The `Display` texts follow the wording of the apiserver (the Go error texts
/// of `netip`, `time`, `net/url`, the CEL libraries and
/// `k8s.io/apimachinery/pkg/util/validation`), so they can be shown to users
/// next to the messages the server itself produces.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// Not a valid quantity (`resource.ParseQuantity` failed).
    #[error("quantity {value:?} is invalid: {source}")]
    Quantity {
        /// The rejected input.
        value: String,
        /// The `ParseQuantity` error.
        #[source]
        source: QuantityError,
    },
    /// Not an IP address that `netip.ParseAddr` parses.
    #[error("IP Address {value:?} parse error during conversion from string: ParseAddr({value:?}): {reason}")]
    Ip {
        /// The rejected input.
        value: String,
        /// The `netip` error text.
        reason: String,
    },
    /// An IPv6 address with a zone (`fe80::1%eth0`); CEL `ip()` rejects these.
    #[error("IP address {value:?} with zone value is not allowed")]
    IpZone {
        /// The rejected input.
        value: String,
    },
    /// An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`); CEL `ip()`/`cidr()` reject these.
    #[error("IPv4-mapped IPv6 address {value:?} is not allowed")]
    IpMapped {
        /// The rejected input.
        value: String,
    },
    /// Not a prefix that `netip.ParsePrefix` parses.
    #[error("network address parse error during conversion from string: netip.ParsePrefix({value:?}): {reason}")]
    Cidr {
        /// The rejected input.
        value: String,
        /// The `netip` error text.
        reason: String,
    },
    /// A valid CIDR with host bits set where the network address is required.
    #[error("{value:?} is not a CIDR network address: host bits are set (the network address is {masked})")]
    CidrNotCanonical {
        /// The rejected input.
        value: String,
        /// The canonical form, `cidr(value).masked()`.
        masked: String,
    },
    /// Does not match a `pattern` (MAC address).
    #[error("{value:?} should match '{pattern}'")]
    Pattern {
        /// The rejected input.
        value: String,
        /// The pattern it must match.
        pattern: &'static str,
    },
    /// Not a duration that `time.ParseDuration` parses.
    #[error("time: {reason} {value:?}")]
    Duration {
        /// The rejected input.
        value: String,
        /// The `time` error text (without the value).
        reason: String,
    },
    /// Not an RFC 1123 label / subdomain / DNS name; `reasons` are the strings
    /// `validation.IsDNS1123Label` / `IsDNS1123Subdomain` return.
    #[error("{value:?}: {}", reasons.join(", "))]
    Name {
        /// The rejected input.
        value: String,
        /// The apimachinery validation messages.
        reasons: Vec<String>,
    },
    /// Not an absolute `http`/`https` URL with a host.
    #[error("{value:?} is not a valid http(s) URL: {reason}")]
    Url {
        /// The rejected input.
        value: String,
        /// What is wrong (the `net/url` error text where there is one).
        reason: String,
    },
    /// Not a port (`N`) or port range (`N-M`).
    #[error("{value:?} is not a valid port or port range: {reason}")]
    PortRange {
        /// The rejected input.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
}
