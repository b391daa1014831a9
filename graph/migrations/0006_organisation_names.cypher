// How each source's spelling of an organisation was resolved, and the splits people made.
CREATE CONSTRAINT organisation_name_id IF NOT EXISTS FOR (n:OrganisationName) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organisation_split_id IF NOT EXISTS FOR (s:OrganisationSplit) REQUIRE s.id IS UNIQUE;
CREATE INDEX organisation_split_source IF NOT EXISTS FOR (s:OrganisationSplit) ON (s.source);
CREATE INDEX organisation_name_rule IF NOT EXISTS FOR (n:OrganisationName) ON (n.rule);
