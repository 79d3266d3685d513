//! Issue 26: `lint` against the live apiserver. Every case of `tests/corpus/lint/cases.yaml` (our
//! CRDs and third-party ones, each with one twist) is created on the test server with a dry run;
//! the server is the oracle:
//! * the server's answer contains the fragment the corpus recorded (each twist does what it says);
//! * `lint` refuses exactly the CRDs the server refuses;
//! * `lint` names every path the server names, exactly;
//! * where the server prints a factor over budget, ours is within 5 %.

use http::Request;
use serde_json::Value;
use vitistack_codegen_lib::crd_lint::{self, Issue, Options, Severity};
use vitistack_e2e::lint_corpus::{cases, LintCase};
use vitistack_e2e::*;

/// The test server's Kubernetes minor version (k8s.io/kubernetes v1.37).
const SERVER_MINOR: u32 = 37;

/// A dry-run create of `crd`: `None` when the server takes it, else its causes as
/// `(field, message)`.
async fn dry_run(client: &kube::Client, crd: &Value) -> Option<Vec<(String, String)>> {
    let post = || {
        Request::post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All")
            .header("Content-Type", "application/json")
            .body(serde_json::to_vec(crd).expect("JSON"))
            .expect("request")
    };
    let mut answer = client.request_text(post()).await;
    if matches!(&answer, Err(kube::Error::Api(status)) if status.code == 409) {
        // Another test on this shared server installed a CRD of the same name (the any-CRD
        // corpus installs karpenter's): a create is judged only with the name free.
        free_name(client, crd["metadata"]["name"].as_str().unwrap_or_default()).await;
        answer = client.request_text(post()).await;
    }
    match answer {
        Ok(_) => None,
        Err(kube::Error::Api(status)) if status.code == 422 => Some(
            status
                .details
                .map(|d| d.causes)
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c.field, c.message))
                .collect(),
        ),
        Err(e) => panic!("dry-run create failed: {e}"),
    }
}

/// Deletes the installed CRD `name` and waits until the server no longer has it.
async fn free_name(client: &kube::Client, name: &str) {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    use kube::api::{Api, DeleteParams};
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let _ = crds.delete(name, &DeleteParams::default()).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    while crds.get_opt(name).await.expect("get CRD").is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "CRD {name} is still there after 180 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// The server's causes as one text, the way the corpus records fragments: runs of spaces as
/// one, and the rule JSON the server quotes after `Invalid value: ` left out.
fn server_text(causes: &[(String, String)]) -> String {
    let mut out = String::new();
    for (field, message) in causes {
        let mut message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(start) = message.find("Invalid value: {\"Rule\":") {
            if let Some(end) = message[start..].find("}: ") {
                message.replace_range(start..start + end + 3, "");
            }
        }
        out.push_str(&format!("{field}: {message}\n"));
    }
    out
}

fn factor(message: &str) -> Option<f64> {
    let rest = &message[message.find("factor of ")? + "factor of ".len()..];
    rest.split('x').next()?.trim().parse().ok()
}

fn is_contribution(message: &str) -> bool {
    message.contains("contributed to estimated rule cost total")
}

struct Verdicts {
    mismatches: Vec<String>,
    paths: usize,
}

fn compare(
    case: &LintCase,
    server: Option<&[(String, String)]>,
    issues: &[Issue],
    v: &mut Verdicts,
) {
    let refused: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.severity == Severity::Refused)
        .collect();
    let shown = || {
        issues
            .iter()
            .map(|i| format!("  lint: {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match server {
        None if refused.is_empty() => {}
        None => v.mismatches.push(format!(
            "{}: the server accepts it, lint refuses:\n{}",
            case.name,
            shown()
        )),
        Some(causes) => {
            let schema_causes: Vec<&(String, String)> = causes
                .iter()
                .filter(|(f, _)| !f.starts_with("metadata."))
                .collect();
            if refused.is_empty() {
                v.mismatches.push(format!(
                    "{}: the server refuses it, lint does not:\n{}\n{}",
                    case.name,
                    server_text(causes),
                    shown()
                ));
                return;
            }
            let mut contributed = 0;
            for (field, message) in schema_causes {
                if is_contribution(message) {
                    // Which four of several equally expensive rules the server names is random
                    // (Go's sort.Slice): lint must name as many, not the same ones.
                    contributed += 1;
                    continue;
                }
                if refused.iter().any(|i| i.path.as_str() == field) {
                    v.paths += 1;
                } else {
                    v.mismatches.push(format!(
                        "{}: lint does not name {field} ({message}):\n{}",
                        case.name,
                        shown()
                    ));
                }
                if let Some(theirs) = factor(message) {
                    let ours = refused
                        .iter()
                        .filter(|i| i.path.as_str() == field)
                        .find_map(|i| factor(&i.message));
                    match ours {
                        Some(ours) if (ours - theirs).abs() <= theirs * 0.05 => {}
                        _ => v.mismatches.push(format!(
                            "{}: the server's factor at {field} is {theirs}x, lint's {ours:?}",
                            case.name
                        )),
                    }
                }
            }
            let ours = refused
                .iter()
                .filter(|i| is_contribution(&i.message))
                .count();
            if contributed > 0 && ours != contributed {
                v.mismatches.push(format!(
                    "{}: the server names {contributed} rule(s) contributing to the total, lint {ours}",
                    case.name
                ));
            }
        }
    }
}

#[tokio::test]
async fn lint_refuses_what_the_apiserver_refuses_at_its_paths() {
    let client = client().await;
    let cases = cases();
    assert!(cases.len() >= 80, "the corpus has {} cases", cases.len());
    let mut v = Verdicts {
        mismatches: Vec::new(),
        paths: 0,
    };
    let mut corpus_drift = Vec::new();
    let options = Options {
        kube_minor: SERVER_MINOR,
        cost_report: false,
    };
    for case in &cases {
        let server = dry_run(&client, &case.crd).await;
        // The corpus check, independent of lint: the twist does what the corpus says.
        match &server {
            None if case.server == "accepted" => {}
            Some(causes) if server_text(causes).contains(&case.server) => {}
            _ => corpus_drift.push(format!(
                "{}: recorded {:?}, the server says {:?}",
                case.name,
                case.server,
                server.as_deref().map(server_text)
            )),
        }
        let issues = crd_lint::lint(&case.crd, &options);
        compare(case, server.as_deref(), &issues, &mut v);
    }
    eprintln!("{} cases; server paths named {}", cases.len(), v.paths);
    assert!(
        corpus_drift.is_empty(),
        "the corpus no longer says what the server says:\n{}",
        corpus_drift.join("\n")
    );
    assert!(
        v.mismatches.is_empty(),
        "{} disagreement(s):\n{}",
        v.mismatches.len(),
        v.mismatches.join("\n")
    );
}
