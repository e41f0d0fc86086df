// Tracked links: /r/CODE redirects only to the URL the app registered for CODE, and the click is queued.

import type { StoredRow } from "./events";

export const MAX_LINKS_PER_REQUEST = 10000;
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_URL = 2048;
const MAX_LABEL = 128;

export interface Link {
  code: string;
  url: string;
  campaign: string | null;
  friend: string | null;
}

export function validCode(code: string): boolean {
  return CODE.test(code);
}

function label(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  return typeof value === "string" && value.length <= MAX_LABEL ? value : undefined;
}

/** Absolute http(s) URLs only: a javascript: or data: target would turn the relay into an attack's hop. */
function safeUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.length > MAX_URL) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/** The links, or the index and reason of the first bad one (then nothing is stored). */
export function parseLinks(body: unknown): Link[] | { index: number; reason: string } {
  const list = (body as { links?: unknown } | null)?.links;
  if (!Array.isArray(list)) return { index: -1, reason: "expected {\"links\": [...]}" };
  if (list.length > MAX_LINKS_PER_REQUEST) return { index: -1, reason: `at most ${MAX_LINKS_PER_REQUEST} links` };
  const links: Link[] = [];
  for (const [index, item] of list.entries()) {
    const raw = item as Record<string, unknown> | null;
    const code = raw?.code;
    if (typeof code !== "string" || !validCode(code)) return { index, reason: "code must be 1-64 of A-Z a-z 0-9 _ -" };
    const url = safeUrl(raw?.url);
    if (url === null) return { index, reason: "url must be an absolute http(s) URL" };
    const campaign = label(raw?.campaign);
    const friend = label(raw?.friend);
    if (campaign === undefined || friend === undefined) return { index, reason: "campaign and friend are short strings" };
    links.push({ code, url, campaign, friend });
  }
  return links;
}

export async function register(db: D1Database, links: Link[], now: number): Promise<void> {
  if (links.length === 0) return;
  await db
    .prepare(
      `INSERT INTO links (code, url, campaign, friend, created_at)
       SELECT json_extract(value, '$.code'), json_extract(value, '$.url'), json_extract(value, '$.campaign'),
              json_extract(value, '$.friend'), ?2
       FROM json_each(?1) WHERE true ORDER BY key
       ON CONFLICT (code) DO UPDATE SET url = excluded.url, campaign = excluded.campaign, friend = excluded.friend`,
    )
    .bind(JSON.stringify(links), now)
    .run();
}

export async function lookup(db: D1Database, code: string): Promise<Link | null> {
  return db.prepare("SELECT code, url, campaign, friend FROM links WHERE code = ?1").bind(code).first<Link>();
}

export function clickRow(link: Link, now: number): StoredRow {
  const click = { type: "click", code: link.code, campaign: link.campaign, friend: link.friend, url: link.url,
    timestamp: now };
  return { id: `click:${crypto.randomUUID()}`, kind: "click", body: JSON.stringify(click) };
}
