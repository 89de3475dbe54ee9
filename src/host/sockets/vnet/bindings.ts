/**
 * Which (protocol, address, port) triples are taken. Two bindings of one protocol, family and port
 * conflict when their addresses are equal or either is unspecified (as on Linux without
 * SO_REUSEPORT); IPv6 sockets are v6-only, so the families have separate port spaces.
 */
import type { BindingKey, NetAddr, NetProto } from "../../../protocol/net";
import { UNSPECIFIED } from "../address";

export function bindingKey(proto: NetProto, a: NetAddr): BindingKey {
  return `${proto}/${a.family}/${a.ip}/${a.port}`;
}

export function parseBindingKey(key: BindingKey): { proto: NetProto; addr: NetAddr } {
  const [proto, family, ip, port] = key.split("/") as [NetProto, NetAddr["family"], string, string];
  return { proto, addr: { family, ip, port: Number(port) } };
}

export class BindingTable<T = true> {
  /** `proto/family/port` -> ip -> owner. */
  #byPort = new Map<string, Map<string, T>>();

  #slot(proto: NetProto, a: { family: string; port: number }): string {
    return `${proto}/${a.family}/${a.port}`;
  }

  set(key: BindingKey, owner: T): void {
    const { proto, addr } = parseBindingKey(key);
    const slot = this.#slot(proto, addr);
    let ips = this.#byPort.get(slot);
    if (!ips) this.#byPort.set(slot, (ips = new Map()));
    ips.set(addr.ip, owner);
  }

  delete(key: BindingKey): void {
    const { proto, addr } = parseBindingKey(key);
    const slot = this.#slot(proto, addr);
    const ips = this.#byPort.get(slot);
    ips?.delete(addr.ip);
    if (ips?.size === 0) this.#byPort.delete(slot);
  }

  get(key: BindingKey): T | undefined {
    const { proto, addr } = parseBindingKey(key);
    return this.#byPort.get(this.#slot(proto, addr))?.get(addr.ip);
  }

  /** Whether binding `addr` would clash with a binding here. */
  conflicts(proto: NetProto, addr: NetAddr): boolean {
    const ips = this.#byPort.get(this.#slot(proto, addr));
    if (!ips) return false;
    if (addr.ip === UNSPECIFIED[addr.family]) return ips.size > 0;
    return ips.has(addr.ip) || ips.has(UNSPECIFIED[addr.family]);
  }

  /** The binding that receives traffic sent to `addr`: the exact address, else the wildcard. */
  route(proto: NetProto, addr: NetAddr): { key: BindingKey; owner: T } | null {
    const ips = this.#byPort.get(this.#slot(proto, addr));
    if (!ips) return null;
    for (const ip of [addr.ip, UNSPECIFIED[addr.family]]) {
      const owner = ips.get(ip);
      if (owner !== undefined) return { key: bindingKey(proto, { ...addr, ip }), owner };
    }
    return null;
  }

  keys(): BindingKey[] {
    const out: BindingKey[] = [];
    for (const [slot, ips] of this.#byPort) {
      const [proto, family, port] = slot.split("/");
      for (const ip of ips.keys()) out.push(`${proto}/${family}/${ip}/${port}`);
    }
    return out;
  }
}
