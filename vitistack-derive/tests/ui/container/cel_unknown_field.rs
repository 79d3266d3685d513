use serde::{Deserialize, Serialize};
use vitistack_types::Schema;

/// Limits, written in camelCase on the wire: a rule names the wire names.
#[derive(Serialize, Deserialize, Schema)]
#[serde(rename_all = "camelCase")]
#[viti(cel(rule = "self.min_value <= self.maxValue", message = "min must not exceed max"))]
#[viti(cel(rule = "has(self.step) || oldSelf.?floor.hasValue()", message = "step or floor", optional_old_self = true))]
#[viti(cel(
    rule = "self.minValue <= self.maxValue",
    message = "min must not exceed max",
    message_expression = "'min ' + string(self.minValue) + ' exceeds ' + string(self.max)"
))]
pub struct Limits {
    /// Lower bound.
    pub min_value: u32,
    /// Upper bound.
    pub max_value: u32,
}

fn main() {}
