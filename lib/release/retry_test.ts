import assert from "node:assert/strict";
import { deviceError, isNodeflashError } from "../errors.ts";
import { ManualClock } from "./clock.ts";
import { withRetry } from "./retry.ts";
import type { ReleaseEvent } from "./types.ts";

const SECRET = "tok_0123456789abc";
const context = { host: "api.test", action: "testing", subject: "Thing", secrets: [SECRET] };

function http(status: number, headers: Record<string, string> = {}, message = "failed") {
  return Object.assign(new Error(message), { status, response: { headers, data: { message } } });
}

function failing(errors: unknown[], value = "done") {
  let calls = 0;
  const operation = () => {
    const error = errors[calls++];
    return error === undefined ? Promise.resolve(value) : Promise.reject(error);
  };
  return { operation, calls: () => calls };
}

Deno.test("withRetry backs off exponentially on transient failures, then succeeds", async () => {
  const clock = new ManualClock();
  const events: ReleaseEvent[] = [];
  const { operation, calls } = failing([http(502), new TypeError("reset"), http(503)]);
  const value = await withRetry(operation, {
    clock,
    context,
    onEvent: (e) => events.push(e),
    policy: { attempts: 5, baseDelayMs: 100, maxDelayMs: 250 },
  });
  assert.equal(value, "done");
  assert.equal(calls(), 4);
  assert.deepEqual(clock.sleeps, [100, 200, 250]);
  assert.deepEqual(events.map((e) => e.type === "retry" && e.attempt), [1, 2, 3]);
});

Deno.test("withRetry gives up after the last attempt with a device error", async () => {
  const clock = new ManualClock();
  const { operation, calls } = failing([http(500), http(500), http(500)]);
  await assert.rejects(withRetry(operation, { clock, context, policy: { attempts: 3 } }), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "release/unavailable");
    assert.match(e.message, /3 attempts/);
    return true;
  });
  assert.equal(calls(), 3);
  assert.equal(clock.sleeps.length, 2);
});

Deno.test("withRetry does not retry final failures", async () => {
  const clock = new ManualClock();
  const { operation, calls } = failing([http(404), "never"]);
  await assert.rejects(withRetry(operation, { clock, context }), { code: "release/not-found" });
  assert.equal(calls(), 1);
  const digest = failing([deviceError("release/digest-mismatch", "bad")]);
  await assert.rejects(withRetry(digest.operation, { clock, context }), {
    code: "release/digest-mismatch",
  });
  assert.equal(digest.calls(), 1);
  assert.deepEqual(clock.sleeps, []);
});

Deno.test("withRetry honours retry-after on a 403 with the injected clock", async () => {
  const clock = new ManualClock();
  const { operation } = failing([http(403, { "retry-after": "7" }, "secondary rate limit")]);
  assert.equal(await withRetry(operation, { clock, context }), "done");
  assert.deepEqual(clock.sleeps, [7_000]);
});

Deno.test("withRetry waits for x-ratelimit-reset when it is near", async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const reset = String(1_700_000_000 + 30);
  const { operation } = failing([
    http(429, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }),
  ]);
  assert.equal(await withRetry(operation, { clock, context }), "done");
  assert.deepEqual(clock.sleeps, [31_000]);
});

Deno.test("an exhausted rate limit that resets too late fails at once, saying when", async () => {
  const start = Date.UTC(2030, 0, 1, 12, 0, 0);
  const clock = new ManualClock(start);
  const reset = String(start / 1000 + 3_000);
  const { operation, calls } = failing([
    http(403, {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": reset,
      "x-ratelimit-limit": "60",
    }, `API rate limit exceeded (${SECRET})`),
  ]);
  await assert.rejects(withRetry(operation, { clock, context }), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "release/rate-limited");
    assert.match(e.message, /resets at 2030-01-01T12:50:00Z/);
    assert.ok(!Deno.inspect(e, { depth: 10 }).includes(SECRET));
    return true;
  });
  assert.equal(calls(), 1);
  assert.deepEqual(clock.sleeps, []);
});

Deno.test("repeated rate limits end with the rate-limit error after the last attempt", async () => {
  const clock = new ManualClock();
  const limited = () => http(403, { "retry-after": "1" }, "secondary rate limit");
  const { operation } = failing([limited(), limited(), limited()]);
  await assert.rejects(withRetry(operation, { clock, context, policy: { attempts: 3 } }), {
    code: "release/rate-limited",
  });
  assert.deepEqual(clock.sleeps, [1_000, 1_000]);
});

Deno.test("retry events carry redacted reasons", async () => {
  const events: ReleaseEvent[] = [];
  const { operation } = failing([http(500, {}, `upstream said ${SECRET}`)]);
  await withRetry(operation, { clock: new ManualClock(), context, onEvent: (e) => events.push(e) });
  assert.equal(events.length, 1);
  assert.ok(!JSON.stringify(events).includes(SECRET));
  assert.match(JSON.stringify(events), /upstream said \*\*\*/);
});

Deno.test("an aborted signal stops retrying with the abort reason", async () => {
  const controller = new AbortController();
  let calls = 0;
  const operation = () => {
    calls++;
    controller.abort(new Error("user cancelled"));
    return Promise.reject(http(500));
  };
  await assert.rejects(
    withRetry(operation, { clock: new ManualClock(), context, signal: controller.signal }),
    /user cancelled/,
  );
  assert.equal(calls, 1);
});
