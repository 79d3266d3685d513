//! Issue 27 item 2: the changes `compat` calls refused are exactly the ones the apiserver
//! refuses. For each case OLD is installed on the real test server (and read back, with the
//! `status.storedVersions` the server keeps), an update to NEW is tried, and the server's
//! verdict is compared with `compat`'s: refused or not, and the reason.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams};
use serde_json::{json, Value};
use vitistack_codegen_lib::compat::{self, Config};
use vitistack_e2e::compat_crds::{loaded, own_group};
use vitistack_e2e::*;

/// The group of every CRD here, before each case moves its CRDs to a group of their own (see
/// [`own_group`]).
const GROUP: &str = "compat.e2e.vitistack.io";

/// A one-version-or-more CRD `<plural>.GROUP`: versions are (name, served, storage, spec schema).
fn crd(plural: &str, kind: &str, versions: &[(&str, bool, bool, Value)]) -> Value {
    let versions: Vec<Value> = versions
        .iter()
        .map(|(name, served, storage, spec)| {
            json!({"name": name, "served": served, "storage": storage,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": spec}}}})
        })
        .collect();
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.{GROUP}")},
        "spec": {
            "group": GROUP,
            "names": {"kind": kind, "plural": plural, "singular": kind.to_lowercase(), "listKind": format!("{kind}List")},
            "scope": "Namespaced",
            "versions": versions,
        }
    })
}

fn spec_schema() -> Value {
    json!({"type": "object", "properties": {
        "mode": {"type": "string", "enum": ["a", "b"]},
        "size": {"type": "integer"}
    }})
}

/// One case: how NEW differs from OLD, and the fragment of the reason both the server's
/// refusal and `compat`'s finding must contain (`None`: the server accepts the update and
/// `compat` reports nothing refused).
struct Case {
    what: &'static str,
    old: Value,
    new: Value,
    reason: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let one = |plural: &str, kind: &str| crd(plural, kind, &[("v1", true, true, spec_schema())]);
    // Sets (or adds) the member at `pointer`.
    let with = |mut crd: Value, pointer: &str, value: Value| {
        let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
        let slot = crd.pointer_mut(parent).expect("pointer into the CRD");
        match slot {
            Value::Object(map) => {
                map.insert(key.to_owned(), value);
            }
            Value::Array(items) => items[key.parse::<usize>().expect("an index")] = value,
            _ => panic!("{parent} is neither an object nor a list"),
        }
        crd
    };
    let two = crd(
        "storeds",
        "Stored",
        &[
            ("v1alpha1", true, true, spec_schema()),
            ("v1", true, false, spec_schema()),
        ],
    );
    let mut cases = vec![
        Case {
            what: "scope changed",
            old: one("scopes", "Scope"),
            new: with(one("scopes", "Scope"), "/spec/scope", json!("Cluster")),
            reason: Some("spec.scope"),
        },
        Case {
            what: "names.plural changed",
            old: one("plurals", "Plural"),
            new: with(
                one("plurals", "Plural"),
                "/spec/names/plural",
                json!("pluralz"),
            ),
            reason: Some("spec.names.plural"),
        },
        Case {
            what: "group changed",
            old: one("groups", "Group"),
            new: with(
                one("groups", "Group"),
                "/spec/group",
                json!("other.example.com"),
            ),
            reason: Some("spec.group"),
        },
        Case {
            what: "names.kind changed",
            old: one("kinds", "Kind"),
            new: with(one("kinds", "Kind"), "/spec/names/kind", json!("Other")),
            reason: Some("spec.names.kind"),
        },
        Case {
            what: "a version of status.storedVersions removed",
            old: two.clone(),
            new: crd("storeds", "Stored", &[("v1", true, true, spec_schema())]),
            reason: Some("must remain in spec.versions"),
        },
        Case {
            what: "conversion Webhook without a client config",
            old: one("conversions", "Conversion"),
            new: with(
                one("conversions", "Conversion"),
                "/spec/conversion",
                json!({"strategy": "Webhook", "webhook": {"conversionReviewVersions": ["v1"]}}),
            ),
            reason: Some("spec.conversion.webhookClientConfig: Required value"),
        },
        Case {
            what: "a schema that is not structural (a property without type)",
            old: one("schemas", "Schema"),
            new: with(
                one("schemas", "Schema"),
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size",
                json!({"description": "no type"}),
            ),
            reason: Some("type"),
        },
    ];
    // Changes that break clients or objects, but that the apiserver lets through.
    let accepted = [
        (
            "an enum narrowed",
            "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/mode/enum",
            json!(["a"]),
        ),
        (
            "a field removed",
            "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties",
            json!({"mode": {"type": "string"}}),
        ),
        ("shortNames added", "/spec/names/shortNames", json!(["acc"])),
        (
            "the version no longer served",
            "/spec/versions/0/served",
            json!(false),
        ),
    ];
    for (i, (what, pointer, value)) in accepted.into_iter().enumerate() {
        let plural = format!("accepts{i}");
        let old = one(&plural, &format!("Accept{i}"));
        let new = with(old.clone(), pointer, value);
        cases.push(Case {
            what,
            old,
            new,
            reason: None,
        });
    }
    cases
}

#[tokio::test]
async fn compat_calls_refused_exactly_what_the_apiserver_refuses() {
    let client = client().await;
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let mut mismatches = Vec::new();
    for (index, mut case) in cases().into_iter().enumerate() {
        let new_group = case.new["spec"]["group"].clone();
        let changes_group = new_group != case.old["spec"]["group"];
        case.old = own_group(case.old, &format!("c{index}"), GROUP);
        case.new = own_group(case.new, &format!("c{index}"), GROUP);
        if changes_group {
            case.new["spec"]["group"] = new_group;
        }
        // The update is of the installed CRD, whatever NEW's plural or group.
        case.new["metadata"]["name"] = case.old["metadata"]["name"].clone();
        let name = case.old["metadata"]["name"]
            .as_str()
            .expect("name")
            .to_owned();
        apply_crd(&client, &case.old)
            .await
            .unwrap_or_else(|e| panic!("{}: installing OLD: {e}", case.what));
        // OLD as a cluster has it: with status.storedVersions.
        let live = serde_json::to_value(api.get(&name).await.expect("get OLD")).expect("JSON");
        let server = apply_crd(&client, &case.new).await.err();
        let report = compat::compare(&loaded(&live), &loaded(&case.new), &Config::default());
        let refused: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.refused)
            .map(|f| f.message.clone())
            .collect();
        let _ = api.delete(&name, &DeleteParams::default()).await;
        let agree = match (case.reason, &server) {
            (None, None) => refused.is_empty(),
            (Some(reason), Some(error)) => {
                error.contains(reason) && refused.iter().any(|m| m.contains(reason))
            }
            _ => false,
        };
        if !agree {
            mismatches.push(format!(
                "{}: server: {server:?}; compat refused: {refused:?}",
                case.what
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
