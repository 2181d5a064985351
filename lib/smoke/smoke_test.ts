/**
 * The smoke test on the simulated board: field transcripts replayed through it (what real boards
 * printed after the ROM's messages, lib/sim/replay_firmware.ts), and the simulator's NodeMCU
 * carrying the banners real builds print. The reset circuit, the ROM, the UART and its garbling
 * are the simulator's (tests/support/replay_board.ts). tests/smoke_sim_test.ts makes the same
 * failures happen for real on the simulator (a flash mode the module cannot read, erased flash...).
 */

import assert from "node:assert/strict";
import { concatBytes } from "../bytes/little_endian.ts";
import { deviceError, isNodeflashError } from "../errors.ts";
import { NodemcuProgram } from "../sim/nodemcu_program.ts";
import { type ReplayBoot, ReplayFirmware, type ReplayScript } from "../sim/replay_firmware.ts";
import type { SimEvent } from "../sim/sim_event.ts";
import type { Transport } from "../transport/types.ts";
import { wrapTransport } from "../transport/wrap_transport.ts";
import {
  bannerOf,
  replayBoard,
  type ReplayBoardOptions,
} from "../../tests/support/replay_board.ts";
import { runSmokeTest, type SmokeTestOptions } from "./smoke.ts";
import type { SmokeEvent } from "./smoke_event.ts";
import { FAILURE_CASES, type FailureCase } from "./testing/failure_cases.ts";
import { BANNERS, ROM_LOADS, romHeader } from "./testing/transcripts.ts";
import type { SmokeTiming } from "./watch_boot.ts";

/** Timers for boards that work: generous, so a loaded machine does not fail them. */
const FAST: Partial<SmokeTiming> = {
  romWindowMs: 150,
  romQuietMs: 40,
  bootTimeoutMs: 3000,
  formatIdleMs: 2000,
  formatTimeoutMs: 6000,
  nudgeAfterMs: 400,
  settleMs: 25,
  settleMaxMs: 300,
  promptSettleMs: 8,
  manualResetTimeoutMs: 3000,
  probeTimeoutMs: 1000,
  restartWindowMs: 1500,
};
/** For boards expected to fail by timing out: give up quickly. */
const GIVE_UP: Partial<SmokeTiming> = {
  bootTimeoutMs: 800,
  probeTimeoutMs: 300,
  manualResetTimeoutMs: 400,
};
const FAST_RESET = "D0|R1|W0.002|R0";
const dec = (b: Uint8Array) => new TextDecoder("latin1").decode(b);
/** The 3.x cloud build's transcript. */
const CLOUD_3X = BANNERS[4]!;

interface Run {
  board?: ReplayBoardOptions;
  smoke?: SmokeTestOptions;
  timing?: Partial<SmokeTiming>;
  wrap?: (t: Transport) => Transport;
  /** Leave the reset sequence at its default (the real 100 ms pulse). */
  defaultReset?: boolean;
  onEvent?: (e: SmokeEvent, peers: ReturnType<typeof replayBoard>) => void;
}

/**
 * A smoke test on a simulated board. A board running NodeMCU has booted (and formatted its file
 * system) at power-up; a replaying board powers up in the ROM loader, so its script's boot 0 is
 * the one after the smoke test's reset.
 */
async function smoke(run: Run) {
  const replaying = run.board?.replay !== undefined || run.board?.firmware !== undefined;
  const peers = replayBoard({
    banner: CLOUD_3X.console,
    ...run.board,
    board: { ...(replaying ? { bootMode: "download" as const } : {}), ...run.board?.board },
  });
  const simEvents: Array<{ at: number; e: SimEvent }> = [];
  const off = peers.board.on((e) => simEvents.push({ at: performance.now(), e }));
  const events: Array<SmokeEvent & { at?: number }> = [];
  try {
    await peers.board.idle();
    const started = performance.now();
    const result = await runSmokeTest((run.wrap ?? ((t) => t))(peers.link.transport), {
      ...(run.defaultReset ? {} : { resetSequence: FAST_RESET }),
      timing: { ...FAST, ...run.timing },
      onEvent: (e) => {
        events.push({ ...e, at: performance.now() });
        run.onEvent?.(e, peers);
      },
      ...run.smoke,
    });
    const since = simEvents.filter((s) => s.at >= started);
    return { result, events, board: peers.board, sim: since };
  } finally {
    off();
    await peers.close();
  }
}

/** What the host typed at the board, as the board received it. */
const typed = (sim: Array<{ e: SimEvent }>) =>
  sim.flatMap(({ e }) => e.type === "rx" ? [dec(e.bytes)] : []).join("");

/** An adapter that cannot do 74880 baud (many CP2102/CH341 parts). */
function no74880(t: Transport): Transport {
  return wrapTransport(t, {
    setBaudRate: (baud: number) =>
      baud === 74880
        ? Promise.reject(deviceError("port/baud", "74880 baud is not supported"))
        : t.setBaudRate(baud),
  });
}

for (const era of BANNERS) {
  Deno.test(`a good boot passes: ${era.name}`, async () => {
    const { result, events } = await smoke({ board: { banner: era.console } });
    assert.equal(result.diagnosis, undefined, result.diagnosis?.message);
    assert.equal(result.ok, true);
    assert.equal(result.phase, "probed");
    assert.deepEqual(result.banner, era.fields);
    assert.deepEqual(result.rom, { rstCause: 2, bootMode: [3, 6] });
    assert.ok(result.heap !== undefined && result.heap > 30_000, `heap ${result.heap}`);
    const { romMs, bannerMs, promptMs, totalMs } = result.timings;
    assert.ok(romMs! <= bannerMs! && bannerMs! <= promptMs! && promptMs! <= totalMs);
    // The log is every byte received, the ROM's line read cleanly at 74880 included.
    const bytes = events.flatMap((e) => e.type === "bytes" ? [e.data] : []);
    assert.deepEqual(result.log, concatBytes(...bytes));
    assert.ok(dec(result.log).includes(romHeader(2, [3, 6])));
    assert.ok(dec(result.log).includes(bannerOf(era.console).replaceAll("\n", "\r\n")));
    assert.deepEqual(
      events.flatMap((e) => e.type === "phase" ? [e.phase] : []),
      ["rom", "banner", "prompt", "probed"],
    );
  });
}

Deno.test("first boot: the format is waited out, without typing, then the board passes", async () => {
  // The board's flash holds only the image: its first boot formats the file system.
  const { result, events, sim } = await smoke({ board: { board: { bootMode: "download" } } });
  assert.equal(result.ok, true, result.diagnosis?.message);
  assert.ok((result.formatDots ?? 0) >= 5, `${result.formatDots} dots`);
  const phase = (p: string) => events.find((e) => e.type === "phase" && e.phase === p)?.at;
  const [from, to] = [phase("formatting"), phase("banner")];
  assert.ok(from !== undefined && to !== undefined);
  const typedMeanwhile = sim.filter(({ at, e }) => e.type === "rx" && at > from && at < to);
  assert.deepEqual(typedMeanwhile, [], "nothing typed during the format");
});

Deno.test("first boot on 3.x: an extra restart before the format is not a failure", async () => {
  const { result } = await smoke({
    board: {
      firmware: (device, boot) =>
        boot === 0
          ? new ReplayFirmware(device, { steps: [], then: "restart" })
          : new NodemcuProgram(device),
    },
  });
  assert.equal(result.ok, true, result.diagnosis?.message);
  assert.ok((result.formatDots ?? 0) > 0);
});

Deno.test("bytes at the real line speed (the simulator in real time) give the same result", async () => {
  const { result } = await smoke({ board: { flashSize: "1MB", board: { pace: "realtime" } } });
  assert.equal(result.ok, true, result.diagnosis?.message);
  assert.deepEqual(result.banner, CLOUD_3X.fields);
});

/** The ROM's lines of a good flash boot, and of the boot after a watchdog reset. */
const ROM_OK = romHeader(2, [3, 6]) + ROM_LOADS;
const ROM_AFTER_WDT = romHeader(4, [3, 6]) + "wdt reset\r\n" + ROM_LOADS;

/**
 * A failure transcript as the firmware's part of each boot, after the ROM's own lines (which
 * the simulator prints): undefined for failures the ROM itself shows (a flash mode the module
 * cannot read, erased flash, the boot mode), which tests/smoke_sim_test.ts produces on the
 * simulator for real, and tests/diagnose_test.ts reads from their transcripts.
 */
function replayOf(c: FailureCase): ReplayScript | undefined {
  if (c.resetSequence !== undefined) return undefined; // the reset is what matters here
  const first = c.script({ boot: 0, gpio0Low: false });
  const romText = (s: { data: string | Uint8Array }) =>
    typeof s.data === "string" ? s.data : dec(s.data);
  if (first.steps.length === 0 || !romText(first.steps[0]!).startsWith(ROM_OK)) return undefined;
  return (boot): ReplayBoot => {
    const script = c.script({ boot, gpio0Low: false });
    const [rom, ...rest] = script.steps;
    const next = c.script({ boot: boot + 1, gpio0Low: false }).steps[0];
    const text = romText(rom!);
    const prefix = text.startsWith(ROM_AFTER_WDT) ? ROM_AFTER_WDT : ROM_OK;
    const steps = [
      ...(text.length > prefix.length
        ? [{ delayMs: 0, rate: "rom" as const, text: text.slice(prefix.length) }]
        : []),
      ...rest.map((s) => ({ delayMs: s.delayMs, rate: s.baud, text: romText(s) })),
    ];
    const then = script.then === "repl"
      ? "echo"
      : script.then === "hang"
      ? "hang"
      : next && romText(next).startsWith(ROM_AFTER_WDT)
      ? "watchdog"
      : "restart";
    return { steps, then };
  };
}

/** The failures only the ROM shows, and where they are tested instead. */
const ROM_LEVEL: Record<string, string> = {
  "smoke/bad-image": "tests/smoke_sim_test.ts: a DIO image on an ESP8285",
  "smoke/empty-flash": "tests/smoke_sim_test.ts: erased flash",
  "smoke/download-mode": "tests/smoke_sim_test.ts: the FLASH button held at reset",
  "smoke/gpio15-high": "tests/smoke_sim_test.ts: GPIO15 pulled high",
  "smoke/silent": "tests/smoke_sim_test.ts: a board without a reset circuit",
};

for (const c of FAILURE_CASES) {
  const replay = replayOf(c);
  if (replay === undefined) continue; // ROM-level: see ROM_LEVEL
  Deno.test(`a replayed field failure is detected with its hint: ${c.name}`, async () => {
    const { result } = await smoke({ board: { replay }, timing: GIVE_UP });
    assert.equal(result.ok, false);
    assert.notEqual(result.phase, "probed");
    assert.equal(result.diagnosis?.code, c.code, result.diagnosis?.message);
    const d = result.diagnosis!;
    assert.match(c.inMessage ? d.message : d.hint, c.hint);
    assert.match(d.message, /sim:\/\//);
  });
}

Deno.test("every field failure is replayed here, or named with where it is tested", () => {
  const elsewhere = FAILURE_CASES.filter((c) => replayOf(c) === undefined).map((c) => c.code);
  assert.deepEqual(elsewhere.sort(), Object.keys(ROM_LEVEL).sort());
});

/** The 3.x banner sent at 9600 baud, and a console that echoes. */
const AT_9600: ReplayScript = () => ({
  steps: [{ delayMs: 150, rate: 9600, text: CLOUD_3X.console }],
  then: "echo",
});

Deno.test("everything garbled (no 74880 on the adapter, console at 9600) is not a pass", async () => {
  const { result, sim } = await smoke({
    board: { replay: AT_9600 },
    wrap: no74880,
    timing: { ...GIVE_UP, nudgeAfterMs: 40 },
  });
  assert.equal(result.ok, false);
  assert.equal(result.phase, "silent");
  assert.equal(result.diagnosis?.code, "smoke/garbled");
  assert.ok(result.log.length > 100);
  assert.ok(typed(sim).length > 0, "the empty-line nudges went out, and were not understood");
});

Deno.test("a readable ROM line and an unreadable console is not a pass", async () => {
  const { result } = await smoke({ board: { replay: AT_9600 }, timing: GIVE_UP });
  assert.equal(result.ok, false);
  assert.equal(result.phase, "rom");
  assert.equal(result.diagnosis?.code, "smoke/console-unreadable");
});

Deno.test("an adapter without 74880 still passes: the ROM line is optional", async () => {
  const { result, events } = await smoke({ wrap: no74880 });
  assert.equal(result.ok, true);
  assert.equal(result.rom, undefined);
  assert.deepEqual(result.banner, CLOUD_3X.fields);
  const refused = events.find((e) => e.type === "baud" && !e.ok);
  assert.equal(refused?.type === "baud" && refused.baud, 74880);
});

Deno.test("a board that echoes but never evaluates is not a pass", async () => {
  const { result } = await smoke({
    board: {
      replay: () => ({
        steps: [{ delayMs: 150, rate: "console", text: CLOUD_3X.console }],
        then: "echo",
      }),
    },
  });
  assert.equal(result.ok, false);
  assert.equal(result.phase, "prompt");
  assert.equal(result.diagnosis?.code, "smoke/lua-not-running");
  assert.equal(result.heap, undefined);
});

Deno.test("a prompt that never answers is not a pass", async () => {
  const { result } = await smoke({
    board: {
      replay: () => ({
        steps: [{ delayMs: 150, rate: "console", text: CLOUD_3X.console }],
        then: "deaf",
      }),
    },
    timing: GIVE_UP,
  });
  assert.equal(result.ok, false);
  assert.equal(result.diagnosis?.code, "smoke/prompt-unresponsive");
});

Deno.test("the user probe passes and fails as its regex says", async () => {
  const pass = await smoke({ smoke: { lua: "print(node.heap() > 1000)", expect: /^true$/ } });
  assert.equal(pass.result.ok, true);
  assert.deepEqual(pass.result.userProbe, { ok: true, output: "true" });
  const fail = await smoke({ smoke: { lua: "print(node.heap() > 1000)", expect: /^false$/ } });
  assert.equal(fail.result.ok, false);
  assert.equal(fail.result.phase, "probed", "the built-in probes passed; the user's did not");
  assert.deepEqual(fail.result.userProbe, { ok: false, output: "true" });
  assert.equal(fail.result.diagnosis?.code, "smoke/user-probe-failed");
});

Deno.test("a malformed user probe is a user error, raised before touching the port", async () => {
  const peers = replayBoard({ board: { bootMode: "download" } });
  const lines: SimEvent[] = [];
  const off = peers.board.on((e) => e.type === "signals" || e.type === "rx" ? lines.push(e) : 0);
  try {
    await peers.board.idle();
    await assert.rejects(
      runSmokeTest(peers.link.transport, { lua: "a=1\nprint(a)", expect: /1/ }),
      (e: unknown) => isNodeflashError(e) && e.kind === "user" && e.code === "smoke/bad-probe",
    );
    assert.deepEqual(lines, [], "no line moved, nothing typed");
  } finally {
    off();
    await peers.close();
  }
});

/** A board without the DTR/RTS circuit: only its buttons reset it. */
const MANUAL: ReplayBoardOptions = { board: { reset: "manual" }, modemLines: false };
const pressReset = (board: ReturnType<typeof replayBoard>["board"]) => {
  board.resetButton("down");
  board.resetButton("up");
};

Deno.test("manual reset: asks for RESET, waits for it, then passes", async () => {
  const { result, events } = await smoke({
    board: MANUAL,
    smoke: { reset: "manual" },
    onEvent: (e, { board }) => {
      if (e.type === "press-reset") setTimeout(() => pressReset(board), 50);
    },
  });
  assert.equal(result.ok, true, result.diagnosis?.message);
  const asked = events.findIndex((e) => e.type === "press-reset");
  assert.ok(asked >= 0 && asked < events.findIndex((e) => e.type === "bytes"));
});

Deno.test("manual reset: the boot clock starts when the user presses RESET", async () => {
  // The user is slower than the whole boot timeout; the boot itself is quick.
  const { result } = await smoke({
    board: MANUAL,
    smoke: { reset: "manual" },
    timing: { bootTimeoutMs: 900, manualResetTimeoutMs: 4000 },
    onEvent: (e, { board }) => {
      if (e.type === "press-reset") setTimeout(() => pressReset(board), 1000);
    },
  });
  assert.equal(result.ok, true, result.diagnosis?.message);
});

Deno.test("manual reset nobody presses: silence, and nothing typed at the board", async () => {
  const { result, sim } = await smoke({
    board: MANUAL,
    smoke: { reset: "manual" },
    timing: GIVE_UP,
  });
  assert.equal(result.diagnosis?.code, "smoke/silent");
  assert.equal(typed(sim), "");
});

Deno.test("no reset on a link without modem lines: a running board is probed as it is", async () => {
  const { result, sim } = await smoke({ board: { modemLines: false } });
  assert.equal(result.ok, true, result.diagnosis?.message);
  assert.deepEqual(sim.filter(({ e }) => e.type === "boot"), [], "no reset");
  assert.equal(result.rom, undefined);
  assert.equal(result.banner, undefined);
});

Deno.test("the reset runner gets the hard-reset sequence; a custom runner is used", async () => {
  const sequences: string[] = [];
  const { result } = await smoke({
    defaultReset: true,
    smoke: {
      runReset: async (t, sequence) => {
        sequences.push(sequence);
        await t.setSignals({ dtr: false, rts: true });
        await t.setSignals({ dtr: false, rts: false });
      },
    },
  });
  assert.deepEqual(sequences, ["D0|R1|W0.1|R0"]);
  assert.equal(result.ok, true);
});

Deno.test("the port closing mid-boot ends the test with a diagnosis", async () => {
  const { result } = await smoke({
    onEvent: (e, { link }) => {
      if (e.type === "phase" && e.phase === "rom") void link.transport.close();
    },
  });
  assert.equal(result.ok, false);
  assert.equal(result.diagnosis?.code, "smoke/port-closed");
});

Deno.test("a port that vanishes rethrows port/disconnected", async () => {
  const peers = replayBoard();
  try {
    await peers.board.idle();
    setTimeout(() => peers.link.hangUp(), 30);
    await assert.rejects(
      runSmokeTest(peers.link.transport, { resetSequence: FAST_RESET, timing: FAST }),
      (e: unknown) => isNodeflashError(e) && e.code === "port/disconnected",
    );
  } finally {
    await peers.close();
  }
});

Deno.test("what was typed is reported: the two probes, in order, and nothing else", async () => {
  const { events, sim } = await smoke({});
  const sent = events.flatMap((e) => e.type === "sent" ? [dec(e.data)] : []);
  assert.equal(sent[0], "\r\n");
  assert.match(
    sent[1] ?? "",
    /^print\("nf"\.\."#"\.\.\(\d{4}\*\d{4}\)\.\."\|"\.\.node\.heap\(\)\)\r\n$/,
  );
  assert.equal(sent.length, 2);
  assert.equal(typed(sim), sent.join(""), "the board received exactly that");
});
