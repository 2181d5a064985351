/**
 * Where release downloads are cached when the caller does not say: the runner's tool cache on
 * GitHub Actions (it survives between jobs on self-hosted runners), else the platform's user
 * cache directory, else the runner's per-job temp directory. The environment is passed in.
 *
 * @module
 */

import { join } from "node:path";

/** Operating systems, as `Deno.build.os` names them. */
export type OsName = typeof Deno.build.os;

/** Options for {@link defaultCacheDir}. */
export interface DefaultCacheDirOptions {
  /** The OS; `Deno.build.os` by default. */
  os?: OsName;
}

/** Sub-directory used under any base. */
const SUBDIR = join("nodeflash", "releases");

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function platformCache(env: Record<string, string | undefined>, os: OsName): string | undefined {
  const home = nonEmpty(env["HOME"]);
  if (os === "windows") return nonEmpty(env["LOCALAPPDATA"]);
  if (os === "darwin") return home === undefined ? undefined : join(home, "Library", "Caches");
  const xdg = nonEmpty(env["XDG_CACHE_HOME"]);
  if (xdg !== undefined) return xdg;
  return home === undefined ? undefined : join(home, ".cache");
}

/**
 * The default cache directory for an environment, or `undefined` when none can be derived.
 * Order: `RUNNER_TOOL_CACHE`, the platform cache (`XDG_CACHE_HOME` or `~/.cache`,
 * `~/Library/Caches`, `LOCALAPPDATA`), `RUNNER_TEMP`; `nodeflash/releases` under it.
 *
 * @param env environment variables (e.g. `Deno.env.toObject()`)
 * @param options the OS
 * @returns a directory path, or `undefined`
 *
 * @example
 * ```ts
 * import { defaultCacheDir } from "./default_cache_dir.ts";
 * const dir = defaultCacheDir({ HOME: "/home/ci" }, { os: "linux" });
 * if (dir !== "/home/ci/.cache/nodeflash/releases") throw new Error(dir);
 * ```
 */
export function defaultCacheDir(
  env: Record<string, string | undefined>,
  options: DefaultCacheDirOptions = {},
): string | undefined {
  const os = options.os ?? Deno.build.os;
  const base = nonEmpty(env["RUNNER_TOOL_CACHE"]) ?? platformCache(env, os) ??
    nonEmpty(env["RUNNER_TEMP"]);
  return base === undefined ? undefined : join(base, SUBDIR);
}
