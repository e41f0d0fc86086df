import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../src/index";
import { KEEP_ACKNOWLEDGED_MS } from "../src/events";
import { api, clearTables, followEvent, postWebhook, rowCount } from "./helpers";

beforeEach(clearTables);

async function deliver(ids: string[]): Promise<void> {
  const events = ids.map((id) => followEvent(id, "U" + "d".repeat(32)));
  expect((await postWebhook(JSON.stringify({ events }))).status).toBe(200);
}

describe("the pull API", () => {
  it("refuses a missing or wrong key with 401 and no data", async () => {
    await deliver(["E1"]);
    for (const key of [null, "wrong-key-wrong-key-wrong", "test-relay-key-012345678"]) {
      const response = await api("/api/events?after=0", {}, key);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("E1");
    }
    expect((await api("/api/ack", { method: "POST", body: '{"cursor": 99}' }, "nope-nope-nope-nope")).status).toBe(401);
    const acked = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE acked_at IS NOT NULL").first<{ n: number }>();
    expect(acked?.n).toBe(0);
  });

  it("serves events after a cursor in arrival order, in pages", async () => {
    await deliver(["E1", "E2"]);
    await deliver(["E3"]);
    const first = (await (await api("/api/events?after=0&limit=2")).json()) as {
      events: { cursor: number; id: string; kind: string; event: { webhookEventId: string } }[]; cursor: number; more: boolean };
    expect(first.events.map((e) => e.id)).toEqual(["E1", "E2"]);
    expect(first.events[0].event.webhookEventId).toBe("E1");
    expect(first.more).toBe(true);
    const second = (await (await api(`/api/events?after=${first.cursor}&limit=2`)).json()) as typeof first;
    expect(second.events.map((e) => e.id)).toEqual(["E3"]);
    expect(second.more).toBe(false);
    const empty = (await (await api(`/api/events?after=${second.cursor}`)).json()) as typeof first;
    expect(empty.events).toEqual([]);
    expect(empty.cursor).toBe(second.cursor);
    expect((await api("/api/events?after=-1")).status).toBe(400);
  });

  it("acknowledges up to a cursor; the scheduled trigger deletes acknowledged events after 7 days", async () => {
    await deliver(["E1", "E2", "E3"]);
    const page = (await (await api("/api/events?after=0")).json()) as { events: { cursor: number }[] };
    const ack = await api("/api/ack", { method: "POST", body: JSON.stringify({ cursor: page.events[1].cursor }) });
    expect(await ack.json()).toEqual({ acknowledged: 2 });
    await worker.scheduled!(createScheduledController(), env, {} as ExecutionContext);
    expect(await rowCount("events")).toBe(3); // acknowledged just now: kept
    await env.DB.prepare("UPDATE events SET acked_at = acked_at - ?1 WHERE acked_at IS NOT NULL")
      .bind(KEEP_ACKNOWLEDGED_MS + 1000).run();
    await worker.scheduled!(createScheduledController(), env, {} as ExecutionContext);
    const { results } = await env.DB.prepare("SELECT id FROM events").all<{ id: string }>();
    expect(results.map((r) => r.id)).toEqual(["E3"]);
  });

  it("reports how many events wait", async () => {
    await deliver(["E1", "E2"]);
    const status = (await (await api("/api/status")).json()) as { ok: boolean; pending: number };
    expect(status).toMatchObject({ ok: true, pending: 2 });
  });

  it("refuses to serve without a relay key set", async () => {
    const { call, BASE } = await import("./helpers");
    const response = await call(new Request(`${BASE}/api/events`, { headers: { authorization: "Bearer " } }),
      { SHOPLINE_RELAY_KEY: undefined });
    expect(response.status).toBe(503);
  });
});
