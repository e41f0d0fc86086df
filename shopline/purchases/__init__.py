"""Purchases and visits from the shop's register or web store: import, the member-number link, RFM, listing."""
