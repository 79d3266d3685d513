//! Kubernetes resource quantities, parsed and compared exactly like
//! `resource.ParseQuantity` and `Quantity.Cmp`
//! (`k8s.io/apimachinery/pkg/api/resource/quantity.go`), i.e. like CEL
//! `isQuantity()`, `quantity()` and `compareTo()`.
//!
//! # Grammar
//!
//! `ParseQuantity` first scans `[+-]? digits* ('.' digits*)? letters* [+-]? digits*`
//! where `letters` are from `eEinumkKMGTP` (an error is
//! `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`),
//! then interprets the suffix (the part after the number):
//!
//! * decimal SI: `n u m` (10^-9, 10^-6, 10^-3), none, `k M G T P E`
//!   (10^3 … 10^18). Note `E` alone is exa, and `K` (capital) is **not** a suffix;
//! * binary SI: `Ki Mi Gi Ti Pi Ei` (2^10 … 2^60);
//! * decimal exponent: `e` or `E` followed by an optional sign and digits
//!   (`1e3`, `1E-3`, `1e+03`); the exponent must fit in an `i64` and is then
//!   truncated to `i32` like Go's `int32(parsed)`.
//!
//! Findings from the Go source that a first guess gets wrong (all in the unit
//! tests): the number may be empty or just a point, so `+`, `-`, `.`, `-.`,
//! `.k`, `+Ki`, `.e5` and `1.G` are valid (zero or one giga), while `e3`, `1e`,
//! `.5i`, `1K`, `1 Gi`, `1gi`, `1.2.3`, ` 1` and the empty string are not.
//! Leading zeros are fine (`007`).
//!
//! # Value
//!
//! Values are exact (arbitrary-precision decimal, no float). Like Go:
//!
//! * values with more precision than nanounits are rounded **away from zero**
//!   to a multiple of 10^-9 (`1.5n` == `2n`, `0.1n` == `1n`, `-0.1n` == `-1n`);
//! * binary-suffixed values (`Ki`…`Ei`) larger than 2^63-1 in magnitude are
//!   capped at ±(2^63-1) (`9Ei` == `9223372036854775807`), while decimal ones
//!   are not capped at all (`1e30` is parsed exactly);
//! * the decimal exponent is `int32` arithmetic in Go; the wrap-around is
//!   replicated (`1e4294967296` == `1`, since the exponent truncates to 0).
//! * values that take Go's slow path (more than 18 significant digits, a
//!   binary suffix with a fraction, or precision below nanounits) are rounded
//!   with `inf.Dec`, which materialises `10^k` for the distance `k` between
//!   the exponent and nanounits. Beyond `k` = 10^8 ([`MAX_GO_POW10_DIGITS`];
//!   Go needs minutes to hours, or panics for one exponent near -2^31) there
//!   is no answer an apiserver request could wait for; [`Quantity::parse`]
//!   returns [`QuantityError::ExponentOutOfRange`] for those
//!   (`1.5e-200000000`, `1234567890123456789e2147483647`). Fast-path values
//!   such as `1e2147483647` or `1e-5` are unaffected.
//!
//! `ParseQuantity` has no length limit; the CRDs use
//! `maxLength: 64` ([`QUANTITY_MAX_LEN`]) so that CEL rules over quantities
//! stay within the cost budget. Comparisons here stay cheap even for
//! exponents like `1e2000000000`, where Go's `Cmp` would allocate a
//! two-billion-digit number.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use num_bigint::{BigInt, Sign};

// The grammar and the exact value are `vitistack-quantity`'s (shared with the derive, which
// checks bounds with it at compile time); this module is the type around them.

use super::FormatError;

/// `maxLength` chosen for quantity fields in the CRDs: 64 bytes. Longer than
/// any realistic quantity (`9223372036854775807` is 19 digits,
/// `0.000000001` 11), short enough to keep CEL rule costs low. Not enforced by
/// [`Quantity::parse`] (Go does not limit it either).
pub const QUANTITY_MAX_LEN: usize = 64;

/// The `pattern` controller-tools gives every `resource.Quantity` field of a CRD (the apiserver
/// checks it on strings only, so integers pass): what `vitistack-core` puts on an embedded
/// `Quantity`, so that its CRD says what a controller-tools CRD says and `validate()` checks the
/// same regex the apiserver does.
///
/// It is a regex the apiserver runs, not a second grammar of ours: [`Quantity::parse`] (the one
/// grammar, `vitistack-quantity`) decides what a quantity is. The two differ in two ways only, a
/// unit test keeps it so: the pattern wants a digit in the number (`.`, `+`, `Gi` and `e3` are
/// Go quantities of value zero), and it lets a decimal exponent have a fraction and any size
/// (`1e1.5`, `1e99999999999999999999` are not Go quantities).
pub const QUANTITY_PATTERN: &str = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

/// Go's `splitREString`, quoted in [`QuantityError::FormatWrong`].
#[cfg(test)]
const SPLIT_RE_STRING: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

use vitistack_quantity::compare;
#[cfg(test)]
use vitistack_quantity::normalise;
pub use vitistack_quantity::{is_quantity, QuantityError, MAX_GO_POW10_DIGITS};

/// A Kubernetes resource quantity (`500m`, `1.5Gi`, `1e3`).
///
/// Parsing and the value follow Go's `resource.ParseQuantity` exactly (see the
/// [module docs](self)); `Ord`/`Eq`/`Hash` compare the exact values, like Go's
/// `Quantity.Cmp` / CEL `compareTo`: `1Ti == 1024Gi`, `0.5Gi == 512Mi`,
/// `1k == 1000 == 1e3`, `100m < 1`. `Display` prints the string that was
/// parsed. Serde (de)serializes the string form.
#[derive(Clone)]
pub struct Quantity {
    /// Value = `mantissa * 10^exponent`, normalised: `mantissa` has no trailing
    /// decimal zeros, and zero is `0 * 10^0`.
    mantissa: BigInt,
    exponent: i64,
    /// The input, for `Display`.
    text: String,
}

impl Quantity {
    /// Parses `s` exactly like Go's `resource.ParseQuantity` (CEL
    /// `quantity(s)`); see the [module docs](self) for the grammar and the
    /// rounding/capping of values.
    ///
    /// # Errors
    ///
    /// The [`QuantityError`] Go would return.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        let (mantissa, exponent) = vitistack_quantity::parse(s)?;
        Ok(Quantity {
            mantissa,
            exponent,
            text: s.to_owned(),
        })
    }

    /// The string this quantity was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// -1, 0 or 1: the sign of the value (Go `Quantity.Sign`, CEL `sign()`).
    pub fn signum(&self) -> i32 {
        match self.mantissa.sign() {
            Sign::Minus => -1,
            Sign::NoSign => 0,
            Sign::Plus => 1,
        }
    }

    /// Whether the value is zero (Go `Quantity.IsZero`, CEL `isZero()`).
    pub fn is_zero(&self) -> bool {
        self.mantissa.sign() == Sign::NoSign
    }

    /// The exact value as `(mantissa, exponent)`, meaning
    /// `mantissa * 10^exponent`, with no trailing zeros in `mantissa` (zero is
    /// `(0, 0)`).
    pub fn to_decimal(&self) -> (BigInt, i64) {
        (self.mantissa.clone(), self.exponent)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.mantissa == other.mantissa && self.exponent == other.exponent
    }
}

impl Eq for Quantity {}

impl Hash for Quantity {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.mantissa.hash(state);
        self.exponent.hash(state);
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    /// Go `Quantity.Cmp` / CEL `compareTo`, exact.
    fn cmp(&self, other: &Self) -> Ordering {
        compare(
            &self.mantissa,
            self.exponent,
            &other.mantissa,
            other.exponent,
        )
    }
}

impl fmt::Debug for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Quantity({:?} = {}e{})",
            self.text, self.mantissa, self.exponent
        )
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl serde::Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Quantity::parse(&s).map_err(|e| serde::de::Error::custom(format!("quantity {s:?}: {e}")))
    }
}

/// [`Quantity::parse`] with the error wrapped in [`FormatError::Quantity`]
/// (which names the rejected value).
///
/// # Errors
///
/// [`FormatError::Quantity`].
pub fn parse_quantity(s: &str) -> Result<Quantity, FormatError> {
    Quantity::parse(s).map_err(|source| FormatError::Quantity {
        value: s.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    /// `decQuantity(m, e)` of quantity_test.go: `m * 10^e`.
    fn dec(m: i64, e: i64) -> (BigInt, i64) {
        normalise(BigInt::from(m), e)
    }

    /// TestQuantityParse in apimachinery's quantity_test.go (input, value).
    fn go_parse_table() -> Vec<(&'static str, (BigInt, i64))> {
        let max = (BigInt::from(i64::MAX), 0);
        vec![
            ("0", dec(0, 0)),
            ("0n", dec(0, 0)),
            ("0u", dec(0, 0)),
            ("0m", dec(0, 0)),
            ("0Ki", dec(0, 0)),
            ("0k", dec(0, 0)),
            ("0Mi", dec(0, 0)),
            ("0M", dec(0, 0)),
            ("0Gi", dec(0, 0)),
            ("0G", dec(0, 0)),
            ("0Ti", dec(0, 0)),
            ("0T", dec(0, 0)),
            ("1", dec(1, 0)),
            ("1Ki", dec(1024, 0)),
            ("8Ki", dec(8 * 1024, 0)),
            ("7Mi", dec(7 << 20, 0)),
            ("6Gi", dec(6 << 30, 0)),
            ("5Ti", dec(5 << 40, 0)),
            ("4Pi", dec(4 << 50, 0)),
            ("3Ei", dec(3 << 60, 0)),
            ("10Ti", dec(10 << 40, 0)),
            ("100Ti", dec(100 << 40, 0)),
            ("5n", dec(5, -9)),
            ("4u", dec(4, -6)),
            ("3m", dec(3, -3)),
            ("9", dec(9, 0)),
            ("8k", dec(8, 3)),
            ("50k", dec(5, 4)),
            ("7M", dec(7, 6)),
            ("6G", dec(6, 9)),
            ("5T", dec(5, 12)),
            ("40T", dec(4, 13)),
            ("300T", dec(3, 14)),
            ("2P", dec(2, 15)),
            ("1E", dec(1, 18)),
            ("1E-3", dec(1, -3)),
            ("1e3", dec(1, 3)),
            ("1E6", dec(1, 6)),
            ("1e9", dec(1, 9)),
            ("1E12", dec(1, 12)),
            ("1e15", dec(1, 15)),
            ("1E18", dec(1, 18)),
            ("1e14", dec(1, 14)),
            ("1e13", dec(1, 13)),
            ("100.035k", dec(100035, 0)),
            ("0.001", dec(1, -3)),
            ("0.0005k", dec(5, -1)),
            ("0.005", dec(5, -3)),
            ("0.05", dec(5, -2)),
            ("0.5", dec(5, -1)),
            ("0.00050k", dec(5, -1)),
            ("0.00500", dec(5, -3)),
            ("0.05000", dec(5, -2)),
            ("0.50000", dec(5, -1)),
            ("0.5e0", dec(5, -1)),
            ("0.5e-1", dec(5, -2)),
            ("0.5e-2", dec(5, -3)),
            ("10.035M", dec(10035, 3)),
            ("1.2e3", dec(12, 2)),
            ("1.3E+6", dec(13, 5)),
            ("1.40e9", dec(14, 8)),
            ("1.53E12", dec(153, 10)),
            ("1.6e15", dec(16, 14)),
            ("1.7E18", dec(17, 17)),
            ("9.01", dec(901, -2)),
            ("8.1k", dec(81, 2)),
            ("7.123456M", dec(7123456, 0)),
            ("6.987654321G", dec(6987654321, 0)),
            ("5.444T", dec(5444, 9)),
            ("40.1T", dec(401, 11)),
            ("300.2T", dec(3002, 11)),
            ("2.5P", dec(25, 14)),
            ("1.01E", dec(101, 16)),
            // Things that saturate/round
            ("3.001n", dec(4, -9)),
            ("1.1E-9", dec(2, -9)),
            ("0.0000000001", dec(1, -9)),
            ("0.0000000005", dec(1, -9)),
            ("0.00000000050", dec(1, -9)),
            ("0.5e-9", dec(1, -9)),
            ("0.9n", dec(1, -9)),
            ("0.00000012345", dec(124, -9)),
            ("0.00000012354", dec(124, -9)),
            ("9Ei", max.clone()),
            ("9223372036854775807Ki", max),
            ("12E", dec(12, 18)),
            // fractional binary
            ("100.035Ki", dec(10243584, -2)),
            ("0.5Mi", dec(512 * 1024, 0)),
            ("0.05Gi", dec(536870912, -1)),
            ("0.025Ti", dec(274877906944, -1)),
            // "Things written by trolls"
            ("0.000000000001Ki", dec(2, -9)),
            (".001", dec(1, -3)),
            (".0001k", dec(100, -3)),
            ("1.", dec(1, 0)),
            ("1.G", dec(1, 9)),
        ]
    }

    #[test]
    fn go_quantity_parse_table() {
        for (input, want) in go_parse_table() {
            assert_eq!(q(input).to_decimal(), want, "{input}");
            // quantity_test.go: every entry also with "-" and "+" in front.
            let (m, e) = want.clone();
            assert_eq!(
                q(&format!("-{input}")).to_decimal(),
                normalise(-m, e),
                "-{input}"
            );
            assert_eq!(q(&format!("+{input}")).to_decimal(), want, "+{input}");
        }
    }

    /// Rejected by Go's ParseQuantity: quantity_test.go's `invalid` list and
    /// more, each checked against Go.
    const INVALID: &[(&str, QuantityError)] = &[
        ("", QuantityError::FormatWrong),
        ("1.1.M", QuantityError::FormatWrong),
        ("1+1.0M", QuantityError::FormatWrong),
        ("0.1mi", QuantityError::Suffix),
        ("0.1am", QuantityError::FormatWrong),
        ("aoeu", QuantityError::FormatWrong),
        (".5i", QuantityError::Suffix),
        ("1i", QuantityError::Suffix),
        ("-3.01i", QuantityError::Suffix),
        ("-3.01e-", QuantityError::Suffix),
        (" 1", QuantityError::FormatWrong),
        ("1 ", QuantityError::FormatWrong),
        ("200K", QuantityError::Suffix),
        ("1K", QuantityError::Suffix),
        ("1KB", QuantityError::FormatWrong),
        ("1Kib", QuantityError::FormatWrong),
        ("1gi", QuantityError::FormatWrong),
        ("1GI", QuantityError::FormatWrong),
        ("1GB", QuantityError::FormatWrong),
        ("1 Gi", QuantityError::FormatWrong),
        ("1Gi ", QuantityError::FormatWrong),
        ("1.2.3", QuantityError::FormatWrong),
        ("1e", QuantityError::Suffix),
        ("1e+", QuantityError::Suffix),
        ("1Ee3", QuantityError::Suffix),
        ("1ee3", QuantityError::Suffix),
        ("1e3i", QuantityError::FormatWrong),
        ("1e1.5", QuantityError::FormatWrong),
        ("1Mi3", QuantityError::Suffix),
        ("1mm", QuantityError::Suffix),
        ("1kk", QuantityError::Suffix),
        ("1Gi-", QuantityError::Suffix),
        ("1e99999999999999999999", QuantityError::Suffix),
        ("+-1", QuantityError::Suffix),
        ("1-", QuantityError::Suffix),
        ("0x10", QuantityError::FormatWrong),
        ("1_000", QuantityError::FormatWrong),
        ("١", QuantityError::FormatWrong),
        ("1\n", QuantityError::FormatWrong),
        ("+e-20", QuantityError::Numeric),
        (".e-20", QuantityError::Numeric),
        ("-e-30", QuantityError::Numeric),
        ("--1", QuantityError::Suffix),
    ];

    #[test]
    fn go_quantity_invalid_table() {
        for &(input, want) in INVALID {
            assert_eq!(Quantity::parse(input).err(), Some(want), "{input:?}");
            assert!(!is_quantity(input), "{input:?}");
        }
    }

    /// Accepted by Go although a first guess would reject them (value checked
    /// against Go).
    #[test]
    fn surprising_but_valid() {
        let cases = [
            ("+", dec(0, 0)),
            (".", dec(0, 0)),
            ("-.", dec(0, 0)),
            ("+.", dec(0, 0)),
            ("00", dec(0, 0)),
            ("-0", dec(0, 0)),
            ("007", dec(7, 0)),
            (".k", dec(0, 0)),
            ("+Ki", dec(0, 0)),
            ("-Mi", dec(0, 0)),
            (".e5", dec(0, 0)),
            ("1.Ki", dec(1024, 0)),
            ("1.5Ki", dec(1536, 0)),
            ("1e+03", dec(1, 3)),
            ("1e-0", dec(1, 0)),
            ("1e0000000000000000000000003", dec(1, 3)),
            ("1e4294967296", dec(1, 0)),
            ("1e4294967299", dec(1, 3)),
            ("1e2147483647", dec(1, 2147483647)),
            ("1.5n", dec(2, -9)),
            ("-1.5n", dec(-2, -9)),
            ("-0.1n", dec(-1, -9)),
            ("1e-10", dec(1, -9)),
            ("1e-100", dec(1, -9)),
            ("1.5e-10000000", dec(1, -9)),
            ("1e30", dec(1, 30)),
            ("123456789012345678901234567890", {
                let m: BigInt = "12345678901234567890123456789".parse().unwrap_or_default();
                (m, 1)
            }),
            ("+.1234567890123456789", dec(12345679, -8)),
            ("8Ei", dec(i64::MAX, 0)),
            ("-9Ei", dec(-i64::MAX, 0)),
            ("7.99999Ei", {
                let m: BigInt = "922336050763972973953024".parse().unwrap_or_default();
                (m, -5)
            }),
            ("8191Pi", dec(9222246136947933184, 0)),
            ("8191.9Pi", {
                let m: BigInt = "92232594468640915456".parse().unwrap_or_default();
                (m, -1)
            }),
            ("8192Pi", dec(i64::MAX, 0)),
            // A suffix without a number is zero.
            ("Gi", dec(0, 0)),
            ("k", dec(0, 0)),
            ("m", dec(0, 0)),
            ("E", dec(0, 0)),
            ("e3", dec(0, 0)),
            ("e-5", dec(0, 0)),
            ("-", dec(0, 0)),
        ];
        for (input, want) in cases {
            assert_eq!(q(input).to_decimal(), want, "{input:?}");
        }
    }

    /// Go needs minutes to hours for these (materialising 10^(~2^31)), or
    /// panics (`…e2147483639` with 19+ digits).
    #[test]
    fn exponent_out_of_range() {
        for input in [
            "1e2147483648",
            "1e-2147483648",
            "1.5e-200000000",
            "1234567890123456789e-2147483647",
            "1234567890123456789e200000000",
            "1234567890123456789e2147483639",
            "-1.5e-2147483630",
        ] {
            assert_eq!(
                Quantity::parse(input).err(),
                Some(QuantityError::ExponentOutOfRange),
                "{input}"
            );
        }
        // Fast-path values with huge exponents and zeros are fine.
        assert!(is_quantity("1e2147483647"));
        assert!(is_quantity("1e-9"));
        assert!(is_quantity("0.0000000000000000000e-2147483647"));
    }

    #[test]
    fn exact_ordering() {
        let eq = [
            ("1Ti", "1024Gi"),
            ("0.5Gi", "512Mi"),
            ("1k", "1000"),
            ("1e3", "1k"),
            ("1E3", "1000"),
            ("200M", "0.2G"),
            ("1Ki", "1024"),
            ("1.5Gi", "1536Mi"),
            ("1m", "0.001"),
            ("1000m", "1"),
            ("0", "-0"),
            ("0Ki", "0e9"),
            ("1E", "1e18"),
            ("9Ei", "9223372036854775807"),
            ("1.5n", "2n"),
        ];
        for (a, b) in eq {
            assert_eq!(q(a).cmp(&q(b)), Ordering::Equal, "{a} == {b}");
            assert_eq!(q(a), q(b), "{a} == {b}");
        }
        let lt = [
            ("100m", "1"),
            ("1", "1001m"),
            ("1Gi", "1.1G"),
            ("1G", "1Gi"),
            ("-1", "0"),
            ("-1Ki", "-1k"),
            ("-2", "-1"),
            ("1n", "1u"),
            ("127Mi", "128Mi"),
            ("1024Gi", "1025Gi"),
            ("1e-9", "1.000000001"),
            ("999999999999999999999", "1e21"),
            ("1e2147483646", "1e2147483647"),
            ("-1e2147483647", "-1e2147483646"),
            ("1e-9", "1e2147483647"),
        ];
        for (a, b) in lt {
            assert_eq!(q(a).cmp(&q(b)), Ordering::Less, "{a} < {b}");
            assert_eq!(q(b).cmp(&q(a)), Ordering::Greater, "{b} > {a}");
        }
    }

    #[test]
    fn display_serde_and_helpers() {
        let x = q("1.5Gi");
        assert_eq!(x.to_string(), "1.5Gi");
        assert_eq!(x.as_str(), "1.5Gi");
        assert_eq!("1.5Gi".parse::<Quantity>().ok(), Some(x.clone()));
        assert_eq!(q("-1m").signum(), -1);
        assert!(q("0Gi").is_zero());
        assert_eq!(serde_json::to_string(&x).ok().as_deref(), Some("\"1.5Gi\""));
        let back: Result<Quantity, _> = serde_json::from_str("\"1536Mi\"");
        assert_eq!(back.ok(), Some(x));
        assert!(serde_json::from_str::<Quantity>("\"200K\"").is_err());
        assert_eq!(
            parse_quantity("200K").map_err(|e| e.to_string()),
            Err("quantity \"200K\" is invalid: unable to parse quantity's suffix".to_owned())
        );
        assert_eq!(
            QuantityError::FormatWrong.to_string(),
            format!("quantities must match the regular expression '{SPLIT_RE_STRING}'")
        );
    }

    /// [`QUANTITY_PATTERN`] and the grammar disagree only where its docs say: every string of up
    /// to four characters from the quantity alphabet is either judged alike, or has no digit in
    /// its number (the grammar alone accepts), or a fraction in its decimal exponent (the
    /// pattern alone accepts).
    #[test]
    fn the_pattern_differs_from_the_grammar_only_as_documented() {
        let pattern = regex::Regex::new(QUANTITY_PATTERN).unwrap_or_else(|e| panic!("{e}"));
        let alphabet: Vec<char> = "01.+-eEkKiGm".chars().collect();
        let mut texts = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            frontier = frontier
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(frontier.iter().cloned());
        }
        let (mut grammar_only, mut pattern_only) = (0, 0);
        for text in &texts {
            let number_end = text
                .find(|c: char| c.is_ascii_alphabetic())
                .unwrap_or(text.len());
            let (number, suffix) = text.split_at(number_end);
            match (is_quantity(text), pattern.is_match(text)) {
                (true, false) => {
                    assert!(!number.contains(|c: char| c.is_ascii_digit()), "{text:?}");
                    grammar_only += 1;
                }
                (false, true) => {
                    assert!(
                        suffix.starts_with(['e', 'E']) && suffix.contains('.'),
                        "{text:?}"
                    );
                    pattern_only += 1;
                }
                _ => {}
            }
        }
        assert!(grammar_only > 0 && pattern_only > 0);
    }
}
