// An HTTPS front on 127.0.0.1 that speaks HTTP/2 to the browser and passes every request on to
// an HTTP/1.1 server (llama-server speaks no HTTP/2), streaming both ways. Over plain http:// a
// browser keeps to 6 connections to one server, so a page could never hold more than 6 streams
// open at it; through this front it multiplexes them all on one connection, as it would to a
// server behind a TLS proxy in production. The front adds no delay of its own beyond a copy:
// each chunk of the answer is written on as it arrives.

import { Agent, request as upstreamRequest } from 'node:http';
import { createSecureServer } from 'node:http2';
import { selfSignedCertificate } from './tls.js';

/** Headers that belong to one hop (RFC 9110 §7.6.1) and so are not passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
]);

/** `headers` without HTTP/2 pseudo-headers and hop-by-hop ones. */
function passed(headers) {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.startsWith(':') && !HOP_BY_HOP.has(name)),
  );
}

/**
 * Starts the front for `upstream` (an `http://127.0.0.1:PORT/` URL) on a free port.
 *
 * @param {string} upstream
 * @returns {Promise<{url: string, received: () => Array<{method: string, version: string,
 *   open: number}>, close: () => Promise<void>}>} `url`: `https://127.0.0.1:PORT/`;
 *   `received()`: each request in order of arrival, its method, its HTTP version (`2.0`, or
 *   `1.1` from a client that offered no HTTP/2) and how many requests were open at the front,
 *   itself included, as it arrived
 */
export async function startHttp2Front(upstream) {
  const target = new URL(upstream);
  // A connection upstream per request, closed after it: llama-server's HTTP threads close idle
  // kept-alive connections, and a request sent on one as it closes would fail ("socket hang
  // up") for a reason no real deployment has.
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const received = [];
  let open = 0;
  const server = createSecureServer({ ...selfSignedCertificate(), allowHTTP1: true }, (req, res) => {
    open += 1;
    received.push({ method: req.method, version: req.httpVersion, open });
    // Open until the server's answer has ended (or the stream closed before it did).
    let closed = false;
    const done = () => {
      if (!closed) {
        closed = true;
        open -= 1;
      }
    };
    res.once('close', done);
    const forward = upstreamRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...passed(req.headers), host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, passed(answer.headers));
        answer.on('data', (chunk) => res.write(chunk));
        answer.on('end', () => {
          done();
          res.end();
        });
        answer.on('error', () => res.destroy());
      },
    );
    forward.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
      }
      res.end(`front: ${error.message}`);
    });
    // The browser closed the stream (Cancel, a time limit): so does the front, upstream.
    res.on('close', () => {
      if (!res.writableFinished) {
        forward.destroy();
      }
    });
    req.pipe(forward);
  });
  const sessions = new Set();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${server.address().port}/`,
    received: () => received.map((r) => ({ ...r })),
    async close() {
      for (const session of sessions) {
        session.destroy();
      }
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
