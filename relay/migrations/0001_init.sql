-- Events LINE delivered and clicks on tracked links, in arrival order (seq is the pull cursor).
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,          -- LINE's webhookEventId, or "click:" + a UUID
  kind TEXT NOT NULL,               -- "webhook" or "click"
  body TEXT NOT NULL,               -- the event as JSON
  received_at INTEGER NOT NULL,     -- milliseconds since the epoch
  acked_at INTEGER                  -- set by the app's acknowledgement; deleted 7 days later
);
CREATE INDEX events_acked ON events (acked_at) WHERE acked_at IS NOT NULL;

-- Tracked links the app registered: /r/CODE redirects only to these URLs.
CREATE TABLE links (
  code TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  campaign TEXT,
  friend TEXT,
  created_at INTEGER NOT NULL
);
