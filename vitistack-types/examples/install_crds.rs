//! Server-side applies every vitistack CRD to the cluster of `$KUBECONFIG` and waits until each
//! is Established (`make install-crds`).

use std::time::Duration;
use vitistack_types::client::VitiClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = VitiClient::try_default()
        .await?
        .with_field_manager("vitistack-install-crds");
    for crd in client.install_crds(Duration::from_secs(60)).await? {
        println!("{} established", crd.metadata.name.unwrap_or_default());
    }
    Ok(())
}
