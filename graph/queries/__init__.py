"""Every read query the API makes, one module per area.

Queries are parameterised Cypher that return plain dicts; they skip anything retired
(``retiredAt`` set on a node or relationship) and never return a person's contact details
unless the person consented. Each entity's row is declared once in ``fields``; the lists that
hang off nodes are declared beside their owner's queries and batched by ``batch``. The
``schema`` package calls these and writes no Cypher itself.
"""
