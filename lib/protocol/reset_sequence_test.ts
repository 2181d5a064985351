import assert from "node:assert/strict";
import {
  classicReset,
  HARD_RESET,
  parseResetSequence,
  runResetSequence,
  tightReset,
} from "./reset_sequence.ts";
import type { Signals } from "../transport/types.ts";

Deno.test("parse: D, R, U and W steps, case-insensitive, seconds to ms", () => {
  assert.deepEqual(parseResetSequence("d1|R0|U1,0|W0.55|w2"), [
    { kind: "set", dtr: true },
    { kind: "set", rts: false },
    { kind: "set", dtr: true, rts: false },
    { kind: "wait", ms: 550 },
    { kind: "wait", ms: 2000 },
  ]);
});

Deno.test("parse: every malformed step is named with its position", () => {
  for (
    const [text, step] of [
      ["D0|D2", "step 2"],
      ["R1|W|R0", "step 2"],
      ["U1|R0", "step 1"],
      ["W-1", "step 1"],
      ["W100", "step 1"], // esptool-js writes ms; ours is seconds: 100 s is refused
      ["D0||R1", "step 2"],
    ]
  ) {
    assert.throws(() => parseResetSequence(text!), (e: Error) => e.message.includes(step!), text);
  }
  assert.throws(() => parseResetSequence(""), /empty/);
});

async function record(sequence: string) {
  const log: Array<Signals | number> = [];
  await runResetSequence(
    {
      setSignals: (s) => {
        log.push({ ...s });
        return Promise.resolve();
      },
    },
    sequence,
    {
      sleep: (ms) => {
        log.push(ms);
        return Promise.resolve();
      },
    },
  );
  return log;
}

Deno.test("run: classic reset drives the documented line states and waits", async () => {
  assert.deepEqual(await record(classicReset(0.05)), [
    { dtr: false, rts: false },
    { dtr: false, rts: true },
    100,
    { dtr: true, rts: true },
    { dtr: true, rts: false },
    50,
    { dtr: false, rts: false },
  ]);
});

Deno.test("run: tight reset never has EN released with GPIO0 released mid-sequence", async () => {
  const states = (await record(tightReset(0.55))).filter((x): x is Signals =>
    typeof x !== "number"
  );
  // NodeMCU circuit: EN low iff RTS && !DTR; GPIO0 low iff DTR && !RTS
  const en = states.map((s) => !(s.rts && !s.dtr));
  const gpio0 = states.map((s) => !(s.dtr && !s.rts));
  const resetIndex = en.indexOf(false);
  const releaseIndex = en.indexOf(true, resetIndex);
  assert.ok(resetIndex >= 0 && releaseIndex > resetIndex);
  assert.equal(gpio0[releaseIndex], false, "GPIO0 is low when EN rises");
});

Deno.test("run: hard reset pulses RTS with DTR released", async () => {
  assert.deepEqual(await record(HARD_RESET), [
    { dtr: false, rts: false },
    { dtr: false, rts: true },
    100,
    { dtr: false, rts: false },
  ]);
});
