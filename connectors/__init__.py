"""Partner sources turned into normalised records; knows HTTP and files, never Neo4j."""
