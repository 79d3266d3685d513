//! A downstream crate on vitistack-types that talks to the API server through kube's OpenSSL
//! backend: `default-features = false, features = ["client", "openssl-tls"]`.

use vitistack_types::client::VitiClient;

/// A client for the cluster of `kubeconfig`, over OpenSSL.
pub async fn client(kubeconfig: kube::config::Kubeconfig) -> Result<VitiClient, kube::Error> {
    let options = kube::config::KubeConfigOptions::default();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(kube::Error::InferKubeconfig)?;
    let client = kube::Client::try_from(config)?;
    Ok(VitiClient::new(client).with_field_manager("vitistack-downstream-tls"))
}
