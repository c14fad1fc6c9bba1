// SharedWorker of the multi-tab sample (one per origin, worker URL and name;
// the page names it after the SIP user). It keeps exactly one tab "real" (a
// registered WebPhone) and the others "dummy" (a WebPhone on DummySipClient,
// which sends nothing), as in ringcentral-web-phone's README, "Mutiple
// instances and shared worker":
//   real  --{type:'sync', state}-->    worker --> every dummy (and a cache for late joiners)
//   dummy --{type:'action', name, args}--> worker --> real
//   any   --{type:'close'}-->          worker: forget the tab; if it was the real one,
//                                      clear the dummies' state and promote the oldest dummy
//   worker --{type:'dummies', count}--> real (whenever the number of dummies changes)
// The worker holds no phone itself: media (RTCPeerConnection, getUserMedia)
// only exists in pages.
const dummyPorts = new Set();
let realPort;
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
  if (!realPort) return;
  dummyPorts.delete(realPort);
  realPort.postMessage({ type: 'role', role: 'real' });
}

self.onconnect = (event) => {
  const port = event.ports[0];
  if (realPort) {
    dummyPorts.add(port);
    port.postMessage({ type: 'role', role: 'dummy' });
  } else {
    realPort = port;
    port.postMessage({ type: 'role', role: 'real' });
  }
  tellDummyCount();

  port.onmessage = ({ data }) => {
    switch (data?.type) {
      case 'ready':   // a tab is listening: a dummy gets the current state at once
        if (port !== realPort && syncCache) port.postMessage(syncCache);
        break;
      case 'close':   // the tab is going away (pagehide / beforeunload)
        if (port === realPort) {
          realPort = undefined;
          syncCache = NO_PHONE;
          for (const p of dummyPorts) p.postMessage(NO_PHONE);
          promote();
        } else {
          dummyPorts.delete(port);
        }
        tellDummyCount();
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
