/**
 * Finding esptool v4.8.1 for the interoperability tests: `NODEFLASH_ESPTOOL` (a path to
 * esptool.py), else `../shared/peers/esptool-4.8.1/esptool.py` beside the clone. It runs with
 * Debian's Python (`NODEFLASH_PYTHON`, default /usr/bin/python3), which needs pyserial and
 * intelhex (esptool imports both at start-up).
 */

import { fileURLToPath } from "node:url";

/** Where esptool is, or why the suite skips. */
export type EsptoolLocation = { path: string; python: string } | { skip: string };

/**
 * Looks for esptool and pyserial.
 *
 * @returns the location or a reason to skip
 */
export async function findEsptool(): Promise<EsptoolLocation> {
  const path = Deno.env.get("NODEFLASH_ESPTOOL") ??
    fileURLToPath(new URL("../../../shared/peers/esptool-4.8.1/esptool.py", import.meta.url));
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
