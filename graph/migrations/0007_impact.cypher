// Impact series (graph/impact): the daily snapshots the scheduler takes of what the graph
// cannot tell afterwards (a project's status, a person's offers), one change a node, keyed
// by entity and day so that a second snapshot of the same day, or a second hub, merges.
CREATE CONSTRAINT impact_snapshot_day IF NOT EXISTS
FOR (s:ImpactSnapshot) REQUIRE s.day IS UNIQUE;
CREATE CONSTRAINT project_status_change_key IF NOT EXISTS
FOR (c:ProjectStatusChange) REQUIRE c.key IS UNIQUE;
CREATE INDEX project_status_change_project IF NOT EXISTS
FOR (c:ProjectStatusChange) ON (c.project);
CREATE CONSTRAINT person_offers_change_key IF NOT EXISTS
FOR (c:PersonOffersChange) REQUIRE c.key IS UNIQUE;
CREATE INDEX person_offers_change_person IF NOT EXISTS
FOR (c:PersonOffersChange) ON (c.person);
