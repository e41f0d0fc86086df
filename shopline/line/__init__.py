"""LINE through line-bot-sdk, and nothing else; knows no database.

One module per thing LINE answers: bot_info, followers, profiles (quota,
multicast and insight join them later). Each takes a LineClient from
config.py, which adds the timeout to every call and maps errors to errors.py.
Importing this package stays cheap: the SDK (~1 s) loads when a client is made.
"""
