// The server's side of the request workloads, shared by receive-path.mjs
// (timed) and profile-receive.mjs (profiled): every request frame made unique
// per pass, and the untimed settle step that ends what each pass started, so
// that calls and transactions do not pile up in the SDK between passes.
import { answer, freshString, header, startLine } from './sdk.mjs';

/// The request with `.<tag>` appended to its Call-ID and top-Via branch, as a fresh flat string.
export function uniqueRequest(text, tag) {
  const end = text.indexOf('\r\n\r\n');
  let head = text.slice(0, end);
  head = head.replace(/^((?:call-id|i)[ \t]*:[ \t]*)(\S+)/im, `$1$2.${tag}`);
  head = head.replace(/(;[ \t]*branch=)([^;,\s]+)/i, `$1$2.${tag}`);
  return freshString(head + text.slice(end));
}

const cseqOf = (t) => (header(t, 'cseq') ?? '').trim().split(/\s+/);
const topVia = (t) => (header(t, 'via') ?? '').split(',')[0].trim();
/// The final answer to `inv` itself: same top Via (its branch) and CSeq.
/// Call-ID alone is not enough: the corpus's re-INVITE shares the Call-ID of
/// its INVITE, and its 481 must not be taken for the INVITE's answer (that
/// left the INVITE ringing, and one call piled up in our core per pass).
const isFinalInviteAnswer = (r, inv) => r.startsWith('SIP/2.0 ') && !r.startsWith('SIP/2.0 1')
  && header(r, 'call-id') === header(inv, 'call-id') && topVia(r) === topVia(inv)
  && header(r, 'cseq') === header(inv, 'cseq');

export function inDialogRequest(method, invite, to) {
  const [n] = cseqOf(invite);
  return freshString([
    `${method} ${startLine(invite).split(' ')[1]} SIP/2.0`,
    `Via: ${header(invite, 'via').split(',')[0].trim()}`,
    `From: ${header(invite, 'from')}`, `To: ${to}`, `Call-ID: ${header(invite, 'call-id')}`,
    `CSeq: ${n} ${method}`, 'Max-Forwards: 70', 'Content-Length: 0', '', '',
  ].join('\r\n'));
}

/// Plays the server after a pass (untimed): answers what the SDK sent, ends
/// every INVITE transaction (CANCEL if still ringing, ACK to the final answer).
export function settle(x, fed) {
  for (let round = 0; round < 3 && x.outbox.length; round++) {
    const out = x.outbox;
    x.outbox = [];
    for (const t of out) {
      if (!t.startsWith('SIP/2.0 ') && !t.startsWith('ACK ')) x.ws.deliver(answer(t));
    }
    for (const inv of fed) {
      if (!inv.startsWith('INVITE ')) continue;
      let final = out.find((r) => isFinalInviteAnswer(r, inv));
      if (!final && round === 0) {
        const mark = x.outbox.length;
        x.ws.deliver(inDialogRequest('CANCEL', inv, header(inv, 'to')));
        final = x.outbox.slice(mark).find((r) => isFinalInviteAnswer(r, inv));
        if (final) x.outbox.splice(x.outbox.indexOf(final), 1);
      }
      if (final) x.ws.deliver(inDialogRequest('ACK', inv, header(final, 'to')));
    }
    fed = [];
  }
  x.outbox.length = 0;
}
