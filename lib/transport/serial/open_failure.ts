/**
 * Turns a failed open of a POSIX serial port into the error a user can act on: which errno means
 * "not found", "permission", "busy", with the facts gathered for the hint (the ports that exist,
 * the group that owns the device, the process holding it).
 *
 * @module
 */

import type { NodeflashError } from "../../errors.ts";
import { listPorts } from "./list.ts";
import {
  portBusy,
  type PortHolder,
  portIoFailed,
  portNotFound,
  portPermission,
} from "../port_errors.ts";
import { describeProcess, findPortHolders } from "./port_holder.ts";
import type { PosixSystem } from "./posix_system.ts";

/** What the failure is about. */
export interface FailureContext {
  /** The path the user gave. */
  path: string;
  /** The device node behind it (symlinks resolved). */
  device: string;
  /** Where procfs is (`/proc`). */
  procRoot?: string;
  /** Lists existing ports for the not-found hint. */
  listPortPaths?: () => Promise<string[]>;
}

async function existingPorts(context: FailureContext): Promise<string[]> {
  try {
    if (context.listPortPaths) return await context.listPortPaths();
    return (await listPorts()).map((p) => p.path);
  } catch {
    return [];
  }
}

/**
 * Reads the name of a group from an `/etc/group`-style text.
 *
 * @param groupFile the file's content
 * @param gid the group id
 * @returns the name, or `undefined`
 *
 * @example
 * ```ts
 * import { groupName } from "./open_failure.ts";
 * import assert from "node:assert/strict";
 * assert.equal(groupName("root:x:0:\ndialout:x:20:ci\n", 20), "dialout");
 * assert.equal(groupName("root:x:0:\n", 20), undefined);
 * ```
 */
export function groupName(groupFile: string, gid: number): string | undefined {
  for (const line of groupFile.split("\n")) {
    const [name, , id] = line.split(":");
    if (name && id !== undefined && Number(id) === gid) return name;
  }
  return undefined;
}

function ownerGroup(device: string): string | undefined {
  try {
    const gid = Deno.statSync(device).gid;
    if (gid === null) return undefined;
    return groupName(Deno.readTextFileSync("/etc/group"), gid);
  } catch {
    return undefined;
  }
}

/**
 * The error for a port someone else holds.
 *
 * @param context the port
 * @param pids holders already known (from the lock file); otherwise `/proc` is searched
 * @returns a `port/busy` error
 *
 * @example
 * ```ts
 * import { busyFailure } from "./open_failure.ts";
 * import assert from "node:assert/strict";
 * const e = await busyFailure({ path: "/dev/x", device: "/dev/x", procRoot: "/nonexistent" }, [99]);
 * assert.equal(e.message, "/dev/x is in use by process 99");
 * ```
 */
export async function busyFailure(
  context: FailureContext,
  pids: readonly number[],
): Promise<NodeflashError> {
  const opts = context.procRoot === undefined ? {} : { procRoot: context.procRoot };
  let holders: PortHolder[];
  if (pids.length > 0) {
    holders = await Promise.all(pids.map((pid) => describeProcess(pid, opts)));
  } else {
    holders = await findPortHolders(context.device, opts);
    // Our own process shows up too (it just opened the port); name the others when there are.
    const others = holders.filter((h) => h.pid !== Deno.pid);
    if (others.length > 0) holders = others;
  }
  return portBusy(context.path, holders);
}

/**
 * The error for a failed system call other than open.
 *
 * @param sys the system (for `strerror`)
 * @param errno the errno
 * @param what what was being done
 * @param path the port
 * @returns a `port/io-failed` error
 *
 * @example
 * ```ts
 * import { ioFailure } from "./open_failure.ts";
 * import { createLinuxSystem } from "./linux.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "linux") {
 *   const sys = createLinuxSystem();
 *   const e = ioFailure(sys, 5, "set 74880 baud on", "/dev/ttyUSB0");
 *   assert.equal(e.message, "Cannot set 74880 baud on /dev/ttyUSB0: Input/output error (errno 5)");
 *   sys.unload();
 * }
 * ```
 */
export function ioFailure(
  sys: PosixSystem,
  errno: number,
  what: string,
  path: string,
): NodeflashError {
  return portIoFailed(what, path, `${sys.describeErrno(errno)} (errno ${errno})`);
}

/**
 * The error for a failed `open()`.
 *
 * @param sys the system (errno numbers, `strerror`)
 * @param errno the errno `open` left
 * @param context the port
 * @returns not-found, permission, busy or io-failed
 *
 * @example
 * ```ts
 * import { openFailure } from "./open_failure.ts";
 * import { createLinuxSystem } from "./linux.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "linux") {
 *   const sys = createLinuxSystem();
 *   const context = { path: "/dev/ttyUSB9", device: "/dev/ttyUSB9", listPortPaths: async () => [] };
 *   assert.equal((await openFailure(sys, 2, context)).code, "port/not-found");
 *   assert.equal((await openFailure(sys, 13, context)).code, "port/permission");
 *   sys.unload();
 * }
 * ```
 */
export async function openFailure(
  sys: PosixSystem,
  errno: number,
  context: FailureContext,
): Promise<NodeflashError> {
  const E = sys.constants.errno;
  if (errno === E.ENOENT || errno === E.ENXIO || errno === E.ENODEV) {
    return portNotFound(context.path, await existingPorts(context));
  }
  if (errno === E.EACCES || errno === E.EPERM) {
    const group = ownerGroup(context.device);
    // Joining "root" is no advice: fall back to the serial group of most distributions.
    return portPermission(context.path, group === "root" ? undefined : group);
  }
  if (errno === E.EBUSY) return await busyFailure(context, []);
  return ioFailure(sys, errno, "open", context.path);
}
