// Types of `wasm-web-phone/testing/playwright` (README "Testing your app").
import type { Page, TestType, PlaywrightTestArgs, PlaywrightTestOptions, PlaywrightWorkerArgs, PlaywrightWorkerOptions } from '@playwright/test';
import type { TestServer } from './index.js';

export { expect } from '@playwright/test';

/** The far side's extension number. */
export declare const FAR_SIDE_EXT: string;

export interface FarSideCall {
  index: number;
  direction: 'inbound' | 'outbound';
  state: 'init' | 'ringing' | 'answered' | 'disposed' | 'failed';
  callId: string;
  remoteNumber: string;
  ended: boolean;
  events: string[];
}

/** The far side of the app's calls: a real phone in its own browser context. */
export declare class FarSide {
  readonly page: Page;
  /** Its extension number, to dial from the app. */
  readonly ext: string;
  /** Its phone number (what the app shows as the caller). */
  readonly number: string;
  /** Any action of a far-side call (`index` from `calls()`; default its newest live call). */
  act(action: 'answer' | 'decline' | 'hangup' | 'hold' | 'unhold' | 'mute' | 'unmute' | 'sendDtmf' | 'transfer', index?: number, arg?: unknown): Promise<FarSideCall>;
  /** Call `target`; resolves once answered or failed. */
  call(target: string): Promise<FarSideCall>;
  /** Wait for a call from the app. */
  waitForCall(timeoutMs?: number): Promise<FarSideCall>;
  answer(timeoutMs?: number): Promise<FarSideCall>;
  decline(timeoutMs?: number): Promise<FarSideCall>;
  hangup(): Promise<FarSideCall>;
  hold(): Promise<FarSideCall>;
  unhold(): Promise<FarSideCall>;
  mute(): Promise<FarSideCall>;
  unmute(): Promise<FarSideCall>;
  sendDtmf(digits: string): Promise<FarSideCall>;
  transfer(target: string): Promise<FarSideCall>;
  /** Play a sine of `hz` (1000) into its calls; 0 = silence. */
  playTone(hz?: number): Promise<boolean>;
  calls(): Promise<FarSideCall[]>;
}

export type ToneResult = { heard: true; afterMs: number; tracks: number } | { heard: false; why: string };

/** Fail unless the page hears `hz` (1000) for `holdMs` (300) in a row within `timeoutMs` (5000). */
export declare function expectAudio(page: Page, options?: { hz?: number; holdMs?: number; timeoutMs?: number }): Promise<ToneResult>;
/** The audio probe's init script, for pages of your own context: `await context.addInitScript(recordPeerConnections)` before they load. */
export declare function recordPeerConnections(): void;
/** What expectAudio measures, without failing. */
export declare function measureTone(page: Page, options?: { hz?: number; holdMs?: number; timeoutMs?: number }): Promise<ToneResult>;

export interface KitTestFixtures {
  testServer: TestServer;
  farSide: FarSide;
  /** A page in a new browser context (another device or colleague), with the audio probe. */
  anotherPage: () => Promise<Page>;
}
export interface KitWorkerOptions {
  /** The kit's Chromium flags; a config that sets its own should build it with `launchOptions({ args })`. */
  launchOptions: import('@playwright/test').LaunchOptions;
  /** The app's extensions (the far side's is added): default 101-103. */
  extensions: string[];
  /** Default transport of `testServer.sipInfo()`: 'wss' (default) or 'ws'. */
  serverTransport: 'wss' | 'ws';
  /** URL prefix → directory (relative to the config file) the test server serves. */
  serve: Record<string, string>;
}

export declare const test: TestType<PlaywrightTestArgs & PlaywrightTestOptions & KitTestFixtures, PlaywrightWorkerArgs & PlaywrightWorkerOptions & KitWorkerOptions>;
