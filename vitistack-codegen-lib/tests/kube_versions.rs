//! The table of `lint --kube-version` (`crd_lint::kube_versions`) against the Kubernetes sources
//! it was read from: `pkg/cel/environment/base.go` of k8s.io/apiserver (the compatibility
//! version that introduced each CEL library) and `pkg/features/kube_features.go` of
//! k8s.io/apiextensions-apiserver (the first version that enables each CRD feature by default),
//! v0.37.2, the modules of the test apiserver, from the Go module cache (`go mod download`,
//! through the Go module proxy when not cached). Without Go the test fails, naming why.

use std::path::PathBuf;
use std::process::Command;

use vitistack_codegen_lib::crd_lint::kube_versions::{FEATURES, LIBRARIES};

/// `MODULE@v0.37.2`'s directory in the Go module cache.
fn module_dir(module: &str) -> PathBuf {
    let out = Command::new("go")
        .args(["mod", "download", "-json", &format!("{module}@v0.37.2")])
        .env("GOFLAGS", "-mod=mod")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `go mod download` (Go is needed to read the Kubernetes sources): {e}"
            )
        });
    assert!(
        out.status.success(),
        "go mod download {module}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("go mod download -json");
    PathBuf::from(info["Dir"].as_str().expect("Dir"))
}

fn read(module: &str, file: &str) -> String {
    let path = module_dir(module).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `version.MajorMinor(1, N)` or `version.MustParse("1.N")` at the start of `text`: N.
fn minor(text: &str) -> Option<u32> {
    let text = text.trim_start();
    let digits = if let Some(rest) = text.strip_prefix("version.MajorMinor(1,") {
        rest.trim_start()
    } else {
        text.strip_prefix("version.MustParse(\"1.")?
    };
    digits
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Every versioned option block of `baseOpts` still in the environment (no RemovedVersion):
/// (introduced minor, the library options in it as written, `UnversionedLib(...)` unwrapped).
fn base_options(base: &str) -> Vec<(u32, Vec<String>)> {
    let start = base.find("var baseOpts").expect("baseOpts in base.go");
    let mut blocks = Vec::new();
    for chunk in base[start..].split("IntroducedVersion:").skip(1) {
        let introduced = minor(chunk).expect("IntroducedVersion: version.MajorMinor(1, N)");
        if chunk.contains("RemovedVersion:") {
            continue;
        }
        let options = chunk
            .lines()
            .map(|l| l.trim().trim_end_matches(','))
            .map(|l| {
                l.strip_prefix("UnversionedLib(")
                    .and_then(|l| l.strip_suffix(')'))
                    .unwrap_or(l)
            })
            .filter(|l| l.starts_with("library.") || l.starts_with("ext."))
            .map(str::to_owned)
            .collect();
        blocks.push((introduced, options));
    }
    blocks
}

#[test]
fn every_library_row_is_the_version_base_go_introduces_it_at() {
    let base = read("k8s.io/apiserver", "pkg/cel/environment/base.go");
    let blocks = base_options(&base);
    for library in LIBRARIES {
        let found = blocks
            .iter()
            .find(|(_, options)| options.iter().any(|o| o == library.option));
        let (introduced, _) =
            found.unwrap_or_else(|| panic!("{} is not an option of baseOpts", library.option));
        assert_eq!(*introduced, library.introduced, "{}", library.option);
    }
    // Every library base.go adds after 1.0 has a row, but those no CRD rule can call.
    let unreachable = ["library.Authz", "library.AuthzSelectors"];
    for (introduced, options) in blocks.iter().filter(|(i, _)| *i > 0) {
        for option in options
            .iter()
            .filter(|o| !unreachable.contains(&o.as_str()))
        {
            assert!(
                LIBRARIES.iter().any(|l| l.option == option),
                "{option} (introduced at 1.{introduced}) has no row in kube_versions::LIBRARIES"
            );
        }
    }
}

#[test]
fn every_feature_row_is_the_first_version_its_gate_is_on_by_default() {
    let features = read(
        "k8s.io/apiextensions-apiserver",
        "pkg/features/kube_features.go",
    );
    for feature in FEATURES {
        let specs = &features[features
            .find(&format!("\t{}: {{", feature.gate))
            .unwrap_or_else(|| panic!("no versioned specs for {}", feature.gate))..];
        let specs = &specs[..specs.find("\t},").expect("end of the specs")];
        let first_on = specs
            .lines()
            .filter(|l| l.contains("Default: true"))
            .find_map(|l| minor(&l[l.find("version.MustParse(")?..]))
            .unwrap_or_else(|| panic!("{} is never on by default", feature.gate));
        assert_eq!(first_on, feature.default_on, "{}", feature.gate);
    }
}
