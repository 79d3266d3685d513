//! JSON decoding of each kind: arbitrary bytes either fail to decode or give an object that
//! round-trips through JSON and validates without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitistack_fuzz::{check_decoded, each_kind, Kind};

fn decode<K: Kind>(data: &[u8]) {
    if let Ok(object) = serde_json::from_slice::<K>(data) {
        check_decoded(&object);
    }
}

fuzz_target!(|data: &[u8]| {
    each_kind!(decode(data));
});
