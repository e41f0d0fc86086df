import { env } from "cloudflare:workers";
import worker from "../src/index";

export const SECRET = "test-channel-secret";
export const KEY = "test-relay-key-0123456789";
export const BASE = "https://relay.example";

export async function sign(body: string, secret = SECRET): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" },
    false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return btoa(String.fromCharCode(...mac));
}

/** The Worker's own fetch handler, with this test's bindings (or some of them changed). */
export function call(request: Request, overrides: Partial<typeof env> = {}): Promise<Response> {
  return worker.fetch!(request as Request<unknown, IncomingRequestCfProperties>, { ...env, ...overrides },
    {} as ExecutionContext);
}

export async function postWebhook(body: string, signature?: string | null): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const sig = signature === undefined ? await sign(body) : signature;
  if (sig !== null) headers["x-line-signature"] = sig;
  return call(new Request(`${BASE}/webhook`, { method: "POST", headers, body }));
}

export function followEvent(id: string, user: string, timestamp = 1_700_000_000_000): Record<string, unknown> {
  return {
    type: "follow", mode: "active", timestamp, webhookEventId: id,
    source: { type: "user", userId: user }, replyToken: "r" + id,
    deliveryContext: { isRedelivery: false }, follow: { isUnblocked: false },
  };
}

export function api(path: string, init: RequestInit = {}, key: string | null = KEY): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set("authorization", `Bearer ${key}`);
  return call(new Request(`${BASE}${path}`, { ...init, headers }));
}

export async function rowCount(table: "events" | "links"): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}

export async function clearTables(): Promise<void> {
  await env.DB.batch([env.DB.prepare("DELETE FROM events"), env.DB.prepare("DELETE FROM links")]);
}
