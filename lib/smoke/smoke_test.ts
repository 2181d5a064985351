import assert from "node:assert/strict";
import { deviceError, isNodeflashError } from "../errors.ts";
import { concatBytes } from "../bytes/little_endian.ts";
import { createMemoryLink, type MemoryLink, type MemoryLinkOptions } from "../transport/memory.ts";
import type { Transport } from "../transport/types.ts";
import { wrapTransport } from "../transport/wrap_transport.ts";
import { runSmokeTest, type SmokeTestOptions } from "./smoke.ts";
import type { SmokeEvent } from "./smoke_event.ts";
import { FAILURE_CASES } from "./testing/failure_cases.ts";
import { createLuaRepl } from "./testing/lua_repl.ts";
import { ScriptedBoard, type ScriptedBoardOptions } from "./testing/scripted_board.ts";
import { BANNERS, nodemcuBoot, ROM_BAUD, ROM_LOADS, romHeader } from "./testing/transcripts.ts";
import type { SmokeTiming } from "./watch_boot.ts";

/** Timers for boards that work: generous, so a loaded machine does not fail them. */
const FAST: Partial<SmokeTiming> = {
  romWindowMs: 150,
  romQuietMs: 40,
  bootTimeoutMs: 2000,
  formatIdleMs: 500,
  formatTimeoutMs: 4000,
  nudgeAfterMs: 150,
  settleMs: 25,
  settleMaxMs: 150,
  promptSettleMs: 8,
  manualResetTimeoutMs: 2000,
  probeTimeoutMs: 1000,
};
/** For boards expected to fail by timing out: give up quickly. */
const GIVE_UP: Partial<SmokeTiming> = {
  bootTimeoutMs: 600,
  probeTimeoutMs: 150,
  manualResetTimeoutMs: 300,
};
const FAST_RESET = "D0|R1|W0.002|R0";
const dec = (b: Uint8Array) => new TextDecoder("latin1").decode(b);

interface Run {
  board?: Partial<ScriptedBoardOptions>;
  smoke?: SmokeTestOptions;
  link?: MemoryLinkOptions;
  timing?: Partial<SmokeTiming>;
  wrap?: (t: Transport) => Transport;
  /** Leave the reset sequence at its default (the real 100 ms pulse). */
  defaultReset?: boolean;
  onEvent?: (e: SmokeEvent, peers: { board: ScriptedBoard; link: MemoryLink }) => void;
}

async function smoke(run: Run) {
  const board = new ScriptedBoard({
    script: () => nodemcuBoot(BANNERS[4]!.console),
    repl: createLuaRepl({ heap: 41234 }),
    ...run.board,
  });
  const link = createMemoryLink(board, run.link);
  board.attach(link.deliver);
  const events: SmokeEvent[] = [];
  try {
    const result = await runSmokeTest((run.wrap ?? ((t) => t))(link.transport), {
      ...(run.defaultReset ? {} : { resetSequence: FAST_RESET }),
      timing: { ...FAST, ...run.timing },
      onEvent: (e) => {
        events.push(e);
        run.onEvent?.(e, { board, link });
      },
      ...run.smoke,
    });
    return { result, events, board, link };
  } finally {
    await link.transport.close();
  }
}

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
    const { result, events } = await smoke({ board: { script: () => nodemcuBoot(era.console) } });
    assert.equal(result.diagnosis, undefined);
    assert.equal(result.ok, true);
    assert.equal(result.phase, "probed");
    assert.deepEqual(result.banner, era.fields);
    assert.deepEqual(result.rom, { rstCause: 2, bootMode: [3, 6] });
    assert.equal(result.heap, 41234);
    const { romMs, bannerMs, promptMs, totalMs } = result.timings;
    assert.ok(romMs! <= bannerMs! && bannerMs! <= promptMs! && promptMs! <= totalMs);
    // The log is every byte received, the ROM's line read cleanly at 74880 included.
    const bytes = events.flatMap((e) => e.type === "bytes" ? [e.data] : []);
    assert.deepEqual(result.log, concatBytes(...bytes));
    assert.ok(dec(result.log).includes(romHeader(2, [3, 6]) + ROM_LOADS));
    assert.ok(dec(result.log).includes(era.console));
    assert.deepEqual(
      events.flatMap((e) => e.type === "phase" ? [e.phase] : []),
      ["rom", "banner", "prompt", "probed"],
    );
  });
}

Deno.test("first boot: the format is waited out, without typing, then the board passes", async () => {
  const { result, board, events } = await smoke({
    board: { script: () => nodemcuBoot(BANNERS[5]!.console, { formatDots: 6, dotMs: 45 }) },
    timing: { nudgeAfterMs: 30 },
  });
  assert.equal(result.ok, true);
  assert.equal(result.formatDots, 6);
  assert.equal(result.banner?.lua, "5.3.5");
  assert.deepEqual(board.writes.filter((w) => w.state === "formatting"), []);
  assert.ok(events.some((e) => e.type === "phase" && e.phase === "formatting"));
});

Deno.test("first boot on 3.x: an extra restart before the format is not a failure", async () => {
  const { result } = await smoke({
    board: {
      script: ({ boot }) =>
        boot === 0
          ? {
            steps: [{ delayMs: 1, baud: ROM_BAUD, data: romHeader(2, [3, 6]) + ROM_LOADS }],
            then: "reboot",
          }
          : nodemcuBoot(BANNERS[4]!.console, { formatDots: 3 }),
    },
  });
  assert.equal(result.ok, true);
  assert.equal(result.formatDots, 3);
});

Deno.test("bytes delivered in small chunks at the real line speed give the same result", async () => {
  // The ROM's 500 bytes take 67 ms at 74880 baud; NodeMCU starts talking over 400 ms after that.
  const { result } = await smoke({
    board: { chunkSize: 7, script: () => nodemcuBoot(BANNERS[4]!.console, { gapMs: 500 }) },
  });
  assert.equal(result.ok, true);
  assert.deepEqual(result.banner, BANNERS[4]!.fields);
});

for (const c of FAILURE_CASES) {
  Deno.test(`failure is detected with its hint: ${c.name}`, async () => {
    const { result } = await smoke({
      board: { script: c.script },
      timing: GIVE_UP,
      smoke: c.resetSequence === undefined ? {} : { resetSequence: c.resetSequence },
    });
    assert.equal(result.ok, false);
    assert.notEqual(result.phase, "probed");
    assert.equal(result.diagnosis?.code, c.code);
    const d = result.diagnosis!;
    assert.match(c.inMessage ? d.message : d.hint, c.hint);
    assert.match(d.message, /memory:/);
  });
}

Deno.test("everything garbled (no 74880 on the adapter, console at 9600) is not a pass", async () => {
  const { result, board } = await smoke({
    board: {
      consoleBaud: 9600,
      script: () => ({
        steps: [
          { delayMs: 1, baud: ROM_BAUD, data: romHeader(2, [3, 6]) + ROM_LOADS },
          { delayMs: 150, baud: 9600, data: BANNERS[4]!.console },
        ],
        then: "repl",
      }),
    },
    wrap: no74880,
    timing: { ...GIVE_UP, nudgeAfterMs: 40 },
  });
  assert.equal(result.ok, false);
  assert.equal(result.phase, "silent");
  assert.equal(result.diagnosis?.code, "smoke/garbled");
  assert.ok(result.log.length > 100);
  assert.ok(board.writes.length > 0, "the empty-line nudges went out, and were not understood");
});

Deno.test("a readable ROM line and an unreadable console is not a pass", async () => {
  const { result } = await smoke({
    board: {
      consoleBaud: 9600,
      script: () => ({
        steps: [
          { delayMs: 1, baud: ROM_BAUD, data: romHeader(2, [3, 6]) + ROM_LOADS },
          { delayMs: 150, baud: 9600, data: BANNERS[4]!.console },
        ],
        then: "repl",
      }),
    },
    timing: GIVE_UP,
  });
  assert.equal(result.ok, false);
  assert.equal(result.phase, "rom");
  assert.equal(result.diagnosis?.code, "smoke/console-unreadable");
});

Deno.test("an adapter without 74880 still passes: the ROM line is optional", async () => {
  const { result, events } = await smoke({ wrap: no74880 });
  assert.equal(result.ok, true);
  assert.equal(result.rom, undefined);
  assert.deepEqual(result.banner, BANNERS[4]!.fields);
  const refused = events.find((e) => e.type === "baud" && !e.ok);
  assert.equal(refused?.type === "baud" && refused.baud, 74880);
});

Deno.test("a board that echoes but never evaluates is not a pass", async () => {
  const { result } = await smoke({ board: { repl: "echo" } });
  assert.equal(result.ok, false);
  assert.equal(result.phase, "prompt");
  assert.equal(result.diagnosis?.code, "smoke/lua-not-running");
  assert.equal(result.heap, undefined);
});

Deno.test("a prompt that never answers is not a pass", async () => {
  const { result } = await smoke({
    board: { script: () => ({ ...nodemcuBoot(BANNERS[4]!.console), then: "hang" }) },
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
  const board = new ScriptedBoard({ script: () => nodemcuBoot(""), repl: "echo" });
  const link = createMemoryLink(board);
  board.attach(link.deliver);
  await assert.rejects(
    runSmokeTest(link.transport, { lua: "a=1\nprint(a)", expect: /1/ }),
    (e: unknown) => isNodeflashError(e) && e.kind === "user" && e.code === "smoke/bad-probe",
  );
  assert.equal(board.boots, 0);
  await link.transport.close();
});

Deno.test("manual reset: asks for RESET, waits for it, then passes", async () => {
  const { result, events, board } = await smoke({
    link: { modemLines: false },
    smoke: { reset: "manual" },
    onEvent: (e, { board }) => {
      if (e.type === "press-reset") setTimeout(() => board.pressReset(), 50);
    },
  });
  assert.equal(result.ok, true);
  assert.equal(board.boots, 1);
  assert.equal(events.findIndex((e) => e.type === "press-reset") >= 0, true);
  assert.ok(
    events.findIndex((e) => e.type === "press-reset") < events.findIndex((e) => e.type === "bytes"),
  );
});

Deno.test("manual reset: the boot clock starts when the user presses RESET", async () => {
  // The user is slower than the whole boot timeout; the boot itself is quick.
  const { result } = await smoke({
    link: { modemLines: false },
    smoke: { reset: "manual" },
    timing: { bootTimeoutMs: 500, manualResetTimeoutMs: 3000 },
    onEvent: (e, { board }) => {
      if (e.type === "press-reset") setTimeout(() => board.pressReset(), 600);
    },
  });
  assert.equal(result.ok, true);
});

Deno.test("manual reset nobody presses: silence, and nothing typed at the board", async () => {
  const { result, board } = await smoke({
    link: { modemLines: false },
    smoke: { reset: "manual" },
    timing: GIVE_UP,
  });
  assert.equal(result.diagnosis?.code, "smoke/silent");
  assert.deepEqual(board.writes, []);
});

Deno.test("no reset on a link without modem lines: a running board is probed as it is", async () => {
  const { result, board } = await smoke({
    board: { running: true },
    link: { modemLines: false },
  });
  assert.equal(result.ok, true);
  assert.equal(board.boots, 0);
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
    board: {
      script: () => nodemcuBoot(BANNERS[4]!.console, { gapMs: 100 }),
    },
  });
  assert.equal(result.ok, false);
  assert.equal(result.diagnosis?.code, "smoke/port-closed");
});

Deno.test("a port that vanishes rethrows port/disconnected", async () => {
  const board = new ScriptedBoard({ script: () => nodemcuBoot(BANNERS[4]!.console), repl: "echo" });
  const l = createMemoryLink(board);
  board.attach(l.deliver);
  setTimeout(() => l.hangUp(), 30);
  await assert.rejects(
    runSmokeTest(l.transport, { resetSequence: FAST_RESET, timing: FAST }),
    (e: unknown) => isNodeflashError(e) && e.code === "port/disconnected",
  );
  await l.transport.close();
});

Deno.test("what was typed is reported: the two probes, in order, and nothing else", async () => {
  const { events } = await smoke({});
  const sent = events.flatMap((e) => e.type === "sent" ? [dec(e.data)] : []);
  assert.equal(sent[0], "\r\n");
  assert.match(
    sent[1] ?? "",
    /^print\("nf"\.\."#"\.\.\(\d{4}\*\d{4}\)\.\."\|"\.\.node\.heap\(\)\)\r\n$/,
  );
  assert.equal(sent.length, 2);
});
