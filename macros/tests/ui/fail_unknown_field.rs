// A field the catalog's event does not have.
#[domain_events::contract(domain_events::ContactDeleted)]
pub struct Removal {
    pub contact_id: String,
    pub customer_id: String,
    pub deleted_by: String,
}

fn main() {}
