// Lists of projects by title (issue 24): each project keeps its title in lower case, as the
// lists sort it, in a range index, so a page reads the first projects in order instead of
// sorting every project it finds. Ingestion sets it; projects stored before get it here.
CREATE INDEX project_title_key IF NOT EXISTS FOR (n:Project) ON (n.titleKey);
MATCH (n:Project) WHERE n.titleKey IS NULL
SET n.titleKey = toLower(coalesce(n.title, ''));
