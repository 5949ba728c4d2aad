// The fake LLM server the browser tests stream from (support/fake-llm.js), checked with Node's
// own fetch and no browser: each API's stream carries the right tokens and counts, each fault
// looks like the real server's, the first token is on time, close() never hangs and the HTTPS
// server speaks HTTP/2. It needs no site and no environment (only `openssl`, for the HTTPS
// server's certificate): `node --test fake-llm.test.js`.

import assert from 'node:assert/strict';
import { connect, constants as http2Constants } from 'node:http2';
import { get as httpsGet } from 'node:https';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import {
  answerToken,
  promptTokens,
  startFakeLlm,
  thinkingToken,
} from './support/fake-llm.js';

const ANTHROPIC_HEADERS = {
  'content-type': 'application/json',
  'x-api-key': 'test-key',
  'anthropic-version': '2023-06-01',
  'anthropic-dangerous-direct-browser-access': 'true',
};
const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say hello in five words' },
];

let llm;
before(async () => {
  llm = await startFakeLlm();
});
after(async () => {
  await llm?.close();
});

/** The answer text of tokens 0..n-1, and of thinking tokens 0..n-1. */
const answer = (n) => Array.from({ length: n }, (_, i) => answerToken(i)).join('');
const thinking = (n) => Array.from({ length: n }, (_, i) => thinkingToken(i)).join('');

/** Reads a response body to the end: its raw byte chunks and its text. */
async function readBody(response) {
  const chunks = [];
  for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
  return { chunks, text: Buffer.concat(chunks).toString('utf8') };
}

/** NDJSON lines as objects; a line that is not JSON becomes `{unparsable: line}`. */
function ndjson(text) {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return { unparsable: line };
      }
    });
}

/** SSE events as `{event, data, comment}`; `data` parsed as JSON when it is JSON. */
function sse(text) {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const event = { event: 'message', data: undefined, comment: null };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) event.comment = line.slice(1).trim();
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) event.data = line.slice(6);
      }
      if (event.data !== undefined && event.data !== '[DONE]') {
        try {
          event.data = JSON.parse(event.data);
        } catch {
          event.unparsable = true;
        }
      }
      return event;
    });
}

/**
 * When the server began writing each token of a stream (from its log of writes): the writes
 * that begin an NDJSON line or an SSE event, less the stream's last one (the counts). The
 * second half of a token split inside a character begins neither.
 */
function tokenWriteTimes(writes) {
  return writes
    .filter((w) => /^(: keep-alive\n\n)?(\{|data: )/.test(w.bytes.toString()))
    .map((w) => w.at)
    .slice(0, -1);
}

function ollamaChat(knobs = '', extra = {}) {
  return fetch(`${llm.url}${knobs}api/chat`, {
    method: 'POST',
    // As the page sends it: a plain string, no JSON content type, so no preflight.
    body: JSON.stringify({ model: 'llama3.1:8b', messages: MESSAGES, stream: true, ...extra }),
  });
}

function openaiChat(knobs = '', extra = {}, headers = { authorization: 'Bearer test-key' }) {
  return fetch(`${llm.url}${knobs}v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
      ...extra,
    }),
  });
}

function anthropicChat(knobs = '', extra = {}, headers = ANTHROPIC_HEADERS) {
  return fetch(`${llm.url}${knobs}v1/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      system: 'You are terse.',
      messages: [MESSAGES[1]],
      max_tokens: 1024,
      stream: true,
      ...extra,
    }),
  });
}

const PROMPT = promptTokens({ messages: MESSAGES });

test('the prompt count is the words of every message plus 10', () => {
  assert.equal(PROMPT, 3 + 5 + 10);
  assert.equal(promptTokens({ system: 'a b', messages: [{ content: [{ text: 'c d e' }] }] }), 15);
});

test('Ollama: version, tags, ps and the root answer at once', async () => {
  const version = await fetch(`${llm.url}api/version`);
  assert.equal(version.status, 200);
  assert.equal(version.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await version.json(), { version: '0.12.3' });
  const tags = await (await fetch(`${llm.url}ttft=900/api/tags`)).json();
  assert.deepEqual(
    tags.models.map((m) => m.name),
    ['llama3.1:8b', 'qwen3:8b'],
  );
  assert.equal(tags.models[0].details.quantization_level, 'Q4_K_M');
  const ps = await (await fetch(`${llm.url}api/ps`)).json();
  assert.equal(ps.models[0].size_vram, 6654289920);
  assert.equal(await (await fetch(llm.url)).text(), 'Ollama is running');
});

test('Ollama: an NDJSON stream of the answer tokens, then the counts', async () => {
  const response = await ollamaChat('load=250/');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
  const lines = ndjson((await readBody(response)).text);
  assert.equal(lines.length, 17);
  const tokens = lines.slice(0, -1);
  assert.ok(tokens.every((l) => l.done === false && l.model === 'llama3.1:8b'));
  assert.equal(tokens.map((l) => l.message.content).join(''), answer(16));
  const last = lines.at(-1);
  assert.equal(last.done, true);
  assert.equal(last.done_reason, 'stop');
  assert.equal(last.message.content, '');
  assert.equal(last.eval_count, 16);
  assert.equal(last.prompt_eval_count, PROMPT);
  assert.equal(last.prompt_eval_duration, PROMPT * 1e6);
  assert.equal(last.load_duration, 250e6);
  // eval_duration is the real time from writing the first token to writing the last.
  const request = llm.requests.at(-1);
  const starts = tokenWriteTimes(request.writes);
  assert.equal(starts.length, 16);
  const span = starts.at(-1) - starts[0];
  assert.ok(span > 0, 'the tokens went out over time');
  assert.ok(
    Math.abs(last.eval_duration / 1e6 - span) < 1e-5,
    `eval_duration ${last.eval_duration / 1e6} ms against ${span.toFixed(3)} ms between the writes`,
  );
  assert.ok(last.total_duration >= 50e6 + last.eval_duration, `${last.total_duration}`);

  assert.equal(request.method, 'POST');
  assert.equal(request.path, '/load=250/api/chat');
  assert.equal(request.api, 'api/chat');
  assert.equal(JSON.parse(request.body).model, 'llama3.1:8b');
  assert.equal(request.headers['content-type'], 'text/plain;charset=UTF-8');
  assert.equal(request.status, 200);
  assert.ok(request.firstByteAt - request.arrivedAt >= 50);
});

test('Ollama: thinking tokens first, counted in eval_count; usage=0 drops the counts', async () => {
  const lines = ndjson((await readBody(await ollamaChat('think=4/tokens=6/'))).text);
  const tokens = lines.slice(0, -1);
  assert.equal(tokens.map((l) => l.message.thinking ?? '').join(''), thinking(4));
  assert.equal(tokens.map((l) => l.message.content).join(''), answer(6));
  assert.equal(lines.at(-1).eval_count, 10);

  const bare = ndjson((await readBody(await ollamaChat('usage=0/tokens=3/'))).text).at(-1);
  assert.equal(bare.done, true);
  const counts = ['eval_count', 'eval_duration', 'prompt_eval_count', 'prompt_eval_duration'];
  for (const field of counts) {
    assert.equal(field in bare, false, field);
  }
  assert.ok('total_duration' in bare && 'load_duration' in bare);
});

test('Ollama: num_predict cuts the stream with done_reason "length"', async () => {
  const response = await ollamaChat('', { options: { num_predict: 5 } });
  const lines = ndjson((await readBody(response)).text);
  assert.equal(lines.length, 6);
  assert.equal(lines.at(-1).done_reason, 'length');
  assert.equal(lines.at(-1).eval_count, 5);
});

test('OpenAI: models, then SSE with keep-alives, a stop chunk, usage and [DONE]', async () => {
  const models = await (await fetch(`${llm.url}v1/models`)).json();
  assert.equal(models.object, 'list');
  assert.ok(models.data.some((m) => m.id === 'gpt-4o-mini' && m.object === 'model'));

  const response = await openaiChat();
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const { chunks, text } = await readBody(response);
  const events = sse(text);
  assert.equal(events.filter((e) => e.comment === 'keep-alive').length, 2);
  assert.match(chunks[0].toString(), /^: keep-alive\n\ndata: .*"role":"assistant".*\n\ndata: /s);
  const data = events.filter((e) => e.data !== undefined).map((e) => e.data);
  assert.equal(data[0].choices[0].delta.role, 'assistant');
  assert.match(data[0].id, /^chatcmpl-\d+$/);
  const deltas = data.slice(1).filter((d) => d.choices?.[0]?.delta?.content !== undefined);
  assert.equal(deltas.length, 16);
  assert.equal(deltas.map((d) => d.choices[0].delta.content).join(''), answer(16));
  assert.deepEqual(data.at(-3).choices, [{ index: 0, delta: {}, finish_reason: 'stop' }]);
  assert.deepEqual(data.at(-2).choices, []);
  assert.deepEqual(data.at(-2).usage, {
    prompt_tokens: PROMPT,
    completion_tokens: 16,
    total_tokens: PROMPT + 16,
  });
  assert.equal(data.at(-1), '[DONE]');
});

test('OpenAI: reasoning_content for thinking; no usage unless asked and allowed', async () => {
  const thinkingEvents = sse((await readBody(await openaiChat('think=3/tokens=2/'))).text);
  const deltas = thinkingEvents
    .filter((e) => e.data?.choices?.length)
    .map((e) => e.data.choices[0].delta);
  assert.equal(deltas.map((d) => d.reasoning_content ?? '').join(''), thinking(3));
  assert.equal(deltas.map((d) => d.content ?? '').join(''), answer(2));
  assert.equal(thinkingEvents.find((e) => e.data?.usage)?.data.usage.completion_tokens, 5);

  const unasked = sse((await readBody(await openaiChat('', { stream_options: undefined }))).text);
  assert.equal(unasked.some((e) => e.data?.usage), false);
  const withheld = sse((await readBody(await openaiChat('usage=0/'))).text);
  assert.equal(withheld.some((e) => e.data?.usage), false);
  assert.equal(withheld.at(-1).data, '[DONE]');
});

test('OpenAI: timings=1 ends the stream with llama.cpp’s timings, on the usage chunk if any', async () => {
  const data = sse((await readBody(await openaiChat('timings=1/tokens=4/itl=10/'))).text)
    .filter((e) => e.data !== undefined)
    .map((e) => e.data);
  const { timings } = data.at(-2);
  assert.ok(data.at(-2).usage, 'the usage chunk carries them');
  assert.equal(data.filter((d) => d.timings).length, 1, 'only the last chunk');
  assert.deepEqual(
    [timings.prompt_n, timings.prompt_ms, timings.predicted_n],
    [PROMPT, PROMPT, 4],
    'the prompt at 1 ms a token, and every answer token',
  );
  // predicted_ms is the real time from writing the first token to writing the last.
  const starts = tokenWriteTimes(llm.requests.at(-1).writes);
  assert.equal(starts.length, 4);
  const span = starts.at(-1) - starts[0];
  assert.ok(span > 0, 'the tokens went out over time');
  assert.ok(
    Math.abs(timings.predicted_ms - span) < 1e-5,
    `predicted_ms ${timings.predicted_ms} against ${span.toFixed(3)} ms between the writes`,
  );

  const unasked = sse(
    (await readBody(await openaiChat('timings=1/tokens=4/', { stream_options: undefined }))).text,
  ).filter((e) => e.data?.choices);
  assert.equal(unasked.at(-1).data.choices[0].finish_reason, 'stop');
  assert.equal(unasked.at(-1).data.timings.predicted_n, 4, 'else the stop chunk carries them');
});

test('Anthropic: the event sequence, text deltas and output_tokens', async () => {
  const response = await anthropicChat();
  assert.equal(response.status, 200);
  const events = sse((await readBody(response)).text);
  const names = events.map((e) => e.event);
  assert.deepEqual(names.slice(0, 3), ['message_start', 'content_block_start', 'ping']);
  assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
  assert.equal(names.filter((n) => n === 'content_block_delta').length, 16);
  const start = events[0].data.message;
  assert.equal(start.model, 'claude-haiku-4-5');
  const input = promptTokens({ system: 'You are terse.', messages: [MESSAGES[1]] });
  assert.deepEqual(start.usage, { input_tokens: input, output_tokens: 1 });
  const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data);
  assert.ok(deltas.every((d) => d.index === 0 && d.delta.type === 'text_delta'));
  assert.equal(deltas.map((d) => d.delta.text).join(''), answer(16));
  const delta = events.at(-2).data;
  assert.deepEqual(delta.delta, { stop_reason: 'end_turn', stop_sequence: null });
  assert.deepEqual(delta.usage, { output_tokens: 16 });

  const bare = sse((await readBody(await anthropicChat('usage=0/'))).text);
  assert.deepEqual(bare.at(-2).data.usage, {});
});

test('Anthropic: thinking in block 0, the text in block 1', async () => {
  const events = sse((await readBody(await anthropicChat('think=2/tokens=3/'))).text);
  const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data);
  assert.deepEqual(
    starts.map((s) => [s.index, s.content_block.type]),
    [
      [0, 'thinking'],
      [1, 'text'],
    ],
  );
  const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data);
  const thinkingText = deltas.filter((d) => d.delta.type === 'thinking_delta');
  assert.ok(thinkingText.every((d) => d.index === 0));
  assert.equal(thinkingText.map((d) => d.delta.thinking).join(''), thinking(2));
  const answerText = deltas.filter((d) => d.delta.type === 'text_delta');
  assert.ok(answerText.every((d) => d.index === 1));
  assert.equal(answerText.map((d) => d.delta.text).join(''), answer(3));
  assert.equal(events.at(-2).data.usage.output_tokens, 5);
});

test('Anthropic: a missing anthropic-version or browser-access header is a 400', async () => {
  for (const missing of ['anthropic-version', 'anthropic-dangerous-direct-browser-access']) {
    const headers = { ...ANTHROPIC_HEADERS };
    delete headers[missing];
    const response = await anthropicChat('', {}, headers);
    assert.equal(response.status, 400, missing);
    const body = await response.json();
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, new RegExp(missing));
  }
});

test('preflights get 204 and the CORS headers; answers echo the Origin', async () => {
  const preflight = await fetch(`${llm.url}v1/messages`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://127.0.0.1:9999',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-api-key',
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://127.0.0.1:9999');
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
  assert.match(
    preflight.headers.get('access-control-allow-headers'),
    /anthropic-dangerous-direct-browser-access/,
  );
  assert.equal(preflight.headers.get('access-control-max-age'), '600');
  const response = await fetch(`${llm.url}api/tags`, { headers: { origin: 'http://a.test' } });
  assert.equal(response.headers.get('access-control-allow-origin'), 'http://a.test');
  assert.equal(response.headers.get('access-control-expose-headers'), 'retry-after');
});

test('status faults answer in each API\'s error shape, with CORS headers', async () => {
  const anthropicTypes = {
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    429: 'rate_limit_error',
    500: 'api_error',
    503: 'overloaded_error',
  };
  for (const status of [401, 403, 404, 429, 500, 503]) {
    const knobs = `fault=${status}/`;
    for (const [name, send] of [
      ['ollama', ollamaChat],
      ['openai', openaiChat],
      ['anthropic', anthropicChat],
    ]) {
      const response = await send(knobs);
      const label = `${name} ${status}`;
      assert.equal(response.status, status, label);
      assert.equal(response.headers.get('access-control-allow-origin'), '*', label);
      assert.equal(response.headers.get('retry-after'), status === 429 ? '7' : null, label);
      const body = await response.json();
      if (name === 'ollama') {
        assert.equal(typeof body.error, 'string', label);
        if (status === 404) {
          assert.equal(body.error, 'model "llama3.1:8b" not found, try pulling it first');
        }
      } else if (name === 'openai') {
        assert.deepEqual(Object.keys(body), ['error'], label);
        assert.equal(typeof body.error.message, 'string', label);
        assert.equal(typeof body.error.type, 'string', label);
        assert.equal(typeof body.error.code, 'string', label);
        if (status === 401) {
          assert.equal(body.error.message, 'Incorrect API key provided');
          assert.equal(body.error.type, 'invalid_request_error');
          assert.equal(body.error.code, 'invalid_api_key');
        }
        if (status === 404) assert.equal(body.error.code, 'model_not_found');
        if (status === 429) assert.equal(body.error.code, 'rate_limit_exceeded');
      } else {
        assert.equal(body.type, 'error', label);
        assert.equal(body.error.type, anthropicTypes[status], label);
        assert.equal(typeof body.error.message, 'string', label);
      }
    }
  }
});

test('fault=cors: 403 "403 Forbidden" with no CORS header, preflight included', async () => {
  const origin = { origin: 'http://127.0.0.1:9999' };
  const preflight = { ...origin, 'access-control-request-method': 'POST' };
  for (const [path, init] of [
    ['api/tags', { headers: origin }],
    ['api/chat', { method: 'POST', headers: origin, body: '{"model":"llama3.1:8b"}' }],
    ['v1/chat/completions', { method: 'OPTIONS', headers: preflight }],
  ]) {
    const response = await fetch(`${llm.url}fault=cors/${path}`, init);
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(await response.text(), '403 Forbidden');
  }
});

test('fault=midstream: three tokens, then the API\'s own error event', async () => {
  const ollama = ndjson((await readBody(await ollamaChat('fault=midstream/'))).text);
  assert.equal(ollama.length, 4);
  assert.equal(ollama.slice(0, 3).map((l) => l.message.content).join(''), answer(3));
  assert.deepEqual(ollama[3], { error: 'an error was encountered while running the model' });

  const openai = sse((await readBody(await openaiChat('fault=midstream/'))).text);
  assert.deepEqual(openai.at(-1).data, { error: { message: 'upstream error', code: 502 } });
  assert.equal(openai.filter((e) => e.data?.choices?.[0]?.delta?.content).length, 3);
  assert.equal(openai.some((e) => e.data === '[DONE]'), false);

  const anthropic = sse((await readBody(await anthropicChat('fault=midstream/'))).text);
  assert.equal(anthropic.at(-1).event, 'error');
  assert.deepEqual(anthropic.at(-1).data, {
    type: 'error',
    error: { type: 'overloaded_error', message: 'Overloaded' },
  });
  assert.equal(anthropic.filter((e) => e.event === 'content_block_delta').length, 3);
});

test('fault=drop: three tokens, then the connection breaks', async () => {
  for (const send of [ollamaChat, openaiChat, anthropicChat]) {
    const received = [];
    let status;
    // The client's fetch fails ("fetch failed" before the headers, "terminated" after).
    await assert.rejects(async () => {
      const response = await send('fault=drop/');
      status = response.status;
      for await (const chunk of response.body) received.push(Buffer.from(chunk));
    }, TypeError);
    assert.ok(status === undefined || status === 200, `status ${status}`);
    // The server wrote three tokens and no more. The client may see fewer, even no headers:
    // a broken connection drops what a busy machine has not read yet.
    const sent = Buffer.concat(llm.requests.at(-1).writes.map((w) => w.bytes)).toString();
    assert.ok(sent.includes(answerToken(2)) && !sent.includes(answerToken(3)), sent);
    const text = Buffer.concat(received).toString();
    assert.ok(sent.startsWith(text), `received a part of what was sent: ${text}`);
  }
});

test('fault=malformed: one line that is not JSON, then the whole answer', async () => {
  const ollama = ndjson((await readBody(await ollamaChat('fault=malformed/'))).text);
  assert.equal(ollama.filter((l) => l.unparsable).length, 1);
  assert.equal(ollama.findIndex((l) => l.unparsable), 3);
  assert.equal(ollama.map((l) => l.message?.content ?? '').join(''), answer(16));
  assert.equal(ollama.at(-1).done, true);

  for (const send of [openaiChat, anthropicChat]) {
    const events = sse((await readBody(await send('fault=malformed/'))).text);
    assert.equal(events.filter((e) => e.unparsable).length, 1);
    const text = events
      .filter((e) => !e.unparsable)
      .map((e) => e.data?.choices?.[0]?.delta?.content ?? e.data?.delta?.text ?? '')
      .join('');
    assert.equal(text, answer(16));
  }
});

test('tokens 3 and 5 are written in two pieces, split inside a multi-byte character', async () => {
  const { text } = await readBody(await ollamaChat());
  assert.equal(ndjson(text).slice(0, -1).map((l) => l.message.content).join(''), answer(16));
  // A piece that ends inside a character: a lead byte without all its continuation bytes.
  const cut = ({ bytes }) => {
    for (let back = 1; back <= Math.min(3, bytes.length); back++) {
      const byte = bytes[bytes.length - back];
      if (byte >= 0xc0) return back < (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2);
      if (byte < 0x80) return false;
    }
    return false;
  };
  const writes = llm.requests.at(-1).writes;
  assert.equal(writes.length, 16 + 2 + 1);
  assert.deepEqual(
    writes.flatMap((w, i) => (cut(w) ? [i] : [])),
    [3, 6],
  );
});

test('the first byte (status line included) arrives at ttft, the tokens at itl', async () => {
  const started = performance.now();
  const response = await ollamaChat('ttft=300/itl=10/tokens=20/');
  const headersAt = performance.now() - started;
  const reader = response.body.getReader();
  await reader.read();
  const firstTokenAt = performance.now() - started;
  while (!(await reader.read()).done);
  const endAt = performance.now() - started;
  assert.ok(headersAt >= 300 && headersAt <= 330, `headers at ${headersAt} ms`);
  assert.ok(firstTokenAt >= 300 && firstTokenAt <= 330, `first token at ${firstTokenAt} ms`);
  assert.ok(endAt >= 300 + 19 * 10 && endAt <= 300 + 19 * 10 + 40, `end at ${endAt} ms`);
  const request = llm.requests.at(-1);
  const serverTtft = request.firstByteAt - request.arrivedAt;
  assert.ok(serverTtft >= 300 && serverTtft < 315, `server wrote at ${serverTtft} ms`);
});

test('key=: the OpenAI and Anthropic endpoints want that key, Ollama none', async () => {
  const models = (headers) => fetch(`${llm.url}key=right-key/v1/models`, { headers });
  assert.equal((await models({})).status, 401);
  assert.equal((await models({ authorization: 'Bearer wrong-key' })).status, 401);
  const refused = await openaiChat('key=right-key/', {}, { authorization: 'Bearer wrong-key' });
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).error.code, 'invalid_api_key');
  assert.equal((await models({ authorization: 'Bearer right-key' })).status, 200);
  const accepted = await openaiChat('key=right-key/', {}, { authorization: 'Bearer right-key' });
  assert.equal(accepted.status, 200);
  await readBody(accepted);

  const wrong = await anthropicChat('key=right-key/');
  assert.equal(wrong.status, 401);
  assert.equal((await wrong.json()).error.type, 'authentication_error');
  const right = await anthropicChat('key=right-key/', {}, {
    ...ANTHROPIC_HEADERS,
    'x-api-key': 'right-key',
  });
  assert.equal(right.status, 200);
  await readBody(right);
  const claude = await fetch(`${llm.url}key=k/v1/models`, {
    headers: { ...ANTHROPIC_HEADERS, 'x-api-key': 'k' },
  });
  assert.equal((await claude.json()).data[0].type, 'model');

  const ollama = await ollamaChat('key=right-key/tokens=1/');
  assert.equal(ollama.status, 200);
  await readBody(ollama);
});

test('an unknown knob is a 400 and an unknown path a 404', async () => {
  const knob = await fetch(`${llm.url}ttfb=3/api/chat`, { method: 'POST', body: '{}' });
  assert.equal(knob.status, 400);
  assert.match((await knob.json()).error, /unknown knob "ttfb"/);
  assert.equal((await fetch(`${llm.url}api/nothing`)).status, 404);
  assert.equal((await fetch(`${llm.url}v1/nothing`)).status, 404);
});

test('fault=stall: the stream stops after three tokens; close() still ends at once', async () => {
  const stalling = await startFakeLlm();
  const response = await fetch(`${stalling.url}fault=stall/api/chat`, {
    method: 'POST',
    body: JSON.stringify({ model: 'llama3.1:8b', messages: MESSAGES }),
  });
  const reader = response.body.getReader();
  let text = '';
  const decoder = new TextDecoder();
  while (ndjson(text).length < 3) {
    text += decoder.decode((await reader.read()).value, { stream: true });
  }
  const next = reader.read();
  const quiet = await Promise.race([next.then(() => 'data'), sleep(200).then(() => 'quiet')]);
  assert.equal(quiet, 'quiet');
  const closing = performance.now();
  await stalling.close();
  assert.ok(performance.now() - closing < 100, 'close() took too long');
  await assert.rejects(next);
  assert.equal(stalling.requests[0].aborted, false);
});

test('tls: HTTP/2 over HTTPS, many streams on one connection, HTTP/1.1 answered too', async () => {
  const secure = await startFakeLlm({ tls: true });
  const session = connect(secure.url, { rejectUnauthorized: false });
  try {
    assert.match(secure.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    const chat = () =>
      new Promise((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/tokens=20/api/chat' });
        const chunks = [];
        let status;
        stream.on('response', (headers) => (status = headers[':status']));
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
        stream.on('error', reject);
        stream.end(JSON.stringify({ model: 'llama3.1:8b', messages: MESSAGES }));
      });
    // Eight streams at once, each 50 + 19 × 5 ms long: together they take about as long as one.
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 8 }, chat));
    const took = performance.now() - started;
    for (const { status, text } of answers) {
      assert.equal(status, 200);
      const lines = ndjson(text);
      assert.equal(lines.slice(0, -1).map((l) => l.message.content).join(''), answer(20));
      assert.equal(lines.at(-1).eval_count, 20);
    }
    assert.ok(took < 145 + 150, `8 streams took ${took.toFixed(0)} ms`);
    assert.equal(secure.requests.length, 8);
    for (const request of secure.requests) {
      assert.equal(request.httpVersion, '2.0');
      assert.equal(request.path, '/tokens=20/api/chat');
      assert.equal(request.aborted, false);
      assert.equal(request.writes.length, 20 + 2 + 1);
      assert.ok(Object.keys(request.headers).every((name) => !name.startsWith(':')));
    }
    const starts = secure.requests.map((r) => r.arrivedAt);
    const ends = secure.requests.map((r) => r.finishedAt);
    assert.ok(Math.max(...starts) < Math.min(...ends), 'all eight streams were open at once');

    // A stream the client resets is logged as aborted; the others on the session go on.
    const cancelled = session.request({ ':method': 'POST', ':path': '/tokens=100/api/chat' });
    cancelled.on('error', () => {});
    cancelled.resume();
    cancelled.end(JSON.stringify({ model: 'llama3.1:8b', messages: MESSAGES }));
    await sleep(100);
    cancelled.close(http2Constants.NGHTTP2_CANCEL);
    await sleep(50);
    assert.equal(secure.requests.at(-1).aborted, true);
    assert.equal((await chat()).status, 200);

    const http1 = await new Promise((resolve, reject) => {
      httpsGet(`${secure.url}api/version`, { rejectUnauthorized: false }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ version: response.httpVersion, text }));
      }).on('error', reject);
    });
    assert.deepEqual(http1, { version: '1.1', text: '{"version":"0.12.3"}' });
    assert.equal(secure.requests.at(-1).httpVersion, '1.1');
  } finally {
    const closing = performance.now();
    await secure.close();
    assert.ok(performance.now() - closing < 100, 'close() took too long');
    session.destroy();
  }
});

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
