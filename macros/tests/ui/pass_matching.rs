// A struct with exactly the catalog's fields converts to and from the
// generated payload type.
use domain_events::{contract, CustomerDisabled};

#[contract(CustomerDisabled)]
#[derive(Debug, Clone, PartialEq)]
pub struct Suspension {
    pub customer_id: String,
    pub reason: Option<String>,
}

#[contract(domain_events::ProviderConfigured)]
pub struct ProviderSetup {
    pub provider_id: String,
    pub customer_id: String,
    pub kind: domain_events::ProviderKind,
}

fn main() {
    let ours = Suspension { customer_id: "cus_1".into(), reason: Some("overdue".into()) };
    let payload: domain_events::CustomerDisabled = ours.clone().into();
    assert_eq!(payload.reason.as_deref(), Some("overdue"));
    assert_eq!(Suspension::from(payload), ours);
    let setup = ProviderSetup { provider_id: "p".into(), customer_id: "c".into(), kind: domain_events::ProviderKind::Sms };
    let payload: domain_events::ProviderConfigured = setup.into();
    assert_eq!(payload.kind, domain_events::ProviderKind::Sms);
}
