/**
 * Where port discovery looks: `/sys` and `/dev` unless `NODEFLASH_SYSFS_ROOT` or
 * `NODEFLASH_DEV_ROOT` say otherwise (a container that mounts the host's sysfs elsewhere, or a
 * fake tree in tests). The CLI reads them here and hands them to `listPorts` as options; the
 * library itself never reads the environment.
 *
 * @module
 */

import type { ListPortsOptions } from "../../mod.ts";

/** The variable that moves sysfs for port discovery. */
export const SYSFS_ROOT_ENV = "NODEFLASH_SYSFS_ROOT";
/** The variable that moves `/dev` for port discovery. */
export const DEV_ROOT_ENV = "NODEFLASH_DEV_ROOT";

/**
 * `listPorts` options from the environment; empty values count as unset.
 *
 * @param env environment lookup (the CLI context's `env`)
 * @returns the roots that were set
 *
 * @example
 * ```ts
 * import { portListOptions } from "./port_roots.ts";
 * import assert from "node:assert/strict";
 * const env: Record<string, string> = { NODEFLASH_SYSFS_ROOT: "/fake/sys", NODEFLASH_DEV_ROOT: "" };
 * assert.deepEqual(portListOptions((name) => env[name]), { sysfsRoot: "/fake/sys" });
 * ```
 */
export function portListOptions(env: (name: string) => string | undefined): ListPortsOptions {
  const sysfsRoot = env(SYSFS_ROOT_ENV);
  const devRoot = env(DEV_ROOT_ENV);
  return {
    ...(sysfsRoot ? { sysfsRoot } : {}),
    ...(devRoot ? { devRoot } : {}),
  };
}
