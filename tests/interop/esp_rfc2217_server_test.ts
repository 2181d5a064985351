/**
 * esptool v4.8.1 through esptool's own RFC 2217 server (`esp_rfc2217_server`, from esptool's
 * repository) in front of the simulator's RFC 2217 server: the chain a remote board behind
 * Espressif's server has, with the simulated board as the "serial port" the server opens
 * (pyserial's `rfc2217://` client). esptool waits for the answer to every PURGE-DATA it sends;
 * the server passes each one on to the simulator and answers only when the simulator has.
 *
 * The server is not part of nodeflash and not in ../shared/peers: set
 * `NODEFLASH_ESP_RFC2217_SERVER` to a directory holding its `esp_rfc2217_server` package (from
 * esptool v4.8.1) to run this test; it skips otherwise. Two settings the server needs with a port
 * that is not a local tty: its reset thread's default sequence (UnixTightReset) drives the lines
 * through ioctl on a file descriptor, so the test gives it esptool's `custom_reset_sequence` in a
 * config file (`ESPTOOL_CFGFILE`); and it does not acknowledge DTR/RTS changes (it runs its own
 * reset sequence instead), so esptool connects with `?ign_set_control`, as the server's own
 * documentation says.
 */

import assert from "node:assert/strict";
import { dirname } from "node:path";
import { findEsptool, runEsptool } from "../support/esptool.ts";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { startSimServer } from "../../lib/sim/mod.ts";

const where = await findEsptool();
const serverDir = Deno.env.get("NODEFLASH_ESP_RFC2217_SERVER");
const skip = "skip" in where
  ? where.skip
  : serverDir === undefined
  ? "NODEFLASH_ESP_RFC2217_SERVER is not set (a directory holding esptool's esp_rfc2217_server package)"
  : undefined;
// deno-lint-ignore no-console -- the suite says why it skips
if (skip !== undefined) console.log(`esp_rfc2217_server interop test skipped: ${skip}`);

/** A free TCP port on the loopback interface. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Reads a child's stream into a string until `pattern` shows, or the stream ends. */
async function waitFor(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
): Promise<{ text: string; rest: Promise<string> }> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!pattern.test(text)) {
    const { value, done } = await reader.read();
    if (done) return { text, rest: Promise.resolve("") };
    text += value;
  }
  const rest = (async () => {
    let more = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) return more;
      more += value;
    }
  })();
  return { text, rest };
}

Deno.test({
  name: "esptool write_flash through esp_rfc2217_server in front of the simulator",
  ignore: skip !== undefined,
  async fn() {
    if ("skip" in where) return;
    const sim = await startSimServer({ kind: "rfc2217" });
    const dir = await Deno.makeTempDir({ prefix: "nodeflash-esp-rfc2217-" });
    const port = freePort();
    const config = `${dir}/esptool.cfg`;
    await Deno.writeTextFile(
      config,
      "[esptool]\ncustom_reset_sequence = D0|R1|W0.1|D1|R0|W0.05|D0\n",
    );
    const server = new Deno.Command(where.python, {
      args: ["-m", "esp_rfc2217_server", "-p", String(port), sim.url],
      cwd: dir,
      env: {
        PYTHONPATH: `${serverDir}:${dirname(where.path)}`,
        ESPTOOL_CFGFILE: config,
      },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const started = await waitFor(server.stderr, /TCP\/IP port: \d+/);
      assert.match(started.text, /Serving serial port: rfc2217:/, started.text);
      const fw = buildNodemcuFirmware({ seed: 4, totalSize: 0x30000 }).combined;
      await Deno.writeFile(`${dir}/fw.bin`, fw);
      const run = await runEsptool(where, `rfc2217://127.0.0.1:${port}?ign_set_control`, [
        "--baud",
        "460800",
        "write_flash",
        "-z",
        "0x0",
        `${dir}/fw.bin`,
      ]);
      assert.equal(run.code, 0, run.out);
      assert.match(run.out, /Hash of data verified/);
      assert.deepEqual(sim.board.flash.read(0, fw.length), fw);
      server.kill("SIGINT");
      await started.rest;
    } finally {
      try {
        server.kill("SIGKILL");
      } catch {
        // already gone
      }
      await server.status;
      await sim.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
