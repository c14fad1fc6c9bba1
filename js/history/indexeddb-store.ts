// A CallHistoryStore in the browser's IndexedDB (README "Call history"):
// the history survives a page reload and is shared by the origin's tabs.
import type { CallHistoryEntry, CallHistoryStore } from './call-history.js';

export interface IndexedDbCallHistoryStoreOptions {
  /** The database. Default `'wasm-web-phone'`; it may hold the app's own object stores too. */
  dbName?: string;
  /** The object store, keyed by entry id. Default `'callHistory'`. */
  storeName?: string;
  /** The IDBFactory to use. Default `globalThis.indexedDB` (tests can pass another). */
  indexedDB?: IDBFactory;
  /**
   * How long an upgrade that adds our store waits for another connection to
   * the database (an older tab, the app's own) to close before the operation
   * fails saying so. Default 3000 ms.
   */
  blockedTimeoutMs?: number;
}

/** Opening tries this often when another tab or store upgrades the database at the same moment. */
const OPEN_ATTEMPTS = 3;

/**
 * Opens the database on first use, not in the constructor, so that a page
 * without IndexedDB (some private modes, Node) gets a clear error from the
 * first operation (CallHistory reports it as an `error` event) instead of a
 * throw at startup. Versioning: a database without our object store (new, or
 * one the app made for its own stores) is upgraded by one version that adds
 * it; a tab that holds the database open closes its connection when another
 * asks for a newer version, and opens it again at its next operation.
 */
export class IndexedDbCallHistoryStore implements CallHistoryStore {
  readonly dbName: string;
  readonly storeName: string;
  private readonly factory: IDBFactory | undefined;
  private readonly blockedTimeoutMs: number;
  private db: Promise<IDBDatabase> | undefined;

  constructor(options: IndexedDbCallHistoryStoreOptions = {}) {
    this.dbName = options.dbName ?? 'wasm-web-phone';
    this.storeName = options.storeName ?? 'callHistory';
    this.factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    this.blockedTimeoutMs = options.blockedTimeoutMs ?? 3000;
  }

  async load(): Promise<CallHistoryEntry[]> {
    return (await this.run('readonly', (s) => s.getAll())) as CallHistoryEntry[];
  }
  async put(entry: CallHistoryEntry): Promise<void> {
    await this.run('readwrite', (s) => s.put(entry));
  }
  async delete(id: string): Promise<void> {
    await this.run('readwrite', (s) => s.delete(id));
  }
  async clear(): Promise<void> {
    await this.run('readwrite', (s) => s.clear());
  }

  /** Close the connection (the next operation opens it again). */
  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    (await db?.catch(() => undefined))?.close();
  }

  /** One request in its own transaction; resolves with its result once the transaction commits. */
  private async run(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const db = await this.open();
      try {
        return await new Promise((resolve, reject) => {
          const tx = db.transaction(this.storeName, mode);
          const request = op(tx.objectStore(this.storeName));
          tx.oncomplete = () => resolve(request.result);
          tx.onabort = () => reject(tx.error ?? request.error ?? new Error(`${this.what()}: the transaction was aborted`));
        });
      } catch (e) {
        // The connection was closed under us (another tab upgraded): once more on a new one.
        if ((e as DOMException)?.name !== 'InvalidStateError' || attempt > 1) throw e;
        this.db = undefined;
      }
    }
  }

  private open(): Promise<IDBDatabase> {
    const opening = (this.db ??= this.connect());
    opening.catch(() => {
      if (this.db === opening) this.db = undefined; // the next operation tries again
    });
    return opening;
  }

  private async connect(): Promise<IDBDatabase> {
    const idb = this.factory;
    if (!idb) throw new Error(`${this.what()}: indexedDB is not available here; use MemoryCallHistoryStore (the default)`);
    for (let attempt = 1; ; attempt++) {
      try {
        // At its current version (a new database gets ours at version 1) …
        let db = await this.openAt(idb, undefined);
        if (!db.objectStoreNames.contains(this.storeName)) {
          // … else one version more, which adds our store.
          const next = db.version + 1;
          db.close();
          db = await this.openAt(idb, next);
        }
        db.onversionchange = () => {
          db.close();
          this.db = undefined;
        };
        return db;
      } catch (e) {
        // VersionError: someone else upgraded between our two opens; start over.
        if ((e as DOMException)?.name !== 'VersionError' || attempt >= OPEN_ATTEMPTS) throw e;
      }
    }
  }

  private openAt(idb: IDBFactory, version: number | undefined): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      const request = version === undefined ? idb.open(this.dbName) : idb.open(this.dbName, version);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(this.storeName)) db.createObjectStore(this.storeName, { keyPath: 'id' });
      };
      let failed = false;
      let blocked: ReturnType<typeof setTimeout> | undefined;
      request.onsuccess = () => {
        clearTimeout(blocked);
        if (failed) request.result.close(); // too late: that operation has failed; the next one opens again
        else resolve(request.result);
      };
      request.onerror = () => {
        clearTimeout(blocked);
        reject(request.error ?? new Error(`${this.what()}: cannot open the database`));
      };
      // Another connection did not close for our upgrade. IndexedDB waits for
      // it for ever, and with it every load and put (the history hung); ours
      // close on `versionchange`, an app's or an older tab's may not.
      request.onblocked = () => {
        blocked ??= setTimeout(() => {
          failed = true;
          reject(new Error(`${this.what()}: another connection to the database (an older tab, or the app's own) did not close ` +
            `for the upgrade that adds "${this.storeName}" within ${this.blockedTimeoutMs} ms; close it on its versionchange event ` +
            `(db.onversionchange = () => db.close())`));
        }, this.blockedTimeoutMs);
      };
    });
  }

  private what(): string {
    return `IndexedDbCallHistoryStore(${this.dbName}/${this.storeName})`;
  }
}
