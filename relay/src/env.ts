export interface Env {
  DB: D1Database;
  LINE_CHANNEL_SECRET?: string;
  SHOPLINE_RELAY_KEY?: string;
}

// A relay key shorter than this is a mistake, not a key: the app makes 43-character ones.
export const MIN_KEY_LENGTH = 16;

export function channelSecret(env: Env): string | null {
  const secret = env.LINE_CHANNEL_SECRET?.trim();
  return secret ? secret : null;
}

export function relayKey(env: Env): string | null {
  const key = env.SHOPLINE_RELAY_KEY?.trim();
  return key && key.length >= MIN_KEY_LENGTH ? key : null;
}
