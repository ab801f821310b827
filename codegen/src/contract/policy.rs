//! Which policy a catalog's changes are judged under: `--mode`, else the
//! event's `Compatibility:` bullet, else evcat.toml's `[compatibility]
//! mode`, each read as a registry reads it; else evcat's default.

use super::mode::{Mode, Policy};
use crate::ir::Catalog;

/// The policy of each event of `catalog` (`None`: the envelope), with
/// `forced` (`evcat diff --mode`) over everything the catalog says.
pub fn policies(catalog: &Catalog, forced: Option<Mode>) -> impl Fn(Option<&str>) -> Policy + '_ {
    move |event| {
        let own = event
            .and_then(|name| catalog.event_named(name))
            .and_then(|found| found.compatibility);
        match forced.or(own).or(catalog.compatibility) {
            Some(mode) => Policy::registry(mode),
            None => Policy::DEFAULT,
        }
    }
}
