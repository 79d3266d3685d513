//! The quantity parser: arbitrary text parses or fails (never panics or hangs); a parsed
//! quantity re-parses to the same value, its sign agrees with `0`, and the order of two
//! quantities is antisymmetric and agrees with equality.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::cmp::Ordering;
use vitistack_types::formats::quantity::is_quantity;
use vitistack_types::formats::Quantity;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Two quantities from one input: split at the first newline.
    let (a, b) = text.split_once('\n').unwrap_or((text, "1Gi"));
    let qa = Quantity::parse(a);
    assert_eq!(
        qa.is_ok(),
        is_quantity(a),
        "is_quantity disagrees with parse for {a:?}"
    );
    let Ok(qa) = qa else { return };
    assert_eq!(qa.as_str(), a);
    let again = Quantity::parse(qa.as_str()).expect("a parsed quantity re-parses");
    assert_eq!(again, qa);
    let zero = Quantity::parse("0").expect("0");
    let sign = match qa.cmp(&zero) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    };
    assert_eq!(sign, qa.signum(), "{qa:?}: sign");
    assert_eq!(qa.is_zero(), sign == 0);
    let (mantissa, _) = qa.to_decimal();
    assert_eq!(mantissa == 0u32.into(), qa.is_zero());
    if let Ok(qb) = Quantity::parse(b) {
        assert_eq!(qa.cmp(&qb), qb.cmp(&qa).reverse(), "{qa:?} vs {qb:?}");
        assert_eq!(qa.cmp(&qb) == Ordering::Equal, qa == qb);
    }
});
