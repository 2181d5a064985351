import assert from "node:assert/strict";
import { ManualClock, systemClock } from "./clock.ts";

Deno.test("ManualClock records sleeps and advances time without waiting", async () => {
  const clock = new ManualClock(10);
  await clock.sleep(5);
  clock.advance(100);
  await clock.sleep(-3);
  assert.equal(clock.now(), 115);
  assert.deepEqual(clock.sleeps, [5, -3]);
});

Deno.test("sleeping on an aborted signal rejects with its reason", async () => {
  const controller = new AbortController();
  controller.abort(new Error("stop"));
  await assert.rejects(new ManualClock().sleep(1, controller.signal), /stop/);
  await assert.rejects(systemClock().sleep(1, controller.signal), /stop/);
});

Deno.test("systemClock's sleep clears its timer when aborted midway", async () => {
  const controller = new AbortController();
  const sleeping = systemClock().sleep(60_000, controller.signal);
  controller.abort(new Error("cancelled"));
  // a leaked 60 s timer would fail the test's resource sanitizer
  await assert.rejects(sleeping, /cancelled/);
});
