"""A/B tests (issue 20): split a segment at random, send each variant exactly once, judge, send the winner.

Shared by `shopline abtest` and the window's A/B section:
  create.py   check the variants, split the segment with a recorded seed, freeze one campaign per variant
  send.py     send (or continue) the variants; send the winner to the held-back friends, once
  status.py   each variant's figure from the results layer, with its interval and the verdict
  usual.py    the shop's usual rate for a metric, from past results
  verdict.py  the sentences: what the groups can detect, whether the difference is real (pure)
  lookup.py   finding a test by name, and the errors a shop owner reads

Nothing here sends by itself: `create` freezes the groups and shows them; `send` sends.
"""
