//! Logs through `tracing`: text for people or one JSON object per line for a log pipeline;
//! the level from `$RUST_LOG` (default `info`).

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (once per process; later calls change nothing).
pub fn init_logs(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    let installed = if json {
        logs.json().flatten_event(true).try_init()
    } else {
        logs.try_init()
    };
    // Already installed (a test that starts several operators): keep the first.
    drop(installed);
}
