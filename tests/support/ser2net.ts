/**
 * ser2net from Debian (`apt-get install ser2net`) serving a serial device over RFC 2217, for the
 * tests that check the client against a server nodeflash did not write. {@link SER2NET} is
 * `undefined` where the program (or Linux) is missing: tests use it to skip.
 *
 * @module
 */

function findProgram(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").concat(["/usr/sbin", "/sbin"])) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Where ser2net is, or `undefined` when it is not installed (or this is not Linux). */
export const SER2NET: string | undefined = Deno.build.os === "linux"
  ? findProgram("ser2net")
  : undefined;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/** A running ser2net. */
export interface Ser2net {
  /** The TCP port of its RFC 2217 accepter on 127.0.0.1. */
  port: number;
  /** Stops it. */
  stop(): Promise<void>;
}

/**
 * Starts ser2net with one RFC 2217 accepter on 127.0.0.1 in front of `device` (at 115200 8N1,
 * `local`: modem inputs ignored), and waits until it listens.
 *
 * @param device the serial device it opens (a pty's slave path in tests)
 * @param dir a directory for its configuration and pid file
 * @returns the port and a stop function
 */
export async function startSer2net(device: string, dir: string): Promise<Ser2net> {
  if (SER2NET === undefined) throw new Error("ser2net is not installed");
  const port = freePort();
  const config = `${dir}/ser2net.yaml`;
  await Deno.writeTextFile(
    config,
    `%YAML 1.1
---
connection: &board
  accepter: telnet(rfc2217),tcp,127.0.0.1,${port}
  enable: on
  connector: serialdev,${device},115200n81,local
  options:
    kickolduser: true
`,
  );
  const child = new Deno.Command(SER2NET, {
    args: ["-n", "-d", "-u", "-c", config, "-P", `${dir}/ser2net.pid`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const stop = async () => {
    try {
      child.kill();
    } catch {
      // already gone
    }
    await child.status;
  };
  // Wait until it listens (it starts in a few ms; give up after ~5 s of attempts).
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return { port, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await stop();
  throw new Error("ser2net did not start listening");
}
