//! MAC addresses: exactly six colon-separated pairs of hex digits.
//!
//! There is no CEL MAC library; the CRDs use an OpenAPI `pattern`
//! ([`MAC_PATTERN`]). The OpenAPI `format: mac` (Go `net.ParseMAC`) is more
//! lenient (`-` and `.` separators, 8- and 20-byte forms) and is deliberately
//! not used.

use std::sync::LazyLock;

use regex::Regex;

use super::FormatError;

/// The CRD `pattern` for a MAC address (valid in Go RE2, ECMA-262 and Rust
/// `regex`): six colon-separated hex pairs, either case, e.g. `52:54:00:AB:cd:ef`.
pub const MAC_PATTERN: &str = "^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$";

/// `maxLength` for a MAC address field (`aa:bb:cc:dd:ee:ff`).
pub const MAC_MAX_LEN: usize = 17;

static MAC_RE: LazyLock<Regex> = LazyLock::new(|| {
    // The pattern is a compile-time constant covered by the unit tests.
    Regex::new(MAC_PATTERN).expect("MAC_PATTERN is a valid regex")
});

/// Whether `s` matches [`MAC_PATTERN`].
pub fn is_mac(s: &str) -> bool {
    MAC_RE.is_match(s)
}

/// Parses a MAC address that matches [`MAC_PATTERN`] into its six bytes.
///
/// # Errors
///
/// [`FormatError::Pattern`] when `s` does not match [`MAC_PATTERN`].
pub fn parse_mac(s: &str) -> Result<[u8; 6], FormatError> {
    let err = || FormatError::Pattern {
        value: s.to_owned(),
        pattern: MAC_PATTERN,
    };
    if !is_mac(s) {
        return Err(err());
    }
    let mut out = [0u8; 6];
    for (byte, pair) in out.iter_mut().zip(s.split(':')) {
        *byte = u8::from_str_radix(pair, 16).map_err(|_| err())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &[(&str, bool)] = &[
        ("00:00:00:00:00:00", true),
        ("52:54:00:ab:cd:ef", true),
        ("52:54:00:AB:CD:EF", true),
        ("52:54:00:Ab:cD:eF", true),
        ("ff:ff:ff:ff:ff:ff", true),
        ("52-54-00-ab-cd-ef", false),
        ("5254.00ab.cdef", false),
        ("525400abcdef", false),
        ("52:54:00:ab:cd", false),
        ("52:54:00:ab:cd:ef:01", false),
        ("52:54:00:ab:cd:e", false),
        ("2:54:00:ab:cd:ef", false),
        ("52:54:00:ab:cd:eg", false),
        ("52:54:00:ab:cd:ef ", false),
        (" 52:54:00:ab:cd:ef", false),
        ("52:54:00:ab:cd:ef\n", false),
        ("52::00:ab:cd:ef", false),
        ("00:00:5e:00:53:01:00:00", false),
        ("", false),
        ("５２:54:00:ab:cd:ef", false),
    ];

    #[test]
    fn table() {
        for &(input, want) in CASES {
            assert_eq!(is_mac(input), want, "is_mac({input:?})");
            assert_eq!(parse_mac(input).is_ok(), want, "parse_mac({input:?})");
        }
    }

    #[test]
    fn value_and_message() {
        assert_eq!(
            parse_mac("52:54:00:AB:cd:ef"),
            Ok([0x52, 0x54, 0x00, 0xab, 0xcd, 0xef])
        );
        assert_eq!(
            parse_mac("52-54-00-ab-cd-ef").map_err(|e| e.to_string()),
            Err(
                "\"52-54-00-ab-cd-ef\" should match '^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$'"
                    .to_owned()
            )
        );
        assert_eq!("52:54:00:ab:cd:ef".len(), MAC_MAX_LEN);
    }
}
