import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { call, clearTables, followEvent, postWebhook, rowCount, sign, BASE } from "./helpers";

beforeEach(clearTables);

describe("POST /webhook", () => {
  it("answers LINE's connection check", async () => {
    const response = await postWebhook(JSON.stringify({ destination: "Ubot", events: [] }));
    expect(response.status).toBe(200);
    expect(await rowCount("events")).toBe(0);
  });

  it("refuses a missing, forged or body-altered signature and stores nothing", async () => {
    const body = JSON.stringify({ destination: "Ubot", events: [followEvent("01A", "U" + "a".repeat(32))] });
    expect((await postWebhook(body, null)).status).toBe(401);
    expect((await postWebhook(body, await sign(body, "someone-elses-secret"))).status).toBe(401);
    expect((await postWebhook(body, "not base64 at all!")).status).toBe(401);
    const altered = body.replace("follow", "unfollow");
    expect((await postWebhook(altered, await sign(body))).status).toBe(401);
    expect(await rowCount("events")).toBe(0);
  });

  it("stores every event before answering, once per webhookEventId", async () => {
    const user = "U" + "b".repeat(32);
    const body = JSON.stringify({ destination: "Ubot", events: [followEvent("01B", user), followEvent("01C", user)] });
    for (let i = 0; i < 3; i++) expect((await postWebhook(body)).status).toBe(200);
    const { results } = await env.DB.prepare("SELECT id, kind, body FROM events ORDER BY seq").all<{
      id: string; kind: string; body: string }>();
    expect(results.map((r) => r.id)).toEqual(["01B", "01C"]);
    expect(results.every((r) => r.kind === "webhook")).toBe(true);
    expect(JSON.parse(results[0].body).source.userId).toBe(user);
  });

  it("refuses bodies over 1 MB", async () => {
    const body = JSON.stringify({ events: [], pad: "x".repeat(1024 * 1024) });
    expect((await postWebhook(body)).status).toBe(413);
  });

  it("refuses to work without a channel secret, and answers only POST", async () => {
    const body = JSON.stringify({ events: [followEvent("01D", "U" + "c".repeat(32))] });
    const request = new Request(`${BASE}/webhook`, { method: "POST", body, headers: { "x-line-signature": await sign(body) } });
    expect((await call(request, { LINE_CHANNEL_SECRET: undefined })).status).toBe(503);
    expect((await call(new Request(`${BASE}/webhook`))).status).toBe(405);
    expect(await rowCount("events")).toBe(0);
  });

  it("answers /healthz", async () => {
    const response = await call(new Request(`${BASE}/healthz`));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
