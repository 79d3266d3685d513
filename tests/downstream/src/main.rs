//! The operator binary: one replica; run several, only the Lease holder reconciles.
//!
//! Reads `$KUBECONFIG` (or the in-cluster ServiceAccount) and the settings of
//! [`vitistack_downstream::settings`] (namespace from the ServiceAccount's namespace file,
//! identity from `$POD_NAME`). Serves `/healthz`, `/readyz` and `/metrics`. On SIGTERM or
//! Ctrl-C it stops gracefully (running reconciles finish) and releases the Lease, so that
//! another replica takes over at once; exits non-zero when the controller ended on its own (a
//! reconcile panicked), so that the Pod restarts.

// README:begin operator
use std::process::ExitCode;
use vitistack_downstream::health::{self, Endpoints};
use vitistack_downstream::operator::{Operator, OperatorConfig};
use vitistack_downstream::settings::Settings;

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("vitistack-downstream: {error}");
            return ExitCode::FAILURE;
        }
    };
    vitistack_downstream::telemetry::init_logs(settings.json_logs);
    match run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "exiting");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    let client = kube::Client::try_default().await?;
    let config = OperatorConfig::new(&settings.namespace, &settings.identity);
    let operator = Operator::new(client, config);
    let endpoints = Endpoints {
        health: operator.health(),
        metrics: operator.metrics(),
    };
    let listener = tokio::net::TcpListener::bind(settings.listen).await?;
    let address = listener.local_addr()?;
    tracing::info!(%address, namespace = %settings.namespace, identity = %settings.identity, "listening");
    tokio::spawn(health::serve(listener, endpoints));
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
