//! The schema walk on arbitrary JSON, against every kind's schema, strict and not: it ends,
//! every finding is printable, and strict differs from non-strict only by unknown fields (a
//! strict apiserver refuses those while decoding: then they are all it reports; without them
//! both reports are the same). Objects that decode are also `validate()`d.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use vitistack_fuzz::{each_kind, Kind};
use vitistack_types::report::{ErrorKind, FieldError};
use vitistack_types::validate::{check_value, Options};

fn walk<K: Kind>(value: &Value) {
    let strict = check_value(K::root_schema(), value, Options { strict: true });
    let lax = check_value(K::root_schema(), value, Options { strict: false });
    let unknown = |e: &FieldError| e.kind == ErrorKind::UnknownField;
    assert!(
        !lax.iter().any(unknown),
        "{}: unknown field without strict",
        K::KIND
    );
    if strict.iter().any(unknown) {
        assert!(
            strict.iter().all(unknown),
            "{}: strict report mixes unknown fields with others: {strict:?}",
            K::KIND
        );
    } else {
        assert_eq!(strict, lax, "{}: strict and non-strict differ", K::KIND);
    }
    for e in &strict {
        let _ = e.to_string();
    }
    if let Ok(object) = serde_json::from_value::<K>(value.clone()) {
        let _ = object.validate();
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        each_kind!(walk(&value));
    }
});
