// Ordering and incremental pulls (issue 21): lists sort by start date and by when this hub
// last changed a node, and a peer hub asks for what changed since its last pull
// (`changedAt >= $updatedSince`), so each of those is a range index.
CREATE INDEX project_start_date IF NOT EXISTS FOR (n:Project) ON (n.startDate);
CREATE INDEX project_changed_at IF NOT EXISTS FOR (n:Project) ON (n.changedAt);
CREATE INDEX resource_changed_at IF NOT EXISTS FOR (n:Resource) ON (n.changedAt);
CREATE INDEX resource_published IF NOT EXISTS FOR (n:Resource) ON (n.published);
CREATE INDEX person_changed_at IF NOT EXISTS FOR (n:Person) ON (n.changedAt);
CREATE INDEX person_public_changed_at IF NOT EXISTS FOR (n:Person) ON (n.publicChangedAt);
CREATE INDEX organisation_changed_at IF NOT EXISTS FOR (n:Organisation) ON (n.changedAt);
// Nodes written before hubs kept `changedAt` count as changed when first seen.
MATCH (n:Project|Resource|Person|Organisation) WHERE n.changedAt IS NULL
SET n.changedAt = coalesce(n.firstSeen, datetime());
MATCH (n:Person) WHERE n.publicChangedAt IS NULL
SET n.publicChangedAt = n.changedAt;
