//! The merged multi-version CRD, and each mistake the merge refuses.

use serde_json::{json, Value};
use vitistack_codegen_lib::conversion::example::{
    self, v1alpha1, v1beta1, WidgetVersions, V1ALPHA1_WARNING,
};
use vitistack_conversion::merge::{merge_versions, MergeError, VersionOptions};
use vitistack_core::crd::{CustomResourceKind, Versions};

fn names(crd: &Value) -> Vec<&str> {
    crd["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect()
}

#[test]
fn example_crd_has_both_versions_one_storage_and_their_own_columns() {
    let crd = example::crd();
    assert_eq!(names(&crd), ["v1alpha1", "v1beta1"]);
    let [old, new] = [&crd["spec"]["versions"][0], &crd["spec"]["versions"][1]];
    assert_eq!(
        (old["served"].clone(), old["storage"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(
        (new["served"].clone(), new["storage"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(old["deprecated"], json!(true));
    assert_eq!(old["deprecationWarning"], json!(V1ALPHA1_WARNING));
    assert!(new.get("deprecated").is_none());
    let columns = |v: &Value| -> Vec<String> {
        v["additionalPrinterColumns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(columns(old), ["Color", "Phase"]);
    assert_eq!(columns(new), ["Colors", "Replicas", "Phase"]);
    // Each version keeps its own schema.
    assert!(old
        .pointer("/schema/openAPIV3Schema/properties/spec/properties/color")
        .is_some());
    assert!(new
        .pointer("/schema/openAPIV3Schema/properties/spec/properties/colors")
        .is_some());
    assert!(old
        .pointer("/schema/openAPIV3Schema/properties/spec/properties/colors")
        .is_none());
    assert_eq!(crd["metadata"]["name"], "widgets.example.vitistack.dev");
}

/// `versions!` builds the CRD from the derive's flags; it must be exactly what the runtime merge
/// makes of the same versions, so the port changed nothing an apiserver sees.
#[test]
fn the_versions_macro_crd_is_the_runtime_merge_of_the_same_versions() {
    let runtime = merge_versions(&[
        VersionOptions::served(v1alpha1::Widget::crd()).deprecated(V1ALPHA1_WARNING),
        VersionOptions::served(v1beta1::Widget::crd()).storage(),
    ])
    .unwrap();
    assert_eq!(WidgetVersions::crd(), runtime);
    assert_eq!(WidgetVersions::NAMES, ["v1alpha1", "v1beta1"]);
    assert_eq!(WidgetVersions::STORAGE_VERSION, "v1beta1");
    assert!(V1ALPHA1_WARNING.contains("use example.vitistack.dev/v1beta1"));
}

#[test]
fn two_storage_versions_are_refused() {
    let err = merge_versions(&[
        VersionOptions::served(v1alpha1::Widget::crd()).storage(),
        VersionOptions::served(v1beta1::Widget::crd()).storage(),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        MergeError::StorageCount {
            found: 2,
            versions: "v1alpha1, v1beta1".into()
        }
    );
    assert!(
        err.to_string()
            .contains("exactly one version must be the storage version"),
        "{err}"
    );
}

#[test]
fn no_storage_version_is_refused() {
    let err = merge_versions(&[
        VersionOptions::served(v1alpha1::Widget::crd()),
        VersionOptions::served(v1beta1::Widget::crd()),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        MergeError::StorageCount {
            found: 0,
            versions: String::new()
        }
    );
}

fn with(crd: Value, pointer: &str, value: Value) -> Value {
    let mut crd = crd;
    *crd.pointer_mut(pointer).unwrap() = value;
    crd
}

#[test]
fn versions_that_disagree_on_group_kind_plural_or_scope_are_refused() {
    for (pointer, field, other) in [
        ("/spec/group", "spec.group", "other.example"),
        ("/spec/names/kind", "spec.names.kind", "Gadget"),
        ("/spec/names/plural", "spec.names.plural", "gadgets"),
        ("/spec/scope", "spec.scope", "Cluster"),
    ] {
        let expected = v1alpha1::Widget::crd()
            .pointer(pointer)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        let err = merge_versions(&[
            VersionOptions::served(v1alpha1::Widget::crd()),
            VersionOptions::served(with(v1beta1::Widget::crd(), pointer, json!(other))).storage(),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            MergeError::Mismatch {
                version: "v1beta1".into(),
                field,
                expected,
                found: other.into(),
                first: "v1alpha1".into()
            }
        );
    }
}

#[test]
fn the_same_version_twice_is_refused() {
    let err = merge_versions(&[
        VersionOptions::served(v1beta1::Widget::crd()),
        VersionOptions::served(v1beta1::Widget::crd()).storage(),
    ])
    .unwrap_err();
    assert_eq!(err, MergeError::DuplicateVersion("v1beta1".into()));
}

#[test]
fn an_input_with_several_versions_is_refused() {
    let merged = example::crd();
    let err = merge_versions(&[VersionOptions::served(merged).storage()]).unwrap_err();
    assert_eq!(
        err,
        MergeError::NotSingleVersion {
            index: 0,
            reason: "has 2 versions, expected one".into()
        }
    );
}

#[test]
fn nothing_served_empty_warning_and_no_input_are_refused() {
    let err = merge_versions(&[VersionOptions::served(v1beta1::Widget::crd())
        .storage()
        .not_served()])
    .unwrap_err();
    assert_eq!(err, MergeError::NoneServed);
    let err = merge_versions(&[VersionOptions::served(v1beta1::Widget::crd())
        .storage()
        .deprecated(" ")])
    .unwrap_err();
    assert_eq!(err, MergeError::EmptyWarning("v1beta1".into()));
    assert_eq!(merge_versions(&[]).unwrap_err(), MergeError::NoVersions);
}
