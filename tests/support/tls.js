// A throwaway certificate for the suite's HTTPS servers on 127.0.0.1 (the fake LLM server with
// `{tls: true}`, the HTTP/2 front of support/h2-front.js). A browser context that trusts it
// opens it with `ignoreHTTPSErrors`.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh self-signed certificate for 127.0.0.1 (P-256, valid one day), made with `openssl`:
 * `{key, cert}` in PEM. The files are written to a temporary directory and deleted at once.
 *
 * @returns {{key: Buffer, cert: Buffer}}
 */
export function selfSignedCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'crossover-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    // The subject and its IP address, as a browser wants them; the key without a pass phrase.
    const args = [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ];
    try {
      execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const why =
        error.code === 'ENOENT'
          ? 'openssl is not installed (Debian package `openssl`)'
          : `openssl failed: ${error.stderr?.toString().trim() || error.message}`;
      throw new Error(`no certificate for 127.0.0.1: ${why}`);
    }
    return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
