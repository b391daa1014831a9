// The impact figures kept per scope (graph/impact/kept.py): one tally per key.
CREATE CONSTRAINT impact_tally_key IF NOT EXISTS
FOR (t:ImpactTally) REQUIRE t.key IS UNIQUE;
