// The manifest's HTTP servers, started for real and asked with Node's fetch.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { HttpFixtures } from "./http-fixtures";

const fixtures = new HttpFixtures();
afterEach(() => fixtures.dispose());

/** A raw request, so repeated fields and trailers arrive as sent. */
function get(addr: string, path: string, headers: Array<[string, string]> = [], method = "GET"): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; trailers: Record<string, string | undefined> }> {
  const [host, port] = addr.split(":");
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path, method, headers: [["host", addr], ...headers].flat() as unknown as Record<string, string> }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body, trailers: res.trailers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("HttpFixtures", () => {
  it("answers the endpoints by method and raw path, 404 otherwise; chunks with trailers; echo modes", async () => {
    const { addresses } = await fixtures.start([
      {
        name: "main",
        endpoints: [
          { method: "GET", path: "/q?x=1", response: { status: 201, body: "made" } },
          { method: "GET", path: "/chunks", response: { status: 200, chunks: ["a", "b"], trailers: { "x-sum": "2" } } },
          { method: "GET", path: "/echo-headers", mode: "echo-headers" },
        ],
      },
      { name: "dead", kind: "closed" },
    ]);
    expect(await get(addresses.main!, "/q?x=1")).toMatchObject({ status: 201, body: "made" });
    expect((await get(addresses.main!, "/q")).status).toBe(404);
    expect(await get(addresses.main!, "/chunks")).toMatchObject({ body: "ab", trailers: { "x-sum": "2" } });
    const echoed = await get(addresses.main!, "/echo-headers", [["x-multi", "one"], ["x-multi", "two"]]);
    expect(echoed.headers).toMatchObject({ "x-echo-x-multi": "one, two", "x-request-method": "GET", "x-request-path": "/echo-headers", "x-echo-host": addresses.main });
    await expect(get(addresses.dead!, "/")).rejects.toThrow(/ECONNREFUSED/);
  });
});
