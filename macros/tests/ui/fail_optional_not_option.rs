// `reason` is optional in the catalog, so it must be an Option.
#[domain_events::contract(domain_events::CustomerDisabled)]
pub struct Suspension {
    pub customer_id: String,
    pub reason: String,
}

fn main() {}
