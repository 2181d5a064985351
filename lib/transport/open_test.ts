import assert from "node:assert/strict";
import { createMemoryLink } from "./memory.ts";
import { type OpenTransportOptions, TransportRegistry } from "./open.ts";
import { PtyPair } from "./serial/pty_pair.ts";

Deno.test("open: registered schemes get the URL and options; built-ins cannot be replaced", async () => {
  const registry = new TransportRegistry();
  const seen: [string, OpenTransportOptions][] = [];
  registry.register("sim:", (url, options) => {
    seen.push([url, options]);
    return Promise.resolve(createMemoryLink({ receive() {} }, { url, kind: "sim" }).transport);
  });
  const t = await registry.open("sim://?boot=flash", { baudRate: 74880 });
  assert.equal(t.info.kind, "sim");
  assert.deepEqual(seen, [["sim://?boot=flash", { baudRate: 74880 }]]);
  assert.deepEqual(registry.schemes, ["sim"]);
  await t.close();
  assert.throws(() => registry.register("rfc2217", () => Promise.reject()), {
    code: "transport/bad-scheme",
  });
  await assert.rejects(
    registry.open("mqtt://x"),
    (e: Error & { hint?: string }) =>
      /unknown scheme "mqtt:"/.test(e.message) && /sim:\/\//.test(e.hint ?? ""),
  );
  await assert.rejects(registry.open("tty0"), { code: "transport/bad-url" });
});

Deno.test("open: socket:// and rfc2217:// reach their adapters", async () => {
  const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const registry = new TransportRegistry();
  const accepted = server.accept();
  const t = await registry.open(`socket://127.0.0.1:${server.addr.port}`, { baudRate: 9600 });
  assert.deepEqual(t.info, {
    url: `socket://127.0.0.1:${server.addr.port}`,
    kind: "tcp",
    modemLines: false,
  });
  assert.equal(t.baudRate, 9600);
  await t.close();
  (await accepted).close();
  server.close();
  // Options are checked before connecting; then the closed port is unreachable.
  await assert.rejects(registry.open(`rfc2217://127.0.0.1:${server.addr.port}?bogus`), {
    code: "transport/bad-url",
  });
  await assert.rejects(registry.open(`rfc2217://127.0.0.1:${server.addr.port}`), {
    code: "port/unreachable",
  });
});

Deno.test({
  name: "open: a device path opens the serial adapter",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const pty = PtyPair.open();
    const lockDir = await Deno.makeTempDir();
    try {
      const t = await new TransportRegistry().open(pty.slavePath, { lockDir });
      assert.equal(t.info.kind, "serial");
      await t.close();
    } finally {
      pty.close();
      await Deno.remove(lockDir, { recursive: true });
    }
  },
});
