"""Campaigns: freeze recipients, a journal of batches with retry keys, quota guard, pacing, resume."""
