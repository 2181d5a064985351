import assert from "node:assert/strict";
import { FrameInput, type FrameKind } from "./frame_input.ts";

Deno.test("FrameInput: frames in order, one at a time, faults reported, stop drops the rest", async () => {
  const seen: Array<[number, FrameKind]> = [];
  const faults: unknown[] = [];
  let running = 0;
  const input = new FrameInput({
    maxFrameLength: 4,
    onFrame: async (frame, kind) => {
      assert.equal(running++, 0, "never two at once");
      await new Promise((r) => setTimeout(r, 1));
      running--;
      if (frame[0] === 0xee) throw new Error("bug");
      seen.push([frame[0] ?? -1, kind]);
    },
    onFault: (e) => faults.push(e),
  });
  input.push(
    new Uint8Array([
      0xc0,
      1,
      0xc0,
      0xc0,
      0xee,
      0xc0,
      0xc0,
      2,
      0xdb,
      0x00,
      0xc0,
      0xc0,
      3,
      3,
      3,
      3,
      3,
      0xc0,
    ]),
  );
  await input.idle();
  assert.deepEqual(seen, [[1, "frame"], [2, "invalid-escape"], [3, "oversize"]]);
  assert.equal(faults.length, 1);
  input.push(new Uint8Array([0xc0, 4, 0xc0]));
  input.stop();
  await input.idle();
  input.push(new Uint8Array([0xc0, 5, 0xc0]));
  await input.idle();
  assert.equal(seen.length, 3);
});
