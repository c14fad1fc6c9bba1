// Issue 14: no secret ever reaches a log, an event or a diagnostics bundle.
// The fixtures run every phone of our SDK through this at the end of each
// test: the SDK's log entries, the messages its events handed the page, and
// its diagnostics bundle, against every test password and every digest
// response the page actually sent on its WebSocket.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Every password of the test servers' users (Kamailio's users.json). */
export function testPasswords(): string[] {
  const users = JSON.parse(readFileSync(fileURLToPath(new URL('../kamailio/users.json', import.meta.url)), 'utf8'));
  const list: Array<{ password?: string }> = Array.isArray(users.users) ? users.users : Object.values(users.users ?? users);
  return [...new Set(list.map((u) => u.password).filter((p): p is string => typeof p === 'string' && p.length >= 4))];
}

/** Records the digest `response` and `cnonce` values of every frame the page sends. */
export function recordWireSecrets(page: Page): string[] {
  const seen: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => {
    const text = typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8');
    for (const m of text.matchAll(/\b(?:response|cnonce)\s*=\s*"?([^",\s]+)/gi)) if (m[1].length >= 8) seen.push(m[1]);
  }));
  return seen;
}

/** The secrets found in `texts`, each with where it was: [] when clean. */
export function findSecrets(texts: Record<string, string>, secrets: string[]): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(texts))
    for (const secret of secrets) if (text.includes(secret)) found.push(`${where} holds ${secret.length > 12 ? `${secret.slice(0, 6)}…` : 'a test password'}`);
  return found;
}
