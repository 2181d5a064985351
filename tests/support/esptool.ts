/**
 * Finding esptool v4.8.1 for the interoperability tests, the one finder every suite uses:
 * `NODEFLASH_ESPTOOL` (a path to esptool.py), else `../shared/peers/esptool-4.8.1/esptool.py`
 * beside the clone. It runs with Debian's Python (`NODEFLASH_PYTHON`, default /usr/bin/python3),
 * which needs pyserial and intelhex (esptool imports both at start-up).
 *
 * Where it is missing the suites skip, saying why; with `NODEFLASH_REQUIRE_INTEROP=1` (set by
 * .ci/run, where the peers are always there) a missing esptool fails them instead.
 */

import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** Where esptool is, or why the suite skips. */
export type EsptoolLocation = { path: string; python: string } | { skip: string };

/** Whether the interoperability peers must be there (CI): a skip becomes a failure. */
export const INTEROP_REQUIRED = Deno.env.get("NODEFLASH_REQUIRE_INTEROP") === "1";

/** The esptool 4.8.1 checkout beside the clone (or the folder of `NODEFLASH_ESPTOOL`). */
export function esptoolDir(): string {
  const given = Deno.env.get("NODEFLASH_ESPTOOL");
  return given === undefined
    ? fileURLToPath(new URL("../../../shared/peers/esptool-4.8.1", import.meta.url))
    : dirname(given);
}

/**
 * A reason to skip, unless the peers are required: then it fails.
 *
 * @param reason why the suite cannot run, or undefined when it can
 * @returns the reason
 * @throws when {@link INTEROP_REQUIRED}
 */
export function skipOrFail(reason: string | undefined): string | undefined {
  if (reason !== undefined && INTEROP_REQUIRED) {
    throw new Error(`NODEFLASH_REQUIRE_INTEROP=1, but ${reason}`);
  }
  return reason;
}

/**
 * Looks for esptool and pyserial.
 *
 * @returns the location or a reason to skip
 * @throws when something is missing and {@link INTEROP_REQUIRED}
 */
export async function findEsptool(): Promise<EsptoolLocation> {
  const found = await lookForEsptool();
  if ("skip" in found) skipOrFail(found.skip);
  return found;
}

async function lookForEsptool(): Promise<EsptoolLocation> {
  const path = Deno.env.get("NODEFLASH_ESPTOOL") ?? `${esptoolDir()}/esptool.py`;
  const python = Deno.env.get("NODEFLASH_PYTHON") ?? "/usr/bin/python3";
  try {
    await Deno.stat(path);
  } catch {
    return { skip: `esptool not found at ${path} (set NODEFLASH_ESPTOOL)` };
  }
  try {
    const probe = await new Deno.Command(python, {
      args: ["-c", "import serial.rfc2217, intelhex"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!probe.success) {
      return {
        skip:
          `${python} cannot import pyserial and intelhex, which esptool needs (apt-get install python3-serial python3-intelhex)`,
      };
    }
  } catch {
    return { skip: `${python} not found` };
  }
  return { path, python };
}

/** One esptool run. */
export interface EsptoolRun {
  code: number;
  out: string;
}

/**
 * Runs esptool with `--chip esp8266 --port URL` and the given arguments.
 *
 * @param where the location from findEsptool
 * @param port the port URL
 * @param args further arguments
 * @returns exit code and combined output
 */
export async function runEsptool(
  where: { path: string; python: string },
  port: string,
  args: string[],
): Promise<EsptoolRun> {
  const result = await new Deno.Command(where.python, {
    args: [where.path, "--chip", "esp8266", "--port", port, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: result.code, out: text(result.stdout) + text(result.stderr) };
}
