import { withNodemcu } from "./lib/sim/test_boards.ts";
await withNodemcu(async (t) => {
  t.tap.clear();
  t.tap.type('got = {} uart.on("data", 0, function(c) got[#got + 1] = c if #got == 256 then uart.on("data") end end, 0)\n');
  await t.tap.until(/> $/);
  t.tap.clear();
  t.board.receive(Uint8Array.from({ length: 256 }, (_, i) => i), 115200);
  await t.board.idle();
  console.log(JSON.stringify(t.tap.text), t.board.nodemcu!.runtime!.droppedBytes, t.board.nodemcu!.runtime!.console.receiveSetup);
  console.log(await t.run("s = table.concat(got) ok = #s == 256 for i = 0, 255 do ok = ok and s:byte(i + 1) == i end print(ok)"));
});
