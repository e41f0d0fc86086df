import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BASE, KEY, SECRET, api, call, clearTables, followEvent, postWebhook } from "./helpers";

beforeEach(clearTables);
afterEach(() => vi.restoreAllMocks());

describe("secrets", () => {
  it("never reach a log line, even when a request fails", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => { lines.push(args.map(String).join(" ")); });
    }
    await postWebhook(JSON.stringify({ events: [followEvent("L1", "U" + "f".repeat(32))] }));
    await postWebhook("{}", "forged");
    await api("/api/events?after=0");
    await api("/api/events?after=0", {}, "wrong-key-wrong-key");
    await call(new Request(`${BASE}/webhook`, { method: "POST", body: "{", headers: { "x-line-signature": "x" } }));
    const broken = { prepare: () => { throw new Error(`boom ${SECRET} ${KEY}`); } } as unknown as D1Database;
    expect((await call(new Request(`${BASE}/api/status`, { headers: { authorization: `Bearer ${KEY}` } }),
      { DB: broken })).status).toBe(500);
    const all = lines.join("\n");
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(KEY);
  });
});
