//! Text in and out: scenario links, the JSON reader for files users load, price files, and the
//! result files of benchmark tools.
//! Every decoder here takes outside bytes, never panics, and says what it refused.

pub mod benchmark;
pub mod json;
pub mod link;
pub mod prices;
