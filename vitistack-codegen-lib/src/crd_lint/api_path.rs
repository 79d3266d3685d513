//! Paths in the apiserver's form (`field.Path` of k8s.io/apimachinery), as its CRD validation
//! errors print them: `spec.validation.openAPIV3Schema.properties[spec].items.default`.

/// A path of the CRD as the apiserver prints it: child names joined with `.`, map keys and
/// list indices in brackets (`properties[spec]`, `x-kubernetes-validations[0]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiPath(String);

impl ApiPath {
    /// A path from its text, e.g. `spec.validation.openAPIV3Schema`.
    pub fn new(text: impl Into<String>) -> Self {
        ApiPath(text.into())
    }

    /// `self.name` (a struct field: `items`, `default`, `x-kubernetes-validations`).
    pub fn child(&self, name: &str) -> Self {
        if self.0.is_empty() {
            ApiPath(name.to_owned())
        } else {
            ApiPath(format!("{}.{name}", self.0))
        }
    }

    /// `self[key]` (a map member, unquoted as `field.Path.Key` prints it).
    pub fn key(&self, key: &str) -> Self {
        ApiPath(format!("{}[{key}]", self.0))
    }

    /// `self[index]`.
    pub fn index(&self, index: usize) -> Self {
        ApiPath(format!("{}[{index}]", self.0))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ApiPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
