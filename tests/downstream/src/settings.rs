//! The operator binary's settings, from its environment (what a Deployment sets):
//!
//! * the namespace: `$NAMESPACE` if set, else the Pod's own, read from the ServiceAccount's
//!   namespace file (`/var/run/secrets/kubernetes.io/serviceaccount/namespace`, another path in
//!   `$NAMESPACE_FILE`); neither is an error, never a silent `default`;
//! * the identity: `$POD_NAME`, else `$HOSTNAME`;
//! * `$LISTEN_ADDRESS` of `/healthz`, `/readyz` and `/metrics` (default `0.0.0.0:8080`);
//! * `$LOG_FORMAT`: `json` for one JSON object per line, `text` (default) for people.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Where Kubernetes mounts the namespace of a Pod's ServiceAccount.
pub const SERVICE_ACCOUNT_NAMESPACE_FILE: &str =
    "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

/// Everything the binary reads from its environment.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The namespace to reconcile in.
    pub namespace: String,
    /// This replica's identity in the election.
    pub identity: String,
    /// Where the endpoints listen.
    pub listen: SocketAddr,
    /// JSON logs instead of text.
    pub json_logs: bool,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No `$NAMESPACE` and no readable namespace file.
    #[error("no namespace: $NAMESPACE is not set and {path} cannot be read ({reason}); outside a Pod, set $NAMESPACE")]
    NoNamespace {
        /// The namespace file tried.
        path: PathBuf,
        /// Why it could not be read.
        reason: String,
    },
    /// No `$POD_NAME` and no `$HOSTNAME`.
    #[error("no identity: set $POD_NAME (the Deployment sets it from metadata.name)")]
    NoIdentity,
    /// `$LISTEN_ADDRESS` is no `host:port`.
    #[error("$LISTEN_ADDRESS={0:?} is not an address like 0.0.0.0:8080")]
    Listen(String),
    /// `$LOG_FORMAT` is neither `json` nor `text`.
    #[error("$LOG_FORMAT={0:?} is neither json nor text")]
    LogFormat(String),
}

impl Settings {
    /// The settings from the process environment.
    pub fn from_env() -> Result<Settings, Error> {
        Settings::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// The settings from `var` (an environment lookup).
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Settings, Error> {
        let namespace = match var("NAMESPACE") {
            Some(namespace) => namespace,
            None => {
                let path = var("NAMESPACE_FILE").map_or_else(
                    || PathBuf::from(SERVICE_ACCOUNT_NAMESPACE_FILE),
                    PathBuf::from,
                );
                read_namespace(&path)?
            }
        };
        let identity = var("POD_NAME")
            .or_else(|| var("HOSTNAME"))
            .ok_or(Error::NoIdentity)?;
        let listen = var("LISTEN_ADDRESS").unwrap_or_else(|| "0.0.0.0:8080".into());
        let listen = listen.parse().map_err(|_| Error::Listen(listen))?;
        let json_logs = match var("LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => return Err(Error::LogFormat(other.into())),
        };
        Ok(Settings {
            namespace,
            identity,
            listen,
            json_logs,
        })
    }
}

fn read_namespace(path: &Path) -> Result<String, Error> {
    let no_namespace = |reason: String| Error::NoNamespace {
        path: path.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| no_namespace(e.to_string()))?;
    let namespace = text.trim();
    if namespace.is_empty() {
        return Err(no_namespace("it is empty".into()));
    }
    Ok(namespace.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_namespace_comes_from_the_service_account_file() {
        let dir = std::env::temp_dir().join(format!("settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("namespace");
        std::fs::write(&file, "team-a\n").expect("write");
        let path = file.to_string_lossy().into_owned();
        let got = settings(&[("NAMESPACE_FILE", &path), ("POD_NAME", "op-0")]).expect("settings");
        assert_eq!(got.namespace, "team-a");
        assert_eq!(got.identity, "op-0");
        assert!(!got.json_logs);
        let got = settings(&[
            ("NAMESPACE_FILE", &path),
            ("NAMESPACE", "b"),
            ("HOSTNAME", "h"),
        ])
        .expect("settings");
        assert_eq!((got.namespace.as_str(), got.identity.as_str()), ("b", "h"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn no_namespace_is_an_error_not_default() {
        let missing = settings(&[
            ("NAMESPACE_FILE", "/nonexistent/namespace"),
            ("POD_NAME", "p"),
        ]);
        let error = missing.expect_err("no namespace");
        assert!(
            error.to_string().contains("/nonexistent/namespace"),
            "{error}"
        );
    }

    #[test]
    fn bad_values_are_named() {
        let base = [("NAMESPACE", "n"), ("POD_NAME", "p")];
        let with = |extra: (&'static str, &'static str)| {
            let mut vars = base.to_vec();
            vars.push(extra);
            settings(&vars).expect_err("refused").to_string()
        };
        assert!(with(("LOG_FORMAT", "xml")).contains("LOG_FORMAT"));
        assert!(with(("LISTEN_ADDRESS", "eighty")).contains("LISTEN_ADDRESS"));
        assert!(settings(&[("NAMESPACE", "n")]).is_err(), "no identity");
    }
}
