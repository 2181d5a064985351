import assert from "node:assert/strict";
import { deviceError, isNodeflashError } from "../errors.ts";
import { rateLimitError, redactNodeflashError, releaseError } from "./release_error.ts";

const SECRET = "tok_abcdefgh12345";
const context = {
  host: "api.github.com",
  action: "looking up release 'v9' of o/r",
  subject: "Release 'v9' of o/r",
  secrets: [SECRET],
};

function http(status: number, message: string) {
  return Object.assign(new Error(`${message} - https://docs.github.com/rest`), {
    status,
    request: { headers: { authorization: `token ${SECRET}` } },
    response: { headers: {}, data: { message } },
  });
}

Deno.test("releaseError maps HTTP statuses to codes, kinds and hints", () => {
  const cases: Array<[number, string, "user" | "device", RegExp]> = [
    [401, "release/bad-credentials", "user", /rejected the token/],
    [403, "release/forbidden", "user", /refused access/],
    [404, "release/not-found", "user", /Release 'v9' of o\/r was not found on api\.github\.com/],
    [422, "release/http-error", "device", /answered HTTP 422/],
  ];
  for (const [status, code, kind, message] of cases) {
    const e = releaseError(http(status, "Nope"), context);
    assert.equal(e.code, code);
    assert.equal(e.kind, kind);
    assert.match(e.message, message);
    assert.ok((e.hint ?? "").length > 0);
    assert.deepEqual(e.details, { status });
  }
});

Deno.test("releaseError after transient failures says how many attempts were made", () => {
  const e = releaseError(http(502, "Bad Gateway"), context, {
    attempts: 4,
    failure: { kind: "transient", reason: "Bad Gateway", status: 502 },
  });
  assert.equal(e.code, "release/unavailable");
  assert.equal(e.kind, "device");
  assert.match(e.message, /\(4 attempts\): Bad Gateway/);
  const again = releaseError(deviceError("release/truncated", "ended early"), context, {
    attempts: 3,
  });
  assert.equal(again.code, "release/truncated");
  assert.match(again.message, /ended early \(after 3 attempts\)/);
});

Deno.test("no message, hint, detail or cause of a mapped error contains the token", () => {
  const leaky = [
    http(401, `Bad credentials for ${SECRET}`),
    new TypeError(`connect failed ${SECRET}`),
    deviceError("release/x", `oops ${SECRET}`, `hint ${SECRET}`, {
      cause: new Error(SECRET),
      details: { token: SECRET },
    }),
  ];
  for (const error of leaky) {
    const e = releaseError(error, context);
    assert.ok(isNodeflashError(e));
    const everything = Deno.inspect(e, { depth: 20 }) + e.message + (e.hint ?? "") +
      JSON.stringify(e.details) + String(e.stack);
    assert.ok(!everything.includes(SECRET), everything);
  }
});

Deno.test("rateLimitError says when the limit resets and how to get a higher one", () => {
  const now = Date.UTC(2030, 5, 1, 10, 0, 0);
  const e = rateLimitError(
    {
      kind: "rate-limit",
      reason: "API rate limit exceeded",
      waitMs: 0,
      resetAt: now + 42 * 60_000,
      limit: 60,
    },
    context,
    now,
  );
  assert.equal(e.code, "release/rate-limited");
  assert.equal(e.kind, "device");
  assert.match(e.message, /exhausted \(60 requests per hour\)/);
  assert.match(e.message, /resets at 2030-06-01T10:42:00Z \(in about 42 min\)/);
  assert.match(e.hint ?? "", /token/);
  const secondary = rateLimitError(
    {
      kind: "rate-limit",
      reason: "secondary",
      waitMs: 600_000,
      resetAt: undefined,
      limit: undefined,
    },
    context,
    now,
  );
  assert.match(secondary.message, /resets at 2030-06-01T10:10:00Z/);
});

Deno.test("redactNodeflashError keeps code and kind", () => {
  const e = redactNodeflashError(deviceError("release/y", `a ${SECRET}`), [SECRET]);
  assert.equal(e.code, "release/y");
  assert.equal(e.kind, "device");
  assert.equal(e.message, "a ***");
});
