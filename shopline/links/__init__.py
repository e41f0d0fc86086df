"""Tracked links (issue 19): short links on the shop's relay, registered in bulk, and their clicks.

urls.py finds the https:// URLs of a text and makes codes (pure); register.py puts a campaign's links on
the relay before its first message leaves; clicks.py keeps the clicks the inbox pulls back.
"""
