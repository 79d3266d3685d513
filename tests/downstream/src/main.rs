//! The operator binary: one replica; run several, only the Lease holder reconciles. Its
//! settings, endpoints, signals and exit code: [`vitistack_downstream::binary`].

use std::process::ExitCode;
use vitistack_downstream::controller::default_reconciler;

#[tokio::main]
async fn main() -> ExitCode {
    vitistack_downstream::binary::main(default_reconciler()).await
}
