import assert from "node:assert/strict";
import { ResetCircuit, type ResetWiring } from "./reset_circuit.ts";

/** A circuit on a fake clock; `run` plays a reset sequence with its waits. */
function bench(wiring: ResetWiring = "devkit", extra: { gpio0StuckHigh?: boolean } = {}) {
  let t = 0;
  let timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const seen: string[] = [];
  const circuit = new ResetCircuit({
    wiring,
    rcDelayMs: 100,
    ...extra,
    now: () => t,
    schedule: (ms, fn) => {
      const timer = { at: t + ms, fn, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
    onHold: () => seen.push("hold"),
    onRelease: (s) => seen.push(s.gpio0Low ? "download" : "flash"),
  });
  /** Lets time pass, firing due timers (late by `lateMs` when given). */
  const advance = (ms: number, lateMs = 0) => {
    const end = t + ms;
    while (true) {
      const due = timers.filter((x) => x.live && x.at + lateMs <= end).sort((a, b) => a.at - b.at);
      const next = due[0];
      if (next === undefined) break;
      t = Math.max(t, next.at + lateMs);
      next.live = false;
      next.fn();
    }
    timers = timers.filter((x) => x.live);
    t = end;
  };
  /** Plays `D0|R1|W0.1|...` steps; `gapMs` passes between line changes (pyserial's ack wait). */
  const run = (sequence: string, gapMs = 0, lateMs = 0) => {
    let lines = { dtr: false, rts: false };
    for (const step of sequence.split("|")) {
      if (step.startsWith("W")) {
        advance(Number(step.slice(1)) * 1000, lateMs);
        continue;
      }
      if (step.startsWith("U")) {
        const [d, r] = step.slice(1).split(",");
        lines = { dtr: d === "1", rts: r === "1" };
      } else if (step.startsWith("D")) lines = { ...lines, dtr: step === "D1" };
      else lines = { ...lines, rts: step === "R1" };
      circuit.setLines(lines);
      advance(gapMs, lateMs);
    }
    advance(1000, lateMs);
  };
  return { circuit, seen, run, advance };
}

const CLASSIC = "D0|R1|W0.1|D1|R0|W0.05|D0";
const TIGHT = "U0,0|U1,1|U0,1|W0.1|U1,0|W0.05|U0,0|D0";

Deno.test("devkit: the classic and tight sequences (50 and 550 ms) enter download mode from a local port", () => {
  for (
    const sequence of [
      CLASSIC,
      CLASSIC.replace("W0.05", "W0.55"),
      TIGHT,
      TIGHT.replace("W0.05", "W0.55"),
    ]
  ) {
    const b = bench();
    b.run(sequence);
    assert.deepEqual(b.seen, ["hold", "download"], sequence);
  }
});

Deno.test("devkit: pyserial's RFC 2217 classic reset (each line change ~50 ms apart) enters download mode too", () => {
  const b = bench();
  // esptool's ClassicReset re-writes DTR after every RTS write; pyserial waits ~50 ms per change.
  b.run("D0|R1|D0|W0.1|D1|R0|D1|W0.05|D0", 50);
  assert.deepEqual(b.seen, ["hold", "download"]);
});

Deno.test("devkit: a hard reset (RTS pulse, DTR released) boots from flash; both lines asserted do nothing", () => {
  const b = bench();
  b.run("D0|R1|W0.1|R0");
  assert.deepEqual(b.seen, ["hold", "flash"]);
  const quiet = bench();
  quiet.run("U1,1|W0.2|U0,0|W0.2|D1|W0.2|D0");
  assert.deepEqual(quiet.seen, [], "no reset without EN low");
});

Deno.test("devkit: EN falling again while it charges keeps the chip in reset; GPIO0 released too soon boots from flash", () => {
  const b = bench();
  b.run("R1|W0.1|R0|W0.05|R1|W0.1|R0");
  assert.deepEqual(b.seen, ["hold", "flash"], "one release, after the last rise");
  const early = bench();
  // GPIO0 held low only while EN is low (FLASH let go before EN rises) does not count.
  early.circuit.flashButton("down");
  early.circuit.setLines({ dtr: false, rts: true });
  early.advance(100);
  early.circuit.flashButton("up");
  early.circuit.setLines({ dtr: false, rts: false });
  early.advance(200);
  assert.deepEqual(early.seen, ["hold", "flash"]);
});

Deno.test("devkit: a late timer does not change the decision, and a line change after the deadline comes after the release", () => {
  const b = bench();
  b.run(CLASSIC, 0, 80);
  assert.deepEqual(b.seen, ["hold", "download"]);
  const c = bench();
  c.run("D0|R1|W0.1|R0|W0.15|D1|R1|W0.1|D0|R0", 0, 500);
  assert.deepEqual(c.seen, ["hold", "flash", "hold", "flash"]);
});

Deno.test("manual wiring: the lines reach nothing; the buttons do; released() waits for the RC delay", async () => {
  const b = bench("manual");
  b.run(CLASSIC);
  assert.deepEqual(b.seen, []);
  b.circuit.flashButton("down");
  b.circuit.resetButton("down");
  assert.equal(b.circuit.held, true);
  b.circuit.resetButton("up");
  let done = false;
  const wait = b.circuit.released().then(() => (done = true));
  await Promise.resolve();
  assert.equal(done, false);
  b.advance(100);
  await wait;
  b.circuit.flashButton("up");
  assert.deepEqual(b.seen, ["hold", "download"]);
});

Deno.test("a stuck-high GPIO0 never enters download mode; power-up releases the lines and starts at once", () => {
  const b = bench("devkit", { gpio0StuckHigh: true });
  b.run(TIGHT);
  b.circuit.flashButton("down");
  b.circuit.resetButton("down");
  b.circuit.resetButton("up");
  b.advance(200);
  assert.deepEqual(b.seen, ["hold", "flash", "hold", "flash"]);
  const p = bench();
  p.circuit.setLines({ dtr: true, rts: false });
  assert.equal(p.circuit.gpio0Low, true);
  assert.equal(
    p.circuit.powerUp(),
    false,
    "a replugged cable: lines released, devkit boots its firmware",
  );
  p.circuit.flashButton("down");
  assert.equal(p.circuit.powerUp(), true, "FLASH held at power-up");
});
