// Debian's Chromium and the flags our e2e tests need on this kind of machine.
// - background-networking/component-update/sync off: the machine has no
//   network, and Chromium would otherwise keep trying to reach Google.
// - fake media: a fake microphone (a beep) and auto-granted permission.
// - allow-loopback-in-peer-connection: inside the loopback-only network
//   namespace, ICE gathering never completes without it.
// - WebRtcHideLocalIpsWithMdns off: plain 127.0.0.1 candidates, no *.local.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
