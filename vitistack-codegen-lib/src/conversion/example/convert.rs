//! `v1alpha1` ⇄ `v1beta1`, written by hand, the way a user writes them.

use super::{v1alpha1, v1beta1};
use serde::{Deserialize, Serialize};
use vitistack_conversion::lossless::{preserve, restore};
use vitistack_conversion::{ConversionError, Convertible};

/// What a v1alpha1 Widget cannot hold, kept in its annotation.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lost {
    /// The hub's whole color list, when one color does not say it all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    colors: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replicas: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ready_replicas: Option<i32>,
}

impl Convertible<v1beta1::Widget> for v1alpha1::Widget {
    fn to_hub(mut self) -> Result<v1beta1::Widget, ConversionError> {
        let lost: Lost = restore(&mut self.metadata)?.unwrap_or_default();
        let spec = self.spec;
        // The kept list wins only while its first color is still the spoke's color: a write
        // through v1alpha1 that changed the color replaces the list.
        let colors = match lost.colors {
            Some(list) if list.first() == spec.color.as_ref() => Some(list),
            _ => spec.color.map(|c| vec![c]),
        };
        Ok(v1beta1::Widget {
            metadata: self.metadata,
            spec: v1beta1::WidgetSpec {
                size: spec.size,
                colors,
                replicas: lost.replicas,
            },
            status: self.status.map(|s| v1beta1::WidgetStatus {
                phase: s.phase,
                ready_replicas: lost.ready_replicas,
            }),
        })
    }

    fn from_hub(hub: v1beta1::Widget) -> Result<Self, ConversionError> {
        let mut metadata = hub.metadata;
        let colors = hub.spec.colors;
        let color = colors.as_ref().and_then(|c| c.first().cloned());
        let lost = Lost {
            // One color (or none) round-trips through `color` alone.
            colors: colors.filter(|c| c.len() != 1),
            replicas: hub.spec.replicas,
            ready_replicas: hub.status.as_ref().and_then(|s| s.ready_replicas),
        };
        preserve(&mut metadata, (lost != Lost::default()).then_some(&lost))?;
        Ok(v1alpha1::Widget {
            metadata,
            spec: v1alpha1::WidgetSpec {
                size: hub.spec.size,
                color,
            },
            status: hub
                .status
                .map(|s| v1alpha1::WidgetStatus { phase: s.phase }),
        })
    }
}
