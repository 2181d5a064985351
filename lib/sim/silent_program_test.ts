import assert from "node:assert/strict";
import { SilentProgram } from "./silent_program.ts";

Deno.test("SilentProgram counts what it ignores and is always idle", async () => {
  const p = new SilentProgram("app");
  p.receive(new Uint8Array(3));
  p.receive(new Uint8Array(2));
  await p.idle();
  p.stop();
  assert.deepEqual([p.state, p.received], ["app", 5]);
});
