import assert from "node:assert/strict";
import { nearestRate } from "./nodemcu_uart.ts";
import { withNodemcu } from "../../tests/support/nodemcu_board.ts";

Deno.test("uart: setup to 921600 and back, with the host following", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type("uart.setup(0, 921600, 8, 0, 1, 1)\r\n");
    // The echo left at 115200; the prompt after it at 921600 is noise to a host at 115200.
    const before = await t.tap.until("uart.setup(0, 921600, 8, 0, 1, 1)\r\n");
    await t.board.idle();
    assert.ok(!t.tap.text.endsWith("> "), JSON.stringify(t.tap.text.slice(before.length)));
    t.tap.setBaud(921600);
    assert.equal(await t.run(""), "", "an empty line: the prompt again");
    assert.equal(await t.run("=uart.getconfig(0)"), "921600\t8\t0\t1\r\n");
    assert.equal(await t.run(`=("x"):rep(300):len()`), "300\r\n");
    t.tap.clear();
    t.tap.type("uart.setup(0, 115200, 8, 0, 1)\r\n");
    await t.tap.until("\r\n");
    await t.board.idle();
    t.tap.setBaud(115200);
    assert.equal(await t.run("=uart.getconfig(0)"), "115200\t8\t0\t1\r\n");
  });
});

Deno.test("uart: a host that does not follow the new rate sends garble and reads garble", async () => {
  await withNodemcu(async (t) => {
    t.tap.type("uart.setup(0, 921600, 8, 0, 1, 1)\r\n");
    await t.board.idle();
    t.tap.clear();
    t.tap.type('print("hello")\r\n');
    await t.board.idle();
    assert.ok(t.tap.text.length > 0, "the board answered something");
    assert.ok(!t.tap.text.includes("hello"), JSON.stringify(t.tap.text));
    // At the board's rate, after a line end that clears what the noise left in the line buffer.
    t.tap.setBaud(921600);
    t.tap.type("\r\n");
    await t.board.idle();
    assert.equal(await t.run('print("hello")'), "hello\r\n", "the board is still there");
  });
});

Deno.test("uart: echo off keeps output and prompts; leaving echo out leaves it as it was", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type("=uart.setup(0, 115200, 8, 0, 1, 0)\r\n");
    await t.tap.until("115200\r\n> ");
    t.tap.clear();
    t.tap.type("print(1 + 1)\r\n");
    assert.equal(await t.tap.until("> "), "2\r\n> ");
    t.tap.clear();
    t.tap.type("uart.setup(0, 115200, 8, 0, 1)\r\n");
    assert.equal(await t.tap.until("> "), "> ", "still no echo");
    t.tap.clear();
    t.tap.type("uart.setup(0, 115200, 8, 0, 1, 1)\r\n");
    await t.tap.until("> ");
    assert.equal(await t.run("=3"), "3\r\n");
  });
});

Deno.test("uart: a rate not in the firmware's table sets 9600 but returns what it was given", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type("=uart.setup(0, 100000, 8, 0, 1, 1)\r\n");
    await t.tap.until("\r\n");
    await t.board.idle();
    t.tap.setBaud(9600);
    assert.equal(await t.run("=uart.getconfig(0)"), "9600\t8\t0\t1\r\n");
    assert.match(await t.run("uart.setup(2, 9600, 8, 0, 1)"), /uart 2 does not exist/);
    assert.match(
      await t.run("uart.setup(0, 9600)"),
      /bad argument #3 to 'setup' \(number expected, got no value\)/,
    );
  });
});

Deno.test("uart: write is raw and binary-safe; numbers are bytes; uart.alt is accepted", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type("uart.write(0, '\\r\\n\\0', 255, 'x\\n') uart.alt(0)\r\n");
    const text = await t.tap.until(/> $/);
    assert.equal(text, "uart.write(0, '\\r\\n\\0', 255, 'x\\n') uart.alt(0)\r\n\r\n\0\xffx\n> ");
    assert.match(await t.run("uart.write(0, 256)"), /invalid number/);
  });
  assert.equal(nearestRate(115299), 115200);
});
