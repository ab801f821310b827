// `name` is required in the catalog, so it cannot be an Option.
#[domain_events::contract(domain_events::CustomerCreated)]
pub struct NewCustomer {
    pub customer_id: String,
    pub name: Option<String>,
}

fn main() {}
