// Video checks shared by the e2e suites: video is judged by what the far side
// decodes, inbound-rtp `framesDecoded` (kind video), and the frames' shape
// says which source it is: Chromium's fake camera is 4:3, its fake screen
// 16:9, a test's canvas square (the sizes themselves vary: WebRTC scales
// down on a busy machine).
import { expect } from '@playwright/test';
import type { Phone } from './fixtures';
import { waitForQuiet } from './quiet';

/** inbound-rtp video of the current call: frames decoded so far and the last frame's shape. */
export function video(p: Phone) {
  return p.page.evaluate(async () => {
    const pc = (window as any).session?.rtcPeerConnection as RTCPeerConnection | undefined;
    const out = { frames: 0, shape: '' };
    (await pc?.getStats())?.forEach((r: any) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        out.frames += r.framesDecoded ?? 0;
        const ratio = r.frameWidth / r.frameHeight;
        if (r.frameHeight) out.shape = Math.abs(ratio - 4 / 3) < 0.05 ? '4:3' : Math.abs(ratio - 16 / 9) < 0.05 ? '16:9' : ratio === 1 ? 'square' : `${r.frameWidth}x${r.frameHeight}`;
      }
    });
    return out;
  });
}
/** Chromium's fake camera; its fake screen (getDisplayMedia under --use-fake-ui-for-media-stream); the test's canvas. */
export const CAMERA = '4:3', SCREEN = '16:9', CANVAS = 'square';
/** `p` decodes video: more than 15 new frames (the fake camera sends 30 a second), of `shape` if given. */
export async function expectFrames(p: Phone, shape?: string) {
  const before = (await video(p)).frames;
  await expect.poll(async () => {
    const v = await video(p);
    return v.frames > before + 15 && (shape === undefined || v.shape === shape) ? 'ok' : `${v.frames - before} frames, ${v.shape}`;
  }, { timeout: 15_000, message: `video frames into ${p.ext}${shape ? `, ${shape}` : ''}` }).toBe('ok');
}
/** `p` decodes no more video: the count stops (or its stats go with the stream). */
export async function expectNoFrames(p: Phone) {
  await waitForQuiet(async () => (await video(p)).frames, { quietMs: 1500, timeout: 8000, interval: 250, what: `video frames into ${p.ext}` });
}
