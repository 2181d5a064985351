import assert from "node:assert/strict";
import { portBusy, portDisconnected, portNotFound, portPermission } from "./port_errors.ts";

Deno.test("port errors: messages name what failed on what; hints say what to do", () => {
  const none = portNotFound("/dev/ttyUSB0", []);
  assert.equal(none.kind, "device");
  assert.equal(none.message, "There is no serial port at /dev/ttyUSB0");
  assert.match(none.hint ?? "", /cable/);
  const perm = portPermission("/dev/ttyACM0", "uucp");
  assert.match(perm.hint ?? "", /sudo usermod -aG uucp \$USER/);
  assert.match(perm.hint ?? "", /log out and in/);
  assert.equal(portPermission("/dev/ttyACM0").details?.group, "dialout");
  const busy = portBusy("/dev/ttyUSB0", []);
  assert.equal(busy.message, "/dev/ttyUSB0 is in use by another program");
  assert.match(busy.hint ?? "", /ModemManager/);
  const two = portBusy("/dev/ttyUSB0", [{ pid: 1, name: "a" }, { pid: 2 }]);
  assert.equal(two.message, "/dev/ttyUSB0 is in use by process 1 (a), process 2");
  assert.equal(portDisconnected("x", "EIO").message, "The device on x went away (EIO)");
});
