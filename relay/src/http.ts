// Small response and request helpers shared by the routes.

export const MAX_BODY = 1024 * 1024; // LINE's own bodies are far smaller; anything bigger is refused unread

export class TooLarge extends Error {}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return rawJson(JSON.stringify(body), status, headers);
}

export function rawJson(text: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function problem(status: number, error: string): Response {
  return json({ error }, status);
}

/** The body, read up to `limit` bytes; a declared or streamed size over it throws TooLarge without reading on. */
export async function readBody(request: Request, limit = MAX_BODY): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw new TooLarge();
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

export function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body));
  } catch {
    return undefined;
  }
}
