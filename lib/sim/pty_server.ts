/**
 * The pty endpoint (Linux): a pseudo-terminal whose master side is the simulated board, so any
 * serial program can open `/dev/pts/N`. The slave is made raw at once (a fresh pty echoes and
 * eats control bytes), the simulator keeps its own slave descriptor open (so the master never
 * sees a hang-up when a program closes the port), and the host's baud rate is read from the
 * tty's termios (TCGETS2 on the master) whenever data arrives. A pty has no modem lines: the
 * board never sees a reset from here.
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";
import type { SimBoard } from "./board.ts";
import { openPtyLibc, type PtyLibc, TERMIOS } from "./pty_libc.ts";

/** Output kept for a slow or absent reader before it is dropped. */
const MAX_PENDING = 64 * 1024;

/** A running pty endpoint. */
export interface PtyServer {
  /** `/dev/pts/N`. */
  readonly path: string;
  /** Stops serving and closes both ends. */
  close(): Promise<void>;
}

/**
 * Serves a board on a new pty.
 *
 * @param board the board
 * @returns the endpoint
 * @throws when the pty cannot be created (no FFI permission, not Linux)
 *
 * @example
 * ```ts ignore
 * import { SimBoard } from "./board.ts";
 * import { startPtyServer } from "./pty_server.ts";
 * const board = new SimBoard();
 * const pty = startPtyServer(board);
 * if (!pty.path.startsWith("/dev/pts/")) throw new Error(pty.path);
 * await pty.close();
 * await board.close();
 * ```
 */
export function startPtyServer(board: SimBoard): PtyServer {
  let libc: PtyLibc;
  try {
    libc = openPtyLibc();
  } catch (cause) {
    throw userError(
      "sim/pty-needs-ffi",
      "Cannot load libc for the simulator's pty endpoint",
      "The pty endpoint works on Linux (glibc) and needs --allow-ffi (or -A).",
      { cause },
    );
  }
  const fds = new Int32Array(2);
  const name = new Uint8Array(128);
  if (
    libc.openpty(
      new Uint8Array(fds.buffer, 0, 4),
      new Uint8Array(fds.buffer, 4, 4),
      name,
      null,
      null,
    ) !== 0
  ) {
    libc.release();
    throw deviceError(
      "sim/pty",
      "Cannot create a pseudo-terminal for the simulated board (openpty failed)",
      "Check that /dev/ptmx exists and that the process may open it.",
    );
  }
  const [master, slave] = [fds[0]!, fds[1]!];
  makeRaw(libc, slave);
  libc.fcntl(master, TERMIOS.F_SETFL, libc.fcntl(master, TERMIOS.F_GETFL, 0) | TERMIOS.O_NONBLOCK);
  const path = new TextDecoder().decode(name.subarray(0, name.indexOf(0)));
  const pending: Uint8Array[] = [];
  const baud = hostBaud(libc, master);
  board.setBaudRate(baud);
  board.attachHost((bytes) => {
    // Nobody reading the pty: like a UART nobody listens to, old output is lost.
    if (pending.reduce((n, p) => n + p.length, 0) > MAX_PENDING) pending.length = 0;
    pending.push(bytes.slice());
    flush(libc, master, pending);
  }, `pty ${path}`);
  const state = { closed: false, baud };
  const loop = pump(libc, master, board, pending, state);
  return {
    path,
    async close() {
      if (state.closed) return;
      state.closed = true;
      await loop;
      board.detachHost();
      libc.close(slave);
      libc.close(master);
      libc.release();
    },
  };
}

/** Polls the master (50 ms at a time, so close is prompt) and moves bytes both ways. */
async function pump(
  libc: PtyLibc,
  master: number,
  board: SimBoard,
  pending: Uint8Array[],
  state: { closed: boolean; baud: number | undefined },
): Promise<void> {
  const pollfd = new Uint8Array(8);
  const view = new DataView(pollfd.buffer);
  const buf = new Uint8Array(4096);
  const read = () => Number(libc.read(master, buf, BigInt(buf.length)));
  while (!state.closed) {
    view.setInt32(0, master, true);
    view.setInt16(4, TERMIOS.POLLIN | (pending.length > 0 ? TERMIOS.POLLOUT : 0), true);
    view.setInt16(6, 0, true);
    if ((await libc.poll(pollfd, 1n, 50)) <= 0 || state.closed) continue;
    const revents = view.getInt16(6, true);
    if (revents & TERMIOS.POLLOUT) flush(libc, master, pending);
    if (!(revents & TERMIOS.POLLIN)) continue;
    for (let n = read(); n > 0; n = read()) {
      const now = hostBaud(libc, master);
      if (now !== state.baud) board.setBaudRate(state.baud = now);
      board.receive(buf.slice(0, n));
    }
  }
}

function makeRaw(libc: PtyLibc, fd: number): void {
  const t = new Uint8Array(TERMIOS.SIZE);
  libc.tcgetattr(fd, t);
  libc.cfmakeraw(t);
  const view = new DataView(t.buffer);
  view.setUint32(
    TERMIOS.CFLAG,
    view.getUint32(TERMIOS.CFLAG, true) | TERMIOS.CLOCAL | TERMIOS.CREAD,
    true,
  );
  t[TERMIOS.CC + TERMIOS.VMIN] = 1;
  t[TERMIOS.CC + TERMIOS.VTIME] = 0;
  libc.tcsetattr(fd, TERMIOS.TCSANOW, t);
}

function hostBaud(libc: PtyLibc, master: number): number | undefined {
  const t2 = new Uint8Array(TERMIOS.TERMIOS2_SIZE);
  if (libc.ioctl(master, BigInt(TERMIOS.TCGETS2), t2) !== 0) return undefined;
  const speed = new DataView(t2.buffer).getUint32(TERMIOS.TERMIOS2_OSPEED, true);
  return speed > 0 ? speed : undefined;
}

function flush(libc: PtyLibc, fd: number, pending: Uint8Array[]): void {
  while (pending.length > 0) {
    const head = pending[0]!;
    const n = Number(libc.write(fd, head, BigInt(head.length)));
    if (n <= 0) return;
    if (n < head.length) {
      pending[0] = head.subarray(n);
      return;
    }
    pending.shift();
  }
}
