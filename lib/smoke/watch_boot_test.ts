import assert from "node:assert/strict";
import { createMemoryLink } from "../transport/memory.ts";
import { ConsoleCapture } from "./console_capture.ts";
import type { SmokeEvent } from "./smoke_event.ts";
import { type BootScript, ScriptedBoard } from "./testing/scripted_board.ts";
import {
  BANNERS,
  CONSOLE_BAUD,
  FORMATTING,
  nodemcuBoot,
  ROM_BAUD,
  ROM_LOADS,
  romHeader,
} from "./testing/transcripts.ts";
import { DEFAULT_SMOKE_TIMING, type SmokeTiming, watchBoot } from "./watch_boot.ts";

const FAST: SmokeTiming = {
  ...DEFAULT_SMOKE_TIMING,
  romWindowMs: 150,
  romQuietMs: 40,
  bootTimeoutMs: 1000,
  formatIdleMs: 150,
  formatTimeoutMs: 2000,
  nudgeAfterMs: 60,
  settleMs: 25,
  settleMaxMs: 150,
  promptSettleMs: 8,
  manualResetTimeoutMs: 300,
};

async function watch(
  script: () => BootScript,
  options: { timing?: Partial<SmokeTiming>; atRomBaud?: boolean; running?: boolean } = {},
) {
  const board = new ScriptedBoard({ script, repl: "echo", running: options.running ?? false });
  const link = createMemoryLink(board);
  board.attach(link.deliver);
  const events: SmokeEvent[] = [];
  const capture = new ConsoleCapture(link.transport, { onEvent: (e) => events.push(e) });
  try {
    const atRomBaud = options.atRomBaud ?? true;
    await link.transport.setBaudRate(atRomBaud ? ROM_BAUD : CONSOLE_BAUD);
    if (!options.running) {
      await link.transport.setSignals({ dtr: false, rts: true });
      await link.transport.setSignals({ dtr: false, rts: false });
    }
    const boot = await watchBoot(capture, {
      timing: { ...FAST, ...options.timing },
      consoleBaud: CONSOLE_BAUD,
      atRomBaud,
      waitForFirstByte: false,
      onEvent: (e) => events.push(e),
    });
    return { boot, events, board, text: capture.text };
  } finally {
    capture.release();
    await link.transport.close();
  }
}

Deno.test("ROM at 74880, then the console at 115200: both read cleanly", async () => {
  const { boot, events, text } = await watch(() => nodemcuBoot(BANNERS[4]!.console));
  assert.equal(boot.stop, "prompt");
  assert.ok(text.includes(romHeader(2, [3, 6]) + ROM_LOADS));
  assert.equal(boot.log.banners[0]?.fields.commit, "cb1b40fffae85cdff5c12d9264b8d8277521ff25");
  const bauds = events.filter((e) => e.type === "baud");
  assert.deepEqual(bauds.map((e) => e.type === "baud" && e.baud), [CONSOLE_BAUD]);
  assert.deepEqual(
    events.filter((e) => e.type === "phase").map((e) => e.type === "phase" && e.phase),
    ["rom", "banner", "prompt"],
  );
  assert.ok(
    boot.marks.romMs! <= boot.marks.bannerMs! && boot.marks.bannerMs! <= boot.marks.promptMs!,
  );
});

Deno.test("noise right after the ROM lines switches the rate at once, without waiting for quiet", async () => {
  const { boot } = await watch(() => ({
    steps: [
      { delayMs: 1, baud: ROM_BAUD, data: romHeader(2, [3, 6]) + ROM_LOADS },
      { delayMs: 1, baud: CONSOLE_BAUD, data: "\r\n\r\n\r\n\r\n" },
      { delayMs: 150, baud: CONSOLE_BAUD, data: BANNERS[1]!.console },
    ],
    then: "repl",
  }), { timing: { romQuietMs: 5000 } });
  assert.equal(boot.stop, "prompt");
  assert.equal(boot.log.banners[0]?.fields.version, "2.1.0");
});

Deno.test("no ROM line within its window: the host moves on to the console rate", async () => {
  const { boot, text } = await watch(() => ({
    steps: [{ delayMs: 400, baud: CONSOLE_BAUD, data: BANNERS[0]!.console }],
    then: "repl",
  }));
  assert.equal(boot.stop, "prompt");
  assert.equal(boot.log.rom.boots.length, 0);
  assert.ok(text.endsWith(BANNERS[0]!.console));
});

Deno.test("formatting: dots reset the inactivity timer and nothing is typed meanwhile", async () => {
  // Dots come every 45 ms; a quiet console would be nudged after 30 ms.
  const { boot, events, board } = await watch(
    () => nodemcuBoot(BANNERS[4]!.console, { formatDots: 6, dotMs: 45 }),
    { timing: { nudgeAfterMs: 30, formatIdleMs: 500 } },
  );
  assert.equal(boot.stop, "prompt");
  assert.deepEqual(board.writes.filter((w) => w.state === "formatting"), []);
  const dots = events.flatMap((e) => e.type === "format-progress" ? [e.dots] : []);
  assert.deepEqual(dots, [1, 2, 3, 4, 5, 6]);
  assert.equal(boot.log.formatting?.ended, true);
});

Deno.test("a format that stops printing dots is reported as stalled, after the idle limit", async () => {
  const { boot, board } = await watch(() => ({
    steps: [
      { delayMs: 1, baud: ROM_BAUD, data: romHeader(2, [3, 6]) + ROM_LOADS },
      { delayMs: 150, baud: CONSOLE_BAUD, data: FORMATTING, state: "formatting" },
      { delayMs: 2, baud: CONSOLE_BAUD, data: ".." },
    ],
    then: "hang",
  }), { timing: { nudgeAfterMs: 20, formatIdleMs: 80 } });
  assert.equal(boot.stop, "format-stalled");
  assert.equal(boot.log.formatting?.dots, 2);
  assert.ok(boot.waitedMs >= 80 && boot.waitedMs < FAST.bootTimeoutMs);
  assert.deepEqual(board.writes.filter((w) => w.state === "formatting"), []);
});

Deno.test("a fatal signature stops the wait even while the board keeps rebooting", async () => {
  const { boot } = await watch(() => ({
    steps: [{
      delayMs: 1,
      baud: ROM_BAUD,
      data: romHeader(2, [3, 6]) + "rf_cal[0] !=0x05,is 0xFF\r\n",
    }],
    then: "reboot",
  }));
  assert.equal(boot.stop, "fatal");
  assert.ok(boot.waitedMs < FAST.bootTimeoutMs, `${boot.waitedMs} ms`);
  assert.ok(boot.log.rom.boots.length >= 2);
});

Deno.test("a running board with nothing to say is nudged with one empty line", async () => {
  const { boot, board } = await watch(() => ({ steps: [], then: "repl" }), {
    atRomBaud: false,
    running: true,
  });
  assert.equal(boot.stop, "prompt");
  assert.deepEqual(board.writes.map((w) => new TextDecoder().decode(w.data)), ["\r\n"]);
});

Deno.test("a silent board is nudged twice at most, then the wait times out", async () => {
  const { boot, board } = await watch(() => ({ steps: [], then: "hang" }), {
    timing: { nudgeAfterMs: 30, bootTimeoutMs: 300 },
  });
  assert.equal(boot.stop, "timeout");
  assert.equal(boot.phase, "silent");
  assert.equal(board.writes.length, 2);
  assert.ok(boot.waitedMs >= 300);
});
