import assert from "node:assert/strict";
import { openTransport } from "./open.ts";
import { openRfc2217 } from "./rfc2217.ts";
import type { TransportEvent } from "./transport_event.ts";
import type { Transport } from "./types.ts";

/**
 * A minimal RFC 2217 server written for these tests, with its own parser (so it checks the
 * client instead of agreeing with it). It accepts one connection and records what it got.
 */
class MiniServer {
  readonly listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  /** Unescaped data bytes from the client. */
  data: number[] = [];
  /** Every raw byte from the client, as on the wire. */
  wire: number[] = [];
  /** COM-PORT commands as [code, ...value]. */
  commands: number[][] = [];
  conn: Deno.Conn | undefined;
  #loop: Promise<void> | undefined;
  #onData: (() => void) | undefined;

  constructor(
    readonly behaviour: {
      ackControl?: boolean;
      comPort?: "accept" | "refuse" | "silent";
      baudReply?: (asked: number) => number;
      onCommand?: (server: MiniServer, command: number[]) => Promise<void> | void;
    } = {},
  ) {
    this.#loop = this.#serve();
  }

  get port(): number {
    return this.listener.addr.port;
  }

  async #serve(): Promise<void> {
    const conn = await this.listener.accept();
    conn.setNoDelay(true);
    this.conn = conn;
    const buf = new Uint8Array(4096);
    let state = "data", verb = 0, sb: number[] = [];
    while (true) {
      let n: number | null;
      try {
        n = await conn.read(buf);
      } catch {
        return;
      }
      if (n === null) return;
      for (const b of buf.subarray(0, n)) {
        this.wire.push(b);
        if (state === "data") {
          if (b === 255) state = "iac";
          else this.data.push(b);
        } else if (state === "iac") {
          if (b === 255) (this.data.push(255), state = "data");
          else if (b >= 251 && b <= 254) (verb = b, state = "verb");
          else if (b === 250) (sb = [], state = "sb");
          else state = "data";
        } else if (state === "verb") {
          state = "data";
          await this.#negotiate(verb, b);
        } else if (state === "sb") {
          if (b === 255) state = "sb-iac";
          else sb.push(b);
        } else if (state === "sb-iac") {
          if (b === 255) (sb.push(255), state = "sb");
          else {
            state = "data";
            if (sb[0] === 44) await this.#command(sb.slice(1));
          }
        }
      }
      this.#onData?.();
    }
  }

  async #negotiate(verb: number, option: number): Promise<void> {
    const mode = this.behaviour.comPort ?? "accept";
    if (option === 44 && mode === "silent") return;
    const yes = option === 44 ? mode === "accept" : option === 0 || option === 3;
    // WILL -> DO/DONT, DO -> WILL/WONT
    const reply = verb === 251 ? (yes ? 253 : 254) : verb === 253 ? (yes ? 251 : 252) : 0;
    if (reply) await this.raw([255, reply, option]);
  }

  async #command(command: number[]): Promise<void> {
    this.commands.push(command);
    const [code, ...value] = command as [number, ...number[]];
    if (this.behaviour.onCommand) await this.behaviour.onCommand(this, command);
    if (code === 5 && this.behaviour.ackControl === false) return;
    let reply = value;
    if (code === 1 && this.behaviour.baudReply) {
      const asked = new DataView(new Uint8Array(value).buffer).getUint32(0, false);
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, this.behaviour.baudReply(asked), false);
      reply = [...out];
    }
    await this.raw(subneg([code + 100, ...reply]));
  }

  /** Sends bytes exactly as given. */
  async raw(bytes: number[]): Promise<void> {
    await this.conn!.write(new Uint8Array(bytes));
  }

  /** Sends data, escaping 0xFF. */
  async send(bytes: number[]): Promise<void> {
    await this.raw(bytes.flatMap((b) => (b === 255 ? [255, 255] : [b])));
  }

  /** Waits until `predicate` holds for what arrived. */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((r) => this.#onData = r);
  }

  async close(): Promise<void> {
    try {
      this.conn?.close();
    } catch {
      // closed by the client
    }
    this.listener.close();
    await this.#loop?.catch(() => {});
  }
}

function subneg(payload: number[]): number[] {
  return [255, 250, 44, ...payload.flatMap((b) => (b === 255 ? [255, 255] : [b])), 255, 240];
}

async function readN(t: Transport, count: number): Promise<number[]> {
  const reader = t.readable.getReader();
  const out: number[] = [];
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    out.push(...value);
  }
  reader.releaseLock();
  return out;
}

Deno.test("rfc2217: negotiates COM-PORT-OPTION and sets 8N1 at the baud rate on open", async () => {
  const server = new MiniServer();
  const t = await openRfc2217("127.0.0.1", server.port, { baudRate: 74880 });
  assert.deepEqual(t.info, {
    url: `rfc2217://127.0.0.1:${server.port}`,
    kind: "rfc2217",
    modemLines: true,
  });
  assert.deepEqual(server.commands.slice(0, 4), [
    [1, 0x00, 0x01, 0x24, 0x80], // SET-BAUDRATE 74880, big-endian
    [2, 8], // SET-DATASIZE 8
    [3, 1], // SET-PARITY NONE
    [4, 1], // SET-STOPSIZE 1
  ]);
  assert.deepEqual(server.wire.slice(0, 3), [255, 251, 0]); // starts with WILL BINARY
  assert.ok(server.wire.join(",").includes("255,251,44"), "sends WILL COM-PORT-OPTION");
  await t.close();
  await server.close();
});

Deno.test("rfc2217: DTR and RTS travel as SET-CONTROL 8/9 and 11/12", async () => {
  const server = new MiniServer();
  const t = await openRfc2217("127.0.0.1", server.port);
  await t.setSignals({ dtr: true, rts: false });
  await t.setSignals({ dtr: false, rts: true });
  assert.deepEqual(server.commands.filter((c) => c[0] === 5), [[5, 8], [5, 12], [5, 9], [5, 11]]);
  assert.equal(t.info.modemLines, true);
  await t.close();
  await server.close();
});

Deno.test("rfc2217: 0xFF is escaped as IAC IAC in both directions", async () => {
  const server = new MiniServer();
  const t = await openRfc2217("127.0.0.1", server.port);
  const skip = server.wire.length;
  await t.write(new Uint8Array([0xff, 1, 0xff, 0xff, 0xc0]));
  await server.until(() => server.data.length >= 5);
  assert.deepEqual(server.data, [0xff, 1, 0xff, 0xff, 0xc0]);
  assert.deepEqual(server.wire.slice(skip), [255, 255, 1, 255, 255, 255, 255, 0xc0]);
  await server.send([0xc0, 0xff, 0xff, 7]);
  assert.deepEqual(await readN(t, 4), [0xc0, 0xff, 0xff, 7]);
  await t.close();
  await server.close();
});

Deno.test("rfc2217: discardInput purges the server and drops data sent before the ack", async () => {
  const server = new MiniServer({
    onCommand: async (s, command) => {
      if (command[0] === 12) await s.send([...new TextEncoder().encode("stale")]);
    },
  });
  const t = await openRfc2217("127.0.0.1", server.port);
  await t.discardInput();
  assert.deepEqual(server.commands.at(-1), [12, 1]); // PURGE-DATA receive buffer
  await server.send([...new TextEncoder().encode("fresh")]);
  assert.equal(new TextDecoder().decode(new Uint8Array(await readN(t, 5))), "fresh");
  await t.close();
  await server.close();
});

Deno.test("rfc2217: a server that never acks SET-CONTROL costs one timeout, then modemLines is false", async () => {
  const server = new MiniServer({ ackControl: false });
  const events: TransportEvent[] = [];
  const t = await openRfc2217("127.0.0.1", server.port, {
    ackTimeoutMs: 50,
    onEvent: (e) => events.push(e),
  });
  await t.setSignals({ dtr: false, rts: true });
  assert.equal(t.info.modemLines, false);
  assert.deepEqual(events.map((e) => e.type), ["ack-timeout", "ack-timeout", "no-modem-lines"]);
  await t.setSignals({ dtr: false, rts: false }); // sent, not awaited: no further timeouts
  await t.write(new Uint8Array([42])); // in order after the SET-CONTROLs
  await server.until(() => server.data.includes(42));
  assert.equal(events.length, 3);
  assert.deepEqual(server.commands.filter((c) => c[0] === 5), [[5, 9], [5, 11], [5, 9], [5, 12]]);
  await t.close();
  await server.close();
});

Deno.test("rfc2217: ?ign_set_control never waits and keeps modemLines", async () => {
  const server = new MiniServer({ ackControl: false });
  const events: TransportEvent[] = [];
  const t = await openTransport(`rfc2217://127.0.0.1:${server.port}?ign_set_control`, {
    ackTimeoutMs: 50,
    onEvent: (e) => events.push(e),
  });
  await t.setSignals({ dtr: true, rts: true });
  await t.write(new Uint8Array([1]));
  await server.until(() => server.data.length > 0);
  assert.deepEqual(events, []);
  assert.equal(t.info.modemLines, true);
  await t.close();
  await server.close();
});

Deno.test("rfc2217: a baud rate the server adjusts is reported", async () => {
  const server = new MiniServer({ baudReply: (asked) => (asked === 921600 ? 1000000 : asked) });
  const events: TransportEvent[] = [];
  const t = await openRfc2217("127.0.0.1", server.port, { onEvent: (e) => events.push(e) });
  await t.setBaudRate(921600);
  assert.deepEqual(server.commands.at(-1), [1, 0x00, 0x0e, 0x10, 0x00]);
  assert.equal(t.baudRate, 921600);
  assert.deepEqual(events, [
    { type: "baud-adjusted", url: t.info.url, requested: 921600, actual: 1000000 },
  ]);
  await assert.rejects(t.setBaudRate(-5), { code: "port/bad-baud" });
  await t.close();
  await server.close();
});

Deno.test("rfc2217: servers that refuse or ignore COM-PORT-OPTION are named", async () => {
  const refusing = new MiniServer({ comPort: "refuse" });
  await assert.rejects(openRfc2217("127.0.0.1", refusing.port), { code: "rfc2217/unsupported" });
  await refusing.close();
  const silent = new MiniServer({ comPort: "silent" });
  await assert.rejects(openRfc2217("127.0.0.1", silent.port, { ackTimeoutMs: 30 }), {
    code: "rfc2217/no-answer",
  });
  await silent.close();
});

Deno.test("rfc2217: the server going away fails reads and writes with port/disconnected", async () => {
  const server = new MiniServer();
  const t = await openRfc2217("127.0.0.1", server.port);
  const pending = t.readable.getReader().read();
  await server.close();
  await assert.rejects(pending, { code: "port/disconnected" });
  await assert.rejects(t.write(new Uint8Array([1])), { code: "port/disconnected" });
  await t.close();
});

Deno.test("rfc2217: close ends a pending read; later calls say port/closed", async () => {
  const server = new MiniServer();
  const t = await openRfc2217("127.0.0.1", server.port);
  const pending = t.readable.getReader().read();
  await t.close();
  assert.deepEqual(await pending, { value: undefined, done: true });
  await assert.rejects(t.write(new Uint8Array([1])), { code: "port/closed" });
  await t.close();
  await server.close();
});

Deno.test("rfc2217: FLOWCONTROL-SUSPEND holds writes until RESUME", async () => {
  const server = new MiniServer();
  const t = await openRfc2217("127.0.0.1", server.port);
  await server.raw([...subneg([108]), 1]); // suspend, then a data byte as a marker
  assert.deepEqual(await readN(t, 1), [1]);
  let written = false;
  const write = t.write(new Uint8Array([99])).then(() => written = true);
  await server.send([2]); // a round of I/O: the write must still be held
  assert.deepEqual(await readN(t, 1), [2]);
  assert.equal(written, false);
  assert.equal(server.data.includes(99), false);
  await server.raw(subneg([109])); // resume
  await write;
  await server.until(() => server.data.includes(99));
  await t.close();
  await server.close();
});

Deno.test("rfc2217: a SIGNATURE request is answered and notifications are recorded", async () => {
  const server = new MiniServer();
  const t = await openRfc2217("127.0.0.1", server.port);
  await server.raw([...subneg([100]), ...subneg([107, 0x30]), 5]);
  assert.deepEqual(await readN(t, 1), [5]);
  await server.until(() => server.commands.some((c) => c[0] === 0));
  const signature = server.commands.find((c) => c[0] === 0)!;
  assert.equal(new TextDecoder().decode(new Uint8Array(signature.slice(1))), "nodeflash");
  assert.deepEqual((t as unknown as { modemState: unknown }).modemState, { modem: 0x30 });
  await t.close();
  await server.close();
});
