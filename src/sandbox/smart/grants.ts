/**
 * What the SMART server remembers, in memory and for a bounded time: launch contexts (made by the EHR before it
 * opens the app), authorization codes (single use), refresh tokens (rotated on use). Ids are 256-bit random.
 */
import { randomBytes } from 'node:crypto';

export interface LaunchContext {
  readonly patient?: string;
  readonly encounter?: string;
  /** The CDS card link's appContext, handed to the app unchanged in the token response. */
  readonly appContext?: string;
}

export interface CodeGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly scope: readonly string[];
  readonly context: LaunchContext;
}

export interface RefreshGrant {
  readonly clientId: string;
  readonly scope: readonly string[];
  readonly context: LaunchContext;
}

export const newId = (): string => randomBytes(32).toString('base64url');

/** A map whose entries expire; `take` removes on read (single use), `get` leaves the entry. */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => Date,
    private readonly max = 10_000,
  ) {}

  put(value: V): string {
    if (this.entries.size >= this.max) this.sweep();
    const id = newId();
    this.entries.set(id, { value, expiresAt: this.now().getTime() + this.lifetimeMs });
    return id;
  }

  /** 'expired' is told apart from 'unknown' so that the error can say which. */
  get(id: string): V | 'expired' | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt < this.now().getTime()) {
      this.entries.delete(id);
      return 'expired';
    }
    return entry.value;
  }

  take(id: string): V | 'expired' | undefined {
    const value = this.get(id);
    this.entries.delete(id);
    return value;
  }

  private sweep(): void {
    const t = this.now().getTime();
    for (const [id, e] of this.entries) if (e.expiresAt < t) this.entries.delete(id);
    while (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
