// Both comparisons go through WebCrypto so that neither leaks, by its timing, how much of a guess was right.

const encoder = new TextEncoder();

function base64Bytes(text: string): Uint8Array | null {
  try {
    const binary = atob(text.trim());
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** LINE's x-line-signature: base64 of HMAC-SHA256 over the raw body, keyed with the channel secret. */
export async function lineSignatureValid(secret: string, body: Uint8Array, header: string | null): Promise<boolean> {
  if (!header) return false;
  const signature = base64Bytes(header);
  if (signature === null || signature.byteLength !== 32) return false;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  // verify() compares the MAC in constant time.
  return crypto.subtle.verify("HMAC", key, signature, body);
}

/** `Authorization: Bearer KEY`, compared through digests so that a key's length leaks nothing either. */
export async function bearerMatches(expected: string, header: string | null): Promise<boolean> {
  if (!header || !header.startsWith("Bearer ")) return false;
  const given = header.slice("Bearer ".length).trim();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
