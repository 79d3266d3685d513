//! What the parity tests share: a case's reviewed verdict and paths against the apiserver's,
//! and the list of cases that disagree.

use std::collections::BTreeSet;

use crate::server::Verdict;

/// Paths sorted, each once.
pub fn sorted(paths: impl IntoIterator<Item = String>) -> Vec<String> {
    paths
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The apiserver's verdict on a case against the case's reviewed literals (`invalid`: the
/// field paths it names; `None`: it accepts): empty when they agree.
pub fn server_problems(verdict: &Verdict, invalid: &Option<Vec<String>>) -> Vec<String> {
    let accepted = matches!(verdict, Verdict::Accepted(_));
    let mut problems = Vec::new();
    if accepted != invalid.is_none() {
        problems.push(format!(
            "the apiserver {} it, the case says {}",
            if accepted { "accepted" } else { "rejected" },
            if invalid.is_none() {
                "valid"
            } else {
                "invalid"
            }
        ));
    }
    let expected = sorted(invalid.clone().unwrap_or_default());
    let paths = sorted(verdict.paths());
    if paths != expected {
        problems.push(format!(
            "apiserver paths {paths:?}, the case says {expected:?}"
        ));
    }
    if let (Verdict::Rejected { message, .. }, false) = (verdict, problems.is_empty()) {
        problems.push(format!("(apiserver: {message})"));
    }
    problems
}

/// The problems `check` finds on each case, each with the case's name.
pub fn failures<T>(
    cases: &[T],
    name: impl Fn(&T) -> String,
    check: impl Fn(&T) -> Vec<String>,
) -> Vec<String> {
    cases
        .iter()
        .filter_map(|case| {
            let problems = check(case);
            (!problems.is_empty())
                .then(|| format!("{}:\n    {}", name(case), problems.join("\n    ")))
        })
        .collect()
}

/// Fails with every disagreeing case of `total`.
pub fn report(what: &str, total: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} of {total} {what} cases disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
