//! The kinds of the CEL parity corpus (`tests/corpus/cel.yaml`, `tests/corpus/cel_updates.yaml`,
//! run by `tests/tests/cel_parity.rs`): derived kinds whose raw `#[viti(cel(...))]` rules, with no
//! hand-written `check`, together use every CEL library a 1.37 apiserver offers CRD rules at
//! compatibility version 1.36 (`../shared/notes/cel-apiserver.md` §1.2), plus `messageExpression`,
//! `reason`, `fieldPath` and transition rules.
//!
//! One kind per group of libraries. Every field is optional and every rule is guarded by `has()`
//! on the fields it reads, so a case sets the fields of the rules it is about and no other rule
//! fires; where a rule deliberately does not guard (`has()` on an absent optional, an error while
//! evaluating), the case says so. Lists and strings carry `maxItems`/`maxLength` so that the
//! apiserver's cost estimate admits the rules.

// Many rules report at the same field (`field_path = ".name"` in several `cel(...)`): clippy
// takes the derive's helper attributes for duplicated built-in ones.
#![allow(clippy::duplicated_attributes)]

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use vitistack_types::{CustomResource, Schema};

/// The API group of the corpus kinds (its own, so the CRDs never meet the vitistack.io ones).
pub const GROUP: &str = "celparity.vitistack.io";
/// The API version of the corpus kinds.
pub const VERSION: &str = "v1";

/// The status every corpus kind shares (the corpus never writes it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Schema)]
pub struct CelStatus {
    /// A phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

// --- the standard library and its macros --------------------------------------------------------

/// The standard library: string functions, `matches`, arithmetic, conversions, `in`, the
/// ternary operator, timestamps and durations, and the macros `has`, `all`, `exists`,
/// `exists_one`, `map` (two and three arguments) and `filter`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "celparity.vitistack.io",
    version = "v1",
    status = "CelStatus",
    kind = "CelStandard",
    namespaced
)]
#[viti(cel(
    rule = "has(self.name) || has(self.tags)",
    message = "name or tags must be set"
))]
#[viti(cel(
    rule = "!has(self.name) || self.name.startsWith('app-')",
    message = "name must start with app-",
    field_path = ".name"
))]
#[viti(cel(
    rule = "!has(self.name) || !self.name.endsWith('-')",
    message = "name must not end with a dash",
    field_path = ".name"
))]
#[viti(cel(
    rule = "!has(self.name) || !self.name.contains('--')",
    message = "name must not contain a double dash",
    field_path = ".name"
))]
#[viti(cel(
    rule = "!has(self.name) || self.name.matches('^[a-z0-9-]*$')",
    message = "name must be lower-case letters, digits and dashes",
    field_path = ".name"
))]
#[viti(cel(
    rule = "!has(self.replicas) || self.replicas in [1, 3, 5]",
    message = "replicas must be 1, 3 or 5"
))]
#[viti(cel(
    rule = "!has(self.ratio) || (self.ratio > 0.0 && self.ratio < 1.0)",
    message = "ratio must be between 0 and 1"
))]
#[viti(cel(
    rule = "!has(self.ratio) || !has(self.replicas) || double(self.replicas) * self.ratio >= 1.0",
    message = "replicas times ratio must be at least 1"
))]
#[viti(cel(
    rule = "!has(self.tags) || self.tags.all(t, t != 'latest')",
    message = "the tag latest is not allowed"
))]
#[viti(cel(
    rule = "!has(self.tags) || !self.tags.exists(t, t == 'primary') || self.tags.exists_one(t, t == 'primary')",
    message = "at most one tag may be primary"
))]
#[viti(cel(
    rule = "!has(self.ports) || self.ports.filter(p, p < 1024).size() == 0",
    message = "ports below 1024 are privileged"
))]
#[viti(cel(
    rule = "!has(self.ports) || size(self.ports.map(p, p > 60000, p)) <= 1",
    message = "at most one port may be above 60000"
))]
#[viti(cel(
    rule = "!has(self.ports) || self.ports.map(p, p % 2).all(r, r == self.ports[0] % 2)",
    message = "ports must be all even or all odd"
))]
#[viti(cel(
    rule = "!has(self.labels) || self.labels.all(k, k.startsWith('example.com/'))",
    message = "label keys must start with example.com/"
))]
#[viti(cel(
    rule = "!has(self.labels) || !('forbidden' in self.labels)",
    message = "the label forbidden is not allowed"
))]
#[viti(cel(
    rule = "!has(self.start) || !has(self.end) || self.start < self.end",
    message = "start must be before end",
    field_path = ".start"
))]
#[viti(cel(
    rule = "!has(self.start) || self.start.getFullYear() >= 2020",
    message = "start must be in 2020 or later"
))]
#[viti(cel(
    rule = "!has(self.start) || !has(self.end) || self.end - self.start <= duration('720h')",
    message = "the window may last at most 30 days"
))]
#[viti(cel(
    rule = "!has(self.code) || (self.code.matches('^[0-9]+$') && int(self.code) < 1000)",
    message = "code must be a number below 1000"
))]
#[viti(cel(
    rule = "!has(self.enabled) || (self.enabled ? has(self.replicas) : !has(self.replicas))",
    message = "replicas must be set exactly when enabled"
))]
#[viti(cel(
    rule = "!has(self.limits) || !has(self.limits.min) || !has(self.limits.max) || self.limits.min <= self.limits.max",
    message = "limits.min must not exceed limits.max",
    field_path = ".limits.min"
))]
#[viti(cel(
    rule = "!has(self.divisor) || 100 / self.divisor > 1",
    message = "divisor must be below 50"
))]
pub struct CelStandardSpec {
    /// A name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 63))]
    pub name: Option<String>,
    /// Replica count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
    /// A ratio.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10), each(length(max = 20)))]
    pub tags: Option<Vec<String>>,
    /// Ports.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10))]
    pub ports: Option<Vec<i64>>,
    /// Labels (a map).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    /// Start of a window.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(date_time)]
    pub start: Option<String>,
    /// End of a window.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(date_time)]
    pub end: Option<String>,
    /// A numeric code, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 10))]
    pub code: Option<String>,
    /// Whether the replicas are used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Limits (an object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<CelLimits>,
    /// A divisor (zero is an error while evaluating).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub divisor: Option<i64>,
}

/// Two bounds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct CelLimits {
    /// Lower bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Upper bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

// --- strings (ext.Strings v2), regex, format -----------------------------------------------------

/// `ext.Strings` v2 (`charAt indexOf lastIndexOf lowerAscii upperAscii replace split substring
/// trim join format strings.quote`), the Kubernetes regex library (`find`, `findAll`) and the
/// format library (`format.named`, `format.<name>().validate`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "celparity.vitistack.io",
    version = "v1",
    status = "CelStatus",
    kind = "CelStrings",
    plural = "celstrings",
    namespaced
)]
#[viti(cel(
    rule = "!has(self.host) || self.host.lowerAscii() == self.host",
    message = "host must be lower case",
    field_path = ".host"
))]
#[viti(cel(
    rule = "!has(self.host) || size(self.host) == 0 || self.host.charAt(0) != '-'",
    message = "host must not start with a dash",
    field_path = ".host"
))]
#[viti(cel(
    rule = "!has(self.host) || self.host.indexOf('..') == -1",
    message = "host must not contain an empty label",
    field_path = ".host"
))]
#[viti(cel(
    rule = "!has(self.host) || size(self.host) == 0 || self.host.lastIndexOf('.') < size(self.host) - 1",
    message = "host must not end with a dot",
    field_path = ".host"
))]
#[viti(cel(
    rule = "!has(self.host) || size(self.host) <= 30",
    message = "host is too long",
    message_expression = "'host is %d characters long, at most 30 are allowed'.format([size(self.host)])",
    field_path = ".host"
))]
#[viti(cel(
    rule = "!has(self.path) || self.path.trim() == self.path",
    message = "path must not have surrounding spaces",
    message_expression = "'path ' + strings.quote(self.path) + ' has surrounding spaces'"
))]
#[viti(cel(
    rule = "!has(self.path) || self.path.replace('//', '/') == self.path",
    message = "path must not contain //"
))]
#[viti(cel(
    rule = "!has(self.csv) || self.csv.split(',').size() <= 3",
    message = "csv has at most three items"
))]
#[viti(cel(
    rule = "!has(self.csv) || self.csv.split(',').all(x, x.trim().size() > 0)",
    message = "csv items must not be empty"
))]
#[viti(cel(
    rule = "!has(self.csv) || self.csv.findAll('[0-9]+').size() <= 2",
    message = "csv may hold at most two numbers"
))]
#[viti(cel(
    rule = "!has(self.csv) || self.csv.findAll('[a-z]+', 1).all(w, w != 'bad')",
    message = "the first word of csv must not be bad"
))]
#[viti(cel(
    rule = "!has(self.words) || self.words.join('-').size() <= 20",
    message = "words joined with dashes must be at most 20 characters"
))]
#[viti(cel(
    rule = "!has(self.words) || self.words.all(w, w.upperAscii() != 'ADMIN')",
    message = "admin is a reserved word"
))]
#[viti(cel(
    rule = "!has(self.version) || size(self.version) < 2 || self.version.substring(0, 1) == 'v'",
    message = "version must start with v"
))]
#[viti(cel(
    rule = "!has(self.email) || self.email.find('@[a-z]+[.][a-z]+$') != ''",
    message = "email needs a domain",
    field_path = ".email"
))]
#[viti(cel(
    rule = "!has(self.label) || !format.dns1123Label().validate(self.label).hasValue()",
    message = "label must be a DNS-1123 label",
    message_expression = "'label: ' + format.dns1123Label().validate(self.label).value()[0]",
    field_path = ".label"
))]
#[viti(cel(
    rule = "!has(self.subdomain) || !format.named('dns1123Subdomain').value().validate(self.subdomain).hasValue()",
    message = "subdomain must be a DNS-1123 subdomain",
    field_path = ".subdomain"
))]
#[viti(cel(
    rule = "!has(self.uuid) || !format.uuid().validate(self.uuid).hasValue()",
    message = "uuid must be a UUID",
    field_path = ".uuid"
))]
#[viti(cel(
    rule = "!has(self.date) || !format.date().validate(self.date).hasValue()",
    message = "date must be a date (YYYY-MM-DD)",
    field_path = ".date"
))]
#[viti(cel(
    rule = "!has(self.qualified) || !format.qualifiedName().validate(self.qualified).hasValue()",
    message = "qualified must be a qualified name",
    message_expression = "format.qualifiedName().validate(self.qualified).value()[0]",
    field_path = ".qualified"
))]
#[viti(cel(
    rule = "!has(self.unknownFormat) || !format.named(self.unknownFormat).hasValue()",
    message = "unknownFormat must not name a format"
))]
pub struct CelStringsSpec {
    /// A host name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 253))]
    pub host: Option<String>,
    /// A path.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 100))]
    pub path: Option<String>,
    /// Comma-separated values.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 100))]
    pub csv: Option<String>,
    /// Words.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10), each(length(max = 20)))]
    pub words: Option<Vec<String>>,
    /// A version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub version: Option<String>,
    /// An e-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 100))]
    pub email: Option<String>,
    /// A DNS-1123 label.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 100))]
    pub label: Option<String>,
    /// A DNS-1123 subdomain.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 300))]
    pub subdomain: Option<String>,
    /// A UUID.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub uuid: Option<String>,
    /// A date.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub date: Option<String>,
    /// A qualified name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 100))]
    pub qualified: Option<String>,
    /// A name that must not be a format of the format library.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub unknown_format: Option<String>,
}

// --- ip, cidr, url ---------------------------------------------------------------------------------

/// The Kubernetes IP, CIDR and URL libraries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "celparity.vitistack.io",
    version = "v1",
    status = "CelStatus",
    kind = "CelNetwork",
    namespaced
)]
#[viti(cel(
    rule = "!has(self.address) || isIP(self.address)",
    message = "address must be an IP address",
    field_path = ".address"
))]
#[viti(cel(
    rule = "!has(self.address) || !isIP(self.address) || ip(self.address).family() == 4",
    message = "address must be IPv4",
    field_path = ".address"
))]
#[viti(cel(
    rule = "!has(self.address) || !isIP(self.address) || ip.isCanonical(self.address)",
    message = "address must be in canonical form",
    field_path = ".address"
))]
#[viti(cel(
    rule = "!has(self.address) || !isIP(self.address) || !ip(self.address).isLoopback()",
    message = "address must not be a loopback address",
    field_path = ".address"
))]
#[viti(cel(
    rule = "!has(self.address) || !isIP(self.address) || !ip(self.address).isUnspecified()",
    message = "address must not be unspecified",
    field_path = ".address"
))]
#[viti(cel(
    rule = "!has(self.address) || !isIP(self.address) || !ip(self.address).isLinkLocalUnicast()",
    message = "address must not be link-local",
    field_path = ".address"
))]
#[viti(cel(
    rule = "!has(self.gateway) || (isIP(self.gateway) && ip(self.gateway).isGlobalUnicast())",
    message = "gateway must be a global unicast address",
    field_path = ".gateway"
))]
#[viti(cel(
    rule = "!has(self.group) || (isIP(self.group) && ip(self.group).isLinkLocalMulticast())",
    message = "group must be a link-local multicast address",
    field_path = ".group"
))]
#[viti(cel(
    rule = "!has(self.subnet) || isCIDR(self.subnet)",
    message = "subnet must be a CIDR",
    field_path = ".subnet"
))]
#[viti(cel(
    rule = "!has(self.subnet) || !isCIDR(self.subnet) || cidr(self.subnet).prefixLength() >= 16",
    message = "subnet must be /16 or longer",
    field_path = ".subnet"
))]
#[viti(cel(
    rule = "!has(self.subnet) || !isCIDR(self.subnet) || cidr(self.subnet) == cidr(self.subnet).masked()",
    message = "subnet must not have host bits set",
    field_path = ".subnet"
))]
#[viti(cel(
    rule = "!has(self.subnet) || !isCIDR(self.subnet) || string(cidr(self.subnet).masked()) != '192.168.0.0/16'",
    message = "192.168.0.0/16 is reserved",
    field_path = ".subnet"
))]
#[viti(cel(
    rule = "!has(self.subnet) || !isCIDR(self.subnet) || cidr(self.subnet).ip().family() == 4 || cidr(self.subnet).prefixLength() <= 64",
    message = "an IPv6 subnet must be /64 or shorter",
    field_path = ".subnet"
))]
#[viti(cel(
    rule = "!has(self.subnet) || !has(self.gateway) || !isCIDR(self.subnet) || !isIP(self.gateway) || cidr(self.subnet).containsIP(self.gateway)",
    message = "gateway must be inside subnet",
    field_path = ".gateway"
))]
#[viti(cel(
    rule = "!has(self.subnet) || !has(self.address) || !isCIDR(self.subnet) || !isIP(self.address) || cidr(self.subnet).containsIP(ip(self.address))",
    message = "address must be inside subnet",
    field_path = ".address"
))]
#[viti(cel(
    rule = "!has(self.subnet) || !has(self.excluded) || !isCIDR(self.subnet) || !isCIDR(self.excluded) || cidr(self.subnet).containsCIDR(self.excluded)",
    message = "excluded must be inside subnet",
    field_path = ".excluded"
))]
#[viti(cel(
    rule = "!has(self.endpoint) || isURL(self.endpoint)",
    message = "endpoint must be a URL",
    field_path = ".endpoint"
))]
#[viti(cel(
    rule = "!has(self.endpoint) || !isURL(self.endpoint) || url(self.endpoint).getScheme() == 'https'",
    message = "endpoint must use https",
    field_path = ".endpoint"
))]
#[viti(cel(
    rule = "!has(self.endpoint) || !isURL(self.endpoint) || url(self.endpoint).getPort() == '' || int(url(self.endpoint).getPort()) >= 1024",
    message = "endpoint port must be at least 1024",
    field_path = ".endpoint"
))]
#[viti(cel(
    rule = "!has(self.endpoint) || !isURL(self.endpoint) || url(self.endpoint).getHostname() != 'localhost'",
    message = "endpoint must not be localhost",
    field_path = ".endpoint"
))]
#[viti(cel(
    rule = "!has(self.endpoint) || !isURL(self.endpoint) || !url(self.endpoint).getEscapedPath().startsWith('/admin')",
    message = "endpoint must not point below /admin",
    field_path = ".endpoint"
))]
#[viti(cel(
    rule = "!has(self.endpoint) || !isURL(self.endpoint) || !('debug' in url(self.endpoint).getQuery())",
    message = "endpoint must not set debug",
    field_path = ".endpoint"
))]
#[viti(cel(
    rule = "!has(self.endpoint) || !isURL(self.endpoint) || !url(self.endpoint).getHost().startsWith('[')",
    message = "endpoint host must not be an IPv6 literal",
    field_path = ".endpoint"
))]
#[viti(cel(
    rule = "!has(self.addresses) || self.addresses.all(a, isIP(a))",
    message = "addresses must be IP addresses",
    message_expression = "'not an IP address: ' + self.addresses.filter(a, !isIP(a))[0]",
    field_path = ".addresses"
))]
pub struct CelNetworkSpec {
    /// An IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub address: Option<String>,
    /// The gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub gateway: Option<String>,
    /// A multicast group.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub group: Option<String>,
    /// A subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub subnet: Option<String>,
    /// A CIDR excluded from the subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub excluded: Option<String>,
    /// An endpoint URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 200))]
    pub endpoint: Option<String>,
    /// IP addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 8), each(length(max = 64)))]
    pub addresses: Option<Vec<String>>,
}

// --- quantity, semver, Kubernetes lists, sets -----------------------------------------------------

/// The Kubernetes quantity, semver and lists libraries, and `ext.Sets`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "celparity.vitistack.io",
    version = "v1",
    status = "CelStatus",
    kind = "CelNumbers",
    plural = "celnumbers",
    namespaced
)]
#[viti(cel(
    rule = "!has(self.memory) || isQuantity(self.memory)",
    message = "memory must be a quantity",
    field_path = ".memory"
))]
#[viti(cel(
    rule = "!has(self.memory) || !isQuantity(self.memory) || quantity(self.memory).isLessThan(quantity('64Gi'))",
    message = "memory must be below 64Gi",
    field_path = ".memory"
))]
#[viti(cel(
    rule = "!has(self.memory) || !isQuantity(self.memory) || sign(quantity(self.memory)) >= 0",
    message = "memory must not be negative",
    field_path = ".memory"
))]
#[viti(cel(
    rule = "!has(self.memory) || !isQuantity(self.memory) || quantity(self.memory).isInteger()",
    message = "memory must be a whole number of bytes",
    field_path = ".memory"
))]
#[viti(cel(
    rule = "!has(self.memory) || !isQuantity(self.memory) || !quantity(self.memory).isInteger() || quantity(self.memory).asInteger() % 1024 == 0",
    message = "memory must be a multiple of 1024 bytes",
    field_path = ".memory"
))]
#[viti(cel(
    rule = "!has(self.request) || !has(self.limit) || !isQuantity(self.request) || !isQuantity(self.limit) || quantity(self.request).compareTo(quantity(self.limit)) <= 0",
    message = "request must not exceed limit",
    field_path = ".request"
))]
#[viti(cel(
    rule = "!has(self.limit) || !isQuantity(self.limit) || quantity(self.limit).isGreaterThan(quantity('100m'))",
    message = "limit must be above 100m",
    field_path = ".limit"
))]
#[viti(cel(
    rule = "!has(self.limit) || !isQuantity(self.limit) || quantity(self.limit).asApproximateFloat() <= 68719476736.0",
    message = "limit must be at most 64Gi",
    field_path = ".limit"
))]
#[viti(cel(
    rule = "!has(self.request) || !isQuantity(self.request) || quantity(self.request).add(quantity('500Mi')).sub(1).isLessThan(quantity('8Gi'))",
    message = "request plus 500Mi minus one must be below 8Gi",
    field_path = ".request"
))]
#[viti(cel(
    rule = "!has(self.version) || isSemver(self.version)",
    message = "version must be a semantic version",
    field_path = ".version"
))]
#[viti(cel(
    rule = "!has(self.minVersion) || isSemver(self.minVersion, true)",
    message = "minVersion must be a semantic version (a leading v and missing parts allowed)",
    field_path = ".minVersion"
))]
#[viti(cel(
    rule = "!has(self.version) || !has(self.minVersion) || !isSemver(self.version) || !isSemver(self.minVersion, true) || semver(self.version).compareTo(semver(self.minVersion, true)) >= 0",
    message = "version must be at least minVersion",
    field_path = ".version"
))]
#[viti(cel(
    rule = "!has(self.version) || !isSemver(self.version) || semver(self.version).major() == 1",
    message = "version must be 1.x",
    field_path = ".version"
))]
#[viti(cel(
    rule = "!has(self.version) || !isSemver(self.version) || !semver(self.version).isGreaterThan(semver('1.99.0'))",
    message = "version must not be above 1.99.0",
    field_path = ".version"
))]
#[viti(cel(
    rule = "!has(self.version) || !isSemver(self.version) || semver(self.version).minor() != 13 || semver(self.version).patch() != 0",
    message = "version 1.13.0 is withdrawn",
    field_path = ".version"
))]
#[viti(cel(
    rule = "!has(self.minVersion) || !isSemver(self.minVersion, true) || semver(self.minVersion, true).isLessThan(semver('2.0.0'))",
    message = "minVersion must be below 2.0.0",
    field_path = ".minVersion"
))]
#[viti(cel(
    rule = "!has(self.weights) || self.weights.isSorted()",
    message = "weights must be sorted",
    field_path = ".weights"
))]
#[viti(cel(
    rule = "!has(self.weights) || self.weights.sum() <= 100",
    message = "weights must sum to at most 100",
    field_path = ".weights"
))]
#[viti(cel(
    rule = "!has(self.weights) || size(self.weights) == 0 || self.weights.min() >= 1",
    message = "weights must be positive",
    field_path = ".weights"
))]
#[viti(cel(
    rule = "!has(self.weights) || size(self.weights) == 0 || self.weights.max() <= 50",
    message = "no weight may be above 50",
    field_path = ".weights"
))]
#[viti(cel(
    rule = "!has(self.names) || self.names.indexOf('default') <= 0",
    message = "default must come first",
    field_path = ".names"
))]
#[viti(cel(
    rule = "!has(self.names) || self.names.lastIndexOf('default') == self.names.indexOf('default')",
    message = "default may appear once",
    field_path = ".names"
))]
#[viti(cel(
    rule = "!has(self.names) || !has(self.allowed) || sets.contains(self.allowed, self.names)",
    message = "every name must be allowed",
    field_path = ".names"
))]
#[viti(cel(
    rule = "!has(self.names) || !has(self.required) || sets.intersects(self.names, self.required)",
    message = "names must include one of required",
    field_path = ".names"
))]
#[viti(cel(
    rule = "!has(self.allowed) || !has(self.required) || !sets.equivalent(self.allowed, self.required)",
    message = "allowed and required must differ",
    field_path = ".required"
))]
pub struct CelNumbersSpec {
    /// A memory size (a quantity).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub memory: Option<String>,
    /// A request (a quantity).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub request: Option<String>,
    /// A limit (a quantity).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub limit: Option<String>,
    /// A semantic version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub version: Option<String>,
    /// The lowest version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub min_version: Option<String>,
    /// Weights.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10))]
    pub weights: Option<Vec<i64>>,
    /// Names.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10), each(length(max = 20)))]
    pub names: Option<Vec<String>>,
    /// Allowed names.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10), each(length(max = 20)))]
    pub allowed: Option<Vec<String>>,
    /// Required names.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10), each(length(max = 20)))]
    pub required: Option<Vec<String>>,
}

// --- optionals, two-variable comprehensions, ext.Lists v3, maps vs objects -------------------------

/// Optionals (`.?f`, `[?k]`, `orValue`, `hasValue`, `optional.of/none/ofNonZeroValue`,
/// `optMap`, `first`/`last`), two-variable comprehensions (`all exists existsOne transformList
/// transformMap transformMapEntry`), `ext.Lists` v3 (`slice flatten sort distinct reverse
/// lists.range sortBy`), and a map next to an object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "celparity.vitistack.io",
    version = "v1",
    status = "CelStatus",
    kind = "CelShapes",
    plural = "celshapes",
    namespaced
)]
#[viti(cel(
    rule = "self.?settings.?mode.orValue('auto') in ['auto', 'manual']",
    message = "settings.mode must be auto or manual"
))]
#[viti(cel(
    rule = "self.?settings.?level.orValue(0) <= 10",
    message = "settings.level must be at most 10"
))]
#[viti(cel(
    rule = "!has(self.settings) || !has(self.settings.extra) || optional.ofNonZeroValue(self.settings.extra.?note.orValue('')).hasValue()",
    message = "settings.extra needs a note"
))]
#[viti(cel(
    rule = "self.?values[?'primary'].orValue(1) > 0",
    message = "values.primary must be positive"
))]
#[viti(cel(
    rule = "self.?scores.optMap(s, size(s)).orValue(0) <= 8",
    message = "at most eight scores"
))]
#[viti(cel(
    rule = "!has(self.scores) || self.scores.first().orValue(0) <= self.scores.last().orValue(0)",
    message = "the first score must not be above the last"
))]
#[viti(cel(
    rule = "(has(self.settings) ? optional.of(self.settings) : optional.none()).hasValue() || !has(self.values)",
    message = "values need settings"
))]
#[viti(cel(
    rule = "!has(self.values) || !has(self.settings) || has(self.settings.mode)",
    message = "values need settings.mode"
))]
#[viti(cel(
    rule = "!has(self.scores) || !has(self.flags) || has(self.settings.level)",
    message = "scores with flags need settings.level"
))]
#[viti(cel(
    rule = "!has(self.values) || self.values.all(k, self.values[k] >= -100)",
    message = "values must not be below -100"
))]
#[viti(cel(
    rule = "!has(self.values) || size(self.values) <= 3",
    message = "at most three values"
))]
#[viti(cel(
    rule = "!has(self.values) || !has(self.values.primary) || self.values.primary < 100",
    message = "values.primary must be below 100"
))]
#[viti(cel(
    rule = "!has(self.values) || !('a-b' in self.values)",
    message = "values must not have the key a-b"
))]
#[viti(cel(
    rule = "!has(self.settings) || !has(self.settings.level) || self.settings.level != 7",
    message = "settings.level must not be 7"
))]
#[viti(cel(
    rule = "!has(self.scores) || self.scores.all(i, s, i == 0 || s >= self.scores[i - 1])",
    message = "scores must not decrease"
))]
#[viti(cel(
    rule = "!has(self.values) || self.values.all(k, v, !k.startsWith('neg') || v < 0)",
    message = "values whose key starts with neg must be negative"
))]
#[viti(cel(
    rule = "!has(self.servers) || size(self.servers) == 0 || self.servers.exists(i, s, i == 0 && s.name == 'primary')",
    message = "the first server must be primary"
))]
#[viti(cel(
    rule = "!has(self.scores) || !self.scores.exists(s, s == 100) || self.scores.existsOne(i, s, s == 100)",
    message = "at most one perfect score"
))]
#[viti(cel(
    rule = "!has(self.servers) || self.servers.transformList(i, s, s.port).all(p, p != 22)",
    message = "servers must not use port 22"
))]
#[viti(cel(
    rule = "!has(self.servers) || self.servers.transformList(i, s, i > 0, s.port).all(p, p >= 1024)",
    message = "servers after the first must use ports from 1024"
))]
#[viti(cel(
    rule = "!has(self.values) || self.values.transformMap(k, v, v > 10, v).size() <= 2",
    message = "at most two values above 10"
))]
#[viti(cel(
    rule = "!has(self.values) || self.values.transformMap(k, v, v * 2).all(k, self.values[k] * 2 <= 180)",
    message = "values doubled must be at most 180"
))]
#[viti(cel(
    rule = "!has(self.servers) || self.servers.transformMapEntry(i, s, {s.name: s.port}).size() == size(self.servers)",
    message = "server names must be unique"
))]
#[viti(cel(
    rule = "!has(self.scores) || self.scores.distinct().size() == self.scores.size()",
    message = "scores must be distinct"
))]
#[viti(cel(
    rule = "!has(self.matrix) || self.matrix.flatten().sum() <= 50",
    message = "matrix entries must sum to at most 50"
))]
#[viti(cel(
    rule = "!has(self.scores) || size(self.scores) == 0 || self.scores.sort().reverse()[0] <= 100",
    message = "scores must be at most 100"
))]
#[viti(cel(
    rule = "!has(self.servers) || size(self.servers) == 0 || self.servers.sortBy(s, s.port)[0].name != 'backup'",
    message = "the server with the lowest port must not be backup"
))]
#[viti(cel(
    rule = "!has(self.scores) || lists.range(3).all(i, i >= size(self.scores) || self.scores[i] != i + 1000)",
    message = "none of the first three scores may be its index plus 1000"
))]
#[viti(cel(
    rule = "!has(self.scores) || size(self.scores) < 2 || self.scores.slice(0, 2) != [0, 0]",
    message = "scores must not start with two zeros"
))]
pub struct CelShapesSpec {
    /// Settings (an object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<CelSettings>,
    /// Values (a map).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<BTreeMap<String, i64>>,
    /// Scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 20))]
    pub scores: Option<Vec<i64>>,
    /// Servers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10))]
    pub servers: Option<Vec<CelServer>>,
    /// A matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 5))]
    pub matrix: Option<Vec<Vec<i64>>>,
    /// Flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<bool>,
}

/// Settings: an object with optional fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct CelSettings {
    /// The mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 16))]
    pub mode: Option<String>,
    /// The level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
    /// More settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<CelExtra>,
}

/// More settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct CelExtra {
    /// A note.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 64))]
    pub note: Option<String>,
}

/// A server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
pub struct CelServer {
    /// Its name.
    #[viti(length(max = 32))]
    pub name: String,
    /// Its port.
    pub port: i64,
}

// --- messageExpression, reason, fieldPath, rules below the root -----------------------------------

/// `messageExpression` (and its fallbacks to `message`), `reason`, `fieldPath` (into a map key
/// too), and rules on nested objects and on list items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "celparity.vitistack.io",
    version = "v1",
    status = "CelStatus",
    kind = "CelMessages",
    plural = "celmessages",
    namespaced
)]
#[viti(cel(
    rule = "!has(self.owner) || self.owner != 'root'",
    message = "owner root is forbidden",
    reason = "forbidden",
    field_path = ".owner"
))]
#[viti(cel(
    rule = "has(self.owner) || !has(self.replicas)",
    message = "owner is required when replicas is set",
    reason = "required",
    field_path = ".owner"
))]
#[viti(cel(
    rule = "!has(self.entries) || self.entries.map(e, e.name).distinct().size() == size(self.entries)",
    message = "entry names must be unique",
    reason = "duplicate",
    field_path = ".entries"
))]
#[viti(cel(
    rule = "!has(self.replicas) || !has(self.minReplicas) || self.replicas >= self.minReplicas",
    message = "replicas must be at least minReplicas",
    message_expression = "'replicas (%d) must be at least minReplicas (%d)'.format([self.replicas, self.minReplicas])",
    field_path = ".replicas"
))]
#[viti(cel(
    rule = "!has(self.owner) || size(self.owner) <= 8",
    message = "owner is too long",
    message_expression = "'owner is too long, the limit is ' + self.config['ownerLimit']"
))]
#[viti(cel(
    rule = "!has(self.owner) || !self.owner.startsWith('tmp')",
    message = "owner must not be temporary",
    message_expression = "self.owner.endsWith('x') ? '' : 'owner ' + self.owner + ' is temporary'"
))]
#[viti(cel(
    rule = "!has(self.owner) || self.owner != 'nobody'",
    message = "owner nobody is not allowed",
    message_expression = "'owner nobody\\nis not allowed'"
))]
#[viti(cel(
    rule = "!has(self.config) || !('max-size' in self.config) || self.config['max-size'].matches('^[0-9]+$')",
    message = "max-size must be a number",
    field_path = ".config['max-size']"
))]
#[viti(cel(
    rule = "!has(self.config) || !has(self.config.mode) || self.config.mode in ['fast', 'safe']",
    message = "mode must be fast or safe",
    field_path = ".config.mode"
))]
pub struct CelMessagesSpec {
    /// The owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub owner: Option<String>,
    /// Replica count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
    /// Lowest replica count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<i64>,
    /// Configuration (a map).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<BTreeMap<String, String>>,
    /// Entries, each with rules of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(items(max = 10))]
    pub entries: Option<Vec<CelEntry>>,
    /// A nested object with rules of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<CelWindow>,
}

/// An entry with rules of its own (reported at the item's path).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[viti(cel(
    rule = "!has(self.weight) || self.weight <= 100 || self.name == 'heavy'",
    message = "only the heavy entry may weigh more than 100"
))]
#[viti(cel(
    rule = "!has(self.weight) || self.weight >= 0",
    message = "weight must not be negative",
    message_expression = "'weight of %s is %d'.format([self.name, self.weight])",
    field_path = ".weight"
))]
pub struct CelEntry {
    /// Its name.
    #[viti(length(max = 32))]
    pub name: String,
    /// Its weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

/// A nested object with rules of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[viti(cel(
    rule = "!has(self.from) || !has(self.to) || self.from < self.to",
    message = "from must be before to",
    field_path = ".to"
))]
#[viti(cel(
    rule = "!has(self.from) || self.from.getHours() >= 6",
    message = "windows open from 06:00",
    reason = "forbidden"
))]
pub struct CelWindow {
    /// Opens.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(date_time)]
    pub from: Option<String>,
    /// Closes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(date_time)]
    pub to: Option<String>,
}

// --- transition rules -------------------------------------------------------------------------------

/// Transition rules (`oldSelf`), `optionalOldSelf`, and transition rules on the items of a
/// list-map (correlated by key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema, CustomResource)]
#[serde(rename_all = "camelCase")]
#[crd(
    group = "celparity.vitistack.io",
    version = "v1",
    status = "CelStatus",
    kind = "CelTransitions",
    plural = "celtransitions",
    namespaced
)]
#[viti(cel(
    rule = "has(self.name) == has(oldSelf.name) && (!has(self.name) || self.name == oldSelf.name)",
    message = "name is immutable",
    field_path = ".name"
))]
#[viti(cel(
    rule = "!has(self.size) || !has(oldSelf.size) || self.size >= oldSelf.size",
    message = "size may not shrink",
    message_expression = "'size may not shrink from %d to %d'.format([oldSelf.size, self.size])",
    field_path = ".size"
))]
#[viti(cel(
    rule = "oldSelf.hasValue() || !has(self.tier) || self.tier == 'bronze'",
    message = "new objects start at tier bronze",
    optional_old_self = true,
    field_path = ".tier"
))]
#[viti(cel(
    rule = "!oldSelf.hasValue() || !has(oldSelf.value().tier) || !has(self.tier) || oldSelf.value().tier != 'gold' || self.tier == 'gold'",
    message = "tier gold is final",
    optional_old_self = true,
    reason = "forbidden",
    field_path = ".tier"
))]
#[viti(cel(
    rule = "!has(self.tier) || self.tier in ['bronze', 'silver', 'gold']",
    message = "tier must be bronze, silver or gold",
    field_path = ".tier"
))]
#[viti(cel(
    rule = "!has(self.labels) || !has(oldSelf.labels) || oldSelf.labels.all(k, k in self.labels)",
    message = "labels may not be removed"
))]
pub struct CelTransitionsSpec {
    /// A name, fixed once set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 32))]
    pub name: Option<String>,
    /// A size that may only grow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// A tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 16))]
    pub tier: Option<String>,
    /// Labels (a map).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    /// Members, a list-map keyed by name: each item is correlated with its old self.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(list(map("name")), items(max = 10))]
    pub members: Option<Vec<CelMember>>,
    /// Settings, an object with a transition rule of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<CelTransitionSettings>,
}

/// A member of a list-map, with transition rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[viti(cel(
    rule = "self.role == oldSelf.role",
    message = "a member's role is immutable",
    field_path = ".role"
))]
#[viti(cel(
    rule = "!has(self.weight) || !has(oldSelf.weight) || self.weight <= oldSelf.weight + 10",
    message = "weight may grow by at most 10 at a time"
))]
#[viti(cel(
    rule = "oldSelf.hasValue() || self.role != 'admin'",
    message = "admins cannot be added",
    optional_old_self = true
))]
pub struct CelMember {
    /// The key.
    #[viti(length(max = 32))]
    pub name: String,
    /// Its role.
    #[viti(length(max = 16))]
    pub role: String,
    /// Its weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

/// Settings with a transition rule of their own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Schema)]
#[viti(cel(
    rule = "!has(oldSelf.mode) || oldSelf.mode != 'locked' || self == oldSelf",
    message = "locked settings may not change"
))]
pub struct CelTransitionSettings {
    /// The mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[viti(length(max = 16))]
    pub mode: Option<String>,
    /// A level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
}
