//! Clients that log the requests they send, so that a test waits for the request it needs (a
//! wait's watch is open, a watcher listed again) instead of sleeping: a layer on kube's own
//! client stack, the requests themselves unchanged.

use kube::config::Kubeconfig;
use std::time::Duration;
use tokio::sync::watch;

/// How long [`RequestLog::until`] waits before failing the test.
const WAIT: Duration = Duration::from_secs(60);

/// One request, as it left the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The HTTP method.
    pub method: http::Method,
    /// The URL path (`/apis/vitistack.io/v1alpha1/namespaces/ns/machines`).
    pub path: String,
    /// Whether it is a watch (`?watch=true`).
    pub watch: bool,
}

impl Sent {
    /// A LIST of the resource `plural` (a GET of the collection, not a watch).
    pub fn is_list_of(&self, plural: &str) -> bool {
        self.method == http::Method::GET && !self.watch && self.is_collection(plural)
    }

    /// A WATCH of the resource `plural`.
    pub fn is_watch_of(&self, plural: &str) -> bool {
        self.method == http::Method::GET && self.watch && self.is_collection(plural)
    }

    fn is_collection(&self, plural: &str) -> bool {
        self.path.rsplit('/').next() == Some(plural)
    }
}

/// The requests a client from [`logging_client`] sent so far, in order.
#[derive(Debug, Clone)]
pub struct RequestLog(watch::Receiver<Vec<Sent>>);

impl RequestLog {
    /// The requests sent so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.0.borrow().clone()
    }

    /// How many of the requests sent so far `matches`.
    pub fn count(&self, matches: impl Fn(&Sent) -> bool) -> usize {
        self.0.borrow().iter().filter(|s| matches(s)).count()
    }

    /// Waits until `count` of the requests sent match `matches`; panics naming `what` (and the
    /// requests sent) after a minute.
    pub async fn until(&mut self, what: &str, count: usize, matches: impl Fn(&Sent) -> bool) {
        let reached = self
            .0
            .wait_for(|sent| sent.iter().filter(|s| matches(s)).count() >= count);
        if !matches!(tokio::time::timeout(WAIT, reached).await, Ok(Ok(_))) {
            panic!(
                "{what}: not within {WAIT:?}; requests sent: {:?}",
                *self.0.borrow()
            );
        }
    }
}

/// A client for `kubeconfig` that logs every request it sends.
pub async fn logging_client(kubeconfig: Kubeconfig) -> (kube::Client, RequestLog) {
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap_or_else(|e| panic!("bad kubeconfig: {e}"));
    let (log, sent) = watch::channel(Vec::new());
    let layer =
        tower::util::MapRequestLayer::new(move |request: http::Request<kube::client::Body>| {
            let uri = request.uri();
            let entry = Sent {
                method: request.method().clone(),
                path: uri.path().to_string(),
                watch: uri
                    .query()
                    .is_some_and(|q| q.split('&').any(|p| p == "watch=true")),
            };
            log.send_modify(|all| all.push(entry));
            request
        });
    let client = kube::client::ClientBuilder::try_from(config)
        .unwrap_or_else(|e| panic!("cannot build a client: {e}"))
        .with_layer(&layer)
        .build();
    (client, RequestLog(sent))
}

/// A client for the test server (or `$VITISTACK_TEST_KUBECONFIG`, see [`crate::client`]) that
/// logs every request it sends.
pub async fn logging_test_client() -> (kube::Client, RequestLog) {
    let path = crate::apiserver::kubeconfig_path();
    let kubeconfig = Kubeconfig::read_from(&path)
        .unwrap_or_else(|e| panic!("cannot read kubeconfig {}: {e}", path.display()));
    logging_client(kubeconfig).await
}
