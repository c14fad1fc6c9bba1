// The rejection of the output-device APIs (`changeOutputDevice`, the
// ringer's `setDevice`; README "Devices"), where the browser's own answer is
// a TypeError from calling an undefined `setSinkId` (Firefox < 116, Safari)
// or a bare DOMException. Also `WebPhone.DeviceError` and
// `wasm-web-phone/device-error`.

/**
 * - `NotSupported`: this browser cannot choose an audio output
 *   (no `HTMLMediaElement.setSinkId`); audio plays on the default output.
 * - `NotFound`: no device has that id (unplugged, or an id from another origin).
 * - `NotAllowed`: the page may not use that device (permission, policy).
 */
export type DeviceErrorCode = 'NotSupported' | 'NotFound' | 'NotAllowed';

export class DeviceError extends Error {
  declare readonly code: DeviceErrorCode;
  /** The device id asked for. */
  declare readonly deviceId: string;

  constructor(code: DeviceErrorCode, message: string, deviceId: string) {
    super(message);
    this.name = 'DeviceError';
    Object.assign(this, { code, deviceId });
  }
}

type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

/** Whether `el` can play on a chosen output. */
export const canSetSink = (el: HTMLMediaElement): boolean => typeof (el as SinkElement).setSinkId === 'function';

/**
 * `el.setSinkId(deviceId)`, rejecting with a DeviceError for what the app can
 * act on. '' (the default output) needs no setSinkId.
 */
export async function setSink(el: HTMLMediaElement, deviceId: string): Promise<void> {
  if (!canSetSink(el)) {
    if (!deviceId) return;
    throw new DeviceError('NotSupported', 'This browser cannot select an audio output device (no HTMLMediaElement.setSinkId)', deviceId);
  }
  try {
    await (el as SinkElement).setSinkId!(deviceId);
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'NotFoundError') throw new DeviceError('NotFound', `No audio output device has the id "${deviceId}"`, deviceId);
    if (name === 'NotAllowedError' || name === 'SecurityError')
      throw new DeviceError('NotAllowed', `Not allowed to use audio output device "${deviceId}"`, deviceId);
    throw e;
  }
}
