import assert from "node:assert/strict";
import { summarizeTermios2 } from "./linux_termios.ts";
import { PtyPair } from "./pty_pair.ts";

Deno.test({
  name: "pty pair: the slave starts raw and bytes cross unchanged",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const pty = PtyPair.open();
    try {
      assert.equal(summarizeTermios2(pty.slaveTermios()).raw, true);
      assert.deepEqual(await pty.read(0), new Uint8Array(0));
      await assert.rejects(pty.readExactly(1, 10), /silence/);
    } finally {
      pty.close();
      pty.close();
    }
  },
});
