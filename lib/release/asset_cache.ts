/**
 * A download cache for release assets, so a runner does not fetch the same firmware twice.
 *
 * Entries are keyed by API URL + repository + asset id + digest and live in
 * `<dir>/<key>/`: the file plus `entry.json`, written last, which makes the entry valid. A hit
 * re-hashes the file and compares it with the SHA-256 recorded when it was stored (and with
 * GitHub's digest when there is one); a bad entry is deleted and counts as a miss.
 *
 * @module
 */

import { basename, join } from "node:path";
import { sha256, sha256File } from "./digest.ts";
import type { Repository } from "./types.ts";
import { repositoryName } from "./types.ts";
import type { VerifiedFile } from "./write_verified_file.ts";

/** What identifies a cached asset. */
export interface CacheKeyParts {
  /** API base URL (GitHub.com or an Enterprise Server). */
  apiUrl: string;
  /** The repository. */
  repository: Repository;
  /** Asset id. */
  assetId: number;
  /** GitHub's digest, or `null`. */
  digest: string | null;
}

/** What a cache entry records. */
export interface CacheEntry {
  /** Key parts, for people looking into the cache. */
  apiUrl: string;
  /** `owner/repo`. */
  repository: string;
  /** Asset id. */
  assetId: number;
  /** GitHub's digest, or `null`. */
  digest: string | null;
  /** The file name inside the entry directory. */
  fileName: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 of the file when it was stored. */
  sha256: string;
}

/** What a lookup expects. */
export interface CacheExpectation {
  /** The local file name wanted. */
  fileName: string;
  /** Expected size. */
  size: number;
  /** Expected SHA-256 from GitHub's digest, if any. */
  sha256?: string | undefined;
}

const ENTRY = "entry.json";

/**
 * The cache key: a hex hash of the key parts (host and repository compared case-insensitively).
 *
 * @param parts API URL, repository, asset id, digest
 * @returns 40 hex characters
 *
 * @example
 * ```ts
 * import { cacheKey } from "./asset_cache.ts";
 * const a = cacheKey({ apiUrl: "https://api.github.com", repository: { owner: "O", repo: "r" },
 *   assetId: 1, digest: null });
 * const b = cacheKey({ apiUrl: "https://api.github.com", repository: { owner: "o", repo: "r" },
 *   assetId: 2, digest: null });
 * if (a.length !== 40 || a === b) throw new Error();
 * ```
 */
export function cacheKey(parts: CacheKeyParts): string {
  const hash = sha256();
  const text = JSON.stringify([
    parts.apiUrl.toLowerCase(),
    repositoryName(parts.repository).toLowerCase(),
    parts.assetId,
    parts.digest?.toLowerCase() ?? null,
  ]);
  hash.update(new TextEncoder().encode(text));
  return hash.hex().slice(0, 40);
}

function isEntry(value: unknown): value is CacheEntry {
  if (typeof value !== "object" || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e["fileName"] === "string" && typeof e["sha256"] === "string" &&
    typeof e["size"] === "number" && typeof e["assetId"] === "number";
}

/**
 * The asset cache in one directory.
 *
 * @example
 * ```ts
 * import { AssetCache } from "./asset_cache.ts";
 * const cache = new AssetCache(await Deno.makeTempDir());
 * const hit = await cache.lookup("0".repeat(40), { fileName: "fw.bin", size: 1 });
 * await Deno.remove(cache.dir, { recursive: true });
 * if (hit !== undefined) throw new Error("an empty cache has no hits");
 * ```
 */
export class AssetCache {
  #dir: string;

  /**
   * Opens the cache in a directory (created on first store).
   *
   * @param dir the cache directory
   */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The cache directory. */
  get dir(): string {
    return this.#dir;
  }

  /** The directory of one entry; downloads for `key` go there. */
  entryDir(key: string): string {
    if (!/^[0-9a-f]{40}$/.test(key)) throw new RangeError(`not a cache key: ${key.slice(0, 50)}`);
    return join(this.#dir, key);
  }

  /** Reads the entry's record, or `undefined` if there is none (or it is unreadable). */
  async #readEntry(key: string): Promise<CacheEntry | undefined> {
    try {
      const parsed: unknown = JSON.parse(await Deno.readTextFile(join(this.entryDir(key), ENTRY)));
      return isEntry(parsed) ? parsed : undefined;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  /**
   * A verified hit, or `undefined`. The file is re-hashed; an entry that does not verify is
   * deleted.
   */
  async lookup(key: string, expected: CacheExpectation): Promise<VerifiedFile | undefined> {
    const entry = await this.#readEntry(key);
    if (entry === undefined || entry.fileName !== expected.fileName) return undefined;
    const path = join(this.entryDir(key), entry.fileName);
    let actual: { hex: string; size: number };
    try {
      actual = await sha256File(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      await this.evict(key);
      return undefined;
    }
    const good = actual.hex === entry.sha256 && actual.size === entry.size &&
      actual.size === expected.size &&
      (expected.sha256 === undefined || expected.sha256 === actual.hex);
    if (!good) {
      await this.evict(key);
      return undefined;
    }
    return { path, sha256: actual.hex, size: actual.size };
  }

  /** Records a verified file (already inside {@link AssetCache.entryDir}) as the entry. */
  async commit(key: string, parts: CacheKeyParts, file: VerifiedFile): Promise<void> {
    const dir = this.entryDir(key);
    const entry: CacheEntry = {
      apiUrl: parts.apiUrl,
      repository: repositoryName(parts.repository),
      assetId: parts.assetId,
      digest: parts.digest,
      fileName: basename(file.path),
      size: file.size,
      sha256: file.sha256,
    };
    const temp = join(dir, `.entry-${crypto.randomUUID()}.part`);
    await Deno.writeTextFile(temp, JSON.stringify(entry, null, 2) + "\n");
    await Deno.rename(temp, join(dir, ENTRY));
  }

  /** Deletes an entry (nothing happens if it does not exist). */
  async evict(key: string): Promise<void> {
    await Deno.remove(this.entryDir(key), { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }

  /** Invalidates an entry before it is rewritten: removes its record only. */
  async invalidate(key: string): Promise<void> {
    await Deno.remove(join(this.entryDir(key), ENTRY)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
}
