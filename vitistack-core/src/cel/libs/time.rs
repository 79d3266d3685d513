//! Timestamps and durations: RFC 3339 parsing (cel-go's `timestamp('…')`, years 1 to 9999),
//! the apiserver's lenient `date-time` data format, civil-date accessors in UTC or a fixed
//! offset, and cel-go's string forms.

use super::super::errors::EvalError;

/// Unix seconds of 0001-01-01T00:00:00Z (cel-go `minUnixTime`).
const MIN_UNIX: i64 = -62_135_596_800;
/// Unix seconds of 9999-12-31T23:59:59Z (cel-go `maxUnixTime`).
const MAX_UNIX: i64 = 253_402_300_799;

/// `(secs, nanos)` if within cel-go's timestamp range.
pub fn checked(secs: i64, nanos: u32) -> Option<(i64, u32)> {
    (MIN_UNIX..=MAX_UNIX)
        .contains(&secs)
        .then_some((secs, nanos))
}

/// Timestamp plus a duration in nanoseconds, range-checked.
pub fn add(secs: i64, nanos: u32, d: i64) -> Option<(i64, u32)> {
    let total = secs as i128 * 1_000_000_000 + nanos as i128 + d as i128;
    let s = total.div_euclid(1_000_000_000);
    let n = total.rem_euclid(1_000_000_000) as u32;
    checked(i64::try_from(s).ok()?, n)
}

/// Days since the epoch of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day since the epoch.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; `zone_optional` also accepts no zone (UTC).
fn parse(s: &str, zone_optional: bool) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, se) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    if !(1..=12).contains(&mo)
        || d == 0
        || d > days_in_month(y as i64, mo)
        || h > 23
        || mi > 59
        || se > 59
    {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end == start || end - start > 9 {
            return None;
        }
        let frac = digits(&b[start..end])?;
        nanos = frac * 10u32.pow(9 - (end - start) as u32);
        i = end;
    }
    let offset: i64 = match b.get(i) {
        None if zone_optional => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
            let (oh, om) = (digits(&b[i + 1..i + 3])?, digits(&b[i + 4..i + 6])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = (oh * 3600 + om * 60) as i64;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    let days = days_from_civil(y as i64, mo, d);
    Some((
        days * 86_400 + (h * 3600 + mi * 60 + se) as i64 - offset,
        nanos,
    ))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// cel-go's `timestamp('…')`: Go `time.Parse(time.RFC3339, s)`.
pub fn parse_rfc3339(s: &str) -> Option<(i64, u32)> {
    parse(s, false)
}

/// The apiserver's `date-time` data (`strfmt.ParseDateTime`): RFC 3339, or without a zone;
/// the empty string is the Unix epoch.
pub fn parse_date_time(s: &str) -> Option<(i64, u32)> {
    if s.is_empty() {
        return Some((0, 0));
    }
    parse(s, true)
}

/// The apiserver's `date` data (`2006-01-02`), as a timestamp at midnight UTC.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y as i64, m) {
        return None;
    }
    Some(days_from_civil(y as i64, m, d) * 86_400)
}

/// A time zone argument: `UTC`, or a fixed offset `±HH:MM`. IANA names are not supported.
fn zone_offset(tz: &str) -> Result<i64, EvalError> {
    if tz == "UTC" || tz.is_empty() {
        return Ok(0);
    }
    let b = tz.as_bytes();
    let (sign, rest) = match b.first() {
        Some(b'+') => (1, &tz[1..]),
        Some(b'-') => (-1, &tz[1..]),
        _ => {
            return Err(EvalError::Unsupported(format!(
                "time zone {tz:?} (only UTC and ±HH:MM offsets)"
            )))
        }
    };
    let (h, m) = rest
        .split_once(':')
        .ok_or_else(|| EvalError::msg(format!("invalid time zone: {tz}")))?;
    let (h, m) = (
        h.parse::<i64>()
            .map_err(|_| EvalError::msg("invalid time zone"))?,
        m.parse::<i64>()
            .map_err(|_| EvalError::msg("invalid time zone"))?,
    );
    Ok(sign * (h * 3600 + m * 60))
}

/// The timestamp accessors (`getFullYear`, ...), in UTC or `tz`.
pub fn getter(f: &str, secs: i64, nanos: u32, tz: Option<&str>) -> Result<i64, EvalError> {
    let local = secs + zone_offset(tz.unwrap_or("UTC"))?;
    let days = local.div_euclid(86_400);
    let sod = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    Ok(match f {
        "getFullYear" => y,
        "getMonth" => m as i64 - 1,
        "getDayOfYear" => days - days_from_civil(y, 1, 1),
        "getDayOfMonth" => d as i64 - 1,
        "getDate" => d as i64,
        "getDayOfWeek" => (days + 4).rem_euclid(7),
        "getHours" => sod / 3600,
        "getMinutes" => sod % 3600 / 60,
        "getSeconds" => sod % 60,
        "getMilliseconds" => (nanos / 1_000_000) as i64,
        _ => return Err(EvalError::NoOverload(f.to_string())),
    })
}

/// Go's `time.RFC3339Nano` in UTC (what cel-go's `string(timestamp)` prints).
pub fn format_rfc3339(secs: i64, nanos: u32) -> String {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut out = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    );
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// cel-go's `string(duration)`: seconds with up to nine decimals and `s`.
pub fn format_duration(nanos: i64) -> String {
    let secs = nanos / 1_000_000_000;
    let frac = (nanos % 1_000_000_000).unsigned_abs();
    if frac == 0 {
        return format!("{secs}s");
    }
    let sign = if nanos < 0 && secs == 0 { "-" } else { "" };
    let f = format!("{frac:09}");
    format!("{sign}{secs}.{}s", f.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for days in [-719_162, -1, 0, 1, 10_957, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(
            parse_rfc3339("2011-08-18T19:03:37.01+01:30"),
            Some((1_313_694_217 - 5400, 10_000_000))
        );
        assert_eq!(parse_rfc3339("2011-08-18T19:03:37"), None);
        assert_eq!(
            parse_date_time("2011-08-18T19:03:37"),
            Some((1_313_694_217, 0))
        );
        assert_eq!(parse_date_time(""), Some((0, 0)));
        assert_eq!(
            format_rfc3339(1_313_694_217, 500_000_000),
            "2011-08-18T19:03:37.5Z"
        );
    }
}
