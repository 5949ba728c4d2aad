//! Crossover's engine: prices, sizes and scores running an LLM locally against a cloud API.

/// Placeholder until the engine lands.
pub fn answer() -> f64 {
    57.4
}
