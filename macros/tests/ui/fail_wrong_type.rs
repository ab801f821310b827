// The field exists, but its type differs from the generated payload's.
#[domain_events::contract(domain_events::ProviderConfigured)]
pub struct ProviderSetup {
    pub provider_id: String,
    pub customer_id: String,
    pub kind: String,
}

fn main() {}
