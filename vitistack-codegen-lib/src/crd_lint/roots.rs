//! Where each schema of a CRD is, as the apiserver names it. The apiserver converts a v1 CRD to
//! its internal form before validating it, and that conversion moves a schema (and
//! `selectableFields`) that every version shares to the top (`spec.validation`,
//! `spec.selectableFields`): its errors then name the shared copy once, otherwise each version's
//! own (`spec.versions[i].schema.openAPIV3Schema`). (`Convert_v1_CustomResourceDefinitionSpec_To_
//! apiextensions_CustomResourceDefinitionSpec` in k8s.io/apiextensions-apiserver.)

use serde_json::Value;

use super::api_path::ApiPath;

/// One schema to check: its root and the apiserver's path of it.
pub(crate) struct SchemaRoot<'a> {
    /// `spec.validation.openAPIV3Schema` or `spec.versions[i].schema.openAPIV3Schema`.
    pub path: ApiPath,
    /// The `openAPIV3Schema`.
    pub schema: &'a Value,
}

/// One `selectableFields` list to check, with the schema its paths point into.
pub(crate) struct SelectableRoot<'a> {
    /// `spec.selectableFields` or `spec.versions[i].selectableFields`.
    pub path: ApiPath,
    /// The list.
    pub fields: &'a [Value],
    /// The schema of (the first of) its versions.
    pub schema: Option<&'a Value>,
}

fn versions(crd: &Value) -> &[Value] {
    crd.pointer("/spec/versions")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The member `pointer` of every version, `Some` when all versions have an equal one.
fn shared<'a>(versions: &'a [Value], pointer: &str) -> Option<&'a Value> {
    let first = versions.first()?.pointer(pointer)?;
    versions
        .iter()
        .all(|v| v.pointer(pointer) == Some(first))
        .then_some(first)
}

/// Every schema of the CRD, once per distinct place the apiserver reports on.
pub(crate) fn schema_roots(crd: &Value) -> Vec<SchemaRoot<'_>> {
    let versions = versions(crd);
    if let Some(schema) = crd.pointer("/spec/validation/openAPIV3Schema") {
        return vec![SchemaRoot {
            path: ApiPath::new("spec.validation.openAPIV3Schema"),
            schema,
        }];
    }
    if let Some(schema) = shared(versions, "/schema/openAPIV3Schema") {
        return vec![SchemaRoot {
            path: ApiPath::new("spec.validation.openAPIV3Schema"),
            schema,
        }];
    }
    versions
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            Some(SchemaRoot {
                path: ApiPath::new("spec.versions")
                    .index(i)
                    .child("schema")
                    .child("openAPIV3Schema"),
                schema: v.pointer("/schema/openAPIV3Schema")?,
            })
        })
        .collect()
}

/// Every `selectableFields` list, shared or per version.
pub(crate) fn selectable_roots(crd: &Value) -> Vec<SelectableRoot<'_>> {
    let versions = versions(crd);
    if let Some(Value::Array(fields)) = shared(versions, "/selectableFields") {
        return vec![SelectableRoot {
            path: ApiPath::new("spec.selectableFields"),
            fields,
            schema: versions
                .first()
                .and_then(|v| v.pointer("/schema/openAPIV3Schema")),
        }];
    }
    versions
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            Some(SelectableRoot {
                path: ApiPath::new("spec.versions")
                    .index(i)
                    .child("selectableFields"),
                fields: v.get("selectableFields")?.as_array()?,
                schema: v.pointer("/schema/openAPIV3Schema"),
            })
        })
        .collect()
}
