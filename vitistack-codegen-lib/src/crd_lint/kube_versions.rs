//! What an apiserver of an older Kubernetes minor version lacks, for `lint --kube-version 1.N`:
//! the one table of CEL libraries and CRD features by the version that brought them.
//!
//! * CEL libraries ([`LIBRARIES`]): `k8s.io/apiserver/pkg/cel/environment/base.go` declares each
//!   library with the *compatibility version* that introduced it. An apiserver of minor N
//!   compiles the rules of a CRD being written at compatibility N-1 (`DefaultCompatibilityVersion`
//!   is the binary version minus one), so a rule calling a function of a library introduced at
//!   compatibility C is refused by every apiserver with N-1 < C (`undeclared reference`). The
//!   engine itself compiles at compatibility 1.36 (a 1.37 apiserver).
//! * CRD features ([`FEATURES`]): feature gates of k8s.io/apiextensions-apiserver
//!   (`pkg/features/kube_features.go`) with the first version that enables them by default. An
//!   apiserver without the gate drops the fields silently (`selectableFields`,
//!   `optionalOldSelf`) or does not ratchet.
//!
//! `tests/kube_versions.rs` checks both tables against the Go sources of k8s.io/apiserver and
//! k8s.io/apiextensions-apiserver v0.37.2 in the Go module cache.

use std::collections::BTreeSet;

use vitistack_core::cel::parse::{Expr, ExprKind};

/// The oldest `--kube-version` the tables cover (the oldest compatibility floor of a 1.37
/// apiserver is 1.31, so 1.30 and later are what `--emulated-version` can still show).
pub const OLDEST: u32 = 30;
/// The newest `--kube-version`: what the engine compiles for (a 1.37 apiserver).
pub const NEWEST: u32 = 37;
/// The default: the oldest Kubernetes version the project supports (README).
pub const DEFAULT: u32 = 32;

/// A CEL library of the CRD environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Library {
    /// Its option in `base.go` (`library.Quantity`, `ext.Sets()`), as written there.
    pub option: &'static str,
    /// The compatibility minor version that introduced it (`IntroducedVersion: 1.x`).
    pub introduced: u32,
    /// The functions and macros only it declares, as rules call them.
    pub functions: &'static [&'static str],
}

/// Every library introduced after compatibility 1.0 that a CRD rule can call. (Authz and
/// AuthzSelectors are left out: no CRD rule can reach an authorizer; the 1.0 libraries are in
/// every version.)
pub const LIBRARIES: &[Library] = &[
    Library {
        option: "library.Quantity",
        introduced: 28,
        functions: &[
            "quantity",
            "isQuantity",
            "asApproximateFloat",
            "asInteger",
            "isInteger",
            "sign",
        ],
    },
    Library {
        option: "ext.Strings(ext.StringsVersion(2))",
        introduced: 29,
        functions: &["join", "strings.quote", "format"],
    },
    Library {
        option: "ext.Sets()",
        introduced: 29,
        functions: &["sets.contains", "sets.equivalent", "sets.intersects"],
    },
    Library {
        option: "library.IP",
        introduced: 30,
        functions: &[
            "ip",
            "isIP",
            "isCanonical",
            "family",
            "isUnspecified",
            "isLoopback",
            "isLinkLocalMulticast",
            "isLinkLocalUnicast",
            "isGlobalUnicast",
            "ip.isCanonical",
        ],
    },
    Library {
        option: "library.CIDR",
        introduced: 30,
        functions: &[
            "cidr",
            "isCIDR",
            "containsIP",
            "containsCIDR",
            "masked",
            "prefixLength",
        ],
    },
    Library {
        option: "library.Format",
        introduced: 31,
        functions: &[
            "format.named",
            "format.dns1123Label",
            "format.dns1123Subdomain",
            "format.dns1035Label",
            "format.qualifiedName",
            "format.dns1123LabelPrefix",
            "format.dns1123SubdomainPrefix",
            "format.dns1035LabelPrefix",
            "format.labelValue",
            "format.uri",
            "format.uuid",
            "format.byte",
            "format.date",
            "format.datetime",
        ],
    },
    Library {
        option: "ext.TwoVarComprehensions()",
        introduced: 32,
        functions: &[
            "transformList",
            "transformMap",
            "transformMapEntry",
            "@two-variable comprehension",
        ],
    },
    Library {
        option: "library.SemverLib(library.SemverVersion(1))",
        introduced: 33,
        functions: &["semver", "isSemver", "major", "minor", "patch"],
    },
    Library {
        option: "ext.Lists(ext.ListsVersion(3))",
        introduced: 34,
        functions: &[
            "slice",
            "flatten",
            "sort",
            "distinct",
            "reverse",
            "lists.range",
            "sortBy",
        ],
    },
    Library {
        option: "library.Lists(library.ListsVersion(1))",
        introduced: 37,
        functions: &["includes"],
    },
];

/// A CRD feature behind a feature gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    /// The feature gate.
    pub gate: &'static str,
    /// The first minor version that enables it by default.
    pub default_on: u32,
    /// What an apiserver without it does with the CRD.
    pub without: &'static str,
}

/// The CRD features `lint` reports for an older `--kube-version`.
pub const FEATURES: &[Feature] = &[
    Feature {
        gate: "CustomResourceFieldSelectors",
        default_on: 31,
        without: "drops selectableFields (no field selectors on the custom resources)",
    },
    Feature {
        gate: "CRDValidationRatcheting",
        default_on: 30,
        without:
            "does not ratchet (unchanged invalid values fail updates) and drops optionalOldSelf",
    },
];

/// What [`functions`] reports for a two-variable comprehension (`all(k, v, ...)`).
const TWO_VARIABLES: &str = "@two-variable comprehension";

/// The functions (and `@two-variable comprehension`) a parsed rule uses, with namespaces
/// (`sets.contains`).
pub fn functions(expr: &Expr) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect(expr, &mut out);
    out
}

fn collect(expr: &Expr, out: &mut BTreeSet<String>) {
    match &expr.kind {
        ExprKind::Call {
            function,
            target,
            args,
        } => {
            if let Some(ExprKind::Ident(ns)) = target.as_deref().map(|t| &t.kind) {
                out.insert(format!("{ns}.{function}"));
            }
            out.insert(function.clone());
            // The parser keeps the three-argument macros as calls (the checker expands them).
            let macros = ["all", "exists", "existsOne", "exists_one"];
            if args.len() == 3 && macros.contains(&function.as_str()) {
                out.insert(TWO_VARIABLES.to_owned());
            }
            if let Some(t) = target {
                collect(t, out);
            }
            for a in args {
                collect(a, out);
            }
        }
        ExprKind::Select { operand, .. } => collect(operand, out),
        ExprKind::List { elements, .. } => elements.iter().for_each(|e| collect(e, out)),
        ExprKind::Map(entries) => entries.iter().for_each(|(k, v, _)| {
            collect(k, out);
            collect(v, out);
        }),
        ExprKind::Comprehension(c) => {
            if c.var2.is_some() {
                out.insert(TWO_VARIABLES.to_owned());
            }
            for e in [&c.range, &c.init, &c.cond, &c.step, &c.result] {
                collect(e, out);
            }
        }
        ExprKind::Literal(_) | ExprKind::Ident(_) | ExprKind::Struct(_) => {}
    }
}

/// The libraries a `1.minor` apiserver lacks for new rules that `used` needs: (library, the
/// function that needs it).
pub fn missing_libraries(used: &BTreeSet<String>, minor: u32) -> Vec<(&'static Library, String)> {
    let compatibility = minor.saturating_sub(1);
    LIBRARIES
        .iter()
        .filter(|l| l.introduced > compatibility)
        .filter_map(|l| {
            l.functions
                .iter()
                .find(|f| used.contains(**f))
                .map(|f| (l, (*f).to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{functions, missing_libraries};

    fn missing(rule: &str, minor: u32) -> Vec<String> {
        let ast = vitistack_core::cel::parse(rule).expect("parses");
        missing_libraries(&functions(&ast.expr), minor)
            .into_iter()
            .map(|(library, function)| format!("{} {function}", library.option))
            .collect()
    }

    #[test]
    fn a_library_is_missing_until_the_minor_after_its_compatibility_version() {
        let two_variables = "self.all(k, v, v != '')";
        assert_eq!(
            missing(two_variables, 32),
            ["ext.TwoVarComprehensions() @two-variable comprehension"]
        );
        assert!(missing(two_variables, 33).is_empty());
        assert_eq!(
            missing("sets.contains([1], [1]) && [2, 1].sort() == [1, 2]", 34),
            ["ext.Lists(ext.ListsVersion(3)) sort"]
        );
        assert!(missing("self.startsWith('a') && isQuantity(self)", 30).is_empty());
        assert_eq!(
            missing("[1].includes(1)", 37),
            ["library.Lists(library.ListsVersion(1)) includes"]
        );
    }
}
