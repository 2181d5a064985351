import assert from "node:assert/strict";
import type { FlashEvent } from "../mod.ts";
import { eventLine } from "./event_line.ts";

Deno.test("event lines: what a CI log needs, no progress ticks", () => {
  const events: FlashEvent[] = [
    { type: "connect-attempt", attempt: 1, strategy: "classic reset" },
    { type: "connect-attempt", attempt: 2, strategy: "classic reset (550 ms)" },
    { type: "connected", loader: "rom", attempts: 1 },
    { type: "stub", state: "uploading" },
    { type: "stub", state: "running" },
    { type: "write-start", name: "fw.bin", address: 0, size: 409600, bytesToWrite: 4096 },
    { type: "write-progress", name: "fw.bin", address: 0, done: 100, total: 409600, rate: 4e4 },
    {
      type: "write-done",
      name: "fw.bin",
      address: 0,
      bytesWritten: 4096,
      bytesSkipped: 405504,
      wireBytes: 1000,
      compressed: true,
      seconds: 0.25,
    },
    { type: "verify", name: "fw.bin", address: 0, size: 409600, ok: true, md5: "aa" },
    { type: "erase", state: "start", address: 0, size: 4194304, whole: true },
    { type: "reset", mode: "no-reset" },
    { type: "reset", mode: "hard-reset" },
  ];
  assert.deepEqual(events.map(eventLine), [
    undefined,
    "connecting, attempt 2 (classic reset (550 ms))",
    "connected to the ROM loader",
    undefined,
    "flasher stub running",
    "writing fw.bin at 0x00000000: 4.0 KiB of 400.0 KiB differ",
    undefined,
    "wrote fw.bin: 4.0 KiB written, 396.0 KiB already there, 0.3 s",
    "verify fw.bin: ok (md5 aa)",
    "erasing the whole flash",
    undefined,
    "reset (hard-reset)",
  ]);
});
