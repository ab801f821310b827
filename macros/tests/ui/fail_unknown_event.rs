// The catalog has no such event.
#[domain_events::contract(domain_events::CustomerCreatd)]
pub struct NewCustomer {
    pub customer_id: String,
}

fn main() {}
