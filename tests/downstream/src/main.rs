//! The operator binary: one replica; run several, only the Lease holder reconciles.
//!
//! Reads `$KUBECONFIG` (or the in-cluster ServiceAccount), `$NAMESPACE` (default `default`) and
//! `$POD_NAME` (this replica's identity, default the host name). Stops on Ctrl-C or SIGTERM,
//! releasing the Lease so that another replica takes over at once.

// README:begin operator
use vitistack_downstream::operator::{Operator, OperatorConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = kube::Client::try_default().await?;
    let namespace = std::env::var("NAMESPACE").unwrap_or_else(|_| "default".into());
    let identity = std::env::var("POD_NAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| format!("operator-{}", std::process::id()));
    let operator = Operator::new(client, OperatorConfig::new(&namespace, &identity));
    operator.run(shutdown_signal()).await?;
    Ok(())
}
// README:end operator

/// Completes on Ctrl-C or SIGTERM (what Kubernetes sends a pod it stops).
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return ctrl_c.await.unwrap_or(()),
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
