import assert from "node:assert/strict";
import { openPtyLibc, TERMIOS } from "./pty_libc.ts";

Deno.test({
  name: "pty libc: openpty gives two descriptors and a /dev/pts name; TCGETS2 reads a speed",
  ignore: Deno.build.os !== "linux",
  fn() {
    const libc = openPtyLibc();
    try {
      const fds = new Int32Array(2);
      const name = new Uint8Array(128);
      assert.equal(
        libc.openpty(
          new Uint8Array(fds.buffer, 0, 4),
          new Uint8Array(fds.buffer, 4, 4),
          name,
          null,
          null,
        ),
        0,
      );
      assert.match(
        new TextDecoder().decode(name.subarray(0, name.indexOf(0))),
        /^\/dev\/pts\/\d+$/,
      );
      const t2 = new Uint8Array(TERMIOS.TERMIOS2_SIZE);
      assert.equal(libc.ioctl(fds[0]!, BigInt(TERMIOS.TCGETS2), t2), 0);
      assert.ok(new DataView(t2.buffer).getUint32(TERMIOS.TERMIOS2_OSPEED, true) > 0);
      libc.close(fds[1]!);
      libc.close(fds[0]!);
    } finally {
      libc.release();
    }
  },
});
