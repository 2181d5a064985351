import assert from "node:assert/strict";
import { createMemoryLink } from "./memory.ts";
import { openTransport, type OpenTransportOptions } from "./open.ts";
import { PtyPair } from "./serial/pty_pair.ts";

Deno.test("open: given schemes get the URL and options; built-ins cannot be replaced", async () => {
  const seen: [string, OpenTransportOptions][] = [];
  const schemes = {
    "sim:": (url: string, options: OpenTransportOptions) => {
      seen.push([url, options]);
      return Promise.resolve(createMemoryLink({ receive() {} }, { url, kind: "sim" }).transport);
    },
  };
  const t = await openTransport("sim://?boot=flash", { baudRate: 74880, schemes });
  assert.equal(t.info.kind, "sim");
  assert.deepEqual(seen, [["sim://?boot=flash", { baudRate: 74880 }]]);
  await t.close();
  const reject = () => Promise.reject(new Error("not reached"));
  await assert.rejects(openTransport("rfc2217://h:1", { schemes: { rfc2217: reject } }), {
    code: "transport/bad-scheme",
  });
  await assert.rejects(
    openTransport("mqtt://x", { schemes }),
    (e: Error & { hint?: string }) =>
      /unknown scheme "mqtt:"/.test(e.message) && /sim:\/\//.test(e.hint ?? ""),
  );
  // Nothing is remembered between calls: without the opener, sim:// is unknown.
  await assert.rejects(openTransport("sim://"), { code: "transport/unknown-scheme" });
  await assert.rejects(openTransport("tty0"), { code: "transport/bad-url" });
});

Deno.test("open: socket:// and rfc2217:// reach their adapters", async () => {
  const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = server.accept();
  const t = await openTransport(`socket://127.0.0.1:${server.addr.port}`, { baudRate: 9600 });
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
  await assert.rejects(openTransport(`rfc2217://127.0.0.1:${server.addr.port}?bogus`), {
    code: "transport/bad-url",
  });
  await assert.rejects(openTransport(`rfc2217://127.0.0.1:${server.addr.port}`), {
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
      const t = await openTransport(pty.slavePath, { lockDir });
      assert.equal(t.info.kind, "serial");
      await t.close();
    } finally {
      pty.close();
      await Deno.remove(lockDir, { recursive: true });
    }
  },
});
