// The event queue in D1: LINE's webhook events and link clicks, in arrival order, until acknowledged.

import { sha256Hex } from "./crypto";

export const KEEP_ACKNOWLEDGED_MS = 7 * 24 * 3600 * 1000;
export const MAX_PULL = 5000;
const MAX_ID_LENGTH = 128;

export interface StoredRow {
  id: string;
  kind: "webhook" | "click";
  body: string;
}

/** LINE's webhookEventId; an event without one (never seen from LINE) is still kept, named by its content. */
async function eventId(event: unknown): Promise<string> {
  const id = (event as { webhookEventId?: unknown } | null)?.webhookEventId;
  if (typeof id === "string" && id.length > 0 && id.length <= MAX_ID_LENGTH) return id;
  return "sha256:" + (await sha256Hex(JSON.stringify(event)));
}

export async function webhookRows(events: unknown[]): Promise<StoredRow[]> {
  return Promise.all(events.map(async (event) => ({ id: await eventId(event), kind: "webhook" as const,
    body: JSON.stringify(event) })));
}

/**
 * One statement whatever the number of rows (D1's free plan counts queries per request); rows keep their order,
 * and an ID seen before is skipped: LINE redelivers.
 */
export async function storeRows(db: D1Database, rows: StoredRow[], now: number): Promise<void> {
  if (rows.length === 0) return;
  await db
    .prepare(
      `INSERT INTO events (id, kind, body, received_at)
       SELECT json_extract(value, '$.id'), json_extract(value, '$.kind'), json_extract(value, '$.body'), ?2
       FROM json_each(?1) WHERE true ORDER BY key
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(JSON.stringify(rows), now)
    .run();
}

/** Events after `after`, as JSON text: bodies are embedded as stored, never parsed again. */
export async function pull(db: D1Database, after: number, limit: number): Promise<string> {
  const { results } = await db
    .prepare("SELECT seq, id, kind, body, received_at FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")
    .bind(after, limit + 1)
    .all<{ seq: number; id: string; kind: string; body: string; received_at: number }>();
  const more = results.length > limit;
  const page = more ? results.slice(0, limit) : results;
  const items = page.map(
    (r) =>
      `{"cursor":${r.seq},"id":${JSON.stringify(r.id)},"kind":${JSON.stringify(r.kind)},` +
      `"receivedAt":${r.received_at},"event":${r.body}}`,
  );
  const cursor = page.length ? page[page.length - 1].seq : after;
  return `{"events":[${items.join(",")}],"cursor":${cursor},"more":${more}}`;
}

export async function acknowledge(db: D1Database, upTo: number, now: number): Promise<number> {
  const result = await db
    .prepare("UPDATE events SET acked_at = ?2 WHERE seq <= ?1 AND acked_at IS NULL")
    .bind(upTo, now)
    .run();
  return result.meta.changes ?? 0;
}

export async function purgeAcknowledged(db: D1Database, now: number): Promise<number> {
  const result = await db
    .prepare("DELETE FROM events WHERE acked_at IS NOT NULL AND acked_at < ?1")
    .bind(now - KEEP_ACKNOWLEDGED_MS)
    .run();
  return result.meta.changes ?? 0;
}

export async function status(db: D1Database): Promise<{ pending: number; last: number }> {
  const row = await db
    .prepare(
      "SELECT (SELECT count(*) FROM events WHERE acked_at IS NULL) AS pending, " +
        "(SELECT coalesce(max(seq), 0) FROM events) AS last",
    )
    .first<{ pending: number; last: number }>();
  return row ?? { pending: 0, last: 0 };
}
