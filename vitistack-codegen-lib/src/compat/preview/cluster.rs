//! `compat --objects-from-cluster`: the stored objects of the compared CRDs, listed from a
//! cluster in pages (`limit` and `continue`, as client-go's pager does), through every version
//! OLD serves: a client may write an object through any of them, and each version has its own
//! schema under NEW.

use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use kube::Client;
use serde_json::Value;

use super::StoredObject;
use crate::compat::LoadedCrd;

/// Objects per page when the caller sets none (client-go's default).
pub const DEFAULT_PAGE_SIZE: u32 = 500;

/// Every object of every CRD of `old` that `new` also has (matched by name), listed through
/// each version OLD serves, `page_size` objects a request. An error names the resource and
/// version whose list failed.
pub async fn list_objects(
    client: &Client,
    old: &[LoadedCrd],
    new: &[LoadedCrd],
    page_size: u32,
) -> Result<Vec<StoredObject>, String> {
    let mut out = Vec::new();
    for crd in old.iter().filter(|o| new.iter().any(|n| n.name == o.name)) {
        for resource in served_resources(&crd.crd) {
            let origin = format!(
                "cluster: {}.{}/{}",
                resource.plural, resource.group, resource.version
            );
            let api: Api<DynamicObject> = Api::all_with(client.clone(), &resource);
            let mut params = ListParams::default().limit(page_size.max(1));
            loop {
                let page = api
                    .list(&params)
                    .await
                    .map_err(|e| format!("{origin}: listing failed: {e}"))?;
                for item in page.items {
                    out.push(StoredObject {
                        origin: origin.clone(),
                        value: object_value(item, &resource)
                            .map_err(|e| format!("{origin}: {e}"))?,
                    });
                }
                match page.metadata.continue_.filter(|c| !c.is_empty()) {
                    Some(token) => params.continue_token = Some(token),
                    None => break,
                }
            }
        }
    }
    Ok(out)
}

/// The resource of each version `crd` serves.
fn served_resources(crd: &Value) -> Vec<ApiResource> {
    let text = |pointer: &str| {
        crd.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (group, kind, plural) = (
        text("/spec/group"),
        text("/spec/names/kind"),
        text("/spec/names/plural"),
    );
    crd.pointer("/spec/versions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| v.get("served").and_then(Value::as_bool) == Some(true))
        .filter_map(|v| v.get("name").and_then(Value::as_str))
        .map(|version| ApiResource {
            group: group.clone(),
            version: version.to_owned(),
            api_version: format!("{group}/{version}"),
            kind: kind.clone(),
            plural: plural.clone(),
        })
        .collect()
}

/// A listed object as JSON, with the apiVersion and kind it was listed as.
fn object_value(item: DynamicObject, resource: &ApiResource) -> Result<Value, String> {
    let mut value = serde_json::to_value(item).map_err(|e| format!("an object as JSON: {e}"))?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| "a listed object is not a JSON object".to_owned())?;
    object.insert("apiVersion".to_owned(), resource.api_version.clone().into());
    object.insert("kind".to_owned(), resource.kind.clone().into());
    Ok(value)
}
