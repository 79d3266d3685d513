//! Issue 26 item 1, the cost part: the static CEL cost estimate (`vitistack_core::cel::cost`)
//! against the real apiserver. Each case is a CRD created with a dry run; the server's verdict
//! is the oracle: which paths it forbids, and the factor over budget it prints, which ours must
//! equal within 5 %. Cases sit just under and just over the per-rule limit (10,000,000) and the
//! per-CRD limit (100,000,000).

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, PostParams};
use serde_json::{json, Value};
use vitistack_core::cel::cost;
use vitistack_e2e::*;

const GROUP: &str = "cost.e2e.vitistack.io";
/// Where the apiserver reports the schema of a single-version CRD.
const PREFIX: &str = "spec.validation.";

/// A one-version CRD whose `spec` has these properties.
fn crd(plural: &str, properties: Value) -> Value {
    let kind = format!("Cost{}", plural.trim_end_matches('s'));
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.{GROUP}")},
        "spec": {
            "group": GROUP,
            "names": {"kind": kind, "plural": plural},
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": true, "storage": true, "schema": {
                "openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": properties}}}}}],
        }
    })
}

fn rule(r: &str) -> Value {
    json!([{ "rule": r }])
}

/// A list of integers with at most `max` items carrying `r`.
fn int_list(max: Option<u64>, r: &str) -> Value {
    let mut l =
        json!({"type": "array", "items": {"type": "integer"}, "x-kubernetes-validations": rule(r)});
    if let Some(m) = max {
        l["maxItems"] = json!(m);
    }
    l
}

/// A list of at most `max` strings of at most `len` code points, each carrying `r`.
fn string_list(max: u64, len: Option<u64>, r: &str) -> Value {
    let mut s = json!({"type": "string", "x-kubernetes-validations": rule(r)});
    if let Some(l) = len {
        s["maxLength"] = json!(l);
    }
    json!({"type": "array", "maxItems": max, "items": s})
}

/// `n` properties `f0..` of [`string_list`] with `contains` (each 1 + ceil(0.4 × 2500) = 1,001
/// per evaluation, times `items`), and one more with `last` items.
fn many_contains(n: usize, items: u64, last: u64) -> Value {
    let mut props = serde_json::Map::new();
    for i in 0..n {
        props.insert(
            format!("f{i}"),
            string_list(items, Some(2500), "self.contains('x')"),
        );
    }
    props.insert(
        "last".into(),
        string_list(last, Some(2500), "self.contains('x')"),
    );
    Value::Object(props)
}

/// Each case: a name, the one-line change it makes to the schema, the CRD.
fn cases() -> Vec<(&'static str, Value)> {
    let quadratic = "self.all(x, self.all(y, x == y))";
    vec![
        // O(n²) on a list: 5n² + 5n + 2 per evaluation; 1,413 items fit, 1,414 do not.
        (
            "quadratic-fits",
            crd("quadfits", json!({"l": int_list(Some(1413), quadratic)})),
        ),
        (
            "quadratic-over",
            crd("quadovers", json!({"l": int_list(Some(1414), quadratic)})),
        ),
        (
            "quadratic-2x",
            crd("quadtwos", json!({"l": int_list(Some(2000), quadratic)})),
        ),
        (
            "quadratic-unbounded",
            crd("quadunbs", json!({"l": int_list(None, quadratic)})),
        ),
        // String concatenation on unbounded strings, in a list of 50 objects.
        (
            "concat",
            crd(
                "concats",
                json!({"o": {"type": "array", "maxItems": 50, "items": {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}},
            "x-kubernetes-validations": rule("self.a + self.b == self.c")}}}),
            ),
        ),
        // Unbounded strings in a bounded list: contains, matches.
        (
            "contains",
            crd(
                "containss",
                json!({"l": string_list(100, None, "self.contains('x')")}),
            ),
        ),
        (
            "matches",
            crd(
                "matchess",
                json!({"l": string_list(20, None, "self.matches('^[a-z]+$')")}),
            ),
        ),
        // A map of unbounded strings: the cardinality comes from the request size.
        (
            "map-values",
            crd(
                "mapvalues",
                json!({"m": {"type": "object", "additionalProperties": {
            "type": "string", "x-kubernetes-validations": rule("self.lowerAscii() == self")}}}),
            ),
        ),
        // A messageExpression: its cost counts without the cardinality; replace() makes the
        // string 30 times longer before the concatenation traverses it.
        (
            "message-expression",
            crd(
                "messages",
                json!({"o": {"type": "object",
            "properties": {"s": {"type": "string"}},
            "x-kubernetes-validations": [{"rule": "true", "messageExpression":
                "self.s.replace('a', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb') + self.s.replace('a', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')"}]}}),
            ),
        ),
        // The per-CRD total: 10 × 9,909,900 + 1,001 × 900 = 99,999,900 (under); × 901 is over.
        (
            "total-under",
            crd("totalunders", many_contains(10, 9900, 900)),
        ),
        (
            "total-over",
            crd("totalovers", many_contains(10, 9900, 901)),
        ),
    ]
}

/// The factor after `marker` in `text` (`18.1x`, `1.000405x`; `more than 100x` as 101).
fn factor_after(text: &str, marker: &str) -> Option<f64> {
    let rest = &text[text.find(marker)? + marker.len()..];
    if rest.starts_with("more than 100x") {
        return Some(101.0);
    }
    rest[..rest.find('x')?].parse().ok()
}

/// A create that the server validates and does not store.
fn dry_run() -> PostParams {
    PostParams {
        dry_run: true,
        ..PostParams::default()
    }
}

const FACTOR: &str = "exceeds budget by factor of ";
const CONTRIBUTED: &str = "contributed to estimated rule cost total";

#[tokio::test]
async fn cost_verdicts_and_factors_agree_with_the_apiserver() {
    let api: Api<CustomResourceDefinition> = Api::all(client().await);
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for (name, crd) in cases() {
        let typed: CustomResourceDefinition = serde_json::from_value(crd.clone()).expect("a CRD");
        let server = match api.create(&dry_run(), &typed).await {
            Ok(_) => String::new(),
            Err(kube::Error::Api(e)) => e.message,
            Err(e) => panic!("{name}: {e}"),
        };
        let ours = cost::schema_cost(&crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]);
        let errors = ours.errors();
        // Same number of Forbidden findings, each at a path the server names, with a factor
        // within 5 % of the server's.
        let server_count = server.matches(": Forbidden: ").count();
        if server_count != errors.len() {
            mismatches.push(format!(
                "{name}: server {server_count} Forbidden, ours {}: server: {server}; ours: {errors:?}",
                errors.len()
            ));
            continue;
        }
        // Go keeps the four most expensive with an unstable sort: among equal costs the server
        // may name others. Each it names must be one of ours of those costs.
        let contributed = |text: &str, path: &str| {
            text.contains(&format!("{PREFIX}{path}: Forbidden: {CONTRIBUTED}"))
        };
        let kept: Vec<u64> = ours
            .findings
            .iter()
            .filter(|f| ours.most_expensive.contains(&f.path))
            .map(|f| f.cost)
            .collect();
        let named_by_server = ours
            .findings
            .iter()
            .filter(|f| contributed(&server, &f.path) && kept.contains(&f.cost))
            .count();
        if named_by_server != ours.most_expensive.len() {
            mismatches.push(format!(
                "{name}: the server names {named_by_server} of our most expensive {:?}: {server}",
                ours.most_expensive
            ));
        }
        for (path, detail) in &errors {
            if detail.starts_with(CONTRIBUTED) {
                continue;
            }
            let at = format!("{PREFIX}{path}: Forbidden: ");
            if !server.contains(&at) {
                mismatches.push(format!("{name}: server names no {at}: {server}"));
                continue;
            }
            // The same words before the factor ("estimated rule cost", "estimated
            // messageExpression cost", "... total for entire OpenAPIv3 schema").
            let words = &detail[..detail.find(FACTOR).unwrap_or(0)];
            if !server.contains(&format!("{at}{words}{FACTOR}")) {
                mismatches.push(format!("{name}: server has no {at}{words}: {server}"));
            }
            let Some(mine) = factor_after(detail, FACTOR) else {
                mismatches.push(format!("{name}: no factor in our {detail}"));
                continue;
            };
            let theirs = server
                .match_indices(&at)
                .filter_map(|(i, _)| factor_after(&server[i..], FACTOR))
                .next();
            match theirs {
                Some(t) if (mine - t).abs() <= 0.05 * t => compared += 1,
                _ => mismatches.push(format!(
                    "{name}: {path}: factor {mine} vs the server's {theirs:?}: {server}"
                )),
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // Not vacuous: the refused cases' factors were compared (per rule and totals).
    assert!(compared >= 8, "only {compared} factors compared");
}

/// The bound `lint` suggests is one the server accepts, and one more is refused: `maxItems` on
/// an O(n²) rule's list, `maxLength` on the strings of a bounded list.
#[tokio::test]
async fn the_suggested_bound_is_the_servers_boundary() {
    let api: Api<CustomResourceDefinition> = Api::all(client().await);
    let cases = [
        (
            crd(
                "suggestitems",
                json!({"l": int_list(None, "self.all(x, self.all(y, x == y))")}),
            ),
            cost::Bound::MaxItems,
            "/properties/spec/properties/l",
        ),
        (
            crd(
                "suggestlengths",
                json!({"l": string_list(100, None, "self.contains('x')")}),
            ),
            cost::Bound::MaxLength,
            "/properties/spec/properties/l/items",
        ),
    ];
    for (unbounded, bound, node) in cases {
        let schema = "/spec/versions/0/schema/openAPIV3Schema";
        let ours = cost::schema_cost(&unbounded.pointer(schema).expect("a schema").clone());
        let suggestion = ours.findings[0].suggestion.clone().expect("a suggestion");
        assert_eq!(suggestion.bound, bound, "{suggestion}");
        for (value, accepted) in [(suggestion.value, true), (suggestion.value + 1, false)] {
            let mut bounded = unbounded.clone();
            bounded
                .pointer_mut(&format!("{schema}{node}"))
                .and_then(Value::as_object_mut)
                .expect("the node")
                .insert(bound.keyword().into(), json!(value));
            let typed: CustomResourceDefinition = serde_json::from_value(bounded).expect("a CRD");
            let result = api.create(&dry_run(), &typed).await;
            assert_eq!(
                result.is_ok(),
                accepted,
                "{suggestion}, {value}: {result:?}"
            );
        }
    }
}
