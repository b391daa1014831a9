"""Sync and scheduling: partner sources, through the connectors, into the graph.

``run`` pulls and ingests the sources of a partners file once; ``schedule`` pulls each source
again whenever its interval has passed. Neither knows about the command line or the web app.
"""
