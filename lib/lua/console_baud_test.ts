import assert from "node:assert/strict";
import { FakeNodemcuRepl } from "../../tests/support/fake_nodemcu_repl.ts";
import { switchConsoleBaud, withConsoleBaud } from "./console_baud.ts";
import type { BoardFacts } from "./board_facts.ts";
import { LuaSession } from "./lua_session.ts";
import { ReplSession } from "./repl_session.ts";

const FACTS: BoardFacts = {
  lua: "5.1",
  digest: "adler32",
  uart: true,
  lfs: undefined,
  fsFree: undefined,
  integer: false,
  banner: undefined,
};

function sessionOn(board: FakeNodemcuRepl): LuaSession {
  return new LuaSession(
    new ReplSession(board.link.transport, { answerTimeoutMs: 2000 }),
    FACTS,
    {},
  );
}

Deno.test("withConsoleBaud: both ends move to the new rate, the work runs there, both come back", async () => {
  const board = new FakeNodemcuRepl();
  const session = sessionOn(board);
  const seen: number[] = [];
  const answer = await withConsoleBaud(session, 460800, async () => {
    seen.push(board.baud, session.repl.transport.baudRate);
    return await session.repl.exec("print(5)");
  });
  assert.equal(answer, "5");
  assert.deepEqual(seen, [460800, 460800]);
  assert.equal(board.baud, 115200);
  assert.equal(session.repl.transport.baudRate, 115200);
  session.close();
  await board.link.transport.close();
});

Deno.test("withConsoleBaud goes back to the old rate when the work fails", async () => {
  const board = new FakeNodemcuRepl();
  const session = sessionOn(board);
  await assert.rejects(
    withConsoleBaud(session, 230400, () => Promise.reject(new Error("work failed"))),
    /work failed/,
  );
  assert.equal(board.baud, 115200);
  assert.equal(session.repl.transport.baudRate, 115200);
  assert.equal(await session.repl.exec("print(6)"), "6");
  session.close();
  await board.link.transport.close();
});

Deno.test("a board that stays at its rate: an error, and the host is back where the board is", async () => {
  const board = new FakeNodemcuRepl({ baudSwitch: false });
  const session = sessionOn(board);
  await assert.rejects(switchConsoleBaud(session, 921600), (e: Error & { code?: string }) => {
    assert.equal(e.code, "lua/console-baud");
    assert.match(e.message, /did not answer at 921600 baud \(it still answers at 115200\)/);
    return true;
  });
  assert.equal(session.repl.transport.baudRate, 115200);
  assert.equal(await session.repl.exec("print(8)"), "8");
  session.close();
  await board.link.transport.close();
});
