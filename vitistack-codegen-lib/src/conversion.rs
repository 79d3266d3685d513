//! `spec.conversion` for CRD files: the conversion webhook stanza (`strategy: Webhook`,
//! `conversionReviewVersions: ["v1"]`, the reference's Service or a URL) with a `caBundle` read
//! from a PEM file, the way cert-manager's cainjector fills it in.
//!
//! [`example`] is the two-version example kind `vitistack-codegen conversion --example` prints.

pub mod example;

use crate::error::Error;
use crate::yaml::{parse_documents, to_yaml_multi};
use serde_json::Value;
use vitistack_conversion::stanza::{with_webhook, WebhookAddress};

/// What [`add_webhook_conversion`] produced.
#[derive(Debug)]
pub struct Converted {
    /// The stream again, every CRD with the stanza (keys sorted, as every generated file).
    pub output: String,
    /// How many CRDs got the stanza.
    pub crds: usize,
}

/// Sets `spec.conversion` of every CustomResourceDefinition in the YAML stream `text` (other
/// documents are kept as they are). `source` names the stream in errors.
pub fn add_webhook_conversion(
    text: &str,
    source: &str,
    address: &WebhookAddress,
    ca_bundle_pem: Option<&[u8]>,
) -> Result<Converted, Error> {
    let mut crds = 0;
    let documents: Vec<Value> = parse_documents(text, source)?
        .into_iter()
        .map(|doc| {
            if is_crd_v1(&doc) {
                crds += 1;
                with_webhook(doc, address, ca_bundle_pem)
            } else {
                doc
            }
        })
        .collect();
    Ok(Converted {
        output: to_yaml_multi(&documents)?,
        crds,
    })
}

/// Whether `doc` is a CustomResourceDefinition of `apiextensions.k8s.io/v1`, the only version
/// whose `spec.conversion` has the webhook stanza this writes (unlike
/// [`crate::lint::is_crd_any_version`], which the lints use).
fn is_crd_v1(doc: &Value) -> bool {
    doc["kind"] == "CustomResourceDefinition" && doc["apiVersion"] == "apiextensions.k8s.io/v1"
}

/// Checks what the apiserver would refuse later: the URL must be `https://` without a query or
/// fragment, the CA file a PEM certificate.
pub fn check_address(address: &WebhookAddress) -> Result<(), String> {
    match address {
        WebhookAddress::Url(url) if !url.starts_with("https://") => Err(format!(
            "--url {url:?}: the apiserver calls conversion webhooks over https:// only"
        )),
        WebhookAddress::Url(url) if url.contains(['?', '#']) => {
            Err(format!("--url {url:?}: a query or fragment is not allowed"))
        }
        WebhookAddress::Service { path, .. } if !path.starts_with('/') => {
            Err(format!("--path {path:?}: must start with /"))
        }
        _ => Ok(()),
    }
}

/// Checks that `pem` holds a certificate (a key or an empty file is a mistake worth naming).
pub fn check_ca_bundle(pem: &[u8], file: &str) -> Result<(), String> {
    let text = String::from_utf8_lossy(pem);
    if text.contains("-----BEGIN CERTIFICATE-----") && !text.contains("PRIVATE KEY") {
        Ok(())
    } else {
        Err(format!("--ca-bundle {file}: expected PEM certificates (-----BEGIN CERTIFICATE-----) and no private key"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const STREAM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.vitistack.dev\nspec:\n  group: example.vitistack.dev\n";

    #[test]
    fn only_crds_get_the_stanza() {
        let out = add_webhook_conversion(
            STREAM,
            "s.yaml",
            &WebhookAddress::reference_service(),
            Some(b"PEM"),
        )
        .unwrap();
        assert_eq!(out.crds, 1);
        let docs = parse_documents(&out.output, "out").unwrap();
        assert!(docs[0].get("spec").is_none());
        assert_eq!(
            docs[1]["spec"]["conversion"]["webhook"]["clientConfig"]["service"]["namespace"],
            json!("vitistack-system")
        );
        assert_eq!(
            docs[1]["spec"]["conversion"]["webhook"]["clientConfig"]["caBundle"],
            json!("UEVN")
        );
        assert_eq!(docs[1]["spec"]["group"], json!("example.vitistack.dev"));
    }

    #[test]
    fn addresses_and_bundles_the_apiserver_refuses_are_named() {
        assert!(
            check_address(&WebhookAddress::Url("http://x/convert".into()))
                .unwrap_err()
                .contains("https:// only")
        );
        assert!(
            check_address(&WebhookAddress::Url("https://x/c?a=b".into()))
                .unwrap_err()
                .contains("query")
        );
        assert!(check_address(&WebhookAddress::Url(
            "https://127.0.0.1:9443/convert".into()
        ))
        .is_ok());
        assert!(check_ca_bundle(b"-----BEGIN PRIVATE KEY-----", "k.pem")
            .unwrap_err()
            .contains("k.pem"));
        assert!(check_ca_bundle(b"-----BEGIN CERTIFICATE-----\n", "ca.crt").is_ok());
    }
}
