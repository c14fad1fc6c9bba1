// The demo's video controls on a call card (README "Video and screen share"):
// answer with video, add or remove video mid-call (re-INVITE), the camera
// off and on (no SIP), screen share (the track swapped, no SIP when video
// is already on), and the two pictures. The session does the work; this
// file only shows its state. In a multi-tab follower the streams are in the
// leading tab: the buttons still work, the pictures stay there.

/** The card's video actions; each returns the text for the card's result line. */
export const VIDEO_ACTIONS = {
  answerVideo: async (m, switchTo) => {
    await switchTo(m);
    await m.s.answer({ video: true });
  },
  video: async (m) => {
    if (m.s.localVideoStream || m.s.hasRemoteVideo) {
      await m.s.removeVideo();
      return 'video removed';
    }
    await m.s.addVideo();
    return m.s.hasRemoteVideo ? 'video on both ways' : 'sending video; the other side sends none';
  },
  camera: async (m) => {
    await (m.s.videoMuted ? m.s.unmuteVideo() : m.s.muteVideo()); // a promise in multi-tab mode
    return m.s.videoMuted ? 'camera off (the other side sees black)' : 'camera on';
  },
  share: async (m) => {
    if (m.s.screenSharing) {
      await m.s.stopScreenShare();
      return 'screen share stopped';
    }
    await m.s.startScreenShare();
    return 'sharing the screen';
  },
};

/** Button labels and the pictures, from the session's own state. */
export function updateVideo(meta, q) {
  const { s } = meta;
  const ringingIn = s.direction === 'inbound' && s.state === 'ringing';
  q(meta, '[data-action="answerVideo"]').hidden = !(ringingIn && s.hasRemoteVideo);
  const answered = s.state === 'answered';
  const sending = !!s.localVideoStream;
  q(meta, '[data-action="video"]').textContent = sending || s.hasRemoteVideo ? 'Remove video' : 'Add video';
  q(meta, '[data-action="camera"]').hidden = !answered || !sending;
  q(meta, '[data-action="camera"]').textContent = s.videoMuted ? 'Camera on' : 'Camera off';
  q(meta, '[data-action="share"]').textContent = s.screenSharing ? 'Stop sharing' : 'Share screen';
  const remote = s.remoteVideoStream ?? null;
  const local = s.localVideoStream ?? null;
  const box = q(meta, '.video');
  box.hidden = !remote && !local;
  const show = (el, stream) => { if (el.srcObject !== stream) el.srcObject = stream; el.hidden = !stream; };
  show(q(meta, '.remote-video'), remote);
  show(q(meta, '.local-video'), local);
}

/** Keep the card in step with the session's video events. */
export function watchVideo(meta, q, update, setResult) {
  const { s } = meta;
  s.on('videoChanged', () => update(meta));
  s.on('screenShareEnded', ({ reason }) => {
    if (reason === 'ended') setResult(meta, 'screen share ended by the browser; back to the camera');
    update(meta);
  });
}
