import assert from "node:assert/strict";
import type { ReplayScript } from "../sim/replay_firmware.ts";
import type { SimEvent } from "../sim/sim_event.ts";
import { replayBoard, type ReplayBoardOptions } from "../../tests/support/replay_board.ts";
import { ConsoleCapture } from "./console_capture.ts";
import type { SmokeEvent } from "./smoke_event.ts";
import {
  BANNERS,
  CONSOLE_BAUD,
  FORMATTING,
  ROM_BAUD,
  SDK_PRE_INIT,
} from "./testing/transcripts.ts";
import { DEFAULT_SMOKE_TIMING, type SmokeTiming, watchBoot } from "./watch_boot.ts";

const FAST: SmokeTiming = {
  ...DEFAULT_SMOKE_TIMING,
  romWindowMs: 150,
  romQuietMs: 40,
  bootTimeoutMs: 1500,
  formatIdleMs: 300,
  formatTimeoutMs: 3000,
  nudgeAfterMs: 100,
  settleMs: 25,
  settleMaxMs: 300,
  promptSettleMs: 8,
  manualResetTimeoutMs: 300,
  restartWindowMs: 1000,
};

/**
 * Watches a simulated board boot: it replays `replay` after the ROM's own lines (the board
 * powers up in the ROM loader, so the script's boot 0 follows the reset here), or, `running`,
 * it has already replayed it at power-up and is not reset.
 */
async function watch(
  replay: ReplayScript,
  options: {
    timing?: Partial<SmokeTiming>;
    atRomBaud?: boolean;
    running?: boolean;
    board?: ReplayBoardOptions;
  } = {},
) {
  const running = options.running ?? false;
  const peers = replayBoard({
    replay,
    ...options.board,
    board: { ...(running ? {} : { bootMode: "download" as const }), ...options.board?.board },
  });
  const rx: Array<{ at: number; text: string }> = [];
  const off = peers.board.on((e: SimEvent) => {
    if (e.type === "rx") {
      rx.push({ at: performance.now(), text: new TextDecoder().decode(e.bytes) });
    }
  });
  const events: Array<SmokeEvent & { at: number }> = [];
  const t = peers.link.transport;
  const capture = new ConsoleCapture(t, {
    onEvent: (e) => events.push({ ...e, at: performance.now() }),
  });
  try {
    await peers.board.idle();
    const atRomBaud = options.atRomBaud ?? true;
    await t.setBaudRate(atRomBaud ? ROM_BAUD : CONSOLE_BAUD);
    if (!running) {
      await t.setSignals({ dtr: false, rts: true });
      await t.setSignals({ dtr: false, rts: false });
    }
    const boot = await watchBoot(capture, {
      timing: { ...FAST, ...options.timing },
      consoleBaud: CONSOLE_BAUD,
      atRomBaud,
      waitForFirstByte: false,
      onEvent: (e) => events.push({ ...e, at: performance.now() }),
    });
    return { boot, events, rx, text: capture.text };
  } finally {
    capture.release();
    off();
    await peers.close();
  }
}

/** A good 3.x boot after the ROM: the SDK's lines, then the banner and the prompt. */
const GOOD: ReplayScript = () => ({
  steps: [
    { delayMs: 0, rate: "rom", text: SDK_PRE_INIT },
    { delayMs: 150, rate: "console", text: BANNERS[4]!.console },
  ],
  then: "echo",
});

/** What was typed between two moments. */
const typedBetween = (rx: Array<{ at: number; text: string }>, from: number, to: number) =>
  rx.filter((r) => r.at > from && r.at < to).map((r) => r.text);

Deno.test("ROM at 74880, then the console at 115200: both read cleanly", async () => {
  const { boot, events, text } = await watch(GOOD);
  assert.equal(boot.stop, "prompt");
  assert.match(text, /ets Jan {2}8 2013,rst cause:2, boot mode:\(3,6\)\r\n\r\nload 0x40100000/);
  assert.ok(text.includes(SDK_PRE_INIT), "the SDK's lines, read at 74880 too");
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
      { delayMs: 1, rate: "console", text: "\r\n\r\n\r\n\r\n" },
      { delayMs: 150, rate: "console", text: BANNERS[1]!.console },
    ],
    then: "echo",
  }), { timing: { romQuietMs: 5000 } });
  assert.equal(boot.stop, "prompt");
  assert.equal(boot.log.banners[0]?.fields.version, "2.1.0");
});

Deno.test("no ROM line within its window: the host moves on to the console rate", async () => {
  // A 40 MHz crystal: the ROM talks at 115200, which reads as noise at 74880.
  const { boot, text } = await watch(() => ({
    steps: [{ delayMs: 400, rate: "console", text: BANNERS[0]!.console }],
    then: "echo",
  }), { board: { board: { crystalMhz: 40 } } });
  assert.equal(boot.stop, "prompt");
  assert.equal(boot.log.rom.boots.length, 0);
  assert.ok(text.endsWith(BANNERS[0]!.console), JSON.stringify(text.slice(-300)));
});

Deno.test("formatting: dots reset the inactivity timer and nothing is typed meanwhile", async () => {
  // Dots come every 45 ms; a quiet console would be nudged after 30 ms.
  const { boot, events, rx, text } = await watch(() => ({
    steps: [
      { delayMs: 150, rate: "console", text: FORMATTING },
      ...Array.from({ length: 6 }, () => ({ delayMs: 45, rate: "console" as const, text: "." })),
      { delayMs: 45, rate: "console", text: BANNERS[4]!.console },
    ],
    then: "echo",
  }), { timing: { nudgeAfterMs: 30, formatIdleMs: 500 } });
  assert.equal(boot.stop, "prompt", JSON.stringify(text.slice(-400)));
  const phase = (p: string) => events.find((e) => e.type === "phase" && e.phase === p)!.at;
  assert.deepEqual(typedBetween(rx, phase("formatting"), phase("banner")), []);
  const dots = events.flatMap((e) => e.type === "format-progress" ? [e.dots] : []);
  assert.deepEqual(dots, [1, 2, 3, 4, 5, 6]);
  assert.equal(boot.log.formatting?.ended, true);
});

Deno.test("a format that stops printing dots is reported as stalled, after the idle limit", async () => {
  const { boot, events, rx } = await watch(() => ({
    steps: [
      { delayMs: 150, rate: "console", text: FORMATTING },
      { delayMs: 2, rate: "console", text: ".." },
    ],
    then: "hang",
  }), { timing: { nudgeAfterMs: 20, formatIdleMs: 80 } });
  assert.equal(boot.stop, "format-stalled");
  assert.equal(boot.log.formatting?.dots, 2);
  assert.ok(boot.waitedMs >= 80 && boot.waitedMs < FAST.bootTimeoutMs);
  const formatting = events.find((e) => e.type === "phase" && e.phase === "formatting")!.at;
  assert.deepEqual(typedBetween(rx, formatting, Infinity), []);
});

Deno.test("a fatal signature stops the wait even while the board keeps rebooting", async () => {
  const { boot } = await watch(() => ({
    steps: [{ delayMs: 0, rate: "rom", text: "rf_cal[0] !=0x05,is 0xFF\r\n" }],
    then: "watchdog",
  }));
  assert.equal(boot.stop, "fatal");
  assert.ok(boot.waitedMs < FAST.bootTimeoutMs, `${boot.waitedMs} ms`);
  assert.ok(boot.log.rom.boots.length >= 2);
});

Deno.test("a running board with nothing to say is nudged with one empty line", async () => {
  const { boot, rx } = await watch(() => ({ steps: [], then: "echo" }), {
    atRomBaud: false,
    running: true,
  });
  assert.equal(boot.stop, "prompt");
  assert.deepEqual(rx.map((r) => r.text), ["\r\n"]);
});

Deno.test("a silent board is nudged twice at most, then the wait times out", async () => {
  // No reset circuit: the lines reach nothing, and the board (in its ROM loader) says nothing.
  const { boot, rx } = await watch(() => ({ steps: [], then: "hang" }), {
    timing: { nudgeAfterMs: 30, bootTimeoutMs: 300 },
    board: { board: { reset: "manual" } },
  });
  assert.equal(boot.stop, "timeout");
  assert.equal(boot.phase, "silent");
  assert.equal(rx.length, 2);
  assert.ok(boot.waitedMs >= 300);
});
