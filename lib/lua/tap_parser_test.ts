import assert from "node:assert/strict";
import { parseTap, sourceLocation, tapComplete } from "./tap_parser.ts";

Deno.test("plain TAP: plan first, descriptions with and without a dash, SKIP and TODO", () => {
  const r = parseTap(
    "1..4\nok 1 - adds\nnot ok 2 subtracts # t.lua:9: 1 ~= 2\nok 3 - wifi # SKIP no AP\n" +
      "not ok 4 - later # TODO not written\n",
  );
  assert.equal(r.form, "plain");
  assert.deepEqual(
    r.results.map((t) => [t.n, t.name, t.status]),
    [[1, "adds", "pass"], [2, "subtracts", "fail"], [3, "wifi", "skip"], [4, "later", "skip"]],
  );
  assert.equal(r.results[1]?.message, "t.lua:9: 1 ~= 2");
  assert.deepEqual(r.plan, { count: 4, first: true });
  assert.equal(tapComplete(r), true);
});

Deno.test("NTest's TAP lines: only the prefixed lines count; a bail-out ends the run", () => {
  const r = parseTap(
    "\nTAP: # STARTUP gpio\nok 1 printed by the program\nTAP: ok 1 reads pin # \n" +
      "TAP: not ok 2 writes # exn; boom: gpio.lua:4: bad pin\nTAP: Bail out! 3 reset # exn; x: y\n",
  );
  assert.equal(r.form, "ntest");
  assert.equal(r.results.length, 2);
  assert.equal(r.results[1]?.message, "exn; boom: gpio.lua:4: bad pin");
  assert.equal(r.bailOut, "3 reset # exn; x: y");
  assert.equal(tapComplete(r), true);
  assert.deepEqual(sourceLocation(r.results[1]!.message), { file: "gpio.lua", line: 4 });
});

Deno.test("not complete until the plan says so; no TAP at all is 'none'", () => {
  assert.equal(tapComplete(parseTap("TAP: # STARTUP x\nTAP: ok 1 a # \n")), false);
  assert.equal(tapComplete(parseTap("TAP: ok 1 a # \nTAP: POST 1..1\n")), true);
  assert.equal(parseTap("hello\nworld\n").form, "none");
  assert.equal(sourceLocation("no location here"), undefined);
});
