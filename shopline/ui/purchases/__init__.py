"""Purchases in the window: a friend's timeline and totals, and the RFM overview."""
