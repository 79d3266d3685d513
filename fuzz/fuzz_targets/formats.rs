//! The other format parsers (IP, CIDR, MAC, duration, port range, URL, RFC 1123 names): never
//! a panic, and each `is_*` agrees with its parser; a parsed CIDR's network contains itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitistack_types::formats::*;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    assert_eq!(is_ip(s), parse_ip(s).is_ok());
    assert_eq!(is_cidr(s), parse_cidr(s).is_ok());
    assert_eq!(is_canonical_cidr(s), parse_canonical_cidr(s).is_ok());
    if let Ok(cidr) = parse_cidr(s) {
        let masked = cidr.masked();
        assert!(masked.is_canonical());
        assert!(masked.contains_cidr(&cidr) && cidr.contains_cidr(&masked));
        assert!(cidr.overlaps(&masked));
        assert!(cidr.contains_ip(&cidr.addr()));
    }
    if is_canonical_cidr(s) {
        assert!(is_cidr(s));
    }
    assert_eq!(is_mac(s), parse_mac(s).is_ok());
    assert_eq!(is_duration(s), parse_duration(s).is_ok());
    if let Ok((lo, hi)) = parse_port_range(s) {
        assert!(1 <= lo && lo <= hi, "{s:?}");
    }
    assert_eq!(is_port_range(s), parse_port_range(s).is_ok());
    assert_eq!(is_http_url(s), validate_http_url(s).is_ok());
    let _ = names::validate_rfc1123_label(s);
    let _ = names::validate_rfc1123_subdomain(s);
    let _ = names::validate_dns_name(s);
    if names::is_rfc1123_label(s) {
        assert!(names::is_rfc1123_subdomain(s));
    }
});
