/**
 * The Lua side on a real NodeMCU board: runs only when NODEFLASH_HW_PORT names its port (e.g.
 * `NODEFLASH_HW_PORT=/dev/ttyUSB0 deno test -A tests/hardware/`); otherwise every test is
 * reported as ignored, with that in its name. The board must run NodeMCU and sit at its prompt
 * (no application printing on the console). Files the suite makes start with `nfhw_` and are
 * removed at the end; nothing else on the board is touched.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openTransport, type Transport } from "../../mod.ts";
import {
  downloadFile,
  listFiles,
  type LuaSession,
  openLuaSession,
  readLocalFile,
  removeFiles,
  runFile,
  runTests,
  syncFiles,
  uploadFile,
  withConsoleBaud,
} from "../../lib/lua/mod.ts";
import { allBytes, awkwardLua } from "../support/lua_sim.ts";

const PORT = Deno.env.get("NODEFLASH_HW_PORT");
const SKIP = PORT === undefined || PORT === "";
const suffix = SKIP ? " (ignored: set NODEFLASH_HW_PORT to a board's port to run it)" : "";
const FIXTURES = fileURLToPath(new URL("../fixtures/lua/", import.meta.url));
const text = (s: string) => new TextEncoder().encode(s);

async function onBoard(fn: (session: LuaSession) => Promise<void>): Promise<void> {
  const port: Transport = await openTransport(PORT!, { baudRate: 115200 });
  const session = await openLuaSession(port);
  try {
    await fn(session);
  } finally {
    const mine = (await listFiles(session)).files.map((f) => f.name).filter((n) =>
      n.startsWith("nfhw_")
    );
    await removeFiles(session, mine, { missing: "ignore" });
    session.close();
    await port.close();
  }
}

Deno.test({
  name: `hardware: every byte value and a 20 KB Lua file up and back, and run${suffix}`,
  ignore: SKIP,
  async fn() {
    await onBoard(async (session) => {
      await uploadFile(session, { name: "nfhw_all.bin", data: allBytes() });
      assert.deepEqual((await downloadFile(session, "nfhw_all.bin")).data, allBytes());
      const source = awkwardLua();
      await uploadFile(session, { name: "nfhw_awk.lua", data: source });
      assert.deepEqual((await downloadFile(session, "nfhw_awk.lua")).data, source);
      assert.match((await runFile(session, "nfhw_awk.lua")).output, /^awkward\t\d+\n$/);
    });
  },
});

Deno.test({
  name: `hardware: 50 files synced, one change synced alone${suffix}`,
  ignore: SKIP,
  async fn() {
    await onBoard(async (session) => {
      const files = (v: number) =>
        Array.from({ length: 50 }, (_, i) => ({
          name: `nfhw_${String(i).padStart(2, "0")}.lua`,
          path: `nfhw_${i}.lua`,
          data: text(`return ${i === 7 ? v : i}\n`),
        }));
      assert.equal((await syncFiles(session, files(1))).uploaded.length, 50);
      const again = await syncFiles(session, files(2));
      assert.deepEqual(again.uploaded.map((u) => u.name), ["nfhw_07.lua"]);
    });
  },
});

Deno.test({
  name: `hardware: an upload at 460800 baud, and the console back at 115200${suffix}`,
  ignore: SKIP,
  async fn() {
    await onBoard(async (session) => {
      const data = new Uint8Array(16 * 1024).map((_, i) => (i * 131) & 0xff);
      const r = await withConsoleBaud(
        session,
        460800,
        () => uploadFile(session, { name: "nfhw_fast.bin", data }),
      );
      assert.equal(r.size, data.length);
      assert.equal(session.repl.transport.baudRate, 115200);
      assert.deepEqual((await downloadFile(session, "nfhw_fast.bin")).data, data);
    });
  },
});

Deno.test({
  name: `hardware: tests that pass, fail, restart the board and never end${suffix}`,
  ignore: SKIP,
  async fn() {
    await onBoard(async (session) => {
      const fixture = async (name: string) => ({
        ...(await readLocalFile(`${FIXTURES}${name}`)),
        name: `nfhw_${name}`,
      });
      const results = await runTests(session, [
        await fixture("t_pass.lua"),
        await fixture("t_fail.lua"),
        await fixture("t_restart.lua"),
        await fixture("t_forever.lua"),
      ], { timeoutMs: 5000 });
      const status = results.map((f) => f.tests.some((t) => t.status === "fail") ? "fail" : "pass");
      assert.deepEqual(status, ["pass", "fail", "fail", "fail"]);
      assert.ok(results[2]!.tests.some((t) => t.name === "(restart)"));
      assert.ok(results[3]!.tests.some((t) => t.name === "(timeout)"));
    });
  },
});
