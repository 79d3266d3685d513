//! The lint corpus without a server: `lint`'s verdict on every case of
//! `tests/corpus/lint/cases.yaml` against the answer the corpus recorded from the live apiserver
//! (`server`: `accepted`, or a fragment of its answer, path first). The live comparison is
//! tests/tests/lint_parity.rs; this one runs wherever the workspace's tests run and names the
//! case that changed.

use vitistack_codegen_lib::crd_lint::{self, Options, Severity};
use vitistack_e2e::lint_corpus::cases;

#[test]
fn lint_gives_the_recorded_verdict_at_the_recorded_path() {
    let options = Options {
        kube_minor: 37,
        cost_report: false,
    };
    let mut wrong = Vec::new();
    for case in cases() {
        let issues = crd_lint::lint(&case.crd, &options);
        let refused: Vec<_> = issues
            .iter()
            .filter(|i| i.severity == Severity::Refused)
            .collect();
        if case.server == "accepted" {
            if !refused.is_empty() {
                wrong.push(format!(
                    "{}: recorded accepted, lint refuses: {}",
                    case.name, refused[0]
                ));
            }
            continue;
        }
        let (path, _) = case
            .server
            .split_once(": ")
            .expect("a fragment `path: message`");
        if !refused.iter().any(|i| i.path.as_str().ends_with(path)) {
            wrong.push(format!(
                "{}: recorded {:?}, lint: {:?}",
                case.name,
                case.server,
                refused.iter().map(ToString::to_string).collect::<Vec<_>>()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
