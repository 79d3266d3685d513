use vitistack_types::Schema;

/// A spec without Serialize: validate() serialises the value.
#[derive(Schema)]
pub struct Spec {
    /// The name.
    pub name: String,
}

fn main() {}
