import assert from "node:assert/strict";
import { emitTransportEvent } from "./transport_event.ts";

Deno.test("emitTransportEvent: a throwing listener does not break the transport", () => {
  let calls = 0;
  emitTransportEvent(() => {
    calls++;
    throw new Error("renderer bug");
  }, { type: "notice", url: "x", message: "m" });
  assert.equal(calls, 1);
});
