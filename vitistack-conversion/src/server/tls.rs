//! The webhook's certificate, reloaded from disk when its files change (cert-manager and
//! kubelet rotate Secret-mounted files in place), without a restart.

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Why a certificate and key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// A file could not be read or parsed.
    #[error("{path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The key does not belong to the certificate, or is of an unsupported type.
    #[error("{cert} and {key}: {reason}")]
    Pair {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// rustls's message.
        reason: String,
    },
}

/// What identifies one version of the files: modification time, length and inode of each (the
/// inode catches a rename into place within the file system's mtime resolution).
type Stamp = [(Option<SystemTime>, u64, u64); 2];

#[derive(Debug)]
struct Loaded {
    stamp: Stamp,
    key: Arc<CertifiedKey>,
}

/// A certificate resolver that checks the files' stamps on every TLS handshake and loads them
/// again when they changed. A half-written pair (the key not yet matching the certificate) keeps
/// the previous pair in use until both files agree.
#[derive(Debug)]
pub struct ReloadingCert {
    cert_path: PathBuf,
    key_path: PathBuf,
    provider: Arc<CryptoProvider>,
    loaded: Mutex<Loaded>,
}

impl ReloadingCert {
    /// Loads the PEM certificate chain and PEM private key; fails when either is unusable.
    pub fn new(
        cert_path: &Path,
        key_path: &Path,
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, CertError> {
        let stamp = stamp(cert_path, key_path);
        let key = load(cert_path, key_path, &provider)?;
        Ok(ReloadingCert {
            cert_path: cert_path.to_path_buf(),
            key_path: key_path.to_path_buf(),
            provider,
            loaded: Mutex::new(Loaded {
                stamp,
                key: Arc::new(key),
            }),
        })
    }

    /// The pair in use, after loading the files again if they changed.
    pub fn current(&self) -> Arc<CertifiedKey> {
        let now = stamp(&self.cert_path, &self.key_path);
        // A poisoned lock only means a panic elsewhere mid-update; the data is still a valid pair.
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        if now != loaded.stamp {
            if let Ok(key) = load(&self.cert_path, &self.key_path, &self.provider) {
                *loaded = Loaded {
                    stamp: now,
                    key: Arc::new(key),
                };
            }
        }
        loaded.key.clone()
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _client_hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current())
    }
}

fn stamp(cert: &Path, key: &Path) -> Stamp {
    let one = |p: &Path| match std::fs::metadata(p) {
        Ok(m) => (m.modified().ok(), m.len(), inode(&m)),
        Err(_) => (None, 0, 0),
    };
    [one(cert), one(key)]
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_meta: &std::fs::Metadata) -> u64 {
    0
}

fn load(
    cert_path: &Path,
    key_path: &Path,
    provider: &CryptoProvider,
) -> Result<CertifiedKey, CertError> {
    let file_err = |path: &Path, reason: String| CertError::File {
        path: path.to_path_buf(),
        reason,
    };
    let certs = CertificateDer::pem_file_iter(cert_path)
        .map_err(|e| file_err(cert_path, e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| file_err(cert_path, e.to_string()))?;
    if certs.is_empty() {
        return Err(file_err(cert_path, "no CERTIFICATE in the file".into()));
    }
    let key =
        PrivateKeyDer::from_pem_file(key_path).map_err(|e| file_err(key_path, e.to_string()))?;
    CertifiedKey::from_der(certs, key, provider).map_err(|e| CertError::Pair {
        cert: cert_path.to_path_buf(),
        key: key_path.to_path_buf(),
        reason: e.to_string(),
    })
}
