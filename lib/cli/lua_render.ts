/**
 * Rendering the Lua side's events: a progress bar (or plain lines) per transfer with its rate,
 * one line per file, test results as they come, restarts as warnings; with `--json`, one
 * object per event (console bytes excepted). `--log FILE` gets every byte the board sent.
 *
 * @module
 */

import type { LuaEvent } from "../lua/mod.ts";
import type { Output, Progress } from "./output.ts";

/** Options for {@link renderLuaEvents}. */
export interface LuaRenderOptions {
  /** Where the console's bytes go (`--log`), if anywhere. */
  log?: Deno.FsFile;
  /** Where program output goes: `stdout` for `run`, `stderr` (default) otherwise. */
  output?: "stdout" | "stderr" | "none";
}

function kbytes(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1000).toFixed(1)} kB/s`;
}

/**
 * Makes an event handler that renders to `out`.
 *
 * @param out the output
 * @param options the log file and where program output goes
 * @returns the handler and `close()` to end a progress display
 *
 * @example
 * ```ts
 * import { renderLuaEvents } from "./lua_render.ts";
 * import { Output } from "./output.ts";
 * import assert from "node:assert/strict";
 * let err = "";
 * const out = new Output({ stdout: () => {}, stderr: (t) => err += t, stderrIsTerminal: false }, { json: false, quiet: false });
 * const r = renderLuaEvents(out);
 * r.onEvent({ type: "test", file: "t.lua", name: "adds", status: "fail", message: "t.lua:3: no" });
 * assert.match(err, /FAIL t\.lua: adds: t\.lua:3: no/);
 * ```
 */
export function renderLuaEvents(
  out: Output,
  options: LuaRenderOptions = {},
): { onEvent: (e: LuaEvent) => void; close: () => void } {
  let progress: Progress | undefined;
  const end = () => {
    progress?.end();
    progress = undefined;
  };
  const onEvent = (e: LuaEvent) => {
    if (e.type === "console") {
      if (e.direction === "in") options.log?.writeSync(e.data);
      return;
    }
    if (e.type === "smoke") {
      if (e.event.type === "bytes") options.log?.writeSync(e.event.data);
      if (out.json && e.event.type !== "bytes" && e.event.type !== "sent") {
        out.emit({ ...e.event, type: `smoke-${e.event.type}` });
      } else if (e.event.type === "press-reset") out.info("Press the board's RESET button now.");
      return;
    }
    if (e.type === "output") {
      if (out.json) out.emit(e);
      else if (options.output === "stdout") out.raw(e.text);
      else if (options.output !== "none" && !out.quiet) out.stderr(e.text);
      return;
    }
    if (e.type === "transfer-start") {
      end();
      const verb = e.direction === "up" ? "Uploading" : "Reading";
      if (e.size > 0) progress = out.progress(`${verb} ${e.name}`, e.size);
      return;
    }
    if (e.type === "transfer-progress") {
      progress?.update(e.done, e.bytesPerSecond);
      return;
    }
    if (out.json) {
      out.emit(e);
      if (e.type === "transfer-done") end();
      return;
    }
    renderLine(out, e, end);
  };
  return { onEvent, close: end };
}

function renderLine(out: Output, e: LuaEvent, end: () => void): void {
  switch (e.type) {
    case "transfer-done": {
      end();
      const verb = e.direction === "up" ? "Uploaded" : "Read";
      const rate = e.seconds > 0 ? `, ${kbytes(e.size / e.seconds)}` : "";
      out.info(`${verb} ${e.name}: ${e.size} bytes in ${e.seconds.toFixed(1)} s${rate}, verified`);
      return;
    }
    case "session":
      out.info(
        `Lua ${e.lua} prompt; files verified by ${
          e.digest === "sha1" ? "SHA-1 (crypto)" : "Adler-32 (in Lua)"
        }${e.fsFree !== undefined ? `; ${e.fsFree} bytes free` : ""}`,
      );
      return;
    case "console-baud":
      out.info(`Console at ${e.baud} baud (${e.reason})`);
      return;
    case "sync-file":
      out.info(e.action === "same" ? `Unchanged ${e.name}` : `Removed ${e.name}`);
      return;
    case "restart":
      out.warn(`the board restarted (${e.evidence})`, "lua/restarted");
      return;
    case "test-file":
      out.info(`Running ${e.file}`);
      return;
    case "test": {
      const label = e.status === "pass" ? "  ok  " : e.status === "skip" ? "  skip" : "  FAIL";
      const message = e.message === "" ? "" : `: ${e.message.split("\n")[0]}`;
      if (e.status === "fail") out.stderr(`${label} ${e.file}: ${e.name}${message}\n`);
      else out.info(`${label} ${e.file}: ${e.name}${e.status === "skip" ? message : ""}`);
      return;
    }
    case "lfs":
      out.info(`LFS: ${e.step}${e.line ? ` (${e.line})` : ""}`);
      return;
  }
}
