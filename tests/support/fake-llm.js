// A fake LLM server on 127.0.0.1, started by a test in place of a real one. It speaks enough of
// Ollama's native API, the OpenAI-compatible chat completions API and Anthropic's messages API
// for the page to list models and stream an answer, and it owns the timing of that answer (the
// time to the first token and the gap between tokens, kept on a monotonic clock from the
// request's arrival), the token counts the server reports, the failures a real server shows (HTTP
// errors in each API's own shape, a CORS refusal, an error, a cut, a garbled line or a stall in
// the middle of a stream) and the log of every request it received, so a test can check what the
// page sent. Knobs are path segments `name=value` before the API path, so they travel inside the
// base URL a person types: `http://127.0.0.1:PORT/ttft=300/itl=10/` + `api/chat`. With
// `{tls: true}` it serves the same API over HTTPS with HTTP/2 (HTTP/1.1 still accepted), under a
// throwaway self-signed certificate for 127.0.0.1, so that a browser multiplexes every stream
// on one connection instead of keeping to six HTTP/1.1 connections per host.

import { createServer } from 'node:http';
import { constants as http2Constants, createSecureServer } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { selfSignedCertificate } from './tls.js';

/** Every knob with its default; a knob not listed here is refused with a 400. */
const DEFAULTS = {
  ttft: 50, // ms from the request's arrival to the first token (and to the status line)
  itl: 5, // ms between tokens
  tokens: 16, // answer tokens
  think: 0, // thinking tokens, streamed before the answer tokens
  load: 0, // ms reported as Ollama's load_duration (reported only, never waited for)
  usage: 1, // 0: the server reports no token counts
  timings: 0, // 1: OpenAI-compatible streams end with llama.cpp's own `timings`
  fault: '', // see FAULTS
  key: '', // when set, the API key the OpenAI and Anthropic endpoints require
  vram: 1, // share of a loaded model Ollama's /api/ps says is on the GPU (the rest on the CPU)
  ttftc: 0, // ms added to ttft for each other stream open when a request arrives
  itlc: 0, // ms added to itl for each other stream open when a request arrives
  prefill: 0, // prompt tokens/s: when set, the prompt's time is added to ttft and reported
};
const NUMERIC = new Set([
  'ttft',
  'itl',
  'tokens',
  'think',
  'load',
  'usage',
  'timings',
  'vram',
  'ttftc',
  'itlc',
  'prefill',
]);

/**
 * The time the server says it spent on a prompt of `prompt` tokens, ms: `prompt ÷ prefill`
 * with the `prefill` knob, else 1 ms a token.
 */
function promptMs(knobs, prompt) {
  return knobs.prefill > 0 ? (prompt * 1000) / knobs.prefill : prompt;
}
const STATUS_FAULTS = new Set(['401', '403', '404', '429', '500', '503']);
const STREAM_FAULTS = new Set(['midstream', 'drop', 'malformed', 'stall']);
const FAULTS = new Set(['cors', ...STATUS_FAULTS, ...STREAM_FAULTS]);
/** Stream faults strike once this many tokens have been sent (or at the end if fewer). */
const FAULT_AFTER = 3;

const OLLAMA_MODELS = [
  {
    name: 'llama3.1:8b',
    model: 'llama3.1:8b',
    modified_at: '2026-01-10T09:00:00Z',
    size: 4920753328,
    details: {
      format: 'gguf',
      family: 'llama',
      parameter_size: '8.0B',
      quantization_level: 'Q4_K_M',
    },
  },
  {
    name: 'qwen3:8b',
    model: 'qwen3:8b',
    modified_at: '2026-01-12T09:00:00Z',
    size: 5225388164,
    details: {
      format: 'gguf',
      family: 'qwen3',
      parameter_size: '8.2B',
      quantization_level: 'Q4_K_M',
    },
  },
];
const OLLAMA_RUNNING = [
  {
    name: 'llama3.1:8b',
    model: 'llama3.1:8b',
    size: 6654289920,
    size_vram: 6654289920,
    expires_at: '2026-11-22T10:00:00Z',
    context_length: 4096,
  },
];
const OPENAI_MODELS = ['gpt-4o-mini', 'gpt-4o', 'o4-mini'].map((id) => ({
  id,
  object: 'model',
  created: 1721172741,
  owned_by: 'system',
}));
const ANTHROPIC_MODELS = [
  ['claude-sonnet-4-5', 'Claude Sonnet 4.5'],
  ['claude-haiku-4-5', 'Claude Haiku 4.5'],
].map(([id, display_name]) => ({
  type: 'model',
  id,
  display_name,
  created_at: '2025-10-01T00:00:00Z',
}));

const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'content-type, authorization, x-api-key, anthropic-version, ' +
    'anthropic-dangerous-direct-browser-access',
  'Access-Control-Max-Age': '600',
};

/**
 * The text of answer token `i`: `tok{i} `, except that token 3 holds a two-byte UTF-8
 * character and token 5 a four-byte one (each is written in two pieces split inside that
 * character, 1 ms apart, so a reader that decodes chunk by chunk breaks on them).
 *
 * @param {number} i
 * @returns {string}
 */
export function answerToken(i) {
  if (i === 3) return 'tok3é ';
  if (i === 5) return 'tok5🙂 ';
  return `tok${i} `;
}

/**
 * The text of thinking token `i`: `th{i} `.
 *
 * @param {number} i
 * @returns {string}
 */
export function thinkingToken(i) {
  return `th${i} `;
}

/**
 * The most of `requests` (entries of a server's request log) that were open at the same
 * time, from their arrival to their end.
 *
 * @param {{arrivedAt: number, finishedAt: number}[]} requests
 * @returns {number}
 */
export function mostAtOnce(requests) {
  const events = requests.flatMap((r) => [
    [r.arrivedAt, 1],
    [r.finishedAt, -1],
  ]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of events) {
    open += step;
    most = Math.max(most, open);
  }
  return most;
}

/**
 * The prompt token count the server reports for a request body: the whitespace-separated
 * words of every message (and of Anthropic's `system`), plus 10.
 *
 * @param {any} body the parsed request body
 * @returns {number}
 */
export function promptTokens(body) {
  const texts = [];
  const add = (content) => {
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) if (typeof part?.text === 'string') texts.push(part.text);
    }
  };
  add(body?.system);
  for (const message of Array.isArray(body?.messages) ? body.messages : []) add(message?.content);
  return texts.join(' ').split(/\s+/).filter(Boolean).length + 10;
}

/** The knobs at the start of a path and the API path after them (no leading `/`). */
function parseKnobs(pathname) {
  const segments = pathname.split('/').filter((s) => s !== '');
  const knobs = { ...DEFAULTS };
  let i = 0;
  for (; i < segments.length && segments[i].includes('='); i++) {
    let segment;
    try {
      segment = decodeURIComponent(segments[i]);
    } catch {
      return { error: `malformed knob "${segments[i]}"` };
    }
    const at = segment.indexOf('=');
    const name = segment.slice(0, at);
    const value = segment.slice(at + 1);
    if (!Object.hasOwn(DEFAULTS, name)) return { error: `unknown knob "${name}"` };
    if (NUMERIC.has(name)) {
      const number = Number(value);
      if (value === '' || !Number.isFinite(number) || number < 0) {
        return { error: `knob ${name} wants a number >= 0, not "${value}"` };
      }
      knobs[name] = name === 'tokens' || name === 'think' ? Math.floor(number) : number;
    } else if (name === 'fault' && !FAULTS.has(value)) {
      return { error: `unknown fault "${value}"; one of ${[...FAULTS].join(', ')}` };
    } else {
      knobs[name] = value;
    }
  }
  return { knobs, api: segments.slice(i).join('/') };
}

/** Which API's error shape a path answers with. */
function protocolOf(api, headers) {
  if (api === 'v1/messages') return 'anthropic';
  if (api === 'v1/models' && headers['anthropic-version'] !== undefined) return 'anthropic';
  if (api.startsWith('v1/')) return 'openai';
  return 'ollama';
}

/** An error body in the shape of `protocol`'s API; `detail` replaces the stock message. */
function errorBody(protocol, status, model, detail) {
  if (protocol === 'ollama') {
    const stock = {
      401: 'unauthorized',
      403: 'forbidden',
      404: `model "${model}" not found, try pulling it first`,
      429: 'too many requests',
      500: 'internal server error',
      503: 'server busy, please try again.  maximum pending requests exceeded',
    };
    return { error: detail ?? stock[status] ?? `status ${status}` };
  }
  if (protocol === 'openai') {
    const stock = {
      400: ['invalid_request_error', 'invalid_request', 'Invalid request'],
      401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided'],
      403: [
        'invalid_request_error',
        'unsupported_country_region_territory',
        'Country, region, or territory not supported',
      ],
      404: [
        'invalid_request_error',
        'model_not_found',
        `The model \`${model}\` does not exist or you do not have access to it.`,
      ],
      405: ['invalid_request_error', 'method_not_allowed', 'Method not allowed'],
      429: ['invalid_request_error', 'rate_limit_exceeded', 'Rate limit reached for requests'],
      500: [
        'server_error',
        'internal_error',
        'The server had an error while processing your request. Sorry about that!',
      ],
      503: [
        'server_error',
        'service_unavailable',
        'The engine is currently overloaded, please try again later',
      ],
    };
    const [type, code, message] = stock[status] ?? stock[400];
    return { error: { message: detail ?? message, type, param: null, code } };
  }
  const stock = {
    400: ['invalid_request_error', 'Invalid request'],
    401: ['authentication_error', 'invalid x-api-key'],
    403: [
      'permission_error',
      'Your API key does not have permission to use the specified resource.',
    ],
    404: ['not_found_error', `model: ${model}`],
    405: ['invalid_request_error', 'Method not allowed'],
    429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'],
    500: ['api_error', 'Internal server error'],
    503: ['overloaded_error', 'Overloaded'],
  };
  const [type, message] = stock[status] ?? stock[400];
  return { type: 'error', error: { type, message: detail ?? message } };
}

/** Ollama's NDJSON stream: one JSON object a line. */
function ollamaStream({ model, knobs, capped }) {
  const line = (object) => JSON.stringify(object) + '\n';
  const head = () => ({ model, created_at: new Date().toISOString() });
  return {
    contentType: 'application/x-ndjson',
    start: () => '',
    token: ({ kind, text }) =>
      line({
        ...head(),
        message:
          kind === 'think'
            ? { role: 'assistant', content: '', thinking: text }
            : { role: 'assistant', content: text },
        done: false,
      }),
    keepAlive: () => '',
    malformed: () =>
      `{"model":${JSON.stringify(model)},"message":{"role":"assistant","content":"garbled\n`,
    error: () => line({ error: 'an error was encountered while running the model' }),
    finish: (stats) =>
      line({
        ...head(),
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: capped ? 'length' : 'stop',
        total_duration: stats.totalNs,
        load_duration: Math.round(knobs.load * 1e6),
        ...(knobs.usage
          ? {
              prompt_eval_count: stats.prompt,
              prompt_eval_duration: Math.round(promptMs(knobs, stats.prompt) * 1e6),
              eval_count: stats.tokens,
              eval_duration: stats.evalNs,
            }
          : {}),
      }),
  };
}

/** The OpenAI-compatible SSE stream: `data: {chunk}` events, then `data: [DONE]`. */
function openaiStream({ model, knobs, capped, body, serial }) {
  const id = `chatcmpl-${serial}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices, extra = {}) => {
    const data = { id, object: 'chat.completion.chunk', created, model, choices, ...extra };
    return `data: ${JSON.stringify(data)}\n\n`;
  };
  const includeUsage = body?.stream_options?.include_usage === true && knobs.usage !== 0;
  return {
    contentType: 'text/event-stream',
    start: () =>
      ': keep-alive\n\n' +
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    token: ({ kind, text }) =>
      chunk([
        {
          index: 0,
          delta: kind === 'think' ? { reasoning_content: text } : { content: text },
          finish_reason: null,
        },
      ]),
    keepAlive: () => ': keep-alive\n\n',
    malformed: () => `data: {"id":"${id}","choices":[{"index":0,"delta":{"content":"garbled\n\n`,
    error: () => `data: ${JSON.stringify({ error: { message: 'upstream error', code: 502 } })}\n\n`,
    finish: (stats) => {
      // llama.cpp adds its timings to the last chunk it sends: the usage chunk when asked
      // for one. Its prompt takes 1 ms a token, as the Ollama stream's does.
      const timings = knobs.timings
        ? {
            timings: {
              cache_n: 0,
              prompt_n: stats.prompt,
              prompt_ms: promptMs(knobs, stats.prompt),
              predicted_n: stats.tokens,
              predicted_ms: stats.evalNs / 1e6,
            },
          }
        : {};
      const finish = [{ index: 0, delta: {}, finish_reason: capped ? 'length' : 'stop' }];
      return (
        (includeUsage
          ? chunk(finish) +
            chunk([], {
              usage: {
                prompt_tokens: stats.prompt,
                completion_tokens: stats.tokens,
                total_tokens: stats.prompt + stats.tokens,
              },
              ...timings,
            })
          : chunk(finish, timings)) + 'data: [DONE]\n\n'
      );
    },
  };
}

/** Anthropic's SSE stream: `event: name` + `data: {json}` pairs, thinking in its own block. */
function anthropicStream({ model, knobs, capped, plan, prompt, serial }) {
  const event = (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  let block = -1; // index of the open content block
  let blockKind = null;
  const open = (kind) => {
    block += 1;
    blockKind = kind;
    return event('content_block_start', {
      type: 'content_block_start',
      index: block,
      content_block:
        kind === 'think'
          ? { type: 'thinking', thinking: '', signature: '' }
          : { type: 'text', text: '' },
    });
  };
  const close = () => {
    if (blockKind === null) return '';
    const signature =
      blockKind === 'think'
        ? event('content_block_delta', {
            type: 'content_block_delta',
            index: block,
            delta: { type: 'signature_delta', signature: 'ZmFrZS1zaWduYXR1cmU=' },
          })
        : '';
    const stop = event('content_block_stop', { type: 'content_block_stop', index: block });
    blockKind = null;
    return signature + stop;
  };
  return {
    contentType: 'text/event-stream',
    start: () =>
      event('message_start', {
        type: 'message_start',
        message: {
          id: `msg_${serial}`,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: prompt, output_tokens: 1 },
        },
      }) +
      (plan.length > 0 ? open(plan[0].kind) : '') +
      event('ping', { type: 'ping' }),
    token: ({ kind, text }) => {
      const switchBlock = kind !== blockKind ? close() + open(kind) : '';
      return (
        switchBlock +
        event('content_block_delta', {
          type: 'content_block_delta',
          index: block,
          delta:
            kind === 'think'
              ? { type: 'thinking_delta', thinking: text }
              : { type: 'text_delta', text },
        })
      );
    },
    keepAlive: () => '',
    malformed: () =>
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${block},` +
      `"delta":{"type":"text_delta","text":"garbled\n\n`,
    error: () =>
      event('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    finish: (stats) =>
      close() +
      event('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: capped ? 'max_tokens' : 'end_turn', stop_sequence: null },
        usage: knobs.usage ? { output_tokens: stats.tokens } : {},
      }) +
      event('message_stop', { type: 'message_stop' }),
  };
}

/** The generation endpoints: how to read a request's token limit and build its stream. */
const GENERATORS = {
  'api/chat': {
    protocol: 'ollama',
    streams: (body) => body.stream !== false,
    limit: (body) => body.options?.num_predict,
    stream: ollamaStream,
  },
  'v1/chat/completions': {
    protocol: 'openai',
    streams: (body) => body.stream === true,
    limit: (body) => body.max_completion_tokens ?? body.max_tokens,
    stream: openaiStream,
  },
  'v1/messages': {
    protocol: 'anthropic',
    streams: (body) => body.stream === true,
    limit: (body) => body.max_tokens,
    stream: anthropicStream,
  },
};

/** The discovery endpoints: JSON answered at once. */
const LISTINGS = {
  '': null, // Ollama's root: "Ollama is running"
  'api/version': () => ({ version: '0.12.3' }),
  'api/tags': () => ({ models: OLLAMA_MODELS }),
  'api/ps': (_, knobs) => ({
    models: OLLAMA_RUNNING.map((m) => ({ ...m, size_vram: Math.round(m.size * Math.min(knobs.vram, 1)) })),
  }),
  'v1/models': (protocol) =>
    protocol === 'anthropic'
      ? {
          data: ANTHROPIC_MODELS,
          has_more: false,
          first_id: ANTHROPIC_MODELS[0].id,
          last_id: ANTHROPIC_MODELS.at(-1).id,
        }
      : { object: 'list', data: OPENAI_MODELS },
};

/**
 * Waits until performance.now() reaches `due`, within about 0.1 ms; false if the wait was
 * aborted. A timer alone lands up to a millisecond late (it rounds up to whole ms and fires
 * on the next loop turn), which would blur the delays the accuracy tests hold, so the last
 * 2 ms are waited out turn by turn of the event loop (other requests are still served).
 */
async function waitUntil(due, signal) {
  try {
    for (let left = due - performance.now(); left > 2; left = due - performance.now()) {
      await sleep(Math.floor(left - 1), undefined, { signal });
    }
    while (performance.now() < due && !signal.aborted) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    return !signal.aborted;
  } catch {
    return false;
  }
}

/**
 * Starts the fake LLM server on a free port of 127.0.0.1.
 *
 * Knobs are leading path segments `name=value`, before the API path: `ttft` (ms to the first
 * token, default 50; the status line and headers go out with it), `itl` (ms between tokens,
 * default 5), `tokens` (answer tokens, default 16; see answerToken), `think` (thinking tokens
 * before them, default 0; see thinkingToken), `load` (ms reported as Ollama's load_duration),
 * `usage=0` (no server token counts), `timings=1` (llama.cpp's `timings` at the end of an
 * OpenAI-compatible stream), `ttftc` and `itlc` (ms added to ttft and to itl for each other
 * stream open when a request arrives, so that a stream slows as the load grows, as on a
 * batching server; the request's own are logged as `plannedTtft` and `plannedItl`),
 * `prefill` (prompt tokens/s: the prompt's time is added to ttft and reported as the server's
 * prompt timing, which is otherwise 1 ms a token), `key` (the API key the OpenAI and Anthropic endpoints
 * require) and `fault`: `cors` (403 with no CORS headers, to every request), `401` `403` `404`
 * `429` `500` `503` (that status on the generation endpoints, in the API's error shape; 429
 * with `Retry-After: 7`), or, after 3 tokens of a stream, `midstream` (an error event, then the
 * end), `drop` (the socket destroyed), `malformed` (a line that is not JSON, then the rest) or
 * `stall` (silence until close()). Token `i` of a stream (thinking tokens first) is due at
 * arrival + ttft + i × itl; a request's token limit (num_predict, max_tokens) cuts the stream
 * short with the API's "length" stop reason. A request that does not stream, and an Anthropic
 * request without `anthropic-version` or `anthropic-dangerous-direct-browser-access: true`, get
 * a 400 in the API's error shape.
 *
 * Each request is logged in `requests` when its body has arrived, as `{method, path (the raw
 * URL, knobs and query included), httpVersion (`1.1`, or `2.0` over HTTP/2), api, knobs,
 * headers (lowercased; HTTP/2's pseudo-headers such as `:path` left out), body (string),
 * arrivedAt, firstByteAt, finishedAt, closedAt (the response closed, ended or dropped; all
 * performance.now() of this process), open (streams open
 * at its arrival, itself included), plannedTtft, plannedItl, status, aborted (the
 * client went away before the end), writes (a stream's writes in order, `{at, bytes}`), evalNs
 * (the generation time a finished stream reported: first token written to last)}`.
 *
 * With `tls: true` the server speaks HTTPS, HTTP/2 or HTTP/1.1 as the client offers (ALPN),
 * under a self-signed certificate for 127.0.0.1 made at start (see selfSignedCertificate; it
 * needs `openssl`), and `url` is `https://127.0.0.1:PORT/`: a client must accept that
 * certificate (`rejectUnauthorized: false`, a browser context's `ignoreHTTPSErrors`). Under
 * HTTP/2, `fault=drop` resets the request's stream (RST_STREAM, INTERNAL_ERROR) rather than
 * breaking the connection that the other streams share.
 *
 * @param {{tls?: boolean}} [options]
 * @returns {Promise<{url: string, requests: object[], close: () => Promise<void>}>} `url` ends
 *   with `/`
 */
export async function startFakeLlm({ tls = false } = {}) {
  const requests = [];
  const sockets = new Set();
  const sessions = new Set();
  const controllers = new Set();
  let serial = 0;
  let closing = false;
  /** Streams being generated now. */
  let openStreams = 0;

  const onRequest = (request, response) => {
    const arrivedAt = performance.now();
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handle(request, response, body, arrivedAt).catch((error) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'Content-Type': 'text/plain' });
          response.end(`fake LLM server error: ${error.stack}\n`);
        } else {
          response.destroy();
        }
      });
    });
  };
  const server = tls
    ? createSecureServer({ ...selfSignedCertificate(), allowHTTP1: true }, onRequest)
    : createServer(onRequest);
  // The TCP socket (under TLS too): no Nagle delay, so each write leaves at once.
  server.on('connection', (socket) => {
    socket.setNoDelay?.(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });

  async function handle(request, response, body, arrivedAt) {
    const record = {
      method: request.method,
      path: request.url,
      httpVersion: request.httpVersion,
      api: null,
      knobs: null,
      headers: Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !name.startsWith(':')),
      ),
      body,
      arrivedAt,
      firstByteAt: null,
      closedAt: null,
      open: null,
      plannedTtft: null,
      plannedItl: null,
      finishedAt: null,
      evalNs: null,
      status: null,
      aborted: false,
      writes: [],
    };
    requests.push(record);
    const controller = new AbortController();
    controllers.add(controller);
    let dropped = false;
    response.on('close', () => {
      record.closedAt = performance.now();
      controllers.delete(controller);
      // An HTTP/2 stream reads as finished once it is closed, reset or not: ask whether the
      // response was ended instead.
      const finished = response.stream ? response.writableEnded : response.writableFinished;
      if (!finished && !dropped && !closing) record.aborted = true;
      controller.abort();
    });

    const origin = { 'Access-Control-Allow-Origin': request.headers.origin ?? '*', Vary: 'Origin' };
    const cors = { ...origin, 'Access-Control-Expose-Headers': 'retry-after' };
    const send = (status, headers, text) => {
      record.status = status;
      record.firstByteAt = performance.now();
      const length = status === 204 ? {} : { 'Content-Length': Buffer.byteLength(text) };
      response.writeHead(status, { 'Cache-Control': 'no-cache', ...length, ...headers });
      response.end(text);
      record.finishedAt = performance.now();
    };
    const sendJson = (status, object, headers = {}) => {
      const all = { 'Content-Type': 'application/json; charset=utf-8', ...cors, ...headers };
      send(status, all, JSON.stringify(object));
    };

    const { pathname } = new URL(request.url, 'http://127.0.0.1');
    const parsed = parseKnobs(pathname);
    if (parsed.error) {
      sendJson(400, { error: `fake LLM server: ${parsed.error}` });
      return;
    }
    const { knobs, api } = parsed;
    record.knobs = knobs;
    record.api = api;
    const headers = record.headers;
    const protocol = protocolOf(api, headers);

    if (knobs.fault === 'cors') {
      send(403, { 'Content-Type': 'text/plain; charset=utf-8' }, '403 Forbidden');
      return;
    }
    if (request.method === 'OPTIONS') {
      send(204, { ...origin, ...PREFLIGHT_HEADERS }, '');
      return;
    }

    const generator = GENERATORS[api];
    const method = generator ? 'POST' : Object.hasOwn(LISTINGS, api) ? 'GET' : null;
    if (method === null) {
      const detail = `fake LLM server: no endpoint ${request.method} /${api}`;
      sendJson(404, errorBody(protocol, 404, '', detail));
      return;
    }
    if (request.method !== method && !(method === 'GET' && request.method === 'HEAD')) {
      sendJson(405, errorBody(protocol, 405, '', `${request.method} not allowed on /${api}`), {
        Allow: `${method}, OPTIONS`,
      });
      return;
    }

    if (protocol === 'anthropic') {
      for (const [name, wanted] of [
        ['anthropic-version', null],
        ['anthropic-dangerous-direct-browser-access', 'true'],
      ]) {
        if (headers[name] === undefined || (wanted !== null && headers[name] !== wanted)) {
          sendJson(400, errorBody('anthropic', 400, '', `${name}: header is required`));
          return;
        }
      }
    }
    if (knobs.key !== '' && protocol !== 'ollama') {
      const given = protocol === 'anthropic' ? headers['x-api-key'] : headers.authorization;
      const wanted = protocol === 'anthropic' ? knobs.key : `Bearer ${knobs.key}`;
      if (given !== wanted) {
        sendJson(401, errorBody(protocol, 401, ''));
        return;
      }
    }

    if (!generator) {
      if (api === '') {
        send(200, { 'Content-Type': 'text/plain; charset=utf-8', ...cors }, 'Ollama is running');
      } else {
        sendJson(200, LISTINGS[api](protocol, knobs));
      }
      return;
    }

    let json;
    try {
      json = JSON.parse(body);
    } catch (error) {
      sendJson(400, errorBody(protocol, 400, '', `invalid JSON body: ${error.message}`));
      return;
    }
    if (json === null || typeof json !== 'object' || typeof json.model !== 'string') {
      sendJson(400, errorBody(protocol, 400, '', 'model is required'));
      return;
    }
    const model = json.model;
    if (STATUS_FAULTS.has(knobs.fault)) {
      const status = Number(knobs.fault);
      const retry = status === 429 ? { 'Retry-After': '7' } : {};
      sendJson(status, errorBody(protocol, status, model), retry);
      return;
    }
    if (!generator.streams(json)) {
      const detail = 'the fake LLM server only streams: send "stream": true';
      sendJson(400, errorBody(protocol, 400, model, detail));
      return;
    }

    // The tokens to send: thinking first, then the answer, cut at the request's token limit.
    let plan = [
      ...Array.from({ length: knobs.think }, (_, i) => ({ kind: 'think', text: thinkingToken(i) })),
      ...Array.from({ length: knobs.tokens }, (_, i) => ({
        kind: 'answer',
        text: answerToken(i),
        split: i === 3 || i === 5,
      })),
    ];
    const limit = generator.limit(json);
    const capped = Number.isInteger(limit) && limit >= 0 && limit < plan.length;
    if (capped) plan = plan.slice(0, limit);
    const prompt = promptTokens(json);
    serial += 1;
    openStreams += 1;
    response.on('close', () => (openStreams -= 1));
    record.open = openStreams;
    const others = openStreams - 1;
    record.plannedTtft =
      knobs.ttft + knobs.ttftc * others + (knobs.prefill > 0 ? promptMs(knobs, prompt) : 0);
    record.plannedItl = knobs.itl + knobs.itlc * others;
    const timed = { ...knobs, ttft: record.plannedTtft, itl: record.plannedItl };
    const stream = generator.stream({ model, knobs, capped, plan, prompt, body: json, serial });
    await streamPlan(plan, stream, {
      knobs: timed,
      prompt,
      response,
      record,
      cors,
      signal: controller.signal,
      onDrop: () => (dropped = true),
    });
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise((resolve) => {
        closing = true;
        for (const controller of controllers) controller.abort();
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sends `plan` through `stream` on `response`: token i is due at arrival + ttft + i × itl, the
 * status line and headers go out with the first token, and a stream fault strikes in place of
 * token FAULT_AFTER (or of the end, for a shorter stream).
 */
async function streamPlan(plan, stream, { knobs, prompt, response, record, cors, signal, onDrop }) {
  const total = plan.length;
  const faultSlot = STREAM_FAULTS.has(knobs.fault) ? Math.min(FAULT_AFTER, total) : -1;
  const keepAliveSlot = Math.floor(total / 2);
  let firstTokenAt = null;
  let lastTokenAt = null;

  /** Writes `text` (the first write carries the headers); false if the request was aborted. */
  const write = async (text, split = false) => {
    if (!response.headersSent) {
      record.status = 200;
      record.firstByteAt = performance.now();
      response.writeHead(200, {
        'Content-Type': stream.contentType,
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
        ...cors,
      });
    }
    const send = (bytes) => {
      record.writes.push({ at: performance.now(), bytes });
      response.write(bytes);
    };
    const bytes = Buffer.from(text, 'utf8');
    const lead = split ? bytes.findIndex((b) => b >= 0xc0) : -1;
    if (lead < 0) {
      send(bytes);
      return true;
    }
    // Split inside the first multi-byte character, so the reader gets half of it first.
    send(bytes.subarray(0, lead + 1));
    try {
      await sleep(1, undefined, { signal });
    } catch {
      return false;
    }
    send(bytes.subarray(lead + 1));
    return true;
  };
  const end = () => {
    response.end();
    record.finishedAt = performance.now();
  };

  // Slot i < total sends token i; slot total sends the end of the stream, at once after the
  // last token. Every slot is timed from the arrival, so late timers do not add up.
  for (let i = 0; i <= total; i++) {
    const due = record.arrivedAt + knobs.ttft + Math.max(0, Math.min(i, total - 1)) * knobs.itl;
    if (!(await waitUntil(due, signal))) return;
    let out = i === 0 ? stream.start() : '';
    if (i === faultSlot) {
      if (knobs.fault === 'midstream') {
        await write(out + stream.error());
        end();
        return;
      }
      if (knobs.fault === 'drop') {
        if (out) await write(out);
        onDrop();
        record.finishedAt = performance.now();
        if (response.stream) {
          // HTTP/2: reset this stream only (the connection carries the other requests).
          response.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
        } else {
          response.socket?.destroy();
        }
        return;
      }
      if (knobs.fault === 'stall') {
        if (out) await write(out);
        // Nothing more until close() (or the client) aborts the request.
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return;
      }
      out += stream.malformed();
    }
    if (i < total) {
      if (i === keepAliveSlot && i > 0) out += stream.keepAlive();
      out += stream.token(plan[i]);
      const first = record.writes.length;
      if (!(await write(out, i > 0 && plan[i].split))) return;
      // When this token's first bytes went out (after the headers, for the first token).
      lastTokenAt = record.writes[first].at;
      firstTokenAt ??= lastTokenAt;
    } else {
      // eval_duration is the real time from writing the first token to writing the last one
      // (about (tokens - 1) × itl), not a figure computed from the knobs.
      const evalNs = Math.round(((lastTokenAt ?? 0) - (firstTokenAt ?? 0)) * 1e6);
      record.evalNs = evalNs;
      const totalNs = Math.round((performance.now() - record.arrivedAt) * 1e6);
      await write(out + stream.finish({ prompt, tokens: total, evalNs, totalNs }));
    }
  }
  end();
}
