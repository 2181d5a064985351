import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/mod.ts";
import { openTransport, type Transport, userError } from "../mod.ts";
import { flashAll } from "./flash_all.ts";
import type { BoardSettings } from "./flash_board.ts";

const settings: BoardSettings = {
  files: [{
    address: 0,
    name: "fw.bin",
    data: buildNodemcuFirmware({ totalSize: 0x14000 }).combined,
  }],
  initData: { kind: "none" },
  baud: 460800,
  flashMode: "keep",
  flashSize: "keep",
  erase: "none",
  smoke: "off",
  smokeTimeoutMs: 1000,
  probe: undefined,
};

Deno.test("flashAll: boards run at the same time, and one failure does not stop the others", async () => {
  let open = 0;
  let mostOpen = 0;
  const lines: string[] = [];
  const results = await flashAll(["sim://?seed=1", "busy", "sim://?seed=2"], {
    settings,
    open: async (port): Promise<Transport> => {
      if (port === "busy") throw userError("port/busy", "busy is in use", "Wait.");
      const t = await openTransport(port, { baudRate: 115200 });
      mostOpen = Math.max(mostOpen, ++open);
      return {
        info: t.info,
        readable: t.readable,
        get baudRate() {
          return t.baudRate;
        },
        write: (bytes) => t.write(bytes),
        setSignals: (signals) => t.setSignals(signals),
        setBaudRate: (baud) => t.setBaudRate(baud),
        drain: () => t.drain(),
        discardInput: () => t.discardInput(),
        close: async () => {
          open--;
          await t.close();
        },
      };
    },
    onLine: (port, line) => lines.push(`${port}: ${line}`),
  });
  assert.deepEqual(results.map((r) => [r.port, r.ok, r.problem?.code ?? null]), [
    ["sim://?seed=1", true, null],
    ["busy", false, "port/busy"],
    ["sim://?seed=2", true, null],
  ]);
  assert.equal(mostOpen, 2, "both simulated boards were open at once");
  assert.equal(open, 0, "every port was closed");
  assert.ok(lines.some((l) => l.startsWith("sim://?seed=2: verify")));
  assert.ok(lines.some((l) => l.startsWith("busy: failed (open)")));
});
