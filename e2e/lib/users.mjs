// The e2e/demo SIP accounts and server addresses, read from the single source
// of truth e2e/kamailio/users.json (scripts/kamailio.sh loads the same file
// into Kamailio). Use these instead of hard-coding ports or passwords.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const USERS_JSON = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'kamailio', 'users.json');
const config = JSON.parse(fs.readFileSync(USERS_JSON, 'utf8'));

export const DOMAIN = config.domain;                 // 'localhost': R-URI/From/To host and digest realm
export const SERVER = { ...config.server };          // { host, sipPort, wsPort, wssPort, rpcPort, backup }
export const WS_URL = `ws://${SERVER.host}:${SERVER.wsPort}`;          // ws://127.0.0.1:25080
export const WSS_HOSTPORT = `localhost:${SERVER.wssPort}`;             // RC SDK outboundProxy (it always uses wss://)
export const WSS_URL = `wss://${WSS_HOSTPORT}`;                        // wss://localhost:25443 (self-signed)
export const SIP_HOSTPORT = `${SERVER.host}:${SERVER.sipPort}`;        // 127.0.0.1:25060 (udp + tcp), e.g. for sipp
export const RPC_URL = `http://${SERVER.host}:${SERVER.rpcPort}/RPC`;  // Kamailio JSON-RPC
// A second instance (KAMAILIO_INSTANCE=backup): the failover target in autoRecover tests.
export const BACKUP = { host: SERVER.host, ...config.server.backup };
export const BACKUP_WS_URL = `ws://${BACKUP.host}:${BACKUP.wsPort}`;        // ws://127.0.0.1:26080
export const BACKUP_RPC_URL = `http://${BACKUP.host}:${BACKUP.rpcPort}/RPC`;
export const EXTENSIONS = Object.keys(config.users);                   // ['101', ..., '105']

/** { username, authorizationId, password, displayName } of an extension ('101'..'105'). */
export function user(ext) {
  const u = config.users[String(ext)];
  if (!u) throw new Error(`unknown test user ${ext} (have ${EXTENSIONS.join(', ')})`);
  return { ...u };
}

/**
 * ringcentral-web-phone style sipInfo for an extension, pointing at the local Kamailio.
 *   transport 'wss' (default): wsUrl = wss://localhost:25443; the RC SDK only
 *   ever uses outboundProxy (wss://), so it ignores wsUrl.
 *   transport 'ws': wsUrl = ws://127.0.0.1:25080 (for SDKs that accept a wsUrl).
 * stunServers is [] so no STUN server is configured (ICE stays on loopback).
 * `password` can be overridden, e.g. sipInfo('101', { password: 'wrong' }).
 */
export function sipInfo(ext, { transport = 'wss', ...overrides } = {}) {
  const u = user(ext);
  return {
    username: u.username,
    authorizationId: u.authorizationId,
    password: u.password,
    domain: DOMAIN,
    outboundProxy: WSS_HOSTPORT,
    outboundProxyBackup: WSS_HOSTPORT,
    stunServers: [],
    wsUrl: transport === 'ws' ? WS_URL : WSS_URL,
    ...overrides,
  };
}
