import assert from "node:assert/strict";
import type { PortInfo } from "../mod.ts";
import { findPorts } from "./find_ports.ts";

const port = (path: string, likelyEsp: boolean, usb?: { vid: string; pid: string }): PortInfo => ({
  path,
  name: path.slice(5),
  byId: [],
  byPath: [],
  likelyEsp,
  ...(usb ? { usb } : {}),
});

Deno.test("ports: auto keeps the ports with an ESP board's USB bridge", async () => {
  const list = () =>
    Promise.resolve([
      port("/dev/ttyACM0", false, { vid: "2341", pid: "0043" }),
      port("/dev/ttyUSB0", true, { vid: "1a86", pid: "7523" }),
      port("/dev/ttyUSB1", true, { vid: "10c4", pid: "ea60" }),
    ]);
  assert.deepEqual(await findPorts({ kind: "auto" }, { list }), ["/dev/ttyUSB0", "/dev/ttyUSB1"]);
});

Deno.test("ports: auto without a board fails, naming the input and the ports it saw", async () => {
  const list = () => Promise.resolve([port("/dev/ttyACM0", false, { vid: "2341", pid: "0043" })]);
  await assert.rejects(
    findPorts({ kind: "auto" }, { list }),
    (e: Error & { code: string; hint: string }) => {
      assert.equal(e.code, "input/ports");
      assert.match(e.message, /^input 'ports': auto found no serial port/);
      assert.match(e.message, /\/dev\/ttyACM0 \(2341:0043\)/);
      assert.match(e.hint, /dialout/);
      return true;
    },
  );
  await assert.rejects(
    findPorts({ kind: "auto" }, { list: () => Promise.resolve([]) }),
    /no serial port at all/,
  );
});

Deno.test("ports: a list is kept as given when every board is different", async () => {
  const ports = [
    "/dev/nodemcu-a",
    "/dev/nodemcu-b",
    "rfc2217://lab:4000",
    "rfc2217://lab:4001",
    "sim://",
    "sim://?seed=2",
  ];
  const realPath = (p: string) =>
    Promise.resolve(p.replace("nodemcu-a", "ttyUSB0").replace("nodemcu-b", "ttyUSB1"));
  assert.deepEqual(await findPorts({ kind: "list", ports }, { realPath }), ports);
});

Deno.test("ports: one device under two names is refused", async () => {
  const realPath = (p: string) => Promise.resolve(p === "/dev/nodemcu-a" ? "/dev/ttyUSB0" : p);
  await assert.rejects(
    findPorts({ kind: "list", ports: ["/dev/nodemcu-a", "/dev/ttyUSB0"] }, { realPath }),
    /input 'ports': \/dev\/nodemcu-a and \/dev\/ttyUSB0 are the same board \(\/dev\/ttyUSB0\)/,
  );
  await assert.rejects(findPorts({ kind: "list", ports: ["COM3", "com3"] }), /same board/);
  await assert.rejects(
    findPorts({
      kind: "list",
      ports: ["rfc2217://LAB:4000", "rfc2217://lab:4000?ign_set_control"],
    }),
    /same board \(lab:4000\)/,
  );
});

Deno.test("ports: a path that does not resolve is left for the open to report", async () => {
  const realPath = () => Promise.reject(new Deno.errors.NotFound("gone"));
  assert.deepEqual(await findPorts({ kind: "list", ports: ["/dev/gone"] }, { realPath }), [
    "/dev/gone",
  ]);
});
