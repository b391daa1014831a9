"""Everything that speaks Cypher: the driver, the local Neo4j, migrations and queries."""
