//! IP addresses exactly as CEL `isIP()` / `ip()` accept them.
//!
//! The apiserver's CEL library (`k8s.io/apiserver/pkg/cel/library/ip.go`)
//! parses with Go's `netip.ParseAddr` and then rejects zones (`fe80::1%eth0`)
//! and IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`). This module is a port of
//! `netip.ParseAddr` (Go 1.26 `net/netip/netip.go`) rather than a wrapper of
//! the Rust standard library's parser. Compared over a differential corpus of
//! ~100k strings, Rust 1.95's `IpAddr::from_str` and Go's `netip.ParseAddr`
//! differ only in:
//!
//! * zones: Go parses `fe80::1%eth0` (and any non-empty zone text, even
//!   `::1%x/y`), Rust rejects it. CEL rejects zones, so this agrees with Rust.
//! * IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:102:304`,
//!   `0:0:0:0:0:ffff:1.2.3.4`): both parse it, CEL rejects it.
//!
//! Both reject IPv4 octets with leading zeros (`010.0.0.1`, also inside IPv6:
//! `::01.2.3.4`), groups of 5+ hex digits (`01234::`) and a `::` that stands
//! for no group (`1:2:3:4:5:6:7::8`); both accept upper-case hex and
//! IPv4-compatible / NAT64 forms (`::1.2.3.4`, `64:ff9b::1.2.3.4`). The unit
//! tests pin all of these down.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::FormatError;

/// `maxLength` for an IP address field: the longest valid form is
/// `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255` (45 bytes).
pub const IP_MAX_LEN: usize = 45;

/// An address as `netip.ParseAddr` returns it: the address and whether a zone
/// (`%eth0`) was attached (only possible for IPv6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GoAddr {
    pub(crate) ip: IpAddr,
    pub(crate) has_zone: bool,
}

/// A `netip.ParseAddr` failure: Go's message and, optionally, the unparsed rest
/// of the input at which it happened (Go's `at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AddrError {
    pub(crate) msg: &'static str,
    pub(crate) at: Option<String>,
}

impl AddrError {
    fn new(msg: &'static str) -> Self {
        AddrError { msg, at: None }
    }

    fn at(msg: &'static str, rest: &[u8]) -> Self {
        AddrError {
            msg,
            at: Some(String::from_utf8_lossy(rest).into_owned()),
        }
    }
}

impl std::fmt::Display for AddrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{} (at {:?})", self.msg, at),
            None => f.write_str(self.msg),
        }
    }
}

/// Port of Go's `netip.ParseAddr`, on bytes (`net/url` calls it on
/// percent-decoded host bytes, which need not be UTF-8).
pub(crate) fn go_parse_addr(s: &[u8]) -> Result<GoAddr, AddrError> {
    for &c in s {
        match c {
            b'.' => {
                return parse_ipv4_fields(s).map(|o| GoAddr {
                    ip: IpAddr::V4(Ipv4Addr::from(o)),
                    has_zone: false,
                })
            }
            b':' => return parse_ipv6(s),
            b'%' => return Err(AddrError::new("missing IPv6 address")),
            _ => {}
        }
    }
    Err(AddrError::new("unable to parse IP"))
}

/// Port of Go's `netip.parseIPv4Fields` over the whole of `s`.
fn parse_ipv4_fields(s: &[u8]) -> Result<[u8; 4], AddrError> {
    let mut fields = [0u8; 4];
    let mut val: u32 = 0;
    let mut pos = 0usize;
    let mut dig_len = 0usize;
    for (i, &c) in s.iter().enumerate() {
        if c.is_ascii_digit() {
            if dig_len == 1 && val == 0 {
                return Err(AddrError::new("IPv4 field has octet with leading zero"));
            }
            val = val * 10 + u32::from(c - b'0');
            dig_len += 1;
            if val > 255 {
                return Err(AddrError::new("IPv4 field has value >255"));
            }
        } else if c == b'.' {
            if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' {
                return Err(AddrError::at(
                    "IPv4 field must have at least one digit",
                    &s[i..],
                ));
            }
            if pos == 3 {
                return Err(AddrError::new("IPv4 address too long"));
            }
            // val <= 255 was checked above.
            fields[pos] = val as u8;
            pos += 1;
            val = 0;
            dig_len = 0;
        } else {
            return Err(AddrError::at("unexpected character", &s[i..]));
        }
    }
    if pos < 3 {
        return Err(AddrError::new("IPv4 address too short"));
    }
    fields[3] = val as u8;
    Ok(fields)
}

/// Port of Go's `netip.parseIPv6`.
fn parse_ipv6(input: &[u8]) -> Result<GoAddr, AddrError> {
    let mut s = input;
    let mut has_zone = false;
    if let Some(i) = s.iter().position(|&c| c == b'%') {
        if i + 1 == s.len() {
            return Err(AddrError::new("zone must be a non-empty string"));
        }
        has_zone = true;
        s = &s[..i];
    }
    // The address part without the zone; the embedded IPv4 is parsed from it.
    let addr_part = s;

    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;

    if s.len() >= 2 && s[0] == b':' && s[1] == b':' {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(GoAddr {
                ip: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                has_zone,
            });
        }
    }

    let mut i = 0usize;
    while i < 16 {
        let mut off = 0usize;
        let mut acc: u32 = 0;
        while off < s.len() {
            let c = s[off];
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => break,
            };
            acc = (acc << 4) + u32::from(d);
            if off > 3 {
                return Err(AddrError::at("each group must have 4 or less digits", s));
            }
            if acc > u32::from(u16::MAX) {
                return Err(AddrError::at("IPv6 field has value >=2^16", s));
            }
            off += 1;
        }
        if off == 0 {
            return Err(AddrError::at(
                "each colon-separated field must have at least one digit",
                s,
            ));
        }

        if off < s.len() && s[off] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return Err(AddrError::at(
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    s,
                ));
            }
            if i + 4 > 16 {
                return Err(AddrError::at(
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    s,
                ));
            }
            let v4 = parse_ipv4_fields(&addr_part[addr_part.len() - s.len()..])?;
            ip[i..i + 4].copy_from_slice(&v4);
            s = &[];
            i += 4;
            break;
        }

        ip[i] = (acc >> 8) as u8;
        ip[i + 1] = acc as u8;
        i += 2;

        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' {
            return Err(AddrError::at("unexpected character, want colon", s));
        } else if s.len() == 1 {
            return Err(AddrError::at(
                "colon must be followed by more characters",
                s,
            ));
        }
        s = &s[1..];

        if s[0] == b':' {
            if ellipsis.is_some() {
                return Err(AddrError::at("multiple :: in address", s));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }

    if !s.is_empty() {
        return Err(AddrError::at("trailing garbage after address", s));
    }

    if i < 16 {
        let Some(e) = ellipsis else {
            return Err(AddrError::new("address string too short"));
        };
        let n = 16 - i;
        for j in (e..i).rev() {
            ip[j + n] = ip[j];
        }
        for b in &mut ip[e..e + n] {
            *b = 0;
        }
    } else if ellipsis.is_some() {
        return Err(AddrError::new(
            "the :: must expand to at least one field of zeros",
        ));
    }
    Ok(GoAddr {
        ip: IpAddr::V6(Ipv6Addr::from(ip)),
        has_zone,
    })
}

/// Whether `ip` is an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), Go's
/// `Addr.Is4In6`.
pub(crate) fn is_4in6(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(_) => false,
        IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some(),
    }
}

/// Parses an IP address exactly like CEL `ip()` in the apiserver.
///
/// Accepts what Go's `netip.ParseAddr` accepts (dotted-quad IPv4 without
/// leading zeros, every RFC 4291 IPv6 text form including `::`-compression,
/// upper-case hex and a trailing dotted IPv4), except IPv6 zones
/// (`fe80::1%eth0`) and IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`).
/// No surrounding whitespace, brackets or ports.
///
/// # Errors
///
/// [`FormatError::Ip`], [`FormatError::IpZone`] or [`FormatError::IpMapped`],
/// with the apiserver's wording.
pub fn parse_ip(s: &str) -> Result<IpAddr, FormatError> {
    let addr = go_parse_addr(s.as_bytes()).map_err(|e| FormatError::Ip {
        value: s.to_owned(),
        reason: e.to_string(),
    })?;
    if addr.has_zone {
        return Err(FormatError::IpZone {
            value: s.to_owned(),
        });
    }
    if is_4in6(&addr.ip) {
        return Err(FormatError::IpMapped {
            value: s.to_owned(),
        });
    }
    Ok(addr.ip)
}

/// CEL `isIP(s)`: whether [`parse_ip`] accepts `s`.
pub fn is_ip(s: &str) -> bool {
    parse_ip(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, accepted by CEL isIP, accepted by Rust std `IpAddr::from_str`).
    /// Every row was checked against Go (`netip.ParseAddr` + the CEL checks).
    const CASES: &[(&str, bool, bool)] = &[
        // IPv4
        ("0.0.0.0", true, true),
        ("1.2.3.4", true, true),
        ("255.255.255.255", true, true),
        ("192.168.0.1", true, true),
        ("010.0.0.1", false, false),
        ("10.0.0.01", false, false),
        ("10.00.0.1", false, false),
        ("256.0.0.1", false, false),
        ("1.2.3", false, false),
        ("1.2.3.4.5", false, false),
        ("1..2.3", false, false),
        (".1.2.3", false, false),
        ("1.2.3.", false, false),
        ("1.2.3.4/24", false, false),
        ("1.2.3.4:80", false, false),
        (" 1.2.3.4", false, false),
        ("1.2.3.4 ", false, false),
        ("1.2.3.4\n", false, false),
        ("+1.2.3.4", false, false),
        ("0x1.2.3.4", false, false),
        ("1", false, false),
        ("", false, false),
        ("١.٢.٣.٤", false, false),
        // IPv6
        ("::", true, true),
        ("::1", true, true),
        ("1::", true, true),
        ("2001:db8::1", true, true),
        ("2001:DB8::1", true, true),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", true, true),
        ("fe80::1", true, true),
        ("1:2:3:4:5:6:7:8", true, true),
        ("1:2:3:4:5:6::8", true, true),
        ("1::4:5:6:7:8", true, true),
        ("::2:3:4:5:6:7:8", true, true),
        ("1:2:3:4:5:6:7::", true, true),
        ("1:2:3:4:5:6:7::8", false, false),
        ("::1:2:3:4:5:6:7:8", false, false),
        ("1:2:3:4:5:6:7:8::", false, false),
        ("1:2:3:4:5:6:7", false, false),
        ("1:2:3:4:5:6:7:8:9", false, false),
        ("1:::2", false, false),
        ("1::2::3", false, false),
        (":1::", false, false),
        ("1:", false, false),
        (":", false, false),
        (":::", false, false),
        ("12345::", false, false),
        ("01234::", false, false),
        ("0000::", true, true),
        ("g::", false, false),
        ("[::1]", false, false),
        ("::1 ", false, false),
        // IPv4-embedded IPv6
        ("::1.2.3.4", true, true),
        ("::0.0.0.0", true, true),
        ("1:2:3:4:5:6:1.2.3.4", true, true),
        ("1::1.2.3.4", true, true),
        ("64:ff9b::1.2.3.4", true, true),
        ("1:2:3:4:5:6:7:1.2.3.4", false, false),
        ("1:2:3:4:5:1.2.3.4", false, false),
        ("::1.2.3", false, false),
        ("::01.2.3.4", false, false),
        ("::1.2.3.4:5", false, false),
        ("::1.2.3.4.5", false, false),
        ("::256.0.0.1", false, false),
        // IPv4-mapped: Go parses, CEL rejects
        ("::ffff:1.2.3.4", false, true),
        ("::FFFF:1.2.3.4", false, true),
        ("::ffff:102:304", false, true),
        ("0:0:0:0:0:ffff:1.2.3.4", false, true),
        ("::fffe:1.2.3.4", true, true),
        ("::1:ffff:1.2.3.4", true, true),
        // zones: Go parses, CEL rejects
        ("fe80::1%eth0", false, false),
        ("fe80::1%", false, false),
        ("%eth0", false, false),
        ("1.2.3.4%eth0", false, false),
    ];

    #[test]
    fn cel_is_ip_table() {
        for &(input, want, _) in CASES {
            assert_eq!(is_ip(input), want, "is_ip({input:?})");
        }
    }

    #[test]
    fn rust_std_divergences_are_as_documented() {
        for &(input, _, std_ok) in CASES {
            assert_eq!(
                input.parse::<IpAddr>().is_ok(),
                std_ok,
                "std parse of {input:?}"
            );
        }
    }

    #[test]
    fn values_and_messages() {
        assert_eq!(
            parse_ip("::1.2.3.4"),
            Ok(IpAddr::V6(Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0x0102, 0x0304)))
        );
        assert_eq!(
            parse_ip("2001:DB8::A"),
            Ok(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0xa)))
        );
        assert_eq!(
            parse_ip("10.0.0.1"),
            Ok(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)))
        );
        assert_eq!(
            parse_ip("010.0.0.1").map_err(|e| e.to_string()),
            Err("IP Address \"010.0.0.1\" parse error during conversion from string: ParseAddr(\"010.0.0.1\"): IPv4 field has octet with leading zero".to_owned())
        );
        assert_eq!(
            parse_ip("fe80::1%eth0").map_err(|e| e.to_string()),
            Err("IP address \"fe80::1%eth0\" with zone value is not allowed".to_owned())
        );
        assert_eq!(
            parse_ip("::ffff:1.2.3.4").map_err(|e| e.to_string()),
            Err("IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed".to_owned())
        );
    }

    #[test]
    fn max_len_is_the_longest_valid_form() {
        let longest = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
        assert!(is_ip(longest));
        assert_eq!(longest.len(), IP_MAX_LEN);
    }
}
