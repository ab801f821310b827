//! Checks across documents, run after parsing: whatever can disagree with
//! the catalog is compared with it here.

mod data_model;

pub use data_model::data_model_agrees;
