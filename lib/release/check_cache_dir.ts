/**
 * Checks, before anything is asked of GitHub, that the release cache can be written, so that an
 * unwritable cache is reported as what it is and not as a failed download.
 *
 * @module
 */

import { join } from "node:path";
import { userError } from "../errors.ts";

function reason(e: unknown): string {
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "a file stands where a folder should be";
  if (e instanceof Deno.errors.AlreadyExists) return "a file stands where a folder should be";
  return e instanceof Error ? e.message : String(e);
}

/**
 * Creates the cache directory if needed and writes (then removes) a probe file in it.
 *
 * @param dir the cache directory
 * @throws a user error `release/cache-unwritable` naming the directory, with a hint on
 *   `XDG_CACHE_HOME`
 *
 * @example
 * ```ts
 * import { checkCacheDir } from "./check_cache_dir.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await checkCacheDir(`${dir}/nodeflash/releases`);
 * await Deno.writeTextFile(`${dir}/file`, "");
 * await assert.rejects(checkCacheDir(`${dir}/file/releases`), { code: "release/cache-unwritable" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function checkCacheDir(dir: string): Promise<void> {
  const probe = join(dir, `.nodeflash-probe-${crypto.randomUUID()}`);
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeFile(probe, new Uint8Array(), { createNew: true });
    await Deno.remove(probe);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    throw userError(
      "release/cache-unwritable",
      `Cannot write the release cache ${dir}: ${reason(e)}`,
      `Make ${dir} writable, or set XDG_CACHE_HOME to a folder you can write ` +
        "(downloads are cached in $XDG_CACHE_HOME/nodeflash/releases).",
      { cause: e },
    );
  }
}
