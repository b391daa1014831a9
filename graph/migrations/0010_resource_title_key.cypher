// Lists of resources by title (issue 24), as lists of projects since 0009: each resource keeps
// its title in lower case, as the lists sort it, in a range index, so a page reads the first
// resources in order instead of sorting every resource it finds. Ingestion sets it; resources
// stored before get it here.
CREATE INDEX resource_title_key IF NOT EXISTS FOR (n:Resource) ON (n.titleKey);
MATCH (n:Resource) WHERE n.titleKey IS NULL
SET n.titleKey = toLower(coalesce(n.title, ''));
