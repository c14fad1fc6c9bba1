// Parser adapters for the JS peers (npm devDependencies of this repo).
//
// Adapter shape (shared with ./wasm-core.mjs):
//   { name, version, input: 'string',
//     init?(): Promise<void>,
//     parse(s) -> { method? | status?, callId, cseq, cseqMethod?, body } | undefined }
// parse() reads the fields the way each library itself reads them, so a
// parser that loses a header fails verification.
import { readFileSync } from 'node:fs';
import InboundMessage from 'ringcentral-web-phone/sip-message/inbound';
import JsSIPParser from 'jssip/lib/Parser.js';
import { Parser as SipJsParser } from 'sip.js/lib/core/messages/parser.js';

// ringcentral-web-phone's "exports" map hides package.json; read the file.
const versionOf = (pkg) =>
  JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version;

// sip.js wants a logger; count instead of printing.
export const sipjsLog = { warnings: 0, errors: 0 };
const sipjsLogger = { warn() { sipjsLog.warnings++; }, error() { sipjsLog.errors++; }, log() {}, debug() {} };

// ringcentral-web-phone 2.x: InboundMessage.fromString splits on CRLFCRLF,
// CRLF and ': ' into an object; getHeader() is a case-insensitive search.
// The library reads the start line with subject.startsWith('SIP/2.0 …') and
// CSeq with getHeader('CSeq').trim().split(/\s+/). Parsing also adds a random
// To tag when there is none; that cost is part of its parse.
export const rcwp = {
  name: 'ringcentral-web-phone',
  version: versionOf('ringcentral-web-phone'),
  input: 'string',
  parse(s) {
    const m = InboundMessage.fromString(s);
    const subject = m.subject;
    const out = { callId: m.getHeader('Call-Id'), body: m.body };
    const cseq = m.getHeader('CSeq');
    if (cseq !== undefined) {
      const parts = cseq.trim().split(/\s+/);
      out.cseq = Number(parts[0]);
      out.cseqMethod = parts[1];
    }
    if (subject.startsWith('SIP/2.0 ')) out.status = Number(subject.substring(8, 11));
    else out.method = subject.substring(0, subject.indexOf(' '));
    return out;
  },
};

// JsSIP 3.x: lib/Parser.js (PEG.js grammar per header).
export const jssip = {
  name: 'jssip',
  version: versionOf('jssip'),
  input: 'string',
  parse(s) {
    const m = JsSIPParser.parseMessage(s, undefined);
    if (!m) return undefined;
    const out = { callId: m.call_id, cseq: m.cseq, cseqMethod: m.method, body: m.body };
    if (m.status_code !== undefined) out.status = m.status_code;
    else out.method = m.method;
    return out;
  },
};

// SIP.js 0.21: core Parser.parseMessage (peggy grammar).
export const sipjs = {
  name: 'sip.js',
  version: versionOf('sip.js'),
  input: 'string',
  parse(s) {
    const m = SipJsParser.parseMessage(s, sipjsLogger);
    if (!m) return undefined;
    const out = { callId: m.callId, cseq: m.cseq, cseqMethod: m.method, body: m.body };
    if (m.statusCode !== undefined) out.status = m.statusCode;
    else out.method = m.method;
    return out;
  },
};

export const peerAdapters = [rcwp, jssip, sipjs];
