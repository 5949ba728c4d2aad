//! Reference data: cloud models and their prices, local models and their architecture,
//! hardware and its price, power, memory and bandwidth. Every entry names its source and date.

pub mod measured;
pub mod presets;

use crate::catalog::measured::{
    GPT_OSS_120B, GPT_OSS_20B, LLAMA2_7B, LLAMA3_70B, LLAMA3_8B, MISTRAL_7B, QWEN25_14B, QWEN2_7B,
    QWEN3_30B_A3B, QWEN3_32B,
};
use crate::engine::serving::{Device, MemoryClass, Shape};
use serde::Serialize;

/// Scores from 1 (poor) to 10 (best) per task, as in the capability matrix of the source texts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Capabilities {
    /// Multi-step reasoning.
    pub reasoning: u8,
    /// Code generation.
    pub coding: u8,
    /// Mathematics.
    pub math: u8,
    /// Creative writing.
    pub creative: u8,
    /// Instruction following.
    pub instruction: u8,
    /// Languages other than English.
    pub multilingual: u8,
}

/// Published benchmark scores in percent; `None` where no comparable figure is published.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Benchmarks {
    /// MMLU (5-shot), %.
    pub mmlu: Option<f64>,
    /// HumanEval pass@1, %.
    pub humaneval: Option<f64>,
    /// GSM8K, %.
    pub gsm8k: Option<f64>,
    /// MATH, %.
    pub math: Option<f64>,
}

/// A cloud model priced per token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CloudModel {
    /// Identifier used in links (`cm=`), the provider's model name.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Provider, e.g. "OpenAI".
    pub provider: &'static str,
    /// Input price, $ per 1,000,000 tokens.
    pub input_per_mtok: f64,
    /// Output price, $ per 1,000,000 tokens.
    pub output_per_mtok: f64,
    /// Cached-input (prompt cache hit) price, $ per 1,000,000 tokens.
    pub cached_input_per_mtok: f64,
    /// Context window, tokens.
    pub context_tokens: u32,
    /// Capability scores, 1-10.
    pub capabilities: Capabilities,
    /// Benchmark scores where published.
    pub benchmarks: Benchmarks,
    /// Date the price was read, `YYYY-MM-DD`.
    pub as_of: &'static str,
    /// Where the price was read (URL).
    pub source: &'static str,
}

/// An open-weights model that runs locally (Ollama tag as id).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalModel {
    /// Identifier used in links (`lm=`), the Ollama tag, e.g. `llama3.1:8b`.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Architecture: parameters (total and active), layers, heads, experts, sliding window.
    pub shape: Shape,
    /// Maximum context, tokens.
    pub context_tokens: u32,
    /// Capability scores, 1-10.
    pub capabilities: Capabilities,
    /// Benchmark scores where published.
    pub benchmarks: Benchmarks,
    /// Where the architecture figures were read (URL of the model card or config.json).
    pub source: &'static str,
}

/// An accelerator that is bought or rented by the hour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hardware {
    /// Identifier used in links (`hw=`).
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Memory available to the model as vendors state it, GiB (a "24 GB" card holds 24 GiB).
    pub memory_gb: f64,
    /// Kind of memory, as the vendor names it (e.g. `GDDR6X`, `HBM3e`, `LPDDR5X`).
    pub memory_type: &'static str,
    /// The memory class the serving model's fit is made per.
    pub class: MemoryClass,
    /// Memory bandwidth, GB/s.
    pub bandwidth_gbps: f64,
    /// Dense FP16 tensor throughput, TFLOPS (with FP16 accumulation: for GeForce cards twice
    /// the FP32-accumulate rate, for data-centre cards the same).
    pub fp16_tflops: f64,
    /// Whether its tensor cores multiply FP8 at twice the dense FP16 rate (NVIDIA Ada,
    /// Hopper and Blackwell; AMD CDNA 3).
    pub fp8: bool,
    /// Whether `fp16_tflops` is derived (from a sparse or FP4 figure, or from clocks and
    /// units where the vendor publishes none) rather than read.
    pub fp16_derived: bool,
    /// Power draw under inference load, W.
    pub watts: f64,
    /// Purchase price per unit, $; `None` for a rental-only offer.
    pub price_usd: Option<f64>,
    /// Whether that price is a typical quote or street price (no list price is published)
    /// rather than a list price.
    pub price_quoted: bool,
    /// Typical on-demand rental price per unit, $/hour; `None` where none is offered.
    pub rent_per_hour_usd: Option<f64>,
    /// Service life used for depreciation, years.
    pub life_years: f64,
    /// Date the prices were read, `YYYY-MM-DD`.
    pub as_of: &'static str,
    /// Where the prices and specifications were read (URL).
    pub source: &'static str,
}

/// Shorthand for a capability row, in the order reasoning, coding, math, creative,
/// instruction following, multilingual.
const fn caps(
    reasoning: u8,
    coding: u8,
    math: u8,
    creative: u8,
    instruction: u8,
    multilingual: u8,
) -> Capabilities {
    Capabilities {
        reasoning,
        coding,
        math,
        creative,
        instruction,
        multilingual,
    }
}

/// Shorthand for a benchmark row, in the order MMLU, HumanEval, GSM8K, MATH.
const fn bench(
    mmlu: Option<f64>,
    humaneval: Option<f64>,
    gsm8k: Option<f64>,
    math: Option<f64>,
) -> Benchmarks {
    Benchmarks {
        mmlu,
        humaneval,
        gsm8k,
        math,
    }
}

/// No comparable published figure on any of the four benchmarks.
const NO_BENCH: Benchmarks = bench(None, None, None, None);

// Every current model's price is checked against LiteLLM's model_prices_and_context_window.json
// (BerriAI/litellm, commit 00035b69f416be24e2e323c13198d9b7d2d1bdf9, a copy that already lists
// gpt-5.6), which transcribes the providers' pricing pages: `core/tests/prices.rs` compares each
// with that file's entry, kept in `core/tests/fixtures/litellm_00035b69.json`. The `source`
// field names the provider page the figures come from. Third-party copies of the OpenAI page
// (GitHub docs' Copilot price table, several 2026 price guides) agree on every figure used.
/// OpenAI's API pricing page.
const OPENAI_PRICING: &str = "https://platform.openai.com/docs/pricing";
/// Anthropic's current pricing page (platform.claude.com).
const ANTHROPIC_PRICING: &str = "https://platform.claude.com/docs/en/about-claude/pricing";
/// Anthropic's pricing page as stored before the Claude 4.5 models (lists Sonnet 3.5 and Haiku 3).
const ANTHROPIC_PRICING_2025: &str = "https://docs.anthropic.com/en/docs/about-claude/pricing";
/// Google's Gemini API pricing page.
const GEMINI_PRICING: &str = "https://ai.google.dev/gemini-api/docs/pricing";
/// DeepSeek's API pricing page.
const DEEPSEEK_PRICING: &str = "https://api-docs.deepseek.com/quick_start/pricing";

/// Cloud models priced per token. The first entry is the fall-back when an id is unknown.
pub const CLOUD_MODELS: &[CloudModel] = &[
    CloudModel {
        id: "gpt-4o",
        name: "GPT-4o",
        provider: "OpenAI",
        // Current price; the launch price of $5/$15 (gpt-4o-2024-05-13) is outdated.
        input_per_mtok: 2.50,
        output_per_mtok: 10.00,
        cached_input_per_mtok: 1.25,
        context_tokens: 128_000,
        capabilities: caps(9, 9, 9, 9, 10, 9),
        // OpenAI's GPT-4o launch figures (seed texts).
        benchmarks: bench(Some(88.7), Some(90.2), Some(95.8), Some(76.6)),
        as_of: "2026-11-22",
        source: OPENAI_PRICING,
    },
    CloudModel {
        id: "gpt-4o-mini",
        name: "GPT-4o mini",
        provider: "OpenAI",
        input_per_mtok: 0.15,
        output_per_mtok: 0.60,
        cached_input_per_mtok: 0.075,
        context_tokens: 128_000,
        capabilities: caps(7, 7, 7, 7, 8, 8),
        // OpenAI's launch post: MMLU 82.0, HumanEval 87.2, MATH 70.2 (it gives MGSM, not GSM8K).
        benchmarks: bench(Some(82.0), Some(87.2), None, Some(70.2)),
        as_of: "2026-11-22",
        source: OPENAI_PRICING,
    },
    CloudModel {
        id: "gpt-4.1",
        name: "GPT-4.1",
        provider: "OpenAI",
        input_per_mtok: 2.00,
        output_per_mtok: 8.00,
        cached_input_per_mtok: 0.50,
        context_tokens: 1_047_576,
        capabilities: caps(9, 9, 8, 8, 10, 9),
        // MMLU from OpenAI's GPT-4.1 announcement (from memory, not re-read here).
        benchmarks: bench(Some(90.2), None, None, None),
        as_of: "2026-11-22",
        source: OPENAI_PRICING,
    },
    CloudModel {
        id: "gpt-4.1-mini",
        name: "GPT-4.1 mini",
        provider: "OpenAI",
        input_per_mtok: 0.40,
        output_per_mtok: 1.60,
        cached_input_per_mtok: 0.10,
        context_tokens: 1_047_576,
        capabilities: caps(8, 8, 8, 7, 9, 8),
        // MMLU from OpenAI's GPT-4.1 announcement (from memory, not re-read here).
        benchmarks: bench(Some(87.5), None, None, None),
        as_of: "2026-11-22",
        source: OPENAI_PRICING,
    },
    CloudModel {
        id: "gpt-5",
        name: "GPT-5",
        provider: "OpenAI",
        input_per_mtok: 1.25,
        output_per_mtok: 10.00,
        cached_input_per_mtok: 0.125,
        // 272,000 input + 128,000 output tokens.
        context_tokens: 400_000,
        capabilities: caps(10, 10, 10, 9, 10, 9),
        benchmarks: NO_BENCH,
        as_of: "2026-11-22",
        source: OPENAI_PRICING,
    },
    CloudModel {
        id: "gpt-5-mini",
        name: "GPT-5 mini",
        provider: "OpenAI",
        input_per_mtok: 0.25,
        output_per_mtok: 2.00,
        cached_input_per_mtok: 0.025,
        // 272,000 input + 128,000 output tokens.
        context_tokens: 400_000,
        capabilities: caps(9, 9, 9, 8, 9, 8),
        benchmarks: NO_BENCH,
        as_of: "2026-11-22",
        source: OPENAI_PRICING,
    },
    CloudModel {
        id: "gpt-5.5",
        name: "GPT-5.5",
        provider: "OpenAI",
        // Prompts over 272,000 tokens cost twice the input and 1.5 times the output price.
        input_per_mtok: 5.00,
        output_per_mtok: 30.00,
        cached_input_per_mtok: 0.50,
        context_tokens: 1_050_000,
        capabilities: caps(10, 10, 10, 9, 10, 9),
        benchmarks: NO_BENCH,
        as_of: "2026-11-24",
        source: OPENAI_PRICING,
    },
    CloudModel {
        id: "gpt-5.4-mini",
        name: "GPT-5.4 mini",
        provider: "OpenAI",
        input_per_mtok: 0.75,
        output_per_mtok: 4.50,
        cached_input_per_mtok: 0.075,
        context_tokens: 1_050_000,
        capabilities: caps(9, 9, 9, 8, 9, 8),
        benchmarks: NO_BENCH,
        as_of: "2026-11-24",
        source: OPENAI_PRICING,
    },
    CloudModel {
        id: "claude-3.5-sonnet",
        name: "Claude 3.5 Sonnet",
        provider: "Anthropic",
        // Anthropic page row "Claude Sonnet 3.5 (deprecated)": $3 in, $0.30 cache hits, $15 out.
        // The stored page is undated; it lists Opus 4.1 (released 2025-08-05) but not
        // Sonnet 4.5 (2025-09-29), so the earliest possible date is used. Retired since.
        input_per_mtok: 3.00,
        output_per_mtok: 15.00,
        cached_input_per_mtok: 0.30,
        context_tokens: 200_000,
        capabilities: caps(9, 10, 8, 9, 9, 8),
        // Anthropic's June 2024 launch table: MMLU 5-shot 88.7, HumanEval 92.0,
        // GSM8K 96.4, MATH 71.1 (from memory, not re-read here).
        benchmarks: bench(Some(88.7), Some(92.0), Some(96.4), Some(71.1)),
        as_of: "2025-08-05",
        source: ANTHROPIC_PRICING_2025,
    },
    CloudModel {
        id: "claude-3-haiku",
        name: "Claude 3 Haiku",
        provider: "Anthropic",
        // Anthropic page row "Claude Haiku 3": $0.25 in, $0.03 cache hits (the page rounds the
        // 10% rule's $0.025 up), $1.25 out. Same undated snapshot as Claude 3.5 Sonnet.
        input_per_mtok: 0.25,
        output_per_mtok: 1.25,
        cached_input_per_mtok: 0.03,
        context_tokens: 200_000,
        capabilities: caps(6, 6, 5, 6, 7, 7),
        // Claude 3 model card: MMLU 5-shot 75.2 (checked); HumanEval 75.9, GSM8K 88.9,
        // MATH 38.9 (from memory).
        benchmarks: bench(Some(75.2), Some(75.9), Some(88.9), Some(38.9)),
        as_of: "2025-08-05",
        source: ANTHROPIC_PRICING_2025,
    },
    CloudModel {
        id: "claude-sonnet-4-5",
        name: "Claude Sonnet 4.5",
        provider: "Anthropic",
        // $3 in, $0.30 cache hits (10% of input), $15 out, prompts up to 200K tokens.
        input_per_mtok: 3.00,
        output_per_mtok: 15.00,
        cached_input_per_mtok: 0.30,
        // 1M tokens in beta at a higher long-context price; 200K is the standard window.
        context_tokens: 200_000,
        capabilities: caps(10, 10, 9, 9, 10, 9),
        benchmarks: NO_BENCH,
        as_of: "2026-11-22",
        source: ANTHROPIC_PRICING,
    },
    CloudModel {
        id: "claude-sonnet-4-6",
        name: "Claude Sonnet 4.6",
        provider: "Anthropic",
        input_per_mtok: 3.00,
        output_per_mtok: 15.00,
        cached_input_per_mtok: 0.30,
        context_tokens: 1_000_000,
        capabilities: caps(10, 10, 9, 9, 10, 9),
        benchmarks: NO_BENCH,
        as_of: "2026-11-24",
        source: ANTHROPIC_PRICING,
    },
    CloudModel {
        id: "claude-haiku-4-5",
        name: "Claude Haiku 4.5",
        provider: "Anthropic",
        input_per_mtok: 1.00,
        output_per_mtok: 5.00,
        cached_input_per_mtok: 0.10,
        context_tokens: 200_000,
        capabilities: caps(8, 9, 8, 8, 9, 8),
        benchmarks: NO_BENCH,
        as_of: "2026-11-22",
        source: ANTHROPIC_PRICING,
    },
    CloudModel {
        id: "claude-opus-4-1",
        name: "Claude Opus 4.1",
        provider: "Anthropic",
        // Listed as "retired, except on Bedrock and Google Cloud" on the current page.
        input_per_mtok: 15.00,
        output_per_mtok: 75.00,
        cached_input_per_mtok: 1.50,
        context_tokens: 200_000,
        capabilities: caps(10, 10, 9, 10, 10, 9),
        benchmarks: NO_BENCH,
        as_of: "2026-11-22",
        source: ANTHROPIC_PRICING,
    },
    CloudModel {
        id: "claude-opus-4-7",
        name: "Claude Opus 4.7",
        provider: "Anthropic",
        input_per_mtok: 5.00,
        output_per_mtok: 25.00,
        cached_input_per_mtok: 0.50,
        context_tokens: 1_000_000,
        capabilities: caps(10, 10, 10, 10, 10, 9),
        benchmarks: NO_BENCH,
        as_of: "2026-11-24",
        source: ANTHROPIC_PRICING,
    },
    CloudModel {
        id: "gemini-2.5-pro",
        name: "Gemini 2.5 Pro",
        provider: "Google",
        // Prompts up to 200K tokens; longer prompts cost $2.50 in, $15 out, $0.25 cached.
        input_per_mtok: 1.25,
        output_per_mtok: 10.00,
        cached_input_per_mtok: 0.125,
        context_tokens: 1_048_576,
        capabilities: caps(10, 9, 10, 9, 9, 10),
        benchmarks: NO_BENCH,
        as_of: "2026-11-22",
        source: GEMINI_PRICING,
    },
    CloudModel {
        id: "gemini-2.5-flash",
        name: "Gemini 2.5 Flash",
        provider: "Google",
        input_per_mtok: 0.30,
        output_per_mtok: 2.50,
        cached_input_per_mtok: 0.03,
        context_tokens: 1_048_576,
        capabilities: caps(8, 8, 9, 8, 8, 9),
        benchmarks: NO_BENCH,
        as_of: "2026-11-22",
        source: GEMINI_PRICING,
    },
    CloudModel {
        id: "gemini-3.1-pro-preview",
        name: "Gemini 3.1 Pro (preview)",
        provider: "Google",
        // Prompts up to 200K tokens; longer prompts cost $4 in, $18 out.
        input_per_mtok: 2.00,
        output_per_mtok: 12.00,
        cached_input_per_mtok: 0.20,
        context_tokens: 1_048_576,
        capabilities: caps(10, 10, 10, 9, 10, 10),
        benchmarks: NO_BENCH,
        as_of: "2026-11-24",
        source: GEMINI_PRICING,
    },
    CloudModel {
        id: "deepseek-chat",
        name: "DeepSeek Chat",
        provider: "DeepSeek",
        input_per_mtok: 0.28,
        output_per_mtok: 0.42,
        cached_input_per_mtok: 0.028,
        context_tokens: 131_072,
        capabilities: caps(9, 9, 9, 8, 8, 8),
        benchmarks: NO_BENCH,
        as_of: "2026-11-24",
        source: DEEPSEEK_PRICING,
    },
];

/// Open-weights models run locally, with the architecture figures the KV-cache size needs.
/// The first entry is the fall-back when an id is unknown.
pub const LOCAL_MODELS: &[LocalModel] = &[
    LocalModel {
        id: "llama3.1:8b",
        name: "Llama 3.1 8B",
        shape: LLAMA3_8B,
        // config.json: 32 layers, 32 heads, 8 KV heads, hidden 4096 (head 128), 131072 positions.
        context_tokens: 131_072,
        capabilities: caps(6, 6, 5, 6, 7, 6),
        // Seed texts' figures. Meta's Llama 3.1 8B Instruct card gives 69.4/72.6/84.5/51.9.
        benchmarks: bench(Some(68.4), Some(62.2), Some(76.8), Some(28.5)),
        source: "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/config.json",
    },
    LocalModel {
        id: "llama3.1:70b",
        name: "Llama 3.1 70B",
        shape: LLAMA3_70B,
        // config.json: 80 layers, 64 heads, 8 KV heads, hidden 8192 (head 128), 131072 positions.
        context_tokens: 131_072,
        capabilities: caps(8, 8, 7, 7, 8, 7),
        // Seed texts' figures. Meta's Llama 3.1 70B Instruct card gives 83.6/80.5/95.1/68.0.
        benchmarks: bench(Some(79.3), Some(72.8), Some(83.7), Some(51.9)),
        source: "https://huggingface.co/meta-llama/Llama-3.1-70B-Instruct/blob/main/config.json",
    },
    LocalModel {
        id: "codellama:7b",
        name: "Code Llama 7B",
        shape: LLAMA2_7B,
        // config.json: 32 layers, 32 heads and 32 KV heads (no GQA), hidden 4096, 16384 positions.
        context_tokens: 16_384,
        capabilities: caps(5, 8, 6, 4, 6, 4),
        // Code Llama paper: HumanEval pass@1 33.5 (from memory); no MMLU, GSM8K or MATH.
        benchmarks: bench(None, Some(33.5), None, None),
        source: "https://huggingface.co/codellama/CodeLlama-7b-Instruct-hf/blob/main/config.json",
    },
    LocalModel {
        id: "phi3:mini",
        name: "Phi-3 Mini",
        // 3,821,079,552 parameters (keras-hub preset metadata).
        shape: Shape::dense(3.82, 32, 32, 32, 96).embedding(32_064, 3072, false),
        // 32 layers, 32 KV heads (no GQA), hidden 3072 / 32 heads = 96.
        // Ollama's phi3:mini is the 4k-context build (the 128k one is phi3:mini-128k);
        // taken from Ollama's library page from memory, not re-read here.
        context_tokens: 4_096,
        capabilities: caps(6, 6, 6, 5, 7, 5),
        // Seed texts' figures.
        benchmarks: bench(Some(69.9), Some(58.5), Some(75.3), Some(31.2)),
        source: "https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json",
    },
    LocalModel {
        id: "qwen2.5-coder:7b",
        name: "Qwen2.5-Coder 7B",
        shape: QWEN2_7B,
        // Model card: 28 layers, 28 Q heads / 4 KV heads, hidden 3584 (head 128), 32768 tokens
        // (131072 only with YaRN, which Ollama does not enable).
        context_tokens: 32_768,
        capabilities: caps(6, 8, 7, 4, 7, 6),
        // Qwen2.5-Coder-7B-Instruct HumanEval 88.4 (technical report, from memory).
        benchmarks: bench(None, Some(88.4), None, None),
        source: "https://huggingface.co/Qwen/Qwen2.5-Coder-7B-Instruct/blob/main/config.json",
    },
    LocalModel {
        id: "mistral:7b",
        name: "Mistral 7B",
        shape: MISTRAL_7B,
        // Mistral-7B-Instruct-v0.3 config.json: 32 layers, 32 heads, 8 KV heads, head 128.
        context_tokens: 32_768,
        capabilities: caps(5, 5, 4, 6, 6, 5),
        // Mistral 7B paper (v0.1 base, from memory): MMLU 60.1, HumanEval 30.5,
        // GSM8K 52.2 (maj@8), MATH 13.1 (maj@4).
        benchmarks: bench(Some(60.1), Some(30.5), Some(52.2), Some(13.1)),
        source: "https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3/blob/main/config.json",
    },
    LocalModel {
        id: "qwen2.5:14b",
        name: "Qwen2.5 14B",
        shape: QWEN25_14B,
        // config.json: 48 layers, 40 heads, 8 KV heads, hidden 5120 (head 128). The Instruct
        // config and Ollama use 32768 tokens (131072 with YaRN).
        context_tokens: 32_768,
        capabilities: caps(7, 7, 8, 6, 8, 8),
        // Qwen2.5 technical report, base model (from memory).
        benchmarks: bench(Some(79.7), Some(56.7), Some(90.2), Some(55.6)),
        source: "https://huggingface.co/Qwen/Qwen2.5-14B-Instruct/blob/main/config.json",
    },
    LocalModel {
        id: "gemma2:9b",
        name: "Gemma 2 9B",
        shape: Shape {
            sliding_layers: 21,
            window: 4096,
            ..Shape::dense(9.24, 42, 16, 8, 256).embedding(256_000, 3584, true)
        },
        // config.json: 42 layers, 16 heads, 8 KV heads, head_dim 256, 8192 positions.
        // Every other layer uses a 4096-token sliding window, so a full-context KV estimate
        // from these figures is an upper bound.
        context_tokens: 8_192,
        capabilities: caps(6, 6, 6, 7, 7, 7),
        // Gemma 2 model card, pretrained 9B (from memory).
        benchmarks: bench(Some(71.3), Some(40.2), Some(68.6), Some(36.6)),
        source: "https://huggingface.co/google/gemma-2-9b-it/blob/main/config.json",
    },
    LocalModel {
        id: "qwen3:8b",
        name: "Qwen3 8B",
        shape: Shape::dense(8.19, 36, 32, 8, 128).embedding(151_936, 4096, false),
        // config.json: 36 layers, 32 heads, 8 KV heads, head_dim 128, 40960 positions.
        context_tokens: 40_960,
        capabilities: caps(7, 7, 8, 6, 7, 8),
        // Qwen3 technical report, 8B base (from memory); HumanEval not reported (EvalPlus is).
        benchmarks: bench(Some(76.9), None, Some(89.8), Some(60.8)),
        source: "https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json",
    },
    LocalModel {
        id: "llama3.2:3b",
        name: "Llama 3.2 3B",
        shape: Shape::dense(3.21, 28, 24, 8, 128).embedding(128_256, 3072, true),
        // config.json: 28 layers, 24 heads, 8 KV heads, head_dim 128, 131072 positions.
        context_tokens: 131_072,
        capabilities: caps(4, 4, 4, 5, 6, 5),
        // Llama 3.2 3B Instruct model card: MMLU 63.4, GSM8K 77.7 (CoT), MATH 48.0.
        benchmarks: bench(Some(63.4), None, Some(77.7), Some(48.0)),
        source: "https://huggingface.co/meta-llama/Llama-3.2-3B-Instruct/blob/main/config.json",
    },
    LocalModel {
        id: "gpt-oss:20b",
        name: "gpt-oss 20B",
        // config.json: 24 layers alternating a 128-token window and full attention, 64 heads of
        // 64, 8 KV heads, 32 experts with 4 per token; 20.9B parameters, 3.6B active. Ollama
        // ships MXFP4 experts with BF16 attention (14 GB).
        shape: GPT_OSS_20B,
        context_tokens: 131_072,
        capabilities: caps(7, 7, 8, 5, 7, 6),
        benchmarks: NO_BENCH,
        source: "https://huggingface.co/openai/gpt-oss-20b/blob/main/config.json",
    },
    LocalModel {
        id: "gpt-oss:120b",
        name: "gpt-oss 120B",
        // config.json: 36 layers alternating a 128-token window and full attention, 128 experts
        // with 4 per token; 116.8B parameters, 5.1B active. Ollama: MXFP4, 65 GB.
        shape: GPT_OSS_120B,
        context_tokens: 131_072,
        capabilities: caps(8, 8, 9, 6, 8, 7),
        benchmarks: NO_BENCH,
        source: "https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json",
    },
    LocalModel {
        id: "qwen3:30b-a3b",
        name: "Qwen3 30B-A3B",
        // config.json: 48 layers, 32 heads, 4 KV heads of 128, 128 experts with 8 per token,
        // 40960 positions; 30.5B parameters, 3.3B active.
        shape: QWEN3_30B_A3B,
        context_tokens: 40_960,
        capabilities: caps(7, 7, 8, 6, 7, 8),
        benchmarks: NO_BENCH,
        source: "https://huggingface.co/Qwen/Qwen3-30B-A3B/blob/main/config.json",
    },
    LocalModel {
        id: "qwen3:32b",
        name: "Qwen3 32B",
        // config.json: 64 layers, 64 heads, 8 KV heads of 128, 40960 positions; 32.8B.
        shape: QWEN3_32B,
        context_tokens: 40_960,
        capabilities: caps(8, 8, 8, 6, 8, 8),
        benchmarks: NO_BENCH,
        source: "https://huggingface.co/Qwen/Qwen3-32B/blob/main/config.json",
    },
    LocalModel {
        id: "llama3.3:70b",
        name: "Llama 3.3 70B",
        // The Llama 3 70B architecture: 80 layers, 64 heads, 8 KV heads of 128, 131072 positions.
        shape: LLAMA3_70B,
        context_tokens: 131_072,
        capabilities: caps(8, 8, 8, 7, 8, 7),
        benchmarks: NO_BENCH,
        source: "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct/blob/main/config.json",
    },
    LocalModel {
        id: "gemma3:27b",
        name: "Gemma 3 27B",
        // text_config: 62 layers (5 of every 6 attend over a 1024-token window), 32 heads,
        // 16 KV heads of 128, 131072 positions; 27.4B parameters.
        shape: Shape {
            sliding_layers: 52,
            window: 1024,
            ..Shape::dense(27.4, 62, 32, 16, 128).embedding(262_208, 5376, true)
        },
        context_tokens: 131_072,
        capabilities: caps(7, 7, 7, 7, 8, 8),
        // MMLU 78.6 and MATH 89.0 from a third-party catalogue (bestllmfor.com), not the card.
        benchmarks: bench(Some(78.6), None, None, Some(89.0)),
        source: "https://huggingface.co/google/gemma-3-27b-it/blob/main/config.json",
    },
    LocalModel {
        id: "mistral-small3.2:24b",
        name: "Mistral Small 3.2 24B",
        // config.json: 40 layers, 32 heads, 8 KV heads of 128, 131072 positions; 24.0B.
        shape: Shape::dense(24.0, 40, 32, 8, 128).embedding(131_072, 5120, false),
        context_tokens: 131_072,
        capabilities: caps(7, 7, 7, 7, 8, 7),
        benchmarks: NO_BENCH,
        source: "https://huggingface.co/mistralai/Mistral-Small-3.2-24B-Instruct-2506/blob/main/config.json",
    },
    LocalModel {
        id: "deepseek-r1:70b",
        name: "DeepSeek R1 Distill Llama 70B",
        // The Llama 3.3 70B architecture it was distilled into.
        shape: LLAMA3_70B,
        context_tokens: 131_072,
        capabilities: caps(9, 7, 9, 6, 7, 6),
        benchmarks: NO_BENCH,
        source: "https://huggingface.co/deepseek-ai/DeepSeek-R1-Distill-Llama-70B/blob/main/config.json",
    },
];

// Rental prices are RunPod's per-GPU on-demand Pod rates (https://www.runpod.io/pricing),
// Community Cloud for cards that are also bought, Secure Cloud for the rental-only entries.
// The RunPod page itself was not reachable here; the rates are as transcribed from it by:
// - datareceipts/data-receipts 109-gpu-pricing, read 2026-11-09: A100 SXM 80GB $1.39
//   community / $1.79 secure, H100 SXM $2.69 community / $3.99 secure (Lambda's 8x H100 SXM
//   is also $3.99 per GPU-hour, https://lambda.ai/instances, read 2026-09-20);
// - deploybase.ai "RunPod GPU Pricing" (2026-03-10): RTX 3090 $0.22, RTX 4090 $0.34,
//   RTX 5090 $0.69, L40S $0.79 (its community column matches RunPod's community H100 and A100
//   rates above);
// - privum/ai-compute-prices (Hugging Face dataset), 2026-08-19: A100 SXM 40GB $1.00 community.
// TFLOPS are dense FP16 tensor throughput with FP16 accumulation (llama.cpp's F16 matrix
// products accumulate in FP16); for GeForce cards twice the FP32-accumulate rate, for
// data-centre cards the same rate.
/// RunPod's GPU pricing page.
const RUNPOD_PRICING: &str = "https://www.runpod.io/pricing";

/// Accelerators, bought or rented. The first entry is the fall-back when an id is unknown.
pub const HARDWARE: &[Hardware] = &[
    Hardware {
        id: "rtx-4090",
        name: "NVIDIA GeForce RTX 4090",
        memory_gb: 24.0,
        memory_type: "GDDR6X",
        class: MemoryClass::Gddr,
        bandwidth_gbps: 1008.0,
        // Ada whitepaper: FP16 tensor with FP16 accumulate 330.3 dense (165.2 with FP32 acc.).
        fp16_tflops: 330.3,
        fp8: true,
        fp16_derived: false,
        watts: 450.0,
        // Launch MSRP $1,599 (seed texts: $1,600).
        price_usd: Some(1600.0),
        price_quoted: false,
        rent_per_hour_usd: Some(0.34),
        life_years: 3.0,
        as_of: "2026-03-10",
        source: "https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/",
    },
    Hardware {
        id: "rtx-3090",
        name: "NVIDIA GeForce RTX 3090",
        memory_gb: 24.0,
        memory_type: "GDDR6X",
        class: MemoryClass::Gddr,
        bandwidth_gbps: 936.0,
        // GA102 whitepaper: FP16 tensor with FP16 accumulate 142 dense (71 with FP32 acc.),
        // from memory.
        fp16_tflops: 142.0,
        fp8: false,
        fp16_derived: false,
        watts: 350.0,
        // Launch MSRP (2020). Out of production; used cards sell for much less, so set the
        // price when comparing a second-hand card.
        price_usd: Some(1499.0),
        price_quoted: false,
        rent_per_hour_usd: Some(0.22),
        life_years: 3.0,
        as_of: "2026-03-10",
        source: "https://www.nvidia.com/en-us/geforce/graphics-cards/30-series/rtx-3090-3090ti/",
    },
    Hardware {
        id: "rtx-5090",
        name: "NVIDIA GeForce RTX 5090",
        memory_gb: 32.0,
        memory_type: "GDDR7",
        class: MemoryClass::Gddr,
        bandwidth_gbps: 1792.0,
        // FP16 tensor 838.4 sparse / 419.2 dense with FP16 accumulate; half with FP32 accumulate.
        fp16_tflops: 419.2,
        fp8: true,
        fp16_derived: false,
        watts: 575.0,
        // Launch MSRP; street prices have run higher.
        price_usd: Some(1999.0),
        price_quoted: false,
        rent_per_hour_usd: Some(0.69),
        life_years: 3.0,
        as_of: "2026-03-10",
        source: "https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5090/",
    },
    Hardware {
        id: "a100-40gb",
        name: "NVIDIA A100 40GB (SXM)",
        memory_gb: 40.0,
        memory_type: "HBM2",
        class: MemoryClass::Hbm,
        bandwidth_gbps: 1555.0,
        fp16_tflops: 312.0,
        fp8: false,
        fp16_derived: false,
        watts: 400.0,
        // Seed texts' figure.
        price_usd: Some(10_000.0),
        price_quoted: false,
        rent_per_hour_usd: Some(1.00),
        life_years: 4.0,
        as_of: "2026-08-19",
        source: "https://www.nvidia.com/en-us/data-center/a100/",
    },
    Hardware {
        id: "a100-80gb",
        name: "NVIDIA A100 80GB (SXM)",
        memory_gb: 80.0,
        memory_type: "HBM2e",
        class: MemoryClass::Hbm,
        bandwidth_gbps: 2039.0,
        fp16_tflops: 312.0,
        fp8: false,
        fp16_derived: false,
        watts: 400.0,
        // Top of the $8k-15k street range for refurbished/used units quoted by mercatus-ai.com
        // (2026); new units are no longer sold by NVIDIA.
        price_usd: Some(15_000.0),
        price_quoted: true,
        rent_per_hour_usd: Some(1.39),
        life_years: 4.0,
        as_of: "2026-11-09",
        source: "https://www.nvidia.com/en-us/data-center/a100/",
    },
    Hardware {
        id: "h100-80gb",
        name: "NVIDIA H100 80GB (SXM)",
        memory_gb: 80.0,
        memory_type: "HBM3",
        class: MemoryClass::Hbm,
        bandwidth_gbps: 3350.0,
        fp16_tflops: 989.4,
        fp8: true,
        fp16_derived: false,
        watts: 700.0,
        // Typical quoted price; the market range has been $25k-40k by form factor and month
        // (stratrix.com pricing analysis).
        price_usd: Some(30_000.0),
        price_quoted: true,
        rent_per_hour_usd: Some(2.69),
        life_years: 4.0,
        as_of: "2026-11-09",
        source: "https://www.nvidia.com/en-us/data-center/h100/",
    },
    Hardware {
        id: "l40s",
        name: "NVIDIA L40S",
        memory_gb: 48.0,
        memory_type: "GDDR6",
        class: MemoryClass::Gddr,
        bandwidth_gbps: 864.0,
        // Datasheet: FP16 tensor 362.05 dense (733 sparse), full rate with FP32 accumulate.
        fp16_tflops: 362.05,
        fp8: true,
        fp16_derived: false,
        watts: 350.0,
        // Commonly quoted street price (~$7.5k-10k); from memory, no vendor list price found.
        price_usd: Some(8_000.0),
        price_quoted: true,
        rent_per_hour_usd: Some(0.79),
        life_years: 4.0,
        as_of: "2026-03-10",
        source: "https://www.nvidia.com/en-us/data-center/l40s/",
    },
    Hardware {
        id: "m4-max-128",
        name: "Apple M4 Max, 128 GB (Mac Studio)",
        // 75% of the 128 GB unified memory is usable by the GPU by default.
        memory_gb: 96.0,
        memory_type: "LPDDR5X",
        class: MemoryClass::Unified,
        bandwidth_gbps: 546.0,
        // Apple publishes no TFLOPS; 40-core GPU estimate, FP16 runs at the FP32 rate.
        fp16_tflops: 18.4,
        fp8: false,
        fp16_derived: true,
        // Whole-machine draw under GPU inference load, estimated.
        watts: 140.0,
        // Mac Studio with 16-core CPU / 40-core GPU M4 Max, 128 GB, 512 GB SSD; US list price
        // from memory (the base M4 Max model with 36 GB is $1,999).
        price_usd: Some(3_499.0),
        price_quoted: true,
        rent_per_hour_usd: None,
        life_years: 3.0,
        as_of: "2026-11-22",
        source: "https://www.apple.com/mac-studio/specs/",
    },
    Hardware {
        id: "cloud-a100-80gb",
        name: "Cloud A100 80GB (RunPod Secure Cloud, on demand)",
        memory_gb: 80.0,
        memory_type: "HBM2e",
        class: MemoryClass::Hbm,
        bandwidth_gbps: 2039.0,
        fp16_tflops: 312.0,
        fp8: false,
        fp16_derived: false,
        watts: 400.0,
        price_usd: None,
        price_quoted: false,
        rent_per_hour_usd: Some(1.79),
        life_years: 4.0,
        as_of: "2026-11-09",
        source: RUNPOD_PRICING,
    },
    Hardware {
        id: "cloud-h100-80gb",
        name: "Cloud H100 80GB SXM (RunPod Secure Cloud, on demand)",
        memory_gb: 80.0,
        memory_type: "HBM3",
        class: MemoryClass::Hbm,
        bandwidth_gbps: 3350.0,
        fp16_tflops: 989.4,
        fp8: true,
        fp16_derived: false,
        watts: 700.0,
        price_usd: None,
        price_quoted: false,
        rent_per_hour_usd: Some(3.99),
        life_years: 4.0,
        as_of: "2026-11-09",
        source: RUNPOD_PRICING,
    },
    Hardware {
        id: "h200",
        name: "NVIDIA H200 141GB (SXM)",
        memory_gb: 141.0,
        memory_type: "HBM3e",
        class: MemoryClass::Hbm,
        bandwidth_gbps: 4800.0,
        // 1,979 TFLOPS BF16 is NVIDIA's figure with sparsity; dense is half.
        fp16_tflops: 989.4,
        fp8: true,
        fp16_derived: false,
        watts: 700.0,
        // No list price is published; typical quoted price for an SXM module, from memory.
        price_usd: Some(32_000.0),
        price_quoted: true,
        rent_per_hour_usd: Some(4.54),
        life_years: 4.0,
        as_of: "2026-03-17",
        // Rental: Spheron on demand, 2026-03-17 (spheron.network, "NVIDIA H200 vs B200 vs GB200").
        source: "https://www.nvidia.com/en-us/data-center/h200/",
    },
    Hardware {
        id: "b200",
        name: "NVIDIA B200 180GB (HGX)",
        memory_gb: 180.0,
        memory_type: "HBM3e",
        class: MemoryClass::Hbm,
        bandwidth_gbps: 8000.0,
        // 2,250 TFLOPS dense FP16/BF16 (4,500 with sparsity) at 1,000 W.
        fp16_tflops: 2250.0,
        fp8: true,
        fp16_derived: false,
        watts: 1000.0,
        // No list price is published; typical quoted price, from memory.
        price_usd: Some(45_000.0),
        price_quoted: true,
        rent_per_hour_usd: Some(6.03),
        life_years: 4.0,
        as_of: "2026-03-17",
        source: "https://www.nvidia.com/en-us/data-center/dgx-b200/",
    },
    Hardware {
        id: "rtx-pro-6000",
        name: "NVIDIA RTX PRO 6000 Blackwell 96GB",
        memory_gb: 96.0,
        memory_type: "GDDR7",
        class: MemoryClass::Gddr,
        bandwidth_gbps: 1792.0,
        // Derived from NVIDIA's 4,000 FP4 TOPS with sparsity: dense FP16 about 500.
        fp16_tflops: 500.0,
        fp8: true,
        fp16_derived: true,
        watts: 600.0,
        // MSRP $8,565 (retail $8,000-9,200, April 2026).
        price_usd: Some(8_565.0),
        price_quoted: false,
        rent_per_hour_usd: None,
        life_years: 4.0,
        as_of: "2026-04-01",
        source: "https://www.nvidia.com/en-us/products/workstations/professional-desktop-gpus/rtx-pro-6000/",
    },
    Hardware {
        id: "rtx-5060-ti-16gb",
        name: "NVIDIA GeForce RTX 5060 Ti 16GB",
        memory_gb: 16.0,
        memory_type: "GDDR7",
        class: MemoryClass::Gddr,
        bandwidth_gbps: 448.0,
        // Derived from 759 FP4 TOPS with sparsity: about 95 dense with FP16 accumulate.
        fp16_tflops: 94.9,
        fp8: true,
        fp16_derived: true,
        watts: 180.0,
        // Launch MSRP, 2025-04-16.
        price_usd: Some(429.0),
        price_quoted: false,
        rent_per_hour_usd: None,
        life_years: 3.0,
        as_of: "2025-04-16",
        source: "https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5060-family/",
    },
    Hardware {
        id: "dgx-spark",
        name: "NVIDIA DGX Spark (GB10), 128 GB",
        // 128 GB LPDDR5X shared with the CPU; about 120 GB usable by the GPU is assumed.
        memory_gb: 120.0,
        memory_type: "LPDDR5X",
        class: MemoryClass::Unified,
        bandwidth_gbps: 273.0,
        // 1 PFLOP FP4 with sparsity: dense FP16 about 62.5 (derived).
        fp16_tflops: 62.5,
        fp8: true,
        fp16_derived: true,
        // GB10 about 140 W, whole box under load (240 W supply).
        watts: 170.0,
        price_usd: Some(3_999.0),
        price_quoted: false,
        rent_per_hour_usd: None,
        life_years: 3.0,
        as_of: "2026-06-01",
        source: "https://www.nvidia.com/en-us/products/workstations/dgx-spark/",
    },
    Hardware {
        id: "mi300x",
        name: "AMD Instinct MI300X 192GB",
        memory_gb: 192.0,
        memory_type: "HBM3",
        class: MemoryClass::Hbm,
        bandwidth_gbps: 5300.0,
        fp16_tflops: 1307.4,
        fp8: true,
        fp16_derived: false,
        watts: 750.0,
        // Street price range $10k-15k; the top is taken.
        price_usd: Some(15_000.0),
        price_quoted: true,
        rent_per_hour_usd: Some(1.85),
        life_years: 4.0,
        as_of: "2026-06-01",
        source: "https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html",
    },
    Hardware {
        id: "ryzen-ai-max-395",
        name: "AMD Ryzen AI Max+ 395, 128 GB (Framework Desktop)",
        // Up to 96 GB assignable to the GPU.
        memory_gb: 96.0,
        memory_type: "LPDDR5X",
        class: MemoryClass::Unified,
        bandwidth_gbps: 256.0,
        // Radeon 8060S, 40 CUs at 2.9 GHz: 59.4 TFLOPS FP16 (derived).
        fp16_tflops: 59.4,
        fp8: false,
        fp16_derived: true,
        watts: 140.0,
        // Framework Desktop 128 GB, before storage.
        price_usd: Some(1_999.0),
        price_quoted: false,
        rent_per_hour_usd: None,
        life_years: 3.0,
        as_of: "2026-06-01",
        source: "https://frame.work/desktop",
    },
    Hardware {
        id: "m3-ultra-512",
        name: "Apple M3 Ultra, 512 GB (Mac Studio)",
        // 75% of unified memory is usable by the GPU by default.
        memory_gb: 384.0,
        memory_type: "LPDDR5",
        class: MemoryClass::Unified,
        bandwidth_gbps: 819.0,
        // Apple publishes no TFLOPS; 80-core GPU estimate.
        fp16_tflops: 28.4,
        fp8: false,
        fp16_derived: true,
        watts: 270.0,
        // 32-core CPU, 80-core GPU, 512 GB; US price from memory.
        price_usd: Some(9_499.0),
        price_quoted: true,
        rent_per_hour_usd: None,
        life_years: 3.0,
        as_of: "2026-06-01",
        source: "https://www.apple.com/mac-studio/specs/",
    },
];

impl Hardware {
    /// What the serving model needs of the hardware.
    pub fn device(&self) -> Device {
        Device {
            bandwidth_gbps: self.bandwidth_gbps,
            fp16_tflops: self.fp16_tflops,
            fp8: self.fp8,
            class: self.class,
        }
    }

    /// Memory capacity in bytes: the vendor's GB are GiB.
    pub fn memory_bytes(&self) -> f64 {
        self.memory_gb * GIB
    }
}

/// Bytes in a GiB.
pub const GIB: f64 = 1_073_741_824.0;

/// The cloud model with this id, if any.
pub fn cloud_model(id: &str) -> Option<&'static CloudModel> {
    CLOUD_MODELS.iter().find(|m| m.id == id)
}

/// The local model with this Ollama tag, if any.
pub fn local_model(id: &str) -> Option<&'static LocalModel> {
    LOCAL_MODELS.iter().find(|m| m.id == id)
}

/// The hardware with this id, if any.
pub fn hardware(id: &str) -> Option<&'static Hardware> {
    HARDWARE.iter().find(|h| h.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The day the data was last checked; no `as_of` may be later.
    const TODAY: &str = "2026-11-24";

    fn positive(x: f64) -> bool {
        x.is_finite() && x > 0.0
    }

    /// Parses `YYYY-MM-DD` into (year, month, day), checking the day exists.
    fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&d).then_some((y, m, d))
    }

    fn check_date(what: &str, s: &str) {
        let date = parse_date(s).unwrap_or_else(|| panic!("{what}: bad date {s:?}"));
        let today = parse_date(TODAY).unwrap();
        assert!(date <= today, "{what}: date {s} is after {TODAY}");
    }

    fn check_source(what: &str, s: &str) {
        assert!(
            s.starts_with("https://"),
            "{what}: source {s:?} is not https"
        );
        assert!(
            s.len() > "https://".len() + 3,
            "{what}: source {s:?} too short"
        );
        assert!(
            !s.contains(char::is_whitespace),
            "{what}: source {s:?} has spaces"
        );
    }

    fn check_caps(what: &str, c: &Capabilities) {
        for (name, v) in [
            ("reasoning", c.reasoning),
            ("coding", c.coding),
            ("math", c.math),
            ("creative", c.creative),
            ("instruction", c.instruction),
            ("multilingual", c.multilingual),
        ] {
            assert!(
                (1..=10).contains(&v),
                "{what}: {name} score {v} not in 1..=10"
            );
        }
    }

    fn check_bench(what: &str, b: &Benchmarks) {
        for (name, v) in [
            ("mmlu", b.mmlu),
            ("humaneval", b.humaneval),
            ("gsm8k", b.gsm8k),
            ("math", b.math),
        ] {
            if let Some(v) = v {
                assert!(
                    v.is_finite() && v > 0.0 && v <= 100.0,
                    "{what}: {name} {v} is not a percentage"
                );
            }
        }
    }

    fn check_unique<'a>(table: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for id in ids {
            assert!(!id.is_empty(), "{table}: empty id");
            assert!(
                !id.contains(char::is_whitespace),
                "{table}: id {id:?} has spaces"
            );
            assert!(seen.insert(id), "{table}: duplicate id {id}");
        }
    }

    #[test]
    fn tables_are_not_empty() {
        assert!(CLOUD_MODELS.len() >= 9);
        assert!(LOCAL_MODELS.len() >= 6);
        assert!(HARDWARE.len() >= 10);
    }

    #[test]
    fn ids_are_unique() {
        check_unique("cloud", CLOUD_MODELS.iter().map(|m| m.id));
        check_unique("local", LOCAL_MODELS.iter().map(|m| m.id));
        check_unique("hardware", HARDWARE.iter().map(|h| h.id));
    }

    #[test]
    fn required_ids_are_present() {
        for id in [
            "gpt-4o",
            "gpt-4o-mini",
            "claude-3.5-sonnet",
            "claude-3-haiku",
            "claude-sonnet-4-5",
        ] {
            assert!(cloud_model(id).is_some(), "missing cloud model {id}");
        }
        for id in [
            "llama3.1:8b",
            "llama3.1:70b",
            "codellama:7b",
            "phi3:mini",
            "qwen2.5-coder:7b",
            "mistral:7b",
        ] {
            assert!(local_model(id).is_some(), "missing local model {id}");
        }
        for id in [
            "rtx-4090",
            "rtx-3090",
            "rtx-5090",
            "a100-40gb",
            "a100-80gb",
            "h100-80gb",
            "l40s",
            "cloud-a100-80gb",
            "cloud-h100-80gb",
        ] {
            assert!(hardware(id).is_some(), "missing hardware {id}");
        }
        assert!(hardware("m2-max-96").is_some() || hardware("m4-max-128").is_some());
    }

    #[test]
    fn cloud_models_are_sane() {
        for m in CLOUD_MODELS {
            let what = m.id;
            assert!(
                !m.name.is_empty() && !m.provider.is_empty(),
                "{what}: empty name"
            );
            assert!(positive(m.input_per_mtok), "{what}: input price");
            assert!(positive(m.output_per_mtok), "{what}: output price");
            assert!(positive(m.cached_input_per_mtok), "{what}: cached price");
            assert!(
                m.cached_input_per_mtok <= m.input_per_mtok,
                "{what}: cache hits cost more than input"
            );
            assert!(
                m.output_per_mtok >= m.input_per_mtok,
                "{what}: output cheaper than input"
            );
            assert!(m.context_tokens >= 4_096, "{what}: context");
            check_caps(what, &m.capabilities);
            check_bench(what, &m.benchmarks);
            check_date(what, m.as_of);
            check_source(what, m.source);
        }
    }

    #[test]
    fn anthropic_cache_reads_are_a_tenth_of_input() {
        for m in CLOUD_MODELS.iter().filter(|m| m.provider == "Anthropic") {
            let tenth = m.input_per_mtok / 10.0;
            // The page rounds Haiku 3's $0.025 to $0.03.
            assert!(
                (m.cached_input_per_mtok - tenth).abs() <= 0.005 + 1e-12,
                "{}: cache read {} is not 10% of {}",
                m.id,
                m.cached_input_per_mtok,
                m.input_per_mtok
            );
        }
    }

    #[test]
    fn local_models_are_sane() {
        for m in LOCAL_MODELS {
            let what = m.id;
            assert!(what.contains(':'), "{what}: not an Ollama tag");
            assert!(!m.name.is_empty(), "{what}: empty name");
            assert!(positive(m.shape.params_b), "{what}: params");
            assert!(m.shape.layers >= 1, "{what}: layers");
            assert!(m.shape.kv_heads >= 1, "{what}: kv_heads");
            assert!(
                m.shape.kv_heads <= 128,
                "{what}: kv_heads {} implausible",
                m.shape.kv_heads
            );
            assert!(
                [64, 80, 96, 128, 256].contains(&m.shape.head_dim),
                "{what}: head_dim {}",
                m.shape.head_dim
            );
            assert!(m.context_tokens >= 2_048, "{what}: context");
            check_caps(what, &m.capabilities);
            check_bench(what, &m.benchmarks);
            check_source(what, m.source);
        }
    }

    #[test]
    fn hardware_is_sane() {
        for h in HARDWARE {
            let what = h.id;
            assert!(!h.name.is_empty(), "{what}: empty name");
            assert!(positive(h.memory_gb), "{what}: memory");
            assert!(positive(h.bandwidth_gbps), "{what}: bandwidth");
            assert!(positive(h.fp16_tflops), "{what}: tflops");
            assert!(positive(h.watts), "{what}: watts");
            assert!(positive(h.life_years), "{what}: life");
            assert!(
                h.price_usd.is_some() || h.rent_per_hour_usd.is_some(),
                "{what}: neither price nor rent"
            );
            if let Some(p) = h.price_usd {
                assert!(positive(p), "{what}: price");
            }
            if let Some(r) = h.rent_per_hour_usd {
                assert!(positive(r), "{what}: rent");
            }
            if what.starts_with("cloud-") {
                assert!(
                    h.price_usd.is_none(),
                    "{what}: rental-only offer has a price"
                );
                assert!(
                    h.rent_per_hour_usd.is_some(),
                    "{what}: rental offer has no rent"
                );
            }
            check_date(what, h.as_of);
            check_source(what, h.source);
        }
    }

    #[test]
    fn lookups_find_every_id() {
        for m in CLOUD_MODELS {
            assert_eq!(cloud_model(m.id), Some(m));
        }
        for m in LOCAL_MODELS {
            assert_eq!(local_model(m.id), Some(m));
        }
        for h in HARDWARE {
            assert_eq!(hardware(h.id), Some(h));
        }
        assert!(cloud_model("no-such-model").is_none());
        assert!(local_model("").is_none());
        assert!(hardware("GPT-4o").is_none());
    }

    #[test]
    fn seed_figures_are_kept() {
        let c = |id| cloud_model(id).unwrap();
        assert_eq!(c("gpt-4o").capabilities, caps(9, 9, 9, 9, 10, 9));
        assert_eq!(c("gpt-4o-mini").capabilities, caps(7, 7, 7, 7, 8, 8));
        assert_eq!(c("claude-3.5-sonnet").capabilities, caps(9, 10, 8, 9, 9, 8));
        assert_eq!(
            c("gpt-4o").benchmarks,
            bench(Some(88.7), Some(90.2), Some(95.8), Some(76.6))
        );
        let price = |id| (c(id).input_per_mtok, c(id).output_per_mtok);
        assert_eq!(price("gpt-4o"), (2.50, 10.00));
        assert_eq!(price("gpt-4o-mini"), (0.15, 0.60));
        assert_eq!(price("claude-3.5-sonnet"), (3.00, 15.00));
        assert_eq!(price("claude-3-haiku"), (0.25, 1.25));
        assert_eq!(price("claude-sonnet-4-5"), (3.00, 15.00));

        let l = |id| local_model(id).unwrap();
        assert_eq!(l("llama3.1:8b").capabilities, caps(6, 6, 5, 6, 7, 6));
        assert_eq!(l("llama3.1:70b").capabilities, caps(8, 8, 7, 7, 8, 7));
        assert_eq!(l("codellama:7b").capabilities, caps(5, 8, 6, 4, 6, 4));
        assert_eq!(l("phi3:mini").capabilities, caps(6, 6, 6, 5, 7, 5));
        let arch = |id| {
            let m = l(id);
            (m.shape.layers, m.shape.kv_heads, m.shape.head_dim)
        };
        assert_eq!(arch("llama3.1:8b"), (32, 8, 128));
        assert_eq!(arch("llama3.1:70b"), (80, 8, 128));
        assert_eq!(arch("codellama:7b"), (32, 32, 128));
        assert_eq!(arch("mistral:7b"), (32, 8, 128));
        assert_eq!(arch("qwen2.5-coder:7b"), (28, 4, 128));

        let h = |id| hardware(id).unwrap();
        assert_eq!(h("rtx-4090").price_usd, Some(1600.0));
        assert_eq!(h("rtx-4090").bandwidth_gbps, 1008.0);
        assert_eq!(h("a100-40gb").price_usd, Some(10_000.0));
        assert_eq!(h("a100-40gb").bandwidth_gbps, 1555.0);
        assert_eq!(h("h100-80gb").bandwidth_gbps, 3350.0);
    }

    #[test]
    fn date_parser_rejects_bad_dates() {
        assert!(parse_date("2026-11-22").is_some());
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-02-29").is_none());
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("2026-1-01").is_none());
        assert!(parse_date("2026/11/22").is_none());
        assert!(parse_date("2026-11-2a").is_none());
    }
}
