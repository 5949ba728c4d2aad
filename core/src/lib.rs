//! Crossover's engine: prices, sizes and scores running an LLM locally against a cloud API.
//!
//! Pure functions over plain data: no clock, no I/O, no DOM. [`evaluate`] turns a
//! [`Scenario`] into a [`Report`]; [`codec::link`] turns scenarios into links and back;
//! [`measure`] builds the requests of a live measurement and decodes and summarises what
//! comes back, the page doing the fetching and the timing.
//!
//! # Where each formula lives
//!
//! Each formula is written in the doc comment of the function that computes it, and
//! `core/tests/fixtures/golden.txt` works scenarios out by hand, arithmetic beside each figure.
//! Money is in US dollars; a month is 30 days and a year 12 months; token prices are per
//! 1,000,000 tokens; GB is 10^9 bytes, and a "24 GB" card holds 24 GiB.
//!
//! | folder | module | what it owns |
//! |---|---|---|
//! | [`engine`] | [`cost`](engine::cost) | cloud `(in_tok·(1−cache)·p_in + in_tok·cache·p_cache + out_tok·p_out)/1e6`; owned `units·(price/(life·12) + W·h·30/1000·kWh) + maint + ops`; rented `units·rent·h·30 + maint + ops` |
//! | | [`serving`](engine::serving) | decode step `max((weights ÷ share + B·KV)/(eff·bandwidth), B·flops/(eff·FLOPS)) + overhead`, the weights those of the experts the batch touches; prefill compute-bound with attention; FP8 weights under vLLM at twice the FP16 rate on FP8 tensor cores |
//! | | [`calibration`](engine::calibration) | the fits per memory class (and per hardware with enough rows) of the measured table, every row's error, in-sample and held out |
//! | | [`capacity`](engine::capacity), [`plan`](engine::plan) | round `service = B·prefill + out·step(B)`; Little's law `avg = rpd/(h·3600)·service`; streams per replica from the engine, the KV cache that fits and `slo_tpot`; replicas from the load, the peak and `slo_ttft` (Erlang C p95 wait); under vLLM the tensor-parallel degree (1 to 8) that needs the fewest units |
//! | | [`memory`](engine::memory) | weights `(shared·shared bits + experts·bits)/8`; GQA- and window-aware KV at `kvq`; 1 GB overhead |
//! | | [`break_even`](engine::break_even) | payback `upfront/(cloud − opex)` (simulated month by month with growth); smallest break-even volume across capacity steps |
//! | | [`tco`](engine::tco) | monthly simulation with growth, added units, replacements at end of life, upgrades |
//! | | [`decision`](engine::decision), [`guide`](engine::guide) | the weighted trade-off matrix; the rule-based guide with its reasons |
//! | | [`hybrid`](engine::hybrid), [`sensitivity`](engine::sensitivity), [`sweep`](engine::sweep) | mixes and escalation; ±25% tornado; chart series |
//! | | [`inputs`](engine::inputs), [`report`](engine::report) | a scenario resolved against the catalogs; [`evaluate`] and everything it returns |
//! | [`view`] | [`table`](view::table), [`chart`](view::chart), [`working`](view::working), [`export`](view::export), [`format`](view::format), [`load_steps`](view::load_steps) | what the page and the exports show, as plain data: no formula of their own |
//! | [`codec`] | [`link`](codec::link), [`json`](codec::json), [`prices`](codec::prices), [`benchmark`](codec::benchmark) | scenario links (schema v1), the JSON reader, LiteLLM price files, result files of vllm bench serve, genai-perf, AIPerf and llama-bench |
//! | [`catalog`] | [`catalog`], [`measured`](catalog::measured), [`presets`](catalog::presets) | cloud models, local models and hardware with sources and dates; the published measurements the serving model is fitted on; ready-made scenarios |
//! | [`measure`] | [`load`](measure::load), [`sweep`](measure::sweep) and the rest | a load step's TTFT, TPOT `(e2e − TTFT)/(tokens − 1)` per request, pooled ITL, throughputs and goodput, as vLLM defines them; the sweep's ladder 1, 2, 4, … and the highest step where 95% of requests met every target; line framing, NDJSON and SSE decoding of the three APIs, requests, per-run figures (TTFT, decode rate `eval_count/eval_duration·1e9` or `(tokens−1)/(total−first token)`, inter-token latency), percentiles, diagnostics |

pub mod catalog;
pub mod codec;
pub mod engine;
pub mod measure;
pub mod scenario;
pub mod view;

pub use engine::report::{evaluate, Report};
pub use scenario::Scenario;
