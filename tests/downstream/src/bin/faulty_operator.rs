//! A test fixture, not a tool: the operator binary with a reconcile that panics on the Machine
//! named by `$PANIC_ON`, for `tests/binary.rs`. It runs the same main
//! ([`vitistack_downstream::binary::main`]) as the real binary, so that the test sees the exit
//! code a Pod would. (A binary rather than an example, so that Cargo builds it for the
//! integration tests and hands them its path.)

use std::process::ExitCode;
use std::sync::Arc;
use vitistack_downstream::controller;

#[tokio::main]
async fn main() -> ExitCode {
    let panic_on = std::env::var("PANIC_ON").unwrap_or_default();
    let reconciler: controller::Reconciler = Arc::new(move |machine, ctx| {
        let panic_on = panic_on.clone();
        Box::pin(async move {
            let name = kube::ResourceExt::name_any(machine.as_ref());
            assert_ne!(name, panic_on, "injected panic reconciling {name}");
            controller::reconcile(machine, ctx).await
        })
    });
    vitistack_downstream::binary::main(reconciler).await
}
