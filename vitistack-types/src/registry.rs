//! The kind registry, this crate's `AddToScheme`: every kind's group/version/kind, plural, scope,
//! short names and `ApiResource`, with look-up by kind, plural, short name or
//! group/version/resource.

use crate::crd::{CustomResourceKind, KindSchema, Scope};
use crate::kinds::*;
use crate::schema::Node;
use kube_core::{ApiResource, GroupVersionKind, GroupVersionResource};

/// What the registry knows about one kind.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    /// API group.
    pub group: &'static str,
    /// API version.
    pub version: &'static str,
    /// `group/version`.
    pub api_version: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Plural resource name.
    pub plural: &'static str,
    /// Singular name.
    pub singular: &'static str,
    /// Short names.
    pub short_names: &'static [&'static str],
    /// Namespaced or cluster-wide.
    pub scope: Scope,
    root_schema: fn() -> &'static Node,
    crd: fn() -> serde_json::Value,
    json_schema: fn() -> KindSchema,
}

impl KindInfo {
    /// The registry entry of kind `K`, also one outside this crate: what a downstream crate
    /// registers its own kinds with (`vitistack_codegen_lib::Codegen::kind`), and what
    /// `VitiClient::dynamic_api_for` reads the scope from.
    pub fn of<K: CustomResourceKind>() -> KindInfo {
        KindInfo {
            group: K::GROUP,
            version: K::VERSION,
            api_version: K::API_VERSION,
            kind: K::KIND,
            plural: K::PLURAL,
            singular: K::SINGULAR,
            short_names: K::SHORT_NAMES,
            scope: K::SCOPE,
            root_schema: K::root_schema,
            crd: K::crd,
            json_schema: KindSchema::of::<K>,
        }
    }

    /// kube's description of the resource, for `Api::<DynamicObject>::namespaced_with`.
    pub fn api_resource(&self) -> ApiResource {
        ApiResource {
            group: self.group.to_string(),
            version: self.version.to_string(),
            api_version: self.api_version.to_string(),
            kind: self.kind.to_string(),
            plural: self.plural.to_string(),
        }
    }

    /// Group, version and kind.
    pub fn gvk(&self) -> GroupVersionKind {
        GroupVersionKind::gvk(self.group, self.version, self.kind)
    }

    /// Group, version and resource (plural).
    pub fn gvr(&self) -> GroupVersionResource {
        GroupVersionResource::gvr(self.group, self.version, self.plural)
    }

    /// The schema a whole object of this kind is validated against (`validate::check_value`;
    /// `validate::check_update` for an update of an old object).
    pub fn root_schema(&self) -> &'static Node {
        (self.root_schema)()
    }

    /// The kind's CustomResourceDefinition.
    pub fn crd(&self) -> serde_json::Value {
        (self.crd)()
    }

    /// The kind's JSON Schema document.
    pub fn json_schema(&self) -> KindSchema {
        (self.json_schema)()
    }
}

/// The registry entry of every kind of [`for_each_kind!`](crate::for_each_kind).
macro_rules! kind_infos {
    ([] $($kind:ident $names:tt),*) => {
        vec![$(KindInfo::of::<$kind>()),*]
    };
}

/// Every kind, in the order of the reference.
pub fn kinds() -> &'static [KindInfo] {
    static KINDS: std::sync::OnceLock<Vec<KindInfo>> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| crate::for_each_kind!(kind_infos!))
}

/// The kind with this name (`Machine`), exactly.
pub fn by_kind(kind: &str) -> Option<&'static KindInfo> {
    kinds().iter().find(|k| k.kind == kind)
}

/// The kind of an object with this `apiVersion` and `kind`.
pub fn by_api_version_kind(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    kinds()
        .iter()
        .find(|k| k.api_version == api_version && k.kind == kind)
}

/// The kind with this plural resource name (`machines`).
pub fn by_plural(plural: &str) -> Option<&'static KindInfo> {
    kinds().iter().find(|k| k.plural == plural)
}

/// The kind with this short name (`m`).
pub fn by_short_name(short: &str) -> Option<&'static KindInfo> {
    kinds().iter().find(|k| k.short_names.contains(&short))
}

/// The kind of a group/version/resource.
pub fn by_gvr(gvr: &GroupVersionResource) -> Option<&'static KindInfo> {
    kinds()
        .iter()
        .find(|k| k.group == gvr.group && k.version == gvr.version && k.plural == gvr.resource)
}

/// What `kubectl get NAME` would resolve: a kind, plural, singular or short name, any case.
pub fn lookup(name: &str) -> Option<&'static KindInfo> {
    let lower = name.to_ascii_lowercase();
    kinds().iter().find(|k| {
        k.kind.eq_ignore_ascii_case(name)
            || k.plural == lower
            || k.singular == lower
            || k.short_names.contains(&lower.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_look_up_finds_the_same_kind() {
        assert_eq!(kinds().len(), 10);
        for k in kinds() {
            assert_eq!(by_kind(k.kind).map(|f| f.plural), Some(k.plural));
            assert_eq!(by_plural(k.plural).map(|f| f.kind), Some(k.kind));
            assert_eq!(by_gvr(&k.gvr()).map(|f| f.kind), Some(k.kind));
            assert_eq!(
                by_api_version_kind(k.api_version, k.kind).map(|f| f.kind),
                Some(k.kind)
            );
            for short in k.short_names {
                assert_eq!(by_short_name(short).map(|f| f.kind), Some(k.kind));
            }
            assert_eq!(k.api_resource().plural, k.plural);
        }
        assert_eq!(lookup("nc").map(|k| k.kind), Some("NetworkConfiguration"));
        assert_eq!(lookup("MACHINES").map(|k| k.kind), Some("Machine"));
        assert!(lookup("pods").is_none());
        assert!(by_api_version_kind("v1", "Machine").is_none());
    }
}
