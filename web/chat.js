// The chat pane (README "Instant messages"): one conversation per peer, a
// compose box, and each sent message's delivery: ✓ with the 2xx, or ✗ with
// the refusal's status (WebPhone.MessageError). Incoming messages are
// announced to screen readers (aria-live) whichever conversation is shown.
const $ = (id) => document.getElementById(id);
const conversations = new Map(); // peer → { items: [{ dir, text, mark, error }], unread }
let phone; // the WebPhone that runs the messages (the leader's in multi-tab mode)
let shown;

/** "sip:101@localhost", "101@localhost" and "101" are one peer: 101. */
const peerOf = (uri) => String(uri).replace(/^sips?:/, '').replace(/[@;].*$/, '');

function conversation(peer) {
  if (!conversations.has(peer)) conversations.set(peer, { items: [], unread: 0 });
  return conversations.get(peer);
}

function render() {
  $('chat-peers').replaceChildren(...[...conversations].map(([peer, c]) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = c.unread ? `${peer} (${c.unread} new)` : peer;
    b.setAttribute('aria-pressed', String(peer === shown));
    b.onclick = () => show(peer);
    return b;
  }));
  const c = shown && conversations.get(shown);
  $('chat-log').setAttribute('aria-label', shown ? `Conversation with ${shown}` : 'Conversation');
  $('chat-log').replaceChildren(...(c?.items ?? []).map((m) => {
    const li = document.createElement('li');
    li.className = `msg ${m.dir}`;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = m.dir === 'in' ? `${shown}: ` : 'me: ';
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = m.text;
    li.append(who, text);
    if (m.dir === 'out') {
      const mark = document.createElement('span');
      mark.className = 'mark';
      mark.textContent = m.mark;
      if (m.error) mark.dataset.error = '';
      if (m.label) {
        const label = document.createElement('span');
        label.className = 'sr-only';
        label.textContent = ` ${m.label}`;
        mark.append(label);
      }
      li.append(' ', mark);
    }
    return li;
  }));
  $('chat-log').scrollTop = $('chat-log').scrollHeight;
}

function show(peer) {
  shown = peer;
  conversation(peer).unread = 0;
  $('chat-to').value = peer;
  render();
}

function onMessage(m) {
  const peer = peerOf(m.from);
  const c = conversation(peer);
  c.items.push({ dir: 'in', text: m.body });
  $('chat-announce').textContent = `Message from ${m.displayName || peer}: ${m.body}`;
  if (!shown) return show(peer); // the first conversation opens by itself
  if (peer !== shown) c.unread++;
  render();
}

/** Chat through `p` (a WebPhone), or nothing (undefined: unregistered, or a follower tab). */
export function setChatPhone(p) {
  phone?.off('message', onMessage);
  phone = p;
  phone?.on('message', onMessage);
  $('chat-send').disabled = !phone;
}

/** Open the conversation with `peer` (the buddy list's Chat button). */
export function openChat(peer) {
  show(peerOf(peer));
  $('chat-text').focus();
}

$('chat-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const to = $('chat-to').value.trim();
  const text = $('chat-text').value;
  if (!to || !text.trim() || !phone) return;
  const peer = peerOf(to);
  const item = { dir: 'out', text, mark: '…', label: 'sending' };
  conversation(peer).items.push(item);
  $('chat-text').value = '';
  show(peer);
  try {
    const { status } = await phone.sendMessage(to, text);
    item.mark = '✓';
    item.label = status === 202 ? 'accepted, to be delivered' : 'delivered';
  } catch (err) {
    item.error = true;
    item.label = '';
    item.mark = err.status ? `✗ ${err.status} ${err.reason}` : `✗ ${err.message}`;
  }
  render();
});
