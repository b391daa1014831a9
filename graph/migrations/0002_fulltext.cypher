// Full-text (Lucene) indexes behind search and the text filters of the API.
CREATE FULLTEXT INDEX project_text IF NOT EXISTS
FOR (n:Project) ON EACH [n.title, n.summary, n.aim];

CREATE FULLTEXT INDEX person_text IF NOT EXISTS
FOR (n:Person) ON EACH [n.name, n.role, n.bio];

CREATE FULLTEXT INDEX resource_text IF NOT EXISTS
FOR (n:Resource) ON EACH [n.title, n.summary];

CREATE FULLTEXT INDEX organisation_text IF NOT EXISTS
FOR (n:Organisation) ON EACH [n.name, n.aliases];

CREATE FULLTEXT INDEX topic_text IF NOT EXISTS
FOR (n:Topic) ON EACH [n.label, n.synonyms];
