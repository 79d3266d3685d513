//! `v1alpha1` ⇄ `v1beta1`, written by hand, the way a user writes them: plain conversions of
//! the fields each version has. What `v1alpha1` cannot hold (more than one color, `replicas`,
//! `readyReplicas`) the [`vitistack_conversion::Converter`] keeps by itself ([`vitistack_conversion::lossless`]).

use super::{v1alpha1, v1beta1};
use vitistack_conversion::{ConversionError, Convertible};

impl Convertible<v1beta1::Widget> for v1alpha1::Widget {
    fn to_hub(self) -> Result<v1beta1::Widget, ConversionError> {
        Ok(v1beta1::Widget {
            metadata: self.metadata,
            spec: v1beta1::WidgetSpec {
                size: self.spec.size,
                colors: self.spec.color.map(|c| vec![c]),
                ..Default::default()
            },
            status: self.status.map(|s| v1beta1::WidgetStatus {
                phase: s.phase,
                ..Default::default()
            }),
        })
    }

    fn from_hub(hub: v1beta1::Widget) -> Result<Self, ConversionError> {
        Ok(v1alpha1::Widget {
            metadata: hub.metadata,
            spec: v1alpha1::WidgetSpec {
                size: hub.spec.size,
                color: hub.spec.colors.and_then(|c| c.into_iter().next()),
            },
            status: hub
                .status
                .map(|s| v1alpha1::WidgetStatus { phase: s.phase }),
        })
    }
}
