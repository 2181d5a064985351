/**
 * The process's own terminal for `nodeflash monitor`: keys from stdin (raw mode when stdin is a
 * terminal), the board's bytes to stdout, written synchronously so they stay in order with the
 * notes on stderr.
 *
 * @module
 */

import { userError } from "../../mod.ts";
import type { MonitorTerminal } from "./monitor_session.ts";

/** The standard streams, or stand-ins (tests pass their own). */
export interface StdioFiles {
  /** Where keys come from. */
  stdin: Pick<typeof Deno.stdin, "read" | "isTerminal" | "setRaw">;
  /** Where the board's bytes go. */
  stdout: Pick<typeof Deno.stdout, "writeSync">;
}

/**
 * A {@link MonitorTerminal} over stdin and stdout.
 *
 * @param files the streams, Deno's own by default
 * @returns the terminal
 * @throws NodeflashError (user) `output/closed` from `write` when stdout was closed
 *
 * @example
 * ```ts
 * import { stdioTerminal } from "./monitor_terminal.ts";
 * import assert from "node:assert/strict";
 * const written: number[] = [];
 * const terminal = stdioTerminal({
 *   stdin: { read: () => Promise.resolve(null), isTerminal: () => false, setRaw() {} },
 *   stdout: { writeSync: (b) => (written.push(...b), b.length) },
 * });
 * await terminal.write(new Uint8Array([0x3e, 0x20]));
 * assert.deepEqual(written, [0x3e, 0x20]);
 * assert.equal(await terminal.read(), null);
 * ```
 */
export function stdioTerminal(
  files: StdioFiles = { stdin: Deno.stdin, stdout: Deno.stdout },
): MonitorTerminal {
  const buffer = new Uint8Array(4096);
  return {
    isTerminal: files.stdin.isTerminal(),
    async read() {
      const n = await files.stdin.read(buffer);
      return n === null ? null : buffer.slice(0, n);
    },
    setRaw(raw) {
      files.stdin.setRaw(raw);
    },
    write(bytes) {
      try {
        let offset = 0;
        while (offset < bytes.length) offset += files.stdout.writeSync(bytes.subarray(offset));
      } catch (e) {
        if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
        throw userError(
          "output/closed",
          "Standard output was closed while the monitor was writing the board's output",
          "The program reading it stopped; use --log FILE to keep a capture instead.",
        );
      }
      return Promise.resolve();
    },
  };
}
