// SharedWorker of the multi-tab sample (one per origin, worker URL and name;
// the page names it after the SIP user). It keeps exactly one tab "real" (a
// registered WebPhone) and the others "dummy" (a WebPhone on DummySipClient,
// which sends nothing), as in ringcentral-web-phone's README, "Mutiple
// instances and shared worker":
//   real  --{type:'sync', state}-->    worker --> every dummy (and a cache for late joiners)
//   dummy --{type:'action', name, args}--> worker --> real
//   any   --{type:'ready', tabLock}-->  worker: send a dummy the cached state; watch the tab
//   any   --{type:'close'}-->          worker: forget the tab; if it was the real one,
//                                      clear the dummies' state and promote the oldest dummy
// A tab that crashes or is killed sends no 'close'. So each tab holds a Web
// Lock named `tabLock` for its whole life, and the worker queues for it: the
// browser grants the worker that lock only when the tab is gone, however it
// went, and the worker then forgets the tab exactly as on 'close'.
// The worker may share a renderer process with a tab and die with it. So it
// holds the lock `<name>:worker` while it lives and names it in every 'role'
// message; the tabs queue for it, and one that is granted it connects to a
// fresh worker, saying in 'ready' (`had`) which role it had: a tab that was
// real stays real (a dummy promoted in between is sent back to 'dummy'), so a
// surviving call is not lost.
//   worker --{type:'role', role, workerLock}--> a tab (on 'ready', on promotion)
//   worker --{type:'dummies', count}--> real (whenever the number of dummies changes)
// The worker holds no phone itself: media (RTCPeerConnection, getUserMedia)
// only exists in pages.
const dummyPorts = new Set();
let realPort;
let realWasClaimed = false;   // realPort said it was real before this worker started
let syncCache;   // the real tab's last {type:'sync'} message

// No call survives its real tab: the dummies show this until the next real one syncs.
const NO_PHONE = { type: 'sync', state: { registered: false, sessions: [] } };

// The real tab must know whether a dummy will take over when it leaves: then
// it only closes its socket instead of unregistering, because the successor
// registers the same +sip.instance and a late un-REGISTER (expires=0) would
// remove the successor's binding on a server that binds by instance.
function tellDummyCount() {
  realPort?.postMessage({ type: 'dummies', count: dummyPorts.size });
}

function promote() {
  realPort = dummyPorts.values().next().value;   // the oldest dummy (a Set keeps insertion order)
  realWasClaimed = false;
  if (!realPort) return;
  dummyPorts.delete(realPort);
  sendRole(realPort, 'real');
}

/** Tell a tab its role, and the lock it can watch this worker by. */
function sendRole(port, role) {
  port.postMessage({ type: 'role', role, workerLock: lockHeld });
}

/** A tab joins (`had`: the role it had under a worker that died, if any). */
function join(port, had) {
  // A real tab back from a dead worker wins over a dummy promoted meanwhile.
  const reclaims = had === 'real' && !realWasClaimed;
  if (realPort && !reclaims) {
    dummyPorts.add(port);
    sendRole(port, 'dummy');
  } else {
    if (realPort) {   // a dummy promoted before the real tab came back: demote it
      dummyPorts.add(realPort);
      sendRole(realPort, 'dummy');
    }
    realPort = port;
    realWasClaimed = had === 'real';
    sendRole(port, 'real');
  }
  tellDummyCount();
}

/** The tab behind `port` is gone: drop it; if it was the real one, promote a dummy. */
function forget(port) {
  if (port === realPort) {
    realPort = undefined;
    syncCache = NO_PHONE;
    for (const p of dummyPorts) p.postMessage(NO_PHONE);
    promote();
  } else if (!dummyPorts.delete(port)) {
    return;   // already forgotten ('close' and then the lock, or the other way round)
  }
  tellDummyCount();
}

/** Learn of the tab's end through its life-long lock (see the top of this file). */
function watch(port, tabLock) {
  if (typeof tabLock !== 'string' || !self.navigator.locks) return;
  self.navigator.locks.request(tabLock, () => forget(port)).catch(() => {});
}

const workerLock = `${self.name}:worker`;
let lockHeld;   // the name of the lock this worker holds for life, once it holds it
// Resolves once this worker holds workerLock (never released: it goes with the worker).
const holding = self.navigator.locks
  ? new Promise((held) => self.navigator.locks.request(workerLock, () => {
    lockHeld = workerLock;
    held();
    return new Promise(() => {});
  }))
  : Promise.resolve();

self.onconnect = (event) => {
  const port = event.ports[0];
  port.onmessage = async ({ data }) => {
    switch (data?.type) {
      case 'ready':   // a tab is listening: give it a role (and a dummy the current state)
        await holding;   // a tab that learns its role may queue for workerLock
        join(port, data.had);
        if (port !== realPort && syncCache) port.postMessage(syncCache);
        watch(port, data.tabLock);
        break;
      case 'close':   // the tab is going away (pagehide / beforeunload)
        forget(port);
        break;
      case 'action':  // a dummy's button press, carried out by the real tab
        if (port !== realPort) realPort?.postMessage(data);
        break;
      case 'sync':    // only the current real tab speaks for the phone
        if (port !== realPort) break;
        syncCache = data;
        for (const p of dummyPorts) p.postMessage(data);
        break;
    }
  };
};
