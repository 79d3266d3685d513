//! The operator binary's main, in the library so that a variant binary (a test's, with a faulty
//! reconcile) runs exactly the same code: settings, logs, endpoints, the operator, signals and
//! the exit code.
//!
//! Reads `$KUBECONFIG` (or the in-cluster ServiceAccount) and the settings of
//! [`crate::settings`] (namespace from the ServiceAccount's namespace file, identity from
//! `$POD_NAME`). Serves `/healthz`, `/readyz` and `/metrics`. On SIGTERM or Ctrl-C it stops
//! gracefully (running reconciles finish) and releases the Lease, so that another replica takes
//! over at once; exits non-zero when the controller ended on its own (a reconcile panicked), so
//! that the Pod restarts.

// README:begin operator
use crate::controller::Reconciler;
use crate::health::{self, Endpoints};
use crate::operator::{Operator, OperatorConfig};
use crate::settings::Settings;
use std::process::ExitCode;

/// Runs one replica reconciling with `reconciler` until SIGTERM (exit 0) or until its controller
/// ends on its own (exit 1, as when settings, the client or the listener fail).
pub async fn main(reconciler: Reconciler) -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("vitistack-downstream: {error}");
            return ExitCode::FAILURE;
        }
    };
    crate::telemetry::init_logs(settings.json_logs);
    match run(settings, reconciler).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "exiting");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings, reconciler: Reconciler) -> Result<(), Box<dyn std::error::Error>> {
    let client = kube::Client::try_default().await?;
    let config = OperatorConfig::new(&settings.namespace, &settings.identity);
    let operator = Operator::new(client, config).with_reconciler(reconciler);
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
