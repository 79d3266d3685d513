//! The proof of issue 11: in a user's crate that picks its own Kubernetes version (`latest`),
//! `cargo tree -e features -i k8s-openapi` shows every version feature of k8s-openapi enabled by
//! that crate (or by another k8s-openapi feature), never by one of ours.

use std::process::Command;

/// Features of k8s-openapi that pick a Kubernetes version.
fn is_version_feature(feature: &str) -> bool {
    feature == "latest" || feature == "earliest" || feature.starts_with("v1_")
}

/// `(feature, enabler)` for each version feature of k8s-openapi and each package that enables
/// it directly, read from `cargo tree -e features -i k8s-openapi --prefix depth`.
fn version_feature_enablers(tree: &str) -> Vec<(String, String)> {
    let lines: Vec<(usize, &str)> = tree
        .lines()
        .filter_map(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            Some((line[..digits].parse().ok()?, &line[digits..]))
        })
        .collect();
    let mut found = Vec::new();
    for (i, (depth, node)) in lines.iter().enumerate() {
        let Some(feature) = node
            .strip_prefix("k8s-openapi feature \"")
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        if !is_version_feature(feature) {
            continue;
        }
        for (child_depth, child) in lines[i + 1..].iter().take_while(|(d, _)| d > depth) {
            if *child_depth == depth + 1 {
                let enabler = child.split_whitespace().next().unwrap_or_default();
                found.push((feature.to_string(), enabler.to_string()));
            }
        }
    }
    found
}

/// The enablers that are neither this crate nor k8s-openapi itself (`latest` → `v1_37`).
fn foreign_enablers(tree: &str) -> Vec<(String, String)> {
    version_feature_enablers(tree)
        .into_iter()
        .filter(|(_, by)| by != "k8s-openapi" && by != env!("CARGO_PKG_NAME"))
        .collect()
}

#[test]
fn no_kubernetes_version_feature_comes_from_our_crates() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let output = Command::new(cargo)
        .args(["tree", "--locked", "--offline", "--manifest-path", manifest])
        .args(["-e", "features", "-i", "k8s-openapi", "--prefix", "depth"])
        .output()
        .expect("run cargo tree");
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let enablers = version_feature_enablers(&tree);
    assert!(
        enablers.contains(&("latest".into(), env!("CARGO_PKG_NAME").into())),
        "this crate's own `latest` is not in the tree:\n{tree}"
    );
    assert_eq!(foreign_enablers(&tree), vec![], "\n{tree}");
}

#[test]
fn a_library_enabling_a_version_is_caught() {
    // The tree of issue 11: vitistack-types enabled v1_33 in a normal dependency.
    let tree = "0k8s-openapi v0.29.0\n\
                1k8s-openapi feature \"latest\"\n\
                2vitistack-downstream v0.1.0 (/x)\n\
                1k8s-openapi feature \"std\"\n\
                2vitistack-types v0.1.0 (/y)\n\
                1k8s-openapi feature \"v1_33\"\n\
                2vitistack-types v0.1.0 (/y) (*)\n\
                1k8s-openapi feature \"v1_37\"\n\
                2k8s-openapi feature \"latest\" (*)\n";
    assert_eq!(
        foreign_enablers(tree),
        vec![("v1_33".to_string(), "vitistack-types".to_string())]
    );
}
