import type { DeviceManager } from './types.js';

/** First audio input / output device, as ringcentral-web-phone does (spec §2.9). */
export class DefaultDeviceManager implements DeviceManager {
  async getInputDeviceId(): Promise<string> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const input = devices.find((d) => d.kind === 'audioinput');
    if (!input) throw new Error('No audio input device found');
    return input.deviceId;
  }

  async getOutputDeviceId(): Promise<string | undefined> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.find((d) => d.kind === 'audiooutput')?.deviceId;
  }

  /** The first camera (before permission its id is hidden: then the browser picks). */
  async getVideoInputDeviceId(): Promise<string | undefined> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.find((d) => d.kind === 'videoinput')?.deviceId || undefined;
  }
}
