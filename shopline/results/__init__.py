"""効果測定 (issue 15): LINE's insight figures kept in the store, per campaign and over time, and cross tables.

Services shared by `shopline results|trend|crosstab` and the window's 効果測定 page:
  refresh.py     asks LINE (within the shared 60-an-hour limit) and stores what it answered
  figures.py     a campaign's results from the store: journal counts, LINE's figures, cost, blocks, conversions
  conversions.py what counts as a conversion (a tag gained or a purchase within N days), goals, revenue
  trend.py       the account per day, with each campaign's send date
  crosstab.py    counts of friends over two dimensions in one GROUP BY
  limiter.py     the insight limiter kept in the store, shared by every process on the data folder
"""
