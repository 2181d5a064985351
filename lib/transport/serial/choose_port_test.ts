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

Deno.test("choosePort: two boards is a user error listing both on one line and asking for --port", () => {
  assert.throws(() => choosePort([cp2102, ch340, serial]), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.kind, "user");
    assert.equal(e.code, "port/ambiguous");
    assert.equal(
      e.message,
      "2 serial ports look like ESP8266 boards: /dev/ttyUSB0 (CP210x, CP2102 USB to UART) = " +
        "/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00-port0, /dev/ttyUSB1 (CH340, CP2102 USB to UART)",
    );
    assert.match(e.hint ?? "", /--port/);
    assert.deepEqual(e.details, { ports: ["/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyS0"] });
    return true;
  });
});

Deno.test("choosePort: no likely port, or none at all, says what to check", () => {
  assert.throws(() => choosePort([serial]), {
    code: "port/ambiguous",
    kind: "user",
    message: "The only serial port found does not look like an ESP8266 board: /dev/ttyS0",
  });
  assert.throws(() => choosePort([serial, { ...serial, path: "/dev/ttyS5", name: "ttyS5" }]), {
    message: "None of the 2 serial ports found looks like an ESP8266 board: /dev/ttyS0, /dev/ttyS5",
  });
  assert.throws(() => choosePort([]), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "port/none-found");
    assert.match(e.hint ?? "", /cable/);
    assert.match(e.hint ?? "", /dialout/);
    return true;
  });
});
