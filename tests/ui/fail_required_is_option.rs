// `name` is required in the catalog, so it cannot be an Option.
#[domain_events::contract(CustomerCreated)]
pub struct NewCustomer {
    pub customer_id: String,
    pub name: Option<String>,
}

fn main() {}
