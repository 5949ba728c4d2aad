//! Project automation: `cargo xtask serve|test|build|bench`.
fn main() {}
