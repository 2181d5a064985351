import assert from "node:assert/strict";
import { type NodemcuTest, withNodemcu } from "../../tests/support/nodemcu_board.ts";

/** `=100\r\n` … : lines that print their own number. */
const numberedLines = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `=${from + i}\r\n`).join("");

const dropped = (t: NodemcuTest) => t.board.nodemcu!.runtime!.droppedBytes;

Deno.test("runtime: an over-long line keeps only its tail (the echo shows all of it); the board's error follows", async () => {
  await withNodemcu(async (t) => {
    // 255 bytes fill the line buffer; the 256th starts it again at 0.
    const junk = "x".repeat(255);
    t.tap.clear();
    t.tap.type(`${junk}print("tail")\r\n`);
    const text = await t.tap.until(/> $/);
    assert.equal(text, `${junk}print("tail")\r\ntail\r\n> `);
    // The interpreter sees only `11111111111)`: a board prints this error.
    const line = `print(${"1".repeat(260)})`;
    t.tap.clear();
    t.tap.type(`${line}\r\n`);
    assert.equal(
      await t.tap.until(/> $/),
      `${line}\r\nLua error: \tstdin:1: unexpected symbol near '11111111111'\r\n> `,
    );
    // A long string literal cut so: `xxxxxxxxxxxx")` leaves a string open, and the board waits
    // for the rest of the chunk.
    const open = `print("${"x".repeat(260)}")`;
    t.tap.clear();
    t.tap.type(`${open}\r\n`);
    assert.equal(await t.tap.until(/> $/), `${open}\r\n>> `);
    t.tap.clear();
    t.tap.type("\r\n");
    t.tap.type('")\r\n');
    assert.match(await t.tap.until(/\r\n> $/), /unfinished string|x+\r\n> $/);
    // 255 characters fit.
    assert.equal(await t.run(`print("${"y".repeat(246)}")`), `${"y".repeat(246)}\r\n`);
  });
});

Deno.test("runtime: a burst of more than 256 bytes while a line runs loses the oldest bytes", async () => {
  await withNodemcu(async (t) => {
    // The line keeps the CPU for 100 ms; the 360 bytes behind it arrive in 31 ms.
    t.tap.clear();
    t.tap.type(`tmr.delay(100000)\r\n${numberedLines(100, 60)}`);
    await t.board.idle();
    const text = t.tap.text;
    // The line ran when its CR arrived: its LF and the 360 bytes came in while it ran.
    assert.equal(dropped(t), 361 - 256, "all but the last 256 bytes overwritten");
    const printed = [...text.matchAll(/(?<=\r\n|> )(1\d\d)(?=\r\n)/g)].map((m) => Number(m[1]));
    // The last 256 bytes hold the tail of `=117` and the 42 lines after it (6 bytes each).
    assert.deepEqual(printed, Array.from({ length: 42 }, (_, i) => 118 + i));
    assert.match(text, /> 17\r\n/, "the cut line's echo");
    assert.ok(text.includes("Lua error: \tstdin:1: unexpected symbol near '17'\r\n"), text);
  });
});

Deno.test("runtime: the same bytes paced by the prompt all arrive", async () => {
  await withNodemcu(async (t) => {
    await t.run("tmr.delay(100000)");
    for (let n = 100; n < 160; n++) assert.equal(await t.run(`=${n}`), `${n}\r\n`);
    assert.equal(dropped(t), 0);
  });
});

Deno.test("runtime: in real time too, bytes sent while Lua is busy overrun the ring", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type("tmr.delay(1000000)\r\n");
    await t.tap.until("tmr.delay(1000000)\r\n");
    // The CPU is busy for a second of real time; 360 bytes take 31 ms to arrive.
    t.tap.type(numberedLines(100, 60));
    await t.board.idle();
    // 360 bytes, and the line's LF when it arrived after the line had started (86 µs later).
    assert.ok([360 - 256, 361 - 256].includes(dropped(t)), `${dropped(t)} bytes dropped`);
    // The output reaches the host at the wire's pace.
    const text = await t.tap.until(/> 159\r\n> $/);
    assert.ok(!text.includes("> 100\r\n"), "the first lines are gone");
  }, { board: { pace: "realtime" } });
});

Deno.test("runtime: flash writes keep the CPU busy: bytes behind a long file write are lost", async () => {
  await withNodemcu(async (t) => {
    // 40 KB to a file: some 170 data pages, each programmed and completed (~140 ms).
    await t.run('f = file.open("big.txt", "w") s = string.rep("z", 40000)');
    t.tap.clear();
    t.tap.type(`f:write(s) f:close()\r\n${numberedLines(100, 60)}`);
    await t.board.idle();
    assert.equal(dropped(t), 361 - 256);
    assert.equal(await t.run('=#file.getcontents("big.txt")'), "40000\r\n");
  });
});

Deno.test("runtime: lines pasted faster than they run: 3.x's stdin pipe takes them, 2.x's ring overflows", async () => {
  const paste = async (t: NodemcuTest) => {
    // Each line writes 2000 bytes (about 8 ms of page programs); it arrives in 1 ms.
    await t.run('f = file.open("big.txt", "w") s = string.rep("z", 2000)');
    t.tap.type(Array.from({ length: 40 }, () => "f:write(s)\r\n").join("") + "f:close()\r\n");
    await t.board.idle();
    return Number(await t.run('=file.list()["big.txt"]'));
  };
  await withNodemcu(async (t) => {
    assert.equal(await paste(t), 80_000);
    assert.equal(dropped(t), 0);
  });
  await withNodemcu(async (t) => {
    assert.ok((await paste(t)) < 80_000);
    assert.ok(dropped(t) > 0, "the next lines wait in the 256-byte ring while one runs");
  }, { banner: { version: "2.2.0.0" } });
});

Deno.test("runtime: uart.on raw mode gets all 256 byte values, without echo, then restores the REPL", async () => {
  await withNodemcu(async (t) => {
    // The line ends with LF only: a CR LF's LF would arrive after the line ran, in raw mode.
    t.tap.clear();
    t.tap.type(
      'got = {} uart.on("data", 0, function(c) got[#got + 1] = c ' +
        'if #got == 256 then uart.on("data") end end, 0)\n',
    );
    await t.tap.until(/> $/);
    t.tap.clear();
    t.board.receive(Uint8Array.from({ length: 256 }, (_, i) => i), 115200);
    await t.board.idle();
    assert.equal(t.tap.text, "", "raw mode echoes nothing and runs nothing");
    assert.equal(
      await t.run(
        "s = table.concat(got) ok = #s == 256 for i = 0, 255 do ok = ok and s:byte(i + 1) == i end print(ok)",
      ),
      "true\r\n",
    );
    // Counted and end-character modes: 4-byte blocks, then data cut at ";".
    t.tap.clear();
    t.tap.type(
      'blocks = {} uart.on("data", 4, function(d) blocks[#blocks + 1] = d ' +
        'if #blocks == 2 then uart.on("data") end end, 0)\n',
    );
    await t.tap.until(/\r\n> $/);
    t.tap.type("abcdefgh");
    await t.board.idle();
    t.tap.clear();
    t.tap.type(
      'uart.on("data", ";", function(d) blocks[#blocks + 1] = d ' +
        'if d == "end;" then uart.on("data") end end, 0)\n',
    );
    await t.tap.until(/\r\n> $/);
    t.tap.type("x;yz;end;");
    await t.board.idle();
    const blocks = await t.run("print(table.concat(blocks, '|'))");
    assert.equal(blocks, "abcd|efgh|x;|yz;|end;\r\n");
  });
});

Deno.test("runtime: uart.on with run_input 1 sees each line and the interpreter still runs it", async () => {
  await withNodemcu(async (t) => {
    await t.run(
      'seen = {} uart.on("data", "\\r", function(l) seen[#seen + 1] = "[" .. l .. "]" end, 1)',
    );
    assert.equal(await t.run("=1 + 2"), "3\r\n");
    await t.run('uart.on("data")');
    assert.equal(await t.run("print(table.concat(seen))"), '[=1 + 2][uart.on("data")]\r\n');
  });
});

Deno.test("runtime: node.task.post runs between lines by priority; node.input feeds the interpreter", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type(
      "node.task.post(0, function(p) print('low', p) end) " +
        "node.task.post(2, function(p) print('high', p) end) " +
        "node.task.post(function(p) print('medium', p) end) print('line')\r\n",
    );
    assert.match(await t.tap.until("low\t0\r\n"), /line\r\n> high\t2\r\nmedium\t1\r\nlow\t0\r\n$/);
    t.tap.clear();
    t.tap.type("node.task.post(function() node.input('print(6 * 7)\\n') end)\r\n");
    assert.match(await t.tap.until("42\r\n> "), /> 42\r\n> $/);
  });
});

Deno.test("runtime: an error in a callback prints its traceback and restarts the chip 2 s later (3.x)", async () => {
  await withNodemcu(async (t) => {
    const started = t.board.clock.now();
    t.tap.clear();
    t.tap.type("node.task.post(function() local x = nil; x.y = 1 end)\r\n");
    const text = await t.tap.until("powered by Lua", 10_000);
    assert.equal(t.board.lastReset.kind, "software");
    assert.match(
      text,
      /> stdin:1: attempt to index local 'x' \(a nil value\)\r\nstack traceback:\r\n\tstdin:1: in function <stdin:1>\r\n/,
    );
    assert.ok(t.board.clock.now() - started >= 2_000_000, "two seconds on the board's clock");
  });
});

Deno.test("runtime: node.setonerror takes callback errors instead of a restart", async () => {
  await withNodemcu(async (t) => {
    await t.run("node.setonerror(function(e) print('caught: ' .. e:match('^[^\\n]*')) end)");
    t.tap.clear();
    t.tap.type("tmr.create():alarm(5, tmr.ALARM_SINGLE, function() error('boom') end)\r\n");
    assert.match(await t.tap.until("caught"), /> caught: stdin:1: boom/);
    assert.equal(await t.run("=1"), "1\r\n", "no restart");
  });
});

Deno.test("runtime: on 2.x an error in a callback is a PANIC and a restart", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type("tmr.create():alarm(5, tmr.ALARM_SINGLE, function() error('boom') end)\r\n");
    const text = await t.tap.until("powered by Lua");
    assert.match(text, /> PANIC: unprotected error in call to Lua API \(stdin:1: boom\)\r\n/);
    assert.equal(t.board.lastReset.kind, "software");
  }, { banner: { version: "2.2.0.0" } });
});
