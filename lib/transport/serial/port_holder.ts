/**
 * Who holds a port: the processes whose open files point at the device, found by scanning
 * `/proc/<pid>/fd` (Linux; only the processes whose fd table is readable, so as a normal user
 * mostly one's own). Used to name the holder in `port/busy`.
 *
 * @module
 */

import type { PortHolder } from "../port_errors.ts";

/** Options for {@link findPortHolders} and {@link describeProcess}. */
export interface PortHolderOptions {
  /** Where procfs is mounted, `/proc` by default (tests point it at a fake tree). */
  procRoot?: string;
}

/**
 * Reads a process's short name: `/proc/<pid>/comm`, shown as `nodeflash` when the process is a
 * Deno running nodeflash.
 *
 * @param pid the process
 * @param options where procfs is
 * @returns the holder, with a name when it could be read
 *
 * @example
 * ```ts
 * import { describeProcess } from "./port_holder.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/42`);
 * await Deno.writeTextFile(`${root}/42/comm`, "minicom\n");
 * assert.deepEqual(await describeProcess(42, { procRoot: root }), { pid: 42, name: "minicom" });
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function describeProcess(
  pid: number,
  options: PortHolderOptions = {},
): Promise<PortHolder> {
  const root = options.procRoot ?? "/proc";
  let name: string | undefined;
  try {
    name = (await Deno.readTextFile(`${root}/${pid}/comm`)).trim();
    if (name === "deno") {
      const cmdline = await Deno.readTextFile(`${root}/${pid}/cmdline`).catch(() => "");
      if (/nodeflash/i.test(cmdline)) name = "nodeflash";
    }
  } catch {
    // Gone, or not ours to read.
  }
  return name ? { pid, name } : { pid };
}

/**
 * Finds the processes that have `devicePath` open.
 *
 * @param devicePath the device node (symlinks are resolved)
 * @param options where procfs is
 * @returns the holders, by pid, possibly empty
 *
 * @example
 * ```ts
 * import { findPortHolders } from "./port_holder.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/dev`, "");
 * await Deno.mkdir(`${root}/proc/7/fd`, { recursive: true });
 * await Deno.symlink(`${root}/dev`, `${root}/proc/7/fd/3`);
 * const holders = await findPortHolders(`${root}/dev`, { procRoot: `${root}/proc` });
 * assert.deepEqual(holders.map((h) => h.pid), [7]);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function findPortHolders(
  devicePath: string,
  options: PortHolderOptions = {},
): Promise<PortHolder[]> {
  const root = options.procRoot ?? "/proc";
  let target = devicePath;
  try {
    target = await Deno.realPath(devicePath);
  } catch {
    // Compare with the path as given.
  }
  const pids: number[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (!/^\d+$/.test(entry.name)) continue;
      const pid = Number(entry.name);
      if (await holds(`${root}/${entry.name}/fd`, target)) pids.push(pid);
    }
  } catch {
    return [];
  }
  pids.sort((a, b) => a - b);
  return await Promise.all(pids.map((pid) => describeProcess(pid, options)));
}

async function holds(fdDir: string, target: string): Promise<boolean> {
  try {
    for await (const fd of Deno.readDir(fdDir)) {
      try {
        if (await Deno.readLink(`${fdDir}/${fd.name}`) === target) return true;
      } catch {
        // The fd closed while we looked.
      }
    }
  } catch {
    // Not readable (another user's process) or gone.
  }
  return false;
}
