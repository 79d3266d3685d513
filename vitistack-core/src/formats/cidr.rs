//! CIDR prefixes exactly as CEL `isCIDR()` / `cidr()` accept them.
//!
//! The apiserver (`k8s.io/apiserver/pkg/cel/library/cidr.go`) parses with Go's
//! `netip.ParsePrefix` and rejects IPv4-mapped IPv6 addresses. Like Go, it
//! **accepts host bits** (`192.168.0.1/24` is a valid CIDR); rules that need
//! the network address write `cidr(self) == cidr(self).masked()`, which is
//! [`Cidr::is_canonical`] / [`is_canonical_cidr`] here.
//!
//! Prefix lengths: decimal without sign or leading zeros (`/0` is fine, `/08`,
//! `/+8`, `/ 8` and `/` are not), at most 32 for IPv4 and 128 for IPv6. Zones
//! are rejected.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::ip::{go_parse_addr, is_4in6};
use super::FormatError;

/// `maxLength` for a CIDR field: the longest IP address (45 bytes) plus `/128`.
pub const CIDR_MAX_LEN: usize = 49;

/// An IP prefix (`10.0.0.0/8`, `2001:db8::/32`) as the apiserver's CEL `cidr`
/// type holds it: the address as written (host bits included) and the prefix
/// length.
///
/// Equality is CEL `==` on `cidr` values (Go `netip.Prefix ==`): address and
/// prefix length must both be equal, so `10.0.0.1/8 != 10.0.0.0/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses like CEL `cidr()`; see [`parse_cidr`].
    ///
    /// # Errors
    ///
    /// See [`parse_cidr`].
    pub fn parse(s: &str) -> Result<Cidr, FormatError> {
        parse_cidr(s)
    }

    /// Builds a prefix from an address and a prefix length, or `None` when the
    /// length exceeds the family's bit count or `addr` is IPv4-mapped IPv6
    /// (which `cidr()` never produces).
    pub fn new(addr: IpAddr, prefix: u8) -> Option<Cidr> {
        if prefix > max_bits(&addr) || is_4in6(&addr) {
            return None;
        }
        Some(Cidr { addr, prefix })
    }

    /// The address as written, host bits included (CEL `cidr.ip()`).
    pub fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length in bits (CEL `cidr.prefixLength()`).
    pub fn prefix_len(&self) -> u8 {
        self.prefix
    }

    /// The network: the address with all host bits cleared (CEL `cidr.masked()`).
    pub fn masked(&self) -> Cidr {
        Cidr {
            addr: mask(&self.addr, self.prefix),
            prefix: self.prefix,
        }
    }

    /// Whether no host bits are set, i.e. CEL `cidr(s) == cidr(s).masked()`.
    pub fn is_canonical(&self) -> bool {
        *self == self.masked()
    }

    /// CEL `cidr.containsIP(ip)` (Go `netip.Prefix.Contains`): `ip` is in the
    /// network. The families must match: an IPv4 address is never in an IPv6
    /// prefix, and an IPv4-mapped IPv6 address is never in an IPv4 prefix.
    pub fn contains_ip(&self, ip: &IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                mask(ip, self.prefix) == mask(&self.addr, self.prefix)
            }
            _ => false,
        }
    }

    /// Go `netip.Prefix.Overlaps`: same family and one network contains the
    /// other's network address (host bits of either side are ignored).
    pub fn overlaps(&self, other: &Cidr) -> bool {
        let same_family = matches!(
            (self.addr, other.addr),
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_))
        );
        if !same_family {
            return false;
        }
        let bits = self.prefix.min(other.prefix);
        mask(&self.addr, bits) == mask(&other.addr, bits)
    }

    /// CEL `cidr.containsCIDR(other)`: `self.overlaps(other)` and `other` is at
    /// least as long a prefix as `self`.
    pub fn contains_cidr(&self, other: &Cidr) -> bool {
        self.overlaps(other) && self.prefix <= other.prefix
    }
}

impl fmt::Display for Cidr {
    /// `addr/len` with the address in RFC 5952 form.
    ///
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl std::str::FromStr for Cidr {
    type Err = FormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_cidr(s)
    }
}

fn max_bits(addr: &IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// Clears all but the first `bits` bits of `addr` (`bits` is clamped to the
/// family's size).
fn mask(addr: &IpAddr, bits: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let m = u32::MAX
                .checked_shl(32 - u32::from(bits.min(32)))
                .unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(*a) & m))
        }
        IpAddr::V6(a) => {
            let m = u128::MAX
                .checked_shl(128 - u32::from(bits.min(128)))
                .unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(*a) & m))
        }
    }
}

/// Parses a CIDR exactly like CEL `cidr()` (Go `netip.ParsePrefix`, then
/// IPv4-mapped IPv6 rejected). Host bits are allowed; see
/// [`is_canonical_cidr`].
///
/// # Errors
///
/// [`FormatError::Cidr`] (with Go's `netip` message) or
/// [`FormatError::IpMapped`].
pub fn parse_cidr(s: &str) -> Result<Cidr, FormatError> {
    let err = |reason: String| FormatError::Cidr {
        value: s.to_owned(),
        reason,
    };
    let Some(slash) = s.rfind('/') else {
        return Err(err("no '/'".to_owned()));
    };
    let addr_str = &s[..slash];
    let addr = go_parse_addr(addr_str.as_bytes())
        .map_err(|e| err(format!("ParseAddr({addr_str:?}): {e}")))?;
    if addr.has_zone {
        return Err(err("IPv6 zones cannot be present in a prefix".to_owned()));
    }
    let bits_str = &s[slash + 1..];
    let bad_bits = || err(format!("bad bits after slash: {bits_str:?}"));
    let b = bits_str.as_bytes();
    // strconv.Atoi would accept a sign and leading zeros; ParsePrefix does not.
    if b.len() > 1 && !(b'1'..=b'9').contains(&b[0]) {
        return Err(bad_bits());
    }
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return Err(bad_bits());
    }
    // strconv.Atoi fails (not "out of range") beyond int64; 18 digits always fit.
    if b.len() > 18 {
        return Err(bad_bits());
    }
    let bits: u64 = b.iter().fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
    let max = u64::from(max_bits(&addr.ip));
    if bits > max {
        return Err(err("prefix length out of range".to_owned()));
    }
    if is_4in6(&addr.ip) {
        return Err(FormatError::IpMapped {
            value: s.to_owned(),
        });
    }
    Ok(Cidr {
        addr: addr.ip,
        // bits <= 128 here.
        prefix: bits as u8,
    })
}

/// CEL `isCIDR(s)`: whether [`parse_cidr`] accepts `s` (host bits allowed).
pub fn is_cidr(s: &str) -> bool {
    parse_cidr(s).is_ok()
}

/// Parses a CIDR that must be a network address: CEL
/// `isCIDR(s) && cidr(s) == cidr(s).masked()`.
///
/// # Errors
///
/// Those of [`parse_cidr`], or [`FormatError::CidrNotCanonical`] when host
/// bits are set (`10.0.0.1/8`).
pub fn parse_canonical_cidr(s: &str) -> Result<Cidr, FormatError> {
    let c = parse_cidr(s)?;
    if !c.is_canonical() {
        return Err(FormatError::CidrNotCanonical {
            value: s.to_owned(),
            masked: c.masked().to_string(),
        });
    }
    Ok(c)
}

/// CEL `isCIDR(s) && cidr(s) == cidr(s).masked()`: a valid CIDR that is a
/// network address (no host bits set).
pub fn is_canonical_cidr(s: &str) -> bool {
    parse_cidr(s).is_ok_and(|c| c.is_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, CEL isCIDR, canonical). Checked against Go.
    const CASES: &[(&str, bool, bool)] = &[
        ("10.0.0.0/8", true, true),
        ("10.0.0.1/8", true, false),
        ("192.168.0.0/24", true, true),
        ("192.168.0.1/24", true, false),
        ("192.168.0.1/32", true, true),
        ("0.0.0.0/0", true, true),
        ("1.2.3.4/0", true, false),
        ("10.0.0.0/33", false, false),
        ("10.0.0.0/08", false, false),
        ("10.0.0.0/+8", false, false),
        ("10.0.0.0/-1", false, false),
        ("10.0.0.0/ 8", false, false),
        ("10.0.0.0/8 ", false, false),
        ("10.0.0.0/", false, false),
        ("10.0.0.0/00", false, false),
        ("10.0.0.0/1000", false, false),
        ("10.0.0.0/99999999999999999999", false, false),
        ("10.0.0.0", false, false),
        ("010.0.0.0/8", false, false),
        ("10.0.0/8", false, false),
        ("10.0.0.0/8/8", false, false),
        ("2001:db8::/32", true, true),
        ("2001:DB8::/32", true, true),
        ("2001:db8::1/32", true, false),
        ("::/0", true, true),
        ("::1/128", true, true),
        ("::/129", false, false),
        ("fe80::/10", true, true),
        ("fe80::1%eth0/64", false, false),
        ("::ffff:1.2.3.4/128", false, false),
        ("::ffff:0.0.0.0/96", false, false),
        ("::1.2.3.4/128", true, true),
        ("::1.2.3.4/96", true, false),
        ("[::1]/128", false, false),
        ("/8", false, false),
        ("", false, false),
    ];

    #[test]
    fn cel_is_cidr_table() {
        for &(input, valid, canonical) in CASES {
            assert_eq!(is_cidr(input), valid, "is_cidr({input:?})");
            assert_eq!(
                is_canonical_cidr(input),
                canonical,
                "is_canonical_cidr({input:?})"
            );
        }
    }

    fn c(s: &str) -> Cidr {
        parse_cidr(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn ip(s: &str) -> IpAddr {
        super::super::ip::parse_ip(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn masked_and_accessors() {
        assert_eq!(c("192.168.0.1/24").masked(), c("192.168.0.0/24"));
        assert_eq!(c("2001:db8::1/32").masked(), c("2001:db8::/32"));
        assert_eq!(c("1.2.3.4/0").masked(), c("0.0.0.0/0"));
        assert_eq!(c("10.1.2.3/8").addr(), ip("10.1.2.3"));
        assert_eq!(c("10.1.2.3/8").prefix_len(), 8);
        assert_ne!(c("10.0.0.1/8"), c("10.0.0.0/8"));
        assert_eq!(c("2001:db8::/32").to_string(), "2001:db8::/32");
        assert_eq!(Cidr::new(ip("10.0.0.0"), 33), None);
        assert_eq!("10.0.0.0/8".parse::<Cidr>().map(|x| x.prefix_len()), Ok(8));
    }

    #[test]
    fn contains_ip() {
        // (cidr, ip, contained) -- the CEL doc examples and family mismatches.
        let cases = [
            ("192.168.0.0/24", "192.168.0.1", true),
            ("192.168.0.0/24", "192.168.1.1", false),
            ("192.168.0.1/24", "192.168.0.200", true),
            ("0.0.0.0/0", "255.255.255.255", true),
            ("10.0.0.1/32", "10.0.0.1", true),
            ("10.0.0.1/32", "10.0.0.2", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("::/0", "1.2.3.4", false),
            ("0.0.0.0/0", "::1", false),
            ("::/96", "::1.2.3.4", true),
        ];
        for (cidr, addr, want) in cases {
            assert_eq!(c(cidr).contains_ip(&ip(addr)), want, "{cidr} ∋ {addr}");
        }
        // A mapped address (never produced by parse_ip) is IPv6 to Go as well.
        let mapped: IpAddr = "::ffff:10.0.0.1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(!c("10.0.0.0/8").contains_ip(&mapped));
        assert!(c("::/0").contains_ip(&mapped));
    }

    #[test]
    fn overlaps_and_contains_cidr() {
        // (a, b, overlaps, a.containsCIDR(b))
        let cases = [
            ("192.168.0.0/16", "192.168.10.0/24", true, true),
            ("192.168.10.0/24", "192.168.0.0/16", true, false),
            ("192.168.1.0/24", "192.168.2.0/24", false, false),
            ("10.0.0.0/8", "10.0.0.0/8", true, true),
            ("10.0.0.5/8", "10.200.0.0/16", true, true),
            ("0.0.0.0/0", "1.2.3.4/32", true, true),
            ("0.0.0.0/0", "::/0", false, false),
            ("2001:db8::/32", "2001:db8:1::/48", true, true),
            ("2001:db8::/48", "2001:db8:1::/48", false, false),
        ];
        for (a, b, ov, cc) in cases {
            assert_eq!(c(a).overlaps(&c(b)), ov, "{a} overlaps {b}");
            assert_eq!(c(b).overlaps(&c(a)), ov, "{b} overlaps {a}");
            assert_eq!(c(a).contains_cidr(&c(b)), cc, "{a} containsCIDR {b}");
        }
    }

    #[test]
    fn messages() {
        assert_eq!(
            parse_canonical_cidr("10.0.0.1/8").map_err(|e| e.to_string()),
            Err("\"10.0.0.1/8\" is not a CIDR network address: host bits are set (the network address is 10.0.0.0/8)".to_owned())
        );
        assert_eq!(
            parse_canonical_cidr("10.0.0.0/8").map(|c| c.prefix_len()),
            Ok(8)
        );
        assert_eq!(
            parse_cidr("10.0.0.0/08").map_err(|e| e.to_string()),
            Err("network address parse error during conversion from string: netip.ParsePrefix(\"10.0.0.0/08\"): bad bits after slash: \"08\"".to_owned())
        );
        assert_eq!(
            parse_cidr("::ffff:1.2.3.4/128").map_err(|e| e.to_string()),
            Err("IPv4-mapped IPv6 address \"::ffff:1.2.3.4/128\" is not allowed".to_owned())
        );
    }

    #[test]
    fn max_len() {
        let longest = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128";
        assert!(is_cidr(longest));
        assert_eq!(longest.len(), CIDR_MAX_LEN);
    }
}
