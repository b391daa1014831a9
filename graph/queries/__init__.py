"""Every read query the API makes, one module per area.

Queries are parameterised Cypher that return plain dicts; they skip anything retired
(``retiredAt`` set on a node or relationship) and never return a person's contact details
unless the person consented. The ``schema`` package calls these and writes no Cypher itself.
"""
