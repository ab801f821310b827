// A misspelled field: not in the catalog, and the real one is missing.
#[domain_events::contract(domain_events::CustomerCreated)]
pub struct NewCustomer {
    pub customer_id: String,
    pub nmae: String,
}

fn main() {}
