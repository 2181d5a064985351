import assert from "node:assert/strict";
import { openSerial } from "./open_serial.ts";
import { PtyPair } from "./pty_pair.ts";

Deno.test({
  name: "openSerial: picks the adapter for this OS and opens a pty as a serial port",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const pty = PtyPair.open();
    const lockDir = await Deno.makeTempDir();
    try {
      const port = await openSerial(pty.slavePath, { baudRate: 460800, lockDir });
      assert.equal(port.info.kind, "serial");
      assert.equal(port.info.url, pty.slavePath);
      assert.equal(port.baudRate, 460800);
      assert.equal(pty.baudRate(), 460800);
      await port.close();
    } finally {
      pty.close();
      await Deno.remove(lockDir, { recursive: true });
    }
  },
});

Deno.test("openSerial: a bad baud rate is refused before anything opens", async () => {
  await assert.rejects(openSerial("/dev/ttyUSB0", { baudRate: 1.5 }), { code: "port/bad-baud" });
});
