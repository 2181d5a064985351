import assert from "node:assert/strict";
import { RX_RING_BYTES, RxRing } from "./nodemcu_rx.ts";

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

Deno.test("RxRing: bytes arrive one byte time apart, ending at the write's arrival", () => {
  const ring = new RxRing();
  ring.push(bytes(3), { modelUs: 1000, realMs: 50 }, 100);
  assert.deepEqual(ring.nextArrival, { modelUs: 800, realMs: 49.8 });
  ring.advance((at) => at.modelUs <= 900);
  assert.equal(ring.available, 2);
  assert.deepEqual([ring.take(), ring.take(), ring.take()], [0, 1, undefined]);
  ring.advance((at) => at.modelUs <= 1000);
  assert.equal(ring.take(), 2);
  assert.equal(ring.nextArrival, undefined);
});

Deno.test("RxRing: a full ring overwrites its oldest byte; taking in time loses nothing", () => {
  const ring = new RxRing();
  ring.push(bytes(RX_RING_BYTES + 10), { modelUs: 10_000 }, 10);
  ring.advance(() => true);
  assert.equal(ring.dropped, 10);
  assert.equal(ring.available, RX_RING_BYTES);
  assert.equal(ring.take(), 10);
  const paced = new RxRing();
  paced.push(bytes(1000), { modelUs: 10_000 }, 10);
  let got = 0;
  for (let t = 0; t <= 10_000; t += 100) {
    paced.advance((at) => at.modelUs <= t);
    while (paced.take() !== undefined) got++;
  }
  assert.deepEqual([got, paced.dropped], [1000, 0]);
  paced.push(bytes(5), { modelUs: 20_000 }, 10);
  paced.clear();
  assert.equal(paced.nextArrival, undefined);
});
