import assert from "node:assert/strict";
import { SimBoard } from "./board.ts";
import { TaskLoop } from "./nodemcu_tasks.ts";

function setUp(pace: "instant" | "realtime" = "instant") {
  const board = new SimBoard({ bootMode: "download", pace });
  const ran: string[] = [];
  const loop = new TaskLoop(board.device, {
    ready: () => false,
    handle: () => Promise.resolve(),
    next: () => undefined,
  });
  return { board, loop, ran };
}

Deno.test("TaskLoop: tasks run by priority, first in first out within one", async () => {
  const { board, loop, ran } = setUp();
  loop.post(0, () => void ran.push("low 1"));
  loop.post(1, () => void ran.push("medium"));
  loop.post(0, () => void ran.push("low 2"));
  loop.post(2, () => {
    ran.push("high");
    loop.post(2, () => void ran.push("high again"));
  });
  loop.start();
  await loop.idle();
  assert.deepEqual(ran, ["high", "high again", "medium", "low 1", "low 2"]);
  loop.stop();
  await board.close();
});

Deno.test("TaskLoop: instant pace: a timer fires on the board's clock after its interval, in order", async () => {
  const { board, loop, ran } = setUp();
  loop.start();
  const t0 = board.clock.now();
  const at: number[] = [];
  loop.timer(30, () => void (ran.push("30"), at.push(board.clock.now() - t0)));
  loop.timer(10, () => void (ran.push("10"), at.push(board.clock.now() - t0)));
  const tick = loop.timer(20, () => void ran.push("tick"), { repeat: true });
  while (ran.length < 4) await new Promise((r) => setTimeout(r, 5));
  tick.cancel();
  assert.deepEqual(ran.slice(0, 4), ["10", "tick", "30", "tick"]);
  assert.ok(at[0]! >= 10_000 && at[1]! >= 30_000, `${at}`);
  // Busy work past a timer's due time makes it due at once.
  loop.timer(1000, () => void ran.push("late"));
  board.device.work(2_000_000);
  await board.device.settle();
  loop.post(1, () => {});
  while (!ran.includes("late")) await new Promise((r) => setTimeout(r, 5));
  loop.stop();
  await board.close();
});

Deno.test("TaskLoop: a stopped loop runs nothing more and is idle", async () => {
  const { board, loop, ran } = setUp();
  loop.start();
  loop.timer(5, () => void ran.push("timer"));
  loop.stop();
  loop.post(1, () => void ran.push("task"));
  await loop.idle();
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(ran, []);
  await board.close();
});
