//! `validate_update` on the typed kinds: the rules of decisions.md §6 in the apiserver's words.
//! (The update corpus, `tests/tests/update_parity.rs`, holds the same engine to the apiserver.)

use serde::de::DeserializeOwned;
use std::path::PathBuf;
use vitistack_types::kinds::{KubernetesCluster, Machine, NetworkConfiguration};
use vitistack_types::ValidateUpdate;

fn example<K: DeserializeOwned>(name: &str) -> K {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).expect("example");
    serde_saphyr::from_str(&text).expect("typed example")
}

fn lines<K: ValidateUpdate>(new: &K, old: &K) -> Vec<String> {
    match new.validate_update(old) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.errors().iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_vlan_may_not_change_or_go_away_but_the_mtu_may() {
    let old: NetworkConfiguration = example("networkconfiguration");
    let mut new = old.clone();
    new.spec.vlan = Some(200);
    assert_eq!(
        lines(&new, &old),
        ["spec.vlan: Invalid value: 200: vlan is immutable once set"]
    );
    new.spec.vlan = None;
    assert_eq!(
        lines(&new, &old),
        ["spec.vlan: Required value: vlan is immutable once set"]
    );
    let mut new = old.clone();
    new.spec.mtu = Some(1500);
    assert!(lines(&new, &old).is_empty());
}

#[test]
fn a_root_volume_may_grow_but_not_shrink() {
    let old: Machine = example("machine");
    let mut new = old.clone();
    let root = |m: &mut Machine| {
        m.spec
            .storage
            .as_mut()
            .and_then(|s| s.root_volume.as_mut())
            .expect("root volume")
            .size = Some("50Gi".into())
    };
    root(&mut new);
    assert_eq!(
        lines(&new, &old),
        ["spec.storage.rootVolume.size: Invalid value: \"50Gi\": may not shrink from 100Gi"]
    );
}

#[test]
fn a_cluster_moves_one_minor_version_at_a_time() {
    let old: KubernetesCluster = example("kubernetescluster");
    for (version, ok) in [("v1.33.0", true), ("v1.34.0", false), ("v1.31.9", false)] {
        let mut new = old.clone();
        new.spec.kubernetes_version = Some(version.into());
        let expected: Vec<String> = if ok {
            Vec::new()
        } else {
            vec![format!(
                "spec.kubernetesVersion: Invalid value: \"{version}\": may go up at most one minor version from v1.32.3"
            )]
        };
        assert_eq!(lines(&new, &old), expected, "{version}");
    }
}
