import { describe, expect, it } from "vitest";
import { camelCase, pascalCase } from "./names";

describe("WIT names in jco's conventions", () => {
  it("camelCase joins kebab words", () => {
    expect(camelCase("get-name")).toBe("getName");
    expect(camelCase("read-via-stream")).toBe("readViaStream");
    expect(camelCase("run")).toBe("run");
    expect(camelCase("to-u8")).toBe("toU8");
    expect(camelCase("ipv4-socket-address")).toBe("ipv4SocketAddress");
    expect(camelCase("address-1")).toBe("address1");
  });
  it("an acronym word stays upper-case, so the name is still one identifier", () => {
    expect(camelCase("get-HTTP-fields")).toBe("getHTTPFields");
  });
  it("pascalCase upper-cases the first letter as well", () => {
    expect(pascalCase("input-stream")).toBe("InputStream");
    expect(pascalCase("descriptor")).toBe("Descriptor");
    expect(pascalCase("tcp-socket")).toBe("TcpSocket");
  });
});
