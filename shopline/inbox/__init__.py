"""The inbox: events LINE delivered to the shop's relay (follows, blocks, messages, postbacks) and tracked-link
clicks, pulled from the relay and applied to the store exactly once.

relay_config: where the relay is and its key (keyring, or SHOPLINE_RELAY_URL / SHOPLINE_RELAY_KEY);
client: the relay's HTTP API; events: what a pulled event means; apply: its effects on the store, in one
transaction with the event IDs and the cursor; pull: fetch, apply, acknowledge; rules: keyword rules.
"""
