/**
 * Watching the console while Lua code runs on the board: its output streamed line by line, an
 * end condition decided by the caller (a marker line, a TAP plan), and the signs that the board
 * restarted instead (a NodeMCU banner, `PANIC: unprotected error`, a `Fatal exception`, a ROM
 * boot line), read with the smoke layer's boot-log parser.
 *
 * @module
 */

import { parseBootLog } from "../smoke/boot_log.ts";
import { fatalSign } from "../smoke/diagnose.ts";
import type { ReplSession } from "./repl_session.ts";

/** How a watch ended. */
export type WatchEnd =
  /** The caller's condition held. */
  | { kind: "done"; text: string }
  /** The board restarted or crashed; `evidence` is the console line that shows it. */
  | { kind: "restart"; text: string; evidence: string }
  /** Time ran out. */
  | { kind: "timeout"; text: string };

/** Options for {@link watchConsole}. */
export interface WatchOptions {
  /** Whether the text so far (CR LF turned into LF) is complete. */
  done(text: string): boolean;
  /** How long in all. */
  timeoutMs: number;
  /** Receives complete lines of output as they arrive (with their LF). */
  onLines?(text: string): void;
  /** Lines starting with this (nodeflash's own marker lines) are not passed to `onLines`. */
  hide?: string;
}

/**
 * The line that shows a restart or crash in console text, if any.
 *
 * @param text console text
 * @returns the evidence, or `undefined`
 *
 * @example
 * ```ts
 * import { restartSign } from "./console_watch.ts";
 * import assert from "node:assert/strict";
 * assert.equal(restartSign("ok 1\n"), undefined);
 * assert.match(restartSign("PANIC: unprotected error in call to Lua API (x.lua:1: boom)\n") ?? "", /PANIC/);
 * assert.match(
 *   restartSign("NodeMCU 3.0.0.0 built with Docker provided by frightanic.com\n" +
 *     "\tbranch: release\n\tcommit: 1\n\trelease: \n\trelease DTS: 2\n\tSSL: false\n" +
 *     "\tbuild type: float\n\tLFS: 0x0 bytes total capacity\n\tmodules: file,node\n" +
 *     " build 2021-01-01 powered by Lua 5.1.4 on SDK 3.0.1-dev(fce080e)\n") ?? "",
 *   /powered by Lua/,
 * );
 * ```
 */
export function restartSign(text: string): string | undefined {
  const log = parseBootLog(text);
  const fatal = fatalSign(log);
  if (fatal !== undefined) return fatal;
  const boot = log.rom.boots[0];
  if (boot !== undefined) return `rst cause:${boot.rstCause}`;
  const banner = log.banners[0];
  if (banner !== undefined) {
    const line = text.slice(banner.at, banner.end).split("\n").find((l) => /powered by/.test(l));
    return (line ?? "NodeMCU banner").trim();
  }
  return undefined;
}

/**
 * Reads the console until `done`, a restart, or the timeout.
 *
 * @param repl the REPL (its pending bytes are the start of the output)
 * @param options end condition, timeout, line callback
 * @returns how it ended, with all the text read
 */
export async function watchConsole(repl: ReplSession, options: WatchOptions): Promise<WatchEnd> {
  const deadline = performance.now() + options.timeoutMs;
  let raw = "";
  let shown = 0;
  while (true) {
    if (repl.pending.length > 0) {
      raw += String.fromCharCode(...repl.take(repl.pending.length));
      const text = raw.replace(/\r\n/g, "\n");
      const complete = text.lastIndexOf("\n") + 1;
      if (complete > shown) {
        const lines = text.slice(shown, complete).split(/(?<=\n)/);
        const hide = options.hide;
        const visible = hide === undefined ? lines : lines.filter((l) => !l.startsWith(hide));
        if (visible.length > 0) options.onLines?.(visible.join(""));
        shown = complete;
      }
      if (options.done(text)) return { kind: "done", text };
      const evidence = restartSign(text);
      if (evidence !== undefined) return { kind: "restart", text, evidence };
    }
    const left = deadline - performance.now();
    if (left <= 0) return { kind: "timeout", text: raw.replace(/\r\n/g, "\n") };
    await repl.pull(Math.min(left, 1000));
  }
}

/**
 * Whether the REPL answered the line that started the code with an error and its prompt (the
 * call itself failed: its marker will never come). The error names the typed chunk `stdin`
 * (3.x prefixes it with `Lua error:`, 2.x prints it bare).
 *
 * @param text console text so far (LF line ends)
 * @returns true when the text ends with such an error and a prompt
 *
 * @example
 * ```ts
 * import { callFailed } from "./console_watch.ts";
 * if (!callFailed("Lua error: \tstdin:1: attempt to call a nil value (global 'loadfile')\n> ")) {
 *   throw new Error();
 * }
 * if (callFailed("x > ")) throw new Error();
 * ```
 */
export function callFailed(text: string): boolean {
  return /(?:^|\n)> $/.test(text) && /(?:^|\n)(?:Lua error: \t)?stdin:\d+:/.test(text);
}
