//! The checks `vitistack_derive::versions!` runs over the versions of a kind, as `const fn`s:
//! the macro calls [`version_problem`] for each version (at its type) and [`set_problem`] once
//! (at the marker) in `const` items and panics with the message, so a mistake is a compile error
//! naming the versions that disagree and on what.
//!
//! Why at compile time: the apiserver refuses two storage versions or none only when the CRD is
//! installed, and a version with another group is accepted there as a different resource.

use super::versions::CrdVersion;
use super::Scope;

/// What the checks read about one version, from its type's constants.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct VersionInfo {
    /// The type as written in `versions!`, e.g. `v1beta1::Widget`.
    path: &'static str,
    group: &'static str,
    kind: &'static str,
    plural: &'static str,
    scope: Scope,
    version: &'static str,
    storage: bool,
    served: bool,
}

impl VersionInfo {
    /// The facts of version `K`, written in `versions!` as `path`.
    pub const fn of<K: CrdVersion>(path: &'static str) -> Self {
        VersionInfo {
            path,
            group: K::GROUP,
            kind: K::KIND,
            plural: K::PLURAL,
            scope: K::SCOPE,
            version: K::VERSION,
            storage: K::STORAGE,
            served: K::SERVED,
        }
    }
}

/// The storage version's name (the first marked storage; `set_problem` makes sure there is one).
#[doc(hidden)]
pub const fn storage_version(versions: &[VersionInfo]) -> &'static str {
    let mut i = 0;
    while i < versions.len() {
        if versions[i].storage {
            return versions[i].version;
        }
        i += 1;
    }
    ""
}

/// The first mistake of version `this` against the versions listed before it in `versions!`
/// (the kind's marker `name`), as the message of a compile error: another group, kind, plural or
/// scope than the first, or the version name of an earlier one. `None` when it fits.
#[doc(hidden)]
pub const fn version_problem(
    name: &str,
    earlier: &[VersionInfo],
    this: &VersionInfo,
) -> Option<Message> {
    let Some(first) = earlier.first() else {
        return None;
    };
    if let Some(m) = disagreement(name, first, this) {
        return Some(m);
    }
    let mut i = 0;
    while i < earlier.len() {
        if str_eq(earlier[i].version, this.version) {
            let m = Message::new(name)
                .push(earlier[i].path)
                .push(" and ")
                .push(this.path)
                .push(" are both version \"")
                .push(this.version)
                .push("\"; each version appears once");
            return Some(m);
        }
        i += 1;
    }
    None
}

/// The first mistake of the versions of kind `name` taken together (not exactly one storage
/// version, none served), as the message of a compile error; `None` when there is none.
#[doc(hidden)]
pub const fn set_problem(name: &str, versions: &[VersionInfo]) -> Option<Message> {
    if let Some(m) = storage_count(name, versions) {
        return Some(m);
    }
    if !any_served(versions) {
        return Some(Message::new(name).push(
            "no version is served; the kind would be unreachable (remove `served = false` from one)",
        ));
    }
    None
}

/// Group, kind, plural or scope of `other` differs from `first`'s.
const fn disagreement(name: &str, first: &VersionInfo, other: &VersionInfo) -> Option<Message> {
    let fields: [(&str, &str, &str); 4] = [
        ("group", first.group, other.group),
        ("kind", first.kind, other.kind),
        ("plural", first.plural, other.plural),
        ("scope", scope_name(first.scope), scope_name(other.scope)),
    ];
    let mut f = 0;
    while f < fields.len() {
        let (field, expected, found) = fields[f];
        if !str_eq(expected, found) {
            let m = Message::new(name)
                .push(other.path)
                .push(" has ")
                .push(field)
                .push(" \"")
                .push(found)
                .push("\" but ")
                .push(first.path)
                .push(" has \"")
                .push(expected)
                .push("\"; every version of a kind has the same group, kind, plural and scope");
            return Some(m);
        }
        f += 1;
    }
    None
}

/// Not exactly one version marked `#[crd(storage)]`; the message lists the marked ones.
const fn storage_count(name: &str, versions: &[VersionInfo]) -> Option<Message> {
    let mut marked = Message::new("");
    let mut count = 0;
    let mut i = 0;
    while i < versions.len() {
        if versions[i].storage {
            if count > 0 {
                marked = marked.push(", ");
            }
            marked = marked.push(versions[i].path);
            count += 1;
        }
        i += 1;
    }
    match count {
        1 => None,
        0 => Some(
            Message::new(name)
                .push("no version is the storage version; mark exactly one with #[crd(storage)]"),
        ),
        _ => Some(
            Message::new(name)
                .push("more than one storage version (")
                .push(marked.as_str())
                .push("); mark exactly one with #[crd(storage)]"),
        ),
    }
}

const fn any_served(versions: &[VersionInfo]) -> bool {
    let mut i = 0;
    while i < versions.len() {
        if versions[i].served {
            return true;
        }
        i += 1;
    }
    false
}

const fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Namespaced => "Namespaced",
        Scope::Cluster => "Cluster",
    }
}

/// `a == b`, usable in a `const fn` (`PartialEq` is not).
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Room for a message: paths and names are short, and a longer one is cut at a character.
const CAPACITY: usize = 1024;

/// A compile error's text, built in a `const fn` (no allocation there).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Message {
    bytes: [u8; CAPACITY],
    len: usize,
}

impl Message {
    /// `versions!(name): `, the prefix that says which macro call is wrong.
    const fn new(name: &str) -> Self {
        let empty = Message {
            bytes: [0; CAPACITY],
            len: 0,
        };
        if name.is_empty() {
            return empty;
        }
        empty.push("versions!(").push(name).push("): ")
    }

    /// Appends `text`, as much of it as fits, ending on a character boundary.
    const fn push(mut self, text: &str) -> Self {
        let text = text.as_bytes();
        let mut i = 0;
        while i < text.len() && self.len < CAPACITY {
            let start_of_char = text[i] & 0xC0 != 0x80;
            if start_of_char && self.len + char_len(text[i]) > CAPACITY {
                break;
            }
            self.bytes[self.len] = text[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// The text.
    pub const fn as_str(&self) -> &str {
        match core::str::from_utf8(self.bytes.split_at(self.len).0) {
            Ok(text) => text,
            // `push` copies whole characters only.
            Err(_) => "",
        }
    }
}

/// The length of the UTF-8 character whose first byte is `b`.
const fn char_len(b: u8) -> usize {
    match b.leading_ones() {
        0 => 1,
        n => n as usize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_message_is_cut_at_a_character() {
        let long = "é".repeat(CAPACITY);
        let m = Message::new("").push("a").push(&long);
        assert_eq!(m.as_str().len(), CAPACITY - 1);
        assert!(m.as_str().starts_with("aé"));
    }

    #[test]
    fn strings_compare_by_every_byte() {
        assert!(str_eq("v1beta1", "v1beta1"));
        assert!(!str_eq("v1beta1", "v1beta2"));
        assert!(!str_eq("v1beta1", "v1beta"));
    }
}
