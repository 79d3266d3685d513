//! Severity from a version's stability, and the Kubernetes order of version names.
//!
//! The project's compatibility table: an incompatible change is a warning in a `v1alpha*`
//! version (alpha APIs promise nothing) and an error in `v1beta*` and `v1` (they promise not to
//! break existing objects and clients). A version name that does not follow the Kubernetes
//! pattern gets the strict treatment: nothing says it may break.

use std::cmp::Ordering;

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported, exit code unaffected.
    Warning,
    /// Reported, exit code 1.
    Error,
}

impl Severity {
    /// `warning` or `error`, as in the outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A parsed Kubernetes version name (`v1`, `v2beta3`, `v1alpha1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Alpha,
    Beta,
    Ga,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KubeVersion {
    major: u64,
    level: Level,
    minor: u64,
}

fn parse_version(name: &str) -> Option<KubeVersion> {
    let rest = name.strip_prefix('v')?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let major: u64 = rest[..digits].parse().ok()?;
    if major == 0 {
        return None;
    }
    let tail = &rest[digits..];
    let (level, number) = if tail.is_empty() {
        return Some(KubeVersion {
            major,
            level: Level::Ga,
            minor: 0,
        });
    } else if let Some(n) = tail.strip_prefix("alpha") {
        (Level::Alpha, n)
    } else if let Some(n) = tail.strip_prefix("beta") {
        (Level::Beta, n)
    } else {
        return None;
    };
    // `v1alpha` without a number is not a Kubernetes version name.
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(KubeVersion {
        major,
        level,
        minor: number.parse().ok()?,
    })
}

/// The default severity of an incompatible change in version `name`: warning for `v<N>alpha<M>`,
/// error for everything else (beta, GA, and names outside the Kubernetes pattern).
pub fn severity_for_version(name: &str) -> Severity {
    match parse_version(name) {
        Some(KubeVersion {
            level: Level::Alpha,
            ..
        }) => Severity::Warning,
        _ => Severity::Error,
    }
}

/// Kubernetes' version priority as an ascending order (lowest priority first), the order of
/// `k8s.io/apimachinery`'s `CompareKubeAwareVersionStrings`: names outside the pattern (by
/// name, descending), then alpha, beta, GA; within a level, by major then minor number.
pub fn compare_kube_versions(a: &str, b: &str) -> Ordering {
    fn rank(level: Level) -> u8 {
        match level {
            Level::Alpha => 1,
            Level::Beta => 2,
            Level::Ga => 3,
        }
    }
    match (parse_version(a), parse_version(b)) {
        (Some(x), Some(y)) => rank(x.level)
            .cmp(&rank(y.level))
            .then(x.major.cmp(&y.major))
            .then(x.minor.cmp(&y.minor)),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => b.cmp(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stability_decides_the_default_severity() {
        assert_eq!(severity_for_version("v1alpha1"), Severity::Warning);
        assert_eq!(severity_for_version("v2alpha3"), Severity::Warning);
        assert_eq!(severity_for_version("v1beta1"), Severity::Error);
        assert_eq!(severity_for_version("v1"), Severity::Error);
        // Not a Kubernetes version name: no promise to break, so strict.
        assert_eq!(severity_for_version("alpha"), Severity::Error);
        assert_eq!(severity_for_version("v1alpha"), Severity::Error);
    }

    #[test]
    fn kube_version_order_is_alpha_beta_ga() {
        let mut names = vec![
            "v1", "v1beta2", "foo", "v2alpha1", "v1alpha1", "v1beta1", "v2",
        ];
        names.sort_by(|a, b| compare_kube_versions(a, b));
        assert_eq!(
            names,
            ["foo", "v1alpha1", "v2alpha1", "v1beta1", "v1beta2", "v1", "v2"]
        );
    }
}
