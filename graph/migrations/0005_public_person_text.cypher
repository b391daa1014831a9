// Search for callers who may not read people's bios: name and role only, so a bio word can
// neither find a person nor lift one's rank for them.
CREATE FULLTEXT INDEX person_public_text IF NOT EXISTS
FOR (n:Person) ON EACH [n.name, n.role];
