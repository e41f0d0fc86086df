import { beforeEach, describe, expect, it } from "vitest";
import { BASE, api, call, clearTables, rowCount } from "./helpers";

beforeEach(clearTables);

function register(links: unknown[], key?: string): Promise<Response> {
  return api("/api/links", { method: "POST", body: JSON.stringify({ links }) }, key);
}

describe("tracked links", () => {
  it("redirects a registered code to its URL and queues the click", async () => {
    const response = await register([{ code: "abc123", url: "https://shop.example/sale?x=1", campaign: "spring",
      friend: "U" + "e".repeat(32) }]);
    expect(await response.json()).toEqual({ registered: 1 });
    const hop = await call(new Request(`${BASE}/r/abc123?url=https://evil.example/`, { redirect: "manual" }));
    expect(hop.status).toBe(302);
    expect(hop.headers.get("location")).toBe("https://shop.example/sale?x=1");
    const page = (await (await api("/api/events?after=0")).json()) as {
      events: { kind: string; event: Record<string, unknown> }[] };
    expect(page.events).toHaveLength(1);
    expect(page.events[0].kind).toBe("click");
    expect(page.events[0].event).toMatchObject({ type: "click", code: "abc123", campaign: "spring",
      friend: "U" + "e".repeat(32), url: "https://shop.example/sale?x=1" });
  });

  it("answers 404 for unknown or malformed codes and records nothing", async () => {
    await register([{ code: "known", url: "https://shop.example/" }]);
    for (const path of ["/r/unknown", "/r/", "/r/%2F%2Fevil.example", "/r/known/extra", "/r/https:%2F%2Fevil.example"]) {
      const response = await call(new Request(`${BASE}${path}`, { redirect: "manual" }));
      expect(response.status, path).toBe(404);
      expect(response.headers.get("location")).toBeNull();
    }
    expect(await rowCount("events")).toBe(0);
  });

  it("registers only absolute http(s) URLs, all or nothing, and only with the key", async () => {
    for (const url of ["javascript:alert(1)", "//evil.example/", "data:text/html,x", "/relative", 42]) {
      const response = await register([{ code: "ok1", url: "https://shop.example/" }, { code: "bad", url }]);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ index: 1 });
    }
    expect((await register([{ code: "bad code!", url: "https://shop.example/" }])).status).toBe(400);
    expect((await register([{ code: "k", url: "https://shop.example/" }], "wrong-key-wrong-key")).status).toBe(401);
    expect(await rowCount("links")).toBe(0);
  });

  it("registers thousands of codes in one request", async () => {
    const links = Array.from({ length: 5000 }, (_, i) => ({ code: `c${i}`, url: `https://shop.example/p/${i}`,
      campaign: "bulk", friend: null }));
    expect(await (await register(links)).json()).toEqual({ registered: 5000 });
    expect(await rowCount("links")).toBe(5000);
    const hop = await call(new Request(`${BASE}/r/c4999`, { redirect: "manual" }));
    expect(hop.headers.get("location")).toBe("https://shop.example/p/4999");
  });
});
