import assert from "node:assert/strict";
import { slipEncode } from "../bytes/slip.ts";
import { SimBoard } from "./board.ts";
import { startPtyServer } from "./pty_server.ts";
import { le, requestPacket, SYNC_DATA } from "./testing.ts";

const linux = Deno.build.os === "linux";
const python = linux &&
  await new Deno.Command("/usr/bin/python3", {
    args: ["-c", "import serial"],
    stdout: "null",
    stderr: "null",
  })
    .output().then((r) => r.success, () => false);

Deno.test({
  name: "pty: a raw /dev/pts/N that answers like the board",
  ignore: !linux,
  async fn() {
    const board = new SimBoard({ bootMode: "download" });
    const pty = startPtyServer(board);
    assert.match(pty.path, /^\/dev\/pts\/\d+$/);
    const port = await Deno.open(pty.path, { read: true, write: true });
    // 0x0d and 0x03 would be eaten or echoed by a cooked tty: the slave must be raw already
    await port.write(slipEncode(requestPacket(0x0a, le(0x0d030d03))));
    await port.write(slipEncode(requestPacket(0x08, SYNC_DATA)));
    const got: number[] = [];
    const buf = new Uint8Array(256);
    while (got.length < 12 + 96) {
      const n = await port.read(buf);
      if (n === null) break;
      got.push(...buf.subarray(0, n));
    }
    assert.equal(got.length, 12 + 96);
    assert.equal(board.log.entries[0]?.args.address, 0x0d030d03);
    port.close();
    await pty.close();
    await board.close();
  },
});

Deno.test({
  name: "pty: the board follows the baud rate the program sets (pyserial)",
  ignore: !python,
  async fn() {
    const board = new SimBoard({ bootMode: "download" });
    const pty = startPtyServer(board);
    board.startStub((await import("./stub_table.ts")).KNOWN_STUBS[0]!);
    const script = `
import serial, struct
s = serial.Serial("${pty.path}", 115200, timeout=2)
s.reset_input_buffer()
req = bytes([0, 0x0f, 8, 0, 0, 0, 0, 0]) + struct.pack("<II", 921600, 115200)
s.write(b"\\xc0" + req + b"\\xc0")
print("reply", len(s.read(12)))
s.baudrate = 921600
rr = bytes([0, 0x0a, 4, 0, 0, 0, 0, 0]) + struct.pack("<I", 0x40001000)
s.write(b"\\xc0" + rr + b"\\xc0")
print("magic", s.read(14)[5:9].hex())
s.close()
`;
    const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", script] }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /reply 12/);
    assert.match(text, /magic 01c1f0ff/);
    assert.equal(board.uart.hostBaud, 921600);
    await pty.close();
    await board.close();
  },
});
