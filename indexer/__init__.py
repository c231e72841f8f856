"""Clio's indexer: saved HTML pages in, a searchable Whoosh index out.

Data flows one way, one module per stage:
files (`corpus`) -> decoded text (`decode`) -> lxml tree (`parse`) -> cleaned tree (`clean`)
-> `Page` record (`extract`, `periods`, `persons`) -> index (`index`) -> results (`search`).
"""
