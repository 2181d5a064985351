import assert from "node:assert/strict";
import { slipEncode } from "../bytes/slip.ts";
import { SimBoard } from "./board.ts";
import { startRfc2217Server } from "./rfc2217_server.ts";
import {
  DO,
  IAC,
  SB,
  SE,
  subnegotiation,
  TelnetDecoder,
  type TelnetEvent,
  WILL,
} from "./telnet_codec.ts";
import { le, requestPacket } from "./testing.ts";

/** A minimal RFC 2217 client written for the test. */
async function collect(
  conn: Deno.Conn,
  until: (events: TelnetEvent[]) => boolean,
): Promise<TelnetEvent[]> {
  const decoder = new TelnetDecoder();
  const events: TelnetEvent[] = [];
  const buf = new Uint8Array(4096);
  while (!until(events)) {
    const n = await conn.read(buf);
    if (n === null) break;
    events.push(...decoder.push(buf.subarray(0, n)));
  }
  return events;
}

const data = (events: TelnetEvent[]) =>
  events.flatMap((e) => (e.type === "data" ? [...e.bytes] : []));
const subs = (events: TelnetEvent[]) => events.filter((e) => e.type === "subnegotiation");

Deno.test("RFC 2217 server: negotiation, baud, lines, escaped data", async () => {
  const board = new SimBoard({ bootMode: "download" });
  const server = startRfc2217Server(board);
  const conn = await Deno.connect({ hostname: server.hostname, port: server.port });
  await conn.write(new Uint8Array([IAC, WILL, 44, IAC, DO, 44]));
  const offers = await collect(conn, (e) => subs(e).length >= 1);
  assert.ok(offers.some((e) => e.type === "negotiate" && e.command === WILL && e.option === 44));
  await conn.write(subnegotiation(44, new Uint8Array([1, 0, 1, 0x24, 0xf8]))); // 74744 baud... close to 74880
  await conn.write(subnegotiation(44, new Uint8Array([5, 8])));
  await conn.write(subnegotiation(44, new Uint8Array([5, 12])));
  const acks = subs(await collect(conn, (e) => subs(e).length >= 3));
  assert.deepEqual(acks.map((e) => e.type === "subnegotiation" && [...e.payload]), [
    [101, 0, 1, 0x24, 0xf8],
    [105, 8],
    [105, 12],
  ]);
  assert.equal(board.uart.hostBaud, 0x124f8);
  assert.deepEqual(board.signals, { dtr: true, rts: false });
  // READ_REG of a RAM word holding 0xFF bytes: the reply's 0xFF must arrive doubled on the wire
  board.bus.write32(0x3ffe8000, 0xffffffff);
  await conn.write(slipEncode(requestPacket(0x0a, le(0x3ffe8000))));
  const reply = data(await collect(conn, (e) => data(e).length >= 12));
  assert.deepEqual(reply.slice(5, 9), [0xff, 0xff, 0xff, 0xff]);
  await conn.write(new Uint8Array([IAC, SB, 44, 12, 1, IAC, SE]));
  const purge = subs(await collect(conn, (e) => subs(e).length >= 1));
  assert.deepEqual(purge.map((e) => e.type === "subnegotiation" && [...e.payload]), [[112, 1]]);
  conn.close();
  await server.close();
  await board.close();
});

const python = await new Deno.Command("/usr/bin/python3", {
  args: ["-c", "import serial.rfc2217"],
  stdout: "null",
  stderr: "null",
})
  .output().then((r) => r.success, () => false);

Deno.test({
  name: "RFC 2217 server: pyserial's client opens, sets lines, reads CTS, exchanges frames",
  ignore: !python,
  async fn() {
    const board = new SimBoard({ bootMode: "download" });
    const server = startRfc2217Server(board);
    const script = `
import serial
s = serial.serial_for_url("rfc2217://${server.hostname}:${server.port}", 115200, timeout=2)
s.dtr = True
s.rts = False
print("cts", s.cts)
sync = bytes([0, 8, 36, 0, 0, 0, 0, 0, 7, 7, 0x12, 0x20]) + b"\\x55" * 32
s.write(b"\\xc0" + sync + b"\\xc0")
print("replies", len(s.read(96)))
s.close()
`;
    const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", script] }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /cts False/);
    assert.match(text, /replies 96/);
    assert.deepEqual(board.signals, { dtr: true, rts: false });
    await server.close();
    await board.close();
  },
});

Deno.test("RFC 2217 server: PURGE-DATA drops what the board sent that the client has not got yet", async () => {
  // Replies take 300 ms to reach the client (a delay fault): a purge meanwhile loses them.
  const board = new SimBoard({ bootMode: "download", faults: "delay=300" });
  const server = startRfc2217Server(board);
  const conn = await Deno.connect({ hostname: server.hostname, port: server.port });
  try {
    await conn.write(new Uint8Array([IAC, WILL, 44, IAC, DO, 44]));
    await collect(conn, (e) => subs(e).length >= 1);
    board.bus.write32(0x3ffe8000, 0x11223344);
    const replied = new Promise<void>((resolve) => {
      const off = board.on((e) => e.type === "command" && (off(), resolve()));
    });
    await conn.write(slipEncode(requestPacket(0x0a, le(0x3ffe8000))));
    await replied; // the reply is on its way
    await conn.write(new Uint8Array([IAC, SB, 44, 12, 1, IAC, SE]));
    // The next reply, asked for after the purge, arrives; the first one never does.
    board.bus.write32(0x3ffe8000, 0x55667788);
    await conn.write(slipEncode(requestPacket(0x0a, le(0x3ffe8000))));
    const events = await collect(conn, (e) => data(e).length >= 12);
    assert.deepEqual(
      subs(events).map((e) => e.type === "subnegotiation" && [...e.payload]),
      [[112, 1]],
    );
    const reply = data(events);
    assert.equal(reply.length, 12, "one reply: the purged one is gone");
    assert.deepEqual(reply.slice(5, 9), [0x88, 0x77, 0x66, 0x55]);
  } finally {
    conn.close();
    await server.close();
    await board.close();
  }
});
