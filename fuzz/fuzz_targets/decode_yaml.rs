//! YAML decoding of each kind, under the parser budget of `vitistack-codegen validate`:
//! arbitrary text either fails to decode or gives an object that round-trips through JSON and
//! through YAML and validates without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitistack_fuzz::{check_decoded, each_kind, has_float, to_json, yaml_options, Kind};

fn decode<K: Kind>(text: &str) {
    let Ok(object) = serde_saphyr::from_str_with_options::<K>(text, yaml_options()) else {
        return;
    };
    check_decoded(&object);
    let yaml = serde_saphyr::to_string(&object).expect("a decoded object writes as YAML");
    let back: K = serde_saphyr::from_str_with_options(&yaml, yaml_options())
        .unwrap_or_else(|e| panic!("{}: written YAML does not read back: {e}\n{yaml}", K::KIND));
    let json = to_json(&object);
    if !has_float(&json) {
        assert_eq!(
            to_json(&back),
            json,
            "{}: YAML round trip changed it:\n{yaml}",
            K::KIND
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        each_kind!(decode(text));
    }
});
