/**
 * The interoperability suites can fail for want of their peers: with NODEFLASH_REQUIRE_INTEROP=1
 * (as .ci/run sets it) a missing esptool fails a suite; without it the suite skips, saying why.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function runSuite(env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "lib/image/esptool_interop_test.ts"],
    cwd: ROOT,
    env: { NO_COLOR: "1", NODEFLASH_ESPTOOL: "/nonexistent/esptool.py", ...env },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

Deno.test("interop suites: a missing esptool skips them, or fails them where they are required", async () => {
  const relaxed = await runSuite({ NODEFLASH_REQUIRE_INTEROP: "0" });
  assert.equal(relaxed.code, 0, relaxed.text);
  assert.match(relaxed.text, /skipped: esptool not found at \/nonexistent\/esptool\.py/);
  assert.match(relaxed.text, /0 passed.*[1-9]\d* ignored/);
  const required = await runSuite({ NODEFLASH_REQUIRE_INTEROP: "1" });
  assert.notEqual(required.code, 0, required.text);
  assert.match(required.text, /NODEFLASH_REQUIRE_INTEROP=1, but esptool not found/);
});
