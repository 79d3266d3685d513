//! Absolute `http`/`https` URLs, exactly as the apiserver's CEL rule
//! `isURL(self) && url(self).getScheme() in ['http', 'https'] &&
//! url(self).getHostname() != ''` accepts them.
//!
//! `isURL` is Go `url.ParseRequestURI`; `url()` additionally runs `url.Parse`
//! (an error there fails the rule); `getScheme` is the lower-cased scheme and
//! `getHostname` is `URL.Hostname()`
//! (`k8s.io/apiserver/pkg/cel/library/urls.go`). This module ports those parts
//! of Go 1.26 `net/url`. Consequences worth knowing (all checked against Go):
//!
//! * The scheme is case-insensitive (`HTTP://example.com` is accepted).
//! * A fragment needs a path or query before it: `http://h/#x` and `http://h?#x`
//!   are accepted, `http://h#x` is not (`ParseRequestURI` sees `#` in the host).
//! * The host is not validated as a DNS name: `http://a_b`, `http://999.1.1.1`
//!   and `http://-` are accepted; `%` escapes in hosts are only allowed for
//!   non-ASCII bytes. Ports are any digit string, even empty or above 65535.
//! * Query strings are not validated at all; paths and fragments only need
//!   well-formed `%` escapes (so spaces in the path are accepted). ASCII
//!   control characters are rejected anywhere.
//! * IPv6 literals must be bracketed valid IPv6 (zones as `%25`), not IPv4.
//! * Go 1.26 with `GODEBUG=urlstrictcolons=1` (its default) rejects a second
//!   colon in an http(s) host (`http://::1/`, `http://h:1:2`). Apiservers whose
//!   main module predates Go 1.26 run with `urlstrictcolons=0` and accept those;
//!   this module takes the strict reading (a subset of both).
//!
//! [`HTTP_URL_PATTERN`] is a conservative regular expression: everything it
//! matches is accepted by [`is_http_url`], not the other way round.

use super::ip::go_parse_addr;
use super::FormatError;

/// `maxLength` for a URL field.
pub const URL_MAX_LEN: usize = 2048;

/// A conservative anchored CRD `pattern` for http(s) URLs (valid in Go RE2,
/// ECMA-262 and Rust `regex`): lower-case `http`/`https`, a non-empty host of
/// `A-Z a-z 0-9 . _ ~ -` (no user info, no IP literals), an optional 1–5 digit
/// port, then an optional path / query / fragment of RFC 3986 characters
/// (without `'` and `"`) with well-formed `%` escapes, where a fragment must
/// follow a path or query. Every string it matches satisfies [`is_http_url`];
/// some URLs [`is_http_url`] accepts (IPv6 literals, user info, upper-case
/// schemes, spaces in paths) do not match it.
pub const HTTP_URL_PATTERN: &str = concat!(
    "^https?://[A-Za-z0-9._~-]+(:[0-9]{1,5})?",
    "((/([A-Za-z0-9._~!$&()*+,;=:@/-]|%[0-9A-Fa-f]{2})*",
    "(\\?([A-Za-z0-9._~!$&()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?",
    "|\\?([A-Za-z0-9._~!$&()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)",
    "(#([A-Za-z0-9._~!$&()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?)?$",
);

/// `net/url` encoding modes used by `unescape`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    Fragment,
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// Go `shouldEscape(c, encodeHost)` (identical for `encodeZone`).
fn host_should_escape(c: u8) -> bool {
    !(c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
                | b'-'
                | b'_'
                | b'.'
                | b'~'
        ))
}

/// Port of Go `net/url.unescape`: validates `%` escapes (and host bytes) and
/// decodes. `+` is kept (no query-component mode is needed here).
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                if i + 2 >= s.len() || !is_hex(s[i + 1]) || !is_hex(s[i + 2]) {
                    let end = (i + 3).min(s.len());
                    return Err(format!(
                        "invalid URL escape {:?}",
                        String::from_utf8_lossy(&s[i..end])
                    ));
                }
                let esc = &s[i..i + 3];
                let v = (unhex(s[i + 1]) << 4) | unhex(s[i + 2]);
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && esc != b"%25" {
                    return Err(format!(
                        "invalid URL escape {:?}",
                        String::from_utf8_lossy(esc)
                    ));
                }
                if mode == Mode::Zone && esc != b"%25" && v != b' ' && host_should_escape(v) {
                    return Err(format!(
                        "invalid URL escape {:?}",
                        String::from_utf8_lossy(esc)
                    ));
                }
                out.push(v);
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && host_should_escape(c) {
                    return Err(format!(
                        "invalid character {:?} in host name",
                        char::from(c).to_string()
                    ));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Go `validOptionalPort`: empty or `:` followed by digits.
fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

/// Go `validUserinfo` (iterates runes: any non-ASCII rune is invalid).
fn valid_userinfo(s: &[u8]) -> bool {
    s.iter().all(|&c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b':'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'%'
                    | b'@'
            )
    })
}

fn find(h: &[u8], needle: u8) -> Option<usize> {
    h.iter().position(|&c| c == needle)
}

fn rfind(h: &[u8], needle: u8) -> Option<usize> {
    h.iter().rposition(|&c| c == needle)
}

fn find_seq(h: &[u8], needle: &[u8]) -> Option<usize> {
    h.windows(needle.len()).position(|w| w == needle)
}

/// Port of Go 1.26 `net/url.parseHost` (with `urlstrictcolons=1`). Returns the
/// unescaped host (`u.Host`).
fn parse_host(scheme: &str, host: &[u8]) -> Result<Vec<u8>, String> {
    match rfind(host, b'[') {
        Some(i) if i > 0 => return Err("invalid IP-literal".to_owned()),
        Some(_) => {
            let Some(close) = rfind(host, b']') else {
                return Err("missing ']' in host".to_owned());
            };
            let colon_port = &host[close + 1..];
            if !valid_optional_port(colon_port) {
                return Err(format!(
                    "invalid port {:?} after host",
                    String::from_utf8_lossy(colon_port)
                ));
            }
            let unescaped_port = unescape(colon_port, Mode::Host)?;
            let hostname = &host[1..close];
            let unescaped_hostname = match find_seq(hostname, b"%25") {
                Some(z) => {
                    let mut h = unescape(&hostname[..z], Mode::Host)?;
                    h.extend(unescape(&hostname[z..], Mode::Zone)?);
                    h
                }
                None => unescape(hostname, Mode::Host)?,
            };
            let addr =
                go_parse_addr(&unescaped_hostname).map_err(|e| format!("invalid host: {e}"))?;
            if addr.ip.is_ipv4() {
                return Err("invalid IP-literal".to_owned());
            }
            let mut out = Vec::with_capacity(unescaped_hostname.len() + unescaped_port.len() + 2);
            out.push(b'[');
            out.extend(unescaped_hostname);
            out.push(b']');
            out.extend(unescaped_port);
            return Ok(out);
        }
        None => {}
    }
    if let Some(first) = find(host, b':') {
        let last = rfind(host, b':').unwrap_or(first);
        let i = if last != first && scheme != "http" && scheme != "https" {
            last
        } else {
            first
        };
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!(
                "invalid port {:?} after host",
                String::from_utf8_lossy(colon_port)
            ));
        }
    }
    unescape(host, Mode::Host)
}

/// Port of Go `net/url.parseAuthority`; returns the unescaped host.
fn parse_authority(scheme: &str, authority: &[u8]) -> Result<Vec<u8>, String> {
    let at = rfind(authority, b'@');
    let host = match at {
        None => parse_host(scheme, authority)?,
        Some(i) => parse_host(scheme, &authority[i + 1..])?,
    };
    if let Some(i) = at {
        let userinfo = &authority[..i];
        if !valid_userinfo(userinfo) {
            return Err("net/url: invalid userinfo".to_owned());
        }
        match find(userinfo, b':') {
            None => {
                unescape(userinfo, Mode::UserPassword)?;
            }
            Some(c) => {
                unescape(&userinfo[..c], Mode::UserPassword)?;
                unescape(&userinfo[c + 1..], Mode::UserPassword)?;
            }
        }
    }
    Ok(host)
}

/// The parts of a Go `*url.URL` this module needs.
struct GoUrl {
    /// Lower-cased scheme.
    scheme: String,
    /// `u.Host` (unescaped), empty when there is no authority.
    host: Vec<u8>,
}

/// Go `getScheme`: `(scheme, rest)`.
fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".to_owned());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Port of Go `net/url.parse(rawURL, viaRequest)`.
fn parse(raw: &str, via_request: bool) -> Result<GoUrl, String> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".to_owned());
    }
    if raw.is_empty() && via_request {
        return Err("empty url".to_owned());
    }
    if raw == "*" {
        return Ok(GoUrl {
            scheme: String::new(),
            host: Vec::new(),
        });
    }
    let (scheme, rest) = get_scheme(raw)?;
    let scheme = scheme.to_ascii_lowercase();

    let mut rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        &rest[..rest.len() - 1]
    } else {
        rest.split_once('?').map_or(rest, |(before, _)| before)
    };

    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // Opaque URL (`scheme:opaque`): no host.
            return Ok(GoUrl {
                scheme,
                host: Vec::new(),
            });
        }
        if via_request {
            return Err("invalid URI for request".to_owned());
        }
        let segment = rest.split_once('/').map_or(rest, |(seg, _)| seg);
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".to_owned());
        }
    }

    let mut host = Vec::new();
    if (!scheme.is_empty() || !via_request && !rest.starts_with("///")) && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        host = parse_authority(&scheme, authority.as_bytes())?;
        rest = path;
    }
    // setPath: only the `%` escapes are checked.
    unescape(rest.as_bytes(), Mode::Path)?;
    Ok(GoUrl { scheme, host })
}

/// Go `url.Parse`: cuts the fragment, parses the rest, checks the fragment.
fn go_url_parse(raw: &str) -> Result<GoUrl, String> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let url = parse(u, false)?;
    if !frag.is_empty() {
        unescape(frag.as_bytes(), Mode::Fragment)?;
    }
    Ok(url)
}

/// Go `URL.Hostname()`: `u.Host` without a valid `:port` and without brackets.
fn hostname(host: &[u8]) -> &[u8] {
    let mut h = host;
    if let Some(colon) = rfind(h, b':') {
        if valid_optional_port(&h[colon..]) {
            h = &h[..colon];
        }
    }
    if h.len() >= 2 && h[0] == b'[' && h[h.len() - 1] == b']' {
        h = &h[1..h.len() - 1];
    }
    h
}

/// [`is_http_url`] with the reason for a rejection.
///
/// # Errors
///
/// [`FormatError::Url`] with the `net/url` error text, or a note that the
/// scheme is not http(s) or the host is empty.
pub fn validate_http_url(s: &str) -> Result<(), FormatError> {
    let err = |reason: String| FormatError::Url {
        value: s.to_owned(),
        reason,
    };
    parse(s, true).map_err(|e| err(format!("parse {s:?}: {e}")))?;
    let u = go_url_parse(s).map_err(|e| err(format!("parse {s:?}: {e}")))?;
    if u.scheme != "http" && u.scheme != "https" {
        return Err(err(format!(
            "scheme must be http or https, not {:?}",
            u.scheme
        )));
    }
    if hostname(&u.host).is_empty() {
        return Err(err("the host name must not be empty".to_owned()));
    }
    Ok(())
}

/// CEL `isURL(s)`: Go `url.ParseRequestURI(s)` succeeds (the error is `net/url`'s text).
pub fn parse_request_uri(s: &str) -> Result<(), String> {
    parse(s, true)
        .map(|_| ())
        .map_err(|e| format!("parse {s:?}: {e}"))
}

/// CEL `url(s)`: [`parse_request_uri`], then Go `url.Parse(s)` (which also checks the
/// fragment).
pub fn parse_cel_url(s: &str) -> Result<(), String> {
    parse_request_uri(s)?;
    go_url_parse(s)
        .map(|_| ())
        .map_err(|e| format!("parse {s:?}: {e}"))
}

/// Whether the apiserver rule `isURL(self) && url(self).getScheme() in
/// ['http', 'https'] && url(self).getHostname() != ''` accepts `s`.
pub fn is_http_url(s: &str) -> bool {
    validate_http_url(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    use regex::Regex;
    use std::sync::LazyLock;

    static HTTP_URL_RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(HTTP_URL_PATTERN).expect("HTTP_URL_PATTERN is a valid regex"));

    /// Whether `s` matches [`HTTP_URL_PATTERN`].
    fn matches_http_url_pattern(s: &str) -> bool {
        HTTP_URL_RE.is_match(s)
    }

    /// (input, the CEL rule accepts it, HTTP_URL_PATTERN matches it).
    /// The first column was checked against Go.
    const CASES: &[(&str, bool, bool)] = &[
        ("http://example.com", true, true),
        ("https://example.com", true, true),
        ("https://example.com/", true, true),
        ("https://example.com:8443/api/v1?x=1&y=2#top", true, true),
        ("http://example.com?q", true, true),
        ("http://example.com?", true, true),
        ("http://example.com/?#", true, true),
        ("http://example.com/#frag", true, true),
        ("http://example.com?#frag", true, true),
        ("http://example.com/a%20b", true, true),
        ("http://10.0.0.1:80/", true, true),
        ("http://999.1.1.1/", true, true),
        ("http://my_host/", true, true),
        ("http://-/", true, true),
        ("http://h:99999/", true, true),
        ("http://h/p/../q/./r", true, true),
        ("http://h/~user/!$&()*+,;=:@", true, true),
        // accepted by the function, not by the conservative pattern
        ("HTTP://example.com", true, false),
        ("Https://example.com", true, false),
        ("http://[::1]/", true, false),
        ("http://[::1]:8080/path", true, false),
        ("http://[fe80::1%25eth0]/", true, false),
        ("http://[::ffff:1.2.3.4]/", true, false),
        ("http://user@example.com/", true, false),
        ("http://user:pass@example.com/", true, false),
        ("http://h:/", true, false),
        ("http://h:123456/", true, false),
        ("http://h/a b", true, false),
        ("http://h/it's", true, false),
        ("http://h?%zz", true, false),
        ("http://h/?a#b#c", true, false),
        ("http://%C3%A9.com/", true, false),
        ("http://é.com/", true, false),
        ("http://a,b/", true, false),
        // rejected by both
        ("", false, false),
        ("example.com", false, false),
        ("//example.com/", false, false),
        ("/path", false, false),
        ("ftp://example.com/", false, false),
        ("file:///etc/passwd", false, false),
        ("mailto:a@b.c", false, false),
        ("http:example.com", false, false),
        ("http:/example.com", false, false),
        ("http://", false, false),
        ("http:///path", false, false),
        ("http://:80/", false, false),
        ("http://?q", false, false),
        ("http://user@/", false, false),
        ("http://example.com#frag", false, false),
        ("http://h#", false, false),
        ("http://exa mple.com/", false, false),
        (" http://example.com", false, false),
        ("http://example.com\n", false, false),
        ("http://example.com/\t", false, false),
        ("http://h/%zz", false, false),
        ("http://h/%2", false, false),
        ("http://h/#%zz", false, false),
        ("http://h?#%zz", false, false),
        ("http://%41/", false, false),
        ("http://h%2Fx/", false, false),
        ("http://h:80:80/", false, false),
        ("http://::1/", false, false),
        ("http://h:8a/", false, false),
        ("http://[::1/", false, false),
        ("http://[1.2.3.4]/", false, false),
        ("http://[::1]x/", false, false),
        ("http://x[::1]/", false, false),
        ("http://[foo]/", false, false),
        ("http://[fe80::1%eth0]/", false, false),
        ("http://us er@h/", false, false),
        ("http://h{}/", false, false),
        ("http://h|x/", false, false),
        ("http://h\\x/", false, false),
        ("://h", false, false),
        ("1http://h", false, false),
        ("*", false, false),
    ];

    #[test]
    fn cel_rule_table() {
        for &(input, want, _) in CASES {
            assert_eq!(is_http_url(input), want, "is_http_url({input:?})");
        }
    }

    #[test]
    fn pattern_is_conservative() {
        for &(input, want, pattern) in CASES {
            assert_eq!(
                matches_http_url_pattern(input),
                pattern,
                "HTTP_URL_PATTERN on {input:?}"
            );
            assert!(
                !pattern || want,
                "pattern accepts {input:?} but the rule does not"
            );
        }
    }

    #[test]
    fn messages() {
        assert_eq!(
            validate_http_url("ftp://h/").map_err(|e| e.to_string()),
            Err("\"ftp://h/\" is not a valid http(s) URL: scheme must be http or https, not \"ftp\"".to_owned())
        );
        assert!(validate_http_url("http://h/%zz")
            .map_err(|e| e.to_string())
            .is_err_and(|m| m.contains("invalid URL escape \"%zz\"")));
    }
}
