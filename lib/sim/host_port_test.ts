import assert from "node:assert/strict";
import { FaultInjector } from "./fault_injector.ts";
import { HostPort } from "./host_port.ts";
import type { SimEvent } from "./sim_event.ts";
import { TimeModel } from "./time_model.ts";
import { SimUart } from "./uart.ts";

function port(options: { pace?: "instant" | "realtime"; delayMs?: number } = {}) {
  const uart = new SimUart();
  const events: SimEvent[] = [];
  const model = new TimeModel({ pace: options.pace ?? "instant" });
  const faults = new FaultInjector(
    options.delayMs === undefined ? {} : { delayMs: options.delayMs },
    0,
    { injected() {}, disconnect() {}, unplug() {}, brownout() {} },
  );
  const p = new HostPort({
    uart,
    model,
    faults,
    emit: (e) => events.push(e),
    listening: () => true,
  });
  return { uart, p, events, model };
}

Deno.test("HostPort: one host at a time; bytes to nobody still take wire time; events both ways", () => {
  const { uart, p, events, model } = port();
  const got: number[] = [];
  uart.send(new Uint8Array([9]));
  assert.equal(model.counters.bytesToHost, 1, "sent into the void, on the wire all the same");
  p.attach((b) => got.push(...b), "a");
  uart.send(new Uint8Array([1]));
  const received: number[] = [];
  uart.setReceiver((b) => received.push(...b));
  p.receive(new Uint8Array([2, 3]), 115200);
  p.detach();
  uart.send(new Uint8Array([4]));
  assert.deepEqual([got, received], [[1], [2, 3]]);
  assert.deepEqual(events.map((e) => e.type), ["host", "rx", "host"]);
  assert.ok(p.arrival.modelUs > 0);
});

Deno.test("HostPort: delayed bytes keep their order and are dropped when the host goes", async () => {
  const { uart, p } = port({ delayMs: 30 });
  const got: number[] = [];
  p.attach((b) => got.push(...b), "a");
  uart.send(new Uint8Array([1]));
  uart.send(new Uint8Array([2]));
  assert.deepEqual(got, []);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(got, [1, 2]);
  uart.send(new Uint8Array([3]));
  p.detach();
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(got, [1, 2]);
  let hung = 0;
  const off = p.onHangUp(() => hung++);
  p.attach(() => {}, "b");
  p.hangUp();
  off();
  p.hangUp();
  assert.equal(hung, 1);
  assert.equal(p.endpoint, undefined);
  p.dispose();
});
