import assert from "node:assert/strict";
import { LEGACY_STUB, NEW_STUB, stubDialect } from "./stub_dialect.ts";

Deno.test("the two stub families differ where docs/protocol.md says they do", () => {
  assert.equal(stubDialect("legacy"), LEGACY_STUB);
  assert.equal(stubDialect("esp-flasher-stub"), NEW_STUB);
  assert.deepEqual([LEGACY_STUB.unknownCommand, NEW_STUB.unknownCommand], [0xff, 0xc3]);
  assert.deepEqual([LEGACY_STUB.deferredErrors, NEW_STUB.deferredErrors], [
    "sticky",
    "next-command",
  ]);
  assert.deepEqual([LEGACY_STUB.flashBeginLengths, NEW_STUB.flashBeginLengths], [[16], [16, 20]]);
  assert.deepEqual([LEGACY_STUB.flashEndReboots, NEW_STUB.flashEndReboots], [true, false]);
});
