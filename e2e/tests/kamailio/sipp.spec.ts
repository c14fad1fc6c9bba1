// sipp (UDP and TCP) calls a ringcentral-web-phone page registered over WSS:
// Kamailio bridges UDP/TCP <-> WSS, challenges sipp with 407, and applies the
// RC workarounds only on the browser side. Signalling only: the browser
// accepts sipp's WebRTC-shaped SDP, but sipp does no ICE/DTLS, so no media.
import { test, expect } from '../../lib/fixtures';
import { runSipp } from '../../lib/sipp.mjs';

for (const transport of ['udp', 'tcp'] as const) {
  test(`sipp over ${transport.toUpperCase()} calls a browser phone (RC SDK, wss) through Kamailio`, async ({ phonePage }) => {
    const b = await phonePage('102');
    const r = await runSipp({ service: '102', caller: '103', transport });
    expect(r.code, `sipp exit code\n${r.stderr}\n${r.errors}`).toBe(0);
    const names = await b.eventNames();
    expect(names).toEqual(expect.arrayContaining(['inboundCall', 'answered', 'disposed']));
    expect((await b.events()).find((e) => e.name === 'inboundCall')?.from).toBe('103');
    // sipp's BYE reached the browser via the Contact Kamailio added to the SDK's 2xx (RC4)
    expect((await b.sipLog()).some((l) => l.startsWith('<<< BYE '))).toBe(true);
  });
}
