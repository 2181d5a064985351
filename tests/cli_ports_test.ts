/**
 * Port discovery through the CLI, on a fake sysfs and `/dev` (tests/support/fake_sysfs.ts)
 * given by `NODEFLASH_SYSFS_ROOT` and `NODEFLASH_DEV_ROOT`: `nodeflash ports` in words and in
 * JSON, and a command without `--port` using the only likely ESP port (here a fake ttyUSB0 that
 * leads to a simulated board's pty) or refusing, in one line, to guess between two.
 */

import assert from "node:assert/strict";
import { startSimServer } from "../lib/sim/mod.ts";
import { fakeMachine } from "./support/fake_sysfs.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const linux = Deno.build.os === "linux";
const CP2102_BY_ID = "usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0";
const CP2102_BY_PATH = "pci-0000:00:14.0-usb-0:1:1.0-port0";
const CH9102_BY_PATH = "pci-0000:00:14.0-usb-0:2:1.0";

/** Runs `fn` on the fake machine, with the environment that points discovery at it. */
async function onFakeMachine(
  fn: (paths: { sys: string; dev: string; env: Record<string, string> }) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const { sys, dev } = await fakeMachine(await Deno.realPath(dir));
    await fn({ sys, dev, env: { NODEFLASH_SYSFS_ROOT: sys, NODEFLASH_DEV_ROOT: dev } });
  });
}

Deno.test({
  name: "cli ports: lists the fake machine's ports with their bridges and stable names",
  ignore: !linux,
  async fn() {
    await onFakeMachine(async ({ dev, env }) => {
      const run = await runCli(["ports"], env);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(
        run.stdout,
        [
          `${dev}/ttyACM0 [CH9102, likely an ESP board] USB 1a86:55d4 USB Single Serial`,
          `  ${dev}/serial/by-path/${CH9102_BY_PATH}`,
          `${dev}/ttyACM1 USB 2e8a:000a`,
          `${dev}/ttyS0`,
          `${dev}/ttyUSB0 [CP210x, likely an ESP board] USB 10c4:ea60 Silicon Labs ` +
          "CP2102 USB to UART Bridge Controller serial 0001",
          `  ${dev}/serial/by-id/${CP2102_BY_ID}`,
          `  ${dev}/serial/by-path/${CP2102_BY_PATH}`,
          "",
        ].join("\n"),
      );
    });
  },
});

Deno.test({
  name: "cli ports --json: only JSON on stdout, ending with a result listing the ports",
  ignore: !linux,
  async fn() {
    await onFakeMachine(async ({ dev, env }) => {
      const run = await runCli(["ports", "--json"], env);
      assert.equal(run.code, 0, run.stderr);
      const events = run.json();
      const result = events.at(-1)!;
      assert.equal(result.type, "result");
      assert.equal(result.ok, true);
      const ports = result.ports as Array<Record<string, unknown>>;
      assert.deepEqual(
        ports.map((p) => [p.path, p.bridge ?? null, p.likelyEsp]),
        [
          [`${dev}/ttyACM0`, "CH9102", true],
          [`${dev}/ttyACM1`, null, false],
          [`${dev}/ttyS0`, null, false],
          [`${dev}/ttyUSB0`, "CP210x", true],
        ],
      );
      assert.deepEqual(ports[3]!.byId, [`${dev}/serial/by-id/${CP2102_BY_ID}`]);
      assert.deepEqual(ports[3]!.usb, {
        vid: "10c4",
        pid: "ea60",
        manufacturer: "Silicon Labs",
        product: "CP2102 USB to UART Bridge Controller",
        serialNumber: "0001",
      });
    });
  },
});

Deno.test("cli ports: roots that hold no ports say where they looked", async () => {
  await withTempDir(async (dir) => {
    const run = await runCli(["ports"], { NODEFLASH_SYSFS_ROOT: `${dir}/sys` });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      "No serial ports found. Check the USB cable (some are charge-only) and the driver. " +
        `(Looked under NODEFLASH_SYSFS_ROOT=${dir}/sys.)\n`,
    );
  });
});

Deno.test({
  name: "cli: without --port, the only likely ESP port is used",
  ignore: !linux,
  async fn() {
    const server = await startSimServer({ kind: "pty", boardOptions: { flashSize: "1MB" } });
    try {
      await onFakeMachine(async ({ sys, dev, env }) => {
        // the CH9102 board is unplugged; the CP2102's node leads to the simulated board
        await Deno.remove(`${sys}/class/tty/ttyACM0`);
        await Deno.remove(`${dev}/ttyUSB0`);
        await Deno.symlink(server.url, `${dev}/ttyUSB0`);
        const run = await runCli(["info"], env);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(
          run.stderr.split("\n")[0],
          `Using ${dev}/ttyUSB0 (the only ESP-like serial port found)`,
        );
        assert.match(run.stdout, /ESP8266EX/);
        // NODEFLASH_PORT (like --port) skips discovery
        const named = await runCli(["info"], { ...env, NODEFLASH_PORT: server.url });
        assert.equal(named.code, 0, named.stderr);
        assert.ok(!named.stderr.includes("Using "), named.stderr);
      });
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "cli: without --port and two likely ESP ports, a one-line error lists both",
  ignore: !linux,
  async fn() {
    await onFakeMachine(async ({ dev, env }) => {
      const run = await runCli(["info"], env);
      assert.equal(run.code, 2);
      assert.equal(
        run.stderr,
        "error: 2 serial ports look like ESP8266 boards: " +
          `${dev}/ttyACM0 (CH9102, USB Single Serial) = ${dev}/serial/by-path/${CH9102_BY_PATH}, ` +
          `${dev}/ttyUSB0 (CP210x, CP2102 USB to UART Bridge Controller) = ` +
          `${dev}/serial/by-id/${CP2102_BY_ID}\n` +
          "hint: Pass the board's port with --port (a /dev/serial/by-id or by-path name stays " +
          "stable).\n",
      );
      const json = await runCli(["info", "--json"], env);
      const result = json.json().at(-1)!;
      assert.equal(result.ok, false);
      assert.deepEqual(result.error, {
        code: "port/ambiguous",
        kind: "user",
        message: run.stderr.split("\n")[0]!.slice("error: ".length),
        hint:
          "Pass the board's port with --port (a /dev/serial/by-id or by-path name stays stable).",
        ports: [`${dev}/ttyACM0`, `${dev}/ttyACM1`, `${dev}/ttyS0`, `${dev}/ttyUSB0`],
      });
    });
  },
});

Deno.test({
  name: "cli: a port that does not exist is answered with the ports discovery finds",
  ignore: !linux,
  async fn() {
    await onFakeMachine(async ({ dev, env }) => {
      const run = await runCli(["info", "-p", `${dev}/ttyUSB9`], env);
      assert.equal(run.code, 1, run.stderr); // a board that is not there is a device error
      assert.match(run.stderr, /^error: There is no serial port at .*ttyUSB9\n/);
      const hint = run.stderr.split("\n").find((l) => l.startsWith("hint: ")) ?? "";
      assert.ok(hint.includes(`${dev}/ttyUSB0`), run.stderr);
      assert.ok(hint.includes(`${dev}/ttyACM0`), run.stderr);
    });
  },
});
