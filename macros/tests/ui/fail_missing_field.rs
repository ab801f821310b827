// A required field of the catalog's event is missing.
#[domain_events::contract(domain_events::CustomerCreated)]
pub struct NewCustomer {
    pub customer_id: String,
}

fn main() {}
