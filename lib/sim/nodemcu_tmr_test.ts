import assert from "node:assert/strict";
import { withNodemcu } from "../../tests/support/nodemcu_board.ts";

Deno.test("tmr: alarms on the board's clock: single, auto until stopped, semi until started again", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type(
      "t0 = tmr.now() n = 0 a = tmr.create() " +
        "a:alarm(20, tmr.ALARM_AUTO, function(self) n = n + 1 " +
        "if n == 3 then print('auto', self:stop(), (tmr.now() - t0) >= 60000) end end)\r\n",
    );
    assert.match(await t.tap.until("auto\t"), /auto\ttrue\ttrue/);
    assert.equal(await t.run("=a:state()"), "false\t1\r\n");
    t.tap.clear();
    t.tap.type(
      "s = tmr.create() s:register(10, tmr.ALARM_SEMI, function() print('semi') end) print(s:start(), s:start())\r\n",
    );
    assert.match(await t.tap.until("> semi"), /true\tfalse\r\n> semi/);
    assert.equal(await t.run("=s:state()"), "false\t2\r\n");
    t.tap.clear();
    t.tap.type("=s:start()\r\n");
    assert.match(await t.tap.until("> semi"), /true\r\n> semi/);
    await t.run("s:unregister()");
    assert.equal(await t.run("=s:state(), s:start()"), "nil\tfalse\r\n");
  });
});

Deno.test("tmr: a single alarm fires once and frees the timer; stop before it fires; interval", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type(
      "x = tmr.create() x:alarm(5, tmr.ALARM_SINGLE, function(self) print('once', self:state()) end)\r\n",
    );
    assert.match(await t.tap.until("once\t"), /once\tnil/);
    assert.equal(
      await t.run(
        "y = tmr.create() y:alarm(10, 0, function() print('never') end) print(y:stop(), y:stop())",
      ),
      "true\tfalse\r\n",
    );
    assert.equal(await t.run("y:interval(3) print(y:state())"), "false\t0\r\n");
    assert.match(
      await t.run("y:alarm(0, 0, print)"),
      /bad argument #1 to 'alarm' \(Range: 1-6870947\)/,
    );
    assert.match(
      await t.run("y:alarm(5, 7, print)"),
      /bad argument #2 to 'alarm' \(Invalid mode\)/,
    );
    assert.match(
      await t.run("y:alarm(5, 0, 'x')"),
      /bad argument #3 to 'alarm' \(Must be function\)/,
    );
    assert.ok(!t.tap.text.includes("never"));
  });
});

Deno.test("tmr: now and time follow the board's clock; delay keeps the CPU busy", async () => {
  await withNodemcu(async (t) => {
    const [a, b] = (await t.run("a = tmr.now() tmr.delay(250000) print(a, tmr.now())")).trim()
      .split("\t").map(Number);
    assert.ok(b! - a! >= 250_000 && b! - a! < 260_000, `${a} ${b}`);
    assert.equal(await t.run("=tmr.time() >= 0, tmr.now() < 2^31"), "true\ttrue\r\n");
    assert.match(await t.run("tmr.delay(0)"), /bad argument #1 to 'delay' \(wrong arg range\)/);
  });
});

Deno.test("tmr: 2.x's static timers", async () => {
  await withNodemcu(async (t) => {
    t.tap.clear();
    t.tap.type("tmr.alarm(3, 10, tmr.ALARM_SINGLE, function() print('static') end)\r\n");
    assert.match(await t.tap.until("> static"), /end\)\r\n> static/);
    assert.match(
      await t.run("tmr.alarm(7, 10, 0, print)"),
      /bad argument #1 to 'alarm' \(invalid timer index\)/,
    );
  }, { banner: { version: "2.2.0.0" } });
});
