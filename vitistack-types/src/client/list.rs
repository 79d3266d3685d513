//! The lenient list: paged like client-go's pager and kube's watcher (500 objects a page unless
//! told otherwise), with selectors, decoding each object on its own so one stored object that
//! no longer fits the Rust type hides nothing else.

use super::{DecodeFailure, Error, Kind, LenientList, VitiClient};
use crate::unstructured::from_unstructured;
use kube::api::{DynamicObject, ListParams};

/// Objects per page when the caller sets no limit (client-go's and kube's watcher's default).
pub const DEFAULT_PAGE_SIZE: u32 = 500;

impl VitiClient {
    /// Lists objects of kind `K` matching `params` (label and field selectors; `limit` is the
    /// page size, [`DEFAULT_PAGE_SIZE`] when unset), following `continue` tokens to the end.
    /// Returns every object that decodes, one [`DecodeFailure`] for each that does not, and the
    /// list's `resourceVersion`, from which a watch misses nothing that changed since.
    ///
    /// If the continue token expires mid-way (`410 Gone`, the pages were too slow), the list
    /// starts over once in one unpaged request, as client-go's pager does.
    pub async fn list_lenient<K: Kind>(
        &self,
        namespace: &str,
        params: &ListParams,
    ) -> Result<LenientList<K>, Error> {
        let api = self.dynamic_api_of::<K>(namespace);
        let mut page = params.clone();
        page.limit = Some(params.limit.unwrap_or(DEFAULT_PAGE_SIZE));
        page.continue_token = None;
        let mut objects: Vec<DynamicObject> = Vec::new();
        let resource_version = loop {
            match api.list(&page).await {
                Ok(list) => {
                    objects.extend(list.items);
                    match list.metadata.continue_.filter(|c| !c.is_empty()) {
                        Some(token) => page.continue_token = Some(token),
                        None => break list.metadata.resource_version.unwrap_or_default(),
                    }
                }
                Err(kube::Error::Api(status))
                    if status.code == 410 && page.continue_token.is_some() =>
                {
                    let mut whole = params.clone();
                    whole.limit = None;
                    whole.continue_token = None;
                    let list = api.list(&whole).await?;
                    objects = list.items;
                    break list.metadata.resource_version.unwrap_or_default();
                }
                Err(error) => return Err(error.into()),
            }
        };
        let mut out = LenientList {
            items: Vec::new(),
            failures: Vec::new(),
            resource_version,
        };
        for object in objects {
            match from_unstructured::<K>(&object) {
                Ok(item) => out.items.push(item),
                Err(error) => out.failures.push(DecodeFailure {
                    name: object.metadata.name.clone().unwrap_or_default(),
                    error,
                }),
            }
        }
        Ok(out)
    }
}
