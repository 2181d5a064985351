import assert from "node:assert/strict";
import { Output, type ProgressBars } from "./output.ts";

const terminal = (err: string[]) => ({
  stdout: () => {},
  stderr: (t: string) => void err.push(t),
  stderrIsTerminal: true,
});

Deno.test("a terminal without the progress-bar package gets progress as lines", () => {
  const err: string[] = [];
  const progress = new Output(terminal(err), { json: false, quiet: false }).progress(
    "Writing",
    100,
  );
  progress.update(50);
  progress.end();
  assert.deepEqual(err, ["Writing... 50 % (50 of 100 bytes)\n"]);
});

Deno.test("a terminal with the package loaded draws a bar with it", () => {
  const calls: string[] = [];
  class SingleBar {
    start(total: number) {
      calls.push(`start ${total}`);
    }
    update(done: number) {
      calls.push(`update ${done}`);
    }
    stop() {
      calls.push("stop");
    }
  }
  const bars = { SingleBar, Presets: { shades_classic: {} } } as unknown as ProgressBars;
  const err: string[] = [];
  const out = new Output(terminal(err), { json: false, quiet: false, bars });
  const progress = out.progress("Writing", 100);
  progress.update(50);
  progress.end();
  assert.deepEqual(calls, ["start 100", "update 50", "stop"]);
  assert.deepEqual(err, [], "no lines besides the bar");
});
