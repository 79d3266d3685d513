//! The CRD's `spec.conversion`: `strategy: Webhook`, `conversionReviewVersions: ["v1"]`, and the
//! webhook's address as a Service (the reference's form) or a URL, with the CA bundle that signed
//! its certificate.

use base64_lite::encode as base64;
use serde_json::{json, Value};

/// The reference's Service name for the conversion webhook.
pub const SERVICE_NAME: &str = "vitistack-conversion-webhook";
/// The reference's namespace for it.
pub const SERVICE_NAMESPACE: &str = "vitistack-system";
/// The reference's path.
pub const SERVICE_PATH: &str = "/convert";

/// Where the apiserver reaches the webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookAddress {
    /// A Service in the cluster.
    Service {
        /// Service name.
        name: String,
        /// Its namespace.
        namespace: String,
        /// The HTTP path.
        path: String,
        /// The port (443 when `None`).
        port: Option<u16>,
    },
    /// A URL (`https://host:port/path`), e.g. a webhook outside the cluster.
    Url(String),
}

impl WebhookAddress {
    /// The reference's Service: `vitistack-conversion-webhook` in `vitistack-system`, `/convert`.
    pub fn reference_service() -> Self {
        WebhookAddress::Service {
            name: SERVICE_NAME.to_string(),
            namespace: SERVICE_NAMESPACE.to_string(),
            path: SERVICE_PATH.to_string(),
            port: None,
        }
    }
}

/// `spec.conversion` for a webhook at `address`; `ca_bundle_pem` (the PEM bytes of the CA, as
/// read from its file) becomes the base64 `caBundle`.
pub fn webhook_conversion(address: &WebhookAddress, ca_bundle_pem: Option<&[u8]>) -> Value {
    let mut client_config = match address {
        WebhookAddress::Service {
            name,
            namespace,
            path,
            port,
        } => {
            let mut service = json!({ "name": name, "namespace": namespace, "path": path });
            if let Some(port) = port {
                service["port"] = json!(port);
            }
            json!({ "service": service })
        }
        WebhookAddress::Url(url) => json!({ "url": url }),
    };
    if let Some(pem) = ca_bundle_pem {
        client_config["caBundle"] = json!(base64(pem));
    }
    json!({
        "strategy": "Webhook",
        "webhook": {
            "conversionReviewVersions": ["v1"],
            "clientConfig": client_config,
        }
    })
}

/// Sets `spec.conversion` of `crd`.
pub fn with_webhook(
    mut crd: Value,
    address: &WebhookAddress,
    ca_bundle_pem: Option<&[u8]>,
) -> Value {
    crd["spec"]["conversion"] = webhook_conversion(address, ca_bundle_pem);
    crd
}

/// Standard base64 (RFC 4648 with padding), all `caBundle` needs; no extra dependency.
mod base64_lite {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_lite::encode(input.as_bytes()), expected, "{input}");
        }
    }

    #[test]
    fn reference_service_form() {
        let conversion = webhook_conversion(&WebhookAddress::reference_service(), Some(b"CA"));
        assert_eq!(
            conversion,
            json!({"strategy": "Webhook", "webhook": {"conversionReviewVersions": ["v1"], "clientConfig": {
                "service": {"name": "vitistack-conversion-webhook", "namespace": "vitistack-system", "path": "/convert"},
                "caBundle": "Q0E="}}})
        );
    }

    #[test]
    fn url_form_without_ca() {
        let conversion = webhook_conversion(
            &WebhookAddress::Url("https://127.0.0.1:9443/convert".into()),
            None,
        );
        assert_eq!(
            conversion["webhook"]["clientConfig"],
            json!({"url": "https://127.0.0.1:9443/convert"})
        );
    }
}
