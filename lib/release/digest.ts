/**
 * GitHub's asset digests (`"sha256:<64 hex>"`, or `null` for assets uploaded before GitHub
 * computed them) and SHA-256 of files on disk.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { deviceError } from "../errors.ts";

/**
 * The expected SHA-256 (lower-case hex) from an asset's `digest`, or `undefined` when GitHub
 * gave none or used an algorithm this version does not know (the size is still checked).
 * A malformed `sha256:` digest is a device error (`release/bad-digest`).
 *
 * @param digest the asset's `digest` field
 * @returns lower-case hex, or `undefined`
 *
 * @example
 * ```ts
 * import { sha256FromDigest } from "./digest.ts";
 * const hex = "ab".repeat(32);
 * if (sha256FromDigest(`sha256:${hex.toUpperCase()}`) !== hex) throw new Error();
 * if (sha256FromDigest(null) !== undefined) throw new Error();
 * ```
 */
export function sha256FromDigest(digest: string | null): string | undefined {
  if (digest === null) return undefined;
  const colon = digest.indexOf(":");
  const algorithm = colon < 0 ? "" : digest.slice(0, colon).toLowerCase();
  if (algorithm !== "sha256") return undefined;
  const hex = digest.slice(colon + 1).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw deviceError(
      "release/bad-digest",
      `GitHub gave a malformed digest '${digest.slice(0, 90)}'`,
      "Report it to the release's maintainers; the asset cannot be verified.",
    );
  }
  return hex;
}

/** An incremental SHA-256. */
export interface Sha256 {
  /** Adds bytes. */
  update(bytes: Uint8Array): void;
  /** Lower-case hex of everything added. */
  hex(): string;
}

/**
 * Starts an incremental SHA-256.
 *
 * @returns the hasher
 *
 * @example
 * ```ts
 * import { sha256 } from "./digest.ts";
 * const h = sha256();
 * h.update(new TextEncoder().encode("abc"));
 * if (!h.hex().startsWith("ba7816bf")) throw new Error();
 * ```
 */
export function sha256(): Sha256 {
  const hash = createHash("sha256");
  return {
    update(bytes) {
      hash.update(bytes);
    },
    hex: () => hash.digest("hex"),
  };
}

/**
 * SHA-256 and size of a file, read as a stream.
 *
 * @param path the file
 * @returns lower-case hex and size in bytes
 *
 * @example
 * ```ts
 * import { sha256File } from "./digest.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "abc");
 * const { hex, size } = await sha256File(path);
 * await Deno.remove(path);
 * if (size !== 3 || !hex.startsWith("ba7816bf")) throw new Error();
 * ```
 */
export async function sha256File(path: string): Promise<{ hex: string; size: number }> {
  const hash = sha256();
  let size = 0;
  const file = await Deno.open(path, { read: true });
  // reading `readable` to the end (or leaving the loop) closes the file
  for await (const chunk of file.readable) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { hex: hash.hex(), size };
}
