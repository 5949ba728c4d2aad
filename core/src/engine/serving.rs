//! How fast one replica serves: bytes read and FLOPs per decode step, batching, prefill,
//! mixture-of-experts and the KV cache, with the constants of [`crate::engine::calibration`].
//!
//! One decode step of a batch of `B` streams at context depth `d` takes
//! `max(bytes / (eff_bw · bandwidth), flops / (eff_compute · FLOPS)) + overhead`, where bytes
//! are the weights the batch reads (all of a dense model; for a mixture of experts the shared
//! weights plus the experts at least one of the `B` tokens routes to) plus `B` KV caches at
//! depth `d`, and flops are `B · (2 · active params + 4 · layers · d · attention width)`.
//! A whole round of requests (every stream prefills its prompt, then the batch decodes the
//! answers) adds the prompts' prefill to the answers' steps, so prefill under load takes its
//! share of the replica's time.

use serde::Serialize;

/// Kind of memory, the property the decode fit is made per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemoryClass {
    /// GDDR6, GDDR6X and GDDR7 graphics memory (GeForce, RTX PRO, L40S).
    Gddr,
    /// HBM2e, HBM3 and HBM3e stacks (A100, H100, H200, B200, MI300X).
    Hbm,
    /// LPDDR5/5X unified memory shared with the CPU (Apple M-series, Ryzen AI Max, DGX Spark).
    Unified,
}

impl MemoryClass {
    /// Every class.
    pub const ALL: [MemoryClass; 3] = [MemoryClass::Gddr, MemoryClass::Hbm, MemoryClass::Unified];

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            MemoryClass::Gddr => "GDDR",
            MemoryClass::Hbm => "HBM",
            MemoryClass::Unified => "unified LPDDR",
        }
    }
}

/// The serving engine, which sets how streams share a replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// Ollama or llama.cpp's server: a fixed number of parallel slots decoded together.
    Llamacpp,
    /// Continuous batching with paged KV cache: vLLM, SGLang, TGI.
    Vllm,
}

impl Engine {
    /// Every engine.
    pub const ALL: [Engine; 2] = [Engine::Llamacpp, Engine::Vllm];

    /// The value used in links.
    pub const fn as_str(self) -> &'static str {
        match self {
            Engine::Llamacpp => "llamacpp",
            Engine::Vllm => "vllm",
        }
    }

    /// Parses the link value, ignoring case.
    pub fn parse(value: &str) -> Option<Engine> {
        Engine::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(value))
    }

    /// Name for people.
    pub const fn label(self) -> &'static str {
        match self {
            Engine::Llamacpp => "Ollama / llama.cpp server",
            Engine::Vllm => "vLLM / SGLang / TGI (batching)",
        }
    }

    /// Streams a replica runs at once when the scenario does not set `slots`: Ollama's own
    /// `OLLAMA_NUM_PARALLEL` default of 1 (<https://docs.ollama.com/faq>, "How does Ollama
    /// handle concurrent requests?"), and vLLM's `max_num_seqs` default of 256
    /// (<https://docs.vllm.ai/en/stable/configuration/engine_args.html>).
    pub fn default_streams(self) -> u32 {
        match self {
            Engine::Llamacpp => 1,
            Engine::Vllm => 256,
        }
    }

    /// Share of device memory the engine takes for weights and cache: vLLM's
    /// `gpu_memory_utilization` default 0.9; llama.cpp allocates what it needs.
    pub fn memory_share(self) -> f64 {
        match self {
            Engine::Llamacpp => 1.0,
            Engine::Vllm => 0.9,
        }
    }
}

/// Element type of the KV cache (llama.cpp's `--cache-type-k/v`, Ollama's
/// `OLLAMA_KV_CACHE_TYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KvQuant {
    /// 16-bit floats, the default.
    F16,
    /// 8-bit blocks of 32 with an f16 scale: 8.5 bits.
    Q8_0,
    /// 4-bit blocks of 32 with an f16 scale: 4.5 bits.
    Q4_0,
}

impl KvQuant {
    /// Every KV type, most bytes first.
    pub const ALL: [KvQuant; 3] = [KvQuant::F16, KvQuant::Q8_0, KvQuant::Q4_0];

    /// Bytes per cached element: 2, 8.5/8 and 4.5/8.
    pub fn bytes(self) -> f64 {
        match self {
            KvQuant::F16 => 2.0,
            KvQuant::Q8_0 => 8.5 / 8.0,
            KvQuant::Q4_0 => 4.5 / 8.0,
        }
    }

    /// The value used in links.
    pub const fn as_str(self) -> &'static str {
        match self {
            KvQuant::F16 => "f16",
            KvQuant::Q8_0 => "q8_0",
            KvQuant::Q4_0 => "q4_0",
        }
    }

    /// Parses the link value, ignoring case.
    pub fn parse(value: &str) -> Option<KvQuant> {
        KvQuant::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(value))
    }
}

/// The architecture figures speed and memory need, from a model's `config.json`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Shape {
    /// Parameters, billions (every expert of a mixture).
    pub params_b: f64,
    /// Parameters one token uses, billions (equal to `params_b` for a dense model).
    pub active_params_b: f64,
    /// Routed experts per MoE layer (0 for a dense model).
    pub experts: u32,
    /// Experts each token is routed to.
    pub experts_per_token: u32,
    /// Transformer layers.
    pub layers: u32,
    /// Key/value heads (GQA).
    pub kv_heads: u32,
    /// Dimension of one head.
    pub head_dim: u32,
    /// Query heads × head dimension: the width attention scores are computed at.
    pub attention_dim: u32,
    /// Layers that attend only to a sliding window (0 when every layer sees the whole context).
    pub sliding_layers: u32,
    /// Tokens in the sliding window.
    pub window: u32,
    /// Parameters of the token embedding table, billions: vocabulary × hidden width.
    pub embedding_b: f64,
    /// Whether the output projection is the embedding table itself (tied) rather than a
    /// second table of the same size.
    pub tied: bool,
}

impl Shape {
    /// A dense model with full attention on every layer.
    pub const fn dense(
        params_b: f64,
        layers: u32,
        heads: u32,
        kv_heads: u32,
        head_dim: u32,
    ) -> Shape {
        Shape {
            params_b,
            active_params_b: params_b,
            experts: 0,
            experts_per_token: 0,
            layers,
            kv_heads,
            head_dim,
            attention_dim: heads * head_dim,
            sliding_layers: 0,
            window: 0,
            embedding_b: 0.0,
            tied: false,
        }
    }

    /// The same model with a `vocab` × `hidden` embedding table, `tied` or not to the output
    /// projection.
    pub const fn embedding(self, vocab: u32, hidden: u32, tied: bool) -> Shape {
        Shape {
            embedding_b: vocab as f64 * hidden as f64 / 1e9,
            tied,
            ..self
        }
    }

    /// Billions of parameters a decode step does not read: the input embedding table of an
    /// untied model, of which each token looks up one row (a tied table is read whole as the
    /// output projection).
    pub fn lookup_only_b(&self) -> f64 {
        if self.tied {
            0.0
        } else {
            self.embedding_b
        }
    }

    /// Billions of parameters a prompt token multiplies through when only the last token's
    /// logits are computed: the active parameters less the embedding table and the output
    /// projection (one table when tied, two when not).
    pub fn prompt_params_b(&self) -> f64 {
        let tables = if self.tied { 1.0 } else { 2.0 };
        (self.active_params_b - tables * self.embedding_b).max(0.0)
    }

    /// Whether tokens are routed to experts.
    pub fn is_moe(&self) -> bool {
        self.experts > self.experts_per_token && self.experts_per_token > 0
    }

    /// Billions of parameters every token uses (attention, embeddings, shared experts):
    /// solving `active = shared + (params − shared) · k / E` for `shared`; all of a dense model.
    pub fn shared_params_b(&self) -> f64 {
        if !self.is_moe() {
            return self.params_b;
        }
        let routed = self.routed_share();
        ((self.active_params_b - self.params_b * routed) / (1.0 - routed)).clamp(0.0, self.params_b)
    }

    /// `k / E`: the share of the experts one token reads.
    fn routed_share(&self) -> f64 {
        f64::from(self.experts_per_token) / f64::from(self.experts)
    }

    /// Share of the experts that at least one of `batch` tokens reads, routing taken as
    /// uniform: `1 − (1 − k/E)^B`; 1 for a dense model.
    pub fn experts_touched(&self, batch: f64) -> f64 {
        if self.is_moe() {
            1.0 - (1.0 - self.routed_share()).powf(batch.max(1.0))
        } else {
            1.0
        }
    }

    /// Bytes of KV cache one stream holds at `depth` tokens: keys and values (2) per KV head
    /// and head dimension, for every full-attention layer at `depth` and every sliding layer at
    /// `min(depth, window)`.
    pub fn kv_bytes(&self, depth: f64, kv: KvQuant) -> f64 {
        let full = f64::from(self.layers - self.sliding_layers.min(self.layers)) * depth;
        let sliding =
            f64::from(self.sliding_layers.min(self.layers)) * depth.min(f64::from(self.window));
        2.0 * f64::from(self.kv_heads) * f64::from(self.head_dim) * kv.bytes() * (full + sliding)
    }

    /// Attention FLOPs of one token at `depth`: scores and weighted values,
    /// `4 · attention_dim · context` per layer, the context capped at the window on sliding
    /// layers.
    pub fn attention_flops(&self, depth: f64) -> f64 {
        let full = f64::from(self.layers - self.sliding_layers.min(self.layers)) * depth;
        let sliding =
            f64::from(self.sliding_layers.min(self.layers)) * depth.min(f64::from(self.window));
        4.0 * f64::from(self.attention_dim) * (full + sliding)
    }
}

/// What the step-time formula needs of a device.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Device {
    /// Memory bandwidth, GB/s.
    pub bandwidth_gbps: f64,
    /// Dense FP16/BF16 tensor throughput, TFLOPS.
    pub fp16_tflops: f64,
    /// Whether its tensor cores multiply FP8 at twice the dense FP16 rate (NVIDIA Ada, Hopper
    /// and Blackwell; AMD CDNA 3), as vLLM does with FP8 weights and activations.
    pub fp8: bool,
    /// Kind of memory.
    pub class: MemoryClass,
}

/// The fitted constants of one engine on one memory class (see [`crate::engine::calibration`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fit {
    /// Share of peak bandwidth a decode step reads at.
    pub bandwidth_eff: f64,
    /// Share of `bandwidth_eff` at which weights in block formats, dequantized on the fly, are
    /// read (1 where the fit's rows cannot tell them from plain weights).
    pub dequant_read: f64,
    /// Fixed time per decode step (kernel launches, sampling, scheduling), ms.
    pub overhead_ms: f64,
    /// Share of dense FP16 throughput prefill and batched decode compute at.
    pub compute_eff: f64,
}

/// How fast prefill's matrix products run against dense FP16 ones on the same device,
/// fitted on the table (see [`crate::engine::calibration`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Kernels {
    /// Share for weights in block formats dequantized on the fly (llama.cpp's `q*`, MXFP4).
    pub dequant_prefill: f64,
    /// Share for a mixture of experts, whose tokens split into one small product per expert.
    pub moe_prefill: f64,
}

impl Kernels {
    /// Dense FP16 products: no penalty.
    pub const NONE: Kernels = Kernels {
        dequant_prefill: 1.0,
        moe_prefill: 1.0,
    };

    /// The share of a replica's prefill products: the product of the penalties that apply.
    pub fn share(&self, serving: &Serving) -> f64 {
        let dequant = if serving.bits.dequantized {
            self.dequant_prefill
        } else {
            1.0
        };
        let moe = if serving.shape.is_moe() {
            self.moe_prefill
        } else {
            1.0
        };
        dequant * moe
    }
}

/// Weight bits of a quantization: the bits of quantized tensors, and of the tensors every
/// token uses on a mixture of experts (MXFP4 quantizes only the experts, as gpt-oss ships).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeightBits {
    /// Bits per weight of the quantized tensors, block scales included.
    pub quantized: f64,
    /// Bits per weight of the shared tensors of a mixture of experts.
    pub shared: f64,
    /// Whether matrix products dequantize blocks on the fly (llama.cpp's formats, MXFP4);
    /// FP16 and FP8 go to the tensor cores as they are.
    pub dequantized: bool,
    /// Whether the weights are FP8, which vLLM multiplies on FP8 tensor cores where the
    /// device has them.
    pub tensor_fp8: bool,
}

/// One replica of a model on a device under an engine: every speed the sizing needs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Serving {
    /// The model's architecture.
    pub shape: Shape,
    /// Weight bits.
    pub bits: WeightBits,
    /// KV-cache element type.
    pub kv: KvQuant,
    /// The device one unit is.
    pub device: Device,
    /// Units one replica spans; vLLM splits tensors across them (bandwidth and FLOPS add up),
    /// llama.cpp splits layers (each token still crosses them one after another).
    pub units: u32,
    /// The engine.
    pub engine: Engine,
    /// The constants in use.
    pub fit: Fit,
    /// Prefill's kernel shares.
    pub kernels: Kernels,
}

impl Serving {
    /// Bytes of weights a replica holds: `shared · shared bits + experts · bits`, / 8.
    pub fn weight_bytes(&self) -> f64 {
        let shared = self.shape.shared_params_b();
        let routed = self.shape.params_b - shared;
        (shared * self.shared_bits() + routed * self.bits.quantized) * 1e9 / 8.0
    }

    /// Bytes of weights one step of `batch` tokens reads: the shared weights (less an untied
    /// input embedding table, of which a token reads one row) and the experts touched (all
    /// the experts' weights on a dense model).
    pub fn weight_bytes_read(&self, batch: f64) -> f64 {
        let shared = self.shape.shared_params_b();
        let routed = self.shape.params_b - shared;
        ((shared - self.shape.lookup_only_b()) * self.shared_bits()
            + routed * self.shape.experts_touched(batch) * self.bits.quantized)
            * 1e9
            / 8.0
    }

    fn shared_bits(&self) -> f64 {
        if self.shape.is_moe() {
            self.bits.shared
        } else {
            self.bits.quantized
        }
    }

    /// Effective bytes/s a decode step reads at: `eff_bw · bandwidth`, times the units under
    /// tensor parallelism.
    pub fn effective_bandwidth(&self) -> f64 {
        self.fit.bandwidth_eff * self.device.bandwidth_gbps * 1e9 * self.parallel()
    }

    /// Effective FLOP/s: `eff_compute · FLOPS`, times the units under tensor parallelism,
    /// twice that where vLLM runs FP8 weights on FP8 tensor cores.
    pub fn effective_flops(&self) -> f64 {
        self.fit.compute_eff * self.device.fp16_tflops * 1e12 * self.parallel() * self.fp8_speedup()
    }

    /// 2 where vLLM multiplies FP8 weights and activations on FP8 tensor cores, 1 otherwise
    /// (llama.cpp has no FP8 products).
    pub fn fp8_speedup(&self) -> f64 {
        let fp8 = self.bits.tensor_fp8 && self.device.fp8 && self.engine == Engine::Vllm;
        if fp8 {
            2.0
        } else {
            1.0
        }
    }

    /// Units a step is spread over: the replica's units under vLLM's tensor parallelism, 1
    /// under llama.cpp (layers split in turn).
    pub fn parallel(&self) -> f64 {
        match self.engine {
            Engine::Vllm => f64::from(self.units.max(1)),
            Engine::Llamacpp => 1.0,
        }
    }

    /// Seconds one decode step of `batch` streams at `depth` tokens reads memory for:
    /// `(weights read ÷ weight share + batch × KV bytes) ÷ effective bandwidth`.
    pub fn memory_s(&self, batch: f64, depth: f64) -> f64 {
        (self.weight_bytes_read(batch) / self.weight_read_share()
            + batch * self.shape.kv_bytes(depth, self.kv))
            / self.effective_bandwidth()
    }

    /// Share of the effective bandwidth the weights are read at: `dequant_read` for block
    /// formats, 1 for plain weights.
    pub fn weight_read_share(&self) -> f64 {
        if self.bits.dequantized {
            self.fit.dequant_read
        } else {
            1.0
        }
    }

    /// Seconds one decode step of `batch` streams at `depth` tokens computes for.
    pub fn compute_s(&self, batch: f64, depth: f64) -> f64 {
        batch * self.token_flops(depth) / self.effective_flops()
    }

    /// FLOPs of one decoded token at `depth`: `2 · (active params − lookup table) +
    /// attention`.
    pub fn token_flops(&self, depth: f64) -> f64 {
        2.0 * (self.shape.active_params_b - self.shape.lookup_only_b()) * 1e9
            + self.shape.attention_flops(depth)
    }

    /// Seconds of one decode step: `max(memory, compute) + overhead`.
    pub fn step_s(&self, batch: f64, depth: f64) -> f64 {
        self.memory_s(batch, depth)
            .max(self.compute_s(batch, depth))
            + self.fit.overhead_ms / 1e3
    }

    /// Tokens/s of one stream decoding alone at `depth`: `1 / step(1, depth)`.
    pub fn decode_tps(&self, depth: f64) -> f64 {
        1.0 / self.step_s(1.0, depth)
    }

    /// Seconds to prefill `prompt` tokens after `depth` already cached: compute-bound,
    /// `prompt · 2 · prompt params ÷ kernel share + attention over depth..depth+prompt`, at
    /// least one read of the weights.
    pub fn prefill_s(&self, prompt: f64, depth: f64) -> f64 {
        let linear = prompt * 2.0 * self.shape.prompt_params_b() * 1e9;
        // The attention of token t costs attention_flops(t); summed over the prompt, the mean
        // depth is depth + prompt / 2.
        let attention = prompt * self.shape.attention_flops(depth + prompt / 2.0);
        let compute = (linear / self.kernels.share(self) + attention) / self.effective_flops();
        compute.max(self.weight_bytes() / self.weight_read_share() / self.effective_bandwidth())
    }

    /// Prefill tokens/s of a `prompt`-token prompt from an empty cache.
    pub fn prefill_tps(&self, prompt: f64) -> f64 {
        prompt / self.prefill_s(prompt, 0.0)
    }

    /// Seconds of one round in which each of `batch` streams prefills `input` tokens and
    /// decodes `output`: the prompts one after another, then `output` steps of the whole batch
    /// at the mean depth `input + output / 2`: `B · prefill(input) + output · step(B)`.
    pub fn round_s(&self, batch: f64, input: f64, output: f64) -> f64 {
        batch * self.prefill_s(input, 0.0) + output * self.step_s(batch, input + output / 2.0)
    }

    /// Output tokens/s of the replica with `batch` streams busy: `B · output / round`.
    pub fn aggregate_tps(&self, batch: f64, input: f64, output: f64) -> f64 {
        batch * output / self.round_s(batch, input, output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::measured::LLAMA3_8B;

    const LLAMA_8B: Shape = LLAMA3_8B;

    fn serving(shape: Shape, engine: Engine) -> Serving {
        Serving {
            shape,
            bits: WeightBits {
                quantized: 16.0,
                shared: 16.0,
                dequantized: false,
                tensor_fp8: false,
            },
            kv: KvQuant::F16,
            device: Device {
                bandwidth_gbps: 1000.0,
                fp16_tflops: 100.0,
                fp8: false,
                class: MemoryClass::Gddr,
            },
            units: 1,
            engine,
            fit: Fit {
                bandwidth_eff: 0.8,
                dequant_read: 1.0,
                overhead_ms: 1.0,
                compute_eff: 0.5,
            },
            kernels: Kernels::NONE,
        }
    }

    fn check(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() <= expected.abs() * 1e-9,
            "{actual} != {expected}"
        );
    }

    #[test]
    fn dense_step_at_depth_zero() {
        // Llama 3 8B reads all but its untied input table (128,256 × 4,096 = 0.525 B):
        // 7.5047 B · 2 B = 15.009 GB at 800 GB/s = 18.762 ms, + 1 ms.
        let s = serving(LLAMA_8B, Engine::Llamacpp);
        let read = (8.03e9 - 128_256.0 * 4096.0) * 2.0;
        check(s.step_s(1.0, 0.0), read / 800e9 + 0.001);
        // 64 streams: compute 64 · 15.009e9 FLOPs / 50e12 = 19.21 ms beats memory 18.76 ms.
        check(s.step_s(64.0, 0.0), 64.0 * read / 50e12 + 0.001);
    }

    #[test]
    fn kv_bytes_per_token() {
        // 2 · 8 heads · 128 · 2 B · 32 layers = 131,072 bytes per token.
        check(LLAMA_8B.kv_bytes(1.0, KvQuant::F16), 131_072.0);
        check(
            LLAMA_8B.kv_bytes(1.0, KvQuant::Q8_0),
            131_072.0 * 8.5 / 16.0,
        );
    }

    #[test]
    fn sliding_layers_stop_at_their_window() {
        let gemma = Shape {
            sliding_layers: 5,
            window: 1024,
            ..Shape::dense(1.0, 6, 8, 1, 128)
        };
        // 1 full layer at 4096 + 5 sliding at 1024: 2 · 128 · 2 B · (4096 + 5120).
        check(gemma.kv_bytes(4096.0, KvQuant::F16), 512.0 * 9216.0);
    }

    #[test]
    fn moe_reads_shared_and_routed_experts() {
        // 32 experts, 4 per token: shared = (3.6 − 20.9/8) / (7/8) = 1.1286 B.
        let moe = Shape {
            active_params_b: 3.6,
            experts: 32,
            experts_per_token: 4,
            ..Shape::dense(20.9, 24, 64, 8, 64)
        };
        check(moe.shared_params_b(), (3.6 - 20.9 / 8.0) / 0.875);
        let s = serving(moe, Engine::Llamacpp);
        // One token reads exactly the active parameters.
        check(s.weight_bytes_read(1.0), 3.6e9 * 2.0);
        // Two tokens touch 1 − (7/8)^2 = 15/64 of the experts.
        let routed = 20.9 - moe.shared_params_b();
        check(
            s.weight_bytes_read(2.0),
            (moe.shared_params_b() + routed * 15.0 / 64.0) * 2e9,
        );
    }
}
