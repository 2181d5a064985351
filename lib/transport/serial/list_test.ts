import assert from "node:assert/strict";
import { fakeMachine, tree } from "../../../tests/support/fake_sysfs.ts";
import { findPort, listPorts } from "./list.ts";

Deno.test("listPorts: USB bridges with ids, strings, driver, stable names; platform ttyS skipped", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "nodeflash-sysfs-" }));
  try {
    const { sys, dev } = await fakeMachine(root);
    const ports = await listPorts({ sysfsRoot: sys, devRoot: dev, os: "linux" });
    assert.deepEqual(ports.map((p) => p.name), ["ttyACM0", "ttyACM1", "ttyS0", "ttyUSB0"]);
    const [acm0, acm1, s0, usb0] = ports;
    assert.deepEqual(usb0, {
      path: `${dev}/ttyUSB0`,
      name: "ttyUSB0",
      byId: [
        `${dev}/serial/by-id/usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0`,
      ],
      byPath: [`${dev}/serial/by-path/pci-0000:00:14.0-usb-0:1:1.0-port0`],
      subsystem: "usb-serial",
      driver: "cp210x",
      usb: {
        vid: "10c4",
        pid: "ea60",
        manufacturer: "Silicon Labs",
        product: "CP2102 USB to UART Bridge Controller",
        serialNumber: "0001",
      },
      location: "1-1:1.0",
      bridge: "CP210x",
      likelyEsp: true,
    });
    assert.deepEqual(acm0, {
      path: `${dev}/ttyACM0`,
      name: "ttyACM0",
      byId: [],
      byPath: [`${dev}/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0`],
      subsystem: "usb",
      driver: "cdc_acm",
      usb: { vid: "1a86", pid: "55d4", product: "USB Single Serial" },
      location: "1-2:1.0",
      bridge: "CH9102",
      likelyEsp: true,
    });
    assert.equal(acm1!.likelyEsp, false); // a Raspberry Pi Pico is no ESP8266
    assert.deepEqual(acm1!.usb, { vid: "2e8a", pid: "000a" });
    assert.deepEqual(s0, {
      path: `${dev}/ttyS0`,
      name: "ttyS0",
      byId: [],
      byPath: [],
      subsystem: "pnp",
      driver: "serial",
      likelyEsp: false,
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("listPorts: a tty without a /dev node or a missing sysfs is no port", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    const { sys, dev } = await fakeMachine(root);
    await Deno.remove(`${dev}/ttyUSB0`);
    const ports = await listPorts({ sysfsRoot: sys, devRoot: dev, os: "linux" });
    assert.equal(ports.some((p) => p.name === "ttyUSB0"), false);
    assert.deepEqual(
      await listPorts({ sysfsRoot: `${root}/nothing`, devRoot: dev, os: "linux" }),
      [],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("listPorts: macOS lists /dev/cu.* and guesses ESP bridges by name", async () => {
  const root = await Deno.makeTempDir();
  try {
    for (
      const name of [
        "cu.usbserial-0001",
        "cu.Bluetooth-Incoming-Port",
        "tty.usbserial-0001",
        "cu.wchusbserial1410",
        "cu.debug-console",
      ]
    ) {
      await Deno.writeTextFile(`${root}/${name}`, "");
    }
    const ports = await listPorts({ devRoot: root, os: "darwin" });
    assert.deepEqual(ports.map((p) => [p.name, p.likelyEsp]), [
      ["cu.usbserial-0001", true],
      ["cu.wchusbserial1410", true],
    ]);
    assert.deepEqual(await listPorts({ os: "windows" }), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("listPorts: sorts ttyUSB2 before ttyUSB10", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    for (const n of [10, 2]) {
      const dir = `sys/devices/virtual/x/usb/1-${n}/1-${n}:1.0/tty/ttyACM${n}`;
      await tree(root, { [`${dir}/dev`]: "", [`dev/ttyACM${n}`]: "" }, {
        [`sys/class/tty/ttyACM${n}`]:
          `../../devices/virtual/x/usb/1-${n}/1-${n}:1.0/tty/ttyACM${n}`,
        [`${dir}/device`]: `../../../1-${n}:1.0`,
      });
    }
    const ports = await listPorts({
      sysfsRoot: `${root}/sys`,
      devRoot: `${root}/dev`,
      os: "linux",
    });
    assert.deepEqual(ports.map((p) => p.name), ["ttyACM2", "ttyACM10"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("findPort: a by-id link leads to its port and USB ids", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    const { sys, dev } = await fakeMachine(root);
    const opts = { sysfsRoot: sys, devRoot: dev, os: "linux" };
    const link =
      `${dev}/serial/by-id/usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0`;
    const port = await findPort(link, opts);
    assert.equal(port?.name, "ttyUSB0");
    assert.equal(port?.usb?.vid, "10c4");
    assert.equal(await findPort(`${dev}/ttyNOPE`, opts), undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
