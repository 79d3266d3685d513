use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// A probe.
#[derive(Serialize, Deserialize, Schema)]
#[viti(exactly_one_of("http", "grcp"))]
#[viti(at_most_one_of("http.path"))]
#[viti(at_least_one_of = "http")]
#[viti(at_least_one_of())]
pub struct Probe {
    /// HTTP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// gRPC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grpc: Option<String>,
}

fn main() {}
