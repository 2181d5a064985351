import assert from "node:assert/strict";
import { isNodeflashError } from "../../errors.ts";
import { choosePort } from "./choose_port.ts";
import type { PortInfo } from "./list.ts";

const cp2102: PortInfo = {
  path: "/dev/ttyUSB0",
  name: "ttyUSB0",
  byId: ["/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00-port0"],
  byPath: [],
  usb: { vid: "10c4", pid: "ea60", product: "CP2102 USB to UART" },
  bridge: "CP210x",
  likelyEsp: true,
};
const ch340: PortInfo = {
  ...cp2102,
  path: "/dev/ttyUSB1",
  name: "ttyUSB1",
  byId: [],
  bridge: "CH340",
};
const serial: PortInfo = {
  path: "/dev/ttyS0",
  name: "ttyS0",
  byId: [],
  byPath: [],
  likelyEsp: false,
};

Deno.test("choosePort: the only likely ESP port wins over other ports", () => {
  assert.equal(choosePort([serial, cp2102]), cp2102);
});

Deno.test("choosePort: two boards is a user error listing both and asking for --port", () => {
  assert.throws(() => choosePort([cp2102, ch340, serial]), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.kind, "user");
    assert.equal(e.code, "port/ambiguous");
    assert.match(
      e.message,
      /\/dev\/ttyUSB0 \(CP210x, CP2102 USB to UART\) = \/dev\/serial\/by-id\//,
    );
    assert.match(e.message, /\/dev\/ttyUSB1 \(CH340/);
    assert.match(e.hint ?? "", /--port/);
    assert.deepEqual(e.details, { ports: ["/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyS0"] });
    return true;
  });
});

Deno.test("choosePort: no likely port, or none at all, says what to check", () => {
  assert.throws(() => choosePort([serial]), { code: "port/ambiguous", kind: "user" });
  assert.throws(() => choosePort([]), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "port/none-found");
    assert.match(e.hint ?? "", /cable/);
    assert.match(e.hint ?? "", /dialout/);
    return true;
  });
});
