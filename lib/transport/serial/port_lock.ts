/**
 * UUCP-style lock files (`/run/lock/LCK..ttyUSB0`, holding the owner's pid as ten ASCII digits
 * and a newline), the convention minicom, ser2net, picocom and friends share. Together with
 * `flock` on the device fd it keeps two programs, or two CI jobs on one runner, off one board,
 * also when both run as root (root bypasses `TIOCEXCL`).
 *
 * The file is created atomically (written under a temporary name, then hard-linked to the lock
 * name, which fails if it exists). A lock file whose pid no longer runs is stale and is taken
 * over. Devices below `/dev/<dir>/` get the directory folded into the name with `_`
 * (`/dev/pts/3` -> `LCK..pts_3`). A lock file this process holds is also removed when the
 * process ends through `Deno.exit` (a second Ctrl-C ends nodeflash at once, without closing its
 * port): the kernel drops the `flock` with the process, and the file must not outlive it either.
 *
 * @module
 */

/** Options for {@link acquireLockFile}. */
export interface LockFileOptions {
  /** Directory for lock files; `/run/lock`, else `/var/lock` by default. */
  lockDir?: string;
  /** The pid to write, this process's by default. */
  pid?: number;
  /** Whether a process runs; decides staleness. */
  processExists: (pid: number) => boolean;
}

/** The outcome of {@link acquireLockFile}. */
export type LockFileResult =
  | { kind: "acquired"; path: string; release: () => void; staleOwner?: number }
  | { kind: "held"; path: string; pid: number }
  | { kind: "skipped"; path: string; reason: string };

/**
 * The lock file name for a device path.
 *
 * @param devicePath the device node, symlinks already resolved (`/dev/ttyUSB0`)
 * @returns e.g. `LCK..ttyUSB0`
 *
 * @example
 * ```ts
 * import { lockFileName } from "./port_lock.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lockFileName("/dev/ttyUSB0"), "LCK..ttyUSB0");
 * assert.equal(lockFileName("/dev/pts/3"), "LCK..pts_3");
 * ```
 */
export function lockFileName(devicePath: string): string {
  const rel = devicePath.startsWith("/dev/")
    ? devicePath.slice(5)
    : devicePath.slice(devicePath.lastIndexOf("/") + 1);
  return "LCK.." + rel.replaceAll("/", "_");
}

/**
 * Reads the pid in a lock file: ASCII digits (the UUCP/HDB form) or a 4-byte binary int (the
 * old form).
 *
 * @param bytes the file's content
 * @returns the pid, or `null` when the content means nothing
 *
 * @example
 * ```ts
 * import { parseLockPid } from "./port_lock.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseLockPid(new TextEncoder().encode("      1234\n")), 1234);
 * assert.equal(parseLockPid(new Uint8Array([0xd2, 0x04, 0, 0])), 1234);
 * assert.equal(parseLockPid(new TextEncoder().encode("garbage")), null);
 * ```
 */
export function parseLockPid(bytes: Uint8Array): number | null {
  const text = new TextDecoder().decode(bytes).trim();
  if (/^\d+$/.test(text)) {
    const pid = Number(text);
    return pid > 0 ? pid : null;
  }
  if (bytes.length === 4) {
    const pid = new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
    return pid > 0 ? pid : null;
  }
  return null;
}

function defaultLockDir(): string | null {
  for (const dir of ["/run/lock", "/var/lock"]) {
    try {
      if (Deno.statSync(dir).isDirectory) return dir;
    } catch {
      // try the next one
    }
  }
  return null;
}

function readOwner(path: string): number | null | "gone" {
  try {
    return parseLockPid(Deno.readFileSync(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "gone";
    throw e;
  }
}

function tryLink(dir: string, path: string, pid: number): boolean {
  const temp = `${dir}/LTMP.${pid}.${crypto.randomUUID().slice(0, 8)}`;
  Deno.writeTextFileSync(temp, `${String(pid).padStart(10)}\n`, { mode: 0o644 });
  try {
    Deno.linkSync(temp, path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return false;
    throw e;
  } finally {
    try {
      Deno.removeSync(temp);
    } catch {
      // already gone
    }
  }
}

/**
 * Takes the lock file for a device, taking over a stale one.
 *
 * @param devicePath the device node, symlinks resolved
 * @param options lock directory, pid, liveness check
 * @returns acquired (with `release`), held by a live pid, or skipped (no writable lock directory)
 *
 * @example
 * ```ts
 * import { acquireLockFile } from "./port_lock.ts";
 * import assert from "node:assert/strict";
 * const lockDir = await Deno.makeTempDir();
 * const options = { lockDir, processExists: () => true };
 * const first = acquireLockFile("/dev/ttyUSB0", options);
 * assert.equal(first.kind, "acquired");
 * assert.equal(acquireLockFile("/dev/ttyUSB0", options).kind, "held");
 * if (first.kind === "acquired") first.release();
 * assert.equal(acquireLockFile("/dev/ttyUSB0", options).kind, "acquired");
 * await Deno.remove(lockDir, { recursive: true });
 * ```
 */
export function acquireLockFile(devicePath: string, options: LockFileOptions): LockFileResult {
  const dir = options.lockDir ?? defaultLockDir();
  const name = lockFileName(devicePath);
  if (dir === null) return { kind: "skipped", path: name, reason: "no lock directory" };
  const path = `${dir}/${name}`;
  const pid = options.pid ?? Deno.pid;
  let staleOwner: number | undefined;
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (tryLink(dir, path, pid)) {
        const release = releasedAtExit(() => releaseLockFile(path, pid));
        return staleOwner === undefined
          ? { kind: "acquired", path, release }
          : { kind: "acquired", path, release, staleOwner };
      }
      const owner = readOwner(path);
      if (owner === "gone") continue;
      if (owner !== null && options.processExists(owner)) return { kind: "held", path, pid: owner };
      staleOwner = owner ?? 0;
      Deno.removeSync(path);
    }
    return { kind: "skipped", path, reason: "the lock file kept changing" };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound && staleOwner !== undefined) {
      return { kind: "skipped", path, reason: "the lock file kept changing" };
    }
    return { kind: "skipped", path, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * `release`, also run when the process exits (`Deno.exit` dispatches `unload`); once run, it
 * no longer waits for the exit.
 */
function releasedAtExit(release: () => void): () => void {
  const once = () => {
    globalThis.removeEventListener("unload", once);
    release();
  };
  globalThis.addEventListener("unload", once);
  return once;
}

function releaseLockFile(path: string, pid: number): void {
  try {
    if (readOwner(path) === pid) Deno.removeSync(path);
  } catch {
    // Someone removed it already; nothing to release.
  }
}
