//! Field paths in the apiserver's form: `spec.networking.interfaces[0].macAddress`.

use std::fmt;

/// A growable field path. Push a segment, check, then truncate back to the returned mark, so a
/// walk over a large object allocates one string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path {
    buf: String,
}

impl Path {
    /// The empty path (the object root).
    pub fn root() -> Self {
        Path::default()
    }

    /// A path from its text form.
    pub fn from_text(text: &str) -> Self {
        Path {
            buf: text.to_string(),
        }
    }

    /// Appends `.name` (or `name` at the root); returns the mark to truncate back to.
    pub fn push_field(&mut self, name: &str) -> usize {
        let mark = self.buf.len();
        if !self.buf.is_empty() {
            self.buf.push('.');
        }
        self.buf.push_str(name);
        mark
    }

    /// Appends `[index]`; returns the mark.
    pub fn push_index(&mut self, index: usize) -> usize {
        let mark = self.buf.len();
        use fmt::Write;
        let _ = write!(self.buf, "[{index}]");
        mark
    }

    /// Appends a map key; returns the mark. The apiserver's schema errors name a map value like
    /// a field (`spec.workers[0].labels.node.kubernetes.io/pool`), so this does too.
    pub fn push_key(&mut self, key: &str) -> usize {
        self.push_field(key)
    }

    /// Appends `[key]`, as Go's `field.Path.Key` (a CEL `fieldPath` through a map); returns the
    /// mark.
    pub fn push_bracketed_key(&mut self, key: &str) -> usize {
        let mark = self.buf.len();
        self.buf.push('[');
        self.buf.push_str(key);
        self.buf.push(']');
        mark
    }

    /// Appends a relative dotted path such as `.ipam.gateway` (a CEL `fieldPath`); returns the mark.
    pub fn push_relative(&mut self, relative: &str) -> usize {
        let mark = self.buf.len();
        for segment in relative.split('.').filter(|s| !s.is_empty()) {
            self.push_field(segment);
        }
        mark
    }

    /// Cuts the path back to a mark returned by a `push_*` call.
    pub fn truncate(&mut self, mark: usize) {
        self.buf.truncate(mark);
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.buf
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.buf)
    }
}
