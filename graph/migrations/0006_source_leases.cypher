// One lease per source (graph/leases.py): two schedulers merging the same source's lease at
// once meet on one node, never create two.
CREATE CONSTRAINT source_lease_source IF NOT EXISTS
FOR (l:SourceLease) REQUIRE l.source IS UNIQUE;
