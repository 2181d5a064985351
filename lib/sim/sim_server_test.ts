import assert from "node:assert/strict";
import { SimBoard } from "./board.ts";
import { startSimServer } from "./sim_server.ts";

Deno.test("startSimServer: URLs per kind; an own board closes with the server, a given one stays", async () => {
  const rfc = await startSimServer({ kind: "rfc2217", port: 0 });
  assert.match(rfc.url, /^rfc2217:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(rfc.board.state, "halted", "a devkit booted from (erased) flash");
  const own = await startSimServer({ kind: "tcp" });
  assert.equal(own.board.state, "download", "no modem lines: starts in the loader");
  await own.close();
  await rfc.close();
  await rfc.close();
  const board = new SimBoard({ bootMode: "download", flashSize: "1MB" });
  const tcp = await startSimServer({ kind: "tcp", board, host: "127.0.0.1" });
  assert.match(tcp.url, /^socket:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(tcp.board, board);
  await tcp.close();
  board.flash.program(0, new Uint8Array([1]));
  assert.equal(board.flash.read(0, 1)[0], 1, "still usable");
  await board.close();
});

Deno.test("startSimServer: a port in use is an error and the board it made is closed", async () => {
  const first = await startSimServer({ kind: "tcp" });
  const port = Number(first.url.split(":").at(-1));
  await assert.rejects(startSimServer({ kind: "rfc2217", port }), Deno.errors.AddrInUse);
  await first.close();
});
