//! Update-time validation on two arbitrary JSON documents, `old` and `new`, of a kind chosen by
//! the first byte (the rest is `old`, a NUL byte, then `new`; without a NUL both are the same
//! document). Through the unstructured path (`check_update` on the kind's root schema, strict
//! and not), the typed path (`validate_update` on the decoded kind) and `vitistack-codegen
//! validate --old` (the Checker with old objects), it ends without a panic.
//!
//! With `old == new` it asserts what `check_update` documents: every rule of a create runs, the
//! transition rules pass an unchanged value, unchanged values are ratcheted and list uniqueness
//! is skipped when the old object broke it. So the update's report is part of the create's,
//! except for CEL errors the create skipped (its schema errors blocked CEL, and ratcheting may
//! drop them on the update) and a version too large for CEL's `int` (the step rule fails with an
//! evaluation error, as on the apiserver). It is not "only the errors that cannot ratchet":
//! ratcheting follows the apiserver's deep-equality, where `metadata` and a free-form object
//! always count as changed, so the rules of every node above one still run.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;
use vitistack_codegen_lib::validate::{CheckOptions, Checker, OldObjects};
use vitistack_fuzz::{by_kind_index, Kind};
use vitistack_types::report::{ErrorKind, FieldError};
use vitistack_types::validate::{check_update, check_value, Options, CEL_SKIPPED};
use vitistack_types::ValidateUpdate;

/// The detail of the version step rule's error (also its evaluation error).
const VERSION_STEP: &str = "may go up at most one minor version";

fn is_unknown(e: &FieldError) -> bool {
    e.kind == ErrorKind::UnknownField
}

/// Every error of `part` is in `whole` (as a multiset), or is one `extra` allows.
fn assert_contained(
    part: &[FieldError],
    whole: &[FieldError],
    extra: impl Fn(&FieldError) -> bool,
    what: &str,
) {
    let mut left: Vec<&FieldError> = whole.iter().collect();
    for e in part {
        match left.iter().position(|w| *w == e) {
            Some(i) => {
                left.swap_remove(i);
            }
            None => assert!(
                extra(e),
                "{what}: {e:?} is not a create-time error: {whole:?}"
            ),
        }
    }
}

/// The update's report (`update`) of an object replaced by itself, against its create report.
fn same_object_report(create: &[FieldError], update: &[FieldError], what: &str) {
    // A list-set or list-map repeat (no detail; a rule such as "no two items may have the same
    // macAddress" is a CEL rule and runs again where its list counts as changed).
    let list_repeat = |e: &FieldError| e.kind == ErrorKind::Duplicate && e.detail.is_empty();
    assert!(
        !update.iter().any(list_repeat),
        "{what}: list repeats reported although the old object has the same lists: {update:?}"
    );
    if create.iter().any(is_unknown) {
        // Unknown fields are a decoding error: never ratcheted, and all either report says.
        assert_eq!(update, create, "{what}: unknown fields differ");
        return;
    }
    let cel_skipped = create.iter().any(|e| e.detail == CEL_SKIPPED);
    assert_contained(
        update,
        create,
        |e| cel_skipped || e.detail.starts_with(VERSION_STEP),
        what,
    );
}

fn check<K: Kind>(old: &Value, new: &Value) {
    let schema = K::root_schema();
    for strict in [true, false] {
        let options = Options { strict };
        let update = check_update(schema, new, old, options);
        for e in &update {
            assert!(!e.to_string().is_empty(), "empty message");
        }
        if !strict {
            assert!(
                !update.iter().any(is_unknown),
                "{}: unknown field without strict",
                K::KIND
            );
        }
        for value in [old, new] {
            let create = check_value(schema, value, options);
            let same = check_update(schema, value, value, options);
            same_object_report(&create, &same, K::KIND);
        }
    }
    let typed = |v: &Value| serde_json::from_value::<K>(v.clone()).ok();
    if let Some(new_object) = typed(new) {
        if let Some(old_object) = typed(old) {
            let _ = new_object.validate_update(&old_object);
        }
        let errors = |r: Result<(), vitistack_types::report::ValidationErrors>| {
            r.err().map(|e| e.errors().to_vec()).unwrap_or_default()
        };
        let create = errors(new_object.validate());
        let same = errors(new_object.validate_update(&new_object));
        same_object_report(&create, &same, K::KIND);
    }
}

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let options = CheckOptions {
            strict: true,
            ignore_unknown: false,
            json_schema: false,
        };
        Checker::new(options).expect("checker")
    })
}

/// `validate --old`: the old document as the stored object, the new one checked as its update.
fn check_cli(old: &str, new: &str) {
    let mut objects = OldObjects::default();
    if objects.add_text("old.json", old).is_err() {
        return;
    }
    let checker = Checker::new(checker().options())
        .expect("checker")
        .with_old(objects);
    let mut findings = Vec::new();
    let tally = checker.check_text_on("new.json", new, 1, &mut |f| findings.push(f));
    assert!(tally.exit_code() <= 2);
    for f in &findings {
        assert!(!f.message.is_empty(), "empty message: {f:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let (old, new) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, rest),
    };
    let (Ok(old_value), Ok(new_value)) = (
        serde_json::from_slice::<Value>(old),
        serde_json::from_slice::<Value>(new),
    ) else {
        return;
    };
    by_kind_index!(kind, check(&old_value, &new_value));
    if let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) {
        check_cli(old, new);
    }
});
