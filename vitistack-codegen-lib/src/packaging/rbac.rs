//! ClusterRoles that aggregate the vitistack.io resources into the built-in `view`, `edit` and
//! `admin` roles (through the `rbac.authorization.k8s.io/aggregate-to-*` labels, which the
//! clusterrole-aggregation controller of kube-controller-manager follows).
//!
//! None of them grants writes to the `status` subresource (controllers own status) or any
//! access to CustomResourceDefinitions.

use serde_json::{json, Value};

use crate::yaml::to_yaml;
use crate::Error;

/// Which built-in role a ClusterRole aggregates into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// Read: get, list, watch (objects and their status).
    View,
    /// Read and write objects (not their status).
    Edit,
    /// What `edit` grants: a namespace admin needs nothing more on these kinds.
    Admin,
}

impl Aggregate {
    /// All three, in order.
    pub const ALL: [Aggregate; 3] = [Aggregate::View, Aggregate::Edit, Aggregate::Admin];

    /// `view`, `edit` or `admin`.
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::View => "view",
            Aggregate::Edit => "edit",
            Aggregate::Admin => "admin",
        }
    }
}

const READ: [&str; 3] = ["get", "list", "watch"];
const WRITE: [&str; 5] = ["create", "update", "patch", "delete", "deletecollection"];

/// The rules of the ClusterRole for `role` over `plurals` of `group`.
pub fn aggregated_rules(role: Aggregate, group: &str, plurals: &[String]) -> Value {
    let status: Vec<String> = plurals.iter().map(|p| format!("{p}/status")).collect();
    let read_status = json!({"apiGroups": [group], "resources": status, "verbs": READ});
    let objects_verbs: Vec<&str> = match role {
        Aggregate::View => READ.to_vec(),
        Aggregate::Edit | Aggregate::Admin => READ.iter().chain(WRITE.iter()).copied().collect(),
    };
    json!([
        {"apiGroups": [group], "resources": plurals, "verbs": objects_verbs},
        read_status,
    ])
}

/// The three ClusterRoles as one template, rendered when `rbac.aggregate` is true.
pub(super) fn render_clusterroles(crds: &[Value]) -> Result<String, Error> {
    let group = super::single_group(crds)?;
    let mut plurals = super::plurals(crds)?;
    plurals.sort();
    let mut out = String::from("{{- if .Values.rbac.aggregate }}\n");
    for (i, role) in Aggregate::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let name = format!("vitistack-{}", role.name());
        out.push_str("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n");
        // The aggregation label goes first; the chart's labels follow.
        let metadata = super::chart::metadata_block(&name, false).replacen(
            "  labels:\n",
            &format!(
                "  labels:\n    rbac.authorization.k8s.io/aggregate-to-{}: \"true\"\n",
                role.name()
            ),
            1,
        );
        out.push_str(&metadata);
        let rules = json!({"rules": aggregated_rules(role, &group, &plurals)});
        out.push_str(&super::chart::escape_template(&to_yaml(&rules)?));
    }
    out.push_str("{{- end }}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verbs(rules: &Value, resource: &str) -> Vec<String> {
        let mut out = Vec::new();
        for rule in rules.as_array().into_iter().flatten() {
            let matches = rule["resources"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x == resource));
            if matches {
                for verb in rule["verbs"].as_array().into_iter().flatten() {
                    out.push(verb.as_str().unwrap_or_default().to_owned());
                }
            }
        }
        out
    }

    #[test]
    fn no_role_writes_status() {
        let plurals = vec!["machines".to_owned()];
        for role in Aggregate::ALL {
            let rules = aggregated_rules(role, "vitistack.io", &plurals);
            let status = verbs(&rules, "machines/status");
            assert_eq!(status, ["get", "list", "watch"], "{role:?}");
        }
        let view = verbs(
            &aggregated_rules(Aggregate::View, "g.io", &plurals),
            "machines",
        );
        assert_eq!(view, ["get", "list", "watch"]);
        let edit = verbs(
            &aggregated_rules(Aggregate::Edit, "g.io", &plurals),
            "machines",
        );
        assert!(
            edit.contains(&"create".to_owned()) && edit.contains(&"deletecollection".to_owned())
        );
    }
}
