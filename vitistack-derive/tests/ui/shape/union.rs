use vitistack_types::Schema;

/// Bits.
#[derive(Schema)]
pub union Bits {
    /// As an integer.
    pub int: u32,
    /// As a float.
    pub float: f64,
}

fn main() {}
