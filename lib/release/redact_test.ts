import assert from "node:assert/strict";
import { redact, REDACTED, redactedError } from "./redact.ts";

Deno.test("redact hides every occurrence of each secret and GitHub-shaped tokens", () => {
  const token = "ghp_" + "a1B2".repeat(9);
  assert.equal(redact(`x ${token} y ${token}`, []), `x ${REDACTED} y ${REDACTED}`);
  assert.equal(redact("pw=hunter22 again hunter22", ["hunter22"]), "pw=*** again ***");
  assert.equal(
    redact("github_pat_11ABCDEFG0123456789_abcdefghijklmnop", []),
    REDACTED,
  );
  assert.equal(redact("short ab", ["ab", ""]), "short ab", "tiny secrets are not redacted");
});

Deno.test("redactedError keeps name and message, drops attached objects and causes", () => {
  const secret = "tok-1234567";
  const original = Object.assign(new TypeError(`failed with ${secret}`), {
    request: { headers: { authorization: `token ${secret}` } },
    cause: new Error(secret),
  });
  const safe = redactedError(original, [secret]);
  assert.equal(safe.name, "TypeError");
  assert.equal(safe.message, "failed with ***");
  assert.equal(safe.cause, undefined);
  assert.ok(!Deno.inspect(safe, { depth: 10 }).includes(secret));
  assert.equal(redactedError(`plain ${secret}`, [secret]).message, "plain ***");
});
