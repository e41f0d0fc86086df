"""Automations at work: scenarios saved in the store, scheduled and recurring sends, and the runner that
sends what is due through the delivery engine (`run_due`), one runner at a time (the lease)."""
