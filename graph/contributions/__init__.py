"""Members' contributions: submissions kept apart from the graph until a moderator approves
them, then published through the same ingestion path as any partner's source.

``store`` keeps submissions, their decisions and uploaded files' records (all Cypher here);
``records`` turns a submission into the records ingestion takes; ``publish`` syncs a
``contributions:<partner>`` source from its approved submissions; ``drafts`` scores a draft
project against the graph without writing anything.
"""
