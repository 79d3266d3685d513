//! What the loader reports: every schema node it cannot take, at the apiserver's path.

/// One node of a schema the loader refuses: not structural, or not something the model holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", if path.is_empty() { "<root>" } else { path.as_str() })]
pub struct LoadError {
    /// Where, as the apiserver writes a schema path below `openAPIV3Schema`
    /// (`properties[spec].properties[replicas].minimum`); empty for the schema itself. The CRD
    /// reader prefixes it with the version's place (`spec.versions[0].schema.openAPIV3Schema.`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Every [`LoadError`] of one schema (never empty when returned as an error).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoadErrors(pub Vec<LoadError>);

impl LoadErrors {
    /// The errors, in schema order.
    pub fn iter(&self) -> std::slice::Iter<'_, LoadError> {
        self.0.iter()
    }

    /// Each error's path with `prefix` in front (joined with a dot).
    pub fn prefixed(self, prefix: &str) -> LoadErrors {
        LoadErrors(
            self.0
                .into_iter()
                .map(|e| LoadError {
                    path: join(prefix, &e.path),
                    message: e.message,
                })
                .collect(),
        )
    }
}

impl std::fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

impl IntoIterator for LoadErrors {
    type Item = LoadError;
    type IntoIter = std::vec::IntoIter<LoadError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// `a.b`, or either alone when the other is empty.
pub(super) fn join(path: &str, segment: &str) -> String {
    match (path.is_empty(), segment.is_empty()) {
        (true, _) => segment.to_string(),
        (_, true) => path.to_string(),
        _ => format!("{path}.{segment}"),
    }
}
