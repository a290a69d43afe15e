// The share store: one SQLite file (better-sqlite3) holding ciphertext the server cannot read.
// WAL + synchronous=FULL: a share acknowledged with 201 is on disk and survives a crash or restart.
// A deleted or expired share keeps a tombstone row (no data) for a while, so its link can say
// "deleted" or "expired" instead of "not found"; secure_delete zeroes freed pages.
import Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** 128-bit random ids, base64url: 22 characters, the last one carrying 2 bits. */
export const ID_RE = /^[A-Za-z0-9_-]{21}[AQgw]$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a tombstone says "deleted"/"expired" before the id is simply unknown. */
const TOMBSTONE_MS = 30 * DAY_MS;

export type Fetched =
  | { status: 'ok'; data: Buffer; expiresAt: number }
  | { status: 'expired'; expiresAt: number }
  | { status: 'deleted' }
  | { status: 'missing' };

export type Deleted = 'deleted' | 'forbidden' | 'missing' | 'gone';

export interface Created {
  id: string;
  deleteToken: string;
  expiresAt: number;
}

interface Row {
  data: Buffer | null;
  delete_hash: string;
  expires_at: number;
  deleted_at: number | null;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export class ShareStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly tombstone: Database.Statement;
  private readonly expireAll: Database.Statement;
  private readonly forget: Database.Statement;

  constructor(dataDir: string, private readonly now: () => number = Date.now) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'shares.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS shares (
      id TEXT PRIMARY KEY,
      data BLOB,
      delete_hash BLOB NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      deleted_at INTEGER
    )`);
    this.db.exec('CREATE INDEX IF NOT EXISTS shares_expires ON shares (expires_at)');
    this.insert = this.db.prepare('INSERT INTO shares (id, data, delete_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
    this.select = this.db.prepare('SELECT data, delete_hash, expires_at, deleted_at FROM shares WHERE id = ?');
    this.tombstone = this.db.prepare('UPDATE shares SET data = NULL, deleted_at = ? WHERE id = ?');
    this.expireAll = this.db.prepare('UPDATE shares SET data = NULL WHERE expires_at <= ? AND data IS NOT NULL');
    this.forget = this.db.prepare('DELETE FROM shares WHERE expires_at <= ? OR deleted_at <= ?');
  }

  create(data: Buffer, days: number): Created {
    const now = this.now();
    const expiresAt = now + days * DAY_MS;
    const deleteToken = randomBytes(32).toString('base64url');
    for (;;) {
      const id = randomBytes(16).toString('base64url');
      try {
        this.insert.run(id, data, sha256(deleteToken), now, expiresAt);
        return { id, deleteToken, expiresAt };
      } catch (err) {
        // A 128-bit collision will not happen; a constraint error would loop once, anything else throws.
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err;
      }
    }
  }

  get(id: string): Fetched {
    const row = this.select.get(id) as Row | undefined;
    if (!row) return { status: 'missing' };
    if (row.deleted_at !== null) return { status: 'deleted' };
    if (row.expires_at <= this.now()) {
      // Purge on access: the ciphertext goes as soon as anyone notices it expired.
      if (row.data !== null) this.expireAll.run(this.now());
      return { status: 'expired', expiresAt: row.expires_at };
    }
    if (row.data === null) return { status: 'expired', expiresAt: row.expires_at };
    return { status: 'ok', data: row.data, expiresAt: row.expires_at };
  }

  delete(id: string, token: string): Deleted {
    const row = this.select.get(id) as Row | undefined;
    if (!row) return 'missing';
    const given = sha256(token);
    if (!timingSafeEqual(given, Buffer.from(row.delete_hash))) return 'forbidden';
    if (row.deleted_at !== null) return 'gone';
    this.tombstone.run(this.now(), id);
    return 'deleted';
  }

  /** Drops expired ciphertext now, and tombstones once they are old. Returns rows touched. */
  purge(): number {
    const now = this.now();
    const a = this.expireAll.run(now).changes;
    const b = this.forget.run(now - TOMBSTONE_MS, now - TOMBSTONE_MS).changes;
    return a + b;
  }

  close(): void {
    this.db.close();
  }
}
