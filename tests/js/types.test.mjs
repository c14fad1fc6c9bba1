// The package's declarations as TypeScript apps see them: an ES module app
// (moduleResolution bundler and node16) and a CommonJS app (node16, which
// reads the `.d.cts` twins through the `require` condition). Both are one
// body (tests/js/types/app-body.ts.in) behind each module system's imports,
// and the body holds `@ts-expect-error` misuses, so types that silently
// became `any` fail too. Needs a built dist/ (scripts/build.sh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = `${root}node_modules/typescript/bin/tsc`;
// Inside the package, so that 'wasm-web-phone' resolves to itself (self-reference).
const dir = `${root}build/types-check/`;
const body = readFileSync(new URL('./types/app-body.ts.in', import.meta.url), 'utf8');

const IMPORTS = {
  'consumer.mts': [
    "import WebPhone from 'wasm-web-phone';",
    "import { DefaultSipClient, DummySipClient } from 'wasm-web-phone/sip-client';",
    "import type InboundCallSession from 'wasm-web-phone/call-session/inbound';",
    "import type OutboundCallSession from 'wasm-web-phone/call-session/outbound';",
    "import type { SipInfo, WebPhoneOptions } from 'wasm-web-phone/types';",
    "import RequestMessage from 'wasm-web-phone/sip-message/outbound/request';",
    "import { generateAuthorization, uuid } from 'wasm-web-phone/utils';",
    "import { MultiTabWebPhone, TabCallSession } from 'wasm-web-phone/multi-tab';",
    "import { CallHistory, IndexedDbCallHistoryStore, MemoryCallHistoryStore, type CallHistoryEntry, type CallHistoryStore } from 'wasm-web-phone/call-history';",
    "import { Ringer } from 'wasm-web-phone/ringer';",
  ],
  // `require`: a default-only module is the value itself (`export =`).
  'consumer.cts': [
    "import WebPhone = require('wasm-web-phone');",
    "import { DefaultSipClient, DummySipClient } from 'wasm-web-phone/sip-client';",
    "import InboundCallSession = require('wasm-web-phone/call-session/inbound');",
    "import OutboundCallSession = require('wasm-web-phone/call-session/outbound');",
    "import type { SipInfo, WebPhoneOptions } from 'wasm-web-phone/types';",
    "import RequestMessage = require('wasm-web-phone/sip-message/outbound/request');",
    "import { generateAuthorization, uuid } from 'wasm-web-phone/utils';",
    "import { MultiTabWebPhone, TabCallSession } from 'wasm-web-phone/multi-tab';",
    "import { CallHistory, IndexedDbCallHistoryStore, MemoryCallHistoryStore, type CallHistoryEntry, type CallHistoryStore } from 'wasm-web-phone/call-history';",
    "import { Ringer } from 'wasm-web-phone/ringer';",
  ],
};
mkdirSync(dir, { recursive: true });
for (const [file, lines] of Object.entries(IMPORTS)) writeFileSync(dir + file, `${lines.join('\n')}\n${body}`);

const COMMON = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2020',
  '--lib', 'es2020,dom', '--types', 'node', '--typeRoots', `${root}node_modules/@types`];

function typecheck(args) {
  const r = spawnSync(process.execPath, [tsc, ...COMMON, ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
}

test('an ES module app type-checks (moduleResolution bundler)', () => {
  typecheck(['--module', 'esnext', '--moduleResolution', 'bundler', 'consumer.mts']);
});

test('an ES module app type-checks (moduleResolution node16)', () => {
  typecheck(['--module', 'node16', '--moduleResolution', 'node16', 'consumer.mts']);
});

test('a CommonJS app type-checks against the .d.cts twins (node16, require)', () => {
  typecheck(['--module', 'node16', '--moduleResolution', 'node16', 'consumer.cts']);
});
