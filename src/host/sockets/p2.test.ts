// wasi:sockets@0.2.x: the start/finish calls, pollables and wasi:io streams over the same virtual
// network as 0.3 (a real hub and MessageChannels). `canSuspend` makes blocking io calls return the
// Promise JSPI would suspend on, which the test awaits.
import { afterEach, describe, expect, it } from "vitest";
import { createHost } from "..";
import { parseAllowList } from "../../base/allow-list";
import { SocketsCtx } from "./ctx";
import { NetHub } from "./vnet/hub";

type Fn = (...a: unknown[]) => unknown;
type Obj = Record<string, Fn>;
const v4 = (port: number, address = [127, 0, 0, 1]) => ({ tag: "ipv4", val: { port, address } });

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

let nextNode = 1;
function host(hub: NetHub, allow = "") {
  const sockets = new SocketsCtx({ node: hub.attachLocal(nextNode++, "p2-guest"), allow: parseAllowList(allow).entries, component: "p2-guest" });
  cleanups.push(() => sockets.closeAll());
  const h = createHost({
    cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write() {} }, stderr: { write() {} } },
    blocking: { canSuspend: true },
    sockets,
  });
  const iface = (name: string) => h.interfaces.get(`${name}@0.2.12`) as Record<string, unknown>;
  const network = (iface("wasi:sockets/instance-network").instanceNetwork as Fn)();
  return {
    network,
    tcp: () => (iface("wasi:sockets/tcp-create-socket").createTcpSocket as Fn)("ipv4") as Obj,
    udp: () => (iface("wasi:sockets/udp-create-socket").createUdpSocket as Fn)("ipv4") as Obj,
    lookup: (name: string) => (iface("wasi:sockets/ip-name-lookup").resolveAddresses as Fn)(network, name) as Obj,
    poll: iface("wasi:io/poll").poll as Fn,
  };
}

/** The bare 0.2 error code of a failing call. */
function code(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    return String((e as { payload?: unknown }).payload ?? e);
  }
  return "no error";
}

/** `pollable.block()`: returns at once when ready, else the Promise the guest would suspend on. */
const block = async (pollable: Obj) => {
  await pollable.block!();
};

describe("wasi:sockets 0.2 TCP", () => {
  it("binds, listens, connects and echoes through wasi:io streams", async () => {
    const g = host(new NetHub(() => Promise.reject(new Error("no relay"))));
    const server = g.tcp();
    expect(code(() => server.finishBind!())).toBe("not-in-progress");
    server.startBind!(g.network, v4(0));
    server.finishBind!();
    expect(code(() => server.startBind!(g.network, v4(0)))).toBe("invalid-state");
    server.startListen!();
    server.finishListen!();
    const addr = server.localAddress!() as ReturnType<typeof v4>;
    expect(code(() => server.accept!())).toBe("would-block");

    const client = g.tcp();
    client.startConnect!(g.network, addr);
    expect(code(() => client.finishConnect!())).toBe("would-block");
    await block(client.subscribe!() as Obj);
    const [cin, cout] = client.finishConnect!() as [Obj, Obj];
    await block(server.subscribe!() as Obj);
    const [conn, sin, sout] = server.accept!() as [Obj, Obj, Obj];
    expect(conn.remoteAddress!()).toEqual(client.localAddress!());

    await cout.blockingWriteAndFlush!(new TextEncoder().encode("over 0.2"));
    await block(sin.subscribe!() as Obj);
    const got = sin.read!(64n) as Uint8Array;
    expect(new TextDecoder().decode(got)).toBe("over 0.2");
    await sout.blockingWriteAndFlush!(got);
    expect(new TextDecoder().decode((await cin.blockingRead!(64n)) as Uint8Array)).toBe("over 0.2");

    client.shutdown!("send");
    await block(sin.subscribe!() as Obj);
    expect((() => {
      try {
        sin.read!(1n);
      } catch (e) {
        return (e as { tag: string }).tag;
      }
    })()).toBe("closed");
  });

  it("refuses a connect nobody listens for, and denies what the allow-list lacks", async () => {
    const g = host(new NetHub(() => Promise.reject(new Error("no relay"))));
    const a = g.tcp();
    a.startConnect!(g.network, v4(59999));
    await block(a.subscribe!() as Obj);
    expect(code(() => a.finishConnect!())).toBe("connection-refused");
    const b = g.tcp();
    b.startConnect!(g.network, v4(80, [93, 184, 216, 34]));
    await block(b.subscribe!() as Obj);
    expect(code(() => b.finishConnect!())).toBe("access-denied");
    expect(code(() => g.tcp().startConnect!(g.network, v4(0)))).toBe("invalid-argument");
    expect(code(() => g.tcp().startListen!())).toBe("invalid-state");
  });
});

describe("wasi:sockets 0.2 UDP and name lookup", () => {
  it("round-trips datagrams between two runs", async () => {
    const hub = new NetHub(() => Promise.reject(new Error("no relay")));
    const a = host(hub);
    const b = host(hub);
    const server = a.udp();
    server.startBind!(a.network, v4(5300));
    server.finishBind!();
    const [sIn, sOut] = server.stream!(undefined) as [Obj, Obj];
    await new Promise((r) => setTimeout(r, 20));

    const client = b.udp();
    client.startBind!(b.network, v4(0));
    client.finishBind!();
    const [cIn, cOut] = client.stream!(v4(5300)) as [Obj, Obj];
    expect(cOut.checkSend!()).toBe(64n);
    expect(cOut.send!([{ data: new TextEncoder().encode("ping") }])).toBe(1n);

    await block(sIn.subscribe!() as Obj);
    const [d] = sIn.receive!(10n) as Array<{ data: Uint8Array; remoteAddress: unknown }>;
    expect(new TextDecoder().decode(d!.data)).toBe("ping");
    sOut.checkSend!();
    sOut.send!([{ data: new TextEncoder().encode("pong"), remoteAddress: d!.remoteAddress }]);
    await block(cIn.subscribe!() as Obj);
    expect(new TextDecoder().decode((cIn.receive!(1n) as Array<{ data: Uint8Array }>)[0]!.data)).toBe("pong");
  });

  it("resolves names to synthetic addresses through a stream", () => {
    const g = host(new NetHub(() => Promise.reject(new Error("no relay"))));
    const s = g.lookup("example.com");
    expect(s.resolveNextAddress!()).toEqual({ tag: "ipv4", val: [198, 18, 0, 1] });
    expect(s.resolveNextAddress!()).toEqual({ tag: "ipv6", val: [0xfd57, 0x6973, 0x7000, 0, 0, 0, 0, 1] });
    expect(s.resolveNextAddress!()).toBeUndefined();
    expect(code(() => g.lookup("no spaces allowed"))).toBe("invalid-argument");
  });
});
