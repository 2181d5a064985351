/**
 * What the Lua-side operations report while they run. The library never prints: the CLI and the
 * Action render these (progress bars, plain lines, NDJSON, logs of the console).
 *
 * @module
 */

import type { SmokeEvent } from "../smoke/smoke_event.ts";

/** A test's outcome. */
export type TestStatus = "pass" | "fail" | "skip";

/** One thing that happened on the board's Lua side. */
export type LuaEvent =
  /** Bytes on the console: `in` from the board, `out` typed by nodeflash (for logs). */
  | { type: "console"; direction: "in" | "out"; data: Uint8Array }
  /** The smoke layer's events while the session reaches the prompt (or waits out a restart). */
  | { type: "smoke"; event: SmokeEvent }
  /** The session reached the prompt; what the firmware offers. */
  | {
    type: "session";
    lua: string;
    digest: "sha1" | "adler32";
    uart: boolean;
    lfs: "node.LFS" | "node.flashreload" | undefined;
    fsFree: number | undefined;
  }
  /** The console's baud rate changed (both ends), or going back to the old one. */
  | { type: "console-baud"; baud: number; reason: string }
  /** A file transfer started (`up`: host to board). */
  | { type: "transfer-start"; direction: "up" | "down"; name: string; size: number }
  /** Bytes of the file the board has taken (up) or sent (down), and the rate so far. */
  | {
    type: "transfer-progress";
    direction: "up" | "down";
    name: string;
    done: number;
    total: number;
    bytesPerSecond: number;
  }
  /** A file transfer finished and was verified on the board. */
  | {
    type: "transfer-done";
    direction: "up" | "down";
    name: string;
    size: number;
    digest: string;
    seconds: number;
  }
  /** `sync` left a file alone (`same`) or removed it (`deleted`). */
  | { type: "sync-file"; name: string; action: "same" | "deleted" }
  /** Output of a running Lua file (console text, CR LF turned into LF). */
  | { type: "output"; text: string }
  /** The board restarted or crashed while nodeflash waited for something. */
  | { type: "restart"; evidence: string }
  /** A test file starts running on the board. */
  | { type: "test-file"; file: string }
  /** One test's result. */
  | { type: "test"; file: string; name: string; status: TestStatus; message: string }
  /** A step of loading an LFS image, with the console line that shows it when there is one. */
  | { type: "lfs"; step: "reload" | "restart" | "flashing" | "loaded"; line?: string };

/** Receives {@link LuaEvent}s. */
export type LuaEventHandler = (event: LuaEvent) => void;
