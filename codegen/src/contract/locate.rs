//! Where a change is in a catalog: the span of the field or event it is
//! about, for reports that put findings on lines.

use super::each_field;
use crate::ir::{Catalog, Span};

/// The span in `catalog` of `field` (a lock path: `total.currency`,
/// `lines[].qty`) of `event` (`None`: the envelope), else of the event or
/// envelope itself; `None` when the catalog has no such event.
pub fn locate(catalog: &Catalog, event: Option<&str>, field: Option<&str>) -> Option<Span> {
    let (fields, own) = match event {
        Some(name) => {
            let found = catalog.event_named(name)?;
            (&found.fields, found.span)
        }
        None => (&catalog.envelope.fields, catalog.envelope.span),
    };
    let Some(wanted) = field else {
        return Some(own);
    };
    let mut span = None;
    each_field(catalog, "", fields, &mut Vec::new(), &mut |path, found| {
        if span.is_none() && path == wanted {
            span = Some(found.span);
        }
    });
    Some(span.unwrap_or(own))
}
