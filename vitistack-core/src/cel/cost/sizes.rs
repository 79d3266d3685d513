//! Sizes: the estimate ranges cel-go computes with (`checker/cost.go: SizeEstimate`,
//! `CostEstimate`, saturating at `u64::MAX`), and the sizes a schema node gives CEL
//! (`k8s.io/apiserver/pkg/cel/common/schemas.go: SchemaDeclType`'s `MaxElements` and
//! `MinSerializedSize`, from maxItems / maxProperties / maxLength, else the request-size limit).

use serde_json::Value as Json;

/// The largest request the apiserver accepts (`MaxRequestSizeBytes`): what bounds every list,
/// map and string without a declared limit.
pub const MAX_REQUEST_SIZE_BYTES: u64 = 3_145_728;
/// `MaxDurationSizeJSON` and `MaxDatetimeSizeJSON`.
const MAX_DURATION_OR_DATETIME_SIZE: u64 = 32;
/// `JSONDateSize`.
const JSON_DATE_SIZE: u64 = 12;
/// `MinDurationSizeJSON`.
const MIN_DURATION_SIZE: u64 = 3;
/// `MinDatetimeSizeJSON`.
const MIN_DATETIME_SIZE: u64 = 21;
/// `MinStringSize` (`""`), also the smallest list (`[]`) and map or object (`{}`).
pub const MIN_STRING_SIZE: u64 = 2;
/// `MinBoolSize` (`true`).
pub const MIN_BOOL_SIZE: u64 = 4;
/// `MinNumberSize` (`0`).
pub const MIN_NUMBER_SIZE: u64 = 1;

/// A range `[min, max]` with Go's saturating arithmetic: cel-go's `SizeEstimate` (code points
/// of a string, bytes, items of a list, entries of a map) and `CostEstimate` have the same
/// shape and operations, so one type serves both ([`Size`], [`Cost`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range {
    /// The smallest value.
    pub min: u64,
    /// The largest value (for a cost: what the apiserver limits).
    pub max: u64,
}

/// `checker.SizeEstimate`.
pub type Size = Range;
/// `checker.CostEstimate`.
pub type Cost = Range;

impl Range {
    /// An exact value.
    pub const fn fixed(n: u64) -> Range {
        Range { min: n, max: n }
    }

    /// Nothing known (`UnknownSizeEstimate`): 0 to `u64::MAX`.
    pub const UNKNOWN: Range = Range {
        min: 0,
        max: u64::MAX,
    };

    /// `Add`, saturating (named apart from `std::ops::Add`, which never saturates).
    pub fn plus(self, o: Range) -> Range {
        Range {
            min: self.min.saturating_add(o.min),
            max: self.max.saturating_add(o.max),
        }
    }

    /// `Multiply` (and `MultiplyByCost`), saturating.
    pub fn multiply(self, o: Range) -> Range {
        Range {
            min: self.min.saturating_mul(o.min),
            max: self.max.saturating_mul(o.max),
        }
    }

    /// `MultiplyByCost`: a size times a cost per element.
    pub fn times_cost(self, c: Cost) -> Cost {
        self.multiply(c)
    }

    /// `MultiplyByCostFactor`: each bound times `factor`, rounded up.
    pub fn by_factor(self, factor: f64) -> Range {
        Range {
            min: by_cost_factor(self.min, factor),
            max: by_cost_factor(self.max, factor),
        }
    }

    /// `Union`: the range covering both.
    pub fn union(self, o: Range) -> Range {
        Range {
            min: self.min.min(o.min),
            max: self.max.max(o.max),
        }
    }
}

/// `multiplyByCostFactor`: `ceil(x × factor)` in f64 (so `30 × 0.1` is 4, as in Go), saturating.
pub fn by_cost_factor(x: u64, factor: f64) -> u64 {
    let xf = x as f64;
    if xf > 0.0 && factor > 0.0 && xf > u64::MAX as f64 / factor {
        return u64::MAX;
    }
    let ceil = (xf * factor).ceil();
    if ceil >= 18_446_744_073_709_551_616.0 {
        return u64::MAX;
    }
    ceil as u64
}

/// The schema's `maxProperties` (negative counts as 0, `zeroIfNegative`). The one place the
/// bound is read from, for the CEL map size and for the cardinality of a map's values.
pub fn max_properties(schema: &Json) -> Option<u64> {
    bound(schema, "maxProperties")
}

/// The schema's `maxItems` (negative counts as 0).
pub fn max_items(schema: &Json) -> Option<u64> {
    bound(schema, "maxItems")
}

/// The schema's `maxLength` (negative counts as 0).
pub fn max_length(schema: &Json) -> Option<u64> {
    bound(schema, "maxLength")
}

fn bound(schema: &Json, key: &str) -> Option<u64> {
    let v = schema.get(key)?;
    v.as_u64().or_else(|| v.as_i64().map(|_| 0))
}

/// `estimateMaxElementsFromMaxLength`: maxLength counts code points, a code point takes up to
/// 4 bytes.
pub fn string_max_from_max_length(max_length: u64) -> u64 {
    max_length.saturating_mul(4)
}

/// `estimateMaxStringLengthPerRequest` for a plain string, bytes or int-or-string: the request
/// minus the quotes.
pub const UNBOUNDED_STRING: u64 = MAX_REQUEST_SIZE_BYTES - 2;

/// `MaxElements` and `MinSerializedSize` of a string schema of this `format`.
pub fn string_sizes(schema: &Json, format: Option<&str>) -> (u64, u64) {
    match format {
        Some("byte") => (
            max_length(schema).unwrap_or(UNBOUNDED_STRING),
            MIN_STRING_SIZE,
        ),
        Some("duration") => (MAX_DURATION_OR_DATETIME_SIZE, MIN_DURATION_SIZE),
        Some("date") => (JSON_DATE_SIZE, JSON_DATE_SIZE),
        Some("date-time") => (MAX_DURATION_OR_DATETIME_SIZE, MIN_DATETIME_SIZE),
        _ => {
            let max = match max_length(schema) {
                Some(n) => string_max_from_max_length(n),
                None => match schema.get("enum").and_then(Json::as_array) {
                    // `estimateMaxStringEnumLength`: the longest value, in bytes.
                    Some(values) if !values.is_empty() => values
                        .iter()
                        .filter_map(Json::as_str)
                        .map(|s| s.len() as u64)
                        .max()
                        .unwrap_or(0),
                    _ => UNBOUNDED_STRING,
                },
            };
            (max, MIN_STRING_SIZE)
        }
    }
}

/// `MaxElements` of an int-or-string schema.
pub fn int_or_string_max(schema: &Json) -> u64 {
    max_length(schema)
        .map(string_max_from_max_length)
        .unwrap_or(UNBOUNDED_STRING)
}

/// `estimateMaxArrayItemsFromMinSize`: as many smallest items, with a comma each, as fit in a
/// request.
pub fn list_max_from_min_item_size(min_item_size: u64) -> u64 {
    (MAX_REQUEST_SIZE_BYTES - 2) / (min_item_size + 1)
}

/// `estimateMaxAdditionalPropertiesFromMinSize`: each entry is at least `"":` plus a comma
/// plus the smallest value.
pub fn map_max_from_min_value_size(min_value_size: u64) -> u64 {
    (MAX_REQUEST_SIZE_BYTES - 2) / (min_value_size + 6)
}

/// `maxCardinality` (`compilation.go`): how often data of this smallest size can occur in one
/// request, the multiplier of a rule below an unbounded list or map. (The full request size,
/// no `- 2`, as in Go.)
pub fn max_cardinality(min_size: u64) -> u64 {
    MAX_REQUEST_SIZE_BYTES / (min_size + 1)
}
