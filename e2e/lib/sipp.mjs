// Run sipp (Debian package "sip-tester") against the e2e Kamailio.
// sipp writes <scenario>_<pid>_*.log files into its cwd: we run it in /tmp
// and point -error_file there too, so nothing lands in the repo.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMAIN, SIP_HOSTPORT, user } from './users.mjs';

export const SIPP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'sipp');

/**
 * runSipp({ scenario = 'uac-call.xml', service, caller = '103', transport = 'udp'|'tcp', calls = 1, timeout = 20, args = [] })
 *   -> Promise<{ code, stderr, errors, ms }>   code 0 = every call completed as scripted.
 * `caller` authenticates with its users.json credentials (-au authorizationId -ap password).
 */
export function runSipp({ scenario = 'uac-call.xml', service, caller = '103', transport = 'udp', calls = 1, timeout = 20, args = [] } = {}) {
  const u = user(caller);
  const errorFile = `/tmp/wwp-sipp-${process.pid}-${Date.now()}-errors.log`;
  const argv = [SIP_HOSTPORT, '-sf', path.isAbsolute(scenario) ? scenario : path.join(SIPP_DIR, scenario),
    '-s', String(service), '-key', 'caller', u.username, '-key', 'domain', DOMAIN,
    '-au', u.authorizationId, '-ap', u.password,
    '-i', '127.0.0.1', '-t', transport === 'tcp' ? 't1' : 'u1', '-m', String(calls),
    '-nostdin', '-timeout', String(timeout), '-timeout_error', '-trace_err', '-error_file', errorFile, ...args];
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn('sipp', argv, { cwd: '/tmp', stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (code) => {
      let errors = '';
      try { errors = fs.readFileSync(errorFile, 'utf8'); fs.unlinkSync(errorFile); } catch { /* no errors file */ }
      resolve({ code, stderr, errors, ms: Date.now() - t0 });
    });
  });
}
