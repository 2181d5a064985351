import assert from "node:assert/strict";
import { FaultInjector } from "./fault_injector.ts";
import type { FaultSpec } from "./faults.ts";

function injector(spec: FaultSpec, seed = 1) {
  const seen: string[] = [];
  const calls = { disconnect: 0, brownout: 0, unplug: [] as number[] };
  const faults = new FaultInjector(spec, seed, {
    injected: (fault) => seen.push(fault),
    disconnect: () => calls.disconnect++,
    unplug: (ms) => calls.unplug.push(ms),
    brownout: () => calls.brownout++,
  });
  return { faults, seen, calls };
}

Deno.test("drop: whole SLIP frames go, even split across chunks; bytes between frames stay", () => {
  const { faults, seen } = injector({ drop: 1 });
  const out = [
    ...faults.wire("to-board", new Uint8Array([0x41, 0xc0, 1, 2])),
    ...faults.wire("to-board", new Uint8Array([3, 0xc0, 0x42])),
  ];
  assert.deepEqual(out, [0x41, 0x42]);
  assert.deepEqual(seen, ["drop"]);
  const none = injector({ drop: 0 }).faults;
  assert.deepEqual(
    none.wire("to-host", new Uint8Array([0xc0, 1, 0xc0])),
    new Uint8Array([0xc0, 1, 0xc0]),
  );
});

Deno.test("corrupt: bits flip with the given probability, the same way for the same seed", () => {
  const data = new Uint8Array(1000).fill(0x55);
  const a = injector({ corrupt: 0.05 }, 7).faults.wire("to-host", data);
  const b = injector({ corrupt: 0.05 }, 7).faults.wire("to-host", data);
  const c = injector({ corrupt: 0.05 }, 8).faults.wire("to-host", data);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const flipped = a.filter((x) => x !== 0x55).length;
  assert.ok(flipped > 20 && flipped < 90, `${flipped} of 1000`);
  assert.ok(a.every((x) => x === 0x55 || [1, 2, 4, 8, 16, 32, 64, 128].includes(x ^ 0x55)));
});

Deno.test("disconnect: the link drops once, when the byte count is reached", () => {
  const { faults, calls } = injector({ disconnectAfter: 10 });
  assert.equal(faults.wire("to-board", new Uint8Array(6)).length, 6);
  assert.equal(faults.wire("to-host", new Uint8Array(6)).length, 0);
  assert.equal(faults.wire("to-host", new Uint8Array(6)).length, 6, "once only");
  assert.equal(calls.disconnect, 1);
});

Deno.test("brownout: the N-th program is cut in half, then nothing until power returns", async () => {
  const { faults, calls } = injector({ brownoutAt: 2 });
  const program = { kind: "program" as const, address: 0x1000, length: 256 };
  assert.equal(faults.flashGate(program), "proceed");
  assert.equal(faults.flashGate({ kind: "erase-sector", address: 0, length: 4096 }), "proceed");
  assert.equal(faults.flashGate(program), "half");
  assert.equal(faults.flashGate(program), "refuse");
  assert.equal(faults.flashGate({ kind: "erase-sector", address: 0, length: 4096 }), "refuse");
  await Promise.resolve();
  assert.equal(calls.brownout, 1);
  faults.powerRestored();
  assert.equal(faults.flashGate(program), "proceed", "once only");
});

Deno.test("noise and GPIO0: seeded noise bytes; the stuck line is reported", () => {
  const a = injector({ noise: 16, stuckGpio0: true }, 3).faults;
  const b = injector({ noise: 16 }, 3).faults;
  assert.equal(a.bootNoise().length, 16);
  assert.deepEqual(injector({ noise: 16 }, 3).faults.bootNoise(), b.bootNoise());
  assert.equal(a.gpio0StuckHigh, true);
  assert.equal(b.gpio0StuckHigh, false);
  assert.equal(injector({}).faults.active, false);
});

Deno.test("unplug: the cable goes once after N bytes, for the replug time asked", () => {
  const { faults, seen, calls } = injector({ unplugAfter: 10, replugMs: 300 });
  assert.deepEqual(faults.wire("to-board", new Uint8Array(6)), new Uint8Array(6));
  assert.deepEqual(faults.wire("to-host", new Uint8Array(6)), new Uint8Array(0));
  assert.deepEqual(faults.wire("to-host", new Uint8Array(6)), new Uint8Array(6), "once");
  assert.deepEqual(calls.unplug, [300]);
  assert.deepEqual(seen, ["unplug"]);
  assert.deepEqual(
    injector({ unplugAfter: 1 }).faults.wire("to-board", new Uint8Array(1)).length,
    0,
  );
});

Deno.test("brownout-every: every N-th page program after each power-up, again and again", async () => {
  const { faults, calls } = injector({ brownoutEvery: 3 });
  const program = { kind: "program" as const, address: 0, length: 256 };
  const gates = () => [1, 2, 3, 4].map(() => faults.flashGate(program));
  assert.deepEqual(gates(), ["proceed", "proceed", "half", "refuse"]);
  await Promise.resolve();
  assert.equal(calls.brownout, 1);
  faults.powerRestored();
  assert.deepEqual(gates(), ["proceed", "proceed", "half", "refuse"], "the count starts again");
  await Promise.resolve();
  assert.equal(calls.brownout, 2);
  assert.equal(faults.flashGate({ kind: "erase-sector", address: 0, length: 4096 }), "refuse");
});
