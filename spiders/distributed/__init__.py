"""Crawling on many machines: a shared Redis queue (scrapy-redis) and one database.

``rivalscope crawl --distributed`` seeds the queue (``seed``); ``rivalscope worker``
processes pull from it (``worker``). Nothing here is imported by a one-process crawl, so
a single machine needs neither Redis nor its client.
"""
