import assert from "node:assert/strict";
import { checkBaudRate } from "./check_baud_rate.ts";

Deno.test("checkBaudRate: positive integers only", () => {
  for (const ok of [1, 300, 74880, 921600, 4_608_000]) assert.equal(checkBaudRate(ok), ok);
  for (const bad of [0, -9600, 9600.5, NaN, Infinity, 2 ** 31]) {
    assert.throws(() => checkBaudRate(bad), { code: "port/bad-baud", kind: "user" }, String(bad));
  }
});
