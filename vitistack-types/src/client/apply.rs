//! Server-side apply: of a whole object (also one just read from the server), of only the
//! fields the caller manages, non-forced by default (conflicts come back naming each field and
//! its manager) or forced, as a controller that owns the object does.

use super::error::ApplyConflicts;
use super::{Error, Kind, VitiClient, DEFAULT_FIELD_MANAGER};
use crate::crd::CustomResourceKind;
use crate::report::{ErrorKind, FieldError, ValidationErrors};
use crate::validate::{check_value, Options, CEL_SKIPPED};
use kube::api::{Patch, PatchParams};
use serde_json::{Map, Value};

/// Metadata the server sets: sent in an apply they are refused (`managedFields`) or turn into
/// preconditions (`resourceVersion`, `uid`), so an object as read must not carry them.
const SERVER_SET_METADATA: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

/// The apply configuration of an object: without the metadata the server sets and without
/// `status` (written through the status subresource, never by an apply of the object).
pub(crate) fn apply_configuration(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.remove("status");
        if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            for field in SERVER_SET_METADATA {
                metadata.remove(*field);
            }
        }
    }
    value
}

/// Checks a partial object against the schema of `K` as far as a partial object can be
/// checked: types, formats, enums, bounds, patterns and unknown fields of every field that is
/// set. Missing required fields are not errors (another manager may own them), and when a
/// required field is missing the cross-field rules are left to the API server.
pub(crate) fn validate_partial<K: CustomResourceKind>(
    value: &Value,
) -> Result<(), ValidationErrors> {
    let report: Vec<FieldError> = check_value(K::root_schema(), value, Options::default())
        .into_iter()
        .filter(|e| e.kind != ErrorKind::Required && e.detail != CEL_SKIPPED)
        .collect();
    ValidationErrors::result(report)
}

impl VitiClient {
    /// Server-side applies `object` with this client's field manager (after `validate()`),
    /// **without forcing**: if another manager (a person's `kubectl edit`, another controller)
    /// owns a field with a different value, nothing changes and [`Error::ApplyConflict`] names
    /// each such field and its manager. Fields this manager applied before and leaves out now
    /// are removed. Fields this client itself wrote with [`VitiClient::create`] (same field
    /// manager) are no conflict: the apply takes them over, but only under a field manager
    /// name set with [`VitiClient::with_field_manager`]; under the shared
    /// [`DEFAULT_FIELD_MANAGER`] they come back as [`Error::ApplyConflict`] (another tool that
    /// did not set a name writes under it too).
    ///
    /// `object` may be one just read from the server: the metadata the server sets
    /// (`managedFields`, `resourceVersion`, `uid`, ...) and `status` are left out of the apply.
    pub async fn apply<K: Kind>(&self, namespace: &str, object: &K) -> Result<K, Error> {
        self.apply_object(namespace, object, false).await
    }

    /// [`VitiClient::apply`], forcing: takes over fields other managers own. For a controller
    /// that owns the object; an operator that owns a few fields should use
    /// [`VitiClient::apply_partial`] instead.
    pub async fn apply_forced<K: Kind>(&self, namespace: &str, object: &K) -> Result<K, Error> {
        self.apply_object(namespace, object, true).await
    }

    /// Server-side applies only the fields in `fields` (an apply configuration: a partial
    /// object of kind `K`, e.g. `{"spec": {"qos": {"priority": 3}}}`), without forcing.
    /// `apiVersion`, `kind`, `metadata.name` and `metadata.namespace` are filled in. The fields
    /// are validated as far as a partial object can be (see [`VitiClient::apply`] for
    /// conflicts): every field that is set is checked against the schema, missing required
    /// fields are left to the server.
    pub async fn apply_partial<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        fields: &Value,
    ) -> Result<K, Error> {
        self.apply_fields::<K>(namespace, name, fields, false).await
    }

    /// [`VitiClient::apply_partial`], forcing (takes over the fields from other managers).
    pub async fn apply_partial_forced<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        fields: &Value,
    ) -> Result<K, Error> {
        self.apply_fields::<K>(namespace, name, fields, true).await
    }

    async fn apply_object<K: Kind>(
        &self,
        namespace: &str,
        object: &K,
        force: bool,
    ) -> Result<K, Error> {
        self.check(object)?;
        let name = object.meta().name.clone().ok_or(Error::MissingName)?;
        let value = serde_json::to_value(object).map_err(|e| not_encodable(&e))?;
        self.send_apply(namespace, &name, &apply_configuration(value), force)
            .await
    }

    async fn apply_fields<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        fields: &Value,
        force: bool,
    ) -> Result<K, Error> {
        let Some(map) = fields.as_object() else {
            return Err(Error::Invalid(ValidationErrors::from(vec![
                FieldError::new(
                    "",
                    ErrorKind::TypeInvalid,
                    Some(fields),
                    "must be of type object",
                ),
            ])));
        };
        let mut object: Map<String, Value> = map.clone();
        object.insert("apiVersion".into(), K::API_VERSION.into());
        object.insert("kind".into(), K::KIND.into());
        let metadata = object
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(metadata) = metadata.as_object_mut() {
            metadata.insert("name".into(), name.into());
            metadata.insert("namespace".into(), namespace.into());
        }
        let object = apply_configuration(Value::Object(object));
        if self.validate {
            validate_partial::<K>(&object).map_err(Error::Invalid)?;
        }
        self.send_apply(namespace, name, &object, force).await
    }

    async fn send_apply<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        body: &Value,
        force: bool,
    ) -> Result<K, Error> {
        self.send_apply_to(namespace, name, body, force, Endpoint::Object)
            .await
    }

    /// Sends an apply of `body` to `endpoint`, with this client's field manager.
    pub(crate) async fn send_apply_to<K: Kind>(
        &self,
        namespace: &str,
        name: &str,
        body: &Value,
        force: bool,
        endpoint: Endpoint,
    ) -> Result<K, Error> {
        let mut params = PatchParams::apply(&self.field_manager);
        params.force = force;
        let api = self.api::<K>(namespace);
        match endpoint.patch(&api, name, &params, body).await {
            Ok(object) => Ok(object),
            Err(kube::Error::Api(status)) => match ApplyConflicts::from_status(&status) {
                // Fields this client wrote with create or replace (an `Update` entry under the
                // same manager name) conflict with its own apply: taking them over moves them
                // from one of its entries to the other and overrides nobody else. Not under
                // the shared default name, which other tools may use too.
                Some(conflicts) if self.owns_every_conflict(&conflicts) => {
                    params.force = true;
                    Ok(endpoint.patch(&api, name, &params, body).await?)
                }
                Some(conflicts) => Err(Error::ApplyConflict(conflicts)),
                None => Err(Error::Kube(kube::Error::Api(status))),
            },
            Err(error) => Err(error.into()),
        }
    }
}

/// Where an apply goes: the object, or its status subresource.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Endpoint {
    /// The object (`status` is ignored there when the kind has a status subresource).
    Object,
    /// The status subresource (only `status` is written).
    Status,
}

impl Endpoint {
    async fn patch<K: Kind>(
        self,
        api: &kube::Api<K>,
        name: &str,
        params: &PatchParams,
        body: &Value,
    ) -> Result<K, kube::Error> {
        match self {
            Endpoint::Object => api.patch(name, params, &Patch::Apply(body)).await,
            Endpoint::Status => api.patch_status(name, params, &Patch::Apply(body)).await,
        }
    }
}

impl VitiClient {
    /// Whether every conflicting field is this client's own, under a field manager name of its
    /// own: [`DEFAULT_FIELD_MANAGER`] is shared by every tool that did not set one, so a
    /// conflict under it may be another tool's field and is never forced.
    pub(crate) fn owns_every_conflict(&self, conflicts: &ApplyConflicts) -> bool {
        self.field_manager != DEFAULT_FIELD_MANAGER
            && conflicts
                .conflicts
                .iter()
                .all(|c| c.manager == self.field_manager)
    }
}

fn not_encodable(error: &serde_json::Error) -> Error {
    Error::Invalid(ValidationErrors::from(vec![FieldError::new(
        "",
        ErrorKind::Invalid,
        None,
        format!("cannot be serialised: {error}"),
    )]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::Machine;
    use serde_json::json;

    #[test]
    fn a_read_object_loses_server_set_metadata_and_status() {
        let read = json!({"metadata": {"name": "m", "resourceVersion": "7", "uid": "u",
            "managedFields": [{}], "generation": 2, "labels": {"a": "b"}},
            "spec": {"x": 1}, "status": {"y": 2}});
        assert_eq!(
            apply_configuration(read),
            json!({"metadata": {"name": "m", "labels": {"a": "b"}}, "spec": {"x": 1}})
        );
    }

    #[test]
    fn a_partial_object_is_checked_for_what_it_sets() {
        let base = json!({"apiVersion": "vitistack.io/v1alpha1", "kind": "Machine",
            "metadata": {"name": "m", "namespace": "n"}});
        let mut ok = base.clone();
        ok["spec"] = json!({"resources": {"cpu": {"cores": 4}}});
        assert!(validate_partial::<Machine>(&ok).is_ok());
        let mut bad = base;
        bad["spec"] = json!({"resources": {"cpu": {"cores": 200}}});
        let errors = validate_partial::<Machine>(&bad).expect_err("out of range");
        assert_eq!(errors.paths(), vec!["spec.resources.cpu.cores"]);
    }
}
