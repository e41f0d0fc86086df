// The ShopLine relay: verifies and queues LINE's webhook events, serves them to the shop's app behind a key,
// and redirects tracked links the app registered. It holds no channel access token and logs no secret.

import { bearerMatches, lineSignatureValid } from "./crypto";
import { type Env, channelSecret, relayKey } from "./env";
import { MAX_PULL, acknowledge, pull, purgeAcknowledged, status, storeRows, webhookRows } from "./events";
import { TooLarge, json, parseJson, problem, rawJson, readBody } from "./http";
import { clickRow, lookup, parseLinks, register, validCode } from "./links";

export type { Env } from "./env";

async function webhook(request: Request, env: Env): Promise<Response> {
  const secret = channelSecret(env);
  if (secret === null) return problem(503, "LINE_CHANNEL_SECRET is not set");
  const body = await readBody(request);
  if (!(await lineSignatureValid(secret, body, request.headers.get("x-line-signature")))) {
    return problem(401, "bad signature");
  }
  const payload = parseJson(body) as { events?: unknown } | undefined;
  if (!payload || !Array.isArray(payload.events)) return problem(400, "expected {\"events\": [...]}");
  // Awaited, not waitUntil: once LINE has its 200 the event must already be in D1.
  await storeRows(env.DB, await webhookRows(payload.events), Date.now());
  return json({});
}

async function api(request: Request, env: Env, path: string): Promise<Response> {
  const key = relayKey(env);
  if (key === null) return problem(503, "SHOPLINE_RELAY_KEY is not set");
  if (!(await bearerMatches(key, request.headers.get("authorization")))) return problem(401, "bad key");
  const url = new URL(request.url);
  if (path === "/api/events" && request.method === "GET") {
    const after = Number(url.searchParams.get("after") ?? "0");
    const limit = Number(url.searchParams.get("limit") ?? "1000");
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 1) {
      return problem(400, "after and limit are whole numbers");
    }
    return rawJson(await pull(env.DB, after, Math.min(limit, MAX_PULL)));
  }
  if (path === "/api/ack" && request.method === "POST") {
    const cursor = (parseJson(await readBody(request)) as { cursor?: unknown } | undefined)?.cursor;
    if (typeof cursor !== "number" || !Number.isSafeInteger(cursor) || cursor < 0) {
      return problem(400, "expected {\"cursor\": N}");
    }
    return json({ acknowledged: await acknowledge(env.DB, cursor, Date.now()) });
  }
  if (path === "/api/links" && request.method === "POST") {
    const links = parseLinks(parseJson(await readBody(request)));
    if (!Array.isArray(links)) return json({ error: links.reason, index: links.index }, 400);
    await register(env.DB, links, Date.now());
    return json({ registered: links.length });
  }
  if (path === "/api/status" && request.method === "GET") {
    return json({ ok: true, ...(await status(env.DB)) });
  }
  return problem(404, "not found");
}

async function redirect(env: Env, code: string): Promise<Response> {
  const link = validCode(code) ? await lookup(env.DB, code) : null;
  if (link === null) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  await storeRows(env.DB, [clickRow(link, Date.now())], Date.now());
  return new Response(null, { status: 302, headers: { location: link.url, "cache-control": "no-store" } });
}

async function route(request: Request, env: Env): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (path === "/healthz") return json({ ok: true });
  if (path === "/webhook") return request.method === "POST" ? webhook(request, env) : problem(405, "POST only");
  if (path.startsWith("/api/")) return api(request, env, path);
  if (path.startsWith("/r/") && (request.method === "GET" || request.method === "HEAD")) {
    return redirect(env, path.slice(3)); // codes are plain ASCII: an escaped one is no code of ours
  }
  return problem(404, "not found");
}

export default {
  async fetch(request, env, _ctx): Promise<Response> {
    try {
      return await route(request, env);
    } catch (error) {
      if (error instanceof TooLarge) return problem(413, "body over 1 MB");
      // The error's name only: a message could quote a request, and LINE retries a 500 anyway.
      console.error("relay: request failed", error instanceof Error ? error.name : typeof error);
      return problem(500, "internal error");
    }
  },
  async scheduled(_controller, env, _ctx): Promise<void> {
    await purgeAcknowledged(env.DB, Date.now());
  },
} satisfies ExportedHandler<Env>;
