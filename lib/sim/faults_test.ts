import assert from "node:assert/strict";
import { FAULT_NAMES, parseFaults, seededRandom } from "./faults.ts";

Deno.test("parseFaults: every item, with = or :, and an empty spec", () => {
  assert.deepEqual(
    parseFaults(
      "corrupt=0.001, drop:0.5,delay=20,disconnect=1000,unplug=5000,replug=700,brownout=3," +
        "brownout-every=40,noise=64,stuck-gpio0",
    ),
    {
      corrupt: 0.001,
      drop: 0.5,
      delayMs: 20,
      disconnectAfter: 1000,
      unplugAfter: 5000,
      replugMs: 700,
      brownoutAt: 3,
      brownoutEvery: 40,
      noise: 64,
      stuckGpio0: true,
    },
  );
  assert.deepEqual(parseFaults(""), {});
  assert.equal(FAULT_NAMES.length, 10);
});

Deno.test("parseFaults: bad items are user errors naming the item", () => {
  for (
    const bad of [
      "corrupt=2",
      "drop",
      "delay=1.5",
      "disconnect=-1",
      "unplug",
      "replug=0.5",
      "stuck-gpio0=1",
      "fire",
    ]
  ) {
    assert.throws(() => parseFaults(bad), (e: Error & { code?: string }) => {
      assert.equal(e.code, "sim/faults");
      assert.ok(e.message.includes(bad), e.message);
      return true;
    });
  }
});

Deno.test("seededRandom: the same seed repeats, another differs, values lie in [0, 1)", () => {
  const a = Array.from({ length: 100 }, seededRandom(42));
  const b = Array.from({ length: 100 }, seededRandom(42));
  const c = Array.from({ length: 100 }, seededRandom(43));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a.every((x) => x >= 0 && x < 1));
  assert.ok(new Set(a.map((x) => Math.floor(x * 10))).size >= 8, "spread over the range");
});
