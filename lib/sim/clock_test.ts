import assert from "node:assert/strict";
import { InstantClock } from "./clock.ts";

Deno.test("InstantClock advances device time without waiting, ignoring bad values", async () => {
  const clock = new InstantClock();
  const before = performance.now();
  await clock.sleep(2_000_000);
  await clock.sleep(-5);
  await clock.sleep(Number.NaN);
  assert.equal(clock.now(), 2_000_000);
  assert.ok(performance.now() - before < 1000, "two simulated seconds took no real second");
});
