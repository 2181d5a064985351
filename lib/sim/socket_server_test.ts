import assert from "node:assert/strict";
import { startSocketServer, writeAll } from "./socket_server.ts";

async function readSome(conn: Deno.Conn): Promise<number[]> {
  const buf = new Uint8Array(64);
  const n = await conn.read(buf);
  return n === null ? [] : [...buf.subarray(0, n)];
}

Deno.test("socket server: one client at a time, any number one after another", async () => {
  let current = 0;
  const server = startSocketServer({
    onClient: async (conn) => {
      const id = ++current;
      await writeAll(conn, new Uint8Array([id]));
      for await (const _ of conn.readable) { /* until the client leaves */ }
    },
  });
  const first = await Deno.connect({ hostname: server.hostname, port: server.port });
  assert.deepEqual(await readSome(first), [1]);
  const second = await Deno.connect({ hostname: server.hostname, port: server.port });
  assert.deepEqual(await readSome(second), [], "turned away while the first is connected");
  second.close();
  first.close();
  let third: Deno.TcpConn | undefined;
  for (let i = 0; i < 50; i++) {
    third = await Deno.connect({ hostname: server.hostname, port: server.port });
    const got = await readSome(third);
    if (got.length > 0) {
      assert.deepEqual(got, [2]);
      break;
    }
    third.close();
    third = undefined;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(third !== undefined, "the next client is served once the first has gone");
  assert.equal(server.served, 2);
  await server.close();
  assert.deepEqual(await readSome(third), [], "close disconnects the client");
  third.close();
});
