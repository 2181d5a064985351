import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { parseTransportUrl } from "./transport_url.ts";

Deno.test("transport url: device paths", () => {
  for (
    const path of [
      "/dev/ttyUSB0",
      "/dev/serial/by-id/usb-1a86_USB2.0-Ser_-if00-port0",
      "/dev/cu.usbserial-0001",
      "./x/ttyB",
      "COM3",
      "com12",
      "\\\\.\\COM10",
    ]
  ) {
    assert.deepEqual(parseTransportUrl(path), { kind: "serial", path }, path);
  }
});

Deno.test("transport url: rfc2217 and socket URLs with host, port and options", () => {
  assert.deepEqual(parseTransportUrl("rfc2217://10.0.0.5:4000?ign_set_control&ack_timeout=200"), {
    kind: "rfc2217",
    url: "rfc2217://10.0.0.5:4000?ign_set_control&ack_timeout=200",
    host: "10.0.0.5",
    port: 4000,
    params: { ign_set_control: "", ack_timeout: "200" },
  });
  assert.deepEqual(parseTransportUrl("socket://[::1]:2217"), {
    kind: "tcp",
    url: "socket://[::1]:2217",
    host: "::1",
    port: 2217,
  });
  assert.deepEqual(parseTransportUrl("SIM://board?boot=flash"), {
    kind: "scheme",
    url: "SIM://board?boot=flash",
    scheme: "sim",
  });
});

Deno.test("transport url: unusable strings are user errors whose hint lists the forms", () => {
  const bad = [
    "",
    "ttyUSB0",
    "rfc2217://host",
    "rfc2217://:4000",
    "rfc2217://h:0",
    "rfc2217://h:70000",
    "socket://h:1/path",
    "socket://h:1?x=1",
    "board",
  ];
  for (const text of bad) {
    assert.throws(() => parseTransportUrl(text, { schemes: ["sim"] }), (e) => {
      assert.ok(isNodeflashError(e), text);
      assert.equal(e.code, "transport/bad-url", text);
      assert.equal(e.kind, "user");
      assert.match(e.hint ?? "", /rfc2217:\/\/host:port/);
      assert.match(e.hint ?? "", /sim:\/\//);
      return true;
    });
  }
  assert.throws(() => parseTransportUrl("ttyUSB0"), /did you mean \/dev\/ttyUSB0/);
});
