//! `vitistack-codegen migrate CRD`: `VitiClient::migrate_storage` against `$KUBECONFIG`.

use super::Failure;
use vitistack_types::client::VitiClient;

pub(crate) fn run(crd: &str) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Error(format!("cannot start the async runtime: {e}")))?;
    let migration = runtime
        .block_on(async {
            let viti = VitiClient::try_default().await?;
            viti.migrate_storage(crd).await
        })
        .map_err(|e| Failure::Error(format!("migrating {crd}: {e}")))?;
    println!(
        "{}: {} object(s) rewritten in {}; status.storedVersions [{}] -> [{}]",
        migration.crd,
        migration.rewritten,
        migration.storage_version,
        migration.stored_versions_before.join(", "),
        migration.storage_version
    );
    Ok(())
}
