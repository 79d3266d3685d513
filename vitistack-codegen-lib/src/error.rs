//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong outside of lint findings and drift: I/O, unparsable YAML,
/// artifacts that cannot be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file or directory failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A YAML text could not be parsed.
    #[error("{source_name}: invalid YAML: {message}")]
    YamlParse {
        /// The file name (or `<stdin>`, or whatever the caller passed as source name).
        source_name: String,
        /// 1-based line of the problem in the whole text, if known.
        line: Option<u64>,
        /// 1-based column of the problem, if known.
        column: Option<u64>,
        /// What is wrong (includes the line and column when known).
        message: String,
    },
    /// A value could not be written as YAML.
    #[error("cannot write YAML: {0}")]
    YamlEmit(String),
    /// A value could not be written as JSON.
    #[error("cannot write JSON: {0}")]
    JsonEmit(#[from] serde_json::Error),
    /// A CRD or JSON Schema given to [`crate::render()`] lacks what is needed to name its file.
    #[error("{what}: {message}")]
    InvalidArtifact {
        /// Which artifact (e.g. `CRD #2 (machines.vitistack.io)`).
        what: String,
        /// What is wrong with it.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
