//! `#[contract]` from a crate that depends on the generated one, on catalogs
//! mounted side by side: events in domain modules, fields that are Rust
//! keywords, and the same type name in two catalogs.

use fixture_crates::contract;
use fixture_crates::domain_modules::billing::CatalogUpdated;

#[contract(CatalogUpdated)]
#[derive(Debug, Clone, PartialEq)]
struct BillingPlans {
    plan_ids: Vec<String>,
}

#[contract(fixture_crates::domain_modules::catalog::CatalogUpdated)]
struct ServiceCatalog {
    updated_item_ids: Vec<String>,
    full_refresh: bool,
}

#[contract(fixture_crates::keywords::JobScheduled)]
#[derive(Debug, Clone)]
struct Job {
    job_id: String,
    r#type: String,
    self_: String,
    default: String,
    r#async: String,
    kind: fixture_crates::keywords::JobScheduledKind,
    priority: f64,
    payload: serde_json::Map<String, serde_json::Value>,
    start_at: String,
    owner: String,
}

#[test]
fn a_contract_struct_converts_both_ways() {
    let ours = BillingPlans { plan_ids: vec!["pro".to_owned()] };
    let payload: CatalogUpdated = ours.clone().into();
    assert_eq!(payload.plan_ids, ["pro"]);
    assert_eq!(BillingPlans::from(payload), ours);
}

#[test]
fn optional_fields_a_contract_leaves_out_are_absent() {
    let job = Job {
        job_id: "j1".into(),
        r#type: "batch".into(),
        self_: "me".into(),
        default: "d".into(),
        r#async: "yes".into(),
        kind: fixture_crates::keywords::JobScheduledKind::OneOff,
        priority: 0.5,
        payload: serde_json::Map::new(),
        start_at: "2025-11-05T14:00:00Z".into(),
        owner: "6b0f0e5e-4a7a-4c3b-9c1f-2f1c0e7f9a10".into(),
    };
    let payload: fixture_crates::keywords::JobScheduled = job.into();
    assert_eq!(payload.self_, "me");
    assert_eq!(payload.r#match, None);
    assert_eq!(payload.crate_, None);
}

#[test]
fn the_same_type_name_in_two_domains_takes_each_domains_fields() {
    let catalog: fixture_crates::domain_modules::catalog::CatalogUpdated = ServiceCatalog {
        updated_item_ids: vec!["svc_1".to_owned()],
        full_refresh: true,
    }
    .into();
    assert!(catalog.full_refresh);
}
