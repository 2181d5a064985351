import assert from "node:assert/strict";
import { TelnetOptions } from "./telnet_options.ts";

Deno.test("telnet options: answers to our requests settle without replies (no loops)", () => {
  const o = new TelnetOptions({ local: [0, 44], remote: [0] });
  assert.deepEqual([...o.request()], [255, 251, 0, 255, 251, 44, 255, 253, 0]);
  assert.deepEqual(o.receive("DO", 0), { settled: { side: "local", option: 0, enabled: true } });
  assert.deepEqual(o.receive("DO", 0), {}, "a repeated DO changes nothing");
  assert.deepEqual(o.receive("DONT", 44), {
    settled: { side: "local", option: 44, enabled: false },
  });
  assert.deepEqual(o.receive("WILL", 0), { settled: { side: "remote", option: 0, enabled: true } });
  assert.equal(o.enabled("local", 0), true);
  assert.equal(o.enabled("local", 44), false);
});

Deno.test("telnet options: server proposals are accepted or refused", () => {
  const o = new TelnetOptions({ local: [3], remote: [3] });
  // Unsupported: ECHO from the server would echo our bytes back; refuse both ways.
  assert.deepEqual(o.receive("WILL", 1), { reply: new Uint8Array([255, 254, 1]) });
  assert.deepEqual(o.receive("DO", 24), { reply: new Uint8Array([255, 252, 24]) });
  // Supported but not requested yet: agree.
  assert.deepEqual(o.receive("DO", 3), {
    reply: new Uint8Array([255, 251, 3]),
    settled: { side: "local", option: 3, enabled: true },
  });
  // Turning an enabled option off is acknowledged once.
  assert.deepEqual(o.receive("DONT", 3), {
    reply: new Uint8Array([255, 252, 3]),
    settled: { side: "local", option: 3, enabled: false },
  });
  assert.deepEqual(o.receive("DONT", 3), {});
});
