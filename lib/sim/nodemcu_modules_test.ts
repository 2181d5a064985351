import assert from "node:assert/strict";
import { withNodemcu } from "../../tests/support/nodemcu_board.ts";

const MODULES =
  "=type(node), type(file), type(tmr), type(uart), type(crypto), type(encoder), type(bit)";

Deno.test("modules: exactly the image's list (banner `modules:`), as `node.info('build_config')` says", async () => {
  await withNodemcu(async (t) => {
    assert.equal(await t.run(MODULES), "table\ttable\tnil\ttable\ttable\ttable\tnil\r\n");
    assert.equal(
      await t.run("=node.info('build_config').modules"),
      "crypto,encoder,file,node,uart\r\n",
    );
  }, { banner: { version: "3.0.0.0", modules: ["crypto", "encoder", "file", "node", "uart"] } });
});

Deno.test("modules: an image without a module list has NodeMCU's defaults (no crypto, encoder, bit)", async () => {
  await withNodemcu(async (t) => {
    assert.equal(await t.run(MODULES), "table\ttable\ttable\ttable\tnil\tnil\tnil\r\n");
    assert.equal(await t.run("=select('#', node.info())"), "8\r\n");
  }, { banner: { version: "2.2.0.0" } });
  await withNodemcu(async (t) => {
    assert.equal(
      await t.run("=node.info('build_config').modules"),
      "file,gpio,net,node,tmr,uart,wifi\r\n",
    );
  });
});
