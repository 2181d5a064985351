import assert from "node:assert/strict";
import { deviceError } from "../errors.ts";
import {
  classifyFailure,
  DEFAULT_RATE_LIMIT_WAIT_MS,
  httpStatusOf,
  serverMessageOf,
} from "./failure.ts";

function http(status: number, headers: Record<string, string> = {}, message = "boom") {
  return Object.assign(new Error(message), {
    status,
    response: { headers, data: { message } },
  });
}

Deno.test("classifyFailure: 5xx, 408, connection failures and short bodies are transient", () => {
  for (const status of [500, 502, 503, 504, 408]) {
    assert.equal(classifyFailure(http(status), 0).kind, "transient", String(status));
  }
  assert.equal(classifyFailure(new TypeError("connection reset"), 0).kind, "transient");
  for (const code of ["release/truncated", "release/size-mismatch", "release/connection-lost"]) {
    assert.equal(classifyFailure(deviceError(code, "x"), 0).kind, "transient", code);
  }
});

Deno.test("classifyFailure: 401, 404, plain 403, digest mismatch and aborts are final", () => {
  for (const status of [400, 401, 404, 410, 422]) {
    assert.equal(classifyFailure(http(status), 0).kind, "fatal", String(status));
  }
  assert.equal(
    classifyFailure(http(403, {}, "Resource not accessible by integration"), 0).kind,
    "fatal",
  );
  assert.equal(classifyFailure(deviceError("release/digest-mismatch", "x"), 0).kind, "fatal");
  assert.equal(classifyFailure(new DOMException("stop", "AbortError"), 0).kind, "fatal");
  assert.equal(classifyFailure("weird", 0).kind, "fatal");
});

Deno.test("classifyFailure: retry-after in seconds or as a date sets the wait", () => {
  const seconds = classifyFailure(http(403, { "retry-after": "42" }), 0);
  assert.deepEqual(seconds.kind === "rate-limit" && seconds.waitMs, 42_000);
  const now = Date.UTC(2030, 0, 1, 0, 0, 0);
  const date = classifyFailure(
    http(429, { "retry-after": new Date(now + 9_000).toUTCString() }),
    now,
  );
  assert.deepEqual(date.kind === "rate-limit" && date.waitMs, 9_000);
});

Deno.test("classifyFailure: an exhausted primary limit waits until x-ratelimit-reset", () => {
  const now = 1_700_000_000_000;
  const failure = classifyFailure(
    http(403, {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(now / 1000 + 120),
      "x-ratelimit-limit": "60",
    }, "API rate limit exceeded for 1.2.3.4."),
    now,
  );
  assert.equal(failure.kind, "rate-limit");
  if (failure.kind !== "rate-limit") return;
  assert.equal(failure.waitMs, 121_000);
  assert.equal(failure.resetAt, now + 120_000);
  assert.equal(failure.limit, 60);
});

Deno.test("classifyFailure: 429 or a rate-limit message without headers waits a minute", () => {
  const bare429 = classifyFailure(http(429), 0);
  assert.deepEqual(bare429.kind === "rate-limit" && bare429.waitMs, DEFAULT_RATE_LIMIT_WAIT_MS);
  const secondary = classifyFailure(http(403, {}, "You have exceeded a secondary rate limit"), 0);
  assert.equal(secondary.kind, "rate-limit");
  const remainingLeft = classifyFailure(
    http(403, { "x-ratelimit-remaining": "12", "x-ratelimit-reset": "1" }, "Forbidden"),
    0,
  );
  assert.equal(remainingLeft.kind, "fatal", "a 403 with quota left is not a rate limit");
});

Deno.test("httpStatusOf and serverMessageOf read HTTP-shaped errors", () => {
  assert.equal(httpStatusOf(http(418)), 418);
  assert.equal(httpStatusOf({ status: "418" }), undefined);
  assert.equal(serverMessageOf(http(404, {}, "Not Found")), "Not Found");
  const wrapped = new TypeError("fetch failed", { cause: new Error("ECONNRESET") });
  assert.equal(serverMessageOf(wrapped), "fetch failed: ECONNRESET");
  assert.equal(serverMessageOf(42), "42");
});
