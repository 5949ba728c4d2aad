//! Text in and out: scenario links, the JSON reader for files users load, and price files.
//! Every decoder here takes outside bytes, never panics, and says what it refused.

pub mod json;
pub mod link;
pub mod prices;
