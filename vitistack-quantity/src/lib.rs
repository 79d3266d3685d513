//! The Kubernetes resource quantity grammar and its exact value: a port of
//! `resource.ParseQuantity` and `Quantity.Cmp`
//! (`k8s.io/apimachinery/pkg/api/resource/quantity.go`), i.e. CEL `isQuantity()`, `quantity()`
//! and `compareTo()`.
//!
//! This is the one quantity grammar of vitistack-rs. `vitistack-core` builds its `Quantity`
//! type on it (`vitistack_core::formats::Quantity`, where the grammar, rounding and capping are
//! documented with examples), and `vitistack-derive` checks the bounds of
//! `#[viti(quantity(min = "...", max = "..."))]` with it at compile time, so a bound the derive
//! accepts is one the engine parses.
//!
//! Why a crate of its own: a proc-macro crate's dependencies are built for the host, with
//! features resolved apart from the application's, so `vitistack-derive` cannot depend on
//! `vitistack-core` (whose `k8s-openapi` has no version feature there, and which is the heavy
//! runtime half); and a module shared by `#[path]` across crate directories is left out of the
//! packaged crate, so `cargo publish` of the second crate would fail. A crate with the grammar and
//! nothing else (no serde, no regex; `num-bigint` for exact values) serves both.

#![deny(missing_docs)]

use std::cmp::Ordering;
use std::fmt;

use num_bigint::{BigInt, Sign};

/// The errors of Go's `resource.ParseQuantity`, with Go's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuantityError {
    /// Go `ErrFormatWrong`: the string does not have the overall shape.
    FormatWrong,
    /// Go `ErrNumeric`: the number part has no digits where Go needs some.
    Numeric,
    /// Go `ErrSuffix`: the suffix is not a known unit or exponent.
    Suffix,
    /// Not a Go error: Go's `ParseQuantity` would have to compute a power of
    /// ten with more than [`MAX_GO_POW10_DIGITS`] digits to round this value
    /// (or, for one exponent, panics). Go needs from tens of seconds to hours
    /// for that, so no apiserver request carrying it completes normally.
    ExponentOutOfRange,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::FormatWrong => "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            QuantityError::Numeric => "unable to parse numeric part of quantity",
            QuantityError::Suffix => "unable to parse quantity's suffix",
            QuantityError::ExponentOutOfRange => "quantity exponent out of range: Kubernetes would have to compute a power of ten with more than 100000000 digits",
        })
    }
}

impl std::error::Error for QuantityError {}

/// Beyond this many digits in a power of ten that Go's `ParseQuantity` would
/// materialise while rounding to nanounits, [`parse`] returns
/// [`QuantityError::ExponentOutOfRange`] (Go: ~1 s at 10^7, minutes at 10^8,
/// hours near 2^31). Only inputs with more than 18 significant digits or below
/// nano precision and an exponent beyond ±10^8 are affected (`1.5e-200000000`).
pub const MAX_GO_POW10_DIGITS: u32 = 100_000_000;

/// The result of Go's `parseQuantityString`.
struct Scanned<'a> {
    positive: bool,
    value: &'a [u8],
    num: &'a [u8],
    denom: &'a [u8],
    suffix: &'a [u8],
}

fn is_suffix_letter(c: u8) -> bool {
    b"eEinumkKMGTP".contains(&c)
}

/// The index of the first byte from `from` on that is not `accepted` (`s.len()` if none).
fn run_end(s: &[u8], from: usize, accepted: impl Fn(u8) -> bool) -> usize {
    s[from..]
        .iter()
        .position(|&c| !accepted(c))
        .map_or(s.len(), |n| from + n)
}

/// Port of Go's `parseQuantityString`.
fn scan(s: &[u8]) -> Result<Scanned<'_>, QuantityError> {
    let mut out = Scanned {
        positive: true,
        value: b"",
        num: b"",
        denom: b"",
        suffix: b"",
    };
    let end = s.len();
    let mut pos = 0;

    if pos < end {
        match s[0] {
            b'-' => {
                out.positive = false;
                pos += 1;
            }
            b'+' => pos += 1,
            _ => {}
        }
    }

    // strip leading zeros
    pos = run_end(s, pos, |c| c == b'0');
    if pos == end {
        out.num = b"0";
        out.value = b"0";
        return Ok(out);
    }

    // numerator
    let i = run_end(s, pos, |c| c.is_ascii_digit());
    if i == end {
        out.num = &s[pos..end];
        out.value = &s[..end];
        return Ok(out);
    }
    out.num = if i == pos { b"0" } else { &s[pos..i] };
    pos = i;

    // denominator
    if s[pos] == b'.' {
        pos += 1;
        let i = run_end(s, pos, |c| c.is_ascii_digit());
        if i == end {
            out.denom = &s[pos..end];
            out.value = &s[..end];
            return Ok(out);
        }
        out.denom = &s[pos..i];
        pos = i;
    }
    out.value = &s[..pos];

    // suffix: letters, optional sign, digits
    let suffix_start = pos;
    pos = run_end(s, pos, is_suffix_letter);
    if pos < end && (s[pos] == b'-' || s[pos] == b'+') {
        pos += 1;
    }
    if run_end(s, pos, |c| c.is_ascii_digit()) == end {
        out.suffix = &s[suffix_start..end];
        return Ok(out);
    }
    Err(QuantityError::FormatWrong)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    DecimalExponent,
    BinarySi,
    DecimalSi,
}

/// Go `strconv.ParseInt(s, 10, 64)`.
fn go_parse_int(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Accumulate the magnitude as u64; -2^63 must stay representable.
    let mut acc: u64 = 0;
    for d in digits {
        acc = acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if neg {
        if acc > 1 << 63 {
            return None;
        }
        Some((acc as i64).wrapping_neg())
    } else {
        i64::try_from(acc).ok()
    }
}

/// Go `quantitySuffixer.interpret`: (base, exponent, format).
fn interpret(suffix: &[u8]) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSi));
    let bin = |e| Some((2, e, Format::BinarySi));
    match suffix {
        b"" => dec(0),
        b"n" => dec(-9),
        b"u" => dec(-6),
        b"m" => dec(-3),
        b"k" => dec(3),
        b"M" => dec(6),
        b"G" => dec(9),
        b"T" => dec(12),
        b"P" => dec(15),
        b"E" => dec(18),
        b"Ki" => bin(10),
        b"Mi" => bin(20),
        b"Gi" => bin(30),
        b"Ti" => bin(40),
        b"Pi" => bin(50),
        b"Ei" => bin(60),
        [b'e' | b'E', rest @ ..] if !rest.is_empty() => {
            // Go: int32(parsed) truncates.
            go_parse_int(rest).map(|p| (10, p as i32, Format::DecimalExponent))
        }
        _ => None,
    }
}

/// Number of decimal digits of `|n|` (1 for zero).
fn decimal_digits(n: &BigInt) -> i64 {
    i64::try_from(n.magnitude().to_string().len()).unwrap_or(i64::MAX)
}

fn pow10(e: u64) -> BigInt {
    BigInt::from(10u32).pow(u32::try_from(e).unwrap_or(u32::MAX))
}

/// `mantissa * 10^exponent`, normalised (no trailing zeros in the mantissa).
pub fn normalise(mut mantissa: BigInt, mut exponent: i64) -> (BigInt, i64) {
    if mantissa.sign() == Sign::NoSign {
        return (mantissa, 0);
    }
    let ten = BigInt::from(10u32);
    loop {
        let (q, r) = (&mantissa / &ten, &mantissa % &ten);
        if r.sign() != Sign::NoSign {
            break;
        }
        mantissa = q;
        exponent += 1;
    }
    (mantissa, exponent)
}

/// Go's `inf.Dec.SetString` on the number part: `[+-]?digits*(.digits*)?`
/// with at least one digit; returns (unscaled, scale) meaning
/// `unscaled * 10^-scale`.
fn inf_set_string(value: &[u8]) -> Option<(BigInt, i32)> {
    let mut digits = Vec::with_capacity(value.len());
    let mut neg = false;
    let mut point: Option<usize> = None;
    for (i, &c) in value.iter().enumerate() {
        match c {
            b'+' | b'-' if i == 0 => neg = c == b'-',
            b'.' if point.is_none() => point = Some(digits.len()),
            b'0'..=b'9' => digits.push(c),
            _ => return None,
        }
    }
    if digits.is_empty() {
        return None;
    }
    let scale = point.map_or(0, |p| digits.len() - p);
    let mut unscaled = BigInt::parse_bytes(&digits, 10)?;
    if neg {
        unscaled = -unscaled;
    }
    Some((unscaled, i32::try_from(scale).ok()?))
}

/// Go's fast path of `ParseQuantity`: the value as an `int64Amount` (`value * 10^scale`, scale
/// >= -9) when it fits one; `None` when Go keeps it as an `inf.Dec` instead.
fn fast_path(
    sc: &Scanned<'_>,
    exponent: i32,
    format: Format,
) -> Result<Option<(i64, i32)>, QuantityError> {
    let digits_len = i64::try_from(sc.num.len() + sc.denom.len()).unwrap_or(i64::MAX);
    let mut scale: i32 = 0;
    let mut mantissa: i64 = 1;
    let precision: i64 = match format {
        Format::DecimalExponent | Format::DecimalSi => {
            scale = exponent;
            18 - digits_len
        }
        Format::BinarySi => {
            if exponent >= 0 && sc.denom.is_empty() {
                mantissa = 1i64 << exponent;
                // Go: 15 - int32(len(num)) - int32(float32(exponent)*3/10) - 1
                let approx = (exponent as f32 * 3.0 / 10.0) as i64;
                15 - i64::try_from(sc.num.len()).unwrap_or(i64::MAX) - approx - 1
            } else {
                -1
            }
        }
    };
    if precision < 0 {
        return Ok(None);
    }
    // len(denom) <= 18 here.
    scale = scale.wrapping_sub(sc.denom.len() as i32);
    if scale < -9 {
        return Ok(None);
    }
    let mut shifted = Vec::with_capacity(sc.num.len() + sc.denom.len());
    shifted.extend_from_slice(sc.num);
    shifted.extend_from_slice(sc.denom);
    let value = go_parse_int(&shifted).ok_or(QuantityError::Numeric)?;
    Ok(value
        .checked_mul(mantissa)
        .map(|result| (if sc.positive { result } else { -result }, scale)))
}

/// Go's `Quantity.AsInt64` on the quantity `s` parses to (CEL `isInteger()` / `asInteger()`):
/// it depends on how Go holds the value, not only on the value. A value Go keeps as an
/// `inf.Dec` (a fraction with a binary suffix such as `0.5Ki`, or more digits than the fast
/// path takes) is never an int64; an `int64Amount` with a negative scale (`1000m`) is not
/// either, though its value is whole. `None` also for a string that is not a quantity.
pub fn as_int64(s: &str) -> Option<i64> {
    if s == "0" {
        return Some(0);
    }
    let sc = scan(s.as_bytes()).ok()?;
    let (_, exponent, format) = interpret(sc.suffix)?;
    let (value, scale) = fast_path(&sc, exponent, format).ok()??;
    // int64Amount.AsInt64: scale 0 as is, a negative scale never, a positive one multiplied
    // out (positiveScaleInt64), failing on overflow.
    match scale {
        0 => Some(value),
        s if s < 0 => None,
        s => (0..s).try_fold(value, |v, _| v.checked_mul(10)),
    }
}

/// Port of Go's `ParseQuantity`: the exact value as `(mantissa, exponent)`, meaning
/// `mantissa * 10^exponent`, normalised (see [`normalise`]).
///
/// # Errors
///
/// The [`QuantityError`] Go would return.
pub fn parse(s: &str) -> Result<(BigInt, i64), QuantityError> {
    if s.is_empty() {
        return Err(QuantityError::FormatWrong);
    }
    if s == "0" {
        return Ok((BigInt::from(0u32), 0));
    }
    let sc = scan(s.as_bytes())?;
    let (base, exponent, format) = interpret(sc.suffix).ok_or(QuantityError::Suffix)?;

    if let Some((value, scale)) = fast_path(&sc, exponent, format)? {
        return Ok(normalise(BigInt::from(value), i64::from(scale)));
    }

    // Slow path: inf.Dec arithmetic.
    let (mut unscaled, mut dec_scale) = inf_set_string(sc.value).ok_or(QuantityError::Numeric)?;
    if base == 10 {
        // amount.SetScale(amount.Scale() + Scale(exponent).infScale()), int32.
        dec_scale = dec_scale.wrapping_add(exponent.wrapping_neg());
    } else {
        unscaled <<= u32::try_from(exponent).unwrap_or(0);
    }
    let negative = unscaled.sign() == Sign::Minus;
    if negative {
        unscaled = -unscaled;
    }

    // Round up (away from zero) to nano precision: amount.Round(amount, 9, RoundUp).
    let mut value_exp = -i64::from(dec_scale);
    if unscaled.sign() != Sign::NoSign {
        // quoRem: shift := s - x.Scale(), in int32.
        let shift = 9i32.wrapping_sub(dec_scale);
        // Go multiplies by 10^shift or divides by 10^-shift; at
        // shift == MinInt32 it indexes exp10cache[-2^31] and panics.
        if shift == i32::MIN || shift.unsigned_abs() > MAX_GO_POW10_DIGITS {
            return Err(QuantityError::ExponentOutOfRange);
        }
        if shift < 0 {
            let divisor_digits = u64::from(shift.unsigned_abs());
            let q = if i64::try_from(divisor_digits).unwrap_or(i64::MAX) > decimal_digits(&unscaled)
            {
                // unscaled < 10^divisor_digits: quotient 0, remainder non-zero.
                BigInt::from(1u32)
            } else {
                let d = pow10(divisor_digits);
                let (q, r) = (&unscaled / &d, &unscaled % &d);
                if r.sign() == Sign::NoSign {
                    q
                } else {
                    q + 1u32
                }
            };
            unscaled = q;
            value_exp = -9;
        }
        // shift >= 0: exact rescale, the value is unchanged.
    }

    if format == Format::BinarySi {
        let max = BigInt::from(i64::MAX);
        if compare(&unscaled, value_exp, &max, 0) == Ordering::Greater {
            unscaled = max;
            value_exp = 0;
        }
    }
    if negative {
        unscaled = -unscaled;
    }
    Ok(normalise(unscaled, value_exp))
}

/// Exact comparison of `a * 10^ea` and `b * 10^eb` without materialising
/// huge powers of ten.
pub fn compare(a: &BigInt, ea: i64, b: &BigInt, eb: i64) -> Ordering {
    let (sa, sb) = (a.sign(), b.sign());
    let sign_rank = |s: Sign| match s {
        Sign::Minus => -1,
        Sign::NoSign => 0,
        Sign::Plus => 1,
    };
    match sign_rank(sa).cmp(&sign_rank(sb)) {
        Ordering::Equal => {}
        other => return other,
    }
    if sa == Sign::NoSign {
        return Ordering::Equal;
    }
    // Same non-zero sign: compare magnitudes, then flip for negatives.
    let mag_a = decimal_digits(a).saturating_add(ea);
    let mag_b = decimal_digits(b).saturating_add(eb);
    let magnitude = if mag_a != mag_b {
        mag_a.cmp(&mag_b)
    } else {
        // Same order of magnitude: |ea - eb| is below the digit counts.
        let (ma, mb) = (a.magnitude(), b.magnitude());
        if ea >= eb {
            let f = pow10(ea.abs_diff(eb));
            (ma * f.magnitude()).cmp(mb)
        } else {
            let f = pow10(ea.abs_diff(eb));
            ma.cmp(&(mb * f.magnitude()))
        }
    };
    if sa == Sign::Minus {
        magnitude.reverse()
    } else {
        magnitude
    }
}

/// CEL `isQuantity(s)`: whether Go's `resource.ParseQuantity` accepts `s`.
pub fn is_quantity(s: &str) -> bool {
    parse(s).is_ok()
}

#[cfg(test)]
mod as_int64_tests {
    use super::as_int64;

    /// Go's `Quantity.AsInt64` (k8s.io/apimachinery v0.37.2 `resource/quantity.go`,
    /// `amount.go`): an `inf.Dec` never converts, an `int64Amount` with a negative scale never,
    /// a positive scale is multiplied out. `0.5Ki` and `1.5Gi` are the CEL corpus cases the
    /// apiserver answered `isInteger() == false` (tests/corpus/cel.yaml).
    #[test]
    fn as_int64_follows_how_go_holds_the_value() {
        for (s, want) in [
            ("0", Some(0)),
            ("100", Some(100)),
            ("-5", Some(-5)),
            ("2Ki", Some(2048)),
            ("1.5k", Some(1500)),
            ("1e3", Some(1000)),
            ("8E", Some(8_000_000_000_000_000_000)),
            ("10E", None),
            ("1000m", None),
            ("0.5Ki", None),
            ("1.5Gi", None),
            ("100n", None),
            // 19 digits: past the fast path's precision, so an inf.Dec.
            ("9223372036854775807", None),
            ("922337203685477580", Some(922_337_203_685_477_580)),
            ("not a quantity", None),
        ] {
            assert_eq!(as_int64(s), want, "{s}");
        }
    }
}
