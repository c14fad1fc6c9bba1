// @ts-check
/**
 * rc-edge TLS certificate: a self-signed cert for localhost/127.0.0.1, generated
 * with openssl on first use.
 * @module rc-edge/cert
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * Ensure a self-signed cert for localhost/127.0.0.1 exists in `dir`; returns {key, cert}.
 * Several processes may start at once (the test kit's Playwright workers share
 * one directory): each makes its pair in a directory of its own and renames it
 * into place, so a reader never sees one process's key with another's cert.
 * @param {string} dir
 */
export function ensureCert(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  if (!fs.existsSync(key) || !fs.existsSync(cert)) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const tmp = fs.mkdtempSync(`${dir}.tmp-`);
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(tmp, 'key.pem'),
        '-out', path.join(tmp, 'cert.pem'), '-days', '825', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      { stdio: 'ignore' });
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`cannot make the self-signed certificate for wss:// (is openssl installed?): ${/** @type {Error} */ (e).message}`);
    }
    try {
      if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
      fs.renameSync(tmp, dir); // atomic; fails if another process got there first
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // theirs is as good as ours
    }
  }
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}
