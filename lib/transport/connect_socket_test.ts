import assert from "node:assert/strict";
import { connectSocket } from "./connect_socket.ts";

Deno.test("connectSocket: refused connections are port/unreachable naming the URL", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  await assert.rejects(
    connectSocket("127.0.0.1", port, { url: "rfc2217://lab:1" }),
    (e: Error & { code?: string; hint?: string }) =>
      e.code === "port/unreachable" && e.message.includes("rfc2217://lab:1") &&
      /ser2net/.test(e.hint ?? ""),
  );
});

Deno.test("connectSocket: an aborted signal stops the connect", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  await assert.rejects(
    connectSocket("127.0.0.1", l.addr.port, { url: "x", signal: AbortSignal.abort() }),
  );
  l.close();
});
