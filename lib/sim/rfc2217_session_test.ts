import assert from "node:assert/strict";
import type { Signals } from "../transport/types.ts";
import { COM_PORT_OPTION, Rfc2217Session } from "./rfc2217_session.ts";
import { DO, DONT, IAC, SB, SE, subnegotiation, WILL, WONT } from "./telnet_codec.ts";

function session() {
  const sent: number[][] = [];
  const calls = {
    data: [] as number[],
    baud: [] as number[],
    signals: [] as Signals[],
    purge: [] as number[],
  };
  const s = new Rfc2217Session({
    data: (b) => calls.data.push(...b),
    setBaudRate: (b) => calls.baud.push(b),
    setSignals: (x) => calls.signals.push(x),
    purge: (w) => calls.purge.push(w),
  }, (b) => sent.push([...b]));
  return { s, sent, calls };
}

const sb = (...payload: number[]) => subnegotiation(COM_PORT_OPTION, new Uint8Array(payload));

Deno.test("negotiation: offers, accepts BINARY/SGA/COM-PORT, refuses ECHO and unknown, no loops", () => {
  const { s, sent } = session();
  s.start();
  assert.deepEqual(sent.splice(0), [[IAC, WILL, 0], [IAC, WILL, 3], [IAC, WILL, 44], [IAC, DO, 0], [
    IAC,
    DO,
    3,
  ], [IAC, DO, 44]]);
  s.receive(new Uint8Array([IAC, DO, 44]));
  assert.deepEqual(
    sent.splice(0),
    [[...sb(107, 0)]],
    "agreed: first NOTIFY-MODEMSTATE, no repeated WILL",
  );
  s.receive(new Uint8Array([IAC, WILL, 44, IAC, DO, 1, IAC, WILL, 24]));
  assert.deepEqual(sent.splice(0), [[IAC, WONT, 1], [IAC, DONT, 24]]);
  s.receive(new Uint8Array([IAC, DO, 3, IAC, DONT, 3]));
  assert.deepEqual(sent.splice(0), [[IAC, WONT, 3]], "on, then off: acknowledged once");
  s.receive(new Uint8Array([IAC, DONT, 3]));
  assert.deepEqual(sent.splice(0), [], "already off");
});

Deno.test("COM-PORT-OPTION: settings are applied and acknowledged with code + 100", () => {
  const { s, sent, calls } = session();
  s.receive(new Uint8Array([...sb(1, 0, 0x0e, 0x10, 0x00), ...sb(2, 8), ...sb(3, 1), ...sb(4, 1)]));
  assert.deepEqual(calls.baud, [921600]);
  assert.deepEqual(sent.splice(0), [
    [...sb(107, 0)], // the client never answered the offers: its first command counts as agreement
    [...sb(101, 0, 0x0e, 0x10, 0)],
    [...sb(102, 8)],
    [...sb(103, 1)],
    [...sb(104, 1)],
  ]);
  s.receive(sb(1, 0, 0, 0, 0));
  assert.deepEqual(
    sent.splice(0),
    [[...sb(101, 0, 0x0e, 0x10, 0)]],
    "a query answers the current rate",
  );
  s.receive(
    new Uint8Array([
      ...sb(5, 8),
      ...sb(5, 11),
      ...sb(5, 9),
      ...sb(5, 7),
      ...sb(5, 10),
      ...sb(5, 1),
      ...sb(5, 0),
    ]),
  );
  assert.deepEqual(calls.signals, [{ dtr: true, rts: false }, { dtr: true, rts: true }, {
    dtr: false,
    rts: true,
  }]);
  assert.deepEqual(sent.splice(0).map((m) => m[4]), [8, 11, 9, 9, 11, 1, 1]);
  s.receive(new Uint8Array([...sb(12, 1), ...sb(7), ...sb(0), ...sb(11, 0xff)]));
  assert.deepEqual(calls.purge, [1]);
  const replies = sent.splice(0);
  assert.deepEqual(replies[0], [...sb(112, 1)]);
  assert.deepEqual(replies[1], [...sb(107, 0)]);
  assert.equal(replies[2]?.[3], 100, "signature");
  assert.deepEqual(replies[3], [IAC, SB, 44, 111, 0xff, 0xff, IAC, SE]);
});

Deno.test("data passes through with IAC unescaped and escaped", () => {
  const { s, calls } = session();
  s.receive(new Uint8Array([0xc0, IAC, IAC, 0xc0]));
  assert.deepEqual(calls.data, [0xc0, 0xff, 0xc0]);
  assert.deepEqual([...s.escape(new Uint8Array([0xff]))], [0xff, 0xff]);
});
