//! Dotted JSON paths such as `spec.versions[0].schema.openAPIV3Schema.properties.spec`.

/// A dotted JSON path, built up while walking a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct JsonPath(String);

impl JsonPath {
    /// The empty path (the document root).
    pub(crate) fn root() -> Self {
        JsonPath(String::new())
    }

    /// The path of member `key` of the object at this path. Keys that are not plain
    /// identifiers are written as `["key"]` (JSON-quoted).
    pub(crate) fn key(&self, key: &str) -> Self {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
        let mut s = self.0.clone();
        if plain {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(key);
        } else {
            s.push('[');
            s.push_str(&serde_json::Value::String(key.to_owned()).to_string());
            s.push(']');
        }
        JsonPath(s)
    }

    /// The path of element `index` of the array at this path.
    pub(crate) fn index(&self, index: usize) -> Self {
        JsonPath(format!("{}[{index}]", self.0))
    }

    /// The path as text; the root is written as `.`.
    pub(crate) fn render(&self) -> String {
        if self.0.is_empty() {
            ".".to_owned()
        } else {
            self.0.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::JsonPath;

    #[test]
    fn renders_keys_and_indexes() {
        let p = JsonPath::root()
            .key("spec")
            .key("versions")
            .index(0)
            .key("a.b")
            .key("x-y");
        assert_eq!(p.render(), "spec.versions[0][\"a.b\"].x-y");
        assert_eq!(JsonPath::root().render(), ".");
    }
}
