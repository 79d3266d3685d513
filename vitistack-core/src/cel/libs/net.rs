//! Kubernetes IP and CIDR (`k8s.io/apiserver/pkg/cel/library/ip.go`, `cidr.go`), on
//! [`crate::formats::ip`] and [`crate::formats::cidr`], which port Go's `netip` parsing with
//! the library's refusals (zones, IPv4-mapped IPv6).

use super::super::errors::EvalError;
use super::super::eval::{factor, Tracker};
use super::super::types::{opaque, Type};
use super::super::value::Value;
use super::Overload;
use crate::formats::{parse_cidr, parse_ip};
use std::net::IpAddr;

const NAMES: [&str; 16] = [
    "ip",
    "isIP",
    "ip.isCanonical",
    "family",
    "isUnspecified",
    "isLoopback",
    "isLinkLocalMulticast",
    "isLinkLocalUnicast",
    "isGlobalUnicast",
    "cidr",
    "isCIDR",
    "containsIP",
    "containsCIDR",
    "masked",
    "prefixLength",
    "string",
];

/// The checker's overloads (the guards read as the overload table, hence the allow).
#[allow(clippy::redundant_guards)]
pub(crate) fn check(f: &str, target: Option<&Type>, args: &[Type]) -> Overload {
    if !NAMES.contains(&f) {
        return Overload::Unknown;
    }
    let ip = Type::Opaque(opaque::IP);
    let cidr = Type::Opaque(opaque::CIDR);
    let r = |t: Type| Overload::Result(t);
    let s = |t: &Type| t.fits(&Type::String) && !t.is_dyn();
    match (f, target, args) {
        ("ip" | "cidr" | "isIP" | "isCIDR" | "ip.isCanonical", None, [a])
            if a.fits(&Type::String) =>
        {
            r(match f {
                "ip" => ip,
                "cidr" => cidr,
                _ => Type::Bool,
            })
        }
        ("family", Some(t), []) if t.fits(&ip) => r(Type::Int),
        (
            "isUnspecified"
            | "isLoopback"
            | "isLinkLocalMulticast"
            | "isLinkLocalUnicast"
            | "isGlobalUnicast",
            Some(t),
            [],
        ) if t.fits(&ip) => r(Type::Bool),
        ("containsIP", Some(t), [a]) if t.fits(&cidr) && (a.fits(&ip) || s(a)) => r(Type::Bool),
        ("containsCIDR", Some(t), [a]) if t.fits(&cidr) && (a.fits(&cidr) || s(a)) => r(Type::Bool),
        ("ip", Some(t), []) if t.fits(&cidr) => r(ip),
        ("masked", Some(t), []) if t.fits(&cidr) => r(cidr),
        ("prefixLength", Some(t), []) if t.fits(&cidr) => r(Type::Int),
        ("string", None, [a]) if matches!(a, Type::Opaque(n) if *n == opaque::IP || *n == opaque::CIDR) => {
            r(Type::String)
        }
        _ => Overload::NoMatch,
    }
}

type R = Option<Result<Value, EvalError>>;

fn cost(t: &mut Tracker, n: u64) -> Result<(), EvalError> {
    t.add(n)
}

fn size(ip: &IpAddr) -> u64 {
    if ip.is_ipv4() {
        4
    } else {
        16
    }
}

/// The runtime.
pub(crate) fn call(f: &str, target: Option<&Value>, args: &[Value], t: &mut Tracker) -> R {
    use Value as V;
    let r = (|| -> Result<Option<Value>, EvalError> {
        Ok(Some(match (f, target, args) {
            ("ip" | "isIP" | "ip.isCanonical" | "cidr" | "isCIDR", None, [V::String(s)]) => {
                let n = s.chars().count() as u64;
                cost(t, factor(n, if f == "ip.isCanonical" { 0.2 } else { 0.1 }))?;
                match f {
                    "ip" => V::Ip(parse_ip(s).map_err(|e| EvalError::msg(e.to_string()))?),
                    "isIP" => V::Bool(parse_ip(s).is_ok()),
                    "ip.isCanonical" => {
                        let ip = parse_ip(s).map_err(|e| EvalError::msg(e.to_string()))?;
                        V::Bool(ip.to_string() == **s)
                    }
                    // `stringToCIDR` wraps the parser's error in the same prefix once more.
                    "cidr" => V::Cidr(parse_cidr(s).map_err(|e| {
                        EvalError::msg(format!(
                            "network address parse error during conversion from string: {e}"
                        ))
                    })?),
                    _ => V::Bool(parse_cidr(s).is_ok()),
                }
            }
            (_, Some(V::Ip(ip)), []) => V::Bool(match f {
                "family" => return Ok(Some(V::Int(if ip.is_ipv4() { 4 } else { 6 }))),
                "isUnspecified" => ip.is_unspecified(),
                "isLoopback" => ip.is_loopback(),
                "isLinkLocalMulticast" => link_local_multicast(ip),
                "isLinkLocalUnicast" => link_local_unicast(ip),
                "isGlobalUnicast" => global_unicast(ip),
                _ => return Ok(None),
            }),
            ("containsIP", Some(V::Cidr(c)), [arg]) => {
                let ip = match arg {
                    V::Ip(ip) => *ip,
                    V::String(s) => {
                        cost(t, factor(s.chars().count() as u64, 0.1))?;
                        parse_ip(s).map_err(|e| EvalError::msg(e.to_string()))?
                    }
                    _ => return Ok(None),
                };
                cost(t, factor(2 * size(&c.addr()), 0.1))?;
                V::Bool(c.contains_ip(&ip))
            }
            ("containsCIDR", Some(V::Cidr(c)), [arg]) => {
                let other = match arg {
                    V::Cidr(o) => *o,
                    V::String(s) => {
                        cost(t, factor(s.chars().count() as u64, 0.1))?;
                        parse_cidr(s).map_err(|e| EvalError::msg(e.to_string()))?
                    }
                    _ => return Ok(None),
                };
                cost(
                    t,
                    factor(2 * size(&c.addr()), 0.1) + factor(size(&c.addr()), 0.1) + 1,
                )?;
                V::Bool(c.contains_cidr(&other))
            }
            ("ip", Some(V::Cidr(c)), []) => V::Ip(c.addr()),
            ("masked", Some(V::Cidr(c)), []) => V::Cidr(c.masked()),
            ("prefixLength", Some(V::Cidr(c)), []) => V::Int(c.prefix_len() as i64),
            _ => return Ok(None),
        }))
    })();
    match r {
        Ok(Some(v)) => Some(Ok(v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

/// Go `Addr.IsLinkLocalMulticast`: 224.0.0.0/24, ff02::/16.
fn link_local_multicast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.segments()[0] & 0xff0f == 0xff02,
    }
}

/// Go `Addr.IsLinkLocalUnicast`: 169.254.0.0/16, fe80::/10.
fn link_local_unicast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..2] == [169, 254],
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}

/// Go `Addr.IsGlobalUnicast`: not unspecified, loopback, multicast, link-local unicast, or
/// the IPv4 broadcast address.
fn global_unicast(ip: &IpAddr) -> bool {
    let broadcast = matches!(ip, IpAddr::V4(v4) if v4.is_broadcast());
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || link_local_unicast(ip)
        || broadcast)
}
