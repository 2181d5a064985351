import assert from "node:assert/strict";
import { Interrupt, type InterruptSources, listenForInterrupts } from "./interrupt.ts";

function fakeProcess() {
  const handlers = new Map<string, () => void>();
  const exits: number[] = [];
  const sources: InterruptSources = {
    listen: (s, h) => handlers.set(s, h),
    unlisten: (s, h) => handlers.get(s) === h && handlers.delete(s),
    exit: (code) => exits.push(code),
  };
  return { handlers, exits, sources, send: (s: string) => handlers.get(s)?.() };
}

Deno.test("interrupts: the first signal aborts the command and names itself; nothing exits yet", () => {
  const p = fakeProcess();
  const interrupts = listenForInterrupts(p.sources);
  p.send("SIGTERM");
  assert.equal(interrupts.signal.aborted, true);
  const reason = interrupts.signal.reason;
  assert.ok(reason instanceof Interrupt);
  assert.equal(reason.signal, "SIGTERM");
  assert.deepEqual(p.exits, []);
  interrupts.dispose();
});

Deno.test("interrupts: a second Ctrl-C ends the process at once (130; 143 for a second SIGTERM)", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    const p = fakeProcess();
    const interrupts = listenForInterrupts(p.sources);
    p.send(signal);
    p.send(signal);
    assert.deepEqual(p.exits, [code]);
    interrupts.dispose();
  }
});

Deno.test("interrupts: only the signals asked for (Windows has no SIGTERM), all let go at dispose", () => {
  const p = fakeProcess();
  const interrupts = listenForInterrupts(p.sources, { signals: ["SIGINT"] });
  assert.deepEqual([...p.handlers.keys()], ["SIGINT"]);
  interrupts.dispose();
  assert.equal(p.handlers.size, 0);
});
